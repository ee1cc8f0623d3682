"""Stock valuation per warehouse by FIFO, LIFO or AVCO, derived from the ledger.

Nothing is stored: the value of a product in a warehouse at any moment is
found by replaying its done moves in (effective_at, id) order, so a
back-dated move revalues everything after it with no repost job, and the
value at a past moment is as exact as the value now.

How each done move counts for a warehouse W ("in W": a non-virtual location
whose warehouse is W; W's lost-and-found is virtual, so it is outside):

- **entry** from outside (supplier, production, customer, lost-and-found, a
  location of no warehouse): one layer at the move's ``unit_cost``. Gains
  from lost-and-found, and entries without a cost, enter at the *current
  cost* (see below); with no cost known at all they enter at 0, and the
  costs of ``unit_costs`` stay unknown until a costed entry comes.
- **exit** to outside: consumes layers by the method (FIFO oldest first, LIFO
  newest first, by the date the layer was received; AVCO at the average).
- **transfer** to another warehouse: an exit from the source whose consumed
  layers enter the destination as they are, each with its own cost and
  receipt date (StoreHouse 5: two receipts at 100 and 200 moved together stay
  two layers). Moves within one warehouse change nothing.
- **below zero**: the part of an exit that the stock does not cover is valued
  at the last known cost (the unit cost of the last entry) and the stock owes
  it; the next entries settle the debt first and only what is left becomes a
  layer. Negative stock is valued at the last known cost.
- **AVCO**: after each entry AVCO = (QS x AVCO + QA x UP) / (QS + QA); when
  QS <= 0, AVCO = UP. Exits leave at the current AVCO; the part of an exit
  below zero, and exits at zero stock, at the last entry's price.

The *current cost* is what the next unit out would cost: the oldest layer's
cost (FIFO), the newest (LIFO), the average (AVCO), else the last known cost.

Arithmetic is exact: quantities and unit costs are integer millionths, values
integer 10^-12. The only rounding is the AVCO division, and the average unit
cost of a multi-layer exit, both to 6 decimals ROUND_HALF_EVEN (the precision
a unit cost is stored with).
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from store.clock import from_micros, to_micros
from store.errors import InvalidValue
from store.locations import get_location
from store.models import COST_METHODS, VIRTUAL_TYPES, Location, Move, Product
from store.quantity import from_units, to_units

if TYPE_CHECKING:
    from store.database import Store

COST_DECIMALS = 6
"""AVCO and average exit costs are rounded to this many decimals, ROUND_HALF_EVEN."""

PRODUCT_BATCH = 500
"""Products whose moves one query reads through the product index, when only some products are replayed."""


def _div_half_even(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to an integer, ties to even (denominator > 0)."""
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2):
        quotient += 1
    return quotient


def _unit_cost(value: int, units: int) -> int:
    """Unit cost (millionths) of ``value`` (10^-12) over ``units`` (millionths, not zero), half-even."""
    return _div_half_even(-value, -units) if units < 0 else _div_half_even(value, units)


def _value(value_units: int) -> Decimal:
    """A value held as integer 10^-12 as an exact Decimal."""
    return Decimal(value_units).scaleb(-2 * COST_DECIMALS) + Decimal(0)


@dataclass(frozen=True)
class ValuationRow:
    """On hand and value of one product in one warehouse; ``unit_cost`` is value / quantity (6 decimals)."""

    warehouse: str
    product: str
    quantity: Decimal
    unit_cost: Decimal
    value: Decimal


@dataclass(frozen=True)
class LayerRow:
    """One remaining cost layer: its quantity and unit cost and the date it was received.

    Under AVCO a warehouse holds one layer (the average, dated at the last
    entry); stock below zero shows as one negative layer at the last known cost.
    """

    warehouse: str
    product: str
    date: datetime
    quantity: Decimal
    unit_cost: Decimal
    value: Decimal


# A piece of stock on the move: units, unit cost (millionths), receipt date (micros), receipt move id.
Piece = tuple[int, int, int, int]


