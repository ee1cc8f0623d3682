"""``stockroom journal``: the scans this terminal kept offline, and which the store refused when they went back."""

from __future__ import annotations

import argparse
import json

from devices.scan import escape_text
from store.database import default_terminal, default_url
from store.journal import entry_states, journal_files


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``journal [--all] [--json]``."""
    parser = subparsers.add_parser(
        "journal", help="the scans kept offline on this terminal: waiting, or refused when written back",
        description="Reads this terminal's offline journal for the database (no connection needed, the app may run).",
    )
    parser.add_argument("--all", action="store_true", help="the scans written back too")
    parser.add_argument("--json", action="store_true", help="one JSON object per scan")
    parser.set_defaults(handler=_journal)


def _journal(args: argparse.Namespace) -> int:
    url = args.db or default_url(demo=args.demo)
    for path in journal_files(url, args.terminal or default_terminal()):
        for state, entry, reason in entry_states(path):
            if state == "done" and not args.all:
                continue
            row = {
                "state": state,
                "job": entry.get("job"),
                "document": entry.get("document"),
                "raw": entry["reading"]["raw"],
                "multiplier": entry.get("multiplier"),
                "read_at": entry.get("read_at"),
                "operator": entry.get("operator"),
                "reason": reason or None,
                "id": entry["id"],
            }
            if args.json:
                print(json.dumps(row))
            else:
                times = f"{row['multiplier']} x " if row["multiplier"] else ""
                words = [state, row["read_at"] or "", f"{row['job']} #{row['document']}", times + row["raw"]]
                # raw is the scan as the app shows it (control bytes already escaped once): escape, don't double
                print(escape_text("  ".join(words) + (f"  {reason}" if reason else ""), double_backslashes=False))
    return 0
