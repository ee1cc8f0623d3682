"""Picking a list through the app with a serial scanner on a pty: bins, products, a short pick, done."""

from __future__ import annotations

import os
import tty
from decimal import Decimal

import pytest

from devices.settings import ScannerSettings
from store.catalog import get_product
from store.database import open_store
from store.locations import get_location
from store.models import Move, PickList
from store.pick_finish import finish
from store.pick_scans import record_pick_scan, short_pick
from store.picking import assign, create_pick_list, pick_state
from store.scanned import Reading
from tests.tui.conftest import press_alone, screen_text
from tests.tui.test_counting_ui import type_line, until
from tui.screens.home import HomeScreen
from tui.screens.pick_lists import PickListsScreen
from tui.screens.picking import PickScreen

BEANS, BEANS_CASE, FLOUR = "5901234123457", "15901234123454", "4006381333931"


@pytest.mark.parametrize("size", [(40, 16), (80, 24)])
async def test_pick_a_list_by_serial_scans_short_pick_and_finish(app_factory, stocked, tmp_path, size):
    # 20 beans, 5 of them reserved elsewhere; A-02: 4 beans, 3 bags of flour
    store = open_store(stocked, operator="office", terminal="rf-0")
    create_pick_list(store, "P-7", get_location("WH"), [(get_product("BEANS"), Decimal(17)),
                                                         (get_product("FLOUR-500"), Decimal(2))])  # fmt: skip
    master, slave = os.openpty()
    tty.setraw(master)
    link = tmp_path / "scanner"
    link.symlink_to(os.ttyname(slave))
    app = app_factory(scanner=ScannerSettings(port=str(link), baudrate=115200))
    bells = []
    app.bell = lambda: bells.append(screen_text(app))

    def scan(*codes: str) -> None:
        os.write(master, "".join(f"{code}\r\n" for code in codes).encode())

    try:
        async with app.run_test(size=size) as pilot:
            await until(pilot, lambda: app.scanner_status == "connected")
            await press_alone(pilot, "3")
            await until(pilot, lambda: isinstance(app.screen, PickListsScreen) and "P-7" in screen_text(app))
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, PickScreen) and "Go to A-01" in screen_text(app))
            screen = app.screen
            assert "15 pc" in screen_text(app)  # 5 of A-01's 20 are reserved for someone else
            scan(FLOUR)
            await until(pilot, lambda: len(bells) == 1)
            assert "Scan the bin first" in screen_text(app)
            scan("LOC-A01", FLOUR)
            await until(pilot, lambda: len(bells) == 2)
            assert "not to be picked" in screen_text(app)
            scan(BEANS_CASE, BEANS, BEANS, BEANS)
            await until(pilot, lambda: "Go to A-02" in screen_text(app))
            scan("LOC-A02", BEANS, BEANS, FLOUR)
            await until(pilot, lambda: "+1 FLOUR-500 = 1" in screen_text(app))
            text = screen_text(app)
            assert all(len(line) <= size[0] for line in text.splitlines())
            assert "Take A-02" in text and "FLOUR-500" in text
            await pilot.press("f3")  # the shelf held one bag too few
            await until(pilot, lambda: "Short pick FLOUR-500 at A-02" in screen_text(app))
            await pilot.press("enter")
            await until(pilot, lambda: "1 line short" in screen_text(app))
            await pilot.press("f6")
            await until(pilot, lambda: "1 line not picked in full" in screen_text(app))
            await pilot.press("enter")
            await until(pilot, lambda: app.screen is not screen and isinstance(app.screen, PickListsScreen))
            await until(pilot, lambda: "P-7-BO1" in screen_text(app))
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
    finally:
        os.close(master)
        os.close(slave)
    pick = PickList.get(PickList.reference == "P-7")
    assert pick.state == "done"
    moves = Move.select().where((Move.origin == pick.origin) & (Move.state == "done"))
    assert sorted((m.product.code, m.quantity, m.from_location.code, m.to_location.code, m.terminal) for m in moves) == [
        ("BEANS", 2, "A-02", "WH/OUT", "test-1"),
        ("BEANS", 15, "A-01", "WH/OUT", "test-1"),
        ("BEANS", 17, "WH/OUT", "CUSTOMER", "test-1"),
        ("FLOUR-500", 1, "A-02", "WH/OUT", "test-1"),
        ("FLOUR-500", 1, "WH/OUT", "CUSTOMER", "test-1"),
    ]
    [backorder] = PickList.select().where(PickList.backorder_of == pick)
    assert [(line.product.code, line.quantity) for line in backorder.lines] == [("FLOUR-500", 1)]


