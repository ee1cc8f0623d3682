"""The catalogue screens as a worker uses them: find, create and edit products, browse and grow the location tree."""

from __future__ import annotations

import socket
import threading
from decimal import Decimal

import pytest
from textual.widgets import Sparkline, Tree

from devices.decode import decode
from store.catalog import get_product
from store.catalogue_details import HISTORY_DAYS
from store.database import open_store
from store.errors import InvalidValue
from store.locations import get_location
from store.models import Barcode, Location, Product
from store.stock_history import stock_history
from tests.tui.conftest import press_alone, screen_text, settle
from tests.tui.test_counting_ui import type_line, until
from tui.labels import LabelOutput, label_output
from tui.screens.form import FormScreen
from tui.screens.home import HomeScreen
from tui.screens.location import LocationScreen
from tui.screens.locations import LocationsScreen
from tui.screens.product import ProductScreen
from tui.screens.products import ProductsScreen

BEANS, BEANS_CASE = "5901234123457", "15901234123454"
SIZES = [(40, 16), (80, 24)]


def shown(app) -> str:
    """The screen's text with wrapped lines joined."""
    return " ".join(line.strip() for line in screen_text(app).splitlines())


def fits(app, width: int) -> bool:
    return all(len(line) <= width for line in screen_text(app).splitlines())


async def open_products(pilot) -> ProductsScreen:
    await press_alone(pilot, "7")
    await until(pilot, lambda: isinstance(pilot.app.screen, ProductsScreen) and "products" in shown(pilot.app))
    return pilot.app.screen


async def open_product(pilot, text: str) -> ProductScreen:
    await type_line(pilot, text)
    await until(pilot, lambda: isinstance(pilot.app.screen, ProductScreen) and pilot.app.screen.detail is not None)
    return pilot.app.screen


async def in_form(pilot) -> FormScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, FormScreen))
    return pilot.app.screen


async def back_to_detail(pilot) -> ProductScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, ProductScreen))
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.screen


@pytest.mark.parametrize("size", SIZES)
async def test_find_a_product_by_a_case_scan_and_by_name(app_factory, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await open_products(pilot)
        assert "3 products" in shown(app)
        screen = await open_product(pilot, BEANS_CASE)  # a wedge scan of the case: the product it names
        assert screen.detail.product.code == "BEANS"
        text = shown(app)
        assert "BEANS Beans tin" in text and "A-01" in text and fits(app, size[0])
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ProductsScreen))
        await pilot.press("f7", "ctrl+a", "ctrl+k")  # clear the find box
        screen = await open_product(pilot, "flour")  # part of a name, any case: the only match opens
        assert screen.detail.product.code == "FLOUR-500"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ProductsScreen))
        await pilot.press("f7", "ctrl+a", "ctrl+k", "down")  # the list has the focus: a scan still finds
        await until(pilot, lambda: app.screen.focused.id == "products-table")
        screen = await open_product(pilot, "4006381333931")
        assert screen.detail.product.code == "FLOUR-500"
        await pilot.press("escape", "escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_a_serial_scan_opens_the_product_and_an_unknown_one_offers_to_create_it(app_factory):
    from devices.decode import decode

    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        await open_products(pilot)
        app.dispatch_scan(decode("4006381333931"))
        await until(pilot, lambda: isinstance(app.screen, ProductScreen) and app.screen.detail is not None)
        assert app.screen.detail.product.code == "FLOUR-500"
        app.dispatch_scan(decode(BEANS))  # on a product's screen: the scanned one instead
        await until(pilot, lambda: app.screen.detail.product.code == "BEANS" and "Beans tin" in shown(app))
        app.dispatch_scan(decode("4000000000006"))
        await until(pilot, lambda: "Unknown barcode 4000000000006" in shown(app))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ProductsScreen))
        app.dispatch_scan(decode("4000000000006"))
        await until(pilot, lambda: "No product has barcode 4000000000006: F2 creates one" in shown(app))
        await pilot.press("f2")
        form = await in_form(pilot)
        assert form.values()["barcode"] == "4000000000006"


