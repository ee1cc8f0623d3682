"""``stockroom operators``: the people who log in on the terminals, their badges, PINs and roles.

Like every subcommand this is the administrator's tool: it runs without a
login (whoever may run it on the server may change the database anyway).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from store.errors import InvalidValue
from store.operators import (
    ROLE_NAMES,
    add_operator,
    deactivate,
    is_locked,
    operators,
    set_pin,
    set_role,
    unlock,
)
from store.text import has_control
from tui.commands.common import store_from_args


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``operators add|list|pin|role|deactivate|unlock``."""
    parser = subparsers.add_parser("operators", help="operators: badges, PINs and roles")
    actions = parser.add_subparsers(dest="operators_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="add an operator (asks for the PIN)")
    add.add_argument("badge", help="the badge code, as typed or scanned")
    add.add_argument("name", help="the operator's name")
    add.add_argument("--role", choices=ROLE_NAMES, default="counter", help="counter (default) or supervisor")
    add.add_argument("--pin-stdin", action="store_true", help="read the PIN from the first line of standard input")
    add.set_defaults(handler=_add)

    listing = actions.add_parser("list", help="print badge, role, state and name of each operator")
    listing.set_defaults(handler=_list)

    pin = actions.add_parser("pin", help="give an operator a new PIN (also unlocks the badge)")
    pin.add_argument("badge")
    pin.add_argument("--pin-stdin", action="store_true", help="read the PIN from the first line of standard input")
    pin.set_defaults(handler=_pin)

    role = actions.add_parser("role", help="make an operator a counter or a supervisor")
    role.add_argument("badge")
    role.add_argument("role", choices=ROLE_NAMES)
    role.set_defaults(handler=_role)

    off = actions.add_parser("deactivate", help="stop an operator logging in (what they did keeps their badge)")
    off.add_argument("badge")
    off.set_defaults(handler=_deactivate)

    lift = actions.add_parser("unlock", help="lift the lock of a badge after too many wrong PINs")
    lift.add_argument("badge")
    lift.set_defaults(handler=_unlock)


def read_pin(args: argparse.Namespace) -> str:
    """The new PIN: the first line of standard input with ``--pin-stdin``, else asked twice without echo."""
    if args.pin_stdin:
        return sys.stdin.readline().strip()
    pin = getpass.getpass("PIN: ")
    if getpass.getpass("PIN again: ") != pin:
        raise InvalidValue("the two PINs differ; nothing was changed")
    return pin


def _show(text: str) -> str:
    return text if not has_control(text) else repr(text)


def _add(args: argparse.Namespace) -> int:
    store = store_from_args(args)
    operator = add_operator(store, args.badge, args.name, args.role, read_pin(args))
    print(f"{_show(operator.badge)} {operator.role} {_show(operator.name)}")
    return 0


def _list(args: argparse.Namespace) -> int:
    store_from_args(args)
    for operator in operators():
        state = "inactive" if not operator.active else "locked" if is_locked(operator) else "active"
        print(f"{_show(operator.badge)}\t{operator.role}\t{state}\t{_show(operator.name)}")
    return 0


def _pin(args: argparse.Namespace) -> int:
    set_pin(store_from_args(args), args.badge, read_pin(args))
    return 0


def _role(args: argparse.Namespace) -> int:
    set_role(store_from_args(args), args.badge, args.role)
    return 0


def _deactivate(args: argparse.Namespace) -> int:
    deactivate(store_from_args(args), args.badge)
    return 0


def _unlock(args: argparse.Namespace) -> int:
    unlock(store_from_args(args), args.badge)
    return 0
