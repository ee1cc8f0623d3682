"""Counting as stories: scan, undo, set, conflicts, confirm, report."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from store.catalog import create_product, get_product, product_by_barcode
from store.count_confirm import (
    CountBlocked,
    confirm,
    counts_as_zero,
    over_tolerance,
    send_to_recount,
    variance,
)
from store.count_lines import count_state
from store.counting import (
    OutsideFilter,
    SessionClosed,
    last_counted_product,
    record_scan,
    resolve_unknown,
    set_count,
    start_session,
    undo,
)
from store.database import open_store
from store.errors import InvalidValue
from store.locations import get_location
from store.models import CountRecord, Move
from store.moves import assign_move, do_move, plan_move, post_move
from store.scanned import Reading
from store.stock import on_hand
from store.units import get_uom

D = Decimal
FLOUR, BEANS, BEANS_CASE = "4006381333931", "5901234123457", "15901234123454"
LAST_MONTH = datetime.now(UTC) - timedelta(days=30)


@pytest.fixture
def stocked(shop):
    """A-01 holds 20 bags of flour (10 kg) and 30 tins of beans."""
    supplier, a1 = get_location("SUPPLIER"), get_location("A-01")
    post_move(shop, get_product("FLOUR-500"), D(20), supplier, a1, at=LAST_MONTH, unit_cost=D("0.90"))
    post_move(shop, get_product("BEANS"), D(30), supplier, a1, at=LAST_MONTH, unit_cost=D("1.25"))
    return shop


def scan(store, session, code, **kw):
    return record_scan(store, session, Reading(raw=code, code=code), **kw)


def line(store, session, code):
    return next(ln for ln in count_state(store, session).lines if ln.product.code == code)


def moves_of(session):
    return list(Move.select().where(Move.origin == session.origin).order_by(Move.id))


def test_flour_counted_in_kg_posts_minus_three_bags(stocked):
    session = start_session(stocked, get_location("A-01"))
    flour = get_product("FLOUR-500")
    set_count(stocked, session, flour, D("8.5"), unit=get_uom("kg"))
    counted = line(stocked, session, "FLOUR-500")
    assert (counted.expected, counted.counted, counted.difference) == (20, 17, -3)
    scan(stocked, session, BEANS, multiplier=D(2))
    scan(stocked, session, BEANS_CASE, multiplier=D(2))  # 2 cases of 12
    assert line(stocked, session, "BEANS").counted == 26
    confirm(stocked, session)
    [loss_flour, loss_beans] = sorted(moves_of(session), key=lambda m: m.product.code)
    lost = get_location("WH/LOST")
    assert (loss_flour.product.code, loss_flour.quantity, loss_flour.to_location_id) == ("BEANS", 4, lost.id)
    assert (loss_beans.product.code, loss_beans.quantity, loss_beans.reason) == ("FLOUR-500", 3, "count")
    assert on_hand(stocked, flour, get_location("A-01")) == 17
    assert on_hand(stocked, flour, lost) == 3
    report = {row.product: row for row in variance(stocked, session)}
    assert (report["FLOUR-500"].expected, report["FLOUR-500"].difference, report["FLOUR-500"].value) == (
        20, -3, D("-2.7000"))
    assert report["BEANS"].value == D("-5.0000")


def test_confirming_twice_posts_nothing_twice_and_a_confirmed_count_is_read_only(stocked):
    session = start_session(stocked, get_location("A-01"))
    scan(stocked, session, FLOUR)
    confirm(stocked, session)
    posted = len(moves_of(session))
    with pytest.raises(SessionClosed):
        confirm(stocked, session)
    with pytest.raises(SessionClosed):
        scan(stocked, session, FLOUR)
    assert len(moves_of(session)) == posted == 1  # flour 20 -> 1; beans left alone (policy keep)


def test_empty_policy_zero_counts_uncounted_products_as_zero(stocked):
    session = start_session(stocked, get_location("A-01"), empty_policy="zero")
    set_count(stocked, session, get_product("FLOUR-500"), D(20))
    confirm(stocked, session)
    [move] = moves_of(session)
    assert (move.product.code, move.quantity) == ("BEANS", 30)
    assert on_hand(stocked, get_product("BEANS"), get_location("A-01")) == 0
    report = {row.product: (row.expected, row.counted, row.difference) for row in variance(stocked, session)}
    assert report == {"BEANS": (30, 0, -30), "FLOUR-500": (20, 20, 0)}


def test_the_lines_said_to_count_as_zero_are_the_ones_confirming_writes_off(stocked):
    kept = start_session(stocked, get_location("A-01"))
    state = count_state(stocked, kept)
    assert [ln for ln in state.lines if counts_as_zero(kept, ln)] == []  # policy keep: nothing written off
    session = start_session(stocked, get_location("A-01"), empty_policy="zero")
    set_count(stocked, session, get_product("FLOUR-500"), D(19))
    state = count_state(stocked, session)
    zeroed = [(ln.product.code, ln.expected_now) for ln in state.lines if counts_as_zero(session, ln)]
    assert zeroed == [("BEANS", 30)]
    assert not counts_as_zero(session, line(stocked, session, "FLOUR-500"))  # counted: its own difference
    confirm(stocked, session)
    assert sorted((m.product.code, m.quantity) for m in moves_of(session)) == [("BEANS", 30), ("FLOUR-500", 1)]


def test_gain_comes_from_lost_and_found(stocked):
    session = start_session(stocked, get_location("A-01"))
    set_count(stocked, session, get_product("BEANS"), D(31))
    [move] = confirm(stocked, session)
    assert (move.from_location.code, move.to_location.code, move.quantity) == ("WH/LOST", "A-01", 1)


def test_undo_is_a_new_record_and_any_scan_can_be_undone(stocked):
    session = start_session(stocked, get_location("A-01"))
    first = scan(stocked, session, BEANS).record
    scan(stocked, session, BEANS_CASE)
    undo(stocked, session)  # the case
    assert line(stocked, session, "BEANS").counted == 1
    undo(stocked, session, first)
    assert line(stocked, session, "BEANS").counted is None
    with pytest.raises(Exception, match="already undone"):
        undo(stocked, session, first)
    assert CountRecord.select().where(CountRecord.session == session).count() == 4


def test_set_acts_on_the_last_product_still_counted_after_an_undo(stocked):
    session = start_session(stocked, get_location("A-01"))
    scan(stocked, session, BEANS)
    scan(stocked, session, FLOUR)
    scan(replace(stocked, operator="ann", terminal="rf-2"), session, FLOUR)  # another terminal's scan is not this one's last product
    assert last_counted_product(session, stocked.terminal).code == "FLOUR-500"
    undo(stocked, session)  # the flour
    assert last_counted_product(session, stocked.terminal).code == "BEANS"
    undo(stocked, session)  # the beans: nothing of this terminal's is left to set
    assert last_counted_product(session, stocked.terminal) is None
    assert last_counted_product(session, "rf-2").code == "FLOUR-500"


def test_a_line_whose_every_scan_is_undone_is_gone_unless_the_stock_expects_it(stocked):
    session = start_session(stocked, get_location("A-02"))  # A-02 holds nothing
    scan(stocked, session, BEANS)
    undo(stocked, session)
    assert count_state(stocked, session).lines == []
    elsewhere = start_session(stocked, get_location("A-01"))  # holds beans and flour
    scan(stocked, elsewhere, BEANS)
    undo(stocked, elsewhere)
    beans = line(stocked, elsewhere, "BEANS")
    assert (beans.counted, beans.expected_now) == (None, 30)


def test_a_shelf_label_without_weight_is_refused_before_asking_about_the_filter(stocked):
    create_product(stocked, "GOUDA", "Gouda by weight", get_uom("kg"), [("2302500000008", D(1))])
    session = start_session(stocked, get_location("A-01"), category="canned")
    shelf_label = Reading(raw="2302500000008", code="2302500000008", weight_kg=D("0.000"))
    with pytest.raises(InvalidValue, match="the label of GOUDA gives no weight"):  # not OutsideFilter first
        record_scan(stocked, session, shelf_label)
    with pytest.raises(OutsideFilter):
        record_scan(stocked, session, shelf_label, multiplier=D(2))


def test_stock_moved_during_the_count_is_a_conflict(stocked):
    session = start_session(stocked, get_location("A-01"))
    beans, a1 = get_product("BEANS"), get_location("A-01")
    set_count(stocked, session, beans, D(28))  # 2 missing at the time of counting
    post_move(stocked, beans, D(5), a1, get_location("CUSTOMER"), reason="sold")
    conflicted = line(stocked, session, "BEANS")
    assert (conflicted.expected, conflicted.expected_now, len(conflicted.conflicts)) == (30, 25, 1)
    with pytest.raises(CountBlocked, match="BEANS at A-01"):
        confirm(stocked, session)
    assert confirm(stocked, session, "recount") == []
    assert line(stocked, session, "BEANS").needs_recount
    with pytest.raises(CountBlocked, match="recount"):
        confirm(stocked, session)
    set_count(stocked, session, beans, D(23))  # recounted after the sale: 2 still missing
    [move] = confirm(stocked, session)
    assert move.quantity == 2 and on_hand(stocked, beans, a1) == 23


def test_a_reservation_made_before_the_count_and_shipped_during_it_is_a_conflict(stocked):
    beans, a1 = get_product("BEANS"), get_location("A-01")
    reserved = assign_move(stocked, plan_move(stocked, beans, D(5), a1, get_location("CUSTOMER")))
    session = start_session(stocked, get_location("A-01"))
    set_count(stocked, session, beans, D(28))  # 2 missing at the time of counting
    do_move(stocked, reserved)  # the order ships after the shelf was counted
    conflicted = line(stocked, session, "BEANS")
    assert (conflicted.expected, conflicted.expected_now, len(conflicted.conflicts)) == (30, 25, 1)
    [move] = confirm(stocked, session, "keep")
    assert move.quantity == 3 and on_hand(stocked, beans, a1) == 28


def test_keep_count_takes_the_count_as_the_truth_now(stocked):
    session = start_session(stocked, get_location("A-01"))
    beans, a1 = get_product("BEANS"), get_location("A-01")
    set_count(stocked, session, beans, D(28))
    post_move(stocked, beans, D(5), a1, get_location("CUSTOMER"))
    [move] = confirm(stocked, session, "keep")
    assert move.quantity == 3 and on_hand(stocked, beans, a1) == 28


def test_unknown_barcode_is_parked_then_assigned(stocked):
    session = start_session(stocked, get_location("A-01"))
    outcome = scan(stocked, session, "4000000000006")
    assert outcome.kind == "unknown"
    with pytest.raises(CountBlocked, match="4000000000006"):
        confirm(stocked, session)
    resolve_unknown(stocked, session, outcome.record, get_product("BEANS"))
    assert product_by_barcode("4000000000006")[0].code == "BEANS"
    assert line(stocked, session, "BEANS").counted == 1
    confirm(stocked, session)


def test_location_scan_switches_sub_location_and_filter_asks(stocked):
    create_product(stocked, "SOAP", "Soap", get_uom("pc"), [("4000000000013", D(1))], category="cleaning")
    session = start_session(stocked, get_location("WH/STOCK"), children=True, category="dry")
    assert scan(stocked, session, "LOC-A02").kind == "location"
    with pytest.raises(OutsideFilter, match="SOAP"):
        scan(stocked, session, "4000000000013")
    counted = scan(stocked, session, "4000000000013", allow_outside=True)
    assert counted.location.code == "A-02" and counted.line_total == 1
    with pytest.raises(Exception, match="not part of this count"):
        scan(stocked, session, "CUSTOMER")


def test_several_terminals_add_up_and_show_who_counted(stocked, db_url):
    session = start_session(stocked, get_location("A-01"))
    scan(stocked, session, BEANS_CASE)
    other = open_store(db_url, operator="ana", terminal="rf-2")
    scan(other, session, BEANS)
    scan(other, session, BEANS)
    counted = line(stocked, session, "BEANS")
    assert counted.counted == 14 and counted.counters == {"tester": 12, "ana": 2}


def test_tolerance_sends_big_differences_to_recount(stocked):
    session = start_session(stocked, get_location("A-01"), tolerance_pct=D(10))
    set_count(stocked, session, get_product("BEANS"), D(29))  # 3 %: fine
    set_count(stocked, session, get_product("FLOUR-500"), D(10))  # 50 %: recount
    over = [ln for ln in count_state(stocked, session).lines if over_tolerance(session, ln)]
    assert [ln.product.code for ln in over] == ["FLOUR-500"]
    send_to_recount(stocked, session, over)
    assert line(stocked, session, "FLOUR-500").needs_recount
