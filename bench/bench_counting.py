"""Counting: a scan from the port to the screen, and confirming a big count on a big ledger.

Scan to screen: from a serial scanner's last byte to the counting screen showing the updated line.

A session of 5,000 counted lines in a SQLite file; the app runs headless
(Textual's ``run_test``) with its serial reader on a pty; each scan is
written as one write and the next waits until the screen has repainted with
the previous one, so the figure is the latency a worker sees, with the scan
committed to the file (WAL, synchronous=FULL) before it is shown.

Confirm: a count of 5,000 lines of WH/STOCK (two in three differ) on a copy of
the 1,000,000-move ledger of ``bench_ledger``, timed through ``confirm``.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
import time
import tty
from decimal import Decimal
from pathlib import Path

from bench.bench_ledger import MILLION, build_ledger
from bench.codes import ean13
from bench.report import Report, median, percentile
from devices.settings import ScannerSettings
from store.clock import now
from store.count_confirm import confirm
from store.counting import start_session
from store.database import Store, open_store
from store.locations import create_location, get_location, subtree
from store.models import Barcode, CountRecord, Product
from store.moves import apply_to_periods
from store.quantity import to_units
from store.stock import on_hand_by_location
from store.units import get_uom
from tui.app import make_app
from tui.screens.counting import CountScreen

LINES = 5_000
SCANS = 300
BENCH_SIZE = (80, 24)


def seed_session(store: Store) -> int:
    """5,000 products with stock at one bin, all counted once: a session of 5,000 lines."""
    create_location(store, "WH", "Bench", "warehouse")
    bin_ = create_location(store, "B-01", "Bench bin", "storage", parent=get_location("WH/STOCK"))
    supplier, pc = get_location("SUPPLIER"), get_uom("pc")
    with store.atomic():
        Product.insert_many(
            [{"code": f"P{n:05d}", "name": f"Product {n}", "uom": pc.id, "category": ""} for n in range(LINES)]
        ).execute()
        ids = [p.id for p in Product.select(Product.id).order_by(Product.id)]
        Barcode.insert_many([{"code": ean13(n), "product": pid, "quantity": Decimal(1)} for n, pid in enumerate(ids)]).execute()
        period = now().year * 100 + now().month
        apply_to_periods(store, [(pid, loc, period, sign * to_units(Decimal(10)))
                                 for pid in ids for loc, sign in ((bin_.id, 1), (supplier.id, -1))])
    session = start_session(store, bin_)
    with store.atomic():
        moment = now()
        CountRecord.insert_many(
            [{"session": session.id, "kind": "set", "product": pid, "location": bin_.id, "quantity": Decimal(9),
              "operator": "bench", "terminal": "bench", "at": moment} for pid in ids]
        ).execute()
    return session.id


async def measure(url: str, session_id: int) -> list[float]:
    """Scan-to-screen latencies in milliseconds."""
    master, slave = os.openpty()
    tty.setraw(master)
    app = make_app(url, operator="bench", terminal="bench",
                   scanner=ScannerSettings(port=os.ttyname(slave), baudrate=115200))
    latencies: list[float] = []
    shown = asyncio.Event()
    original = CountScreen._show_outcome

    def stamped(screen: CountScreen, outcome, expected) -> None:
        original(screen, outcome, expected)
        screen.call_after_refresh(shown.set)

    CountScreen._show_outcome = stamped
    try:
        async with app.run_test(size=BENCH_SIZE) as pilot:
            while app.scanner_status != "connected":
                await pilot.pause(0.01)
            app.push_screen(CountScreen(session_id))
            while not (isinstance(app.screen, CountScreen) and app.screen.session is not None):
                await pilot.pause(0.05)
            for n in range(SCANS):
                shown.clear()
                os.write(master, f"{ean13(n * 13 % LINES)}\r\n".encode())
                start = time.perf_counter()
                await asyncio.wait_for(shown.wait(), timeout=10)
                latencies.append((time.perf_counter() - start) * 1000)
    finally:
        CountScreen._show_outcome = original
        os.close(master)
        os.close(slave)
    return latencies


def confirm_on_ledger(folder: Path) -> tuple[float, int]:
    """Seconds to confirm a count of 5,000 lines, most of them differing, on the 1,000,000-move ledger."""
    _, ledger, _, _, _ = build_ledger(MILLION)
    copy = folder / "ledger.db"
    shutil.copyfile(ledger, copy)
    store = open_store(f"sqlite:///{copy}", operator="bench", terminal="bench")
    stock = get_location("WH/STOCK")
    held = [(key, qty) for key, qty in on_hand_by_location(store, subtree(stock)).items() if qty > 0][:LINES]
    session = start_session(store, stock, children=True)
    moment = now()
    with store.atomic():
        CountRecord.insert_many(
            [{"session": session.id, "kind": "set", "product": pid, "location": lid, "at": moment,
              "quantity": qty - (n % 3), "operator": "bench", "terminal": "bench"}
             for n, ((pid, lid), qty) in enumerate(held)]
        ).execute()
    start = time.perf_counter()
    moves = confirm(store, session)
    seconds = time.perf_counter() - start
    store.close()
    return seconds, len(moves)


def main() -> int:
    """Run the counting benchmark; 0 when every target is met."""
    report = Report()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'count.db'}"
        store = open_store(url, operator="bench", terminal="bench")
        session_id = seed_session(store)
        store.close()
        latencies = asyncio.run(measure(url, session_id))
        report.figure("scan_to_screen_median_ms", median(latencies), "ms", 15)
        report.figure("scan_to_screen_p99_ms", percentile(latencies, 99), "ms", 50)
        seconds, posted = confirm_on_ledger(Path(folder))
        report.figure("confirm_5000_lines_1m_moves_s", seconds, "s", 2)
        report.figure("confirm_moves_posted", posted, "moves", None)
    return report.exit_code()


if __name__ == "__main__":
    sys.exit(main())
