"""Counting, receiving and picking through a server that goes away and comes back: scans kept, shown as kept, saved once."""

from __future__ import annotations

import threading
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

import pytest

from store.catalog import get_product
from store.count_lines import count_state
from store.counting import get_session, start_session
from store.database import open_store
from store.errors import DatabaseRefused
from store.journal import open_journal
from store.journal_entries import count_scan
from store.locations import get_location
from store.models import CountRecord, PickRecord
from store.picking import create_pick_list
from store.receiving import open_delivery, receipt_lines
from store.scanned import Reading
from tests.conftest import SERVER, postgres_only
from tests.pg_proxy import Proxy
from tests.tui.conftest import screen_text
from tests.tui.test_counting_ui import open_count, until
from tui.app import StockroomApp, make_app
from tui.run import app_when_reachable
from tui.screens.picking import PickScreen
from tui.screens.receiving import ReceivingScreen

BEANS = "5901234123457"


@pytest.fixture
def proxy():
    opened = Proxy(SERVER)
    yield opened
    opened.close()


def top_line(app) -> str:
    return screen_text(app).splitlines()[0]


@postgres_only
@pytest.mark.parametrize("size", [(20, 16), (40, 16), (80, 24)])
async def test_scans_while_the_server_is_gone_are_kept_then_saved_once_in_order(stocked, proxy, tmp_path, size):
    session = start_session(open_store(stocked, operator="tester", terminal="rf-0"), get_location("A-01"))
    app = make_app(proxy.url(stocked), operator="tester", terminal="test-1", journal_dir=tmp_path / "journal")
    app.RECONNECT_DELAYS = (0.1, 0.4)
    narrow = size[0] < 40
    async with app.run_test(size=size) as pilot:
        await open_count(app, pilot, session.id)
        await pilot.press(*BEANS, "enter")
        await until(pilot, lambda: "= 1 pc" in screen_text(app))
        assert "off" not in top_line(app) if narrow else "online" in top_line(app)  # at 20 columns online goes unsaid

        proxy.cut()
        for _ in range(3):
            await pilot.press(*BEANS, "enter")
        await until(pilot, lambda: "Kept offline" in screen_text(app) and app.waiting == 3)
        assert ("off 3" if narrow else "offline, 3 waiting") in top_line(app)
        assert "3 waiting" in screen_text(app)
        assert len(app.journal.pending()) == 3  # on disk, not only on the screen
        await pilot.press("f4")  # undo would undo a saved scan, not the last one read: refused until they are saved
        await until(pilot, lambda: "scans wait" in " ".join(screen_text(app).split()))

        proxy.restore()
        await until(pilot, lambda: app.server_status == "online" and "Online" in screen_text(app))
        assert "off" not in top_line(app) and (narrow or "online" in top_line(app))
        assert app.journal.pending() == [] and app.waiting == 0
        await pilot.press(*BEANS, "enter")  # the next scan goes straight to the server, after the kept ones
        await until(pilot, lambda: "= 5 pc" in screen_text(app))

    lines = count_state(app.store, get_session(session.id)).lines
    assert [(line.product.code, line.counted) for line in lines if line.counted is not None] == [("BEANS", 5)]
    records = CountRecord.select().where(CountRecord.session == session.id, CountRecord.kind == "add")
    assert records.count() == 5 and len({record.client_id for record in records}) == 5


@postgres_only
async def test_scans_left_in_the_journal_by_a_crash_are_saved_at_start(stocked, tmp_path):
    store = open_store(stocked, operator="tester", terminal="test-1")
    session = start_session(store, get_location("A-01"))
    journal = open_journal(store, tmp_path / "journal")  # the journal of a run that died offline
    for _ in range(2):
        journal.append(count_scan(store, session.id, Reading(raw=BEANS, code=BEANS), None))
    journal.close()

    app = make_app(stocked, operator="tester", terminal="test-1", journal_dir=tmp_path / "journal")
    app.RECONNECT_DELAYS = (0.1, 0.4)
    assert app.server_status == "offline" and app.waiting == 2
    async with app.run_test(size=(40, 16)) as pilot:
        await until(pilot, lambda: app.server_status == "online")
        await open_count(app, pilot, session.id)
        assert "online" in top_line(app) and "offline" not in top_line(app)
        await pilot.press(*BEANS, "enter")
        await until(pilot, lambda: "= 3 pc" in screen_text(app))


@postgres_only
async def test_receiving_while_the_server_is_gone_keeps_the_scans_and_posting_waits(stocked, proxy, tmp_path):
    receipt = open_delivery(open_store(stocked, operator="tester", terminal="rf-0"), get_location("WH"))
    app = make_app(proxy.url(stocked), operator="tester", terminal="test-1", journal_dir=tmp_path / "journal")
    app.RECONNECT_DELAYS = (0.1, 0.4)
    async with app.run_test(size=(40, 16)) as pilot:
        app.push_screen(ReceivingScreen(receipt.id))
        await until(pilot, lambda: isinstance(app.screen, ReceivingScreen) and app.screen.receipt is not None)
        proxy.cut()
        await pilot.press(*BEANS, "enter")
        await pilot.press(*BEANS, "enter")
        await until(pilot, lambda: "Kept offline" in screen_text(app) and app.waiting == 2)
        await pilot.press("f6")  # posting now would leave the kept scans out
        await until(pilot, lambda: "post once" in " ".join(screen_text(app).split()))
        proxy.restore()
        await until(pilot, lambda: app.server_status == "online" and "Online" in screen_text(app))
    assert [(line.product.code, line.received_now) for line in receipt_lines(app.store, receipt)] == [("BEANS", 2)]


