"""Receiving a delivery through the app, with keys only and a serial scanner on a pty."""

from __future__ import annotations

import os
import tty
from dataclasses import replace
from decimal import Decimal

import pytest
from textual.widgets import DataTable

from devices.settings import ScannerSettings
from store.catalog import get_product
from store.database import open_store
from store.locations import get_location
from store.models import Move, Product, Receipt
from store.receiving import open_receipt, receipt_lines, record_scan
from store.scanned import Reading
from store.supply import add_line, cancel_order, create_order, get_order, send_order
from tests.tui.conftest import press_alone, screen_text
from tests.tui.test_counting_ui import BEANS, BEANS_CASE, type_line, until
from tui.screens.receive_orders import NO_ORDER, ReceiveOrdersScreen
from tui.screens.receiving import ReceivingScreen

FLOUR = "4006381333931"


def place_order(db_url: str, supplier: str = "Acme"):
    """A sent order: 24 beans at 1.00 less 10 %, 10 bags of flour at 0.80."""
    store = open_store(db_url, operator="buyer", terminal="office")
    order = create_order(store, supplier, get_location("WH"))
    add_line(store, order, get_product("BEANS"), Decimal(24), Decimal("1.00"), Decimal(10))
    add_line(store, order, get_product("FLOUR-500"), Decimal(10), Decimal("0.80"))
    return store, send_order(store, order)


async def open_receiving(pilot, listed: str, key: str = "enter") -> ReceivingScreen:
    """Home -> receive (2), once ``listed`` shows -> the first order (Enter) or no order (F2): its receipt open."""
    app = pilot.app
    await press_alone(pilot, "2")
    await until(pilot, lambda: isinstance(app.screen, ReceiveOrdersScreen) and listed in screen_text(app))
    await pilot.press(key)
    await until(pilot, lambda: isinstance(app.screen, ReceivingScreen) and app.screen.receipt is not None)
    return app.screen


@pytest.mark.parametrize("size", [(40, 16), (80, 24)])
async def test_restock_an_order_with_a_serial_scanner(app_factory, stocked, tmp_path, size):
    store, order = place_order(stocked)
    master, slave = os.openpty()
    tty.setraw(master)
    link = tmp_path / "scanner"
    link.symlink_to(os.ttyname(slave))
    app = app_factory(scanner=ScannerSettings(port=str(link), baudrate=115200))
    try:
        async with app.run_test(size=size) as pilot:
            await until(pilot, lambda: app.scanner_status == "connected")
            await open_receiving(pilot, "Acme")
            os.write(master, f"{BEANS_CASE}\r\n{BEANS_CASE}\r\n".encode())
            await until(pilot, lambda: "= 24 / 24 pc" in screen_text(app))
            os.write(master, f"{BEANS}\r\n".encode())
            await until(pilot, lambda: "OVER by 1" in screen_text(app))
            os.write(master, b"4000000000006\r\n")
            await until(pilot, lambda: "unknown barcode 4000000000006" in screen_text(app))
            await type_line(pilot, "4")  # typed on the terminal: the next scan counts four times
            await until(pilot, lambda: "qty 4" in screen_text(app))
            os.write(master, f"{FLOUR}\r\n".encode())
            await until(pilot, lambda: "= 4 / 10 bag500g" in screen_text(app))
            os.write(master, b"ODD-1\r\n")
            await until(pilot, lambda: "ODD-1 is not on order" in screen_text(app))
            await pilot.press("enter")
            await until(pilot, lambda: "not on the order" in screen_text(app))
            assert "\x1b" not in screen_text(app) and "[red]x[/]" in screen_text(app)  # its name, literally
            assert all(len(line) <= size[0] for line in screen_text(app).splitlines())
            await pilot.press("f6")
            await until(pilot, lambda: "Over the order: BEANS" in screen_text(app))
            assert "\\x0a" not in screen_text(app)  # the question's own line break is a line break
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ReceiveOrdersScreen))
            await until(pilot, lambda: "partly received" in screen_text(app))
    finally:
        os.close(master)
        os.close(slave)
    [receipt] = Receipt.select()
    moves = [
        (m.product.code, m.quantity, m.from_location.code, m.to_location.code, m.unit_cost, m.terminal)
        for m in Move.select().where(Move.origin == receipt.origin).order_by(Move.id)
    ]
    assert moves == [
        ("BEANS", 25, "SUPPLIER", "WH/IN", Decimal("0.9"), "test-1"),
        ("BEANS", 25, "WH/IN", "WH/STOCK", Decimal("0.9"), "test-1"),
        ("FLOUR-500", 4, "SUPPLIER", "WH/IN", Decimal("0.8"), "test-1"),
        ("FLOUR-500", 4, "WH/IN", "WH/STOCK", Decimal("0.8"), "test-1"),
        ("ODD-1", 1, "SUPPLIER", "WH/IN", None, "test-1"),
        ("ODD-1", 1, "WH/IN", "WH/STOCK", None, "test-1"),
    ]
    assert get_order(order.id).state == "partial"


