"""Scans through the terminal on a job screen: Enter or Tab ends one, SO/SI brackets make one, nothing is lost."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from store.count_lines import count_state
from store.counting import get_session, start_session
from store.database import open_store
from store.locations import get_location
from tests.tui.conftest import screen_text
from tests.tui.test_counting_ui import BEANS, open_count, until
from tui.screens.counting import CountScreen
from tui.wedge import ScanInput


@pytest.fixture
def session_id(stocked) -> Iterator[int]:
    """A count of A-01 opened on another terminal (the store stays open while the app runs, as a terminal's would)."""
    store = open_store(stocked, operator="office", terminal="rf-0")
    yield start_session(store, get_location("A-01")).id


def counted(app, screen: CountScreen) -> dict[str, str]:
    state = count_state(app.store, get_session(screen.session_id))
    return {line.product.code: str(line.counted) for line in state.lines if line.counted is not None}


@pytest.mark.parametrize("size", [(20, 16), (40, 16), (80, 24)])
async def test_a_tab_ends_a_scan_and_the_focus_stays(app_factory, session_id, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        screen = await open_count(app, pilot, session_id)
        entry = screen.query_one(ScanInput)
        assert app.focused is entry
        await pilot.press(*BEANS, "tab", *BEANS, "tab")
        await until(pilot, lambda: "= 2 pc" in screen_text(app))
        assert app.focused is entry
        assert entry.value == ""
        assert counted(app, screen) == {"BEANS": "2"}


async def test_so_si_brackets_make_one_scan_without_a_terminator(app_factory, session_id):
    app = app_factory()
    async with app.run_test(size=(20, 16)) as pilot:
        screen = await open_count(app, pilot, session_id)
        entry = screen.query_one(ScanInput)
        await pilot.press(*"12")  # half-typed before the scan: not part of it
        await pilot.press("ctrl+n", *BEANS, "ctrl+o")  # what the terminal sends for 0x0E ... 0x0F
        await until(pilot, lambda: "= 1 pc" in screen_text(app))
        assert "\x0e" not in entry.value and "\x0f" not in entry.value
        assert entry.value == ""
        await pilot.press("ctrl+n", *BEANS, "ctrl+o", "enter")  # bracketed and ended: still one scan
        await until(pilot, lambda: "= 2 pc" in screen_text(app))
        await pilot.pause(0.1)
        assert counted(app, screen) == {"BEANS": "2"}
        assert app.focused is entry


async def test_a_scan_typed_while_the_lines_are_shown_is_not_lost(app_factory, session_id):
    app = app_factory()
    async with app.run_test(size=(20, 16)) as pilot:
        screen = await open_count(app, pilot, session_id)
        await pilot.press("f5")
        await pilot.pause()
        assert screen.has_class("-lines") and app.focused is not screen.query_one(ScanInput)
        await pilot.press(*BEANS, "enter")
        await until(pilot, lambda: "= 1 pc" in screen_text(app))
        assert not screen.has_class("-lines")
        assert app.focused is screen.query_one(ScanInput)


async def test_a_bracketed_scan_while_the_lines_are_shown_is_one_scan(app_factory, session_id):
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        screen = await open_count(app, pilot, session_id)
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("ctrl+n", *BEANS, "ctrl+o")
        await until(pilot, lambda: "= 1 pc" in screen_text(app))
        assert screen.query_one(ScanInput).value == ""
