"""``stockroom import`` and ``stockroom export``: CSV files in and out of the store."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from store.csv_export import (
    LAYER_COLUMNS,
    MOVE_COLUMNS,
    STOCK_COLUMNS,
    VALUATION_COLUMNS,
    move_rows,
    stock_rows,
    valuation_rows,
    write_csv,
)
from store.csv_import import import_locations, import_moves, import_products
from store.errors import InvalidValue
from store.pick_import import import_picks
from store.report_balance import balance
from store.report_counts import count_history
from store.report_coverage import PERIODS, coverage
from store.report_csv import (
    BALANCE_COLUMNS,
    COUNT_COLUMNS,
    COVERAGE_COLUMNS,
    TRANSACTION_COLUMNS,
    balance_rows,
    count_rows,
    coverage_rows,
    transaction_rows,
)
from store.report_filters import ReportFilter
from store.report_moves import transactions
from tui.commands.common import decimal_arg, store_from_args, timestamp_arg

if TYPE_CHECKING:
    from store.database import Store

IMPORTERS = {
    "products": import_products,
    "locations": import_locations,
    "moves": import_moves,
    "picks": import_picks,
}
# the options each kind of export takes; any other given is a usage error
OPTIONS = {
    "stock": ("location", "product", "at"),
    "moves": ("location", "product", "since", "until"),
    "valuation": ("warehouse", "at", "layers"),
    "balance": ("location", "product", "category"),
    "transactions": ("location", "product", "category", "since", "until", "reason", "by"),
    "coverage": ("warehouse", "product", "category", "days", "under"),
    "counts": ("location", "since", "until"),
}
REPORT_HELP = (
    "Reports: balance (product,name,category,location,on_hand,reserved,available,uom,last_change,low: "
    "storage stock with the date of the last done move, low 1 for a product at or below its low-stock level); "
    "transactions (date,product,quantity,uom,from,to,reason,operator,terminal,origin: done moves by effective "
    "date); coverage (product,name,on_hand,outflow,days,daily_outflow,coverage_days,uom,under: days the stock "
    "lasts at the average outflow of the last --days, empty when nothing went out, under 1 below --under days); "
    "counts (session,location,state,date,operator,lines,gained,lost,net,value_gained,value_lost,value: past "
    "counts and their differences)."
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``import`` and ``export`` subcommands."""
    parser = subparsers.add_parser(
        "import",
        help="import products, locations, done moves or pick lists from a CSV file",
        description="Import a CSV file; all or nothing: a wrong cell refuses the file, naming line and column.",
    )
    parser.add_argument("kind", choices=tuple(IMPORTERS))
    parser.add_argument("file", metavar="FILE", help="CSV file (UTF-8, header row), - for stdin")
    parser.set_defaults(handler=run_import)

    parser = subparsers.add_parser(
        "export",
        help="export stock, moves, the stock valuation or a report as CSV",
        description=(
            "Write stock (product,location,on_hand,reserved,available,uom), moves, or the valuation "
            "(warehouse,product,quantity,unit_cost,value; with --layers warehouse,product,date,quantity,"
            "unit_cost,value, one row per remaining cost layer) as CSV. " + REPORT_HELP
        ),
    )
    parser.add_argument("kind", choices=tuple(OPTIONS))
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument("--location", metavar="CODE", help="only this location and those under it")
    parser.add_argument("--product", metavar="CODE", help="only this product")
    parser.add_argument("--category", metavar="NAME", help="balance, transactions, coverage: only this category")
    parser.add_argument(
        "--at",
        metavar="TIMESTAMP",
        type=timestamp_arg,
        help="stock: on hand at this ISO 8601 time (reserved and available stay those of now); "
        "valuation: the value at this time",
    )
    parser.add_argument("--warehouse", metavar="CODE", help="valuation, coverage: only this warehouse")
    parser.add_argument(
        "--layers", action="store_true", default=None, help="valuation: one row per remaining cost layer"
    )
    parser.add_argument("--since", metavar="TIMESTAMP", type=timestamp_arg, help="moves, transactions, counts: dated at or after")
    parser.add_argument("--until", metavar="TIMESTAMP", type=timestamp_arg, help="moves, transactions, counts: dated at or before")
    parser.add_argument("--reason", metavar="LABEL", help="transactions: only moves with this reason")
    parser.add_argument("--by", metavar="OPERATOR", help="transactions: only moves made by this operator")
    parser.add_argument(
        "--days", type=int, choices=PERIODS, help="coverage: the outflow of the last N days (default 30)"
    )
    parser.add_argument(
        "--under", metavar="DAYS", type=decimal_arg, help="coverage: mark products lasting fewer days (under 1)"
    )
    parser.set_defaults(handler=run_export, parser=parser)


def run_import(args: argparse.Namespace) -> int:
    """Read FILE (or stdin) and import it; prints ``imported N kind``."""
    try:
        data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as error:
        raise InvalidValue(f"cannot read {args.file}: {error.strerror}") from None
    store = store_from_args(args)
    try:
        count = IMPORTERS[args.kind](store, data)
    finally:
        store.close()
    print(f"imported {count} {args.kind}")
    return 0


def report_rows(store: Store, args: argparse.Namespace) -> tuple[tuple[str, ...], Iterator[list[str]]]:
    """The columns and rows of a report export: balance, transactions, coverage or counts."""
    filters = ReportFilter(product=args.product or "", category=args.category or "", location=args.location or "")
    if args.kind == "balance":
        return BALANCE_COLUMNS, balance_rows(balance(store, filters))
    if args.kind == "transactions":
        found = transactions(store, filters, args.since, args.until, args.reason or "", args.by or "")
        return TRANSACTION_COLUMNS, transaction_rows(found)
    if args.kind == "coverage":
        found = coverage(store, args.days or 30, args.warehouse or "", filters, args.under)
        return COVERAGE_COLUMNS, coverage_rows(found)
    return COUNT_COLUMNS, count_rows(count_history(store, filters, args.since, args.until))


def run_export(args: argparse.Namespace) -> int:
    """Write the stock, the moves, the valuation or a report as CSV to stdout or ``-o FILE``."""
    for name in {name for names in OPTIONS.values() for name in names} - set(OPTIONS[args.kind]):
        if getattr(args, name) is not None:
            args.parser.error(f"--{name} does not apply to export {args.kind}")
    store = store_from_args(args)
    try:
        if args.kind == "stock":
            columns, rows = STOCK_COLUMNS, stock_rows(store, args.location, args.product, args.at)
        elif args.kind == "moves":
            columns, rows = MOVE_COLUMNS, move_rows(store, args.location, args.product, args.since, args.until)
        elif args.kind == "valuation":
            columns = LAYER_COLUMNS if args.layers else VALUATION_COLUMNS
            rows = valuation_rows(store, args.warehouse, args.at, by_layer=bool(args.layers))
        else:
            columns, rows = report_rows(store, args)
        if args.output is None:
            write_csv(sys.stdout, columns, rows)
            return 0
        try:
            out = open(args.output, "w", encoding="utf-8", newline="")
        except OSError as error:
            raise InvalidValue(f"cannot write {args.output}: {error.strerror}") from None
        with out:
            write_csv(out, columns, rows)
    finally:
        store.close()
    return 0
