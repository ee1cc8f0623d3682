"""``stockroom import`` and ``stockroom export``: CSV files in and out of the store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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
from tui.commands.common import store_from_args, timestamp_arg

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
}


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
        help="export stock, moves or the stock valuation as CSV",
        description=(
            "Write stock (product,location,on_hand,reserved,available,uom), moves, or the valuation "
            "(warehouse,product,quantity,unit_cost,value; with --layers warehouse,product,date,quantity,"
            "unit_cost,value, one row per remaining cost layer) as CSV."
        ),
    )
    parser.add_argument("kind", choices=tuple(OPTIONS))
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument("--location", metavar="CODE", help="only this location and those under it")
    parser.add_argument("--product", metavar="CODE", help="only this product")
    parser.add_argument(
        "--at",
        metavar="TIMESTAMP",
        type=timestamp_arg,
        help="stock: on hand at this ISO 8601 time (reserved and available stay those of now); "
        "valuation: the value at this time",
    )
    parser.add_argument("--warehouse", metavar="CODE", help="valuation: only this warehouse")
    parser.add_argument(
        "--layers", action="store_true", default=None, help="valuation: one row per remaining cost layer"
    )
    parser.add_argument("--since", metavar="TIMESTAMP", type=timestamp_arg, help="moves: dated at or after")
    parser.add_argument("--until", metavar="TIMESTAMP", type=timestamp_arg, help="moves: dated at or before")
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


def run_export(args: argparse.Namespace) -> int:
    """Write the stock, the moves or the valuation as CSV to stdout or ``-o FILE``."""
    for name in {name for names in OPTIONS.values() for name in names} - set(OPTIONS[args.kind]):
        if getattr(args, name) is not None:
            args.parser.error(f"--{name} does not apply to export {args.kind}")
    store = store_from_args(args)
    try:
        if args.kind == "stock":
            columns, rows = STOCK_COLUMNS, stock_rows(store, args.location, args.product, args.at)
        elif args.kind == "moves":
            columns, rows = MOVE_COLUMNS, move_rows(store, args.location, args.product, args.since, args.until)
        else:
            columns = LAYER_COLUMNS if args.layers else VALUATION_COLUMNS
            rows = valuation_rows(store, args.warehouse, args.at, by_layer=bool(args.layers))
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