@pytest.mark.parametrize("size", SIZES)
async def test_create_a_product_with_a_barcode_edit_its_threshold_and_add_a_case(app_factory, db_url, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await open_products(pilot)
        await pilot.press("f2")
        await in_form(pilot)
        await type_line(pilot, "RICE-1")
        await type_line(pilot, "Rice 1 kg")
        await pilot.press("enter")  # the unit: pieces, as proposed
        await type_line(pilot, "dry goods")
        await type_line(pilot, "4")  # low at
        await pilot.press("enter")  # stock-kept, as proposed
        await type_line(pilot, "4000000000006")
        assert fits(app, size[0])
        await pilot.press("f6")
        screen = await back_to_detail(pilot)
        assert screen.detail.product.code == "RICE-1"
        assert "Low at 4" in shown(app) and "4000000000006" in shown(app)

        await pilot.press("f3")  # edit: name, unit, category, low at ...
        form = await in_form(pilot)
        await pilot.press("enter", "enter", "enter")
        await pilot.press("ctrl+a", "ctrl+k", *"10")
        assert form.edited()
        await pilot.press("f6")
        await back_to_detail(pilot)
        assert "Low at 10" in shown(app)

        await pilot.press("f4")  # a case of 12 with its own GTIN-14
        await in_form(pilot)
        await type_line(pilot, "14000000000003")
        await pilot.press("ctrl+a", "ctrl+k", *"12", "f6")
        await back_to_detail(pilot)
        assert "Barcode 14000000000003 added" in shown(app) and "x12" in shown(app)
    store = open_store(db_url)
    rice = get_product("RICE-1")
    assert (rice.name, rice.uom.code, rice.category, rice.low_stock) == ("Rice 1 kg", "pc", "dry goods", Decimal(10))
    assert sorted((b.code, b.quantity) for b in Barcode.select().where(Barcode.product == rice.id)) == [
        ("14000000000003", 12),
        ("4000000000006", 1),
    ]
    store.close()


@pytest.mark.parametrize("size", [(20, 16), (40, 16)])
async def test_a_wrong_check_digit_or_another_products_barcode_is_refused_and_the_form_kept(app_factory, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await open_products(pilot)
        await open_product(pilot, "ODD-1")
        await pilot.press("f4")
        form = await in_form(pilot)
        await type_line(pilot, "4000000000007")
        await pilot.press("f6")
        await until(pilot, lambda: "wrong check digit, expected 6" in shown(app))
        assert app.screen is form and form.values()["barcode"] == "4000000000007"
        await pilot.press("shift+tab", "ctrl+a", "ctrl+k", *BEANS, "f6")
        await until(pilot, lambda: f"barcode {BEANS} already belongs to BEANS" in shown(app))
        await pilot.press("escape")  # edited: asks first
        await until(pilot, lambda: "Discard changes?" in shown(app))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ProductScreen))
    assert not Barcode.select().where(Barcode.product == get_product("ODD-1").id).exists()


async def test_remove_a_case_barcode_by_scanning_it(app_factory):
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        await open_products(pilot)
        await open_product(pilot, "BEANS")
        assert "x12" in shown(app)
        await pilot.press("f7")
        await until(pilot, lambda: "Remove which barcode?" in shown(app))
        await type_line(pilot, BEANS_CASE)
        await until(pilot, lambda: f"Barcode {BEANS_CASE} removed" in shown(app) and "x12" not in shown(app))
    assert [b.code for b in Barcode.select().where(Barcode.product == get_product("BEANS").id)] == [BEANS]


async def test_markup_in_a_name_is_shown_literally(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_products(pilot)
        await until(pilot, lambda: "[red]x[/]" in screen_text(app))
        await open_product(pilot, "ODD-1")
        assert "ODD-1 [red]x[/]" in screen_text(app)


@pytest.mark.parametrize("size", SIZES)
async def test_the_sparkline_shows_the_daily_stock(app_factory, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await open_products(pilot)
        screen = await open_product(pilot, BEANS)
        data = app.screen.query_one("#product-sparkline", Sparkline).data
        expected = [float(q) for _, q in stock_history(app.store, get_product("BEANS"), HISTORY_DAYS)]
        assert list(data) == expected and len(data) == HISTORY_DAYS
        assert data[-1] == 24.0  # 20 at A-01 and 4 at A-02, all posted today
        assert f"Stock, {HISTORY_DAYS} days: 0 > 24" in shown(app)
        assert screen.query_one("#product-sparkline").region.height == 2


@pytest.mark.parametrize("size", SIZES)
async def test_browse_the_tree_open_a_bin_and_create_a_child_location(app_factory, db_url, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await press_alone(pilot, "8")
        await until(pilot, lambda: isinstance(app.screen, LocationsScreen) and "locations" in shown(app))
        tree = app.screen.query_one(Tree)
        labels = [str(tree.get_node_at_line(line).label) for line in range(tree.last_line + 1)]
        stock_line = next(i for i, label in enumerate(labels) if label.startswith("WH/STOCK"))
        await pilot.press(*["down"] * stock_line)
        assert str(tree.cursor_node.label).startswith("WH/STOCK")
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, LocationScreen) and app.screen.detail is not None)
        assert "A-01 Aisle A shelf 1" in shown(app) and "BEANS" in shown(app) and fits(app, size[0])
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LocationsScreen))
        await settle(pilot)  # the tree read again, A-01 highlighted again
        await until(pilot, lambda: str(app.screen.query_one(Tree).cursor_node.label).startswith("A-01"))
        await pilot.press("up")  # WH/STOCK
        await pilot.press("f2")
        form = await in_form(pilot)
        assert "New under WH/STOCK" in shown(app)
        await type_line(pilot, "A-03")
        await type_line(pilot, "Aisle A shelf 3")
        await pilot.press("enter")  # storage
        await type_line(pilot, "LOC-A03")
        assert form.values()["allow_negative"] is False  # WH forbids negative stock: the child too
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, LocationsScreen) and "A-03 Aisle A shelf 3" in shown(app))
        await until(pilot, lambda: str(app.screen.query_one(Tree).cursor_node.label).startswith("A-03"))
    store = open_store(db_url)
    a3 = get_location("A-03")
    assert (a3.parent.code, a3.type, a3.barcode, a3.allow_negative, a3.warehouse.code) == (
        "WH/STOCK", "storage", "LOC-A03", False, "WH",
    )  # fmt: skip
    store.close()


