"""The reports: stock balance, transactions, stock value, coverage and count history, with their filters.

Expected figures are worked out by hand in the comments.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from store.catalog import create_product, get_product
from store.count_confirm import confirm
from store.counting import set_count, start_session
from store.errors import InvalidValue, NotFound
from store.locations import create_location, get_location
from store.models import Product
from store.moves import assign_move, plan_move, post_move
from store.report_balance import balance
from store.report_counts import count_history
from store.report_coverage import coverage, coverage_days
from store.report_filters import ReportFilter, parse_span
from store.report_moves import transactions
from store.report_value import stock_value
from store.units import get_uom

D = Decimal
NOW = datetime.now(UTC)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@pytest.fixture
def ledger(shop):
    """BEANS: 24 in at A-01 (day 40), 4 to A-02 (day 20), 6 sold (day 10), 3 stolen (day 3), 5 reserved.

    FLOUR-500 (category "dry", low stock 5): 3 in at A-02 (day 12, by ann). A second warehouse W2 with 2 BEANS.
    """
    beans, flour = get_product("BEANS"), get_product("FLOUR-500")
    a1, a2 = get_location("A-01"), get_location("A-02")
    supplier, customer, lost = get_location("SUPPLIER"), get_location("CUSTOMER"), get_location("WH/LOST")
    Product.update(low_stock=D(5), category="dry").where(Product.id == flour.id).execute()
    post_move(shop, beans, D(24), supplier, a1, at=ago(40), unit_cost=D(1), reason="received")
    post_move(shop, beans, D(4), a1, a2, at=ago(20))
    post_move(shop, beans, D(6), a1, customer, at=ago(10), reason="sold")
    post_move(shop, beans, D(3), a1, lost, at=ago(3), reason="theft")
    shop.operator = "ann"
    post_move(shop, flour, D(3), supplier, a2, at=ago(12), unit_cost=D("0.5"), reason="received")
    shop.operator = "tester"
    assign_move(shop, plan_move(shop, beans, D(5), a1, customer))
    create_location(shop, "W2", "Second", "warehouse", cost_method="avco")
    post_move(shop, beans, D(2), supplier, get_location("W2/STOCK"), at=ago(5), unit_cost=D(3))
    return shop


def test_balance_lines_with_reserved_last_change_and_low_stock(ledger):
    lines = balance(ledger)
    # BEANS A-01: 24 - 4 - 6 - 3 = 11, 5 reserved; A-02: 4; W2/STOCK: 2; FLOUR 3 <= 5: low
    assert [(x.product_code, x.location_code, x.on_hand, x.reserved, x.available, x.uom, x.low) for x in lines] == [
        ("BEANS", "A-01", 11, 5, 6, "pc", False),
        ("BEANS", "A-02", 4, 0, 4, "pc", False),
        ("BEANS", "W2/STOCK", 2, 0, 2, "pc", False),
        ("FLOUR-500", "A-02", 3, 0, 3, "bag500g", True),
    ]
    assert lines[0].last_change == ago(3)  # the theft
    assert lines[1].last_change == ago(20)
    assert lines[3].last_change == ago(12)


def test_balance_filters_by_product_category_and_location_subtree(ledger):
    def keys(**given) -> list[tuple[str, str]]:
        return [(x.product_code, x.location_code) for x in balance(ledger, ReportFilter(**given))]

    assert keys(search="flo") == [("FLOUR-500", "A-02")]
    assert keys(search="beans tin") == [("BEANS", "A-01"), ("BEANS", "A-02"), ("BEANS", "W2/STOCK")]  # the name
    assert keys(search="15901234123454") == keys(search="beans")  # a case barcode
    assert keys(search="%") == []  # LIKE wildcards are plain characters
    assert keys(product="BEANS", location="WH/STOCK") == [("BEANS", "A-01"), ("BEANS", "A-02")]
    assert keys(category="DRY") == [("FLOUR-500", "A-02")]
    assert keys(location="A-02") == [("BEANS", "A-02"), ("FLOUR-500", "A-02")]
    assert keys(location="W2") == [("BEANS", "W2/STOCK")]
    with pytest.raises(NotFound):
        balance(ledger, ReportFilter(location="NOPE"))


def test_a_sold_out_low_stock_bin_still_shows(ledger):
    flour = get_product("FLOUR-500")
    post_move(ledger, flour, D(3), get_location("A-02"), get_location("CUSTOMER"))
    [line] = balance(ledger, ReportFilter(search="FLOUR"))
    assert (line.on_hand, line.low) == (0, True)


def test_transactions_in_a_time_span_with_filters(ledger):
    every = transactions(ledger)
    assert [(x.product_code, x.quantity, x.source, x.destination) for x in every] == [
        ("BEANS", 24, "SUPPLIER", "A-01"),
        ("BEANS", 4, "A-01", "A-02"),
        ("FLOUR-500", 3, "SUPPLIER", "A-02"),
        ("BEANS", 6, "A-01", "CUSTOMER"),
        ("BEANS", 2, "SUPPLIER", "W2/STOCK"),
        ("BEANS", 3, "A-01", "WH/LOST"),
    ]  # the reservation is not done: not a transaction
    span = transactions(ledger, since=ago(15), until=ago(4))
    assert [(x.product_code, x.quantity) for x in span] == [("FLOUR-500", 3), ("BEANS", 6), ("BEANS", 2)]
    assert [x.quantity for x in transactions(ledger, ReportFilter(location="A-02"))] == [4, 3]
    assert [x.quantity for x in transactions(ledger, reason="THEFT")] == [3]
    assert [x.product_code for x in transactions(ledger, operator="ann")] == ["FLOUR-500"]
    assert [x.quantity for x in transactions(ledger, ReportFilter(search="beans"), since=ago(15))] == [6, 2, 3]
    assert transactions(ledger, ReportFilter(category="dry"), reason="sold") == []


def test_stock_value_per_warehouse_with_totals_and_layers(ledger):
    lines = stock_value(ledger)
    # WH (fifo): BEANS 15 at 1 = 15, FLOUR 3 at 0.5 = 1.5 -> 16.5; W2 (avco): BEANS 2 at 3 = 6
    assert [(x.warehouse, x.method, x.product, x.quantity, x.value) for x in lines] == [
        ("W2", "avco", "BEANS", 2, 6),
        ("W2", "avco", "", None, 6),
        ("WH", "fifo", "BEANS", 15, 15),
        ("WH", "fifo", "FLOUR-500", 3, D("1.5")),
        ("WH", "fifo", "", None, D("16.5")),
    ]
    assert lines[-1].is_total and not lines[0].is_total
    layered = stock_value(ledger, warehouse="WH", by_layer=True)
    assert [(x.product, x.date.date() if x.date else None, x.quantity, x.unit_cost) for x in layered] == [
        ("BEANS", ago(40).date(), 15, 1),
        ("FLOUR-500", ago(12).date(), 3, D("0.5")),
        ("", None, None, None),
    ]


def test_coverage_days_is_stock_times_period_over_outflow():
    assert coverage_days(D(15), D(9), 14) == D("23.3")  # 15 x 14 / 9 = 23.33.. rounded down
    assert coverage_days(D(15), D(0), 14) is None  # nothing goes out: it lasts
    assert coverage_days(D(-2), D(4), 7) == 0


def test_coverage_counts_what_leaves_the_warehouse_not_internal_moves(ledger):
    # WH over 14 days: BEANS out 6 sold + 3 stolen = 9 (the A-01 -> A-02 move was internal and older);
    # on hand 15 -> 15 x 14 / 9 = 23.3 days. FLOUR: 3 on hand, nothing out.
    lines = coverage(ledger, days=14, warehouse="WH")
    assert [(x.product_code, x.on_hand, x.outflow, x.coverage) for x in lines] == [
        ("BEANS", 15, 9, D("23.3")),
        ("FLOUR-500", 3, 0, None),
    ]
    assert lines[0].daily_outflow == D(9) / 14
    # over 7 days only the theft: 15 x 7 / 3 = 35; all warehouses: 17 on hand -> 17 x 7 / 3 = 39.6
    assert [(x.coverage) for x in coverage(ledger, days=7, warehouse="WH")] == [D(35), None]
    assert coverage(ledger, days=7)[0].on_hand == 17 and coverage(ledger, days=7)[0].coverage == D("39.6")
    # 30 days still does not reach the receipt (day 40), and inflow is never outflow
    assert coverage(ledger, days=30, warehouse="WH")[0].outflow == 9


def test_coverage_highlights_products_under_a_number_of_days(ledger):
    lines = coverage(ledger, days=14, warehouse="WH", under=30)
    assert [(x.product_code, x.under) for x in lines] == [("BEANS", True), ("FLOUR-500", False)]
    assert [x.under for x in coverage(ledger, days=14, warehouse="WH", under=D("23.3"))] == [False, False]
    assert [x.product_code for x in coverage(ledger, days=14, filters=ReportFilter(category="dry"))] == ["FLOUR-500"]


def test_a_transfer_to_another_warehouse_is_not_outflow(ledger):
    beans = get_product("BEANS")
    post_move(ledger, beans, D(5), get_location("A-01"), get_location("W2/STOCK"), at=ago(1))
    # an internal transfer: WH still has 9 out over 14 days, now with 10 left -> 10 x 14 / 9 = 15.5 days
    [wh_beans, _] = coverage(ledger, days=14, warehouse="WH")
    assert (wh_beans.on_hand, wh_beans.outflow, wh_beans.coverage) == (10, 9, D("15.5"))
    assert coverage(ledger, days=14)[0].outflow == 9
    # a return to the supplier is outflow: 9 + 1 = 10 out, 9 left -> 9 x 14 / 10 = 12.6
    post_move(ledger, beans, D(1), get_location("A-01"), get_location("SUPPLIER"), at=ago(1), reason="return")
    assert coverage(ledger, days=14, warehouse="WH")[0].coverage == D("12.6")


def test_coverage_refuses_an_unknown_period_or_a_non_warehouse(ledger):
    with pytest.raises(InvalidValue, match="7, 14, 21, 30, 180, 365"):
        coverage(ledger, days=10)
    with pytest.raises(InvalidValue, match="not a warehouse"):
        coverage(ledger, warehouse="A-01")


def test_count_history_sums_gains_losses_and_their_value(ledger):
    beans, flour = get_product("BEANS"), get_product("FLOUR-500")
    first = start_session(ledger, get_location("A-01"))
    set_count(ledger, first, beans, D(9))  # 11 expected: 2 lost at 1.00
    confirm(ledger, first)
    second = start_session(ledger, get_location("A-02"))
    set_count(ledger, second, beans, D(5))  # 4 expected: 1 gained at the current cost 1.00
    set_count(ledger, second, flour, D(1))  # 3 expected: 2 lost at 0.50
    confirm(ledger, second)
    open_one = start_session(ledger, get_location("A-01"))  # a draft is not history
    history = count_history(ledger)
    assert open_one.id not in [x.session for x in history]
    assert [
        (x.session, x.location_code, x.state, x.lines, x.gained, x.lost, x.net, x.value_gained, x.value_lost, x.value)
        for x in history
    ] == [
        (second.id, "A-02", "confirmed", 2, 1, 2, -1, 1, 1, 0),
        (first.id, "A-01", "confirmed", 1, 0, 2, -2, 0, 2, -2),
    ]
    assert [x.session for x in count_history(ledger, ReportFilter(location="A-01"))] == [first.id]
    assert count_history(ledger, since=NOW + timedelta(days=1)) == []


def test_reports_read_an_odd_product_name_as_it_is(ledger):
    odd = create_product(ledger, "ODD_1", "[red]x[/] 100%", get_uom("pc"))
    post_move(ledger, odd, D(1), get_location("SUPPLIER"), get_location("A-01"))
    assert [x.product_name for x in balance(ledger, ReportFilter(search="100%"))] == ["[red]x[/] 100%"]
    assert [x.product_code for x in balance(ledger, ReportFilter(search="d_1"))] == ["ODD_1"]


def test_a_typed_span_takes_the_whole_last_day():
    start, end = parse_span("2026-03-01", "2026-03-31")
    assert end - start == timedelta(days=31, microseconds=-1)
    assert parse_span("", "2026-03-31T12:00")[1].hour == 12 and parse_span("", "") == (None, None)
    with pytest.raises(InvalidValue):
        parse_span("yesterday", "")
