"""Turning what a scanner read, or a worker typed, into what the store needs."""

from __future__ import annotations

from decimal import Decimal

from devices.decode import decode
from devices.scan import Scan
from store.errors import StockError
from store.quantity import parse_decimal
from store.scanned import Reading


def reading_from_scan(scan: Scan) -> Reading:
    """The store's view of a decoded scan: the code to look up and the quantity it carries.

    A weighed piece's in-store label is looked up by its item's code, the weight (or price) zeroed.
    """
    code = scan.item_gtin or scan.gtin or scan.code or scan.sscc or scan.raw.decode("utf-8", "replace")
    return Reading(
        raw=scan.raw_text,
        code=code,
        weight_kg=scan.weight_kg,
        count=Decimal(scan.count) if scan.count is not None else None,
        price=scan.price,
        lot=scan.lot,
        expiry=scan.expiry,
    )


def item_code(text: str, region: str | None) -> str:
    """The barcode to keep for a code scanned or typed into a form: a scale label's item code (its weight
    or price zeroed, read in ``region``), else the code as given."""
    return decode(text.strip(), region=region).item_gtin or text


QUANTITY_CHARS = set("0123456789.,")


def typed_quantity(text: str) -> Decimal | None:
    """A short number typed by hand ("12", "8,5", a mistaken "-3") is a quantity, not a barcode.

    A minus sign only counts in front ("LOC-A-01" is a label); the caller refuses what is not more than 0.
    """
    text = text.strip()
    digits = text.removeprefix("-")
    if not digits or len(digits) > 7 or not set(digits) <= QUANTITY_CHARS:
        return None
    try:
        return parse_decimal(text)
    except StockError:
        return None


def quantity_with_unit(text: str) -> tuple[Decimal, str | None]:
    """Parse "8,5 kg" or "17" into a quantity and an optional unit code."""
    parts = text.split()
    if len(parts) == 2:
        return parse_decimal(parts[0]), parts[1]
    return parse_decimal(text), None
