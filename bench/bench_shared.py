"""A shared stock room on PostgreSQL: 8 terminal processes x 1,000 mixed operations, then the invariants.

Each terminal is its own OS process with its own connection. Its operations,
drawn at random: a scan into the one count session they all share (40%),
reserving then picking a few units out of a bin (20%), receiving into a bin
(20%), a transfer between bins (20%). Bins forbid negative stock, so some
picks and transfers are refused: a refusal is a completed operation too.
Afterwards every product's stock at every location must equal its ledger sum
(in the running totals and in the weekly rows), no bin may be negative, and
the count must hold exactly the scans the terminals made.

The server is ``$STOCKROOM_BENCH_DB`` (or ``$STOCKROOM_TEST_DB``), where the
benchmark works in a schema of its own and drops it afterwards; with neither,
it runs itself under ``.ci/with-postgres`` on a throwaway cluster.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

from bench.codes import ean13
from bench.report import Report, percentile
from store.catalog import create_product
from store.clock import RUNNING_TOTAL
from store.counting import get_session, record_scan, start_session
from store.database import Store, open_store
from store.errors import InsufficientStock
from store.locations import create_location, get_location
from store.models import CountRecord, Move, Product
from store.moves import assign_move, cancel_move, do_move, plan_move, post_move
from store.scanned import Reading
from store.transfers import transfer
from store.units import get_uom

ROOT = Path(__file__).resolve().parent.parent
TERMINALS = 8
OPERATIONS = 1_000
PRODUCTS = 200
BINS = 20


def bin_code(n: int) -> str:
    """The code of the n-th bin; its label barcode is ``LOC-`` and the code."""
    return f"S-{n:02d}"


def server_url() -> str | None:
    """The PostgreSQL server to run on, if one is given."""
    return os.environ.get("STOCKROOM_BENCH_DB") or os.environ.get("STOCKROOM_TEST_DB")


def run_sql(url: str, statement: str) -> None:
    """One statement on the server, outside any schema of the benchmark's."""
    import psycopg2

    connection = psycopg2.connect(url)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def seed(url: str) -> int:
    """A warehouse of bins forbidding negative stock, products stocked in them, and a count; returns its id."""
    store = open_store(url, operator="bench", terminal="bench")
    create_location(store, "WH", "Shared", "warehouse", allow_negative=False)
    stock = get_location("WH/STOCK")
    bins = [create_location(store, bin_code(n), f"Bin {n}", "storage", parent=stock, barcode=f"LOC-{bin_code(n)}")
            for n in range(BINS)]  # fmt: skip
    supplier, piece = get_location("SUPPLIER"), get_uom("pc")
    for n in range(PRODUCTS):
        product = create_product(store, f"P{n:03d}", f"Product {n}", piece, [(ean13(n), Decimal(1))])
        post_move(store, product, Decimal(10), supplier, bins[n % BINS], unit_cost=Decimal("1.50"))
    session = start_session(store, stock, children=True)
    store.close()
    return session.id


def terminal(number: int, url: str, session_id: int, go: Path) -> None:
    """One terminal's operations; prints its latencies and what it did as one JSON line."""
    store = open_store(url, operator=f"worker-{number}", terminal=f"rf-{number}")
    rng = random.Random(number)
    session = get_session(session_id)
    bins = [get_location(bin_code(n)) for n in range(BINS)]
    products = list(Product.select().order_by(Product.id))
    supplier, out = get_location("SUPPLIER"), get_location("WH/OUT")
    record_scan(store, session, Reading(raw=f"LOC-{bin_code(number)}", code=f"LOC-{bin_code(number)}"))
    while not go.exists():
        time.sleep(0.001)
    latencies, scans, refused = [], 0, 0
    for _ in range(OPERATIONS):
        roll, n = rng.random(), rng.randrange(PRODUCTS)
        product, home = products[n], bins[n % BINS]
        began = time.perf_counter()
        try:
            if roll < 0.4:
                record_scan(store, session, Reading(raw=ean13(n), code=ean13(n)))
                scans += 1
            elif roll < 0.6:
                pick(store, plan_move(store, product, Decimal(rng.randint(1, 3)), home, out))
            elif roll < 0.8:
                post_move(store, product, Decimal(rng.randint(1, 10)), supplier, home, unit_cost=Decimal("1.60"))
            else:
                transfer(store, product, Decimal(rng.randint(1, 5)), home, bins[(n + 1) % BINS])
        except InsufficientStock:
            refused += 1
        latencies.append((time.perf_counter() - began) * 1000)
    store.close()
    print(json.dumps({"latencies": latencies, "scans": scans, "refused": refused}))


