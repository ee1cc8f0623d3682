"""Units of measure and exact conversion between units of one category."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from store.errors import InvalidValue, NotFound
from store.models import Uom, UomCategory
from store.quantity import format_quantity

if TYPE_CHECKING:
    from store.database import Store

# code, name, category, factor (reference units per unit), precision
BUILTIN_UNITS = (
    ("pc", "piece", "count", "1", 0),
    ("case6", "case of 6", "count", "6", 0),
    ("case12", "case of 12", "count", "12", 0),
    ("case24", "case of 24", "count", "24", 0),
    ("kg", "kilogram", "weight", "1", 3),
    ("g", "gram", "weight", "0.001", 0),
    ("bag500g", "bag of 500 g", "weight", "0.5", 0),
    ("l", "litre", "volume", "1", 3),
    ("ml", "millilitre", "volume", "0.001", 0),
)


def ensure_builtin(store: Store) -> None:
    """Create the built-in units that the database does not have yet."""
    existing = {u.code for u in Uom.select(Uom.code)}
    categories = {c.name: c for c in UomCategory.select()}
    for code, name, category, factor, precision in BUILTIN_UNITS:
        if code in existing:
            continue
        if category not in categories:
            categories[category] = UomCategory.create(name=category)
        Uom.create(code=code, name=name, category=categories[category], factor=factor, precision=precision)


def get_uom(code: str) -> Uom:
    """The unit with this code, or a NotFound naming the known ones."""
    uom = Uom.get_or_none(Uom.code == code.strip())
    if uom is None:
        known = ", ".join(u.code for u in Uom.select(Uom.code).order_by(Uom.id))
        raise NotFound(f"unknown unit {code!r} (known: {known})")
    return uom


def convert(quantity: Decimal, source: Uom, target: Uom) -> Decimal:
    """Convert exactly between two units of one category, at the target's precision.

    Refuses units of different categories and results the target unit cannot
    hold exactly (7 pieces are not a whole number of cases of 12).
    """
    if source.id == target.id:
        return quantity
    if source.category_id != target.category_id:
        raise InvalidValue(f"cannot convert {source.code} to {target.code}: they measure different things")
    result = quantity * source.factor_decimal / target.factor_decimal
    rounded = round_to(result, target)
    if rounded != result:
        raise InvalidValue(
            f"{format_quantity(quantity, source.precision)} {source.code} is not a whole number of "
            f"{target.code} at {target.precision} decimals"
        )
    return rounded


def round_to(quantity: Decimal, uom: Uom) -> Decimal:
    """The quantity rounded half-even to the unit's precision."""
    return quantity.quantize(Decimal(1).scaleb(-uom.precision))


def check_precision(quantity: Decimal, uom: Uom) -> Decimal:
    """Refuse a quantity with more decimals than its unit allows (3.5 pieces)."""
    if round_to(quantity, uom) != quantity:
        raise InvalidValue(f"{quantity} {uom.code}: {uom.name} takes at most {uom.precision} decimals")
    return quantity
