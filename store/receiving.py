"""Receiving a delivery: scan what arrived, then post it into the warehouse.

A receipt is against a supply order or without one (a delivery restocked as
it comes, as in Foodsoft). Every scan is a ``ReceiptRecord`` committed the
moment it is read; a line (one product) is derived from the records, never
stored, so a receipt survives a crash and is resumed as it was. An order may
be received over several receipts (several days); a line may exceed what
was ordered (flagged as over-receipt), and a product not on the order is
added only when asked (``allow_extra``).

Validating posts, per product, done moves from ``SUPPLIER`` to the
warehouse's input (``WH/IN``) and on to storage (``WH/STOCK`` or a chosen
bin), at the order line's unit cost less its discount. A warehouse has no
separate input when it has no ``WH/IN`` location, or when the caller says
``direct=True``: the goods then move from ``SUPPLIER`` straight to storage.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from peewee import IntegrityError

from store.catalog import product_by_barcode
from store.clock import now
from store.costs import last_receipt_costs
from store.errors import InvalidValue, NotFound, StockError
from store.locations import find_location, get_location, subtree_bounds
from store.models import Location, Move, Product, Receipt, ReceiptRecord, SupplyOrder, SupplyOrderLine, Uom
from store.moves import post_move
from store.operators import require
from store.scanned import Reading, entered_text, in_product_unit, scanned_quantity
from store.supply import check_receivable, describe, net_unit_cost, order_lines, set_state
from store.transactions import lock_products, lock_row

if TYPE_CHECKING:
    from store.database import Store

LINE_KINDS = ("add", "set")
REASON = "received"


class NotOnOrder(StockError):
    """A product that is not on the order: ask the worker before receiving it."""

    def __init__(self, product: Product, order: SupplyOrder) -> None:
        self.product = product
        super().__init__(f"{product.code} is not on {describe(order)}; receive it anyway?")


class UnknownBarcode(NotFound):
    """A barcode no product has: nothing was received; the item is set aside."""


class ReceiptClosed(StockError):
    """The receipt is validated or cancelled: it is read-only."""


@dataclass
class ReceiptLine:
    """One product of a receipt: ordered, received by earlier receipts, and received now."""

    product: Product
    ordered: Decimal | None = None  # None: not on the order (or no order)
    received_before: Decimal = Decimal(0)
    received_now: Decimal = Decimal(0)
    unit_cost: Decimal | None = None
    has_order: bool = True  # False on a delivery without an order

    @property
    def received(self) -> Decimal:
        """Received in all, counting this receipt."""
        return self.received_before + self.received_now

    @property
    def extra(self) -> bool:
        """True for a product that is not on the receipt's order (never on a delivery without one)."""
        return self.has_order and self.ordered is None

    @property
    def over(self) -> Decimal:
        """How much more than ordered has been received (zero when not over, or not on an order)."""
        if self.ordered is None:
            return Decimal(0)
        return max(self.received - self.ordered, Decimal(0))


@dataclass(frozen=True)
class ReceiveOutcome:
    """What a scan did: the record saved and the product's line after it."""

    record: ReceiptRecord
    line: ReceiptLine
    added: Decimal


def describe_receipt(receipt: Receipt) -> str:
    """"receipt #4 of order #3 (Acme)" or "receipt #5 (no order)"."""
    if receipt.order_id is None:
        return f"receipt #{receipt.id} (no order)"
    return f"receipt #{receipt.id} of {describe(receipt.order)}"


def start_receipt(
    store: Store, order: SupplyOrder | None = None, warehouse: Location | None = None, supplier: str = ""
) -> Receipt:
    """Begin receiving a delivery against ``order``, or without one into ``warehouse``."""
    with store.atomic():
        if order is not None:
            order = check_receivable(order)
            warehouse, supplier = order.warehouse, order.supplier
        elif warehouse is None or warehouse.type != "warehouse":
            raise InvalidValue("a delivery without an order is received into a warehouse: name one")
        return Receipt.create(
            order=order, warehouse=warehouse, supplier=supplier.strip(), operator=store.operator,
            terminal=store.terminal, created_at=now(),
        )


