"""Supply orders in the app: created, filled by typed wedge scans and prompts, sent; refusals change nothing."""

from __future__ import annotations

from decimal import Decimal

from store.catalog import get_product
from store.database import open_store
from store.locations import create_location, get_location
from store.models import SupplyOrder
from store.supply import (
    add_line,
    create_order,
    create_template,
    get_order,
    get_template,
    history,
    order_lines,
    send_order,
)
from tests.tui.conftest import press_alone, screen_text
from tests.tui.test_counting_ui import type_line, until
from tests.tui.test_pick_new_ui import words
from tui.dialogs.order_history import OrderHistoryDialog
from tui.dialogs.prompt import PromptDialog
from tui.screens.order import OrderScreen
from tui.screens.orders import OrdersScreen

BEANS, BEANS_CASE = "5901234123457", "15901234123454"


def lines_of(order_id: int) -> list[tuple[str, Decimal, Decimal | None, Decimal]]:
    return [
        (line.product.code, line.quantity, line.unit_cost, line.discount_pct)
        for line in order_lines(get_order(order_id))
    ]


def office_order(db_url: str, supplier: str = "Acme", sent: bool = False) -> int:
    """An order another terminal entered: 5 bags of flour at 0.80."""
    office = open_store(db_url, operator="office", terminal="rf-0")
    order = create_order(office, supplier, get_location("WH"))
    add_line(office, order, get_product("FLOUR-500"), Decimal(5), Decimal("0.80"))
    if sent:
        send_order(office, order)
    return order.id


async def open_orders(pilot) -> OrdersScreen:
    """Home -> receive -> F3 orders."""
    await press_alone(pilot, "2")
    await until(pilot, lambda: "Receive" in screen_text(pilot.app))
    await pilot.press("f3")
    await until(pilot, lambda: isinstance(pilot.app.screen, OrdersScreen))
    await pilot.pause()
    return pilot.app.screen


async def answer(pilot, question: str, text: str) -> None:
    """Wait for the prompt asking ``question`` and answer it."""
    await until(pilot, lambda: isinstance(pilot.app.screen, PromptDialog) and question in words(pilot.app))
    await type_line(pilot, text)


async def open_order(pilot, order_id: int) -> OrderScreen:
    """From the orders list, Enter on the highlighted (newest) order, waiting for its lines."""
    await until(pilot, lambda: f"{order_id}" in screen_text(pilot.app) and pilot.app.screen.rows)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, OrderScreen) and pilot.app.screen.order is not None)
    return pilot.app.screen


async def test_create_an_order_by_scans_change_a_cost_and_send_it(app_factory, stocked):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_orders(pilot)
        await pilot.press("f2")
        await answer(pilot, "Supplier:", "Acme")
        await answer(pilot, "Expected date", "2026-13-01")  # the only warehouse is not asked
        await answer(pilot, "is not an ISO 8601 date", "2026-12-01")
        await until(pilot, lambda: isinstance(app.screen, OrderScreen) and app.screen.order is not None)
        assert "Acme  WH  due 2026-12-01  draft" in screen_text(app)
        await type_line(pilot, "2")
        await until(pilot, lambda: "qty 2 x next scan" in words(app))
        await type_line(pilot, BEANS_CASE)  # two cases of 12
        await type_line(pilot, BEANS)  # adds up on the line
        await type_line(pilot, "FLOUR-500")  # a product code typed by hand
        await until(pilot, lambda: "+1 bag500g FLOUR-500" in words(app))
        assert "2 lines" in screen_text(app) and "25 pc" in screen_text(app)
        await pilot.press("f5")  # FLOUR-500, just scanned, is highlighted
        await answer(pilot, "Unit cost of FLOUR-500", "0,80")
        await until(pilot, lambda: "FLOUR-500 changed" in words(app))
        await pilot.press("up", "f7")  # BEANS
        await answer(pilot, "Discount on BEANS", "10")
        await until(pilot, lambda: "BEANS changed" in words(app))
        await pilot.press("f6")
        await until(pilot, lambda: "sent: pending receipt" in words(app))
        assert "pending receipt  read-only" in screen_text(app)
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, OrderHistoryDialog))
        text = screen_text(app)
        assert "tester" in text and "test-1" in text and "validated" in text
        await pilot.press("escape", "escape")
        await until(pilot, lambda: isinstance(app.screen, OrdersScreen) and "pending receipt" in screen_text(app))
    order = SupplyOrder.get()  # the only order
    assert (order.supplier, order.state, order.warehouse.code) == ("Acme", "pending", "WH")
    assert f"{order.expected_at.astimezone():%Y-%m-%d}" == "2026-12-01"
    assert lines_of(order.id) == [("BEANS", 25, None, 10), ("FLOUR-500", 1, Decimal("0.80"), 0)]
    assert [(s.state, s.operator, s.terminal) for s in history(order)] == [
        ("draft", "tester", "test-1"), ("validated", "tester", "test-1"), ("pending", "tester", "test-1"),
    ]