@pytest.mark.parametrize("size", [(20, 16), (40, 16)])
async def test_transfer_an_armful_by_scanning_source_products_and_destination(app_factory, stocked, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await press_alone(pilot, "5")
        await until(pilot, lambda: "Scan the bin" in screen_text(app))
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "first" in screen_text(app))  # no source yet: refused
        await type_line(pilot, "LOC-A02")
        await type_line(pilot, "3")
        await type_line(pilot, BEANS)
        await type_line(pilot, FLOUR)
        await until(pilot, lambda: "1 bag500g" in screen_text(app) and "3 pc" in screen_text(app))
        await type_line(pilot, "LOC-A01")
        await until(pilot, lambda: "Moved 2" in screen_text(app))
        assert all(len(line) <= size[0] for line in screen_text(app).splitlines())
    moves = Move.select().where(Move.reason == "transfer")
    assert sorted((m.product.code, m.quantity, m.from_location.code, m.to_location.code) for m in moves) == [
        ("BEANS", 3, "A-02", "A-01"), ("FLOUR-500", 1, "A-02", "A-01"),
    ]  # fmt: skip


def flat(app) -> str:
    """The screen's words on one line, however narrow it wraps them."""
    return " ".join(screen_text(app).replace("│", " ").split())


async def short_at_a02(app, pilot, pick: PickList) -> PickScreen:
    """Open the pick, go to A-02 and close its flour stop short with none of it taken."""
    app.push_screen(PickScreen(pick.id))
    await until(pilot, lambda: isinstance(app.screen, PickScreen) and "A-0" in screen_text(app))
    screen = app.screen
    await type_line(pilot, "LOC-A02")
    await until(pilot, lambda: "Take A-02" in screen_text(app) and "FLOUR-500" in screen_text(app))
    await pilot.press("f3")
    await until(pilot, lambda: "0 of 2" in screen_text(app))
    await pilot.press("enter")
    await until(pilot, lambda: "released" in screen_text(app))
    return screen


@pytest.mark.parametrize("size", [(20, 16), (40, 16)])
async def test_a_list_picked_but_short_says_so_and_what_done_does(app_factory, stocked, size):
    store = open_store(stocked, operator="office", terminal="rf-0")
    first = create_pick_list(store, "P-1", get_location("WH"), [(get_product("BEANS"), Decimal(1))])
    pick = create_pick_list(store, "P-1-BO1", get_location("WH"), [(get_product("BEANS"), Decimal(1)),
                                                                   (get_product("FLOUR-500"), Decimal(2))],
                            backorder_of=first)  # fmt: skip
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        app.push_screen(PickScreen(pick.id))
        await until(pilot, lambda: isinstance(app.screen, PickScreen) and "Go to A-01" in screen_text(app))
        await type_line(pilot, "LOC-A01")
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "Go to A-02" in screen_text(app))
        app.pop_screen()
        screen = await short_at_a02(app, pilot, pick)
        text = screen_text(app)
        assert "All picked" not in text
        assert "Nothing left to pick" in text and "1 line short:" in text and "F6 done, backorder" in text
        assert all(len(line) <= size[0] for line in text.splitlines())
        await pilot.press("f6")
        await until(pilot, lambda: "1 line not picked in full" in flat(app))
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is not screen)
    [backorder] = PickList.select().where(PickList.backorder_of == pick)
    assert [(line.product.code, line.quantity) for line in backorder.lines] == [("FLOUR-500", 2)]


@pytest.mark.parametrize("size", [(20, 16), (40, 16)])
async def test_a_list_with_nothing_picked_and_nothing_left_says_to_cancel_it(app_factory, stocked, size):
    store = open_store(stocked, operator="office", terminal="rf-0")
    pick = create_pick_list(store, "P-2", get_location("WH"), [(get_product("FLOUR-500"), Decimal(2))])
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await short_at_a02(app, pilot, pick)
        text = screen_text(app)
        assert "All picked" not in text and "none picked" in text and "F8 cancels the list" in text
        assert all(len(line) <= size[0] for line in text.splitlines())
        await pilot.press("f6")  # no question: finishing is refused outright
        await until(pilot, lambda: "nothing is picked on P-2" in flat(app))
        assert "not picked in full" not in screen_text(app)
    assert PickList.get_by_id(pick.id).state == "draft"


@pytest.mark.parametrize("size", [(20, 16), (40, 16)])
async def test_a_backorder_of_a_backorder_keeps_a_short_reference_and_the_customer_in_view(app_factory, stocked, size):
    store = open_store(stocked, operator="office", terminal="rf-0")
    beans = [(get_product("BEANS"), Decimal(3))]
    pick = create_pick_list(store, "P-1", get_location("WH"), beans, customer="Bob Lund")
    for _ in range(2):  # one bean picked, the rest short: finished with a backorder, twice
        assign(store, pick)
        record_pick_scan(store, pick, Reading(raw="LOC-A01", code="LOC-A01"))
        record_pick_scan(store, pick, Reading(raw=BEANS, code=BEANS))
        [stop] = [stop for stop in pick_state(pick).stops if stop.remaining > 0]
        short_pick(store, pick, stop.location, stop.product)
        pick = finish(store, pick).backorder
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        app.push_screen(PickListsScreen())
        await until(pilot, lambda: "P-1-BO2" in screen_text(app))
        [row] = [line for line in screen_text(app).splitlines() if "P-1-BO2" in line]
        assert "Bob Lund" in row