def open_receipt(store: Store, order: SupplyOrder) -> Receipt:
    """The order's receipt still in progress (from any terminal, resumed as scanned), else a new one."""
    with store.atomic():
        check_receivable(order)
        draft = (
            Receipt.select()
            .where((Receipt.order == order) & (Receipt.state == "draft"))
            .order_by(Receipt.id.desc())
            .first()
        )
        return draft or start_receipt(store, order)


def open_delivery(store: Store, warehouse: Location) -> Receipt:
    """This terminal's delivery without an order still in progress in ``warehouse``, else a new one."""
    with store.atomic():
        draft = (
            Receipt.select()
            .where(
                Receipt.order.is_null()
                & (Receipt.warehouse == warehouse)
                & (Receipt.terminal == store.terminal)
                & (Receipt.state == "draft")
            )
            .order_by(Receipt.id.desc())
            .first()
        )
        return draft or start_receipt(store, warehouse=warehouse)


def get_receipt(receipt_id: int | str) -> Receipt:
    """The receipt with this number."""
    try:
        number = int(receipt_id)
    except (TypeError, ValueError):
        raise NotFound(f"{receipt_id!r} is not a receipt number") from None
    receipt = Receipt.select(Receipt, Location).join(Location).where(Receipt.id == number).first()
    if receipt is None:
        raise NotFound(f"no receipt {number}")
    return receipt


def open_receipts() -> list[Receipt]:
    """Receipts still in progress, newest first: what a worker may resume."""
    return list(Receipt.select().where(Receipt.state == "draft").order_by(Receipt.id.desc()))


def _writable(store: Store, receipt: Receipt) -> Receipt:
    """The receipt, checked against the database to be still open, and its order still receivable."""
    fresh = lock_row(store, Receipt, receipt.id)
    if fresh.state != "draft":
        raise ReceiptClosed(f"{describe_receipt(fresh)} is {fresh.state}: it can no longer change")
    if fresh.order_id is not None:
        check_receivable(fresh.order, received_ok=True)
    return fresh


def _record(store: Store, receipt: Receipt, kind: str, **values) -> ReceiptRecord:
    return ReceiptRecord.create(
        receipt=receipt, kind=kind, operator=store.operator, terminal=store.terminal, at=now(), **values
    )


def _check_product(receipt: Receipt, product: Product, allow_extra: bool) -> None:
    if not product.stock_keeping:
        raise InvalidValue(f"{product.code} is not stock-kept: it is not received into stock")
    if receipt.order_id is None or allow_extra:
        return
    if not SupplyOrderLine.select().where(
        (SupplyOrderLine.order == receipt.order_id) & (SupplyOrderLine.product == product)
    ).exists():
        raise NotOnOrder(product, receipt.order)


def _check_cost(unit_cost: Decimal | None) -> None:
    if unit_cost is not None and unit_cost < 0:
        raise InvalidValue(f"a unit cost cannot be negative ({unit_cost})")


def record_scan(
    store: Store,
    receipt: Receipt,
    reading: Reading,
    *,
    multiplier: Decimal | None = None,
    allow_extra: bool = False,
    unit_cost: Decimal | None = None,
    client_id: str | None = None,
) -> ReceiveOutcome:
    """Save one scan of what arrived: a product barcode adds to its line (a case barcode adds the case).

    ``multiplier`` is a quantity typed before the scan. Raises ``UnknownBarcode``
    for a barcode no product has and ``NotOnOrder`` for a product not on the
    order unless ``allow_extra`` (nothing is saved either way). ``unit_cost`` is
    what a product not on the order cost, if the worker typed it. ``client_id``
    is unique: a scan saved again under it gets the saved one's outcome.
    """
    if multiplier is not None and multiplier <= 0:
        raise InvalidValue(f"a typed quantity before a scan must be positive, not {multiplier}")
    _check_cost(unit_cost)
    try:
        return _record_scan(store, receipt, reading, multiplier, allow_extra, unit_cost, client_id)
    except IntegrityError:  # the same scan, saved by a connection that died before it heard the answer
        if client_id is None or (saved := saved_scan(store, client_id)) is None:
            raise
        return saved


