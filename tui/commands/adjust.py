"""``stockroom adjust``: stock added or removed by hand, with a reason label."""

from __future__ import annotations

import argparse

from store.adjustments import add_stock, remove_stock
from store.catalog import get_product
from store.locations import get_location
from store.quantity import parse_decimal
from tui.commands.common import store_from_args


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``adjust add|remove PRODUCT QUANTITY LOCATION --reason R``."""
    adjust = subparsers.add_parser("adjust", help="add or remove stock by hand, with a reason; prints the move's id")
    actions = adjust.add_subparsers(dest="adjust_command", metavar="ACTION", required=True)
    for name, handler, help_text in (
        ("add", _add, "add stock found or received by hand (from the warehouse's lost-and-found)"),
        ("remove", _remove, "remove damaged, stolen, expired... stock (to the warehouse's lost-and-found)"),
    ):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("product", help="product code")
        action.add_argument("quantity", help="quantity in the product's unit (8,5 or 8.5)")
        action.add_argument("location", help="location code")
        action.add_argument("--reason", required=True, help="reason label (see stockroom reasons list)")
        if name == "remove":
            action.add_argument("--from-reserved", action="store_true",
                                help="may take stock reserved for pick lists too")  # fmt: skip
        action.set_defaults(handler=handler)


def _add(args: argparse.Namespace) -> int:
    store = store_from_args(args)
    product, location = get_product(args.product), get_location(args.location)
    move = add_stock(store, product, parse_decimal(args.quantity), location, args.reason)
    print(move.id)
    return 0


def _remove(args: argparse.Namespace) -> int:
    store = store_from_args(args)
    product, location = get_product(args.product), get_location(args.location)
    quantity = parse_decimal(args.quantity)
    move = remove_stock(store, product, quantity, location, args.reason, from_reserved=args.from_reserved)
    print(move.id)
    return 0
