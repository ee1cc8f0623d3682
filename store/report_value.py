"""Stock value per warehouse with its cost layers, for the value report (from ``store.valuation``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from store.models import Location
from store.valuation import layers, valuation

if TYPE_CHECKING:
    from store.database import Store


@dataclass(frozen=True, slots=True)
class ValueLine:
    """A product's value in a warehouse, one of its cost layers (``date`` set), or a warehouse total (``product`` "")."""

    warehouse: str
    method: str
    product: str
    date: datetime | None
    quantity: Decimal | None
    unit_cost: Decimal | None
    value: Decimal

    @property
    def is_total(self) -> bool:
        """The line sums a whole warehouse."""
        return not self.product


def stock_value(
    store: Store, warehouse: str = "", by_layer: bool = False, at: datetime | None = None
) -> list[ValueLine]:
    """Each warehouse's products (or their remaining layers, ``by_layer``) and then its total, by warehouse code."""
    methods = dict(Location.select(Location.code, Location.cost_method).where(Location.type == "warehouse").tuples())
    found = layers(store, warehouse or None, at) if by_layer else valuation(store, warehouse or None, at)
    lines: list[ValueLine] = []
    total = Decimal(0)
    for index, row in enumerate(found):
        method = methods.get(row.warehouse) or "fifo"
        lines.append(
            ValueLine(row.warehouse, method, row.product, getattr(row, "date", None), row.quantity, row.unit_cost, row.value)
        )
        total += row.value
        if index + 1 == len(found) or found[index + 1].warehouse != row.warehouse:
            lines.append(ValueLine(row.warehouse, method, "", None, None, None, total))
            total = Decimal(0)
    return lines
