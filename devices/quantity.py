"""Quantities typed or sent next to a barcode: ``8``, ``8.5`` or ``8,5``."""

from __future__ import annotations

import re
from decimal import Decimal

_QUANTITY = re.compile(r"[0-9]{1,9}(?:[.,][0-9]{1,6})?")


def parse_quantity(text: str) -> Decimal | None:
    """The non-negative decimal in ``text`` (dot or comma decimal separator), or None if it is not one."""
    text = text.strip()
    if not _QUANTITY.fullmatch(text):
        return None
    return Decimal(text.replace(",", "."))
