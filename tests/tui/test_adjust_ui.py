"""Adjusting stock by hand through the app: bin, product, in or out with a reason, post."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.catalog import add_barcode, get_product
from store.database import open_store
from store.locations import get_location
from store.models import Move
from store.stock import on_hand
from tests.tui.conftest import press_alone, screen_text
from tests.tui.test_counting_ui import type_line, until
from tui.screens.adjust import AdjustScreen
from tui.screens.home import HomeScreen

BEANS, BEANS_CASE, FLOUR = "5901234123457", "15901234123454", "4006381333931"


def shown(app) -> str:
    """The screen's text with wrapped lines joined: a message reads whole at any width."""
    return " ".join(line.strip() for line in screen_text(app).splitlines())


def adjustments() -> list[tuple[str, Decimal, str, str, str]]:
    moves = Move.select().where(Move.origin == "adjustment").order_by(Move.id)
    return [(m.product.code, m.quantity, m.from_location.code, m.to_location.code, m.reason) for m in moves]


async def open_adjust(pilot) -> AdjustScreen:
    await press_alone(pilot, "6")
    await until(pilot, lambda: isinstance(pilot.app.screen, AdjustScreen) and pilot.app.screen.reason is not None)
    return pilot.app.screen


@pytest.mark.parametrize("size", [(20, 16), (80, 24)])
async def test_add_stock_by_wedge_scans_with_a_reason(app_factory, stocked, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        screen = await open_adjust(pilot)
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "Scan the bin first" in shown(app))
        await type_line(pilot, "LOC-A02")
        await type_line(pilot, "2")
        await type_line(pilot, BEANS_CASE)  # 2 cases of 12
        await type_line(pilot, BEANS)  # and one tin
        await until(pilot, lambda: "25 pc" in screen_text(app))
        await pilot.press("down")  # found, after the first reason (alphabetical: found, gift, received)
        await until(pilot, lambda: screen.reason == "gift")
        text = screen_text(app)
        assert "Bin A-02" in text and "BEANS" in text and "gift" in text
        assert all(len(line) <= size[0] for line in text.splitlines())
        await pilot.press("f6")
        await until(pilot, lambda: "Added 25 pc BEANS at A-02: gift" in shown(app))
        assert "Bin A-02" in screen_text(app) and "Scan a product" in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert adjustments() == [("BEANS", 25, "WH/LOST", "A-02", "gift")]
    assert on_hand(app.store, get_product("BEANS"), get_location("A-02")) == 29


@pytest.mark.parametrize("size", [(20, 16), (40, 16)])
async def test_a_refused_removal_shows_why_posts_nothing_and_keeps_the_adjustment(app_factory, stocked, size):
    # 20 beans, 5 of them reserved for a pick; WH forbids negative stock
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        screen = await open_adjust(pilot)
        await pilot.press("f3")
        await until(pilot, lambda: screen.reason == "damaged")
        await type_line(pilot, "LOC-A01")
        await type_line(pilot, "16")
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "16 pc" in screen_text(app))
        await pilot.press("f6")
        await until(pilot, lambda: "Only 15 pc of BEANS at A-01; 16 requested" in shown(app))
        assert adjustments() == []
        await pilot.press("f7")  # take from reserved stock too: 16 of 20 is there
        await until(pilot, lambda: "from reserved" in screen_text(app))
        await pilot.press("f6")
        await until(pilot, lambda: "Removed 16 pc BEANS at A-01" in shown(app))
        await type_line(pilot, "5")
        await type_line(pilot, BEANS)
        await pilot.press("f6")  # 4 left, all reserved: a post takes from reserved stock only when told again
        await until(pilot, lambda: "Only 0 pc of BEANS at A-01; 5 requested" in shown(app))
        await pilot.press("f7")
        await pilot.press("f6")  # no negative stock, even from reserved stock
        await until(pilot, lambda: "Only 4 pc of BEANS at A-01; 5 requested" in shown(app))
        assert "5 pc" in screen_text(app) and "BEANS" in screen_text(app)
        await type_line(pilot, "4000000000006")
        await until(pilot, lambda: "Unknown barcode 4000000000006" in shown(app))
        await type_line(pilot, FLOUR)
        await until(pilot, lambda: "clear (F4) BEANS first" in shown(app))
    assert adjustments() == [("BEANS", 16, "A-01", "WH/LOST", "damaged")]
    assert on_hand(app.store, get_product("BEANS"), get_location("A-01")) == 4


async def test_a_product_named_like_markup_is_shown_literally(app_factory, stocked):
    store = open_store(stocked, operator="office", terminal="rf-0")
    add_barcode(store, get_product("ODD-1"), "2000000000008")
    store.close()
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_adjust(pilot)
        await pilot.press("f3")
        await until(pilot, lambda: screen.reason == "damaged")
        await type_line(pilot, "LOC-A02")
        await type_line(pilot, "2000000000008")
        await until(pilot, lambda: "ODD-1" in screen_text(app))
        assert "[red]x[/]" in screen_text(app)
        await pilot.press("f6")
        await until(pilot, lambda: "Removed 1 pc ODD-1" in shown(app))
    assert adjustments() == [("ODD-1", 1, "A-02", "WH/LOST", "damaged")]