async def test_a_cancelled_order_is_refused_clearly(app_factory, stocked):
    store, order = place_order(stocked, supplier="Gone Ltd")
    cancel_order(store, order)
    app = app_factory()
    async with app.run_test(size=(20, 16)) as pilot:
        await press_alone(pilot, "2")
        await until(pilot, lambda: isinstance(app.screen, ReceiveOrdersScreen) and "Gone Ltd" in screen_text(app))
        await pilot.press("enter")
        await until(pilot, lambda: "is cancelled" in screen_text(app))
        assert isinstance(app.screen, ReceiveOrdersScreen)
    assert not list(Receipt.select())


async def test_undo_and_a_delivery_without_an_order(app_factory, stocked):
    app = app_factory()
    async with app.run_test(size=(20, 16)) as pilot:
        await open_receiving(pilot, "no order", "f2")
        await type_line(pilot, BEANS_CASE)
        await until(pilot, lambda: "= 12 pc" in screen_text(app))
        assert "not on the order" not in screen_text(app)  # there is no order
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "= 13 pc" in screen_text(app))
        await pilot.press("f5")
        await until(pilot, lambda: "BEANS" in screen_text(app) and "13" in screen_text(app))
        assert "extra" not in screen_text(app)
        await pilot.press("f5")
        await pilot.press("f4")
        await until(pilot, lambda: "Undone" in screen_text(app))
        await pilot.press("f6")
        await until(pilot, lambda: "Post 1 product" in screen_text(app))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReceiveOrdersScreen))
    [receipt] = Receipt.select()
    assert (receipt.order_id, receipt.state) == (None, "done")
    assert [m.quantity for m in Move.select().where(Move.origin == receipt.origin)] == [12, 12]


async def test_restarting_offers_to_resume_the_open_receipt_as_scanned(app_factory, stocked):
    store, order = place_order(stocked)
    terminal = replace(store, operator="tester", terminal="test-1")  # the app's terminal
    receipt = open_receipt(terminal, order)
    record_scan(terminal, receipt, Reading(raw=BEANS, code=BEANS))  # scanned, then the terminal died
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        await until(pilot, lambda: "Resume receipt #1 of order #1" in screen_text(app) and "(Acme)?" in screen_text(app))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReceivingScreen) and app.screen.receipt is not None)
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "+1 = 2 / 24 pc" in screen_text(app))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReceiveOrdersScreen))
    assert [line.received_now for line in receipt_lines(store, receipt) if line.product.code == "BEANS"] == [2]


async def test_what_arrived_set_outright_says_set_to(app_factory, stocked):
    place_order(stocked)
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        await open_receiving(pilot, "Acme")
        await type_line(pilot, FLOUR)
        await until(pilot, lambda: "+1 = 1 / 10 bag500g" in screen_text(app))
        await pilot.press(*"3 kg", "f3")  # six bags of 500 g
        await until(pilot, lambda: "set to 6 / 10 bag500g" in screen_text(app))


