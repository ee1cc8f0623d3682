"""Entering a pick list by hand: the proposed reference, the warehouse, and what each scan adds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.catalog import create_product, get_product
from store.errors import InvalidValue, NotFound
from store.locations import create_location, get_location
from store.pick_entry import PickDraft, next_pick_reference, pick_warehouse, scanned_line
from store.picking import create_pick_list
from store.scanned import Reading
from store.units import get_uom

D = Decimal
BEANS, BEANS_CASE, FLOUR = "5901234123457", "15901234123454", "4006381333931"


def scan(code: str) -> Reading:
    return Reading(raw=code, code=code)


def test_the_proposed_reference_follows_the_highest_numbered_one(shop):
    assert next_pick_reference() == "P-1"
    beans = get_product("BEANS")
    for reference in ("P-9", "P-10-BO1", "SO-77", "P-x"):
        create_pick_list(shop, reference, get_location("WH"), [(beans, D(1))])
    assert next_pick_reference() == "P-10"


def test_the_warehouse_is_the_only_one_or_the_one_named(shop):
    assert pick_warehouse("").code == "WH"
    create_location(shop, "WH2", "Second", "warehouse")
    with pytest.raises(InvalidValue, match="say which warehouse: WH, WH2"):
        pick_warehouse(" ")
    assert pick_warehouse(" WH2 ").code == "WH2"
    with pytest.raises(NotFound, match="no warehouse 'A-01': WH, WH2"):
        pick_warehouse("A-01")


def test_a_scan_is_a_line_of_its_package_times_what_was_typed_before_it(shop):
    beans = get_product("BEANS")
    assert scanned_line(scan(BEANS)) == (beans, 1)
    assert scanned_line(scan(BEANS_CASE), D(2)) == (beans, 24)
    assert scanned_line(scan("FLOUR-500"), D(3)) == (get_product("FLOUR-500"), 3)  # a typed product code
    assert scanned_line(Reading(raw="x", code=BEANS_CASE, count=D(2))) == (beans, 24)


def test_a_scan_that_no_pick_list_may_hold_is_refused(shop):
    with pytest.raises(NotFound, match="Unknown barcode 4000000000000"):
        scanned_line(scan("4000000000000"))
    with pytest.raises(InvalidValue, match="decimals"):
        scanned_line(scan(BEANS), D("0.5"))
    create_product(shop, "BAGS", "Carrier bags", get_uom("pc"), stock_keeping=False)
    with pytest.raises(InvalidValue, match="BAGS is not stock-kept"):
        scanned_line(scan("BAGS"))


def test_a_draft_adds_repeated_scans_up_and_removes_its_last_line(shop):
    beans, flour = get_product("BEANS"), get_product("FLOUR-500")
    draft = PickDraft()
    assert draft.remove_last() is None
    assert draft.add(beans, D(12)) == 12
    assert draft.add(flour, D(1)) == 1
    assert draft.add(beans, D(1)) == 13
    assert draft.lines == [(beans, 13), (flour, 1)]
    assert draft.remove_last() == (flour, 1)
    assert draft.lines == [(beans, 13)]