def saved_scan(store: Store, client_id: str) -> ReceiveOutcome | None:
    """The outcome of the scan saved under this client id, or None if none is."""
    record = ReceiptRecord.get_or_none(ReceiptRecord.client_id == client_id)
    if record is None:
        return None
    return ReceiveOutcome(record=record, line=receipt_line(store, record.receipt, record.product), added=record.quantity)


def _record_scan(
    store: Store,
    receipt: Receipt,
    reading: Reading,
    multiplier: Decimal | None,
    allow_extra: bool,
    unit_cost: Decimal | None,
    client_id: str | None,
) -> ReceiveOutcome:
    code = (reading.code or reading.raw).strip()
    with store.atomic():
        receipt = _writable(store, receipt)
        found = product_by_barcode(code) or _product_by_code(code)
        if found is None:
            if find_location(code) is not None:
                raise InvalidValue(f"{code} is a location label: scan the products that arrived")
            raise UnknownBarcode(f"unknown barcode {code}: nothing received; set the item aside")
        product, package = found
        quantity, entered = scanned_quantity(product, package, reading, multiplier)  # no question for a refused label
        _check_product(receipt, product, allow_extra)
        record = _record(
            store, receipt, "add", product=product, quantity=quantity, entered=entered, raw=reading.raw,
            unit_cost=unit_cost, lot=reading.lot, expiry=reading.expiry.isoformat() if reading.expiry else None,
            client_id=client_id,
        )
        line = receipt_line(store, receipt, product)
    return ReceiveOutcome(record=record, line=line, added=quantity)


def _product_by_code(code: str) -> tuple[Product, Decimal] | None:
    product = Product.select(Product, Uom).join(Uom).where(Product.code == code).first()
    return (product, Decimal(1)) if product is not None else None


def set_received(
    store: Store,
    receipt: Receipt,
    product: Product,
    quantity: Decimal,
    *,
    unit: Uom | None = None,
    allow_extra: bool = False,
    unit_cost: Decimal | None = None,
) -> ReceiveOutcome:
    """Set what this receipt received of a product outright (12 kg of flour kept in 500 g bags sets 24 bags)."""
    if quantity < 0:
        raise InvalidValue(f"a received quantity cannot be negative ({quantity})")
    _check_cost(unit_cost)
    converted = in_product_unit(product, quantity, unit)
    with store.atomic():
        receipt = _writable(store, receipt)
        _check_product(receipt, product, allow_extra)
        record = _record(
            store, receipt, "set", product=product, quantity=converted, unit_cost=unit_cost,
            entered=entered_text(quantity, unit or product.uom),
        )
        line = receipt_line(store, receipt, product)
    return ReceiveOutcome(record=record, line=line, added=Decimal(0))


def _last_in_force(receipt: Receipt, terminal: str) -> ReceiptRecord | None:
    """This terminal's last scan or set on a receipt that is not undone."""
    undone = _undone_ids(receipt)
    query = (
        ReceiptRecord.select()
        .where(
            (ReceiptRecord.receipt == receipt)
            & (ReceiptRecord.terminal == terminal)
            & ReceiptRecord.kind.in_(LINE_KINDS)
        )
        .order_by(ReceiptRecord.id.desc())
    )
    return next((r for r in query if r.id not in undone), None)


def last_received_product(receipt: Receipt, terminal: str) -> Product | None:
    """The product this terminal last scanned or set on a receipt, its record still in force.

    What F3 (set) acts on: once the last scan is undone, the one before it, or None when none is left.
    """
    record = _last_in_force(receipt, terminal)
    return record.product if record is not None else None


def undo(store: Store, receipt: Receipt, record: ReceiptRecord | None = None) -> ReceiptRecord:
    """Undo a record (default: this terminal's last one still in force) with a new record."""
    with store.atomic():
        receipt = _writable(store, receipt)
        if record is None:
            record = _last_in_force(receipt, store.terminal)
            if record is None:
                raise InvalidValue("nothing to undo")
        elif record.receipt_id != receipt.id or record.kind not in LINE_KINDS:
            raise InvalidValue(f"record {record.id} cannot be undone")
        elif record.id in _undone_ids(receipt):
            raise InvalidValue(f"record {record.id} is already undone")
        return _record(store, receipt, "undo", target=record, product=record.product_id)


