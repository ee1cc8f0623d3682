"""What the catalogue screens show of a product or a location: its stock and its recent moves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from store.clock import RUNNING_TOTAL
from store.locations import subtree_bounds
from store.models import Location, Move, Product, StockPeriod, Uom
from store.stock import location_on_hand, location_reserved

if TYPE_CHECKING:
    from store.database import Store

RECENT_MOVES = 20


@dataclass(frozen=True, slots=True)
class StockAt:
    """On hand and reserved of one product at one location, in the product's unit."""

    product_code: str
    product_name: str
    location_code: str
    on_hand: Decimal
    reserved: Decimal
    uom: str
    precision: int


@dataclass(frozen=True, slots=True)
class MoveLine:
    """One done move as a history shows it."""

    at: datetime
    product_code: str
    quantity: Decimal
    uom: str
    precision: int
    source: str
    destination: str
    reason: str
    origin: str
    operator: str


def product_stock(store: Store, product: Product) -> list[StockAt]:
    """The product's stock at each storage location that holds or has reserved some, by location code."""
    held = {
        row.location_id: row.quantity
        for row in StockPeriod.select(StockPeriod.location, StockPeriod.quantity).where(
            (StockPeriod.product == product.id) & (StockPeriod.period == RUNNING_TOTAL) & (StockPeriod.quantity != 0)
        )
    }
    reserved: dict[int, Decimal] = {}
    for move in Move.select(Move.from_location, Move.quantity).where(
        (Move.product == product.id) & (Move.state == "assigned")
    ):
        reserved[move.from_location_id] = reserved.get(move.from_location_id, Decimal(0)) + move.quantity
    ids = held.keys() | reserved.keys()
    if not ids:
        return []
    locations = Location.select(Location.id, Location.code).where(
        Location.id.in_(list(ids)) & (Location.type == "storage")
    )
    uom = product.uom
    return [
        StockAt(
            product.code, product.name, location.code, held.get(location.id, Decimal(0)),
            reserved.get(location.id, Decimal(0)), uom.code, uom.precision,
        )  # fmt: skip
        for location in sorted(locations, key=lambda loc: loc.code)
    ]


def location_stock(store: Store, location: Location) -> list[StockAt]:
    """The stock of every product in the location and the locations under it, by product code."""
    held = {pid: quantity for pid, quantity in location_on_hand(store, location).items() if quantity != 0}
    reserved = location_reserved(store, location)
    ids = held.keys() | reserved.keys()
    if not ids:
        return []
    products = (
        Product.select(Product.id, Product.code, Product.name, Uom.code, Uom.precision)
        .join(Uom)
        .where(Product.id.in_(list(ids)))
        .order_by(Product.code)
        .tuples()  # thousands of products under a warehouse: no model objects
    )
    zero = Decimal(0)
    return [
        StockAt(code, name, location.code, held.get(pid, zero), reserved.get(pid, zero), uom, precision)
        for pid, code, name, uom, precision in products
    ]


def recent_moves(
    store: Store, product: Product | None = None, location: Location | None = None, limit: int = RECENT_MOVES
) -> list[MoveLine]:
    """The latest done moves of a product, or into or out of a location and the locations under it, newest first.

    The moves are chosen first without joins, so each engine walks a move index from the newest end.
    """
    newest = Move.select(Move.id).where(Move.state == "done")
    if product is not None:
        newest = newest.where(Move.product == product.id)
    if location is not None:
        low, high = subtree_bounds(location.path)
        members = [row.id for row in Location.select(Location.id).where((Location.path >= low) & (Location.path < high))]
        newest = newest.where(Move.from_location.in_(members) | Move.to_location.in_(members))
    ids = [row.id for row in newest.order_by(Move.effective_at.desc(), Move.id.desc()).limit(limit)]
    if not ids:
        return []
    source = Location.alias("source")
    destination = Location.alias("destination")
    moves = (
        Move.select(Move, Product, Uom, source, destination)
        .join(Product, on=Move.product == Product.id)
        .join(Uom)
        .switch(Move)
        .join(source, on=Move.from_location == source.id)
        .switch(Move)
        .join(destination, on=Move.to_location == destination.id)
        .where(Move.id.in_(ids))
        .order_by(Move.effective_at.desc(), Move.id.desc())
    )
    return [
        MoveLine(
            m.effective_at, m.product.code, m.quantity, m.product.uom.code, m.product.uom.precision,
            m.from_location.code, m.to_location.code, m.reason, m.origin, m.operator,
        )  # fmt: skip
        for m in moves
    ]
