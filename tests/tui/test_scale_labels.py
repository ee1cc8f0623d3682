"""Weighed goods: a scale's in-store label counts its item by the weight printed in it, on every terminal."""

from __future__ import annotations

import os
import tty
from decimal import Decimal

import pytest

from devices.settings import ScannerSettings
from store.catalog import create_product, get_product
from store.count_lines import count_state
from store.counting import get_session, start_session
from store.database import open_store
from store.errors import InvalidValue
from store.in_store_codes import set_in_store_region
from store.locations import get_location
from store.models import Barcode, PickList, Setting
from store.moves import post_move
from store.picking import create_pick_list, pick_state
from store.receiving import open_delivery, receipt_lines
from store.units import get_uom
from tests.tui.conftest import SIZES, keys_told, screen_text, type_burst
from tests.tui.test_catalogue_ui import back_to_detail, in_form, open_product, open_products, shown
from tests.tui.test_counting_ui import open_count, type_line, until
from tui.app import scan_region
from tui.screens.picking import PickScreen
from tui.screens.receiving import ReceivingScreen
from tui.screens.stock import StockScreen

GOUDA_ITEM = "2302500000008"  # Sweden's layout: 23, the item 02500, the weight zeroed, a check digit
GOUDA_1234 = "2302500012346"  # a piece of it weighing 1.234 kg
GOUDA_0567 = "2302500005676"  # and one of 0.567 kg
GOUDA_PRICED = "2002500012345"  # a price label (20): a piece costing 12.34, its weight not said


@pytest.fixture
def weighed(stocked) -> int:
    """The stocked database with Gouda sold by weight (its item code as its barcode), the region Sweden's,
    and a count of bin A-01 open on another terminal: its id."""
    store = open_store(stocked, operator="tester", terminal="rf-0")
    gouda = create_product(
        store, "GOUDA", "Gouda by weight", get_uom("kg"), [(GOUDA_ITEM, Decimal(1)), ("2002500000007", Decimal(1))]
    )
    post_move(store, gouda, Decimal("2.500"), get_location("SUPPLIER"), get_location("A-01"))
    set_in_store_region(store, "se")
    return start_session(store, get_location("A-01")).id


def gouda_counted(store, session: int) -> Decimal:
    [line] = [line for line in count_state(store, get_session(session)).lines if line.product.code == "GOUDA"]
    return line.counted


