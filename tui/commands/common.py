"""What every subcommand shares: opening the store the global options name."""

from __future__ import annotations

import argparse
import getpass

from store.database import Store, default_url, open_store


def store_from_args(args: argparse.Namespace) -> Store:
    """Open the store of ``--db`` (else ``$STOCKROOM_DB``, else the default file) as the named operator."""
    url = args.db or default_url(demo=getattr(args, "demo", False))
    operator = args.operator or getpass.getuser()
    return open_store(url, operator=operator, terminal=args.terminal)
