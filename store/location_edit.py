"""Changing a location after it was created, and the location tree as a whole.

A location's type and place in the tree are fixed once it exists (its
``path`` never changes); its name, barcode, negative-stock rule, active flag
and, for a warehouse without moves, its cost method may change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from store.clock import RUNNING_TOTAL
from store.errors import InvalidValue, NotFound
from store.locations import check_label, subtree_bounds
from store.models import Location, Move, Product, StockPeriod
from store.operators import require
from store.product_edit import KEEP, Keep
from store.text import check_name
from store.transactions import lock_row, retried
from store.valuation import set_cost_method

if TYPE_CHECKING:
    from store.database import Store


@dataclass(frozen=True, slots=True)
class LocationNode:
    """One location as the tree shows it; ``parent_id`` None for a root."""

    id: int
    code: str
    name: str
    type: str
    parent_id: int | None
    active: bool


@dataclass(frozen=True)
class LocationChange:
    """What ``update_location`` may change; ``KEEP`` leaves a field as it is (``barcode=None`` removes it)."""

    name: str | Keep = KEEP
    barcode: str | None | Keep = KEEP
    allow_negative: bool | Keep = KEEP
    active: bool | Keep = KEEP
    cost_method: str | Keep = KEEP


def location_tree() -> list[LocationNode]:
    """Every location in tree order (a parent before its children, siblings by code)."""
    rows = list(Location.select(Location.id, Location.code, Location.name, Location.type, Location.parent, Location.active))
    children: dict[int | None, list[Location]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered: list[LocationNode] = []
    stack = sorted(children.get(None, []), key=lambda loc: loc.code, reverse=True)
    while stack:
        row = stack.pop()
        ordered.append(LocationNode(row.id, row.code, row.name, row.type, row.parent_id, row.active))
        stack.extend(sorted(children.get(row.id, []), key=lambda loc: loc.code, reverse=True))
    return ordered


def _in_subtree(location: Location):
    low, high = subtree_bounds(location.path)
    return Location.select(Location.id).where((Location.path >= low) & (Location.path < high))


def _check_can_deactivate(location: Location) -> None:
    if location.is_virtual:
        raise InvalidValue(f"{location.code} is where stock comes from or goes to: it stays active")
    held = (
        StockPeriod.select(Product.code)
        .join(Product, on=StockPeriod.product == Product.id)
        .where(
            StockPeriod.location.in_(_in_subtree(location))
            & (StockPeriod.period == RUNNING_TOTAL)
            & (StockPeriod.quantity != 0)
        )
        .order_by(Product.code)
        .first()
    )
    if held is not None:
        raise InvalidValue(f"{location.code} holds stock ({held.product.code} among others): move it out first")
    members = _in_subtree(location)
    if Move.select().where(
        Move.state.in_(("draft", "assigned")) & (Move.from_location.in_(members) | Move.to_location.in_(members))
    ).exists():
        raise InvalidValue(f"{location.code} has planned or reserved moves: it cannot be deactivated")


def _check_no_negative(location: Location) -> None:
    below = (
        StockPeriod.select(StockPeriod.quantity, Product.code)
        .join(Product, on=StockPeriod.product == Product.id)
        .where(
            (StockPeriod.location == location.id) & (StockPeriod.period == RUNNING_TOTAL) & (StockPeriod.quantity < 0)
        )
        .order_by(Product.code)
        .first()
    )
    if below is not None:
        raise InvalidValue(
            f"{location.code} holds negative stock of {below.product.code}: count or move it up to zero first"
        )


def _check_barcode(location: Location, barcode: str | None) -> str | None:
    if barcode is None or not barcode.strip():
        return None
    return check_label(barcode, location)


@retried
def update_location(store: Store, location: Location, change: LocationChange) -> Location:
    """Change a location's name, barcode, negative-stock rule, active flag or (a warehouse's) cost method.

    Refused: a barcode another location has; forbidding negative stock where
    some is negative; deactivating a virtual location or one holding stock
    (itself or under it) or with open moves; a cost method once the warehouse
    has moves (``store.valuation.set_cost_method``).
    """
    require(store, "manage_locations")
    with store.atomic():
        current = lock_row(store, Location, location.id)
        if current is None:
            raise NotFound(f"location {location.code} no longer exists")
        values: dict[str, object] = {}
        if not isinstance(change.name, Keep):
            values["name"] = check_name(change.name, "location name")
        if not isinstance(change.barcode, Keep):
            values["barcode"] = _check_barcode(current, change.barcode)
        if not isinstance(change.allow_negative, Keep):
            if not change.allow_negative and current.allow_negative:
                _check_no_negative(current)
            values["allow_negative"] = change.allow_negative
        if not isinstance(change.active, Keep):
            if not change.active and current.active:
                _check_can_deactivate(current)
            values["active"] = change.active
        if not isinstance(change.cost_method, Keep) and change.cost_method != current.cost_method:
            set_cost_method(store, current, change.cost_method)
        if values:
            Location.update(**values).where(Location.id == current.id).execute()
    return Location.get_by_id(location.id)
