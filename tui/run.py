"""Opening the app from the command line."""

from __future__ import annotations

import argparse
import sys

from store.database import default_url, open_store
from store.demo import create_demo, has_demo, is_empty
from store.errors import InvalidValue
from tui.app import make_app


def prepare_demo(url: str) -> None:
    """Fill the database at ``url`` with the demo stock room unless it has it already.

    Refuses a database that holds other data, so the demo never mixes with real stock.
    """
    store = open_store(url, operator="demo")
    try:
        if has_demo(store):
            return
        if not is_empty(store):
            raise InvalidValue(f"{url}: --demo needs an empty database or a demo one, and this one holds data")
        print("Creating the demo stock room...", file=sys.stderr)
        create_demo(store)
    finally:
        store.close()


def run_app(args: argparse.Namespace) -> int:
    """Run the app on ``args.db`` (else the default or demo database); returns the exit code."""
    url = args.db or default_url(demo=args.demo)
    if args.demo:
        prepare_demo(url)
    app = make_app(url, operator=args.operator or "", terminal=args.terminal, scanner=args.scanner)
    app.run()
    return 0
