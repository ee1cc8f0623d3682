"""The offline journal: scans kept while the server is away, written back in order and exactly once.

The file's own rules run on both engines; losing the server is done for real
on PostgreSQL, through a proxy the tests cut (tests/pg_proxy.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from peewee import InterfaceError, OperationalError

from store.catalog import get_product
from store.count_lines import count_state
from store.counting import record_scan, start_session
from store.database import open_store
from store.journal import Journal, Kept, journal_name, open_journal
from store.journal_entries import apply, count_scan, pick_scan, reading_of, receipt_scan
from store.locations import get_location
from store.models import CountRecord, PickRecord, ReceiptRecord
from store.moves import post_move
from store.pick_scans import record_pick_scan
from store.picking import assign, create_pick_list, pick_state
from store.receiving import open_delivery, receipt_lines
from store.scanned import Reading
from tests.conftest import SERVER, postgres_only
from tests.pg_proxy import Proxy

BEANS, FLOUR = "5901234123457", "4006381333931"


def counted(store, session) -> dict[tuple[str, str], Decimal]:
    """The count's lines: (product, location) -> counted."""
    return {(line.product.code, line.location.code): line.counted
            for line in count_state(store, session).lines if line.counted is not None}


def entry(store, session, code: str, multiplier: Decimal | None = None) -> dict:
    return count_scan(store, session.id, Reading(raw=code, code=code), multiplier)


def writer(store, session, scan: dict):
    """What a job screen does with a scan while the server answers."""
    return lambda: record_scan(store, session, Reading(raw=scan["reading"]["raw"], code=scan["reading"]["code"]),
                               client_id=scan["id"])


@pytest.fixture
def session(shop):
    return start_session(shop, get_location("WH/STOCK"), children=True)


@pytest.fixture
def journal(tmp_path) -> Iterator[Journal]:
    opened = Journal(tmp_path / "journal" / "terminal.jsonl")
    yield opened
    opened.close()


# -- the file ----------------------------------------------------------------------------------------


def test_a_replay_writes_the_pending_scans_in_order_and_empties_the_file(shop, session, journal):
    scans = [entry(shop, session, BEANS), entry(shop, session, "LOC-A02"), entry(shop, session, BEANS, Decimal(3))]
    assert [journal.append(scan) for scan in scans] == [Kept(1), Kept(2), Kept(3)]
    assert [scan["id"] for scan in journal.pending()] == [scan["id"] for scan in scans]

    result = journal.replay(shop, apply)

    assert (result.written, result.refused) == (3, [])
    assert counted(shop, session) == {("BEANS", "WH/STOCK"): 1, ("BEANS", "A-02"): 3}  # the location scan came between
    assert [r.client_id for r in CountRecord.select().order_by(CountRecord.id)] == [scan["id"] for scan in scans]
    assert journal.waiting == 0 and journal.pending() == []
    assert journal.path.stat().st_size == 0


def test_once_a_scan_waits_every_later_one_waits_behind_it(shop, session, journal):
    first = entry(shop, session, BEANS)
    journal.append(first)

    def not_now():
        raise AssertionError("a scan went to the server while an earlier one waited")

    assert journal.save(shop, entry(shop, session, FLOUR), not_now) == Kept(2)
    assert [scan["id"] for scan in journal.pending()][0] == first["id"]


def test_while_nothing_waits_a_scan_is_saved_directly(shop, session, journal):
    scan = entry(shop, session, BEANS)
    outcome = journal.save(shop, scan, writer(shop, session, scan))
    assert outcome.kind == "counted" and outcome.record.client_id == scan["id"]
    assert journal.waiting == 0 and not journal.path.read_text()


def test_a_replay_cut_short_after_a_commit_and_run_again_doubles_nothing(shop, session, journal, tmp_path):
    scans = [entry(shop, session, BEANS) for _ in range(3)]
    for scan in scans:
        journal.append(scan)

    class Crash(Exception):
        pass

    def crash_after_the_second(store, scan):
        apply(store, scan)
        if scan["id"] == scans[1]["id"]:
            raise Crash  # committed, but the process dies before marking it done

    with pytest.raises(Crash):
        journal.replay(shop, crash_after_the_second)
    journal.close()

    reopened = Journal(journal.path)  # the next start
    assert [scan["id"] for scan in reopened.pending()] == [scans[1]["id"], scans[2]["id"]]
    assert reopened.replay(shop, apply).written == 2
    reopened.close()
    assert counted(shop, session) == {("BEANS", "WH/STOCK"): 3}
    assert CountRecord.select().where(CountRecord.client_id.in_([s["id"] for s in scans])).count() == 3


