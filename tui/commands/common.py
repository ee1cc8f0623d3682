"""What every scripted subcommand needs: the store named by the global options, timestamp arguments."""

from __future__ import annotations

import argparse
import os
from datetime import datetime

from store.clock import parse_timestamp
from store.database import Store, default_url, open_store
from store.errors import StockError


def store_from_args(args: argparse.Namespace) -> Store:
    """Open the store of ``--db`` (else ``$STOCKROOM_DB``, else the default file) for ``--operator``/$USER."""
    url = args.db or default_url(demo=getattr(args, "demo", False))
    operator = args.operator or os.environ.get("USER", "")
    return open_store(url, operator=operator, terminal=args.terminal)


def timestamp_arg(text: str) -> datetime:
    """An argparse ``type`` for ISO 8601 timestamps: a bad one is a usage error (exit 2)."""
    try:
        return parse_timestamp(text)
    except StockError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
