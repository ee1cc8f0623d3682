"""Turning what a scanner read into what the store needs to count it."""

from __future__ import annotations

from decimal import Decimal

from devices.scan import Scan
from store.scanned import Reading


def reading_from_scan(scan: Scan) -> Reading:
    """The store's view of a decoded scan: the code to look up and the quantity it carries."""
    code = scan.gtin or scan.code or scan.sscc or scan.raw.decode("utf-8", "replace")
    return Reading(
        raw=scan.raw_text,
        code=code,
        weight_kg=scan.weight_kg,
        count=Decimal(scan.count) if scan.count is not None else None,
        lot=scan.lot,
        expiry=scan.expiry,
    )
