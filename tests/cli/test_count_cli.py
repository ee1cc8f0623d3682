"""`stockroom count` as a script or a batch scanner uses it, in a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal

import pytest
from peewee import fn

from store.catalog import create_product, get_product
from store.locations import get_location
from store.models import CountRecord
from store.moves import post_move
from store.units import get_uom


def stockroom(url: str, *args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "tui", "--db", url, *args], input=data, capture_output=True, timeout=60
    )


@pytest.fixture
def stocked(shop, db_url):
    post_move(shop, get_product("BEANS"), Decimal(30), get_location("SUPPLIER"), get_location("A-01"),
              unit_cost=Decimal("1.25"))
    return db_url


def test_a_batch_dump_counted_confirmed_and_reported(stocked):
    started = stockroom(stocked, "count", "start", "A-01", "--empty", "zero")
    assert started.returncode == 0 and started.stdout.decode().strip().isdigit()
    session = started.stdout.decode().strip()
    dump = "15901234123454,2\r\n5901234123457\r\n\r\n5901234123457,3\r\n"  # 2 cases + 1 + 3 = 28
    added = stockroom(stocked, "count", "add", session, "-", stdin=dump)
    assert added.returncode == 0, added.stderr
    report = stockroom(stocked, "count", "report", session)
    assert report.stdout.decode().splitlines() == [
        "product,location,expected,counted,difference,uom,value",
        "BEANS,A-01,30,28,-2,pc,-2.5000",
    ]
    confirmed = stockroom(stocked, "count", "confirm", session)
    assert confirmed.returncode == 0, confirmed.stderr
    again = stockroom(stocked, "count", "confirm", session)
    assert again.returncode == 1 and b"already confirmed" in again.stderr
    moves = stockroom(stocked, "export", "moves").stdout.decode().splitlines()
    [posted] = [line for line in moves if line.endswith(f",count:{session}")]
    assert ",BEANS,2,A-01,WH/LOST,1.25,count,done," in posted


def test_unknown_barcodes_refuse_the_whole_dump_with_line_numbers(stocked):
    session = stockroom(stocked, "count", "start", "A-01").stdout.decode().strip()
    refused = stockroom(stocked, "count", "add", session, "-", stdin="5901234123457\n4000000000006,2\n")
    assert refused.returncode == 1
    assert b"line 2: 4000000000006" in refused.stderr
    bad_digit = stockroom(stocked, "count", "add", session, "-", stdin="5901234123450\n")
    assert bad_digit.returncode == 1 and b"line 1" in bad_digit.stderr and b"expected 7" in bad_digit.stderr
    not_utf8 = stockroom(stocked, "count", "add", session, "-", stdin=b"\xff\xfe59012\n")
    assert not_utf8.returncode == 1 and b"UTF-8" in not_utf8.stderr
    report = stockroom(stocked, "count", "report", session)
    assert report.stdout.decode().splitlines() == ["product,location,expected,counted,difference,uom,value"]


def test_report_neutralises_formulas_but_keeps_negative_numbers(stocked, shop):
    formula = create_product(shop, "=HYPERLINK()", "Formula", get_uom("pc"), [("4000000000006", Decimal(1))])
    post_move(shop, formula, Decimal(2), get_location("SUPPLIER"), get_location("A-01"))
    session = stockroom(stocked, "count", "start", "A-01", "--empty", "zero").stdout.decode().strip()
    report = stockroom(stocked, "count", "report", session).stdout.decode().splitlines()
    assert "'=HYPERLINK(),A-01,2,0,-2,pc," in report


def test_conflicts_refuse_without_a_flag_and_usage_errors_exit_2(stocked, shop):
    session = stockroom(stocked, "count", "start", "A-01").stdout.decode().strip()
    stockroom(stocked, "count", "add", session, "-", stdin="5901234123457,28\n")
    post_move(shop, get_product("BEANS"), Decimal(1), get_location("A-01"), get_location("CUSTOMER"))
    refused = stockroom(stocked, "count", "confirm", session)
    assert refused.returncode == 1 and b"BEANS at A-01" in refused.stderr
    kept = stockroom(stocked, "count", "confirm", session, "--keep-count")
    assert kept.returncode == 0, kept.stderr
    assert stockroom(stocked, "count", "start").returncode == 2
    assert stockroom(stocked, "count", "start", "NOWHERE").returncode == 1


def test_eight_stockroom_processes_counting_one_session_count_every_scan_once(stocked):
    """Eight handhelds logged in over SSH, each running `stockroom` on the same database."""
    session = stockroom(stocked, "count", "start", "A-01").stdout.decode().strip()
    dump = "".join("15901234123454\n" if n % 10 == 0 else "5901234123457,2\n" for n in range(30))
    terminals = [
        subprocess.Popen(
            [sys.executable, "-m", "tui", "--db", stocked, "count", "add", session, "-"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, "STOCKROOM_TERMINAL": f"rf-{n}", "SSH_CLIENT": "10.0.0.9 50000 22"},
        )
        for n in range(8)
    ]
    for terminal in terminals:  # every process is running before any sends its scans
        terminal.stdin.write(dump.encode())
        terminal.stdin.close()
    for terminal in terminals:
        assert terminal.wait(timeout=120) == 0, terminal.stderr.read()
    report = stockroom(stocked, "count", "report", session).stdout.decode().splitlines()
    assert report[1].startswith(f"BEANS,A-01,30,{8 * (3 * 12 + 27 * 2)},")  # per terminal: 3 cases, 27 twos
    per_terminal = CountRecord.select(CountRecord.terminal, fn.COUNT(CountRecord.id)).where(
        (CountRecord.session == int(session)) & (CountRecord.kind == "add")
    ).group_by(CountRecord.terminal).tuples()
    assert dict(per_terminal) == {f"rf-{n}": 30 for n in range(8)}  # named by STOCKROOM_TERMINAL, not SSH


def test_without_stockroom_terminal_a_scan_is_recorded_under_the_ssh_client_address(stocked):
    session = stockroom(stocked, "count", "start", "A-01").stdout.decode().strip()
    env = {key: value for key, value in os.environ.items() if key != "STOCKROOM_TERMINAL"}
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--db", stocked, "count", "add", session, "-"],
        input=b"5901234123457\n", capture_output=True, timeout=60,
        env={**env, "SSH_CLIENT": "10.0.0.9 50000 22"},
    )
    assert done.returncode == 0, done.stderr
    assert [r.terminal for r in CountRecord.select().where(CountRecord.session == int(session))] == ["10.0.0.9"]