def test_an_entry_keeps_everything_a_scan_said(shop, session):
    reading = Reading(raw="2302500012346", code="2302500000008", weight_kg=Decimal("1.234"), count=Decimal(2),
                      price=Decimal("12.34"), lot="L1", expiry=date(2027, 1, 31))  # fmt: skip
    entry = json.loads(json.dumps(count_scan(shop, session.id, reading, None)))  # as the file keeps it
    assert reading_of(entry) == reading
    del entry["reading"]["price"]  # written by a version that kept no price
    assert reading_of(entry).price is None


def test_the_same_scan_saved_twice_counts_once(shop, session):
    reading = Reading(raw=BEANS, code=BEANS)
    first = record_scan(shop, session, reading, client_id="scan-1")
    again = record_scan(shop, session, reading, client_id="scan-1")
    assert again.record.id == first.record.id and again.line_total == 1
    assert counted(shop, session) == {("BEANS", "WH/STOCK"): 1}


def test_receipt_scans_replay_in_order_once_and_an_unknown_barcode_is_refused(shop, journal):
    receipt = open_delivery(shop, get_location("WH"))
    scans = [receipt_scan(shop, receipt.id, Reading(raw=code, code=code), multiplier)
             for code, multiplier in ((BEANS, None), ("15901234123454", Decimal(2)), ("0000000000000", None))]
    for scan in scans:
        journal.append(scan)
    result = journal.replay(shop, apply)
    assert result.written == 2 and [entry["id"] for entry, _ in result.refused] == [scans[2]["id"]]
    assert journal.replay(shop, apply).written == 0
    assert [(line.product.code, line.received_now) for line in receipt_lines(shop, receipt)] == [("BEANS", 25)]
    assert ReceiptRecord.select().where(ReceiptRecord.client_id.is_null(False)).count() == 2


def test_a_refused_scan_is_kept_with_its_reason_and_the_rest_is_written(shop, session, journal):
    lost = count_scan(shop, 999, Reading(raw=BEANS, code=BEANS), None)  # a count that does not exist
    good = entry(shop, session, BEANS)
    journal.append(lost)
    journal.append(good)

    result = journal.replay(shop, apply)

    assert result.written == 1 and [(e["id"], reason) for e, reason in result.refused] == [(lost["id"], "no count session 999")]
    assert journal.pending() == [] and journal.refused() == [(lost, "no count session 999")]
    assert counted(shop, session) == {("BEANS", "WH/STOCK"): 1}


# -- pick scans --------------------------------------------------------------------------------------


@pytest.fixture
def pick(shop):
    """A pick list of 3 beans and 2 flour, reserved at A-01 (beans) and A-02 (flour)."""
    supplier = get_location("SUPPLIER")
    post_move(shop, get_product("BEANS"), Decimal(10), supplier, get_location("A-01"))
    post_move(shop, get_product("FLOUR-500"), Decimal(5), supplier, get_location("A-02"))
    opened = create_pick_list(shop, "P-1", get_location("WH"), [(get_product("BEANS"), Decimal(3)),
                                                                (get_product("FLOUR-500"), Decimal(2))])
    assert assign(shop, opened) == []
    return opened


def picked(pick) -> dict[tuple[str, str], Decimal]:
    """The pick's stops with something picked: (location, product) -> picked."""
    return {(stop.location.code, stop.product.code): stop.picked for stop in pick_state(pick).stops if stop.picked}


def pick_entry(store, pick, code: str, multiplier: Decimal | None = None) -> dict:
    return pick_scan(store, pick.id, Reading(raw=code, code=code), multiplier)


def test_pick_scans_replay_in_order_once_each_bin_before_its_products(shop, pick, journal):
    scans = [pick_entry(shop, pick, code, multiplier) for code, multiplier in
             (("LOC-A01", None), (BEANS, Decimal(2)), ("LOC-A02", None), (FLOUR, None), ("LOC-A01", None), (BEANS, None))]
    for scan in scans:
        journal.append(scan)

    assert journal.replay(shop, apply).written == 6

    assert picked(pick) == {("A-01", "BEANS"): 3, ("A-02", "FLOUR-500"): 1}  # each product at the bin scanned before it
    records = PickRecord.select().where(PickRecord.pick_list == pick.id).order_by(PickRecord.id)
    assert [record.client_id for record in records] == [scan["id"] for scan in scans]
    assert {(record.operator, record.terminal) for record in records} == {("tester", "test-1")}
    assert journal.replay(shop, apply).written == 0 and journal.path.stat().st_size == 0


