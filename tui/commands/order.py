"""``stockroom order``: supply orders from scripts; receiving happens on the Receive screen."""

from __future__ import annotations

import argparse
from decimal import Decimal

from store.catalog import get_product
from store.errors import InvalidValue
from store.locations import get_location
from store.models import Product, SupplyOrderLine
from store.quantity import format_quantity, parse_decimal
from store.supply import (
    DEFAULT_TARGET_FACTOR,
    STATE_LABELS,
    add_line,
    cancel_order,
    change_line,
    create_order,
    create_template,
    fill_from_low_stock,
    get_order,
    get_template,
    history,
    order_from_template,
    order_lines,
    remove_line,
    send_order,
)
from tui.commands.common import store_from_args, timestamp_arg


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``order new|line|remove|send|cancel|show|template``."""
    order = subparsers.add_parser("order", help="supply orders: create, fill from low stock, send, cancel, show")
    actions = order.add_subparsers(dest="order_command", metavar="ACTION", required=True)

    new = actions.add_parser("new", help="open a draft order; prints its number")
    new.add_argument("supplier", nargs="?", help="supplier name (not needed with --template)")
    new.add_argument("--warehouse", required=True, help="warehouse code the goods are received into")
    new.add_argument("--expected", type=timestamp_arg, help="expected delivery date (ISO 8601)")
    new.add_argument("--template", help="copy the supplier and lines of this template")
    new.add_argument("--fill-low", action="store_true",
                     help="add every low product of the warehouse, up to --target or --factor x its threshold")
    level = new.add_mutually_exclusive_group()
    level.add_argument("--target", help="order low products up to this quantity")
    level.add_argument("--factor", default=str(DEFAULT_TARGET_FACTOR),
                       help="order low products up to this many times their threshold (default 2)")
    new.set_defaults(handler=_new)

    line = actions.add_parser("line", help="add a product to a draft order, or change its line")
    line.add_argument("order", help="order number")
    line.add_argument("product", help="product code")
    line.add_argument("quantity", help="quantity ordered, in the product's unit")
    line.add_argument("--cost", help="unit cost")
    line.add_argument("--discount", default="0", help="discount in percent")
    line.set_defaults(handler=_line)

    remove = actions.add_parser("remove", help="take a product off a draft order")
    remove.add_argument("order", help="order number")
    remove.add_argument("product", help="product code")
    remove.set_defaults(handler=_remove)

    send = actions.add_parser("send", help="validate a draft order and mark it pending receipt")
    send.add_argument("order", help="order number")
    send.set_defaults(handler=_send)

    cancel = actions.add_parser("cancel", help="cancel an order; nothing more is received against it")
    cancel.add_argument("order", help="order number")
    cancel.add_argument("--note", default="", help="why")
    cancel.set_defaults(handler=_cancel)

    show = actions.add_parser("show", help="print an order's lines and its status history")
    show.add_argument("order", help="order number")
    show.set_defaults(handler=_show)

    template = actions.add_parser("template", help="save a reusable order: NAME SUPPLIER PRODUCT=QUANTITY...")
    template.add_argument("name", help="template name")
    template.add_argument("supplier", help="supplier name")
    template.add_argument("lines", nargs="+", metavar="PRODUCT=QUANTITY", help="products and usual quantities")
    template.set_defaults(handler=_template)


def _new(args: argparse.Namespace) -> int:
    store = store_from_args(args)
    warehouse = get_location(args.warehouse)
    if args.template:
        order = order_from_template(store, get_template(args.template), warehouse, args.expected)
    elif args.supplier:
        order = create_order(store, args.supplier, warehouse, args.expected)
    else:
        raise InvalidValue("name the supplier, or a --template")
    if args.fill_low:
        target = parse_decimal(args.target, "target") if args.target else None
        fill_from_low_stock(store, order, parse_decimal(args.factor, "factor"), target)
    print(order.id)
    return 0


def _line(args: argparse.Namespace) -> int:
    store = store_from_args(args)
    order, product = get_order(args.order), get_product(args.product)
    quantity = parse_decimal(args.quantity)
    cost = parse_decimal(args.cost, "unit cost") if args.cost else None
    discount = parse_decimal(args.discount, "discount")
    exists = SupplyOrderLine.select().where(
        (SupplyOrderLine.order == order) & (SupplyOrderLine.product == product)
    ).exists()
    (change_line if exists else add_line)(store, order, product, quantity, cost, discount)
    return 0


def _remove(args: argparse.Namespace) -> int:
    remove_line(store_from_args(args), get_order(args.order), get_product(args.product))
    return 0


def _send(args: argparse.Namespace) -> int:
    order = send_order(store_from_args(args), get_order(args.order))
    print(f"order {order.id}: {STATE_LABELS[order.state]}")
    return 0


def _cancel(args: argparse.Namespace) -> int:
    order = cancel_order(store_from_args(args), get_order(args.order), args.note)
    print(f"order {order.id}: {STATE_LABELS[order.state]}")
    return 0


def _show(args: argparse.Namespace) -> int:
    store_from_args(args)
    order = get_order(args.order)
    print(f"order {order.id} {order.supplier} -> {order.warehouse.code}: {STATE_LABELS[order.state]}")
    for line in order_lines(order):
        precision = line.product.uom.precision
        cost = "" if line.unit_cost is None else f" at {line.unit_cost}"
        discount = f" less {line.discount_pct} %" if line.discount_pct else ""
        print(f"  {line.product.code} {format_quantity(line.quantity, precision)} {line.product.uom.code}{cost}{discount}")
    for status in history(order):
        who = " ".join(part for part in (status.operator, status.terminal) if part)
        note = f" ({status.note})" if status.note else ""
        print(f"  {status.at.astimezone():%Y-%m-%d %H:%M} {STATE_LABELS[status.state]} by {who}{note}")
    return 0


def _template(args: argparse.Namespace) -> int:
    store = store_from_args(args)
    lines: list[tuple[Product, Decimal]] = []
    for item in args.lines:
        code, sep, quantity = item.partition("=")
        if not sep:
            raise InvalidValue(f"{item!r}: write PRODUCT=QUANTITY")
        lines.append((get_product(code), parse_decimal(quantity)))
    template = create_template(store, args.name, args.supplier, lines)
    print(f"template {template.name}: {len(lines)} lines")
    return 0

