"""The stock room's in-store codes: the region whose layout its weight and price labels follow.

A scale or a labeller prints an EAN-13 with the weight or price of the piece
inside it (prefixes 20-29). Where those digits sit depends on the country's
numbering rules, so the stock room names its region once, for every terminal.
The store keeps the name; which regions exist is the decoder's to say.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from store.errors import InvalidValue
from store.models import Setting
from store.operators import require

if TYPE_CHECKING:
    from store.database import Store

REGION_KEY = "in_store_region"
_REGION = re.compile(r"[a-z]{2}")


def in_store_region() -> str | None:
    """The region of the stock room's in-store codes (ISO 3166 letters, ``"se"``), or None if not set."""
    row = Setting.get_or_none(Setting.key == REGION_KEY)
    return None if row is None else row.value


def set_in_store_region(store: Store, region: str | None) -> str | None:
    """Name the region of the stock room's in-store codes (managing products), or forget it with None.

    ``region`` is two letters, any case; the caller checks that the decoder
    knows it. Returns the region as kept (lower case).
    """
    require(store, "manage_products")
    if region is None:
        Setting.delete().where(Setting.key == REGION_KEY).execute()
        return None
    kept = region.strip().lower()
    if not _REGION.fullmatch(kept):
        raise InvalidValue(f"in-store code region {region!r}: expected two letters, such as se or de")
    Setting.insert(key=REGION_KEY, value=kept).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: kept}
    ).execute()
    return kept