def test_the_same_pick_scan_saved_twice_is_taken_once(shop, pick):
    record_pick_scan(shop, pick, Reading(raw="LOC-A01", code="LOC-A01"), client_id="bin-1")
    first = record_pick_scan(shop, pick, Reading(raw=BEANS, code=BEANS), client_id="scan-1")
    again = record_pick_scan(shop, pick, Reading(raw=BEANS, code=BEANS), client_id="scan-1")
    assert again.record.id == first.record.id and (again.kind, again.added, again.stop.picked) == ("picked", 1, 1)
    assert record_pick_scan(shop, pick, Reading(raw="LOC-A01", code="LOC-A01"), client_id="bin-1").kind == "location"
    assert picked(pick) == {("A-01", "BEANS"): 1}
    assert PickRecord.select().where(PickRecord.pick_list == pick.id).count() == 2


def test_a_pick_replay_cut_short_after_a_commit_and_run_again_takes_nothing_twice(shop, pick, journal):
    scans = [pick_entry(shop, pick, code) for code in ("LOC-A01", BEANS, BEANS)]
    for scan in scans:
        journal.append(scan)

    class Crash(Exception):
        pass

    def crash_after_the_second(store, scan):
        apply(store, scan)
        if scan["id"] == scans[1]["id"]:
            raise Crash  # committed, but the process dies before marking it done

    with pytest.raises(Crash):
        journal.replay(shop, crash_after_the_second)
    journal.close()

    reopened = Journal(journal.path)
    assert reopened.replay(shop, apply).written == 2
    reopened.close()
    assert picked(pick) == {("A-01", "BEANS"): 2}
    assert PickRecord.select().where(PickRecord.kind == "pick").count() == 2


def test_a_pick_scan_the_store_refuses_on_replay_stays_refused_with_its_reason(shop, pick, journal):
    bin_ = pick_entry(shop, pick, "LOC-A01")
    flour_here = pick_entry(shop, pick, FLOUR)  # flour is reserved at A-02, not here
    too_many = pick_entry(shop, pick, BEANS, Decimal(4))  # 3 to take
    beans = pick_entry(shop, pick, BEANS, Decimal(3))
    for scan in (bin_, flour_here, too_many, beans):
        journal.append(scan)

    result = journal.replay(shop, apply)

    reasons = ["FLOUR-500 is not to be picked at A-01; go to A-02", "Only 3 pc of BEANS left to pick at A-01; 4 scanned"]
    assert result.written == 2 and [(e["id"], reason) for e, reason in result.refused] == [
        (flour_here["id"], reasons[0]), (too_many["id"], reasons[1])]
    assert journal.pending() == [] and journal.refused() == [(flour_here, reasons[0]), (too_many, reasons[1])]
    assert journal.replay(shop, apply).written == 0 and len(journal.refused()) == 2  # refused stays refused
    assert picked(pick) == {("A-01", "BEANS"): 3}
    assert PickRecord.select().where(PickRecord.client_id.in_([flour_here["id"], too_many["id"]])).count() == 0


def test_a_line_cut_short_by_a_crash_is_skipped_and_the_journal_goes_on(shop, session, tmp_path):
    path = tmp_path / "terminal.jsonl"
    kept = entry(shop, session, BEANS)
    path.write_text(json.dumps(kept) + "\n" + '{"id": "half-writ')
    journal = Journal(path)
    journal.append(entry(shop, session, FLOUR))
    assert [scan["reading"]["code"] for scan in journal.pending()] == [BEANS, FLOUR]
    journal.close()


def test_one_journal_per_process_and_terminal_and_no_password_in_its_name(shop, tmp_path):
    first = open_journal(shop, tmp_path)
    second = open_journal(shop, tmp_path)  # another session of the same terminal name
    assert first.path != second.path and second.path.name.endswith(".2.jsonl")
    first.close()
    second.close()
    assert open_journal(shop, tmp_path).path == first.path
    name = journal_name("postgresql://clerk:s3cret@db/stock", "rf/1")
    assert "s3cret" not in name and name.endswith("-rf_1")
    assert name == journal_name("postgresql://clerk:other@db/stock", "rf/1")


# -- losing the server for real ------------------------------------------------------------------------


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    opened = Proxy(SERVER)
    yield opened
    opened.close()