def _undone_ids(receipt: Receipt) -> set[int]:
    query = ReceiptRecord.select(ReceiptRecord.target).where(
        (ReceiptRecord.receipt == receipt) & (ReceiptRecord.kind == "undo")
    )
    return {row.target_id for row in query}


def _fold(records: list[ReceiptRecord]) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """Received quantity and the last typed unit cost per product, from a log in id order."""
    undone = {r.target_id for r in records if r.kind == "undo"}
    totals: defaultdict[int, Decimal] = defaultdict(Decimal)
    costs: dict[int, Decimal] = {}
    for record in records:
        if record.kind not in LINE_KINDS or record.id in undone:
            continue
        if record.kind == "set":
            totals[record.product_id] = record.quantity
        else:
            totals[record.product_id] += record.quantity
        if record.unit_cost is not None:
            costs[record.product_id] = record.unit_cost
    return dict(totals), costs


def _records(receipts, product: Product | None = None) -> list[ReceiptRecord]:
    query = ReceiptRecord.select().where(ReceiptRecord.receipt.in_(receipts))
    if product is not None:
        query = query.where(ReceiptRecord.product == product)
    return list(query.order_by(ReceiptRecord.id))


def _received_before(receipt: Receipt, product: Product | None = None) -> dict[int, Decimal]:
    """What the order's validated receipts received, per product."""
    if receipt.order_id is None:
        return {}
    done = Receipt.select(Receipt.id).where((Receipt.order == receipt.order_id) & (Receipt.state == "done"))
    totals: defaultdict[int, Decimal] = defaultdict(Decimal)
    for done_receipt in done:
        for product_id, quantity in _fold(_records([done_receipt.id], product))[0].items():
            totals[product_id] += quantity
    return dict(totals)


def receipt_line(store: Store, receipt: Receipt, product: Product) -> ReceiptLine:
    """One product's line, derived from the records (this is on the scan path: one product only)."""
    now_totals, typed = _fold(_records([receipt.id], product))
    ordered = None
    cost = typed.get(product.id)
    if receipt.order_id is not None:
        order_line = SupplyOrderLine.get_or_none(
            (SupplyOrderLine.order == receipt.order_id) & (SupplyOrderLine.product == product)
        )
        if order_line is not None:
            ordered, cost = order_line.quantity, net_unit_cost(order_line)
    if ordered is None and cost is None:
        cost = last_receipt_costs(store, [product.id], receipt.warehouse).get(product.id)
    return ReceiptLine(
        product=product,
        ordered=ordered,
        received_before=_received_before(receipt, product).get(product.id, Decimal(0)),
        received_now=now_totals.get(product.id, Decimal(0)),
        unit_cost=cost,
        has_order=receipt.order_id is not None,
    )


def receipt_lines(store: Store, receipt: Receipt) -> list[ReceiptLine]:
    """Every line: the order's lines (received or not) by product code, then products not on the order.

    A product not on the order costs what was typed for it, else the last unit
    cost received into the warehouse.
    """
    now_totals, typed = _fold(_records([receipt.id]))
    before = _received_before(receipt)
    lines: dict[int, ReceiptLine] = {}
    if receipt.order_id is not None:
        for order_line in order_lines(receipt.order):
            lines[order_line.product_id] = ReceiptLine(
                product=order_line.product, ordered=order_line.quantity, unit_cost=net_unit_cost(order_line)
            )
    extra_ids = [pid for pid in now_totals if pid not in lines]
    extras = Product.select(Product, Uom).join(Uom).where(Product.id.in_(extra_ids)).order_by(Product.code)
    last_costs = last_receipt_costs(store, [pid for pid in extra_ids if pid not in typed], receipt.warehouse)
    for product in extras:
        lines[product.id] = ReceiptLine(
            product=product, unit_cost=typed.get(product.id, last_costs.get(product.id)),
            has_order=receipt.order_id is not None,
        )
    for product_id, line in lines.items():
        line.received_now = now_totals.get(product_id, Decimal(0))
        line.received_before = before.get(product_id, Decimal(0))
    return list(lines.values())


