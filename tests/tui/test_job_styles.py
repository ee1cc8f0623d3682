"""The job screens' stylesheets stay their own: opening one does not change how another is laid out."""

from __future__ import annotations

from decimal import Decimal

from store.catalog import get_product
from store.counting import start_session
from store.database import open_store
from store.locations import get_location
from store.picking import create_pick_list
from tests.tui.conftest import screen_text
from tests.tui.test_counting_ui import open_count, until
from tui.screens.picking import PickScreen


async def test_counting_keeps_its_layout_after_picking(app_factory, stocked):
    store = open_store(stocked, operator="office", terminal="rf-0")
    pick = create_pick_list(store, "P-9", get_location("WH"), [(get_product("BEANS"), Decimal(1))])
    session = start_session(store, get_location("A-01"))
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        count = await open_count(app, pilot, session.id)
        alone = {name: count.query_one(name).styles.height for name in ("#last", "#where")}
        wrap = count.query_one("#where").styles.text_wrap
        app.pop_screen()
        app.push_screen(PickScreen(pick.id))
        await until(pilot, lambda: isinstance(app.screen, PickScreen) and "Go to" in screen_text(app))
        assert app.screen.query_one("#last").styles.height != alone["#last"]  # picking's own: a row less
        app.pop_screen()
        count = await open_count(app, pilot, session.id)
        assert {name: count.query_one(name).styles.height for name in ("#last", "#where")} == alone
        assert count.query_one("#where").styles.text_wrap == wrap
