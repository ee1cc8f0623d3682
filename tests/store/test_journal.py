"""The offline journal: scans kept while the server is away, written back in order and exactly once.

The file's own rules run on both engines; losing the server is done for real
on PostgreSQL, through a proxy the tests cut (tests/pg_proxy.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal

import pytest
from peewee import InterfaceError, OperationalError

from store.count_lines import count_state
from store.counting import record_scan, start_session
from store.database import open_store
from store.journal import Journal, Kept, journal_name, open_journal
from store.journal_entries import apply, count_scan, receipt_scan
from store.locations import get_location
from store.models import CountRecord, ReceiptRecord
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