async def test_a_child_made_from_a_locations_page_is_confirmed_there(app_factory):
    app = app_factory()
    async with app.run_test(size=(20, 16)) as pilot:
        app.push_screen(LocationScreen(get_location("A-01").id))
        await until(pilot, lambda: isinstance(app.screen, LocationScreen) and app.screen.detail is not None)
        await pilot.press("f2")
        await in_form(pilot)
        await type_line(pilot, "A-01-X")
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, LocationScreen) and "added under A-01" in shown(app))
    assert get_location("A-01-X").parent.code == "A-01"


async def test_a_location_holding_stock_is_not_deactivated(app_factory):
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, LocationsScreen) and "locations" in shown(app))
        from devices.decode import decode

        app.dispatch_scan(decode("LOC-A02"))  # a bin's label opens it
        await until(pilot, lambda: isinstance(app.screen, LocationScreen) and app.screen.detail is not None)
        await pilot.press("f3")
        form = await in_form(pilot)
        await pilot.press("enter", "enter", "enter", "space")  # name, barcode, negative, untick active
        assert form.values()["active"] is False
        await pilot.press("f6")
        await until(pilot, lambda: "A-02 holds stock (BEANS among others): move it out first" in shown(app))
    assert Location.get(Location.code == "A-02").active
    assert Product.get(Product.code == "BEANS").active


async def test_f8_writes_a_products_labels_into_the_terminals_folder(app_factory, tmp_path):
    app = app_factory(labels=LabelOutput(tmp_path / "labels", "svg"))
    async with app.run_test(size=(40, 16)) as pilot:
        await open_products(pilot)
        await open_product(pilot, BEANS)
        await pilot.press("f8")
        await until(pilot, lambda: any("label written" in n.message or "labels written" in n.message for n in app._notifications))
    files = sorted(path.name for path in (tmp_path / "labels").iterdir())
    assert len(files) == 2  # the tin's own EAN-13 and its case's GTIN-14
    assert all(name.endswith(".svg") for name in files)
    assert any(BEANS in path.read_text() for path in (tmp_path / "labels").iterdir())


async def test_f8_sends_a_locations_label_to_a_zpl_printer(app_factory, tmp_path):
    received: list[bytes] = []
    with socket.create_server(("127.0.0.1", 0)) as server:
        host, port = server.getsockname()

        def accept() -> None:
            connection, _ = server.accept()
            with connection:
                received.append(b"".join(iter(lambda: connection.recv(4096), b"")))

        printer = threading.Thread(target=accept, daemon=True)
        printer.start()
        app = app_factory(labels=LabelOutput(tmp_path, "zpl", f"{host}:{port}"))
        async with app.run_test(size=(40, 16)) as pilot:
            await pilot.press("f9")
            await until(pilot, lambda: isinstance(app.screen, LocationsScreen) and "locations" in shown(app))
            app.dispatch_scan(decode("LOC-A02"))
            await until(pilot, lambda: isinstance(app.screen, LocationScreen) and app.screen.detail is not None)
            await pilot.press("f8")
            await until(pilot, lambda: any("sent to" in n.message for n in app._notifications))
        printer.join(timeout=10)
    assert received and received[0].startswith(b"^XA") and b"LOC-A02" in received[0]


def test_the_labels_table_of_the_config_file(tmp_path):
    assert label_output({"printer": "tcp://10.0.0.9:9100"}) == LabelOutput(
        label_output({}).folder, "zpl", "tcp://10.0.0.9:9100"
    )
    assert label_output({"folder": str(tmp_path), "format": "png"}) == LabelOutput(tmp_path, "png")
    with pytest.raises(InvalidValue, match="format 'pdf'"):
        label_output({"format": "pdf"})
    with pytest.raises(InvalidValue, match="printer takes"):
        label_output({"printer": "/dev/ttyUSB0", "format": "svg"})
