"""Restocking as stories: order, send, receive over two days, over-receipt, extras, cancel, templates."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from store.catalog import create_product, get_product
from store.database import open_store
from store.errors import InvalidValue, NotFound
from store.locations import create_location, get_location
from store.models import Move, Product, SupplyOrderLine
from store.moves import assign_move, plan_move, post_move
from store.receiving import (
    NotOnOrder,
    ReceiptClosed,
    UnknownBarcode,
    get_receipt,
    last_received_product,
    open_delivery,
    open_receipt,
    open_receipts,
    put_away_location,
    receipt_lines,
    record_scan,
    set_received,
    start_receipt,
    undo,
    validate_receipt,
)
from store.scanned import Reading
from store.stock import on_hand
from store.supply import (
    OrderClosed,
    add_line,
    add_scanned,
    cancel_order,
    change_line,
    create_order,
    create_template,
    fill_from_low_stock,
    get_order,
    history,
    line_counts,
    order_from_template,
    order_lines,
    remove_line,
    send_order,
    template_from_order,
    validate_order,
)
from store.units import get_uom

D = Decimal
FLOUR, BEANS, BEANS_CASE = "4006381333931", "5901234123457", "15901234123454"
LAST_MONTH = datetime.now(UTC) - timedelta(days=30)


def scan(store, receipt, code, **kw):
    return record_scan(store, receipt, Reading(raw=code, code=code), **kw)


def line(store, receipt, code):
    return next(ln for ln in receipt_lines(store, receipt) if ln.product.code == code)


def moves_of(receipt):
    return [
        (m.product.code, m.quantity, m.from_location.code, m.to_location.code, m.unit_cost)
        for m in Move.select().where(Move.origin == receipt.origin).order_by(Move.id)
    ]


@pytest.fixture
def order(shop):
    """A sent order to Acme: 24 beans at 1.00 less 10 %, 10 bags of flour at 0.80."""
    placed = create_order(shop, "Acme", get_location("WH"))
    add_line(shop, placed, get_product("BEANS"), D(24), D("1.00"), D(10))
    add_line(shop, placed, get_product("FLOUR-500"), D(10), D("0.80"))
    return send_order(shop, placed)


def test_an_order_received_over_two_days_by_two_terminals(shop, order):
    assert order.state == "pending"
    first = open_receipt(shop, order)
    scan(shop, first, BEANS_CASE)  # a case of 12
    scan(shop, first, FLOUR, multiplier=D(4))
    assert (line(shop, first, "BEANS").received_now, line(shop, first, "FLOUR-500").received_now) == (12, 4)
    moves = validate_receipt(shop, first)
    assert len(moves) == 4
    assert moves_of(first) == [
        ("BEANS", 12, "SUPPLIER", "WH/IN", D("0.9")),
        ("BEANS", 12, "WH/IN", "WH/STOCK", D("0.9")),
        ("FLOUR-500", 4, "SUPPLIER", "WH/IN", D("0.8")),
        ("FLOUR-500", 4, "WH/IN", "WH/STOCK", D("0.8")),
    ]
    assert get_order(order.id).state == "partial"
    assert on_hand(shop, get_product("BEANS"), get_location("WH/STOCK")) == 12
    assert on_hand(shop, get_product("BEANS"), get_location("WH/IN")) == 0

    other = replace(shop, operator="sam", terminal="rf-2")  # the next day, another worker
    second = open_receipt(other, order)
    assert second.id != first.id
    beans = line(other, second, "BEANS")
    assert (beans.ordered, beans.received_before, beans.received_now) == (24, 12, 0)
    scan(other, second, BEANS_CASE)
    scan(other, second, FLOUR, multiplier=D(6))
    validate_receipt(other, second, get_location("A-01"))
    assert get_order(order.id).state == "received"
    assert on_hand(shop, get_product("FLOUR-500"), get_location("A-01")) == 6
    states = [(h.state, h.operator, h.terminal) for h in history(get_order(order.id))]
    assert states == [
        ("draft", "tester", "test-1"),
        ("validated", "tester", "test-1"),
        ("pending", "tester", "test-1"),
        ("partial", "tester", "test-1"),
        ("received", "sam", "rf-2"),
    ]
    with pytest.raises(OrderClosed, match="fully received"):
        open_receipt(shop, order)


def test_over_receipt_is_received_and_flagged(shop, order):
    receipt = open_receipt(shop, order)
    outcome = scan(shop, receipt, BEANS_CASE, multiplier=D(3))  # 36 of 24 ordered
    assert (outcome.line.received_now, outcome.line.over) == (36, 12)
    scan(shop, receipt, FLOUR, multiplier=D(10))
    validate_receipt(shop, receipt)
    assert get_order(order.id).state == "received"
    assert on_hand(shop, get_product("BEANS"), get_location("WH")) == 36


def test_two_receipts_at_once_the_later_one_is_over_receipt(shop, order):
    dock = start_receipt(shop, order)
    other = replace(shop, operator="sam", terminal="rf-2")  # one database, another worker
    door = start_receipt(other, order)  # a second delivery taken in at another door
    scan(shop, dock, BEANS_CASE, multiplier=D(2))
    scan(shop, dock, FLOUR, multiplier=D(10))
    scan(other, door, BEANS)
    validate_receipt(shop, dock)
    assert get_order(order.id).state == "received"
    assert line(other, door, "BEANS").over == 1  # still posted: the goods are here
    validate_receipt(other, door)
    assert on_hand(shop, get_product("BEANS"), get_location("WH")) == 25
    assert [h.state for h in history(order)][-1] == "received"


def test_a_product_not_on_the_order_is_asked_first(shop, order):
    odd = create_product(shop, "ODD", "Odd thing", get_uom("pc"), [("4000000000013", D(1))])
    supplier, a1 = get_location("SUPPLIER"), get_location("A-01")
    post_move(shop, odd, D(1), supplier, a1, at=LAST_MONTH, unit_cost=D("2.50"))
    receipt = open_receipt(shop, order)
    with pytest.raises(NotOnOrder, match="ODD is not on order #1 \\(Acme\\); receive it anyway"):
        scan(shop, receipt, "4000000000013")
    assert receipt_lines(shop, receipt)[-1].product.code != "ODD"  # nothing saved
    outcome = scan(shop, receipt, "4000000000013", allow_extra=True, multiplier=D(2))
    assert outcome.line.extra and outcome.line.unit_cost == D("2.5")  # the last cost it came in at
    validate_receipt(shop, receipt, direct=True)
    assert moves_of(receipt) == [("ODD", 2, "SUPPLIER", "WH/STOCK", D("2.5"))]
    assert get_order(order.id).state == order.state  # none of its lines came: not partly received


def test_unknown_barcodes_and_location_labels_are_refused_and_nothing_saved(shop, order):
    receipt = open_receipt(shop, order)
    with pytest.raises(UnknownBarcode, match="unknown barcode 4000000000006"):
        scan(shop, receipt, "4000000000006")
    with pytest.raises(InvalidValue, match="location label"):
        scan(shop, receipt, "LOC-A01")
    assert not list(receipt.records)
    with pytest.raises(InvalidValue, match="nothing received"):
        validate_receipt(shop, receipt)


def test_a_cancelled_order_refuses_receiving_but_keeps_what_came(shop, order):
    receipt = open_receipt(shop, order)
    scan(shop, receipt, BEANS)
    validate_receipt(shop, receipt)
    late = open_receipt(shop, order)
    scan(shop, late, BEANS)
    cancel_order(shop, order, note="supplier out of stock")
    for attempt in (lambda: scan(shop, late, BEANS), lambda: validate_receipt(shop, late),
                    lambda: open_receipt(shop, order), lambda: start_receipt(shop, order)):
        with pytest.raises(OrderClosed, match="order #1 \\(Acme\\) is cancelled: nothing can be received"):
            attempt()
    assert on_hand(shop, get_product("BEANS"), get_location("WH")) == 1
    assert [h.state for h in history(order)][-2:] == ["partial", "cancelled"]
    assert history(order)[-1].note == "supplier out of stock"
    with pytest.raises(OrderClosed, match="already cancelled"):
        cancel_order(shop, order)


def test_only_a_draft_order_can_be_edited(shop):
    draft = create_order(shop, "Acme", get_location("WH"))
    beans = get_product("BEANS")
    with pytest.raises(InvalidValue, match="has no lines"):
        validate_order(shop, draft)
    add_line(shop, draft, beans, D(5), D("1.10"))
    with pytest.raises(InvalidValue, match="already on order"):
        add_line(shop, draft, beans, D(5))
    change_line(shop, draft, beans, D(12), D("1.00"), D("2.5"))
    add_line(shop, draft, get_product("FLOUR-500"), D(3))
    remove_line(shop, draft, get_product("FLOUR-500"))
    [kept] = order_lines(draft)
    assert (kept.product.code, kept.quantity, kept.unit_cost, kept.discount_pct) == ("BEANS", 12, 1, D("2.5"))
    with pytest.raises(InvalidValue, match="0 decimals"):
        change_line(shop, draft, beans, D("1.5"))
    with pytest.raises(OrderClosed, match="is a draft: send it"):
        start_receipt(shop, draft)
    validate_order(shop, draft)
    for edit in (lambda: add_line(shop, draft, get_product("FLOUR-500"), D(1)),
                 lambda: change_line(shop, draft, beans, D(1)), lambda: remove_line(shop, draft, beans)):
        with pytest.raises(OrderClosed, match="is validated: only a draft can be changed"):
            edit()
    assert open_receipt(shop, draft).order_id == draft.id  # a validated order can be received
    with pytest.raises(OrderClosed, match="already sent"):
        send_order(shop, send_order(shop, draft))


def test_undo_and_set_and_resume_after_a_crash(shop, order, db_url):
    receipt = open_receipt(shop, order)
    scan(shop, receipt, BEANS_CASE)
    scan(shop, receipt, BEANS)
    undo(shop, receipt)  # the single tin
    assert line(shop, receipt, "BEANS").received_now == 12
    set_received(shop, receipt, get_product("FLOUR-500"), D(3), unit=get_uom("kg"))  # 6 bags of 500 g
    assert line(shop, receipt, "FLOUR-500").received_now == 6
    shop.close()
    again = open_store(db_url, operator="tester", terminal="test-1")  # as after a crash
    assert open_receipts() == [receipt]
    resumed = open_receipt(again, get_order(order.id))
    assert resumed.id == receipt.id
    undo(again, resumed)  # undoes the set, not the scan
    assert line(again, resumed, "FLOUR-500").received_now == 0
    assert line(again, resumed, "BEANS").received_now == 12
    validate_receipt(again, resumed)
    with pytest.raises(ReceiptClosed):
        scan(again, get_receipt(receipt.id), BEANS)


def test_set_acts_on_the_last_product_still_received_after_an_undo(shop, order):
    receipt = open_receipt(shop, order)
    scan(shop, receipt, BEANS)
    set_received(shop, receipt, get_product("FLOUR-500"), D(4))
    assert last_received_product(receipt, shop.terminal).code == "FLOUR-500"
    undo(shop, receipt)  # the set
    assert last_received_product(receipt, shop.terminal).code == "BEANS"
    undo(shop, receipt)
    assert last_received_product(receipt, shop.terminal) is None


def test_a_shelf_label_without_weight_is_refused_before_asking_about_the_order(shop, order):
    create_product(shop, "GOUDA", "Gouda by weight", get_uom("kg"), [("2302500000008", D(1))])
    receipt = open_receipt(shop, order)
    shelf_label = Reading(raw="2302500000008", code="2302500000008", weight_kg=D("0.000"))
    with pytest.raises(InvalidValue, match="the label of GOUDA gives no weight"):  # not NotOnOrder first
        record_scan(shop, receipt, shelf_label)
    outcome = record_scan(shop, receipt, shelf_label, multiplier=D("1.5"), allow_extra=True)  # typed, then yes
    assert outcome.line.received_now == D("1.5")


def test_a_delivery_without_an_order_at_a_typed_cost(shop):
    receipt = start_receipt(shop, warehouse=get_location("WH"), supplier="Farm")
    scan(shop, receipt, FLOUR, multiplier=D(5), unit_cost=D("0.70"))
    outcome = scan(shop, receipt, BEANS)  # no question without an order; no cost known
    assert not outcome.line.extra  # nothing is "not on the order" where there is no order
    assert not any(ln.extra for ln in receipt_lines(shop, receipt))
    validate_receipt(shop, receipt)
    assert moves_of(receipt) == [
        ("BEANS", 1, "SUPPLIER", "WH/IN", None),
        ("BEANS", 1, "WH/IN", "WH/STOCK", None),
        ("FLOUR-500", 5, "SUPPLIER", "WH/IN", D("0.7")),
        ("FLOUR-500", 5, "WH/IN", "WH/STOCK", D("0.7")),
    ]
    with pytest.raises(InvalidValue, match="into a warehouse"):
        start_receipt(shop, warehouse=get_location("A-01"))
    resumed = open_delivery(shop, get_location("WH"))  # the done one is not resumed: a new delivery
    assert resumed.id != receipt.id and open_delivery(shop, get_location("WH")).id == resumed.id


def test_goods_are_put_away_only_into_storage_of_the_receipt_warehouse(shop, order):
    receipt = open_receipt(shop, order)
    assert put_away_location(receipt, "LOC-A01").code == "A-01"  # a bin's label
    assert put_away_location(receipt, "A-02").code == "A-02"
    with pytest.raises(InvalidValue, match="CUSTOMER is not a storage location of warehouse WH"):
        put_away_location(receipt, "CUSTOMER")
    with pytest.raises(NotFound, match="no location 'LOC-Z-99'"):
        put_away_location(receipt, "LOC-Z-99")


def test_a_warehouse_without_input_receives_straight_to_storage(shop):
    create_location(shop, "SHOP", "Corner shop", "warehouse")
    get_location("SHOP/IN").delete_instance()
    receipt = start_receipt(shop, warehouse=get_location("SHOP"))
    scan(shop, receipt, BEANS)
    validate_receipt(shop, receipt)
    assert moves_of(receipt) == [("BEANS", 1, "SUPPLIER", "SHOP/STOCK", None)]
    other = start_receipt(shop, warehouse=get_location("SHOP"))
    scan(shop, other, BEANS)
    with pytest.raises(InvalidValue, match="A-01 is not a storage location of warehouse SHOP"):
        validate_receipt(shop, other, get_location("A-01"))


def test_scans_add_up_on_a_draft_line_costed_at_the_last_receipt(shop):
    beans, flour = get_product("BEANS"), get_product("FLOUR-500")
    post_move(shop, beans, D(1), get_location("SUPPLIER"), get_location("A-01"), unit_cost=D("1.05"))
    draft = create_order(shop, "Acme", get_location("WH"))
    add_scanned(shop, draft, beans, D(12))
    add_scanned(shop, draft, flour, D(1))
    change_line(shop, draft, flour, D(1), D("0.80"), D(5))
    add_scanned(shop, draft, beans, D(1))
    add_scanned(shop, draft, flour, D(2))  # the changed cost and discount stay
    assert [(ln.product.code, ln.quantity, ln.unit_cost, ln.discount_pct) for ln in order_lines(draft)] == [
        ("BEANS", 13, D("1.05"), 0), ("FLOUR-500", 3, D("0.80"), 5),
    ]
    with pytest.raises(InvalidValue, match="0 decimals"):
        add_scanned(shop, draft, beans, D("0.5"))
    with pytest.raises(OrderClosed, match="pending receipt: only a draft"):
        add_scanned(shop, send_order(shop, draft), beans, D(1))
    assert [ln.quantity for ln in order_lines(draft)] == [13, 3]
    empty = create_order(shop, "Bolt", get_location("WH"))
    assert line_counts([draft, empty]) == {draft.id: 2}


def test_fill_from_low_stock_orders_up_to_twice_the_threshold(shop):
    beans, flour = get_product("BEANS"), get_product("FLOUR-500")
    plenty = create_product(shop, "SALT", "Salt", get_uom("kg"), low_stock=D(2))
    oil = create_product(shop, "OIL", "Oil", get_uom("l"), low_stock=D("1.5"))
    Product.update(low_stock=D(10)).where(Product.id == beans.id).execute()
    Product.update(low_stock=D(4)).where(Product.id == flour.id).execute()
    supplier, a1, customer = get_location("SUPPLIER"), get_location("A-01"), get_location("CUSTOMER")
    post_move(shop, beans, D(15), supplier, a1, unit_cost=D("0.95"))
    assign_move(shop, plan_move(shop, beans, D(8), a1, customer))  # available 7: low
    post_move(shop, flour, D(4), supplier, a1)  # at the threshold: low, as the stock screen says
    post_move(shop, plenty, D("2.5"), supplier, a1)  # above: not low
    post_move(shop, oil, D("0.25"), supplier, get_location("WH/IN"))
    order = create_order(shop, "Acme", get_location("WH"))
    added = fill_from_low_stock(shop, order)
    assert {(ln.product.code, ln.quantity, ln.unit_cost) for ln in added} == {
        ("BEANS", 13, D("0.95")), ("FLOUR-500", 4, None), ("OIL", D("2.75"), None),
    }
    again = fill_from_low_stock(shop, order, target=D(50))  # products already on the order are left alone
    assert again == []
    other = create_order(shop, "Acme", get_location("WH"))
    assert {(ln.product.code, ln.quantity) for ln in fill_from_low_stock(shop, other, target=D(50))} == {
        ("BEANS", 43), ("FLOUR-500", 46), ("OIL", D("49.75")),
    }
    with pytest.raises(OrderClosed):
        fill_from_low_stock(shop, send_order(shop, order))


def test_an_order_from_a_template_costs_the_last_receipt(shop):
    beans, flour = get_product("BEANS"), get_product("FLOUR-500")
    post_move(shop, beans, D(1), get_location("SUPPLIER"), get_location("A-01"), unit_cost=D("1.05"))
    template = create_template(shop, "Weekly Acme", "Acme", [(beans, D(24)), (flour, D(20))])
    with pytest.raises(InvalidValue, match="already exists"):
        create_template(shop, "Weekly Acme", "Acme", [])
    with pytest.raises(InvalidValue, match="twice"):
        create_template(shop, "Twice", "Acme", [(beans, D(1)), (beans, D(2))])
    order = order_from_template(shop, template, get_location("WH"))
    assert (order.supplier, order.state, order.note) == ("Acme", "draft", "from template Weekly Acme")
    lines = SupplyOrderLine.select().where(SupplyOrderLine.order == order)
    assert {(ln.product.code, ln.quantity, ln.unit_cost) for ln in lines} == {
        ("BEANS", 24, D("1.05")), ("FLOUR-500", 20, None),
    }


def test_an_order_kept_as_a_template_orders_the_same_again(shop, order):
    with pytest.raises(InvalidValue, match="no lines to keep"):
        template_from_order(shop, create_order(shop, "Bolt", get_location("WH")), "Empty")
    template = template_from_order(shop, order, "Acme usual")  # a sent order is only read
    again = order_from_template(shop, template, get_location("WH"))
    assert {(ln.product.code, ln.quantity) for ln in order_lines(again)} == {("BEANS", 24), ("FLOUR-500", 10)}
    with pytest.raises(InvalidValue, match="already exists"):
        template_from_order(shop, again, "Acme usual")
