"""Entering a pick list by hand: the reference to propose, the warehouse, and the lines as scans add them.

Each scan (or typed product code) becomes a line through :func:`scanned_line`,
which refuses an unknown code or a line no pick list may hold before anything
is saved; a :class:`PickDraft` adds repeated scans of one product up, because a
pick list holds each product once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from store.errors import InvalidValue, NotFound
from store.locations import warehouses
from store.models import Location, PickList, Product
from store.picking import check_pick_line
from store.scanned import Reading, scanned_product

REFERENCE_PREFIX = "P-"
_NUMBERED = re.compile(rf"{re.escape(REFERENCE_PREFIX)}(\d+)")


def next_pick_reference() -> str:
    """A free reference to propose: ``P-<n>``, one past the highest ``P-<number>`` in use."""
    used = PickList.select(PickList.reference).where(PickList.reference.startswith(REFERENCE_PREFIX)).tuples()
    numbers = [int(match[1]) for (reference,) in used if (match := _NUMBERED.fullmatch(reference))]
    return f"{REFERENCE_PREFIX}{max(numbers, default=0) + 1}"


def pick_warehouse(code: str) -> Location:
    """The warehouse a pick list is sent from: the one named by ``code``, or the only one when none is named."""
    found = warehouses()
    codes = ", ".join(warehouse.code for warehouse in found) or "none exists"
    code = code.strip()
    if not code:
        if len(found) == 1:
            return found[0]
        raise InvalidValue(f"say which warehouse: {codes}")
    for warehouse in found:
        if warehouse.code == code:
            return warehouse
    raise NotFound(f"no warehouse {code!r}: {codes}")


def scanned_line(reading: Reading, multiplier: Decimal | None = None) -> tuple[Product, Decimal]:
    """The product and quantity one scan (or typed product code) puts on a pick list, times a typed multiplier."""
    product, quantity = scanned_product(reading, multiplier)
    return product, check_pick_line(product, quantity)


@dataclass
class PickDraft:
    """The lines of a pick list being entered, in the order their products were first scanned."""

    quantities: dict[int, tuple[Product, Decimal]] = field(default_factory=dict)

    def add(self, product: Product, quantity: Decimal) -> Decimal:
        """Add a scanned quantity; a product already on the list adds up. Returns the line's new quantity."""
        held = self.quantities.get(product.id, (product, Decimal(0)))[1]
        self.quantities[product.id] = (product, held + quantity)
        return held + quantity

    def remove_last(self) -> tuple[Product, Decimal] | None:
        """Take the last line off (None when there is none)."""
        if not self.quantities:
            return None
        return self.quantities.pop(next(reversed(self.quantities)))

    @property
    def lines(self) -> list[tuple[Product, Decimal]]:
        """The lines as ``create_pick_list`` takes them."""
        return list(self.quantities.values())
