"""Valuation by FIFO, LIFO and AVCO: PrestaShop's worked examples, then our own hand-computed stories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from store.catalog import create_product, get_product
from store.errors import InvalidValue
from store.locations import create_location, get_location
from store.moves import plan_move, post_move
from store.units import get_uom
from store.valuation import exit_cost, layers, set_cost_method, unit_costs, valuation

D = Decimal
T0 = datetime(2026, 1, 1, 9, tzinfo=UTC)


def day(n: int) -> datetime:
    return T0 + timedelta(days=n)


@pytest.fixture
def books(store):
    """Warehouses F (FIFO), L (LIFO), A (AVCO), negative stock allowed, and a product BOLT in pieces."""
    for code, method in (("F", "fifo"), ("L", "lifo"), ("A", "avco")):
        create_location(store, code, code, "warehouse", cost_method=method)
    create_product(store, "BOLT", "Bolt", get_uom("pc"))
    return store


def receive(store, warehouse: str, quantity, cost, at):
    return post_move(store, get_product("BOLT"), D(quantity), get_location("SUPPLIER"),
                     get_location(f"{warehouse}/STOCK"), at=at, unit_cost=D(cost), reason="received")


def ship(store, warehouse: str, quantity, at):
    return post_move(store, get_product("BOLT"), D(quantity), get_location(f"{warehouse}/STOCK"),
                     get_location("CUSTOMER"), at=at, reason="sold")


def row(store, warehouse: str, at=None):
    """(quantity, unit cost, value) of BOLT in the warehouse, or None."""
    found = [r for r in valuation(store, warehouse, at) if r.product == "BOLT"]
    return (found[0].quantity, found[0].unit_cost, found[0].value) if found else None


def remaining(store, warehouse: str, at=None):
    return [(r.quantity, r.unit_cost) for r in layers(store, warehouse, at)]


def prestashop_story(store, warehouse: str) -> None:
    """Initial stock 1000 at 4, entry 500 at 6, exit 700, exit 700, entry 900 at 7 (days 0..4)."""
    receive(store, warehouse, 1000, 4, day(0))
    receive(store, warehouse, 500, 6, day(1))
    ship(store, warehouse, 700, day(2))
    ship(store, warehouse, 700, day(3))
    receive(store, warehouse, 900, 7, day(4))


def test_prestashop_fifo_example_is_worth_6900(books):
    prestashop_story(books, "F")
    assert remaining(books, "F") == [(100, 6), (900, 7)]
    assert row(books, "F") == (1000, D("6.9"), D(6900))
    bolt, wh = get_product("BOLT"), get_location("F")
    assert exit_cost(books, wh, bolt, D(700), at=day(2) - timedelta(seconds=1)) == 2800  # 700 x 4
    assert exit_cost(books, wh, bolt, D(700), at=day(3) - timedelta(seconds=1)) == 3600  # 300 x 4 + 400 x 6


def test_prestashop_lifo_example_is_worth_6700(books):
    prestashop_story(books, "L")
    assert remaining(books, "L") == [(100, 4), (900, 7)]
    assert row(books, "L") == (1000, D("6.7"), D(6700))
    bolt, wh = get_product("BOLT"), get_location("L")
    assert exit_cost(books, wh, bolt, D(700), at=day(2) - timedelta(seconds=1)) == 3800  # 500 x 6 + 200 x 4
    assert exit_cost(books, wh, bolt, D(700), at=day(3) - timedelta(seconds=1)) == 2800  # 700 x 4


def test_prestashop_avco_table_row_by_row(books):
    receive(books, "A", 20, 2, day(0))  # initial stock: AVCO 2, value 40
    ship(books, "A", 12, day(1))  # X date: exit 12 at 2
    receive(books, "A", 20, "3.4", day(2))  # Y date: (8 x 2 + 20 x 3.4) / 28 = 3
    ship(books, "A", 10, day(3))  # Z date: exit 10 at 3
    assert row(books, "A", day(0)) == (20, 2, 40)
    assert row(books, "A", day(1)) == (8, 2, 16)
    assert row(books, "A", day(2)) == (28, 3, 84)
    assert row(books, "A", day(3)) == (18, 3, 54)
    assert exit_cost(books, get_location("A"), get_product("BOLT"), D(10), at=day(2)) == 30


def test_a_transfer_carries_its_layers_to_the_other_warehouse(books):
    """StoreHouse 5: receipts at 100 and 200 moved together stay two layers; one unit then costs 100."""
    receive(books, "L", 1, 100, day(0))
    receive(books, "L", 1, 200, day(1))
    post_move(books, get_product("BOLT"), D(2), get_location("L/STOCK"), get_location("F/STOCK"), at=day(2))
    assert [(r.date, r.quantity, r.unit_cost) for r in layers(books, "F")] == [(day(0), 1, 100), (day(1), 1, 200)]
    assert row(books, "L") is None
    assert row(books, "F") == (2, 150, 300)
    bolt, fifo = get_product("BOLT"), get_location("F")
    assert exit_cost(books, fifo, bolt, D(1)) == 100
    ship(books, "F", 1, day(3))
    assert remaining(books, "F") == [(1, 200)]


def test_a_transfer_into_avco_averages_the_layers_it_brings(books):
    receive(books, "A", 10, 5, day(0))
    receive(books, "F", 1, 100, day(0))
    receive(books, "F", 1, 200, day(1))
    post_move(books, get_product("BOLT"), D(2), get_location("F/STOCK"), get_location("A/STOCK"), at=day(2))
    # (10 x 5 + 1 x 100 + 1 x 200) / 12 = 29.1666... rounded to 29.166667; 12 of them are worth 350.000004
    assert remaining(books, "A") == [(12, D("29.166667"))]
    assert row(books, "A") == (12, D("29.166667"), D("350.000004"))


def test_moves_within_one_warehouse_change_no_value(books):
    receive(books, "F", 10, 3, day(0))
    create_location(books, "F-BIN", "Bin", "storage", parent=get_location("F/STOCK"))
    post_move(books, get_product("BOLT"), D(4), get_location("F/STOCK"), get_location("F-BIN"), at=day(1))
    assert row(books, "F") == (10, 3, 30)


def test_an_exit_below_zero_at_last_cost_is_settled_by_the_next_receipt(books):
    receive(books, "F", 5, 10, day(0))
    bolt, fifo = get_product("BOLT"), get_location("F")
    assert exit_cost(books, fifo, bolt, D(8)) == 80  # 5 from the layer, 3 below zero at the last cost 10
    ship(books, "F", 8, day(1))
    assert row(books, "F") == (-3, 10, -30)
    assert [(r.date, r.quantity) for r in layers(books, "F")] == [(day(1), -3)]
    receive(books, "F", 10, 12, day(2))  # 3 settle what was owed, 7 remain
    assert remaining(books, "F") == [(7, 12)]
    assert row(books, "F") == (7, 12, 84)


def test_exits_at_zero_stock_cost_the_last_receipt_price(books):
    bolt = get_product("BOLT")
    for code in ("F", "L", "A"):
        receive(books, code, 10, 2, day(0))
        receive(books, code, 10, 4, day(1))
        ship(books, code, 20, day(2))
        assert row(books, code) is None
        assert exit_cost(books, get_location(code), bolt, D(1)) == 4, code
        ship(books, code, 1, day(3))
        assert row(books, code) == (-1, 4, -4), code


def test_avco_after_negative_stock_restarts_at_the_receipt_price(books):
    receive(books, "A", 2, 10, day(0))
    ship(books, "A", 5, day(1))  # 2 at 10 and 3 owed at 10
    assert row(books, "A") == (-3, 10, -30)
    receive(books, "A", 10, 7, day(2))  # QS = -3 <= 0: AVCO = UP = 7
    assert row(books, "A") == (7, 7, 49)
    receive(books, "A", 3, 12, day(3))  # (7 x 7 + 3 x 12) / 10 = 8.5
    assert row(books, "A") == (10, D("8.5"), 85)


def test_a_back_dated_receipt_revalues_later_exits(books):
    receive(books, "F", 10, 5, day(1))
    ship(books, "F", 4, day(3))
    assert row(books, "F") == (6, 5, 30)
    receive(books, "F", 10, 3, day(0))  # back-dated: the exit of day 3 took these first
    assert remaining(books, "F") == [(6, 3), (10, 5)]
    assert row(books, "F") == (16, D("4.25"), 68)
    assert row(books, "F", day(2)) == (20, 4, 80)


def test_back_dated_receipt_revalues_avco(books):
    receive(books, "A", 10, 6, day(1))
    ship(books, "A", 5, day(3))
    receive(books, "A", 10, 2, day(0))  # AVCO from day 1 is (10 x 2 + 10 x 6) / 20 = 4
    assert row(books, "A") == (15, 4, 60)


def test_valuation_at_a_past_moment_ignores_what_came_after(books):
    receive(books, "F", 10, 2, day(0))
    receive(books, "F", 10, 4, day(2))
    ship(books, "F", 15, day(4))
    assert row(books, "F", day(1)) == (10, 2, 20)
    assert row(books, "F", day(3)) == (20, 3, 60)
    assert row(books, "F", day(5)) == (5, 4, 20)
    assert remaining(books, "F", day(3)) == [(10, 2), (10, 4)]
    assert row(books, "F", T0 - timedelta(days=1)) is None


def test_gains_from_lost_and_found_enter_at_the_current_cost(books):
    receive(books, "F", 10, 2, day(0))
    receive(books, "F", 10, 4, day(1))
    bolt = get_product("BOLT")
    post_move(books, bolt, D(5), get_location("F/LOST"), get_location("F/STOCK"), at=day(2), unit_cost=D(99))
    assert remaining(books, "F") == [(10, 2), (10, 4), (5, 2)]  # the oldest layer's cost, not the 99 posted
    post_move(books, bolt, D(3), get_location("F/STOCK"), get_location("F/LOST"), at=day(3))
    assert remaining(books, "F") == [(7, 2), (10, 4), (5, 2)]  # the loss took the oldest layer
    assert row(books, "F") == (22, D("2.909091"), 64)


def test_unit_costs_of_count_changes_follow_the_method(books):
    receive(books, "F", 10, 1, day(0))
    receive(books, "F", 10, 2, day(1))
    receive(books, "L", 10, 1, day(0))
    receive(books, "L", 10, 2, day(1))
    bolt = get_product("BOLT").id
    assert unit_costs(books, get_location("F"), {bolt: D(-15)}) == {bolt: D("1.333333")}  # (10 x 1 + 5 x 2) / 15
    assert unit_costs(books, get_location("F"), {bolt: D(4)}) == {bolt: 1}
    assert unit_costs(books, get_location("L"), {bolt: D(-5)}) == {bolt: 2}
    assert unit_costs(books, get_location("A"), {bolt: D(-5)}) == {}
    assert unit_costs(books, None, {bolt: D(-5)}) == {}


def test_the_cost_method_is_fixed_once_the_warehouse_has_moves(books):
    fifo = get_location("F")
    assert set_cost_method(books, fifo, "avco").cost_method == "avco"
    with pytest.raises(InvalidValue, match="not one of"):
        set_cost_method(books, fifo, "lowest")
    with pytest.raises(InvalidValue, match="only a warehouse"):
        set_cost_method(books, get_location("F/STOCK"), "lifo")
    plan_move(books, get_product("BOLT"), D(1), get_location("SUPPLIER"), get_location("F/STOCK"))
    with pytest.raises(InvalidValue, match="F already has stock moves: its cost method stays avco"):
        set_cost_method(books, get_location("F"), "fifo")
    assert get_location("F").cost_method == "avco"
    assert get_location("A").cost_method == "avco"  # untouched: a default warehouse is FIFO
    create_location(books, "N", "New", "warehouse")
    assert get_location("N").cost_method == "fifo"


def test_a_warehouse_filter_must_name_a_warehouse(books):
    with pytest.raises(InvalidValue, match="not a warehouse"):
        valuation(books, "F/STOCK")
