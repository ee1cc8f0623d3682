"""Transfers between bins and warehouses, and stock added or removed by hand with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.adjustments import add_reason, add_stock, reasons, remove_reason, remove_stock
from store.catalog import get_product
from store.errors import InsufficientStock, InvalidValue, NotFound
from store.locations import create_location, get_location
from store.models import Move
from store.moves import post_move
from store.picking import assign, create_pick_list
from store.stock import available, on_hand
from store.transfers import transfer, transfer_lines

D = Decimal


@pytest.fixture
def stocked(shop):
    """A-01 holds 10 beans, 4 of them reserved for pick list P-1; a second warehouse WH2 with bin B-01."""
    post_move(shop, get_product("BEANS"), D(10), get_location("SUPPLIER"), get_location("A-01"))
    assign(shop, create_pick_list(shop, "P-1", get_location("WH"), [(get_product("BEANS"), D(4))]))
    create_location(shop, "WH2", "Second", "warehouse", allow_negative=False)
    create_location(shop, "B-01", "Bin B1", "storage", parent=get_location("WH2/STOCK"), barcode="LOC-B01")
    return shop


def test_transfer_between_warehouses_is_one_done_move_of_available_stock(stocked):
    beans, a1, b1 = get_product("BEANS"), get_location("A-01"), get_location("B-01")
    move = transfer(stocked, beans, D(6), a1, b1)
    assert (move.state, move.reason, move.from_location.code, move.to_location.code) == ("done", "transfer", "A-01", "B-01")
    assert on_hand(stocked, beans, get_location("WH2")) == 6
    assert on_hand(stocked, beans, get_location("WH")) == 4
    with pytest.raises(InsufficientStock, match="Only 0 pc of BEANS at A-01; 1 requested"):
        transfer(stocked, beans, D(1), a1, b1)  # the 4 left are reserved for P-1
    with pytest.raises(InvalidValue, match="CUSTOMER is a customer location"):
        transfer(stocked, beans, D(1), b1, get_location("CUSTOMER"))
    transfer(stocked, beans, D(2), b1, get_location("WH2/STOCK"))
    assert on_hand(stocked, beans, get_location("B-01")) == 4


def test_adjustments_use_configurable_reasons_and_the_lost_and_found(stocked):
    beans, a1 = get_product("BEANS"), get_location("A-01")
    assert {r.code for r in reasons("out")} >= {"damaged", "theft", "expired"}
    assert "theft" not in {r.code for r in reasons("in")}
    move = add_stock(stocked, beans, D(2), a1, "Gift")
    assert (move.from_location.code, move.reason) == ("WH/LOST", "gift")
    with pytest.raises(InvalidValue, match="reason theft is not for stock that one adds"):
        add_stock(stocked, beans, D(1), a1, "theft")
    with pytest.raises(NotFound, match="no reason 'broken'"):
        remove_stock(stocked, beans, D(1), a1, "broken")
    add_reason(stocked, "Broken", "out")
    move = remove_stock(stocked, beans, D(3), a1, "broken")
    assert (move.to_location.code, move.reason) == ("WH/LOST", "broken")
    assert available(stocked, beans, a1) == 5
    # only available stock goes unless the removal says it takes reserved stock
    with pytest.raises(InsufficientStock, match="Only 5 pc of BEANS at A-01; 7 requested"):
        remove_stock(stocked, beans, D(7), a1, "damaged")
    remove_stock(stocked, beans, D(7), a1, "damaged", from_reserved=True)
    with pytest.raises(InsufficientStock, match="Only 2 pc of BEANS at A-01; 3 requested"):
        remove_stock(stocked, beans, D(3), a1, "theft", from_reserved=True)
    assert on_hand(stocked, beans, get_location("WH/LOST")) == 8  # -2 + 3 + 7
    remove_reason(stocked, "broken")
    with pytest.raises(NotFound):
        remove_stock(stocked, beans, D(1), a1, "broken")
    with pytest.raises(InvalidValue, match="already exists"):
        add_reason(stocked, "theft")


def test_transferring_an_armful_is_all_or_nothing(stocked):
    a1, b1 = get_location("A-01"), get_location("B-01")
    post_move(stocked, get_product("FLOUR-500"), D(2), get_location("SUPPLIER"), a1)
    before = Move.select().count()
    with pytest.raises(InsufficientStock, match="Only 6 pc of BEANS at A-01; 7 requested"):
        transfer_lines(stocked, [(get_product("FLOUR-500"), D(2)), (get_product("BEANS"), D(7))], a1, b1)
    assert Move.select().count() == before
    moves = transfer_lines(stocked, [(get_product("FLOUR-500"), D(2)), (get_product("BEANS"), D(6))], a1, b1)
    assert [(m.product.code, m.quantity) for m in moves] == [("FLOUR-500", 2), ("BEANS", 6)]