class Book:
    """The cost layers of one product in one warehouse, as the replay builds them."""

    __slots__ = ("method", "layers", "quantity", "last_cost", "average", "dated", "known")

    def __init__(self, method: str) -> None:
        self.method = method
        self.layers: list[list[int]] = []  # [date, receipt id, units, cost], kept in receipt order
        self.quantity = 0  # units on hand; negative when the stock owes
        self.last_cost: int | None = None  # unit cost of the last entry
        self.average = 0  # AVCO
        self.dated = 0  # date of the last entry (or of going below zero)
        self.known = False  # whether any entry came with a cost (else every cost here is a stand-in 0)

    def current_cost(self) -> int | None:
        """The unit cost (millionths) the next unit out would take."""
        if self.quantity > 0:
            if self.method == "avco":
                return self.average
            return self.layers[0][3] if self.method == "fifo" else self.layers[-1][3]
        return self.last_cost

    def take(self, units: int, date: int, move_id: int) -> list[Piece]:
        """Take ``units`` out; returns the pieces taken (the part below zero at the last known cost)."""
        pieces: list[Piece] = []
        left = units
        if self.method == "avco":
            covered = min(left, max(self.quantity, 0))
            if covered:
                pieces.append((covered, self.average, self.dated, move_id))
                left -= covered
        else:
            layers, index = self.layers, 0 if self.method == "fifo" else -1
            while left and layers:
                layer = layers[index]
                have = layer[2]
                if have > left:
                    layer[2] = have - left
                    pieces.append((left, layer[3], layer[0], layer[1]))
                    left = 0
                    break
                pieces.append((have, layer[3], layer[0], layer[1]))
                left -= have
                layers.pop(index)
        if left:
            pieces.append((left, self.last_cost or 0, date, move_id))
            self.dated = date
        self.quantity -= units
        return pieces

    def put(self, pieces: Sequence[Piece]) -> None:
        """Add entering pieces: they settle what the stock owes first, the rest becomes layers."""
        if not pieces:
            return
        if self.method == "avco":
            added = sum(units for units, _, _, _ in pieces)
            value = sum(units * cost for units, cost, _, _ in pieces)
            if self.quantity <= 0:
                self.average = _div_half_even(value, added)
            else:
                self.average = _div_half_even(self.quantity * self.average + value, self.quantity + added)
            self.quantity += added
            self.last_cost = pieces[-1][1]
            self.dated = max(date for _, _, date, _ in pieces)
            return
        for units, cost, date, receipt in pieces:
            self.last_cost = cost
            if self.quantity < 0:
                settled = min(units, -self.quantity)
                self.quantity += settled
                units -= settled
            if units:
                layers = self.layers
                if not layers or layers[-1][0] < date or (layers[-1][0] == date and layers[-1][1] < receipt):
                    layers.append([date, receipt, units, cost])  # the usual case: the newest layer
                else:
                    insort(layers, [date, receipt, units, cost])  # layers a transfer brought, in receipt order
                self.quantity += units

    def peek_exit(self, units: int) -> int:
        """The value (10^-12) an exit of ``units`` would take now, without taking it."""
        if self.method == "avco":
            covered = min(units, max(self.quantity, 0))
            return covered * self.average + (units - covered) * (self.last_cost or 0)
        order = self.layers if self.method == "fifo" else reversed(self.layers)
        value, left = 0, units
        for _, _, layer_units, cost in order:
            if not left:
                break
            taken = min(left, layer_units)
            value += taken * cost
            left -= taken
        return value + left * (self.last_cost or 0)

    def value(self) -> int:
        """The value (10^-12) of the stock on hand; negative stock at the last known cost."""
        if self.quantity <= 0:
            return self.quantity * (self.last_cost or 0)
        if self.method == "avco":
            return self.quantity * self.average
        return sum(units * cost for _, _, units, cost in self.layers)

    def remaining(self) -> list[tuple[int, int, int]]:
        """(date, units, unit cost) of each remaining layer, oldest first."""
        if self.quantity < 0:
            return [(self.dated, self.quantity, self.last_cost or 0)]
        if self.method == "avco":
            return [(self.dated, self.quantity, self.average)] if self.quantity else []
        return [(date, units, cost) for date, _, units, cost in self.layers]


