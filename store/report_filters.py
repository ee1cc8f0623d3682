"""What every report filters by, as SQL conditions: products by text or code and category, a location subtree.

Each helper returns a condition on an aliased column and its parameters, so a
report stays one set-based statement on SQLite and PostgreSQL alike. Text
searches are case-insensitive (``LOWER ... LIKE`` with ``%`` and ``_`` escaped).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from store.catalog import get_product, product_by_barcode
from store.clock import parse_timestamp
from store.locations import get_location, subtree_bounds

if TYPE_CHECKING:
    from store.database import Store


@dataclass(frozen=True)
class ReportFilter:
    """The filters a report screen or export was given; empty means no filter.

    ``search``: products whose code, name or barcode contains it (any case), or
    that a scanned barcode stands for. ``product``: exactly this product code.
    ``category``: exactly this category (any case). ``location``: this location
    code and everything under it.
    """

    search: str = ""
    product: str = ""
    category: str = ""
    location: str = ""


def like_pattern(text: str) -> str:
    """A ``LIKE ... ESCAPE '!'`` pattern for values that contain ``text``, lower-cased."""
    escaped = text.lower().replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def product_condition(store: Store, column: str, filters: ReportFilter) -> tuple[list[str], list]:
    """Conditions (and parameters) that ``column`` (a product id) passes the product filters."""
    p = store.db.param
    conditions: list[str] = []
    params: list = []
    if filters.product.strip():
        conditions.append(f"{column} = {p}")
        params.append(get_product(filters.product).id)
    search = filters.search.strip()
    if search:
        pattern = like_pattern(search)
        scanned = product_by_barcode(search)
        matches = [
            f"{column} IN (SELECT id FROM product WHERE LOWER(code) LIKE {p} ESCAPE '!' "
            f"OR LOWER(name) LIKE {p} ESCAPE '!')",
            f"{column} IN (SELECT product_id FROM barcode WHERE LOWER(code) LIKE {p} ESCAPE '!')",
        ]
        params += [pattern, pattern, pattern]
        if scanned is not None:
            matches.append(f"{column} = {p}")
            params.append(scanned[0].id)
        conditions.append(f"({' OR '.join(matches)})")
    if filters.category.strip():
        conditions.append(f"{column} IN (SELECT id FROM product WHERE LOWER(category) = {p})")
        params.append(filters.category.strip().lower())
    return conditions, params


def location_bounds(filters: ReportFilter) -> tuple[str, str] | None:
    """``(low, high)`` path bounds of the filter's location subtree, None without one (an unknown code is refused)."""
    if not filters.location.strip():
        return None
    return subtree_bounds(get_location(filters.location).path)


def in_subtree(store: Store, alias: str, bounds: tuple[str, str]) -> tuple[str, list]:
    """Condition that the location row ``alias`` lies in the subtree ``bounds``."""
    p = store.db.param
    return f"{alias}.path >= {p} AND {alias}.path < {p}", list(bounds)


def parse_span(since: str, until: str) -> tuple[datetime | None, datetime | None]:
    """A typed time span (ISO 8601, local time without an offset; empty: open): an ``until`` date is its whole day."""
    start = parse_timestamp(since) if since.strip() else None
    end = None
    if until.strip():
        end = parse_timestamp(until)
        if len(until.strip()) <= len("2026-01-31"):
            end += timedelta(days=1, microseconds=-1)
    return start, end


NO_FILTER = ReportFilter()
"""Every product and location."""
