"""What every subcommand shares: opening the store the global options name."""

from __future__ import annotations

import argparse
import getpass
import io
import sys
from typing import TextIO

from store.database import Store, default_url, open_store
from store.errors import InvalidValue


def store_from_args(args: argparse.Namespace) -> Store:
    """Open the store of ``--db`` (else ``$STOCKROOM_DB``, else the default file) as the named operator."""
    url = args.db or default_url(demo=getattr(args, "demo", False))
    operator = args.operator or getpass.getuser()
    return open_store(url, operator=operator, terminal=args.terminal)


def open_text(path: str) -> TextIO:
    """A UTF-8 text file (BOM or not) to read, or standard input for ``-``; refuses what is not UTF-8."""
    if path == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="strict", newline="")
    try:
        return open(path, encoding="utf-8-sig", errors="strict", newline="")
    except OSError as error:
        raise InvalidValue(f"cannot read {path}: {error.strerror}") from None