@pytest.mark.parametrize("size", [(20, 16), (40, 16)])
async def test_set_after_undoing_the_only_scan_sets_nothing(app_factory, stocked, size):
    store, order = place_order(stocked)
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await open_receiving(pilot, "Acme")
        await type_line(pilot, "ODD-1")
        await until(pilot, lambda: "anyway?" in screen_text(app))
        await pilot.press("enter")  # yes, receive it anyway
        await until(pilot, lambda: "not on the order" in screen_text(app))
        await pilot.press("f4", *"10", "f3")
        await until(pilot, lambda: "nothing to set" in screen_text(app))
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "= 1 / 24 pc" in screen_text(app))
        await pilot.press("f4", *"10", "f3")
        await until(pilot, lambda: "nothing to set" in screen_text(app))
        await type_line(pilot, BEANS_CASE)
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "= 13 / 24 pc" in screen_text(app))
        await pilot.press("f4", *"20", "f3")  # undo the tin: the beans are still the last product
        await until(pilot, lambda: "set to 20 / 24 pc" in screen_text(app))
    [receipt] = Receipt.select()
    assert {line.product.code: line.received_now for line in receipt_lines(store, receipt)} == {
        "BEANS": 20, "FLOUR-500": 0,  # ODD-1 undone: not received
    }


async def test_the_post_question_escapes_codes_but_keeps_its_own_line_break(app_factory, stocked):
    store, order = place_order(stocked)
    # the store refuses control characters in a code, but one written behind its back must still show safely
    Product.update(code="BEANS\x1b[2J").where(Product.code == "BEANS").execute()
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        await open_receiving(pilot, "Acme")
        await type_line(pilot, "25")
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "OVER by 1" in screen_text(app))
        await pilot.press("f6")
        await until(pilot, lambda: "Over the order:" in screen_text(app))
        lines = screen_text(app).splitlines()
        assert any("Post 1 product into storage?" in line and "Over" not in line for line in lines)
        assert "BEANS\\x1b[2J" in screen_text(app) and "\x1b" not in screen_text(app)


@pytest.mark.parametrize("size", [(20, 16), (40, 16)])
async def test_a_bin_outside_the_warehouse_storage_is_refused_as_it_is_chosen(app_factory, stocked, size):
    place_order(stocked)
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await open_receiving(pilot, "Acme")
        screen, last = app.screen, app.screen.query_one("#last")
        await pilot.press("f8")
        await pilot.pause()
        await type_line(pilot, "CUSTOMER")
        await until(pilot, lambda: "CUSTOMER is not a" in screen_text(app) and last.has_class("-error"))
        assert screen.destination is None
        await pilot.press("f8")
        await pilot.pause()
        await type_line(pilot, "LOC-Z-99")
        await until(pilot, lambda: "no location" in screen_text(app))
        await pilot.press("f8")
        await pilot.pause()
        await type_line(pilot, "LOC-A01")
        await until(pilot, lambda: "Put away into A-01" in screen_text(app))
        assert not last.has_class("-error") and "no location" not in screen_text(app)
        assert screen.destination.code == "A-01" and "> A-01" in screen_text(app)


async def test_the_receive_list_starts_on_an_order_to_receive_and_lists_cancelled_ones_last(app_factory, stocked):
    store, to_receive = place_order(stocked, "Acme")
    cancelled = create_order(store, "Bolt", get_location("WH"))  # the newest
    add_line(store, cancelled, get_product("BEANS"), Decimal(6), Decimal("1.00"))
    cancel_order(store, send_order(store, cancelled))
    app = app_factory()
    async with app.run_test(size=(20, 16)) as pilot:
        await press_alone(pilot, "2")
        await until(pilot, lambda: isinstance(app.screen, ReceiveOrdersScreen) and "Bolt" in screen_text(app))
        table = app.screen.query_one("#orders", DataTable)
        assert [row.key.value for row in table.ordered_rows] == [str(to_receive.id), str(cancelled.id), NO_ORDER]
        assert table.cursor_row == 0
