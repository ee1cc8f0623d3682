"""The app on a real store, driven with keys only, at handheld and desktop sizes."""

from __future__ import annotations

from argparse import Namespace
from dataclasses import dataclass

import pytest
from textual.widgets import DataTable, Input, Label

from devices.settings import ScannerSettings
from store.database import open_store
from store.demo import has_demo
from store.errors import DatabaseUnavailable, InvalidValue, NotFound
from store.models import Product
from tests.tui.conftest import SIZES, press_alone, screen_text, settle
from tui.app import StockroomApp
from tui.cli import main
from tui.literal import literal
from tui.run import app_when_reachable, run_app
from tui.screens.help import HelpScreen
from tui.screens.home import JOB_SCREENS, HomeScreen
from tui.screens.stock import StockScreen


@dataclass(frozen=True)
class FakeScan:
    """What the UI reads from a ``devices.scan.Scan``."""

    gtin: str | None = None
    item_gtin: str | None = None
    code: str | None = None
    raw_text: str = ""


@pytest.mark.parametrize("size", SIZES)
async def test_home_shows_the_jobs_at_every_size(app_factory, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        lines = text.splitlines()
        assert all(len(line) <= size[0] for line in lines)
        if size[0] < 40:
            for label in ("1 Count", "2 Receive", "3 Pick", "4 Stock"):
                assert label in text
            assert "no scan" in lines[0]
        else:
            for label in ("Counting", "Restocking", "Picking", "Stock"):
                assert label in text
            assert "scanner: none" in lines[0]
            assert "Help" in lines[-1]
        assert "Count" in lines[-1]  # the footer shows the keys


@pytest.mark.parametrize("keys", [("4",), ("f5",), ("down", "down", "down", "enter")])
async def test_keys_open_the_stock_screen_and_escape_returns(app_factory, keys):
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        for key in keys:
            await press_alone(pilot, key)
        await settle(pilot)
        assert isinstance(app.screen, StockScreen)
        assert "BEANS" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_stock_screen_counts_low_products_not_lines(app_factory):
    Product.update(low_stock=1000).where(Product.code == "BEANS").execute()  # BEANS is in two bins
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        await press_alone(pilot, "4")
        await settle(pilot)
        assert "4 lines · 2 low" in screen_text(app)  # BEANS and FLOUR-500, as the balance report counts


@pytest.mark.parametrize("size", SIZES)
async def test_stock_screen_shows_the_stores_stock(app_factory, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await press_alone(pilot, "4")
        await settle(pilot)
        text = screen_text(app)
        assert all(len(line) <= size[0] for line in text.splitlines())
        table = app.screen.query_one(DataTable)
        assert table.row_count == 4
        assert "4 lines" in text and "1 low" in text
        assert "BEANS" in text and "A-01" in text and "!FLOUR-500" in text
        if size[0] >= 80:
            # product, name, location, on hand, reserved, available, unit
            row = [cell.plain.strip() for cell in table.get_row_at(0)]
            assert row == ["BEANS", "Beans tin", "A-01", "20", "5", "15", "pc"]
            assert "[red]x[/]" in text  # a name that looks like markup shows as typed
        elif size[0] >= 40:
            assert [cell.plain.strip() for cell in table.get_row_at(0)] == ["BEANS", "A-01", "20", "pc"]
        else:
            assert [cell.plain for cell in table.get_row_at(0)] == ["BEANS\nA-01", "20\npc"]


async def test_filtering_by_code_name_and_barcode(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await press_alone(pilot, "4")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        await pilot.press(*"flour")
        await settle(pilot)
        assert table.row_count == 1 and "FLOUR-500" in screen_text(app) and "BEANS" not in screen_text(app)
        app.screen.query_one(Input).value = "15901234123454"  # the case barcode of the beans
        await settle(pilot)
        assert [table.get_row_at(i)[0].plain for i in range(table.row_count)] == ["BEANS", "BEANS"]
        app.screen.query_one(Input).value = "[b]nothing"
        await settle(pilot)
        assert table.row_count == 0
        assert "No stock matches [b]nothing" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_markup_in_a_product_name_is_shown_literally(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await press_alone(pilot, "4")
        await pilot.press(*"ODD")
        await settle(pilot)
        row = app.screen.query_one(DataTable).get_row_at(0)
        assert row[1].plain == "[red]x[/]" and not row[1].spans
        assert "[red]x[/]" in screen_text(app)


def test_literal_escapes_control_characters():
    text = literal("[red]x[/]\x1b[2J\u202e\x07")
    assert text.plain == "[red]x[/]\\x1b[2J\\u202e\\x07"
    assert not text.spans


@pytest.mark.parametrize(
    "keys", [tuple("1234567890"), ("f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11")]
)
async def test_every_job_opens_its_screen_by_number_and_function_key(app_factory, keys):
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        for key, job in zip(keys, JOB_SCREENS, strict=True):
            await press_alone(pilot, key)
            assert type(app.screen) is JOB_SCREENS[job], key
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize("size", [(20, 16), (80, 24)])
async def test_help_lists_the_keys_of_the_current_screen(app_factory, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for words in ("1 f2", "Count", "4 f5", "Stock", "Quit"):
            assert words in text
        await pilot.press("escape")
        await press_alone(pilot, "4")
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        text = screen_text(app)
        assert "Back" in text and "Search" in text and "Count" not in text
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, StockScreen)


async def test_down_from_the_search_moves_into_the_list(app_factory):
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        await press_alone(pilot, "4")
        await settle(pilot)
        assert isinstance(app.focused, Input)
        await pilot.press("down")
        assert isinstance(app.focused, DataTable)
        await pilot.press("f7")
        assert isinstance(app.focused, Input)


async def test_scanner_status_indicator(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        assert "scanner: none" in screen_text(app).splitlines()[0]
        app.scanner_status = "connected"
        await pilot.pause()
        assert "scanner: connected" in screen_text(app).splitlines()[0]
        with pytest.raises(ValueError):
            app.scanner_status = "maybe"
        await pilot.resize_terminal(20, 16)
        await pilot.pause()
        assert "scan ok" in screen_text(app).splitlines()[0]
    configured = app_factory(scanner=ScannerSettings(port="/dev/stockroom-no-such-scanner"))
    async with configured.run_test(size=(40, 16)) as pilot:
        await pilot.pause(0.2)
        assert configured.scanner_status == "disconnected"
        assert "scanner: disconnected" in screen_text(configured).splitlines()[0]


async def test_a_scan_goes_to_the_screen_that_takes_it(app_factory):
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        assert app.dispatch_scan(FakeScan(gtin="15901234123454"))  # home: look the product up
        await settle(pilot)
        assert isinstance(app.screen, StockScreen)
        assert app.screen.query_one(Input).value == "15901234123454"
        assert app.screen.query_one(DataTable).row_count == 2
        assert app.dispatch_scan(FakeScan(code="FLOUR-500", raw_text="FLOUR-500"))
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("f1")
        await pilot.pause()
        assert not app.dispatch_scan(FakeScan(raw_text="x"))  # help takes no scans


async def test_a_store_error_is_shown_on_the_screen(app_factory, monkeypatch):
    def refuse(store, search=""):
        raise NotFound(f"no product {search!r}")

    monkeypatch.setattr("tui.screens.stock.stock_search", refuse)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await press_alone(pilot, "4")
        await settle(pilot)
        assert isinstance(app.screen, StockScreen)
        status = app.screen.query_one("#stock-status", Label)
        assert "no product ''" in str(status.render())


def test_run_app_creates_the_demo_once_and_keeps_it_apart(tmp_path, monkeypatch):
    runs = []
    monkeypatch.setattr(StockroomApp, "run", lambda self, mouse=True: runs.append(self.store.url))
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    args = Namespace(db=url, demo=True, scanner=None, baud=None, terminal="t1", operator="ann",
                     ascii=False, mouse=True)
    assert run_app(args) == 0
    assert runs == [url]
    store = open_store(url)
    assert has_demo(store)
    store.close()
    assert main(["--db", url, "--demo"]) == 0  # the second time it is already there
    real = f"sqlite:///{tmp_path / 'real.db'}"
    store = open_store(real)
    store.db.execute_sql("INSERT INTO location (code, name, type, path, allow_negative, active) "
                         "VALUES ('X', 'X', 'storage', '', 1, 1)")
    store.close()
    with pytest.raises(InvalidValue, match="--demo needs an empty database"):
        run_app(Namespace(db=real, demo=True, scanner=None, baud=None, terminal=None, operator=None,
                          ascii=False, mouse=True))
    assert main(["--db", real]) == 0


async def test_stock_table_follows_a_resize(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await press_alone(pilot, "4")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert len(table.columns) == 7
        await pilot.resize_terminal(20, 16)
        await settle(pilot)
        assert len(table.columns) == 2
        assert all(len(line) <= 20 for line in screen_text(app).splitlines())


def test_a_sqlite_file_that_cannot_be_opened_is_refused_at_once(tmp_path, capsys):
    folder = tmp_path / "not-a-file.db"
    folder.mkdir()
    with pytest.raises(DatabaseUnavailable, match="cannot open the database"):
        app_when_reachable(f"sqlite:///{folder}", delays=(0.1, 0.2))
    assert "trying again" not in capsys.readouterr().err
