"""Supply orders: what is ordered from a supplier for one warehouse, and every status it went through.

An order is edited only while it is a draft; ``send_order`` validates it and
marks it pending receipt (nothing enters the ledger until goods are
received). Receipts (``store.receiving``) move it to partly received and
received. An order is never deleted, only cancelled. Every status change is
a ``SupplyOrderStatus`` row saying who and when.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING

from peewee import fn

from store.clock import now
from store.costs import last_receipt_costs
from store.errors import InvalidValue, NotFound, StockError
from store.models import (
    Location,
    Product,
    SupplyOrder,
    SupplyOrderLine,
    SupplyOrderStatus,
    SupplyTemplate,
    SupplyTemplateLine,
    Uom,
)
from store.stock import location_on_hand, location_reserved
from store.text import check_name
from store.transactions import lock_row
from store.units import check_precision

if TYPE_CHECKING:
    from store.database import Store

ORDER_STATES = ("draft", "validated", "pending", "partial", "received", "cancelled")
STATE_LABELS = {
    "draft": "draft",
    "validated": "validated",
    "pending": "pending receipt",
    "partial": "partly received",
    "received": "received",
    "cancelled": "cancelled",
}
RECEIVABLE_STATES = ("validated", "pending", "partial")
DEFAULT_TARGET_FACTOR = Decimal(2)


class OrderClosed(StockError):
    """The order is not in a state that allows what was asked (edit a sent order, receive a cancelled one)."""


def describe(order: SupplyOrder) -> str:
    """"order #3 (Acme)" for messages."""
    return f"order #{order.id} ({order.supplier})"


def _fresh(store: Store, order: SupplyOrder) -> SupplyOrder:
    """The order as the database has it now, locked (another terminal may be changing it)."""
    fresh = lock_row(store, SupplyOrder, order.id)
    if fresh is None:
        raise NotFound(f"no supply order {order.id}")
    return fresh


def set_state(store: Store, order: SupplyOrder, state: str, note: str = "") -> SupplyOrder:
    """Record a status change in the order and in its history (inside the caller's transaction)."""
    SupplyOrder.update(state=state).where(SupplyOrder.id == order.id).execute()
    SupplyOrderStatus.create(
        order=order, state=state, note=note, operator=store.operator, terminal=store.terminal, at=now()
    )
    order.state = state
    return order


def create_order(
    store: Store, supplier: str, warehouse: Location, expected_at: datetime | None = None, note: str = ""
) -> SupplyOrder:
    """Open a draft order to ``supplier`` for ``warehouse``."""
    supplier = check_name(supplier, "supplier")
    if warehouse.type != "warehouse":
        raise InvalidValue(f"{warehouse.code} is a {warehouse.type} location: an order is received into a warehouse")
    with store.atomic():
        order = SupplyOrder.create(
            supplier=supplier, warehouse=warehouse, expected_at=expected_at, note=note.strip(),
            operator=store.operator, terminal=store.terminal, created_at=now(),
        )
        return set_state(store, order, "draft")


def get_order(order_id: int | str) -> SupplyOrder:
    """The supply order with this number."""
    try:
        number = int(order_id)
    except (TypeError, ValueError):
        raise NotFound(f"{order_id!r} is not a supply order number") from None
    order = SupplyOrder.get_or_none(SupplyOrder.id == number)
    if order is None:
        raise NotFound(f"no supply order {number}")
    return order


def orders(states: tuple[str, ...] = ORDER_STATES, limit: int = 200) -> list[SupplyOrder]:
    """Orders in any of ``states``, newest first, with their warehouse."""
    return list(
        SupplyOrder.select(SupplyOrder, Location)
        .join(Location)
        .where(SupplyOrder.state.in_(states))
        .order_by(SupplyOrder.id.desc())
        .limit(limit)
    )


def order_lines(order: SupplyOrder) -> list[SupplyOrderLine]:
    """The order's lines with their products and units, by product code."""
    return list(
        SupplyOrderLine.select(SupplyOrderLine, Product, Uom)
        .join(Product)
        .join(Uom)
        .where(SupplyOrderLine.order == order)
        .order_by(Product.code)
    )


def line_counts(listed: list[SupplyOrder]) -> dict[int, int]:
    """How many lines each of these orders has, by order number (an order without lines is left out)."""
    rows = (
        SupplyOrderLine.select(SupplyOrderLine.order, fn.COUNT(SupplyOrderLine.id))
        .where(SupplyOrderLine.order.in_([order.id for order in listed]))
        .group_by(SupplyOrderLine.order)
        .tuples()
    )
    return {order_id: count for order_id, count in rows}


def history(order: SupplyOrder) -> list[SupplyOrderStatus]:
    """Every status the order has been in, oldest first."""
    return list(SupplyOrderStatus.select().where(SupplyOrderStatus.order == order).order_by(SupplyOrderStatus.id))


def _editable(store: Store, order: SupplyOrder) -> SupplyOrder:
    order = _fresh(store, order)
    if order.state != "draft":
        raise OrderClosed(f"{describe(order)} is {STATE_LABELS[order.state]}: only a draft can be changed")
    return order


def _check_line(product: Product, quantity: Decimal, unit_cost: Decimal | None, discount_pct: Decimal) -> None:
    if quantity <= 0:
        raise InvalidValue(f"{product.code}: an ordered quantity must be positive, not {quantity}")
    check_precision(quantity, product.uom)
    if not product.stock_keeping:
        raise InvalidValue(f"{product.code} is not stock-kept: it cannot be ordered into stock")
    if unit_cost is not None and unit_cost < 0:
        raise InvalidValue(f"{product.code}: a unit cost cannot be negative ({unit_cost})")
    if not 0 <= discount_pct <= 100:
        raise InvalidValue(f"{product.code}: a discount is between 0 and 100 %, not {discount_pct}")


def add_line(
    store: Store,
    order: SupplyOrder,
    product: Product,
    quantity: Decimal,
    unit_cost: Decimal | None = None,
    discount_pct: Decimal = Decimal(0),
) -> SupplyOrderLine:
    """Add a product to a draft order; a product already on it is changed with ``change_line`` instead."""
    _check_line(product, quantity, unit_cost, discount_pct)
    with store.atomic():
        order = _editable(store, order)
        if SupplyOrderLine.get_or_none(order=order, product=product) is not None:
            raise InvalidValue(f"{product.code} is already on {describe(order)}: change its line instead")
        return SupplyOrderLine.create(
            order=order, product=product, quantity=quantity, unit_cost=unit_cost, discount_pct=discount_pct
        )


def add_scanned(store: Store, order: SupplyOrder, product: Product, quantity: Decimal) -> SupplyOrderLine:
    """Add a scanned quantity to a draft order: onto the product's line, or a new line at the last unit cost received."""
    with store.atomic():
        order = _editable(store, order)
        line = SupplyOrderLine.get_or_none(order=order, product=product)
        if line is None:
            cost = last_receipt_costs(store, [product.id], order.warehouse).get(product.id)
            return add_line(store, order, product, quantity, cost)
        return change_line(store, order, product, line.quantity + quantity, line.unit_cost, line.discount_pct)


def change_line(
    store: Store,
    order: SupplyOrder,
    product: Product,
    quantity: Decimal,
    unit_cost: Decimal | None = None,
    discount_pct: Decimal = Decimal(0),
) -> SupplyOrderLine:
    """Change a product's line on a draft order."""
    _check_line(product, quantity, unit_cost, discount_pct)
    with store.atomic():
        order = _editable(store, order)
        line = order_line(order, product)
        SupplyOrderLine.update(quantity=quantity, unit_cost=unit_cost, discount_pct=discount_pct).where(
            SupplyOrderLine.id == line.id
        ).execute()
        return SupplyOrderLine.get_by_id(line.id)


def remove_line(store: Store, order: SupplyOrder, product: Product) -> None:
    """Take a product off a draft order."""
    with store.atomic():
        order = _editable(store, order)
        SupplyOrderLine.delete().where(SupplyOrderLine.id == order_line(order, product).id).execute()


def order_line(order: SupplyOrder, product: Product) -> SupplyOrderLine:
    """The product's line on the order, as the database has it now."""
    line = SupplyOrderLine.get_or_none(order=order, product=product)
    if line is None:
        raise NotFound(f"{product.code} is not on {describe(order)}")
    return line


def validate_order(store: Store, order: SupplyOrder) -> SupplyOrder:
    """Freeze a draft order's lines: it can no longer be edited. Nothing enters the ledger."""
    with store.atomic():
        order = _editable(store, order)
        if not SupplyOrderLine.select().where(SupplyOrderLine.order == order).exists():
            raise InvalidValue(f"{describe(order)} has no lines: add what to order first")
        return set_state(store, order, "validated")


def send_order(store: Store, order: SupplyOrder) -> SupplyOrder:
    """Mark an order sent to the supplier: pending receipt (a draft is validated first)."""
    with store.atomic():
        order = _fresh(store, order)
        if order.state == "draft":
            order = validate_order(store, order)
        if order.state != "validated":
            raise OrderClosed(f"{describe(order)} is {STATE_LABELS[order.state]}: it was already sent")
        return set_state(store, order, "pending")


def cancel_order(store: Store, order: SupplyOrder, note: str = "") -> SupplyOrder:
    """Cancel an order: nothing more is received against it; what was received stays in stock."""
    with store.atomic():
        order = _fresh(store, order)
        if order.state in ("received", "cancelled"):
            raise OrderClosed(f"{describe(order)} is already {STATE_LABELS[order.state]}")
        return set_state(store, order, "cancelled", note)


def check_receivable(order: SupplyOrder, *, received_ok: bool = False) -> SupplyOrder:
    """The order, fresh from the database, if goods may be received against it; else ``OrderClosed``.

    ``received_ok``: a receipt already under way may still go on once another
    receipt completed the order (what it adds is over-receipt).
    """
    order = get_order(order.id)
    if order.state == "cancelled":
        raise OrderClosed(f"{describe(order)} is cancelled: nothing can be received against it")
    if order.state == "draft":
        raise OrderClosed(f"{describe(order)} is a draft: send it before receiving")
    if order.state == "received" and not received_ok:
        raise OrderClosed(f"{describe(order)} is fully received: receive more without an order")
    return order


def net_unit_cost(line: SupplyOrderLine) -> Decimal | None:
    """The line's unit cost less its discount, to the millionth (half-even)."""
    if line.unit_cost is None:
        return None
    net = line.unit_cost * (100 - line.discount_pct) / 100
    return net.quantize(Decimal("0.000001"))


def fill_from_low_stock(
    store: Store,
    order: SupplyOrder,
    target_factor: Decimal = DEFAULT_TARGET_FACTOR,
    target: Decimal | None = None,
) -> list[SupplyOrderLine]:
    """Add to a draft order every low product of its warehouse, ordered up to a target level.

    The rule: a stock-kept active product with a ``low_stock`` threshold is low
    when its available quantity in the warehouse (on hand in the warehouse and
    every location under it, less what is reserved) is at or below the
    threshold, as the stock screen flags it. It is ordered up to the target
    level, ``target`` if given, else ``target_factor`` times its threshold:
    ordered = target level - available, rounded up to the unit's precision.
    Products already on the order are left as they are. Each new line costs the
    last unit cost received into the warehouse, if any. Returns the new lines.
    """
    if target_factor <= 0:
        raise InvalidValue(f"a target factor must be positive, not {target_factor}")
    if target is not None and target <= 0:
        raise InvalidValue(f"a target level must be positive, not {target}")
    with store.atomic():
        order = _editable(store, order)
        warehouse = order.warehouse
        on_order = {line.product_id for line in SupplyOrderLine.select().where(SupplyOrderLine.order == order)}
        stock = location_on_hand(store, warehouse)
        promised = location_reserved(store, warehouse)
        candidates = (
            Product.select(Product, Uom)
            .join(Uom)
            .where(Product.low_stock.is_null(False) & (Product.stock_keeping == 1) & (Product.active == 1))
            .order_by(Product.code)
        )
        wanted: list[tuple[Product, Decimal]] = []
        for product in candidates:
            if product.id in on_order:
                continue
            have = stock.get(product.id, Decimal(0)) - promised.get(product.id, Decimal(0))
            if have > product.low_stock:
                continue
            level = target if target is not None else product.low_stock * target_factor
            step = Decimal(1).scaleb(-product.uom.precision)
            quantity = (level - have).quantize(step, rounding=ROUND_CEILING)
            if quantity > 0:
                wanted.append((product, quantity))
        costs = last_receipt_costs(store, [product.id for product, _ in wanted], warehouse)
        return [
            SupplyOrderLine.create(order=order, product=product, quantity=quantity, unit_cost=costs.get(product.id))
            for product, quantity in wanted
        ]


def create_template(
    store: Store, name: str, supplier: str, lines: list[tuple[Product, Decimal]]
) -> SupplyTemplate:
    """Save a reusable order: a name, a supplier, and products with their usual quantities."""
    name = check_name(name, "template name")
    supplier = check_name(supplier, "supplier")
    if SupplyTemplate.get_or_none(SupplyTemplate.name == name) is not None:
        raise InvalidValue(f"a template named {name!r} already exists")
    seen: set[int] = set()
    for product, quantity in lines:
        _check_line(product, quantity, None, Decimal(0))
        if product.id in seen:
            raise InvalidValue(f"{product.code} is twice in template {name!r}")
        seen.add(product.id)
    with store.atomic():
        template = SupplyTemplate.create(name=name, supplier=supplier)
        for product, quantity in lines:
            SupplyTemplateLine.create(template=template, product=product, quantity=quantity)
    return template


def template_from_order(store: Store, order: SupplyOrder, name: str) -> SupplyTemplate:
    """Save an order's supplier, products and quantities as a template named ``name`` (any state: it is only read)."""
    lines = order_lines(order)
    if not lines:
        raise InvalidValue(f"{describe(order)} has no lines to keep as a template")
    return create_template(store, name, order.supplier, [(line.product, line.quantity) for line in lines])


def get_template(name: str) -> SupplyTemplate:
    """The template with this name."""
    template = SupplyTemplate.get_or_none(SupplyTemplate.name == name.strip())
    if template is None:
        raise NotFound(f"no order template {name!r}")
    return template


def order_from_template(
    store: Store, template: SupplyTemplate, warehouse: Location, expected_at: datetime | None = None
) -> SupplyOrder:
    """A new draft order with the template's supplier and lines, each at the last unit cost received."""
    lines = list(SupplyTemplateLine.select().where(SupplyTemplateLine.template == template))
    with store.atomic():
        order = create_order(store, template.supplier, warehouse, expected_at, note=f"from template {template.name}")
        costs = last_receipt_costs(store, [line.product_id for line in lines], warehouse)
        for line in lines:
            add_line(store, order, line.product, line.quantity, costs.get(line.product_id))
    return order
