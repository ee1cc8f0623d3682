"""Reports benchmark: 10,000 rows read, filtered and put on the screen, and how long the UI stalls meanwhile.

``python3 -m bench.bench_reports`` (``bash bench/run reports``). A SQLite file
gets 10,000 products with stock in one bin and 10,000 done moves over the last
month. The app runs headless at 80x24; a probe task sleeps 5 ms at a time on
the app's event loop and records how late it wakes: the longest lateness is
the longest stall of the UI while the balance and transactions reports load,
filter and fill their tables. Timings are wall-clock on a shared machine: noisy.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from bench.report import Report, median
from store.clock import now, to_micros
from store.database import open_store
from store.locations import create_location, get_location
from store.models import Product
from store.moves import bulk_posting, post_done_moves_bulk
from store.quantity import to_units
from store.report_balance import balance
from store.report_filters import ReportFilter
from store.report_moves import transactions
from store.units import get_uom
from tui.app import make_app
from tui.screens.report_balance import BalanceReportScreen
from tui.screens.report_base import ReportScreen
from tui.screens.report_moves import TransactionsReportScreen

ROWS = 10_000
PROBE_SECONDS = 0.005
STALL_TARGET_MS = 100.0
SIZE = (80, 24)


def seed(url: str) -> None:
    """10,000 products P00000.. with 5 each at A-01 (received 40 days ago), each sold once in the last month."""
    store = open_store(url, operator="bench", terminal="bench")
    create_location(store, "WH", "Main", "warehouse")
    create_location(store, "A-01", "Shelf", "storage", parent=get_location("WH/STOCK"))
    uom = get_uom("pc")
    with store.atomic():
        Product.insert_many(
            [{"code": f"P{n:05d}", "name": f"Product {n}", "uom": uom.id, "category": f"C{n % 10}"} for n in range(ROWS)]
        ).execute()
    ids = [row.id for row in Product.select(Product.id).order_by(Product.id)]
    supplier, customer, bin_ = (get_location(code).id for code in ("SUPPLIER", "CUSTOMER", "A-01"))
    start = to_micros(now() - timedelta(days=40))
    recent = to_micros(now() - timedelta(days=30))
    step = (to_micros(now() - timedelta(hours=1)) - recent) // ROWS
    with bulk_posting(store), store.atomic():
        post_done_moves_bulk(
            store, ((pid, to_units(Decimal(6)), supplier, bin_, start, to_units(Decimal(1)), "", "", "bench", "bench")
                    for pid in ids)
        )  # fmt: skip
        post_done_moves_bulk(
            store, ((pid, to_units(Decimal(1)), bin_, customer, recent + n * step, None, "sold", "", "bench", "bench")
                    for n, pid in enumerate(ids))
        )  # fmt: skip
    store.close()


def timed(function: Callable[[], object], runs: int = 5) -> float:
    """The median milliseconds of ``function``."""
    samples = []
    for _ in range(runs):
        begin = time.perf_counter()
        function()
        samples.append((time.perf_counter() - begin) * 1000)
    return median(samples)


async def until_filled(screen: ReportScreen) -> None:
    """Wait until the screen's newest read is read and all in the table."""
    await asyncio.sleep(0)
    while screen.filling:
        await asyncio.sleep(0.002)


async def measure(url: str) -> dict[str, float]:
    """Milliseconds to load and filter each report on screen, and the longest stalls of the event loop meanwhile.

    Each report screen is opened on a filter that matches nothing (opening a
    screen parses its CSS and mounts its widgets: reported apart as
    ``open_stall``), then loads all 10,000 rows, narrows them to ten, and widens
    them back to all: the stalls of those three steps are the ``max_stall``.
    """
    app = make_app(url, operator="bench", terminal="bench")
    figures: dict[str, float] = {}
    stalls: list[float] = []

    async def probe() -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(PROBE_SECONDS)
            stalls.append((loop.time() - before - PROBE_SECONDS) * 1000)

    async def step(screen: ReportScreen, search: str) -> float:
        begin = time.perf_counter()
        screen.values = screen.values | {"search": search}
        screen.reload()
        await until_filled(screen)
        return (time.perf_counter() - begin) * 1000

    opening: list[float] = []
    loading: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        prober = asyncio.create_task(probe())
        for name, screen_type in (("balance", BalanceReportScreen), ("transactions", TransactionsReportScreen)):
            stalls.clear()
            screen = screen_type(search="no such product")
            app.push_screen(screen)
            await until_filled(screen)
            await pilot.pause()
            opening += stalls
            stalls.clear()
            figures[f"{name}_load_ms"] = await step(screen, "")
            figures[f"{name}_rows"] = screen.query_one("#report-table").row_count
            figures[f"{name}_filter_ms"] = await step(screen, "P0001")
            figures[f"{name}_unfilter_ms"] = await step(screen, "")
            await pilot.pause()
            loading += stalls
            screen.dismiss(None)
            await pilot.pause()
        prober.cancel()
    figures["open_stall_ms"] = max(opening)
    figures["max_stall_ms"] = max(loading)
    figures["p99_stall_ms"] = statistics.quantiles(loading, n=100)[98]
    return figures


def main() -> int:
    """Run the reports benchmark; 0 when the stall target is met."""
    report = Report()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'reports.db'}"
        seed(url)
        store = open_store(url, operator="bench", terminal="bench")
        report.figure("reports_balance_query_median_ms", timed(lambda: balance(store)), "ms", None)
        report.figure(
            "reports_balance_query_filtered_median_ms",
            timed(lambda: balance(store, ReportFilter(search="P0001"))), "ms", None,
        )  # fmt: skip
        report.figure("reports_transactions_query_median_ms", timed(lambda: transactions(store)), "ms", None)
        store.close()
        figures = asyncio.run(measure(url))
    for name in ("balance", "transactions"):
        if figures[f"{name}_rows"] != ROWS:
            print(f"bench_reports: {name} showed {figures[f'{name}_rows']} rows, not {ROWS}", file=sys.stderr)
            return 1
        for step in ("load", "filter", "unfilter"):
            report.figure(f"reports_{name}_{step}_on_screen_ms", figures[f"{name}_{step}_ms"], "ms", None)
    report.figure("reports_ui_open_screen_stall_ms", figures["open_stall_ms"], "ms", None)
    report.figure("reports_ui_p99_stall_ms", figures["p99_stall_ms"], "ms", None)
    report.figure("reports_ui_max_stall_ms", figures["max_stall_ms"], "ms", STALL_TARGET_MS)
    return report.exit_code()


if __name__ == "__main__":
    sys.exit(main())