@pytest.fixture
def remote(shop, db_url, proxy):
    """A second terminal reaching the same database through the proxy."""
    opened = open_store(proxy.url(db_url), operator="remote", terminal="rf-2")
    yield opened
    opened.close()


@postgres_only
def test_scans_while_the_server_is_gone_wait_then_are_written_in_order_once(remote, proxy, journal):
    session = start_session(remote, get_location("WH/STOCK"), children=True)
    first = entry(remote, session, BEANS)
    assert journal.save(remote, first, writer(remote, session, first)).line_total == 1

    proxy.cut()
    scans = [entry(remote, session, code) for code in (BEANS, "LOC-A02", BEANS)]
    kept = [journal.save(remote, scan, writer(remote, session, scan)) for scan in scans]
    assert kept == [Kept(1), Kept(2), Kept(3)]
    with pytest.raises((OperationalError, InterfaceError)):  # still gone: nothing written, all still pending
        journal.replay(remote, apply)
    remote.close()
    assert journal.waiting == 3

    proxy.restore()
    assert journal.replay(remote, apply).written == 3
    assert counted(remote, session) == {("BEANS", "WH/STOCK"): 2, ("BEANS", "A-02"): 1}
    assert CountRecord.select().where(CountRecord.terminal == "rf-2", CountRecord.operator == "remote").count() == 4
    assert journal.replay(remote, apply).written == 0


@postgres_only
def test_a_scan_whose_commit_was_done_but_whose_answer_was_lost_is_not_doubled(remote, proxy, journal):
    session = start_session(remote, get_location("A-01"))
    scan = entry(remote, session, BEANS)
    proxy.lose_next_commit_answer()

    assert journal.save(remote, scan, writer(remote, session, scan)) == Kept(1)  # the terminal cannot know
    assert CountRecord.select().where(CountRecord.client_id == scan["id"]).count() == 1  # but the server did it

    assert journal.replay(remote, apply).written == 1
    assert CountRecord.select().where(CountRecord.client_id == scan["id"]).count() == 1
    assert counted(remote, session) == {("BEANS", "A-01"): 1}


@postgres_only
def test_pick_scans_while_the_server_is_gone_wait_then_are_taken_in_order_once(shop, pick, remote, proxy, journal):
    def write(scan):
        reading = Reading(raw=scan["reading"]["raw"], code=scan["reading"]["code"])
        return lambda: record_pick_scan(remote, pick, reading, client_id=scan["id"])

    first = pick_entry(remote, pick, "LOC-A01")
    assert journal.save(remote, first, write(first)).kind == "location"
    proxy.cut()
    scans = [pick_entry(remote, pick, code) for code in (BEANS, "LOC-A02", FLOUR)]
    assert [journal.save(remote, scan, write(scan)) for scan in scans] == [Kept(1), Kept(2), Kept(3)]
    remote.close()

    proxy.restore()
    assert journal.replay(remote, apply).written == 3
    assert picked(pick) == {("A-01", "BEANS"): 1, ("A-02", "FLOUR-500"): 1}
    assert PickRecord.select().where(PickRecord.terminal == "rf-2", PickRecord.operator == "remote").count() == 4


@postgres_only
def test_a_pick_scan_whose_answer_was_lost_is_not_taken_twice(shop, pick, remote, proxy, journal):
    record_pick_scan(remote, pick, Reading(raw="LOC-A01", code="LOC-A01"))
    scan = pick_entry(remote, pick, BEANS)
    proxy.lose_next_commit_answer()

    write = lambda: record_pick_scan(remote, pick, Reading(raw=BEANS, code=BEANS), client_id=scan["id"])  # noqa: E731
    assert journal.save(remote, scan, write) == Kept(1)
    assert PickRecord.select().where(PickRecord.client_id == scan["id"]).count() == 1  # the server did it

    assert journal.replay(remote, apply).written == 1
    assert PickRecord.select().where(PickRecord.client_id == scan["id"]).count() == 1
    assert picked(pick) == {("A-01", "BEANS"): 1}


@postgres_only
def test_an_abort_by_the_server_is_not_taken_for_a_lost_server(remote, journal):
    session = start_session(remote, get_location("A-01"))
    scan = entry(remote, session, BEANS)

    def aborted():  # an OperationalError too, with the connection still there
        with remote.atomic():
            remote.db.execute_sql("SET LOCAL statement_timeout = 10")
            remote.db.execute_sql("SELECT pg_sleep(1)")

    with pytest.raises(OperationalError, match="statement timeout"):
        journal.save(remote, scan, aborted)
    assert journal.waiting == 0
