"""``stockroom count``: count sessions from scripts and batch-mode scanners."""

from __future__ import annotations

import argparse
import sys

from devices.batch import BatchRefused, parse_batch
from store.count_confirm import confirm
from store.count_report import write_variance_csv
from store.counting import get_session, record_batch, start_session
from store.errors import InvalidValue
from store.locations import get_location
from tui.commands.common import open_text, store_from_args
from tui.readings import reading_from_scan


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``count start|add|confirm|report``."""
    count = subparsers.add_parser("count", help="count sessions: start, add scans, confirm, report")
    actions = count.add_subparsers(dest="count_command", metavar="ACTION", required=True)

    start = actions.add_parser("start", help="start a count of a location; prints the session number")
    start.add_argument("location", help="location code")
    start.add_argument("--blind", action="store_true", help="hide expected quantities from counters")
    start.add_argument("--empty", choices=("zero", "keep"), default="keep",
                       help="uncounted expected products: count them as zero, or leave their stock alone")
    start.add_argument("--children", action="store_true", help="count the locations under it too")
    start.add_argument("--category", help="count only products of this category")
    start.set_defaults(handler=_start)

    add = actions.add_parser("add", help="add a batch scanner dump or a file of barcode[,quantity] lines")
    add.add_argument("session", help="session number")
    add.add_argument("file", help="the dump, or - for standard input")
    add.set_defaults(handler=_add)

    confirm_parser = actions.add_parser("confirm", help="confirm a count, posting its differences")
    confirm_parser.add_argument("session", help="session number")
    choice = confirm_parser.add_mutually_exclusive_group()
    choice.add_argument("--keep-count", dest="resolution", action="store_const", const="keep",
                        help="lines whose stock moved after counting: the count is the truth now")
    choice.add_argument("--recount", dest="resolution", action="store_const", const="recount",
                        help="lines whose stock moved after counting: send them back to be counted")
    confirm_parser.set_defaults(handler=_confirm, resolution=None)

    report = actions.add_parser("report", help="print the variance report as CSV")
    report.add_argument("session", help="session number")
    report.set_defaults(handler=_report)


def _start(args: argparse.Namespace) -> int:
    store = store_from_args(args)
    session = start_session(
        store,
        get_location(args.location),
        blind=args.blind,
        empty_policy=args.empty,
        children=args.children,
        category=args.category,
    )
    print(session.id)
    return 0


def _add(args: argparse.Namespace) -> int:
    store = store_from_args(args)
    session = get_session(args.session)
    try:
        with open_text(args.file) as stream:
            lines = parse_batch(stream)
    except BatchRefused as refused:
        raise InvalidValue(f"{args.file}: {refused}; nothing added") from None
    except UnicodeDecodeError:
        raise InvalidValue(f"{args.file}: not UTF-8 text; nothing added") from None
    entries = [(line.line, reading_from_scan(line.scan), line.quantity) for line in lines]
    outcomes = record_batch(store, session, entries)
    print(f"count {session.id}: {len(outcomes)} scans added")
    return 0


def _confirm(args: argparse.Namespace) -> int:
    store = store_from_args(args)
    session = get_session(args.session)
    moves = confirm(store, session, args.resolution)
    if args.resolution == "recount" and not moves and get_session(session.id).state == "draft":
        print(f"count {session.id}: lines sent to recount; confirm again when they are counted", file=sys.stderr)
        return 1
    print(f"count {session.id} confirmed: {len(moves)} moves posted")
    return 0


def _report(args: argparse.Namespace) -> int:
    store = store_from_args(args)
    write_variance_csv(store, get_session(args.session), sys.stdout)
    return 0
