"""`stockroom journal` in a real process: the scans a terminal kept offline, read while the server is away."""

from __future__ import annotations

import json
from decimal import Decimal

from store.counting import start_session
from store.database import data_dir
from store.errors import NotFound
from store.journal import Journal, journal_name
from store.journal_entries import count_scan
from store.locations import get_location
from store.scanned import Reading
from tests.cli.test_count_cli import stockroom

SERVER_AWAY = "postgresql://stockroom@127.0.0.1:9/stockroom"  # nothing listens there: the CLI must not need it
BEANS = "5901234123457"


def test_the_journal_lists_waiting_and_refused_scans_without_the_server(shop, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setenv("STOCKROOM_TERMINAL", "rf-7")
    session = start_session(shop, get_location("A-01"))
    written, refused, waiting = (
        count_scan(shop, session.id, Reading(raw=raw, code=raw), multiplier)
        for raw, multiplier in ((BEANS, None), ("\x1b[2J4006", Decimal(2)), ("\\x1bA-01", None))
    )

    def apply(_store, entry):
        if entry["id"] == refused["id"]:
            raise NotFound("Unknown barcode 4006")

    journal = Journal(data_dir() / "journal" / f"{journal_name(SERVER_AWAY, 'rf-7')}.jsonl")  # held, as by the app
    journal.append(written)
    journal.append(refused)
    journal.replay(shop, apply)
    journal.append(waiting)

    listed = stockroom(SERVER_AWAY, "journal")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.decode().splitlines()
    assert [line.split()[0] for line in lines] == ["refused", "pending"]  # the one written back is left out
    assert f"count #{session.id}" in lines[0] and "2 x \\x1b[2J4006" in lines[0] and "Unknown barcode 4006" in lines[0]
    assert "\x1b" not in listed.stdout.decode()  # what was scanned is shown escaped, never sent to the terminal
    assert lines[1].endswith("  \\x1bA-01")  # as the app wrote it (escaped once when scanned): not escaped again

    everything = stockroom(SERVER_AWAY, "journal", "--all", "--json")
    rows = [json.loads(line) for line in everything.stdout.decode().splitlines()]
    assert [(row["state"], row["raw"], row["reason"]) for row in rows] == [
        ("done", BEANS, None), ("refused", "\x1b[2J4006", "Unknown barcode 4006"), ("pending", "\\x1bA-01", None),
    ]
    assert {row["id"] for row in rows} == {written["id"], refused["id"], waiting["id"]}
    assert all(row["operator"] == "tester" and row["job"] == "count" for row in rows)
    journal.close()


def test_no_journal_lists_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    listed = stockroom(SERVER_AWAY, "journal")
    assert (listed.returncode, listed.stdout) == (0, b"")
