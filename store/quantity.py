"""Exact quantities and money.

The database holds every quantity and unit cost as an integer count of
millionths (``SCALE``), so sums are exact integer arithmetic on SQLite and
PostgreSQL alike; Python code sees ``Decimal``. Summing 0.1 kg ten thousand
times gives exactly 1000 kg.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from store.errors import InvalidValue

SCALE = 1_000_000
_SCALE_DECIMAL = Decimal(SCALE)
_MAX_UNITS = 2**62


def to_units(value: Decimal | int) -> int:
    """Scale an exact decimal to the integer stored in the database.

    Refuses values with more than six decimals or too large to store.
    """
    scaled = Decimal(value) * _SCALE_DECIMAL
    if scaled != scaled.to_integral_value():
        raise InvalidValue(f"{value} has more than 6 decimals")
    units = int(scaled)
    if abs(units) >= _MAX_UNITS:
        raise InvalidValue(f"{value} is too large")
    return units


def from_units(units: int | Decimal | None) -> Decimal:
    """The exact decimal for an integer read from the database (None is zero)."""
    if units is None:
        return Decimal(0)
    return (Decimal(units) / _SCALE_DECIMAL).normalize() + Decimal(0)


def parse_decimal(text: str, what: str = "quantity") -> Decimal:
    """Parse a number typed or imported by a person: ``8.5``, ``8,5``, ``-3``.

    Thousands separators are not accepted (``1,000.5`` is ambiguous), nor are
    exponents, infinities or NaN.
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not cleaned or any(ch not in "0123456789.+-" for ch in cleaned):
        raise InvalidValue(f"{what} {text!r} is not a number")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidValue(f"{what} {text!r} is not a number") from None
    if not value.is_finite():
        raise InvalidValue(f"{what} {text!r} is not a number")
    return value


def format_quantity(value: Decimal, precision: int) -> str:
    """Show a quantity with the unit's number of decimals (more only if it has them)."""
    exponent = Decimal(1).scaleb(-precision)
    if value == value.quantize(exponent):
        return str(value.quantize(exponent))
    return str(value.normalize())


def units_text(units: int) -> str:
    """The exact decimal text of a stored integer quantity, trailing zeros trimmed: 1500000 -> ``1.5``."""
    whole, fraction = divmod(abs(units), SCALE)
    sign = "-" if units < 0 else ""
    if not fraction:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{fraction:06d}".rstrip("0")
