"""App fixtures: a real SQLite store with a little stock, and helpers to read what the screen shows."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from textual.app import App
from textual.pilot import Pilot

from store.catalog import create_product, get_product
from store.locations import get_location
from store.models import Product
from store.moves import assign_move, plan_move, post_move
from store.units import get_uom
from tui.app import StockroomApp, make_app

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


def screen_text(app: App) -> str:
    """The characters the screen shows now, one line per row."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())