async def test_a_sent_order_refuses_edits_with_the_message_and_changes_nothing(app_factory, stocked):
    order_id = office_order(stocked, sent=True)
    app = app_factory()
    bells = []
    app.bell = lambda: bells.append(screen_text(app))
    async with app.run_test(size=(40, 16)) as pilot:
        await open_orders(pilot)
        await open_order(pilot, order_id)
        assert "read-only" in screen_text(app)
        await type_line(pilot, BEANS)
        await until(pilot, lambda: len(bells) == 1)
        assert f"order #{order_id} (Acme) is pending receipt: only a draft can be changed" in words(app)
        await pilot.press("f3")
        await answer(pilot, "Quantity of FLOUR-500", "9")
        await until(pilot, lambda: len(bells) == 2)
        await pilot.press("f4")
        await until(pilot, lambda: len(bells) == 3)
        assert "only a draft can be changed" in words(app)
    assert lines_of(order_id) == [("FLOUR-500", 5, Decimal("0.80"), 0)]
    assert get_order(order_id).state == "pending"


async def test_fill_from_low_stock_adds_the_low_product(app_factory, stocked):
    # FLOUR-500: 3 bags, under its threshold of 5; nothing else has a threshold
    office = open_store(stocked, operator="office", terminal="rf-0")
    order = create_order(office, "Acme", get_location("WH"))
    app = app_factory()
    async with app.run_test(size=(20, 16)) as pilot:
        await open_orders(pilot)
        await open_order(pilot, order.id)
        await pilot.press("f9")
        await answer(pilot, "Order low", "")  # the default: twice the threshold
        await until(pilot, lambda: "Added FLOUR-500" in words(app))
        assert "1 line" in screen_text(app)
        assert all(len(line) <= 20 for line in screen_text(app).splitlines())
    assert lines_of(order.id) == [("FLOUR-500", 7, None, 0)]


async def test_cancel_asks_first_and_send_from_the_list(app_factory, stocked):
    first, second = office_order(stocked), office_order(stocked, "Bolt")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_orders(pilot)
        await until(pilot, lambda: app.screen.rows)
        await pilot.press("f8")  # the newest, Bolt's, is highlighted
        await until(pilot, lambda: "Cancel supply order" in words(app))
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, OrdersScreen))
        assert get_order(second).state == "draft"
        await pilot.press("f8")
        await until(pilot, lambda: "Cancel supply order" in words(app))
        await pilot.press("enter")
        await until(pilot, lambda: f"order #{second} (Bolt) cancelled" in words(app))
        await pilot.press("f8")
        await until(pilot, lambda: "Cancel supply order" in words(app))
        await pilot.press("y")
        await until(pilot, lambda: "already cancelled" in words(app))  # the refusal, literally
        await pilot.press("down", "f6")
        await until(pilot, lambda: f"order #{first} (Acme) sent: pending receipt" in words(app))
    assert (get_order(first).state, get_order(second).state) == ("pending", "cancelled")


async def test_a_supplier_like_markup_shows_literally(app_factory, stocked):
    order_id = office_order(stocked, "[red]x[/]")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_orders(pilot)
        await until(pilot, lambda: "[red]x[/]" in screen_text(app))
        await open_order(pilot, order_id)
        assert f"#{order_id} [red]x[/]  WH" in screen_text(app)


async def test_the_list_at_20x16_shows_number_state_and_supplier(app_factory, stocked):
    order_id = office_order(stocked, sent=True)
    app = app_factory()
    async with app.run_test(size=(20, 16)) as pilot:
        await open_orders(pilot)
        await until(pilot, lambda: app.screen.rows)
        row = next(line for line in screen_text(app).splitlines() if "Acme" in line)
        assert row.split()[:3] == [str(order_id), "pending", "Acme"]


async def test_an_order_from_a_template_into_the_warehouse_named(app_factory, stocked):
    office = open_store(stocked, operator="office", terminal="rf-0")
    create_location(office, "WH2", "Second", "warehouse")
    create_template(office, "Weekly", "Acme", [(get_product("BEANS"), Decimal(24))])
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        await open_orders(pilot)
        await pilot.press("f3")
        await answer(pilot, "Template name:", "Nope")
        await until(pilot, lambda: "no order template 'Nope'" in words(app))
        await pilot.press("f3")
        await answer(pilot, "Template name:", "Weekly")
        await answer(pilot, "Receive into warehouse (WH, WH2)", "WH2")
        await answer(pilot, "Expected date", "")
        await until(pilot, lambda: isinstance(app.screen, OrderScreen) and "1 line" in screen_text(app))
        assert "Acme  WH2  draft" in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, OrdersScreen) and "WH2" in screen_text(app))
        await pilot.press("f4")  # the new order, highlighted
        await answer(pilot, "as template named", "Weekly")
        await until(pilot, lambda: "a template named 'Weekly' already exists" in words(app))
        await pilot.press("f4")
        await answer(pilot, "as template named", "Weekly WH2")
        await until(pilot, lambda: "Template Weekly WH2 saved" in words(app))
    order = SupplyOrder.get()
    assert (order.supplier, order.warehouse.code, order.expected_at, order.note) == (
        "Acme", "WH2", None, "from template Weekly",
    )
    assert lines_of(order.id) == [("BEANS", 24, None, 0)]
    kept = get_template("Weekly WH2")
    assert (kept.supplier, [(ln.product.code, ln.quantity) for ln in kept.lines]) == ("Acme", [("BEANS", 24)])