def _areas() -> tuple[dict[int, int | None], dict[int, bool]]:
    """Location id to its valuation area (the warehouse id, None outside), and which are lost-and-found."""
    area, lost = {}, {}
    for location_id, warehouse_id, kind in Location.select(Location.id, Location.warehouse, Location.type).tuples():
        area[location_id] = None if kind in VIRTUAL_TYPES else warehouse_id
        lost[location_id] = kind == "lost_found"
    return area, lost


def _methods() -> dict[int, str]:
    rows = Location.select(Location.id, Location.cost_method).where(Location.type == "warehouse").tuples()
    return {warehouse_id: method or "fifo" for warehouse_id, method in rows}


def replay(
    store: Store, at: datetime | None = None, products: Iterable[int] | None = None
) -> dict[int, dict[int, Book]]:
    """Replay the done moves up to ``at`` (all by default): product id to {warehouse id: Book}.

    Every product's books are kept in memory as its moves stream in, in
    (effective_at, id) order. Products do not affect each other's books, so
    ``products`` are read in batches through the product index, each batch
    in date order; all of them in one pass over the ledger. Moves that do not
    cross a warehouse's boundary are skipped.
    """
    area, lost = _areas()
    methods = _methods()
    books: dict[int, dict[int, Book]] = {}
    for move_id, product_id, units, source, destination, date, cost in _done_moves(store, at, products):
        out_of, into = area[source], area[destination]
        if out_of == into:
            continue
        held = books.get(product_id)
        if held is None:
            held = books[product_id] = {}
        pieces, known = None, False
        if out_of is not None:
            book = held.get(out_of)
            if book is None:
                book = held[out_of] = Book(methods[out_of])
            pieces, known = book.take(units, date, move_id), book.known
        if into is not None:
            book = held.get(into)
            if book is None:
                book = held[into] = Book(methods[into])
            if pieces is None:
                if cost is None or lost[source]:
                    cost = book.current_cost() or 0
                else:
                    known = True
                pieces = ((units, cost, date, move_id),)
            book.known = book.known or known
            book.put(pieces)
    return books


def _done_moves(store: Store, at: datetime | None, products: Iterable[int] | None) -> Iterator[tuple]:
    """Done moves up to ``at``, in date order for each product: of ``products`` in batches, else the whole ledger.

    The whole ledger is read in the order the ``effective_at`` index and the
    table itself keep, so SQLite reads it sequentially.
    """
    p = store.db.param
    sql = (
        "SELECT m.id, m.product_id, m.quantity, m.from_location_id, m.to_location_id, m.effective_at, m.unit_cost "
        "FROM move m WHERE m.state = 'done'"
    )
    params: list = []
    if at is not None:
        sql += f" AND m.effective_at <= {p}"
        params.append(to_micros(at))
    order = " ORDER BY m.effective_at, m.id"
    if products is None:
        yield from store.db.execute_sql(sql + order, params)
        return
    ids = sorted(set(products))
    for start in range(0, len(ids), PRODUCT_BATCH):
        batch = ids[start : start + PRODUCT_BATCH]
        yield from store.db.execute_sql(
            sql + f" AND m.product_id IN ({', '.join(p for _ in batch)})" + order,
            params + batch,
        )


def _warehouse_filter(warehouse: str | Location | None) -> int | None:
    if warehouse is None:
        return None
    location = get_location(warehouse) if isinstance(warehouse, str) else warehouse
    if location.type != "warehouse":
        raise InvalidValue(f"{location.code} is a {location.type} location, not a warehouse")
    return location.id


def _names() -> tuple[dict[int, str], dict[int, str]]:
    warehouses = dict(Location.select(Location.id, Location.code).where(Location.type == "warehouse").tuples())
    products = dict(Product.select(Product.id, Product.code).tuples())
    return warehouses, products


