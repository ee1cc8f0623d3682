"""The reports screens at 40x16 and 80x24: filters, marks, export, and a table of 10,000 rows that never blocks."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from textual.widgets import Input

from store.catalog import get_product
from store.clock import to_micros
from store.count_confirm import confirm
from store.counting import set_count, start_session
from store.locations import get_location
from store.models import Product
from store.moves import bulk_posting, post_done_moves_bulk, post_move
from store.quantity import to_units
from store.units import get_uom
from tests.tui.conftest import press_alone, screen_text, settle
from tests.tui.test_counting_ui import until
from tui.app import make_app
from tui.dialogs.prompt import ConfirmDialog
from tui.dialogs.report_filter import FilterDialog
from tui.screens.help import HelpScreen
from tui.screens.home import HomeScreen
from tui.screens.report_balance import BalanceReportScreen
from tui.screens.report_base import ReportScreen
from tui.screens.report_counts import CountHistoryScreen
from tui.screens.report_coverage import CoverageReportScreen
from tui.screens.report_moves import TransactionsReportScreen
from tui.screens.report_value import ValueReportScreen
from tui.screens.report_variance import CountVarianceScreen
from tui.screens.reports import ReportsScreen
from tui.widgets.report_table import ReportTable

SIZES = [(40, 16), (80, 24)]
SCREENS = [BalanceReportScreen, TransactionsReportScreen, ValueReportScreen, CoverageReportScreen, CountHistoryScreen]


@pytest.fixture
def reported(stocked, shop) -> str:
    """The stocked shop with 2 BEANS sold and a confirmed count of A-02 that lost 1 FLOUR-500."""
    post_move(shop, get_product("BEANS"), Decimal(2), get_location("A-01"), get_location("CUSTOMER"), reason="sold")
    session = start_session(shop, get_location("A-02"))
    set_count(shop, session, get_product("FLOUR-500"), Decimal(2))
    set_count(shop, session, get_product("BEANS"), Decimal(4))
    set_count(shop, session, get_product("ODD-1"), Decimal(7))
    confirm(shop, session)
    return stocked


def table_rows(screen: ReportScreen) -> list[str]:
    table = screen.query_one(ReportTable)
    return [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def apply_filter(pilot, **values: str) -> None:
    """F2, type the values into their fields, F2 to apply."""
    await pilot.press("f2")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, FilterDialog)
    for name, value in values.items():
        dialog.query_one(f"#filter-{name}", Input).value = value
    await pilot.press("f2")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("keys", [("9",), ("f10",)])
async def test_home_opens_the_reports_and_each_report_by_its_key(reported, size, keys):
    app = make_app(reported, operator="tester", terminal="test-1")
    async with app.run_test(size=size) as pilot:
        for key in keys:
            await press_alone(pilot, key)
        assert isinstance(app.screen, ReportsScreen)
        for key, screen in zip(("1", "2", "3", "4", "5"), SCREENS, strict=True):
            await pilot.press(key)
            await settle(pilot)
            assert type(app.screen) is screen
            text = screen_text(app)
            assert all(len(line) <= size[0] for line in text.splitlines())
            table = app.screen.query_one(ReportTable)
            assert table.row_count > 0, key
            assert table.max_scroll_x == 0, key  # every column fits: no sideways scrolling
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ReportsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize("size", [*SIZES, (120, 40)])
async def test_balance_marks_low_stock_and_shows_names_literally(reported, size):
    app = make_app(reported, operator="tester", terminal="test-1")
    async with app.run_test(size=size) as pilot:
        app.push_screen(BalanceReportScreen())
        await settle(pilot)
        text = screen_text(app)
        assert "!FLOUR-500" in text and "BEANS" in text and "ODD-1" in text
        assert "1 low" in text
        assert app.screen.query_one(ReportTable).max_scroll_x == 0
        if size[0] >= 80:
            assert "Changed" in text and "Reserved" in text
        if size[0] >= 120:
            assert "[red]x[/]" in text  # the name, not red markup


async def test_a_filter_narrows_the_balance_and_is_shown(reported):
    app = make_app(reported, operator="tester", terminal="test-1")
    async with app.run_test(size=(40, 16)) as pilot:
        app.push_screen(BalanceReportScreen())
        await settle(pilot)
        screen = app.screen
        assert len(table_rows(screen)) == 4  # BEANS; FLOUR A-02; ODD-1 A-02
        await apply_filter(pilot, search="flo")
        assert [row.split()[0] for row in table_rows(screen)] == ["!FLOUR-500"]
        assert "product flo" in screen_text(app)
        await apply_filter(pilot, search="", location="A-01")
        assert [row.split()[:2] for row in table_rows(screen)] == [["BEANS", "A-01"]]


async def test_enter_walks_the_filter_fields_and_applies_on_the_last(reported):
    app = make_app(reported, operator="tester", terminal="test-1")
    async with app.run_test(size=(40, 16)) as pilot:
        app.push_screen(BalanceReportScreen())
        await settle(pilot)
        await pilot.press("f", *"beans", "enter", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BalanceReportScreen)
        assert {row.split()[0] for row in table_rows(app.screen)} == {"BEANS"}


async def test_an_unknown_location_is_reported_not_crashed_on(reported):
    app = make_app(reported, operator="tester", terminal="test-1")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(TransactionsReportScreen())
        await settle(pilot)
        await apply_filter(pilot, location="[b]NOPE")
        assert "no location '[b]NOPE'" in screen_text(app)


async def test_transactions_in_the_default_span_and_by_reason(reported):
    app = make_app(reported, operator="tester", terminal="test-1")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(TransactionsReportScreen())
        await settle(pilot)
        rows = table_rows(app.screen)
        assert len(rows) == 6  # 4 stocking moves, the sale, the count's loss
        await apply_filter(pilot, reason="sold")
        [row] = table_rows(app.screen)
        assert "BEANS" in row and "CUSTOMER" in row
        await apply_filter(pilot, reason="", since=(datetime.now(UTC) + timedelta(days=2)).date().isoformat())
        assert table_rows(app.screen) == []


async def test_coverage_marks_products_under_the_days_asked(reported):
    app = make_app(reported, operator="tester", terminal="test-1")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(CoverageReportScreen())
        await settle(pilot)
        # BEANS: 22 on hand, 2 out in 30 days -> 330 days; FLOUR: 2 on hand, 1 lost -> 60 days; ODD-1: no outflow
        rows = {row.split()[0]: row for row in table_rows(app.screen)}
        assert "330.0" in rows["BEANS"] and "60.0" in rows["FLOUR-500"] and rows["ODD-1"].split()[-2] == "-"
        await apply_filter(pilot, days="7", under="50")  # BEANS 22 x 7 / 2 = 77 days, FLOUR 2 x 7 / 1 = 14
        assert sorted(row.split()[0] for row in table_rows(app.screen)) == ["!FLOUR-500", "BEANS", "ODD-1"]
        assert "1 short" in screen_text(app)
        await apply_filter(pilot, days="10")
        assert "7, 14, 21, 30, 180, 365" in screen_text(app)


async def test_value_shows_totals_and_layers(reported):
    app = make_app(reported, operator="tester", terminal="test-1")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ValueReportScreen())
        await settle(pilot)
        rows = table_rows(app.screen)
        assert rows[-1].startswith("WH") and "Total WH" in rows[-1]
        await pilot.press("f3")
        await settle(pilot)
        assert "layers" in screen_text(app)


async def test_count_history_shows_the_counts_loss(reported):
    app = make_app(reported, operator="tester", terminal="test-1")
    async with app.run_test(size=(40, 16)) as pilot:
        app.push_screen(CountHistoryScreen())
        await settle(pilot)
        [row] = table_rows(app.screen)
        assert "A-02" in row
        [line] = app.screen.loaded.rows
        assert (line.lines, line.gained, line.lost) == (1, 0, 1)  # one bag of flour lost


@pytest.mark.parametrize("screen", [BalanceReportScreen, CoverageReportScreen, CountHistoryScreen])
async def test_export_writes_the_filtered_report_to_the_path_given(reported, tmp_path, screen):
    app = make_app(reported, operator="tester", terminal="test-1")
    target = tmp_path / "out.csv"
    async with app.run_test(size=(40, 16)) as pilot:
        app.push_screen(screen())
        await settle(pilot)
        await pilot.press("f7")
        await pilot.pause()
        field = app.screen.query_one(Input)
        assert field.value == f"{screen.KIND}.csv"
        field.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        shown = app.screen.query_one(ReportTable).row_count
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith({"balance": "product,name", "coverage": "product,name", "counts": "session,"}[screen.KIND])
    assert len(lines) - 1 == shown > 0


async def test_export_asks_before_replacing_a_file(reported, tmp_path):
    target = tmp_path / "kept.csv"
    target.write_text("the buyer's own sheet\n")
    app = make_app(reported, operator="tester", terminal="test-1")
    async with app.run_test(size=(40, 16)) as pilot:
        app.push_screen(BalanceReportScreen())
        await settle(pilot)
        for answer in ("n", "y"):
            await pilot.press("f7")
            await pilot.pause()
            app.screen.query_one(Input).value = str(target)
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog) and "replace it?" in screen_text(app))
            await pilot.press(answer)
            await settle(pilot)
            if answer == "n":
                assert target.read_text() == "the buyer's own sheet\n"
    assert target.read_text().startswith("product,name")


async def test_export_to_a_place_that_cannot_be_written_says_so(reported, tmp_path):
    app = make_app(reported, operator="tester", terminal="test-1")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(BalanceReportScreen())
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(Input).value = str(tmp_path / "missing" / "out.csv")
        await pilot.press("enter")
        await settle(pilot)
        assert any("Cannot write" in n.message for n in app._notifications)


# ten thousand rows ----------------------------------------------------------------------------------------------------

ROWS = 10_000


@pytest.fixture
def big(shop, db_url) -> str:
    """10,000 products with stock at A-01: P00000 .. P09999."""
    uom = get_uom("pc")
    with shop.atomic():
        Product.insert_many(
            [{"code": f"P{n:05d}", "name": f"Product {n}", "uom": uom.id, "category": ""} for n in range(ROWS)]
        ).execute()
    ids = [p.id for p in Product.select(Product.id).where(Product.code.startswith("P"))]
    supplier, a1 = get_location("SUPPLIER").id, get_location("A-01").id
    at = to_micros(datetime.now(UTC) - timedelta(days=1))
    with bulk_posting(shop), shop.atomic():
        post_done_moves_bulk(shop, ((pid, to_units(Decimal(3)), supplier, a1, at, None, "", "", "", "") for pid in ids))
    return db_url


class GatedBalance(BalanceReportScreen):
    """The balance screen whose reads wait for the test to let them through."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def fetch(self, store, values):
        assert self.gate.wait(30), "the test never opened the gate"
        return super().fetch(store, values)