@postgres_only
@pytest.mark.parametrize("size", [(20, 16), (40, 16), (80, 24)])
async def test_pick_scans_while_the_server_is_gone_are_kept_then_picked_once(stocked, proxy, tmp_path, size):
    pick = create_pick_list(open_store(stocked, operator="office", terminal="rf-0"), "P-9", get_location("WH"),
                            [(get_product("BEANS"), Decimal(3))])
    app = make_app(proxy.url(stocked), operator="tester", terminal="test-1", journal_dir=tmp_path / "journal")
    app.RECONNECT_DELAYS = (0.1, 0.4)
    narrow = size[0] < 40
    async with app.run_test(size=size) as pilot:
        app.push_screen(PickScreen(pick.id))
        await until(pilot, lambda: isinstance(app.screen, PickScreen) and "Go to A-01" in screen_text(app))
        await pilot.press(*"LOC-A01", "enter")
        await until(pilot, lambda: "At A-01" in screen_text(app))

        proxy.cut()
        await pilot.press(*"LOC-A01", "enter")  # the bin again, then two tins: all kept
        await pilot.press(*BEANS, "enter")
        await pilot.press("2", "enter", *BEANS, "enter")
        await until(pilot, lambda: app.waiting == 3 and "Kept offline" in screen_text(app))
        text = " ".join(screen_text(app).split())
        assert "checked when the server is back" in text
        assert "picked 0" in text and "+1" not in text  # nothing shown as picked before the store checked it
        assert ("off 3" if narrow else "offline, 3 waiting") in top_line(app)
        assert len(app.journal.pending()) == 3  # on disk
        await pilot.press("f4")  # undo would undo a saved pick, not the last one read: refused until they are saved
        await until(pilot, lambda: "scans wait" in " ".join(screen_text(app).split()))

        proxy.restore()
        await until(pilot, lambda: app.server_status == "online" and "All picked" in screen_text(app))
        assert app.journal.pending() == [] and app.journal.refused() == [] and app.waiting == 0
        if not narrow:
            assert "Online" in screen_text(app)

    records = PickRecord.select().where(PickRecord.pick_list == pick.id, PickRecord.kind == "pick")
    assert sorted(record.quantity for record in records) == [1, 2]
    assert len({record.client_id for record in records}) == 2


@postgres_only
async def test_a_kept_pick_scan_the_store_refuses_is_reported_and_not_picked(stocked, proxy, tmp_path):
    pick = create_pick_list(open_store(stocked, operator="office", terminal="rf-0"), "P-9", get_location("WH"),
                            [(get_product("BEANS"), Decimal(2))])
    app = make_app(proxy.url(stocked), operator="tester", terminal="test-1", journal_dir=tmp_path / "journal")
    app.RECONNECT_DELAYS = (0.1, 0.4)
    async with app.run_test(size=(40, 16)) as pilot:
        app.push_screen(PickScreen(pick.id))
        await until(pilot, lambda: isinstance(app.screen, PickScreen) and "Go to A-01" in screen_text(app))
        proxy.cut()
        await pilot.press(*"LOC-A01", "enter")
        await pilot.press("5", "enter", *BEANS, "enter")  # 2 to take: the store says no once it sees it
        await until(pilot, lambda: app.waiting == 2)
        await pilot.press("f6")  # done now would leave the kept scans out (nothing is picked yet: no question)
        await until(pilot, lambda: "scans wait" in " ".join(screen_text(app).split()))
        bells = []
        app.bell = lambda: bells.append(app.server_status)
        proxy.restore()
        await until(pilot, lambda: app.server_status == "online")
        await until(pilot, lambda: any("Only 2 pc of BEANS" in n.message for n in app._notifications))  # the notice
        await until(pilot, lambda: "Kept offline, not saved" in " ".join(screen_text(app).split()))  # and on the job
        await pilot.pause()
        assert len(bells) == 1  # one refusal, one bell: the app's (the job's message line does not ring again)
        assert [reason for _, reason in app.journal.refused()] == ["Only 2 pc of BEANS left to pick at A-01; 5 scanned"]
    assert PickRecord.select().where(PickRecord.pick_list == pick.id, PickRecord.kind == "pick").count() == 0
    assert PickRecord.select().where(PickRecord.pick_list == pick.id, PickRecord.kind == "location").count() == 1


@postgres_only
def test_a_terminal_started_while_the_server_is_away_waits_for_it(stocked, proxy, tmp_path, capsys):
    proxy.cut()
    threading.Timer(0.5, proxy.restore).start()
    app = app_when_reachable(proxy.url(stocked), delays=(0.1, 0.2), operator="tester", terminal="test-1",
                             journal_dir=tmp_path / "journal")  # fmt: skip
    try:
        assert isinstance(app, StockroomApp) and app.server_status == "online"
    finally:
        app.store.close()
    said = capsys.readouterr().err
    assert "cannot open the database" in said and "trying again in 0.1 s (Ctrl-C to give up)" in said
    assert "trying again in 0.2 s" in said  # backing off


@postgres_only
def test_a_terminal_started_on_a_database_the_server_does_not_have_says_so_at_once(tmp_path, capsys):
    raised: list[BaseException] = []

    def start() -> None:
        try:
            app_when_reachable(urlunsplit(urlsplit(SERVER)._replace(path="/no_such_stock")), delays=(0.1, 0.2),
                               terminal="test-1", journal_dir=tmp_path / "journal")  # fmt: skip
        except BaseException as error:
            raised.append(error)

    starting = threading.Thread(target=start, daemon=True)  # waiting would never end: it must not hang the suite
    starting.start()
    starting.join(30)
    assert [type(error) for error in raised] == [DatabaseRefused] and "does not exist" in str(raised[0])
    assert "trying again" not in capsys.readouterr().err
