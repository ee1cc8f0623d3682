"""``stockroom reasons``: the labels stock adjustments are posted with."""

from __future__ import annotations

import argparse

from store.adjustments import DIRECTIONS, add_reason, reasons, remove_reason
from tui.commands.common import store_from_args


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``reasons list|add CODE [--direction in|out|both]|remove CODE``."""
    parser = subparsers.add_parser("reasons", help="reason labels for stock adjustments: list, add, remove")
    actions = parser.add_subparsers(dest="reasons_command", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="print each label and its direction (in, out or both)")
    listing.add_argument("--direction", choices=("in", "out"), help="only the labels usable this way")
    listing.set_defaults(handler=_list)

    add = actions.add_parser("add", help="add a label")
    add.add_argument("code", help="the label, e.g. broken")
    add.add_argument("--direction", choices=DIRECTIONS, default="both",
                     help="for stock added (in), removed (out) or both (default)")  # fmt: skip
    add.set_defaults(handler=_add)

    remove = actions.add_parser("remove", help="remove a label; moves posted with it keep it")
    remove.add_argument("code", help="the label")
    remove.set_defaults(handler=_remove)


def _list(args: argparse.Namespace) -> int:
    store_from_args(args)
    for reason in reasons(args.direction):
        print(f"{reason.code} {reason.direction}")
    return 0


def _add(args: argparse.Namespace) -> int:
    reason = add_reason(store_from_args(args), args.code, args.direction)
    print(f"{reason.code} {reason.direction}")
    return 0


def _remove(args: argparse.Namespace) -> int:
    remove_reason(store_from_args(args), args.code)
    return 0