async def test_ten_thousand_rows_load_and_filter_without_blocking_keys(big):
    app = make_app(big, operator="tester", terminal="test-1")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = GatedBalance()
        app.push_screen(screen)
        await pilot.pause()
        # the first read is held in its thread: keys are still handled
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        # a newer filter supersedes the read still running
        await pilot.press("f2")
        await pilot.pause()
        app.screen.query_one("#filter-search", Input).value = "P0001"
        await pilot.press("f2")
        await pilot.pause()
        assert screen.filling
        screen.gate.set()
        await settle(pilot)
        assert [row.split()[0] for row in table_rows(screen)] == [f"P{n:05d}" for n in range(10, 20)]
        # all of them again, and the arrows and End move through them
        await apply_filter(pilot, search="")
        table = screen.query_one(ReportTable)
        assert table.row_count == ROWS
        assert f"{ROWS} lines" in screen_text(app)
        await pilot.press("down", "down", "end")
        await pilot.pause()
        assert table.cursor_row == ROWS - 1
        assert "P09999" in screen_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert "P00000" in screen_text(app) and "P09999" not in screen_text(app)


async def test_reports_at_20_columns_and_their_help(reported):
    app = make_app(reported, operator="tester", terminal="test-1")
    async with app.run_test(size=(20, 16)) as pilot:
        await press_alone(pilot, "9")
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(app.screen, CoverageReportScreen)
        assert all(len(line) <= 20 for line in screen_text(app).splitlines())
        assert app.screen.query_one(ReportTable).max_scroll_x == 0
        await pilot.press("f1")
        await pilot.pause()
        text = screen_text(app)
        assert "Filter" in text and "Export" in text and "Refresh" in text