def pick(store: Store, move: Move) -> None:
    """Reserve a planned move, then do it; a refused reservation cancels the plan."""
    try:
        assign_move(store, move)
    except InsufficientStock:
        cancel_move(store, move)
        raise
    do_move(store, move)


def violations(url: str, session_id: int, scans: int) -> list[str]:
    """What breaks the invariants after the run (empty when nothing does)."""
    store = open_store(url, operator="bench", terminal="bench")
    ledger = (
        "SELECT product_id, loc, SUM(q) FROM ("
        " SELECT product_id, to_location_id AS loc, quantity AS q FROM move WHERE state = 'done'"
        " UNION ALL SELECT product_id, from_location_id, -quantity FROM move WHERE state = 'done') AS x"
        " GROUP BY 1, 2 HAVING SUM(q) != 0"
    )
    cache = (
        "SELECT product_id, location_id, SUM(quantity) FROM stock_period WHERE period {} "
        "GROUP BY 1, 2 HAVING SUM(quantity) != 0"
    )
    sums = sorted(store.db.execute_sql(ledger).fetchall())
    found = []
    for rows, label in ((f"= {RUNNING_TOTAL}", "running totals"), (f"< {RUNNING_TOTAL}", "weekly rows")):
        if sorted(store.db.execute_sql(cache.format(rows)).fetchall()) != sums:
            found.append(f"the {label} differ from the ledger")
    negative = store.db.execute_sql(
        "SELECT COUNT(*) FROM stock_period sp JOIN location l ON l.id = sp.location_id "
        f"WHERE sp.period = {RUNNING_TOTAL} AND NOT l.allow_negative AND sp.quantity < 0"
    ).fetchone()[0]
    if negative:
        found.append(f"{negative} product(s) below zero at a location forbidding it")
    recorded = CountRecord.select().where((CountRecord.session == session_id) & (CountRecord.kind == "add")).count()
    if recorded != scans:
        found.append(f"{scans} scans made, {recorded} in the count")
    store.close()
    return found


def main() -> int:
    """Run the benchmark, print its figures, return 0 when every target is met."""
    server = server_url()
    if server is None:
        command = ["bash", str(ROOT / ".ci" / "with-postgres"), sys.executable, "-m", "bench.bench_shared"]
        return subprocess.run(command, cwd=ROOT).returncode
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    run_sql(server, f"CREATE SCHEMA {schema}")
    url = f"{server}{'&' if '?' in server else '?'}options={quote(f'-csearch_path={schema}')}"
    try:
        session_id = seed(url)
        with tempfile.TemporaryDirectory() as folder:
            go = Path(folder) / "go"
            children = [
                subprocess.Popen(
                    [sys.executable, "-m", "bench.bench_shared", "--terminal", str(n), url, str(session_id), str(go)],
                    stdout=subprocess.PIPE, text=True, cwd=ROOT,
                )
                for n in range(TERMINALS)
            ]
            time.sleep(2)  # every terminal connected and waiting
            began = time.perf_counter()
            go.touch()
            results = [json.loads(child.communicate()[0]) for child in children]
            seconds = time.perf_counter() - began
        if any(child.returncode for child in children):
            print("bench_shared: a terminal failed", file=sys.stderr)
            return 1
        latencies = [ms for result in results for ms in result["latencies"]]
        scans = sum(result["scans"] for result in results)
        broken = violations(url, session_id, scans)
        for problem in broken:
            print(f"bench_shared: {problem}", file=sys.stderr)
        report = Report()
        report.figure("shared.operations_per_s", len(latencies) / seconds, "ops/s", 500, lower_is_better=False)
        report.figure("shared.latency_p99_ms", percentile(latencies, 99), "ms", 100)
        report.figure("shared.invariant_violations", len(broken), "violations", 0)
        report.figure("shared.refused", sum(result["refused"] for result in results), "operations", None)
        return report.exit_code()
    finally:
        run_sql(server, f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--terminal"]:
        terminal(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), Path(sys.argv[5]))
    else:
        sys.exit(main())
