"""What every scripted subcommand needs: the store named by the global options, timestamps, input files."""

from __future__ import annotations

import argparse
import io
import os
import sys
from datetime import datetime
from decimal import Decimal
from typing import TextIO

from store.clock import parse_timestamp
from store.database import Store, default_url, open_store, redact_url
from store.demo import create_demo, has_demo, is_empty
from store.errors import InvalidValue, StockError
from store.quantity import parse_decimal


def store_from_args(args: argparse.Namespace) -> Store:
    """Open the store of ``--db`` (else ``$STOCKROOM_DB``, else the default file) for ``--operator``/$USER.

    With ``--demo``, the demo database, filled with the demo stock room first if it is new, as the app does.
    """
    demo = getattr(args, "demo", False)
    url = args.db or default_url(demo=demo)
    if demo:
        prepare_demo(url)
    operator = args.operator or os.environ.get("USER", "")
    return open_store(url, operator=operator, terminal=args.terminal)


def prepare_demo(url: str) -> None:
    """Fill the database at ``url`` with the demo stock room unless it has it already.

    Refuses a database that holds other data, so the demo never mixes with real stock.
    """
    store = open_store(url, operator="demo")
    try:
        if has_demo(store):
            return
        if not is_empty(store):
            raise InvalidValue(f"{redact_url(url)}: --demo needs an empty database or a demo one, and this one holds data")
        print("Creating the demo stock room...", file=sys.stderr)
        create_demo(store)
    finally:
        store.close()


def timestamp_arg(text: str) -> datetime:
    """An argparse ``type`` for ISO 8601 timestamps: a bad one is a usage error (exit 2)."""
    try:
        return parse_timestamp(text)
    except StockError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def decimal_arg(text: str) -> Decimal:
    """An argparse ``type`` for a number (``8,5`` too): a bad one is a usage error (exit 2)."""
    try:
        return parse_decimal(text, "number")
    except StockError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def open_text(path: str) -> TextIO:
    """A UTF-8 text file (BOM or not) to read, or standard input for ``-``; refuses what is not UTF-8."""
    if path == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="strict", newline="")
    try:
        return open(path, encoding="utf-8-sig", errors="strict", newline="")
    except OSError as error:
        raise InvalidValue(f"cannot read {path}: {error.strerror}") from None
