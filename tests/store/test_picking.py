"""Picking as stories: assign reserves, scans take from bins, short picks backorder, done ships."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from store.catalog import create_product, get_product
from store.errors import InvalidValue
from store.locations import get_location
from store.models import Move, PickList, PickRecord
from store.moves import post_move
from store.pick_finish import finish
from store.pick_scans import WrongScan, pick_quantity, record_pick_scan, short_pick, undo_pick
from store.picking import (
    PickListClosed,
    assign,
    cancel_pick_list,
    create_pick_list,
    open_pick_lists,
    pick_state,
)
from store.scanned import Reading
from store.stock import available, on_hand, reserved
from store.units import get_uom

D = Decimal
BEANS, BEANS_CASE, FLOUR = "5901234123457", "15901234123454", "4006381333931"


def scan(code: str) -> Reading:
    return Reading(raw=code, code=code)


@pytest.fixture
def stocked(shop):
    """A-01 holds 20 beans, A-02 holds 10 beans and 6 bags of flour; WH forbids negative stock."""
    supplier = get_location("SUPPLIER")
    post_move(shop, get_product("BEANS"), D(20), supplier, get_location("A-01"))
    post_move(shop, get_product("BEANS"), D(10), supplier, get_location("A-02"))
    post_move(shop, get_product("FLOUR-500"), D(6), supplier, get_location("A-02"))
    return shop


def order(store, reference: str, **lines: int):
    return create_pick_list(
        store, reference, get_location("WH"), [(get_product(code.replace("_", "-")), D(q)) for code, q in lines.items()]
    )


def test_assign_reserves_from_bins_in_code_order_and_reports_what_is_missing(stocked):
    pick = order(stocked, "P-1", BEANS=25, FLOUR_500=8)
    shortages = assign(stocked, pick)
    assert [(s.product.code, s.missing) for s in shortages] == [("FLOUR-500", 2)]
    assert str(shortages[0]) == "2 bag500g of FLOUR-500 not in stock"
    beans = get_product("BEANS")
    assert reserved(stocked, beans, get_location("A-01")) == 20
    assert reserved(stocked, beans, get_location("A-02")) == 5
    assert available(stocked, beans, get_location("WH/STOCK")) == 5
    state = pick_state(pick)
    assert [(s.location.code, s.product.code, s.reserved) for s in state.stops] == [
        ("A-01", "BEANS", 20), ("A-02", "BEANS", 5), ("A-02", "FLOUR-500", 6),
    ]  # fmt: skip
    assert assign(stocked, pick) == shortages  # assigning again reserves nothing twice
    assert reserved(stocked, beans, get_location("WH/STOCK")) == 25
    # stock held at WH/STOCK itself is the picking face: reserved before any bin
    post_move(stocked, get_product("FLOUR-500"), D(3), get_location("SUPPLIER"), get_location("WH/STOCK"))
    assert assign(stocked, pick) == []
    assert pick_state(pick).stops[0].location.code == "A-01"  # walking order is by code
    assert reserved(stocked, get_product("FLOUR-500"), get_location("WH/STOCK"), children=False) == 2


def test_two_pick_lists_competing_for_the_last_units_exactly_one_gets_them(stocked, db_url):
    first, second = order(stocked, "P-1", FLOUR_500=6), order(stocked, "P-2", FLOUR_500=6)
    barrier = threading.Barrier(2)
    results: dict[str, list] = {}

    def run(pick: PickList) -> None:
        barrier.wait()
        try:
            results[pick.reference] = assign(stocked, pick)
        finally:
            stocked.close()  # this thread's connection

    threads = [threading.Thread(target=run, args=(pick,)) for pick in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    missing = sorted(sum((s.missing for s in shortages), D(0)) for shortages in results.values())
    assert missing == [0, 6]
    assert reserved(stocked, get_product("FLOUR-500"), get_location("A-02")) == 6
    assert available(stocked, get_product("FLOUR-500"), get_location("A-02")) == 0


def test_picking_walks_bins_refuses_wrong_scans_and_finishing_ships_and_backorders(stocked):
    pick = order(stocked, "P-1", BEANS=14, FLOUR_500=4)
    assign(stocked, pick)
    with pytest.raises(WrongScan, match="Scan the bin first; go to A-01"):
        record_pick_scan(stocked, pick, scan(BEANS))
    with pytest.raises(WrongScan, match="Nothing to pick at WH/OUT; go to A-01"):
        record_pick_scan(stocked, pick, scan("WH/OUT"))
    assert record_pick_scan(stocked, pick, scan("LOC-A01")).kind == "location"
    with pytest.raises(WrongScan, match="FLOUR-500 is not to be picked at A-01; go to A-02"):
        record_pick_scan(stocked, pick, scan(FLOUR))
    outcome = record_pick_scan(stocked, pick, scan(BEANS_CASE))  # a case of 12
    assert (outcome.added, outcome.stop.picked, outcome.stop.remaining) == (12, 12, 2)
    with pytest.raises(WrongScan, match="Only 2 pc of BEANS left to pick at A-01; 3 scanned"):
        record_pick_scan(stocked, pick, scan(BEANS), multiplier=D(3))
    record_pick_scan(stocked, pick, scan(BEANS))
    assert undo_pick(stocked, pick).quantity == 1
    pick_quantity(stocked, pick, get_product("BEANS"), D(2))
    record_pick_scan(stocked, pick, scan("A-02"))
    record_pick_scan(stocked, pick, scan(FLOUR), multiplier=D(3))  # the shelf holds only 3 of the 4
    assert short_pick(stocked, pick, get_location("A-02"), get_product("FLOUR-500")) == 1
    flour = get_product("FLOUR-500")
    assert reserved(stocked, flour, get_location("A-02")) == 3  # the released bag is free again
    assert available(stocked, flour, get_location("A-02")) == 3
    state = pick_state(pick)
    assert state.next_stop is None and not state.complete
    assert [r.kind for r in PickRecord.select().where(PickRecord.pick_list == pick).order_by(PickRecord.id)] == [
        "location", "pick", "pick", "undo", "pick", "location", "pick", "short",
    ]  # fmt: skip

    result = finish(stocked, pick)
    assert result.pick_list.state == "done"
    assert sorted((m.product.code, m.quantity, m.from_location.code, m.to_location.code) for m in result.moves) == [
        ("BEANS", 14, "A-01", "WH/OUT"), ("BEANS", 14, "WH/OUT", "CUSTOMER"),
        ("FLOUR-500", 3, "A-02", "WH/OUT"), ("FLOUR-500", 3, "WH/OUT", "CUSTOMER"),
    ]  # fmt: skip
    assert all(m.state == "done" and m.origin == pick.origin for m in result.moves)
    assert on_hand(stocked, get_product("BEANS"), get_location("A-01")) == 6
    assert on_hand(stocked, flour, get_location("WH/OUT")) == 0
    assert reserved(stocked, get_product("BEANS"), get_location("WH")) == 0
    backorder = result.backorder
    assert backorder.reference == "P-1-BO1" and backorder.backorder_of_id == pick.id
    assert [(line.product.code, line.quantity) for line in backorder.lines] == [("FLOUR-500", 1)]
    assert open_pick_lists() == [backorder]
    assert assign(stocked, backorder) == []  # the released bag may be picked by the backorder
    with pytest.raises(PickListClosed, match="P-1 is done"):
        record_pick_scan(stocked, pick, scan("A-01"))


def test_a_stop_closed_short_is_not_reserved_again(stocked):
    pick = order(stocked, "P-1", BEANS=25)
    assign(stocked, pick)
    record_pick_scan(stocked, pick, scan("A-02"))
    short_pick(stocked, pick, get_location("A-02"), get_product("BEANS"))  # nothing there after all
    assert [(s.product.code, s.missing) for s in assign(stocked, pick)] == [("BEANS", 5)]
    assert reserved(stocked, get_product("BEANS"), get_location("A-02")) == 0
    with pytest.raises(InvalidValue, match="nothing is picked"):
        finish(stocked, pick)


def test_cancelling_an_unfinished_pick_list_releases_its_reservations(stocked):
    pick = order(stocked, "P-1", BEANS=25)
    assign(stocked, pick)
    record_pick_scan(stocked, pick, scan("A-01"))
    record_pick_scan(stocked, pick, scan(BEANS))
    assert cancel_pick_list(stocked, pick).state == "cancelled"
    assert reserved(stocked, get_product("BEANS"), get_location("WH")) == 0
    assert available(stocked, get_product("BEANS"), get_location("WH")) == 30
    assert Move.select().where((Move.origin == pick.origin) & (Move.state == "done")).count() == 0
    with pytest.raises(PickListClosed):
        assign(stocked, pick)


def test_pick_lists_refuse_bad_lines(stocked):
    with pytest.raises(InvalidValue, match="not a warehouse"):
        create_pick_list(stocked, "P-1", get_location("A-01"), [(get_product("BEANS"), D(1))])
    beans = get_product("BEANS")
    with pytest.raises(InvalidValue, match="BEANS is twice on pick list P-1"):
        create_pick_list(stocked, "P-1", get_location("WH"), [(beans, D(1)), (beans, D(2))])
    order(stocked, "P-1", BEANS=1)
    with pytest.raises(InvalidValue, match="already exists"):
        order(stocked, "P-1", BEANS=1)
    with pytest.raises(InvalidValue, match="decimals"):
        order(stocked, "P-4", BEANS=D("1.5"))


def test_a_weighed_piece_is_taken_whole_past_what_the_stop_asks(shop):
    gouda = create_product(shop, "GOUDA", "Gouda by weight", get_uom("kg"), [("2302500000008", D(1))])
    a1 = get_location("A-01")
    post_move(shop, gouda, D("2.500"), get_location("SUPPLIER"), a1)
    pick = create_pick_list(shop, "P-9", get_location("WH"), [(gouda, D(2))])
    assign(shop, pick)
    record_pick_scan(shop, pick, scan("LOC-A01"))

    def piece(kg: str) -> Reading:
        return Reading(raw="a scale label", code="2302500000008", weight_kg=D(kg))

    record_pick_scan(shop, pick, piece("1.234"))
    outcome = record_pick_scan(shop, pick, piece("0.900"))  # 0.766 kg was left: the piece is taken whole
    assert (outcome.stop.picked, outcome.stop.remaining, outcome.stop.over) == (D("2.134"), 0, D("0.134"))
    with pytest.raises(WrongScan, match="GOUDA: nothing more to pick"):
        record_pick_scan(shop, pick, piece("0.500"))  # the stop asks for nothing more
    with pytest.raises(WrongScan, match="GOUDA: nothing more to pick"):
        pick_quantity(shop, pick, gouda, D("0.1"))
    result = finish(shop, pick)
    assert result.backorder is None
    assert on_hand(shop, gouda, a1) == D("0.366")
    assert sorted((m.from_location.code, m.to_location.code, m.quantity) for m in result.moves) == [
        ("A-01", "WH/OUT", D("0.134")), ("A-01", "WH/OUT", D(2)), ("WH/OUT", "CUSTOMER", D("2.134")),
    ]  # fmt: skip


def test_a_typed_quantity_past_what_the_stop_asks_is_refused(shop):
    gouda = create_product(shop, "GOUDA", "Gouda by weight", get_uom("kg"), [("2302500000008", D(1))])
    post_move(shop, gouda, D("2.500"), get_location("SUPPLIER"), get_location("A-01"))
    pick = create_pick_list(shop, "P-9", get_location("WH"), [(gouda, D(2))])
    assign(shop, pick)
    record_pick_scan(shop, pick, scan("LOC-A01"))
    with pytest.raises(WrongScan, match="Only 2.000 kg of GOUDA left to pick at A-01; 2.100 scanned"):
        record_pick_scan(shop, pick, scan("2302500000008"), multiplier=D("2.1"))


def test_a_weight_label_on_a_product_kept_in_pieces_takes_no_more_than_is_left(stocked):
    pick = order(stocked, "P-8", BEANS=2)
    assign(stocked, pick)
    record_pick_scan(stocked, pick, scan("LOC-A01"))
    label = Reading(raw="a weighed tin", code=BEANS, weight_kg=D("0.400"))  # a piece: one tin, whatever it weighs
    assert record_pick_scan(stocked, pick, label).added == 1
    with pytest.raises(WrongScan, match="Only 1 pc of BEANS left to pick at A-01; 3 scanned"):
        record_pick_scan(stocked, pick, label, multiplier=D(3))


def test_a_scan_leaves_its_line_counted_and_an_over_picked_weighed_line_is_complete(stocked):
    # the QA story: a weighed line over-picked, then the last line scanned; finishing backorders nothing
    gouda = create_product(stocked, "GOUDA", "Gouda by weight", get_uom("kg"), [("2302500000008", D(1))])
    post_move(stocked, gouda, D("2.500"), get_location("SUPPLIER"), get_location("A-01"))
    pick = create_pick_list(stocked, "P-1", get_location("WH"), [(gouda, D("1.250")), (get_product("BEANS"), D(1))])
    assign(stocked, pick)
    record_pick_scan(stocked, pick, scan("LOC-A01"))
    for kg in ("0.500", "1.250"):
        outcome = record_pick_scan(stocked, pick, Reading(raw="a scale label", code="2302500000008", weight_kg=D(kg)))
    assert outcome.stop.over == D("0.500")
    assert [(line.line.product.code, line.to_backorder) for line in outcome.state.backorder_lines] == [("BEANS", 1)]
    outcome = record_pick_scan(stocked, pick, scan(BEANS))
    assert [line.picked for line in outcome.state.lines] == [D("1.750"), 1]  # as the screen shows it
    assert outcome.state.complete and outcome.state.backorder_lines == []
    assert pick_state(pick).complete
    result = finish(stocked, pick)
    assert result.backorder is None
    shipped = [m for m in result.moves if m.to_location.code == "CUSTOMER"]
    assert sorted((m.product.code, m.quantity) for m in shipped) == [("BEANS", 1), ("GOUDA", D("1.750"))]


def test_a_backorder_of_a_backorder_is_numbered_on_from_the_original_list(stocked):
    pick = order(stocked, "P-1", BEANS=3, FLOUR_500=4)
    assign(stocked, pick)

    def finish_short(pick: PickList) -> PickList:
        """Pick one bean at A-01, close every stop short, finish: the backorder."""
        assign(stocked, pick)
        record_pick_scan(stocked, pick, scan("A-01"))
        record_pick_scan(stocked, pick, scan(BEANS))
        for stop in pick_state(pick).stops:
            if stop.remaining > 0:
                short_pick(stocked, pick, stop.location, stop.product)
        return finish(stocked, pick).backorder

    first = finish_short(pick)
    second = finish_short(first)
    assert (first.reference, second.reference) == ("P-1-BO1", "P-1-BO2")
    assert second.backorder_of_id == first.id and first.backorder_of_id == pick.id  # the chain stays linked
    order(stocked, "P-1-BO3", BEANS=1)  # a list imported under the next name: skipped, not clashed with
    assert finish_short(second).reference == "P-1-BO4"
    # a list named like a backorder but made by hand is an original: its backorders number on from it
    assert finish_short(order(stocked, "P-2-BO1", BEANS=3)).reference == "P-2-BO1-BO1"
