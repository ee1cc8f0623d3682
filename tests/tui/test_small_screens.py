"""The job screens at 20x16, 40x16 and 80x24: what the job needs now is in view without scrolling.

Each screen is driven to a state with a scan done, a quantity being typed and then an error, and the test
asserts that the location, the product, the typed quantity, the last scan's result or error and the running
count are all drawn inside the screen; the lines are one key (F5) away on small screens and in view from 80x24.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from textual.app import App

from store.catalog import get_product
from store.counting import start_session
from store.database import open_store
from store.locations import get_location
from store.picking import create_pick_list
from store.receiving import open_receipt
from tests.tui.conftest import screen_text
from tests.tui.test_counting_ui import BEANS, open_count, type_line, until
from tests.tui.test_receiving_ui import place_order
from tui.screens.home import JOBS
from tui.screens.picking import PickScreen
from tui.screens.receiving import ReceivingScreen

SIZES = [(20, 16), (40, 16), (80, 24)]
ESSENTIAL_WIDGETS = ("#where", "#last", "#pending", "#entry")


def assert_in_view(app: App, size: tuple[int, int], *texts: str) -> None:
    """Every text is drawn, and the job's own widgets lie wholly inside the screen (nothing to scroll to)."""
    shown = screen_text(app)
    lines = shown.splitlines()
    assert len(lines) <= size[1] and all(len(line) <= size[0] for line in lines)
    for text in texts:
        assert text in shown, f"{text!r} is not on the {size[0]}x{size[1]} screen:\n{shown}"
    screen = app.screen
    for selector in ESSENTIAL_WIDGETS:
        widget = screen.query_one(selector)
        region = widget.region
        assert region.height > 0 and screen.region.contains_region(region), f"{selector} is off the screen"


async def lines_one_key_away(pilot, size: tuple[int, int], *row: str) -> None:
    """From 80x24 the lines are in view already; smaller, F5 shows them and F5 again goes back to the scan."""
    app = pilot.app
    if size[0] >= 80 and size[1] >= 24:
        assert all(text in screen_text(app) for text in row)
        return
    assert not all(text in screen_text(app) for text in row)
    await pilot.press("f5")
    await until(pilot, lambda: all(text in screen_text(app) for text in row))
    await pilot.press("f5")
    await until(pilot, lambda: app.focused is app.screen.query_one("#entry"))


@pytest.fixture
def office(stocked):
    """The back office's own connection, open while the app runs."""
    store = open_store(stocked, operator="office", terminal="rf-0")
    yield store


@pytest.mark.parametrize("size", SIZES)
async def test_counting_essentials(app_factory, office, size):
    session = start_session(office, get_location("A-01"))
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await open_count(app, pilot, session.id)
        await type_line(pilot, "3")
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "= 3 pc" in screen_text(app))
        await pilot.press(*"12")  # the quantity being typed for the next scan
        await pilot.pause()
        assert_in_view(app, size, "A-01", "1/1", "BEANS", "+3 = 3 pc", "12")
        await pilot.press("enter")
        await until(pilot, lambda: "qty 12" in screen_text(app))
        assert_in_view(app, size, "qty 12")
        await type_line(pilot, "NO-SUCH-1")
        await until(pilot, lambda: "Unknown barcode" in screen_text(app))
        assert_in_view(app, size, "A-01", "1/1", "Unknown barcode", "NO-SUCH-1", "F9")
        await lines_one_key_away(pilot, size, "Counted", "BEANS")


@pytest.mark.parametrize("size", SIZES)
async def test_receiving_essentials(app_factory, stocked, size):
    store, order = place_order(stocked)
    receipt = open_receipt(store, order)
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        app.push_screen(ReceivingScreen(receipt.id))
        await until(pilot, lambda: isinstance(app.screen, ReceivingScreen) and app.screen.receipt is not None)
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "= 1 / 24 pc" in screen_text(app))
        await pilot.press(*"12")
        await pilot.pause()
        assert_in_view(app, size, "Acme", "0/2", "BEANS", "+1 = 1 / 24 pc", "12")
        await pilot.press("enter")
        await type_line(pilot, "NO-SUCH-1")
        await until(pilot, lambda: "NO-SUCH-1" in screen_text(app))
        assert_in_view(app, size, "Acme", "0/2", "unknown barcode", "nothing", "received")
        await lines_one_key_away(pilot, size, "Now", "FLOUR-500")


@pytest.mark.parametrize("size", SIZES)
async def test_picking_essentials(app_factory, office, size):
    pick = create_pick_list(office, "P-7", get_location("WH"), [(get_product("BEANS"), Decimal(17)),
                                                                (get_product("FLOUR-500"), Decimal(2))])
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        app.push_screen(PickScreen(pick.id))
        await until(pilot, lambda: "Go to A-01" in screen_text(app))
        assert_in_view(app, size, "P-7", "0/3", "Go to A-01", "BEANS", "15 pc")
        await type_line(pilot, "LOC-A01")
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "+1 BEANS = 1" in screen_text(app))
        await pilot.press(*"12")
        await pilot.pause()
        assert_in_view(app, size, "Take A-01", "BEANS", "14 pc", "picked 1", "+1 BEANS = 1", "12")
        await pilot.press("enter")
        await type_line(pilot, "NO-SUCH-1")
        await until(pilot, lambda: "NO-SUCH-1" in screen_text(app))
        assert_in_view(app, size, "Take A-01", "14 pc", "nknown", "NO-SUCH-1")
        await lines_one_key_away(pilot, size, "A-02", "FLOUR-500")


@pytest.mark.parametrize("size", [*SIZES, (120, 40)])
async def test_home_shows_every_job(app_factory, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        text = screen_text(app)
        labels = [f"{job.key} {job.short}" if size[0] < 40 else f"{job.key}  {job.long}" for job in JOBS]
        assert [label for label in labels if label not in text] == []
        assert all(len(line) <= size[0] for line in text.splitlines())
