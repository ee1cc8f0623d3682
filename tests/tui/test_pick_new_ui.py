"""Entering a pick list in the app with typed wedge scans: saved, reserved, refusals that lose nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.catalog import get_product
from store.database import open_store
from store.locations import get_location
from store.models import PickLine, PickList
from store.picking import create_pick_list, reservations
from tests.tui.conftest import press_alone, screen_text
from tests.tui.test_counting_ui import type_line, until
from tui.dialogs.prompt import ConfirmDialog
from tui.screens.pick_lists import PickListsScreen
from tui.screens.pick_new import NewPickScreen

BEANS, BEANS_CASE = "5901234123457", "15901234123454"


def words(app) -> str:
    """The screen's text with wrapping undone: a message split over lines reads as one."""
    return " ".join(screen_text(app).split())


def lines_of(reference: str) -> list[tuple[str, Decimal]]:
    pick = PickList.get(PickList.reference == reference)
    return [(line.product.code, line.quantity) for line in pick.lines.order_by(PickLine.id)]


def reserved_of(reference: str) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for move in reservations(PickList.get(PickList.reference == reference)):
        totals[move.product.code] = totals.get(move.product.code, Decimal(0)) + move.quantity
    return totals


async def open_new_pick(pilot, reference: str) -> NewPickScreen:
    """Home -> pick lists -> F2, waiting for the proposed reference."""
    app = pilot.app
    await press_alone(pilot, "3")
    await until(pilot, lambda: isinstance(app.screen, PickListsScreen))
    await pilot.press("f2")
    await until(pilot, lambda: isinstance(app.screen, NewPickScreen) and app.screen.query_one("#reference").value)
    assert app.screen.query_one("#reference").value == reference
    assert app.screen.query_one("#warehouse").value == "WH"  # the only warehouse
    return app.screen


async def head(pilot, customer: str) -> None:
    """Type the customer, then Enter past the warehouse to the scan entry."""
    await type_line(pilot, customer)
    await pilot.press("enter")
    assert pilot.app.focused.id == "entry"


@pytest.mark.parametrize("size", [(20, 16), (80, 24)])
async def test_create_a_pick_list_by_typed_scans_and_reserve_it(app_factory, stocked, size):
    # BEANS: 20 at A-01 (5 reserved elsewhere) and 4 at A-02; FLOUR-500: 3 at A-02
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        screen = await open_new_pick(pilot, "P-1")
        await head(pilot, "Member 7")
        await type_line(pilot, "2")
        await until(pilot, lambda: "qty 2 x next scan" in words(app))
        await type_line(pilot, BEANS_CASE)  # two cases of 12
        await type_line(pilot, BEANS)  # adds up with the cases
        await type_line(pilot, "FLOUR-500")  # a product code typed by hand
        await type_line(pilot, "ODD-1")
        await until(pilot, lambda: "3 lines" in screen_text(app))
        await pilot.press("f4")  # ODD-1 was a mistake
        await until(pilot, lambda: "Removed ODD-1" in screen_text(app))
        text = screen_text(app)
        assert "2 lines" in text and "FLOUR-500" in text and "1 bag500g" in text
        assert all(len(line) <= size[0] for line in text.splitlines())
        assert ("25 pc" in text) == (size != (20, 16))  # the lines table shows from 80x24
        await pilot.press("f6")
        await until(pilot, lambda: app.screen is not screen and "P-1" in screen_text(app))
        assert "Pick list P-1 created; 6 pc of BEANS not in stock" in words(app)
        table = app.screen.query_one("#picks")
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == str(
            PickList.get(PickList.reference == "P-1").id
        )
    pick = PickList.get(PickList.reference == "P-1")
    assert (pick.customer, pick.warehouse.code, pick.state) == ("Member 7", "WH", "draft")
    assert lines_of("P-1") == [("BEANS", 25), ("FLOUR-500", 1)]
    assert reserved_of("P-1") == {"BEANS": 19, "FLOUR-500": 1}


async def test_an_unknown_barcode_or_too_precise_quantity_is_refused_and_the_lines_stay(app_factory, stocked):
    app = app_factory()
    bells = []
    app.bell = lambda: bells.append(screen_text(app))
    async with app.run_test(size=(40, 16)) as pilot:
        await open_new_pick(pilot, "P-1")
        await head(pilot, "")
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "1 line" in screen_text(app))
        await type_line(pilot, "NOPE-1")
        await until(pilot, lambda: len(bells) == 1)
        assert "Unknown barcode NOPE-1" in words(app) and "1 line" in screen_text(app)
        await type_line(pilot, "0.5")
        await type_line(pilot, BEANS)  # half a tin
        await until(pilot, lambda: len(bells) == 2)
        assert "decimals" in words(app) and "1 line" in screen_text(app)
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, PickListsScreen))
    assert lines_of("P-1") == [("BEANS", 1)]
    assert PickList.get(PickList.reference == "P-1").customer == ""


async def test_a_duplicate_reference_is_refused_with_the_message_and_can_be_changed(app_factory, stocked):
    office = open_store(stocked, operator="office", terminal="rf-0")
    create_pick_list(office, "P-1", get_location("WH"), [(get_product("FLOUR-500"), Decimal(1))])
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        screen = await open_new_pick(pilot, "P-2")
        await pilot.press("f3", "end", "backspace", "1")  # P-2 -> P-1, which exists
        await pilot.press("enter", "enter", "enter")
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "1 line" in screen_text(app))
        await pilot.press("f6")
        await until(pilot, lambda: "already exists" in screen_text(app))
        assert "pick list P-1 already exists" in words(app)
        assert app.screen is screen and "1 line" in screen_text(app)
        assert lines_of("P-1") == [("FLOUR-500", 1)]  # the other list is untouched
        await pilot.press("f3", "end", "backspace", "9", "f6")
        await until(pilot, lambda: isinstance(app.screen, PickListsScreen) and "P-9" in screen_text(app))
    assert lines_of("P-9") == [("BEANS", 1)]
    assert PickList.select().count() == 2


async def test_a_customer_name_like_markup_is_shown_literally(app_factory, stocked):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_new_pick(pilot, "P-1")
        await head(pilot, "[red]x[/]")
        assert "[red]x[/]" in screen_text(app)
        await type_line(pilot, "ODD-1")  # its name is [red]x[/] too
        await until(pilot, lambda: "1 line" in screen_text(app))
        await pilot.press("f6")
        await until(pilot, lambda: app.screen is not screen and "P-1" in screen_text(app))
        row = next(line for line in screen_text(app).splitlines() if "P-1" in line and "created" not in line)
        assert "[red]x[/]" in row
    assert PickList.get(PickList.reference == "P-1").customer == "[red]x[/]"
    assert reserved_of("P-1") == {"ODD-1": 1}


async def test_leaving_with_lines_asks_first_and_saves_nothing(app_factory, stocked):
    app = app_factory()
    async with app.run_test(size=(20, 16)) as pilot:
        await press_alone(pilot, "3")
        await until(pilot, lambda: isinstance(app.screen, PickListsScreen))
        await pilot.press("n")  # the letter opens it too
        await until(pilot, lambda: isinstance(app.screen, NewPickScreen) and app.screen.query_one("#reference").value)
        screen = app.screen
        await head(pilot, "Member 7")
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "1 line" in screen_text(app))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog) and "Drop this" in screen_text(app))
        await pilot.press("n")
        await until(pilot, lambda: app.screen is screen)
        assert "1 line" in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog) and "Drop this" in screen_text(app))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PickListsScreen))
    assert PickList.select().count() == 0