def _part(warehouse: Location, suffix: str) -> Location | None:
    return Location.get_or_none(Location.code == f"{warehouse.code}/{suffix}")


def _destination(receipt: Receipt, destination: Location | None) -> Location:
    warehouse = receipt.warehouse
    if destination is None:
        destination = _part(warehouse, "STOCK")
        if destination is None:
            raise NotFound(f"warehouse {warehouse.code} has no {warehouse.code}/STOCK: choose where the goods go")
    low, high = subtree_bounds(warehouse.path)
    if destination.type != "storage" or not low <= destination.path < high:
        raise InvalidValue(f"{destination.code} is not a storage location of warehouse {warehouse.code}")
    return destination


def put_away_location(receipt: Receipt, code: str) -> Location:
    """The bin a scanned or typed code names, checked to be storage of the receipt's warehouse (where goods may go)."""
    location = find_location(code.strip())
    if location is None:
        raise NotFound(f"no location {code!r}")
    return _destination(receipt, location)


def validate_receipt(
    store: Store, receipt: Receipt, destination: Location | None = None, *, direct: bool = False
) -> list[Move]:
    """Post what was received and update the order's status; returns the moves posted.

    Each product with a quantity goes ``SUPPLIER`` -> ``WH/IN`` -> storage
    (``WH/STOCK`` unless ``destination``), or straight to storage when
    ``direct`` or the warehouse has no ``WH/IN``. The order becomes received
    when every line has been received in full, else partly received.
    """
    require(store, "post_receipt")
    with store.atomic():
        receipt = _writable(store, receipt)
        target = _destination(receipt, destination)
        entry = None if direct else _part(receipt.warehouse, "IN")
        if entry is not None and entry.id == target.id:
            entry = None
        lines = [line for line in receipt_lines(store, receipt) if line.received_now > 0]
        if not lines:
            raise InvalidValue(f"nothing received on {describe_receipt(receipt)} yet: scan what arrived first")
        if receipt.order_id is not None:
            lock_row(store, SupplyOrder, receipt.order_id)  # two receipts of one order update its status in turn
        lock_products(store, [line.product for line in lines])
        supplier = get_location("SUPPLIER")
        moment = now()
        moves = []
        for line in lines:
            hops = [(supplier, entry), (entry, target)] if entry is not None else [(supplier, target)]
            for source, to in hops:
                moves.append(post_move(
                    store, line.product, line.received_now, source, to, reason=REASON, at=moment,
                    unit_cost=line.unit_cost, origin=receipt.origin,
                ))  # fmt: skip
        Receipt.update(state="done", validated_at=moment, validated_by=store.operator).where(
            Receipt.id == receipt.id
        ).execute()
        if receipt.order_id is not None:
            _update_order_state(store, receipt)
    return moves


def _update_order_state(store: Store, receipt: Receipt) -> None:
    """Partly received or received, from what every validated receipt of the order received.

    Products off the order alone leave it as it was: none of what it asks for has come.
    """
    order = SupplyOrder.get_by_id(receipt.order_id)
    received = _received_before(receipt)
    got = [(received.get(line.product_id, Decimal(0)), line.quantity) for line in order_lines(order)]
    if not any(quantity > 0 for quantity, _ in got):
        return
    state = "received" if all(quantity >= ordered for quantity, ordered in got) else "partial"
    if state != order.state:
        set_state(store, order, state, note=f"receipt #{receipt.id}")


def cancel_receipt(store: Store, receipt: Receipt) -> Receipt:
    """Drop a receipt in progress without posting anything (its log is kept)."""
    with store.atomic():
        fresh = lock_row(store, Receipt, receipt.id)
        if fresh.state != "draft":
            raise ReceiptClosed(f"{describe_receipt(fresh)} is {fresh.state}: it can no longer change")
        Receipt.update(state="cancelled").where(Receipt.id == receipt.id).execute()
    return Receipt.get_by_id(receipt.id)

