"""``--ascii``: every character the app draws is ASCII, whatever drew it; ``--no-mouse``; the flags' env vars."""

from __future__ import annotations

import pytest
from textual.binding import Binding

from store.catalog import create_product
from store.counting import start_session
from store.database import open_store
from store.locations import get_location
from store.units import get_uom
from tests.tui.conftest import screen_text
from tests.tui.test_counting_ui import open_count, type_line, until
from tui.ascii import ascii_key_display, to_ascii
from tui.cli import build_parser
from tui.screens.help import HelpScreen

NAME = "Caf\u00e9 cr\u00e8me \u2014 \u65e5\u672c \u2192 \u2026 \u2713"


def test_to_ascii_keeps_the_width_of_every_character():
    from rich.cells import cell_len

    for text in (NAME, "\u256d\u2500\u256e\u2502\u2570\u256f", "\u2581\u2594\u258a\u258e\u2588", "a\u0301b", "\u241d"):
        converted = to_ascii(text)
        assert converted.isascii()
        assert len(converted) == cell_len(text)
    assert to_ascii("Caf\u00e9 \u2026") == "Cafe ~"
    assert to_ascii("\u256d\u2500\u256e") == "+-+"


@pytest.mark.parametrize(("key", "shown"), [
    ("f3", "F3"), ("enter", "Enter"), ("escape", "Esc"), ("up", "Up"), ("ctrl+q", "^Q"), ("n", "n"),
])
def test_keys_are_shown_in_plain_words(key, shown):
    assert ascii_key_display(Binding(key, "x", "X")) == shown


def test_flags_and_their_environment_variables(monkeypatch):
    args = build_parser().parse_args([])
    assert (args.ascii, args.mouse) == (False, True)
    args = build_parser().parse_args(["--ascii", "--no-mouse"])
    assert (args.ascii, args.mouse) == (True, False)
    monkeypatch.setenv("STOCKROOM_ASCII", "1")
    monkeypatch.setenv("STOCKROOM_NO_MOUSE", "1")
    args = build_parser().parse_args([])
    assert (args.ascii, args.mouse) == (True, False)
    monkeypatch.setenv("STOCKROOM_ASCII", "0")
    assert build_parser().parse_args([]).ascii is False


def non_ascii(text: str) -> set[str]:
    return {char for char in text if not char.isascii()}


@pytest.mark.parametrize("size", [(20, 16), (40, 16), (80, 24)])
async def test_ascii_app_draws_only_ascii(app_factory, stocked, shop, size):
    product = create_product(shop, "CAFE-1", NAME, get_uom("pc"))
    shop_store = open_store(stocked, operator="office", terminal="rf-0")
    session = start_session(shop_store, get_location("A-01"))
    app = app_factory(ascii_only=True)
    async with app.run_test(size=size, notifications=True, tooltips=True) as pilot:
        home = screen_text(app)
        assert home.isascii(), non_ascii(home)
        await open_count(app, pilot, session.id)
        await type_line(pilot, product.code)
        await until(pilot, lambda: "= 1 pc" in screen_text(app))
        assert "Cafe" in screen_text(app)
        await type_line(pilot, "\u00c4\u00d6-??")
        await until(pilot, lambda: "nknown" in screen_text(app))
        app.notify("Gespeichert \u2714 \u2026 done", title="\u00dcbersicht")
        await until(pilot, lambda: "Gespeichert" in screen_text(app))
        text = screen_text(app)
        assert text.isascii(), non_ascii(text)
        await pilot.press("f5")  # the lines
        await until(pilot, lambda: "CAFE-1" in screen_text(app))
        text = screen_text(app)
        assert text.isascii(), non_ascii(text)
        await pilot.press("f1")  # help: a bordered box over the screen, the keys
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        text = screen_text(app)
        assert "Undo" in text
        assert text.isascii(), non_ascii(text)
        assert "F4" in text


def test_the_command_runs_the_app_ascii_and_without_the_mouse(tmp_path, monkeypatch):
    from tui.app import StockroomApp
    from tui.cli import main

    runs = []
    monkeypatch.setattr(StockroomApp, "run", lambda self, mouse=True: runs.append((self.ascii_only, mouse)))
    url = f"sqlite:///{tmp_path / 'stock.db'}"
    assert main(["--db", url, "--ascii", "--no-mouse"]) == 0
    assert main(["--db", url]) == 0
    assert runs == [(True, False), (False, True)]


async def test_without_colour_every_state_is_still_said(app_factory, stocked, monkeypatch):
    """NO_COLOR (Textual draws in monochrome): the error, the count and its difference read in words and signs."""
    monkeypatch.setenv("NO_COLOR", "1")
    session = start_session(open_store(stocked, operator="office", terminal="rf-0"), get_location("A-01"))
    app = app_factory(ascii_only=True)
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await open_count(app, pilot, session.id)
        await type_line(pilot, "5901234123457")
        await type_line(pilot, "NO-SUCH-1")
        await until(pilot, lambda: "Unknown barcode" in screen_text(app))
        await until(pilot, lambda: "-19" in screen_text(app))  # 1 counted of 20 expected, with its sign
        styles = {segment.style.color for strip in app.screen._compositor.render_strips() for segment in strip
                  if segment.style is not None and segment.style.color is not None}
        assert all(color.is_system_defined or color.triplet is None or len(set(color.triplet)) == 1
                   for color in styles)  # greys only