def valuation(store: Store, warehouse: str | Location | None = None, at: datetime | None = None) -> list[ValuationRow]:
    """On hand and value of every product in each warehouse (or one) at ``at`` (default now).

    Products whose stock is zero are left out. Rows by warehouse code, then product code.
    """
    only = _warehouse_filter(warehouse)
    warehouse_codes, product_codes = _names()
    rows = []
    for product_id, books in replay(store, at).items():
        for warehouse_id, book in books.items():
            if book.quantity == 0 or (only is not None and warehouse_id != only):
                continue
            value = book.value()
            rows.append(
                ValuationRow(
                    warehouse=warehouse_codes[warehouse_id],
                    product=product_codes[product_id],
                    quantity=from_units(book.quantity),
                    unit_cost=from_units(_unit_cost(value, book.quantity)),
                    value=_value(value),
                )
            )
    return sorted(rows, key=lambda row: (row.warehouse, row.product))


def layers(store: Store, warehouse: str | Location | None = None, at: datetime | None = None) -> list[LayerRow]:
    """Every remaining cost layer at ``at`` (default now): by warehouse, product, then receipt date."""
    only = _warehouse_filter(warehouse)
    warehouse_codes, product_codes = _names()
    rows = []
    for product_id, books in replay(store, at).items():
        for warehouse_id, book in books.items():
            if only is not None and warehouse_id != only:
                continue
            for date, units, cost in book.remaining():
                rows.append(
                    LayerRow(
                        warehouse=warehouse_codes[warehouse_id],
                        product=product_codes[product_id],
                        date=from_micros(date),
                        quantity=from_units(units),
                        unit_cost=from_units(cost),
                        value=_value(units * cost),
                    )
                )
    return sorted(rows, key=lambda row: (row.warehouse, row.product, row.date))


def unit_costs(
    store: Store, warehouse: Location | None, changes: Mapping[int, Decimal], at: datetime | None = None
) -> dict[int, Decimal]:
    """The unit cost of a change of stock of each product in ``warehouse``, at ``at`` (default now).

    ``changes``: product id to quantity, negative for a loss. A loss costs
    what its exit would consume by the warehouse's method (averaged over the
    layers it takes, 6 decimals); a gain, and a zero change, the current cost.
    Products with no cost known in the warehouse (no entry came with a cost)
    are left out, and so is everything when ``warehouse`` is None: costs are
    per warehouse.
    """
    if warehouse is None or not changes:
        return {}
    costs = {}
    for product_id, books in replay(store, at, changes).items():
        book = books.get(warehouse.id)
        if book is None or not book.known:
            continue
        units = to_units(changes[product_id])
        if units < 0:
            costs[product_id] = from_units(_unit_cost(book.peek_exit(-units), -units))
        else:
            cost = book.current_cost()
            if cost is not None:
                costs[product_id] = from_units(cost)
    return costs


def exit_cost(
    store: Store, warehouse: Location, product: Product, quantity: Decimal, at: datetime | None = None
) -> Decimal:
    """The value an exit of ``quantity`` of ``product`` from ``warehouse`` would take at ``at`` (default now)."""
    if quantity <= 0:
        raise InvalidValue(f"an exit takes a positive quantity, not {quantity}")
    book = replay(store, at, [product.id]).get(product.id, {}).get(warehouse.id)
    return Decimal(0) if book is None else _value(book.peek_exit(to_units(quantity)))


def set_cost_method(store: Store, warehouse: Location, method: str) -> Location:
    """Change a warehouse's cost method; refused once any move has touched the warehouse."""
    if warehouse.type != "warehouse":
        raise InvalidValue(f"{warehouse.code} is a {warehouse.type} location: only a warehouse has a cost method")
    if method not in COST_METHODS:
        raise InvalidValue(f"cost method {method!r} is not one of {', '.join(COST_METHODS)}")
    with store.atomic():
        members = Location.select(Location.id).where(Location.warehouse == warehouse.id)
        if Move.select().where(Move.from_location.in_(members) | Move.to_location.in_(members)).exists():
            raise InvalidValue(
                f"{warehouse.code} already has stock moves: its cost method stays {warehouse.cost_method}"
            )
        Location.update(cost_method=method).where(Location.id == warehouse.id).execute()
    return Location.get_by_id(warehouse.id)
