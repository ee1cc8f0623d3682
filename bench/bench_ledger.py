"""Ledger benchmark: import a year of done moves from CSV, then time stock queries on it.

``python3 -m bench.bench_ledger [--moves N]`` (``bash bench/run ledger``). The
ledger is generated deterministically: 10,000 products, one warehouse whose
WH/STOCK holds 192 bins (200 locations with the virtual ones), each product
living in 1-3 bins; receipts SUPPLIER -> bin, sales bin -> CUSTOMER, transfers
bin -> bin, over the twelve months before today. The CSV is written streaming
under ``bench/data/`` and kept for the next run; the database is rebuilt each run.
With more than a million moves the figures are also compared with those of
the last million-move run.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.report import Report, median
from store.database import open_store
from store.locations import get_location
from store.quantity import to_units, units_text
from store.stock import location_on_hand, on_hand

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parent.parent
MILLION = 1_000_000
PRODUCTS = 10_000
BINS = 192
SEED = 20260101
DAY = timedelta(days=1)

# figure name -> target (ms or ratio); all lower is better
QUERY_TARGETS = {
    "on_hand_one_product_median_ms": 0.5,
    "location_all_products_median_ms": 50.0,
    "location_all_products_vs_sql_ratio": 1.5,
    "on_hand_past_vs_now_ratio": 2.0,
}
SCALE_TARGET = 2.0

SQL_LOCATION_ALL_PRODUCTS = """
SELECT product_id, SUM(q) FROM (
  SELECT product_id, quantity AS q FROM move WHERE to_location_id = ? AND state = 'done'
  UNION ALL
  SELECT product_id, -quantity AS q FROM move WHERE from_location_id = ? AND state = 'done'
) GROUP BY product_id
"""


def bin_code(number: int) -> str:
    """The code of bin ``number`` under WH/STOCK."""
    return f"B-{number:03d}"


def write_master_data(products_csv: Path, locations_csv: Path) -> None:
    """The products (a fifth of them weighed in kg) and the location tree."""
    with locations_csv.open("w", encoding="utf-8") as out:
        out.write("code,name,type,parent,cost_method\nWH,Main warehouse,warehouse,,fifo\n")
        for number in range(BINS):
            out.write(f"{bin_code(number)},Bin {number},storage,WH/STOCK,\n")
    with products_csv.open("w", encoding="utf-8") as out:
        out.write("code,name,uom,category\n")
        for number in range(PRODUCTS):
            out.write(f"P{number:05d},Product {number},{'kg' if number % 5 == 0 else 'pc'},cat{number % 40}\n")


def write_moves(path: Path, count: int, end: datetime) -> dict[tuple[str, str], int]:
    """Stream ``count`` done moves into a CSV; returns the expected final units per (product, bin)."""
    rng = random.Random(SEED)
    homes = [[bin_code(b) for b in rng.sample(range(BINS), rng.randint(1, 3))] for _ in range(PRODUCTS)]
    balance: dict[tuple[str, str], int] = {}
    start = end - timedelta(days=365)
    step = (end - start) / count
    with path.open("w", encoding="utf-8", buffering=1 << 20) as out:
        out.write("date,product,quantity,from,to,unit_cost,reason\n")
        for i in range(count):
            moment = (start + step * i).replace(microsecond=0).isoformat()
            number = rng.randrange(PRODUCTS)
            product, bins = f"P{number:05d}", homes[number]
            weighed = number % 5 == 0
            here = rng.choice(bins)
            have = balance.get((product, here), 0)
            roll = rng.random()
            if have <= 0 or roll < 0.3:
                units = rng.randint(1, 50_000) * 1000 if weighed else rng.randint(12, 120) * MILLION
                line = f"{moment},{product},{units_text(units)},SUPPLIER,{here},{rng.randint(50, 5000) / 100},received\n"
                balance[product, here] = have + units
            elif roll < 0.85 or len(bins) == 1:
                units = min(have, (rng.randint(1, 5_000) * 1000) if weighed else rng.randint(1, 10) * MILLION)
                line = f"{moment},{product},{units_text(units)},{here},CUSTOMER,,sold\n"
                balance[product, here] = have - units
            else:
                there = rng.choice([b for b in bins if b != here])
                units = max(have // 2 // (1000 if weighed else MILLION), 1) * (1000 if weighed else MILLION)
                line = f"{moment},{product},{units_text(units)},{here},{there},,transfer\n"
                balance[product, here] = have - units
                balance[product, there] = balance.get((product, there), 0) + units
            out.write(line)
    return balance


def stockroom(url: str, *args: str) -> float:
    """Run ``stockroom`` as a subprocess; returns its wall time in seconds (failing loudly)."""
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tui", "--db", url, *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - began


def timed_ms(call: Callable[[], object]) -> float:
    """Wall time of one call, in milliseconds."""
    began = time.perf_counter()
    call()
    return (time.perf_counter() - began) * 1000


def measure_queries(url: str, db_path: Path, start: datetime, expected: dict[tuple[str, str], int]) -> dict[str, float]:
    """Time the stock queries on the imported ledger (checking a sample of answers first)."""
    store = open_store(url, operator="bench")
    rng = random.Random(SEED + 1)
    stock = get_location("WH/STOCK")
    bins = [get_location(bin_code(b)) for b in range(BINS)]
    ids = dict(store.db.execute_sql("SELECT code, id FROM product").fetchall())
    for (product, code), units in rng.sample(sorted(expected.items()), 200):
        found = to_units(on_hand(store, ids[product], get_location(code), children=False))
        assert found == units, f"{product} at {code}: {found} in the store, {units} generated"

    products = [rng.randrange(1, PRODUCTS + 1) for _ in range(2000)]
    for product in products[:200]:  # warm the page cache
        on_hand(store, product, stock)
    now_ms = [timed_ms(lambda p=p: on_hand(store, p, stock)) for p in products]
    moments = [start + timedelta(seconds=rng.uniform(0, 365 * 86_400)) for _ in products]
    past_ms = [timed_ms(lambda p=p, m=m: on_hand(store, p, stock, at=m)) for p, m in zip(products, moments, strict=True)]

    samples = [rng.choice(bins) for _ in range(40)]
    store_ms = [timed_ms(lambda b=b: location_on_hand(store, b)) for b in samples]
    connection = sqlite3.connect(db_path)
    sql_ms = [timed_ms(lambda b=b: connection.execute(SQL_LOCATION_ALL_PRODUCTS, (b.id, b.id)).fetchall()) for b in samples]
    for location in samples[:3]:
        rows = connection.execute(SQL_LOCATION_ALL_PRODUCTS, (location.id, location.id)).fetchall()
        assert {p: to_units(q) for p, q in location_on_hand(store, location).items()} == dict(rows)
    connection.close()
    store.close()
    return {
        "on_hand_one_product_median_ms": median(now_ms),
        "location_all_products_median_ms": median(store_ms),
        "location_all_products_vs_sql_ratio": median(store_ms) / median(sql_ms),
        "on_hand_past_vs_now_ratio": median(past_ms) / median(now_ms),
        "_sql_location_all_products_median_ms": median(sql_ms),
        "_on_hand_past_median_ms": median(past_ms),
    }


def build_ledger(count: int) -> tuple[str, Path, float, datetime, dict[tuple[str, str], int]]:
    """Generate the ledger CSVs (kept for the next run) and import them into a new SQLite file.

    Returns the database URL and path, the seconds the move import took, the
    first move's date and the expected balance of each (product, bin).
    """
    DATA.mkdir(parents=True, exist_ok=True)
    products_csv, locations_csv = DATA / "products.csv", DATA / "locations.csv"
    moves_csv, expected_json = DATA / f"moves-{count}.csv", DATA / f"moves-{count}.expected.json"
    end = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - DAY
    write_master_data(products_csv, locations_csv)
    if not (moves_csv.exists() and expected_json.exists()):
        print(f"bench_ledger: generating {count:,} moves in {moves_csv}", file=sys.stderr)
        expected = write_moves(moves_csv, count, end)
        expected_json.write_text(json.dumps({f"{p}|{b}": u for (p, b), u in expected.items()}))
    expected = {tuple(key.split("|")): units for key, units in json.loads(expected_json.read_text()).items()}
    with moves_csv.open(encoding="utf-8") as moves:
        start = datetime.fromisoformat(moves.readlines(200)[1].split(",")[0])  # the CSV may be from an earlier run

    db_path = DATA / f"ledger-{count}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db_path}"
    stockroom(url, "import", "locations", str(locations_csv))
    stockroom(url, "import", "products", str(products_csv))
    seconds = stockroom(url, "import", "moves", str(moves_csv))
    return url, db_path, seconds, start, expected


def main(argv: list[str] | None = None) -> int:
    """Generate (once) and import the ledger, measure, print the figures; 1 if a target was missed."""
    parser = argparse.ArgumentParser(prog="bench.bench_ledger", description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=MILLION, help="number of done moves (default 1,000,000)")
    args = parser.parse_args(argv)
    count, label = args.moves, f"{args.moves / MILLION:g}m"
    url, db_path, seconds, start, expected = build_ledger(count)
    report = Report()
    report.figure(f"import_moves_{label}_s", seconds, "s", 30.0 * max(1.0, count / MILLION))

    figures = measure_queries(url, db_path, start, expected)
    for name, target in QUERY_TARGETS.items():
        report.figure(name, figures[name], "ratio" if name.endswith("ratio") else "ms", target)
    report.figure("sql_location_all_products_median_ms", figures["_sql_location_all_products_median_ms"], "ms", None)
    report.figure("on_hand_past_median_ms", figures["_on_hand_past_median_ms"], "ms", None)

    figures["import_s"] = seconds
    results = DATA / f"results-{count}.json"
    results.write_text(json.dumps(figures, indent=1))
    baseline = DATA / f"results-{MILLION}.json"
    if count > MILLION:
        if baseline.exists():
            base = json.loads(baseline.read_text())
            for name in ("on_hand_one_product_median_ms", "location_all_products_median_ms", "_on_hand_past_median_ms"):
                report.figure(f"{name.lstrip('_')}_{label}_vs_1m_ratio", figures[name] / base[name], "ratio", SCALE_TARGET)
        else:
            print("bench_ledger: no 1m results to compare with; run with --moves 1000000 first", file=sys.stderr)
    return report.exit_code()


if __name__ == "__main__":
    sys.exit(main())
