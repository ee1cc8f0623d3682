"""Scans on the home screen: a wedge scanner's burst is a scan, a person's single key opens a job."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.tui.conftest import keys_told, press_alone, screen_text, settle, type_burst
from tui.screens.home import HomeScreen
from tui.screens.stock import StockScreen
from tui.screens.transfer import TransferScreen

BEANS = "5901234123457"  # starts with 5: the transfer job's key


def assert_looked_up(app, text: str) -> None:
    """The stock screen, opened straight from home, searching for ``text``: no job was opened on the way."""
    assert [type(screen) for screen in app.screen_stack][-2:] == [HomeScreen, StockScreen]
    assert app.screen.query_one("#stock-search", Input).value == text


@pytest.mark.parametrize("size", [(20, 16), (40, 16), (80, 24)])
async def test_a_wedge_scan_ended_by_enter_looks_the_product_up(app_factory, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await type_burst(pilot, *BEANS, "enter")
        await settle(pilot)
        assert_looked_up(app, BEANS)
        assert "BEANS" in screen_text(app) and "FLOUR" not in screen_text(app)


@pytest.mark.parametrize("size", [(20, 16), (40, 16)])
async def test_a_bin_label_scanned_on_home_lists_what_the_bin_holds(app_factory, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await type_burst(pilot, *"LOC-A02", "enter")
        await settle(pilot)
        assert_looked_up(app, "LOC-A02")
        text = screen_text(app)
        assert "at A-02" in text and "BEANS" in text and "FLOUR-500" in text and "A-01" not in text


@pytest.mark.parametrize(
    "keys", [(*BEANS, "tab"), ("ctrl+n", *BEANS, "ctrl+o"), tuple(BEANS)], ids=["tab", "so-si", "no-suffix"]
)
async def test_a_scan_ended_by_tab_bracketed_or_by_going_quiet(app_factory, keys):
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        await type_burst(pilot, *keys)
        await keys_told(pilot)
        await settle(pilot)
        assert_looked_up(app, BEANS)


async def test_a_bracketed_scan_waits_for_its_end_however_slow(app_factory):
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        await type_burst(pilot, "ctrl+n", "5")
        await pilot.pause(0.3)  # several quiet gaps: a bracketed scan is not a key
        assert type(app.screen) is HomeScreen and app.screen.holding_keys
        await type_burst(pilot, *BEANS[1:], "ctrl+o")
        await settle(pilot)
        assert_looked_up(app, BEANS)


async def test_a_refused_scan_is_said_and_opens_nothing(app_factory):
    app = app_factory()
    async with app.run_test(size=(40, 16), notifications=True) as pilot:
        await type_burst(pilot, *"5901234123458", "enter")
        await settle(pilot)
        assert type(app.screen) is HomeScreen
        assert any("check digit" in str(n.message) and "5901234123458" in str(n.message) for n in app._notifications)


async def test_a_single_key_still_opens_its_job_and_enter_the_highlighted_one(app_factory):
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        await press_alone(pilot, "5")
        assert type(app.screen) is TransferScreen
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")  # nothing held: Enter is the list's
        await settle(pilot)
        assert type(app.screen) is StockScreen and app.screen.query_one("#stock-search", Input).value == ""


async def test_a_key_and_enter_at_once_is_still_a_persons_key(app_factory):
    app = app_factory()
    async with app.run_test(size=(20, 16)) as pilot:
        await type_burst(pilot, "4", "enter")  # no barcode is one character
        await settle(pilot)
        assert type(app.screen) is StockScreen
        assert [type(screen) for screen in app.screen_stack][-2:] == [HomeScreen, StockScreen]
        assert app.screen.query_one("#stock-search", Input).value == ""
