"""Stock added or removed by hand, with a reason label.

Additions come from the warehouse's lost-and-found and removals go to it, as
count differences do, so the lost-and-found balance is the sum of every
unexplained gain and loss. The labels are a table (defaults: received, found,
gift in; damaged, theft, expired, sample out) that a stock room may change.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from store.errors import InvalidValue, NotFound
from store.locations import lost_and_found
from store.models import AdjustmentReason, Location, Move, Product
from store.moves import post_move
from store.operators import require
from store.text import check_code

if TYPE_CHECKING:
    from store.database import Store

DIRECTIONS = ("in", "out", "both")
ADJUSTMENT_ORIGIN = "adjustment"


def reasons(direction: str | None = None) -> list[AdjustmentReason]:
    """The labels, by code; only those usable for ``in`` or ``out`` when asked."""
    query = AdjustmentReason.select().order_by(AdjustmentReason.code)
    if direction is not None:
        query = query.where(AdjustmentReason.direction.in_((direction, "both")))
    return list(query)


def add_reason(store: Store, code: str, direction: str = "both") -> AdjustmentReason:
    """Add a label for adjustments in one direction (``in``, ``out``) or ``both``."""
    require(store, "adjust_stock")
    code = check_code(code, "reason").lower()
    if direction not in DIRECTIONS:
        raise InvalidValue(f"direction {direction!r} is not one of {', '.join(DIRECTIONS)}")
    with store.atomic():
        if AdjustmentReason.get_or_none(AdjustmentReason.code == code) is not None:
            raise InvalidValue(f"reason {code} already exists")
        return AdjustmentReason.create(code=code, direction=direction)


def remove_reason(store: Store, code: str) -> None:
    """Remove a label; moves already posted with it keep it."""
    require(store, "adjust_stock")
    with store.atomic():
        if AdjustmentReason.delete().where(AdjustmentReason.code == code.strip().lower()).execute() == 0:
            raise NotFound(f"no reason {code!r}")


def _reason(code: str, direction: str) -> str:
    found = AdjustmentReason.get_or_none(AdjustmentReason.code == code.strip().lower())
    if found is None:
        known = ", ".join(r.code for r in reasons(direction))
        raise NotFound(f"no reason {code!r} (known: {known})")
    if found.direction not in (direction, "both"):
        word = "adds" if direction == "in" else "removes"
        raise InvalidValue(f"reason {found.code} is not for stock that one {word}")
    return found.code


def add_stock(store: Store, product: Product, quantity: Decimal, location: Location, reason: str) -> Move:
    """Add stock found or received by hand: a done move from the warehouse's lost-and-found."""
    require(store, "adjust_stock")
    label = _reason(reason, "in")
    return post_move(store, product, quantity, lost_and_found(location), location,
                     reason=label, origin=ADJUSTMENT_ORIGIN)  # fmt: skip


def remove_stock(
    store: Store, product: Product, quantity: Decimal, location: Location, reason: str, *, from_reserved: bool = False
) -> Move:
    """Remove stock (damaged, stolen, expired...): a done move to the warehouse's lost-and-found.

    By default only available stock can go; ``from_reserved`` lets the removal
    take stock that is reserved for pick lists too. A location that forbids
    negative stock refuses to go below zero.
    """
    require(store, "adjust_stock")
    label = _reason(reason, "out")
    return post_move(store, product, quantity, location, lost_and_found(location),
                     reason=label, origin=ADJUSTMENT_ORIGIN, from_reserved=from_reserved)  # fmt: skip