async def test_enter_on_a_count_shows_its_lines(reported, tmp_path):
    app = make_app(reported, operator="tester", terminal="test-1")
    target = tmp_path / "variance.csv"
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(CountHistoryScreen())
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CountVarianceScreen)
        rows = table_rows(app.screen)
        # the count of A-02: FLOUR-500 3 expected, 2 counted; BEANS and ODD-1 as expected
        assert [row.split()[:5] for row in rows] == [
            ["BEANS", "A-02", "4", "4", "0"], ["FLOUR-500", "A-02", "3", "2", "-1"], ["ODD-1", "A-02", "7", "7", "0"],
        ]  # fmt: skip
        assert "Filter" not in screen_text(app) and "no filter" not in screen_text(app)  # one count: nothing to filter
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, CountVarianceScreen)
        await pilot.press("f7")
        await pilot.pause()
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CountHistoryScreen)
    assert target.read_text(encoding="utf-8").splitlines()[0] == "product,location,expected,counted,difference,uom,value"


async def test_a_resize_lays_the_rows_out_again(reported):
    app = make_app(reported, operator="tester", terminal="test-1")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(BalanceReportScreen())
        await settle(pilot)
        assert "Reserved" in screen_text(app)
        await pilot.resize_terminal(40, 16)
        await settle(pilot)
        text = screen_text(app)
        assert "Reserved" not in text and "BEANS" in text
        assert all(len(line) <= 40 for line in text.splitlines())
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert "[red]x[/]" in screen_text(app)  # the Name column, with room at 120


async def test_a_refused_filter_says_why_and_the_filter_line_keeps_what_the_table_shows(reported):
    app = make_app(reported, operator="tester", terminal="test-1")
    async with app.run_test(size=(40, 16)) as pilot:
        app.push_screen(TransactionsReportScreen())
        await settle(pilot)
        screen = app.screen
        await apply_filter(pilot, search="BEANS")
        rows = table_rows(screen)
        await apply_filter(pilot, since="2026-13-45")
        text = " ".join(screen_text(app).split())
        assert "2026-13-45" in text  # the refusal names it
        assert "since 2026-13-45" not in text and "product BEANS" in text  # the rows are still BEANS's
        assert table_rows(screen) == rows
