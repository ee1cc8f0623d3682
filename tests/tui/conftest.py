"""App fixtures: a real SQLite store with a little stock, and helpers to read what the screen shows."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal

import pytest
from textual import events
from textual.app import App
from textual.pilot import Pilot

from store.catalog import create_product, get_product
from store.locations import get_location
from store.models import Product
from store.moves import assign_move, plan_move, post_move
from store.units import get_uom
from tui.app import StockroomApp, make_app
from tui.screens.home import HomeScreen

SIZES = [(20, 16), (40, 16), (80, 24), (120, 40)]


@pytest.fixture
def stocked(shop, db_url) -> str:
    """The ``shop`` with stock in its bins, a low-stock product and a product whose name looks like markup."""
    beans, flour = get_product("BEANS"), get_product("FLOUR-500")
    a1, a2 = get_location("A-01"), get_location("A-02")
    supplier, customer = get_location("SUPPLIER"), get_location("CUSTOMER")
    post_move(shop, beans, Decimal(24), supplier, a1)
    post_move(shop, beans, Decimal(4), a1, a2)
    assign_move(shop, plan_move(shop, beans, Decimal(5), a1, customer))
    post_move(shop, flour, Decimal(3), supplier, a2)
    Product.update(low_stock=Decimal(5)).where(Product.id == flour.id).execute()
    odd = create_product(shop, "ODD-1", "[red]x[/]", get_uom("pc"))
    post_move(shop, odd, Decimal(7), supplier, a2)
    return db_url


@pytest.fixture
def app_factory(stocked) -> Callable[..., StockroomApp]:
    """Build the app on the stocked database the way the command line does."""

    def build(**kwargs) -> StockroomApp:
        return make_app(stocked, operator="tester", terminal="test-1", **kwargs)

    return build


async def settle(pilot: Pilot) -> None:
    """Wait until every worker is done and its results are on the screen."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def keys_told(pilot: Pilot, timeout: float = 10.0) -> None:
    """Wait until the home screen has told the keys it holds a scan or a person's key, and acted on them."""
    screen = pilot.app.screen
    deadline = asyncio.get_running_loop().time() + timeout
    while isinstance(screen, HomeScreen) and screen.holding_keys:
        assert asyncio.get_running_loop().time() < deadline, "the home screen still holds keys"
        await pilot.pause(0.02)
    await pilot.pause()


async def press_alone(pilot: Pilot, key: str) -> None:
    """Press a home-screen key as a person does: alone, then quiet until it is told from a scanner's burst."""
    await pilot.press(key)
    await keys_told(pilot)


_CONTROL_KEYS = {"enter": "\r", "tab": "\t", "ctrl+n": "\x0e", "ctrl+o": "\x0f", "ctrl+right_square_bracket": "\x1d"}


async def type_burst(pilot: Pilot, *keys: str) -> None:
    """Keys as a wedge scanner sends them over a terminal: all at once, as one read parsed into keys.

    ``Pilot.press`` waits for the app to go idle after every key, which can
    be longer than the pause that tells a scanner's keys from a person's.
    """
    for key in keys:
        pilot.app.post_message(events.Key(key, _CONTROL_KEYS.get(key, key if len(key) == 1 else None)))
    await pilot.pause()


def screen_text(app: App) -> str:
    """The characters the screen shows now, one line per row."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())