@pytest.mark.parametrize("size", SIZES[:3])
async def test_wedge_scanned_scale_labels_count_their_weight(app_factory, weighed, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await open_count(app, pilot, weighed)
        await type_line(pilot, GOUDA_1234)
        await until(pilot, lambda: "1.234 kg" in screen_text(app))
        await type_line(pilot, GOUDA_0567)
        await until(pilot, lambda: "= 1.801 kg" in screen_text(app))
        assert all(len(line) <= size[0] for line in screen_text(app).splitlines())
        await type_line(pilot, GOUDA_ITEM)  # the shelf label: the item, but no piece weighed
        await until(pilot, lambda: "gives no weight" in screen_text(app))
        await type_line(pilot, "2.5")  # a quantity typed first: 2.5 kg of the item
        await type_line(pilot, GOUDA_ITEM)
        await until(pilot, lambda: "= 4.301 kg" in screen_text(app))
        await type_line(pilot, GOUDA_PRICED)
        await until(pilot, lambda: "gives a price" in screen_text(app))
    assert gouda_counted(app.store, weighed) == Decimal("4.301")


async def test_a_serial_scanner_reads_scale_labels_in_the_stock_rooms_region(app_factory, weighed, tmp_path):
    master, slave = os.openpty()
    tty.setraw(master)
    link = tmp_path / "scanner"
    link.symlink_to(os.ttyname(slave))
    app = app_factory(scanner=ScannerSettings(port=str(link), baudrate=115200))  # no region of its own
    try:
        async with app.run_test(size=(40, 16)) as pilot:
            await until(pilot, lambda: app.scanner_status == "connected")
            await open_count(app, pilot, weighed)
            os.write(master, f"{GOUDA_1234}\r\n".encode())
            await until(pilot, lambda: "= 1.234 kg" in screen_text(app))
    finally:
        os.close(master)
        os.close(slave)
    assert gouda_counted(app.store, weighed) == Decimal("1.234")


async def test_a_scale_label_scanned_on_home_looks_its_item_up(app_factory, weighed):
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        await type_burst(pilot, *GOUDA_1234, "enter")
        await keys_told(pilot)
        await until(pilot, lambda: isinstance(app.screen, StockScreen) and "GOUDA" in screen_text(app))
        assert app.screen.query_one("#stock-search").value == GOUDA_ITEM


async def test_without_a_region_a_scale_label_is_an_unknown_barcode(app_factory, weighed):
    Setting.delete().where(Setting.key == "in_store_region").execute()
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        await open_count(app, pilot, weighed)
        await type_line(pilot, GOUDA_1234)
        await until(pilot, lambda: "Unknown barcode" in screen_text(app))
        assert GOUDA_1234 in screen_text(app)


def test_a_terminals_own_region_comes_before_the_stock_rooms(weighed):
    assert scan_region(None) == "se"
    assert scan_region(ScannerSettings(port="/dev/ttyUSB0")) == "se"
    assert scan_region(ScannerSettings(port="/dev/ttyUSB0", region="de")) == "de"
    Setting.update(value="xx").where(Setting.key == "in_store_region").execute()  # named by a newer Stockroom
    with pytest.raises(InvalidValue, match="unknown in-store code region 'xx'"):
        scan_region(None)


@pytest.mark.parametrize("size", [(20, 16), (40, 16)])
async def test_picking_takes_a_weighed_piece_whole_and_says_how_much_over(app_factory, stocked, weighed, size):
    store = open_store(stocked, operator="office", terminal="rf-0")
    pick = create_pick_list(store, "P-9", get_location("WH"), [(get_product("GOUDA"), Decimal(2))])
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        app.push_screen(PickScreen(pick.id))
        await until(pilot, lambda: isinstance(app.screen, PickScreen) and "A-01" in screen_text(app))
        for code in ("LOC-A01", GOUDA_1234, GOUDA_0567):
            await type_line(pilot, code)
        await until(pilot, lambda: "= 1.801" in shown(app))
        await type_line(pilot, GOUDA_1234)  # 0.199 kg left: the piece goes whole
        await until(pilot, lambda: "= 3.035, 1.035 kg over" in shown(app))
        assert all(len(line) <= size[0] for line in screen_text(app).splitlines())
    assert pick_state(PickList.get_by_id(pick.id)).lines[0].picked == Decimal("3.035")


async def test_receiving_weighed_pieces_adds_their_weights(app_factory, stocked, weighed):
    store = open_store(stocked, operator="office", terminal="rf-0")
    receipt = open_delivery(store, get_location("WH"))
    app = app_factory()
    async with app.run_test(size=(20, 16)) as pilot:
        app.push_screen(ReceivingScreen(receipt.id))
        await until(pilot, lambda: isinstance(app.screen, ReceivingScreen) and app.screen.receipt is not None)
        await type_line(pilot, GOUDA_1234)
        await type_line(pilot, GOUDA_0567)
        await until(pilot, lambda: "1.801" in shown(app))
    [line] = receipt_lines(app.store, receipt)
    assert (line.product.code, line.received_now) == ("GOUDA", Decimal("1.801"))


async def test_a_scale_label_typed_into_barcode_plus_is_kept_as_its_items_code(app_factory, weighed):
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        await open_products(pilot)
        await open_product(pilot, "ODD-1")
        await pilot.press("f4")
        await in_form(pilot)
        await type_line(pilot, "2302600012345")  # another item's label, 1.234 kg: a wedge scanner types it
        await pilot.press("f6")
        await back_to_detail(pilot)
        assert "Barcode 2302600000007 added" in shown(app)
    assert [b.code for b in Barcode.select().where(Barcode.product == get_product("ODD-1").id)] == ["2302600000007"]


@pytest.mark.parametrize("size", [(20, 16), (40, 16)])
async def test_done_after_over_picking_a_weighed_piece_finishes_without_asking(app_factory, stocked, weighed, size):
    store = open_store(stocked, operator="office", terminal="rf-0")
    pick = create_pick_list(store, "P-1", get_location("WH"), [(get_product("GOUDA"), Decimal("1.250")),
                                                               (get_product("BEANS"), Decimal(1))])  # fmt: skip
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        app.push_screen(PickScreen(pick.id))
        await until(pilot, lambda: isinstance(app.screen, PickScreen) and "A-01" in screen_text(app))
        screen = app.screen
        for code in ("LOC-A01", GOUDA_0567, GOUDA_1234):
            await type_line(pilot, code)
        await until(pilot, lambda: "= 1.801, 0.551 kg over" in shown(app))
        await type_line(pilot, "5901234123457")  # the beans: the last line
        await until(pilot, lambda: "All picked" in shown(app))
        await pilot.press("f6")  # nothing is short: no question, the list is done
        await until(pilot, lambda: app.screen is not screen)
        assert "not picked in full" not in screen_text(app)
    done = PickList.get_by_id(pick.id)
    assert done.state == "done"
    assert PickList.select().where(PickList.backorder_of == done).count() == 0
