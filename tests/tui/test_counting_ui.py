"""Counting a shelf through the app, with keys only: typed wedge scans and a serial scanner on a pty."""

from __future__ import annotations

import asyncio
import os
import tty
from decimal import Decimal

import pytest

from devices.settings import ScannerSettings
from store.catalog import create_product, get_product, product_by_barcode
from store.count_confirm import confirm
from store.count_lines import count_state
from store.counting import get_session, open_sessions, set_count, start_session
from store.database import open_store
from store.locations import get_location
from store.models import CountRecord, CountSession, Move, Product
from store.stock import on_hand
from store.units import get_uom
from tests.tui.conftest import SIZES, press_alone, screen_text
from tui.screens.count_confirm import CountConfirmScreen
from tui.screens.counting import CountScreen

BEANS, BEANS_CASE = "5901234123457", "15901234123454"


# Sessions the tests open directly are started on terminal rf-0: the app (test-1) offers to
# resume only its own open counts, which the resume test covers.


async def until(pilot, predicate, timeout: float = 10.0) -> None:
    """Let the app run until ``predicate()`` holds (the count writer never finishes, so no waiting for workers)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out; the screen shows:\n{screen_text(pilot.app)}")
        await pilot.pause(0.02)


async def type_line(pilot, text: str) -> None:
    await pilot.press(*text, "enter")


async def open_count(app, pilot, session_id: int) -> CountScreen:
    """Open the count screen of a session and wait until it shows the session."""
    app.push_screen(CountScreen(session_id))
    await until(pilot, lambda: isinstance(app.screen, CountScreen) and app.screen.session is not None)
    return app.screen


async def start_count_by_keys(pilot, location: str) -> None:
    """Home -> counts -> new count form -> start, all with keys."""
    await press_alone(pilot, "1")
    await until(pilot, lambda: "Counts" in screen_text(pilot.app))
    await pilot.press("f2")
    await pilot.pause()
    await pilot.press(*location)
    await pilot.press("f2")
    await until(pilot, lambda: isinstance(pilot.app.screen, CountScreen) and pilot.app.screen.session is not None)


@pytest.mark.parametrize("size", SIZES)
async def test_count_a_shelf_by_wedge_scans_and_confirm(app_factory, stocked, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await start_count_by_keys(pilot, "A-01")
        screen = app.screen
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "= 1 pc" in screen_text(app))
        assert "BEANS" in screen_text(app)
        await type_line(pilot, "2")  # a quantity typed by hand: the next scan counts twice
        await until(pilot, lambda: "qty 2" in screen_text(app))
        await type_line(pilot, BEANS_CASE)
        await until(pilot, lambda: "= 25 pc" in screen_text(app))
        text = screen_text(app)
        assert all(len(line) <= size[0] for line in text.splitlines())
        assert "1/1" in text  # progress: lines counted of lines expected
        await pilot.press("f4")  # undo the two cases
        await until(pilot, lambda: "Undone" in screen_text(app))
        await pilot.press(*"19", "f3")  # set the line outright: 19 pc
        await until(pilot, lambda: "set to 19 pc" in screen_text(app))
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, CountConfirmScreen) and "differ" in screen_text(app))
        await pilot.press("f6")
        await until(pilot, lambda: app.screen is not screen and not isinstance(app.screen, CountConfirmScreen))
    session = CountSession.select().order_by(CountSession.id.desc()).first()
    assert session.state == "confirmed"
    [move] = Move.select().where(Move.origin == session.origin)
    assert (move.product.code, move.quantity, move.to_location.code) == ("BEANS", 1, "WH/LOST")
    assert (move.operator, move.terminal) == ("tester", "test-1")


async def test_a_serial_scanner_on_a_pty_counts_into_the_open_screen(app_factory, stocked, tmp_path):
    master, slave = os.openpty()
    tty.setraw(master)
    link = tmp_path / "scanner"
    link.symlink_to(os.ttyname(slave))
    store = open_store(stocked, operator="tester", terminal="rf-0")
    session = start_session(store, get_location("A-01"))
    app = app_factory(scanner=ScannerSettings(port=str(link), baudrate=115200))
    try:
        async with app.run_test(size=(40, 16)) as pilot:
            await until(pilot, lambda: app.scanner_status == "connected")
            await open_count(app, pilot, session.id)
            os.write(master, f"{BEANS}\r\n{BEANS}\r".encode())
            os.write(master, f"\n{BEANS_CASE}\r\n".encode())  # CRLF split across writes
            await until(pilot, lambda: "= 14 pc" in screen_text(app))
            os.write(master, b"59012341234\x1b[2J\r\n")  # line noise with an escape sequence
            await until(pilot, lambda: "\\x1b" in screen_text(app))  # refused, shown escaped
    finally:
        os.close(master)
        os.close(slave)
    [line] = count_state(store, get_session(session.id)).lines
    assert line.counted == 14


async def test_untrusted_names_and_unknown_barcodes_show_literally_and_can_be_assigned(app_factory, stocked):
    store = open_store(stocked, operator="tester", terminal="rf-0")
    markup = create_product(store, "MARKUP", "[red]x[/]", get_uom("pc"), [("4000000000013", Decimal(1))])
    # the store refuses control characters, but a name written behind its back must still show safely
    Product.update(name="[red]x[/] \x1b[31m").where(Product.id == markup.id).execute()
    session = start_session(store, get_location("A-02"))
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_count(app, pilot, session.id)
        await type_line(pilot, "4000000000013")
        await until(pilot, lambda: "[red]x[/]" in screen_text(app))
        assert "\x1b" not in screen_text(app)
        await type_line(pilot, "4000000000006")
        await until(pilot, lambda: "Unknown barcode" in screen_text(app))
        await pilot.press("f9")
        await pilot.pause()
        await type_line(pilot, "MARKUP")
        await until(pilot, lambda: len(count_state(store, get_session(session.id)).unresolved) == 0)
        await until(pilot, lambda: "2" in screen_text(app))
    [line] = [ln for ln in count_state(store, get_session(session.id)).lines if ln.product.code == "MARKUP"]
    assert line.counted == 2


async def test_blind_count_does_not_show_the_expected_quantity(app_factory, stocked):
    store = open_store(stocked, operator="tester", terminal="rf-0")
    session = start_session(store, get_location("A-01"), blind=True)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_count(app, pilot, session.id)
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "= 1 pc" in screen_text(app))
        text = screen_text(app)
        assert "Expected" not in text and "Diff" not in text and "blind" in text
        assert "20" not in text  # A-01 holds 20 beans; a blind counter must not learn it


async def test_restarting_offers_to_resume_the_open_count(app_factory, stocked):
    store = open_store(stocked, operator="tester", terminal="test-1")
    session = start_session(store, get_location("A-01"))
    first = app_factory()
    async with first.run_test(size=(20, 16)) as pilot:
        await until(pilot, lambda: "Resume count" in screen_text(first))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(first.screen, CountScreen) and first.screen.session is not None)
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "= 1 pc" in screen_text(first))
    assert session in open_sessions()
    again = app_factory()
    async with again.run_test(size=(40, 16)) as pilot:
        await until(pilot, lambda: "Resume count" in screen_text(again))
        await pilot.press("enter")
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "= 2 pc" in screen_text(again))
    assert on_hand(store, get_product("BEANS"), get_location("A-01")) == 20


async def test_form_sets_a_tolerance_and_f7_sends_big_differences_to_recount(app_factory, stocked):
    app = app_factory()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await press_alone(pilot, "1")
        await until(pilot, lambda: "Counts" in screen_text(app))
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press(*"A-01", *["tab"] * 6, *"10", "f2")
        await until(pilot, lambda: isinstance(app.screen, CountScreen) and app.screen.session is not None)
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "= 1 pc" in screen_text(app))
        await pilot.press(*"10", "f3")  # A-01 holds 20: half of it is missing
        await until(pilot, lambda: "set to 10 pc" in screen_text(app))
        await until(pilot, lambda: "tester" in screen_text(app))  # who counted the line
        await pilot.press("f7")
        await until(pilot, lambda: "1 lines sent to recount" in screen_text(app))
        session = app.screen.session
    assert get_session(session.id).tolerance_pct == 10
    store = open_store(stocked, operator="tester", terminal="rf-0")
    [line] = [ln for ln in count_state(store, get_session(session.id)).lines if ln.product.code == "BEANS"]
    assert line.needs_recount and line.counted == 0


async def test_undo_after_a_refused_scan_clears_the_red_message_line(app_factory, stocked):
    store = open_store(stocked, operator="tester", terminal="rf-0")
    session = start_session(store, get_location("A-01"))
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        await open_count(app, pilot, session.id)
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "= 1 pc" in screen_text(app))
        await type_line(pilot, "5901234123458")  # a wrong check digit: refused, in red
        last = app.screen.query_one("#last")
        await until(pilot, lambda: last.has_class("-error"))
        await pilot.press("f4")
        await until(pilot, lambda: "Undone" in screen_text(app))
        assert not last.has_class("-error")


async def test_the_new_count_form_ticks_with_space_moves_on_with_enter_and_shows_ticks_without_colour(
    app_factory, stocked
):
    app = app_factory()
    async with app.run_test(size=(20, 16)) as pilot:
        await press_alone(pilot, "1")
        await until(pilot, lambda: "Counts" in screen_text(app))
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press(*"A-01", "enter", "enter", "space")  # a scanner's Enter, then Enter on sub-locations
        await pilot.pause()
        boxes = {line[4:]: line[:3] for line in screen_text(app).splitlines() if line[:1] == "▐" and line[4:]}
        assert boxes == {"sub-locations": "▐ ▌", "blind count": "▐X▌", "uncounted = 0": "▐ ▌"}
        await pilot.press("up", "up")  # back to the location, without Shift+Tab
        assert app.focused is not None and app.focused.id == "location"
        await pilot.press("down")
        assert app.focused is not None and app.focused.id == "children"
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, CountScreen) and app.screen.session is not None)
        session = app.screen.session
    assert (session.blind, session.children) == (True, False)


@pytest.mark.parametrize("size", [(20, 16), (40, 16)])
async def test_set_after_an_undo_sets_the_scan_before_it_never_the_one_undone(app_factory, stocked, size):
    store = open_store(stocked, operator="tester", terminal="rf-0")
    session = start_session(store, get_location("A-01"))
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await open_count(app, pilot, session.id)
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "= 1 pc" in screen_text(app))
        await type_line(pilot, "4006381333931")  # flour
        await until(pilot, lambda: "= 1 bag500g" in screen_text(app))
        await pilot.press("f4", "9", "f3")  # undo the flour, then set at once: the beans are the last still counted
        await until(pilot, lambda: "9 pc" in screen_text(app))
        await pilot.press("f4", "f4", "5", "f3")  # undo the set and the beans: nothing left to set
        await until(pilot, lambda: "nothing to set" in screen_text(app))
    lines = {ln.product.code: ln.counted for ln in count_state(store, get_session(session.id)).lines}
    assert lines.get("FLOUR-500") is None and lines["BEANS"] is None
    kinds = [r.kind for r in CountRecord.select().where(CountRecord.session == session.id).order_by(CountRecord.id)]
    assert kinds == ["add", "add", "undo", "set", "undo", "undo"]


@pytest.mark.parametrize("size", [(20, 16), (40, 16)])
async def test_a_typed_quantity_of_zero_or_less_is_refused_and_nothing_recorded(app_factory, stocked, size):
    store = open_store(stocked, operator="tester", terminal="rf-0")
    session = start_session(store, get_location("A-01"))
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await open_count(app, pilot, session.id)
        last = app.screen.query_one("#last")
        await type_line(pilot, "-3")
        await until(pilot, lambda: "more than 0" in screen_text(app) and last.has_class("-error"))
        assert "Unknown" not in screen_text(app)
        await type_line(pilot, "12")
        await until(pilot, lambda: "qty 12" in screen_text(app))
        await type_line(pilot, "0")  # refused too, and the 12 typed before it is dropped
        await until(pilot, lambda: "0: quantities" in screen_text(app) and "qty 12" not in screen_text(app))
        await type_line(pilot, "LOC-A01")  # a label with a dash is still a scan
        await until(pilot, lambda: "Counting at A-01" in screen_text(app))
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "= 1 pc" in screen_text(app))
    kinds = [r.kind for r in CountRecord.select().where(CountRecord.session == session.id).order_by(CountRecord.id)]
    assert kinds == ["location", "add"]


@pytest.mark.parametrize("size", [(20, 16), (40, 16)])
async def test_a_line_set_outright_says_set_to_not_plus_zero(app_factory, stocked, size):
    store = open_store(stocked, operator="tester", terminal="rf-0")
    session = start_session(store, get_location("A-02"))
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await open_count(app, pilot, session.id)
        await type_line(pilot, "4006381333931")  # flour, kept in 500 g bags
        await until(pilot, lambda: "= 1 bag500g" in screen_text(app))
        await pilot.press(*"100", "f3")
        await until(pilot, lambda: "set to 100" in screen_text(app))
        assert "+0" not in screen_text(app)
        await pilot.press(*"8,5 kg", "f3")
        await until(pilot, lambda: "set to 17" in screen_text(app))
        assert "+0" not in screen_text(app)


@pytest.mark.parametrize("size", [(20, 16), (40, 16)])
async def test_assigning_an_unknown_barcode_says_so(app_factory, stocked, size):
    store = open_store(stocked, operator="tester", terminal="rf-0")
    session = start_session(store, get_location("A-02"))
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await open_count(app, pilot, session.id)
        await type_line(pilot, "4000000000006")
        await until(pilot, lambda: "Unknown barcode" in screen_text(app))
        await pilot.press("f9")
        await pilot.pause()
        await type_line(pilot, "ODD-1")
        await until(pilot, lambda: "Assigned to ODD-1" in screen_text(app))
        assert "Unknown" not in screen_text(app) and "= 1 pc" in screen_text(app)
        assert not app.screen.query_one("#last").has_class("-error")
    assert product_by_barcode("4000000000006")[0].code == "ODD-1"


@pytest.mark.parametrize("size", [(40, 16), (80, 24)])
async def test_reviewing_a_confirmed_count_shows_what_it_posted_read_only(app_factory, stocked, size):
    store = open_store(stocked, operator="tester", terminal="rf-0")
    session = start_session(store, get_location("A-02"))
    for code, quantity in (("BEANS", 5), ("FLOUR-500", 3), ("ODD-1", 7)):  # beans 4 on hand: one found
        set_count(store, session, get_product(code), Decimal(quantity))
    confirm(store, session)
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await press_alone(pilot, "1")
        await until(pilot, lambda: "Counts" in screen_text(app) and "A-02" in screen_text(app))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CountConfirmScreen) and "differ" in screen_text(app))
        text = screen_text(app)
        assert "3 counted, 1 differ" in text
        assert "BEANS" in text and "+1 pc" in text
        assert "FLOUR-500" not in text and "ODD-1" not in text  # counted right: nothing posted for them
        assert "Post" not in text  # read-only: no F6 on offer
        await pilot.press("f6")
        await pilot.pause(0.2)
        assert isinstance(app.screen, CountConfirmScreen) and "already" not in screen_text(app)
    assert Move.select().where(Move.origin == session.origin).count() == 1


@pytest.mark.parametrize("size", [(40, 16), (80, 24)])
async def test_confirming_a_count_with_uncounted_as_zero_lists_every_line_it_writes_off(app_factory, stocked, size):
    store = open_store(stocked, operator="tester", terminal="rf-0")
    session = start_session(store, get_location("A-02"), blind=True, empty_policy="zero")
    set_count(store, session, get_product("BEANS"), Decimal(5))  # 4 on hand: one found; flour and ODD-1 uncounted
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await open_count(app, pilot, session.id)
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, CountConfirmScreen) and "differ" in screen_text(app))
        text = screen_text(app)
        assert "2 uncounted count as zero" in text
        table = app.screen.query_one("#review")
        rows = {str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)] for i in range(table.row_count)}
        assert set(rows) == {"BEANS", "FLOUR-500", "ODD-1"}  # every line confirming posts
        assert rows["FLOUR-500"][2:] == ["-3 bag500g", "uncounted"]  # no conflicts: no Moved column
        assert rows["ODD-1"][2:] == ["-7 pc", "uncounted"]
        assert rows["BEANS"][2:] == ["+1 pc", ""]
        for shown in ("BEANS", "FLOUR-500", "-3 bag500g", "ODD-1", "-7 pc"):
            assert shown in text
        assert text.count("uncounted") == 3  # the summary and the two lines
        assert all(len(row) <= size[0] for row in text.splitlines())
        await pilot.press("f6")
        await until(pilot, lambda: not isinstance(app.screen, CountConfirmScreen))
    posted = {(m.product.code, m.quantity) for m in Move.select().where(Move.origin == session.origin)}
    assert posted == {("BEANS", 1), ("FLOUR-500", 3), ("ODD-1", 7)}
