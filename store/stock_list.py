"""The stock list: what lies where, for looking stock up on a terminal.

One line per product and storage location that holds or has reserved some of
it, read from the period cache in a handful of queries whatever the length of
the history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from store.catalog import product_by_barcode
from store.clock import RUNNING_TOTAL
from store.locations import find_location, subtree_bounds
from store.models import Barcode, Location, Product, Uom
from store.quantity import from_units
from store.stock import LocationRef, location_path

if TYPE_CHECKING:
    from store.database import Store


@dataclass(frozen=True, slots=True)
class StockLine:
    """On hand and reserved of one product at one storage location."""

    product_id: int
    product_code: str
    product_name: str
    location_code: str
    on_hand: Decimal
    reserved: Decimal
    uom: str
    precision: int
    low: bool
    """The product's stock over all storage locations is at or below its low-stock threshold."""

    @property
    def available(self) -> Decimal:
        """On hand minus reserved."""
        return self.on_hand - self.reserved


_ON_HAND = (
    "SELECT sp.product_id, sp.location_id, SUM(sp.quantity) FROM stock_period sp "
    f"JOIN location l ON l.id = sp.location_id WHERE sp.period = {RUNNING_TOTAL} AND l.type = 'storage'"
)
_RESERVED = (
    "SELECT m.product_id, m.from_location_id, SUM(m.quantity) FROM move m "
    "JOIN location l ON l.id = m.from_location_id WHERE l.type = 'storage' AND m.state = 'assigned'"
)


def _storage_sums(store: Store, sql: str, under: LocationRef | None) -> dict[tuple[int, int], Decimal]:
    """Run a ``(product, location, sum)`` query, limited to the subtree of ``under`` if given."""
    p = store.db.param
    params: list[str] = []
    if under is not None:
        low, high = subtree_bounds(location_path(store, under))
        sql += f" AND l.path >= {p} AND l.path < {p}"
        params += [low, high]
    sql += " GROUP BY 1, 2"
    return {(product, location): from_units(total) for product, location, total in store.db.execute_sql(sql, params)}


def _matching_products(search: str) -> set[int] | None:
    """Ids of products whose code, name or barcode holds ``search`` (None: no filter)."""
    search = search.strip()
    if not search:
        return None
    found = {
        row.id
        for row in Product.select(Product.id).where(Product.code.contains(search) | Product.name.contains(search))
    }
    found.update(row.product_id for row in Barcode.select(Barcode.product).where(Barcode.code.contains(search)))
    scanned = product_by_barcode(search)
    if scanned is not None:
        found.add(scanned[0].id)
    return found


class _MarkedLow(Protocol):
    product_code: str
    low: bool


def low_products(lines: Iterable[_MarkedLow]) -> int:
    """How many products the lines mark low: a product low in two bins is one, as a reorder is one."""
    return len({line.product_code for line in lines if line.low})


def stock_search(store: Store, search: str) -> tuple[Location | None, list[StockLine]]:
    """The lines a stock search names, and the location it named if it named one.

    Products first (as :func:`stock_lines`); a search that names no product
    but is a location's label or code (a bin label scanned, ``A-01`` typed)
    gives what that location and those under it hold.
    """
    lines = stock_lines(store, search)
    if lines or not search.strip():
        return None, lines
    location = find_location(search.strip())
    if location is None:
        return None, lines
    return location, stock_lines(store, under=location)


def stock_lines(store: Store, search: str = "", under: LocationRef | None = None) -> list[StockLine]:
    """Stock at every storage location (under ``under``), by product code then location.

    ``search`` keeps the products whose code or name contains it (any case),
    whose barcode contains it, or that a scanned barcode stands for. Lines
    with nothing on hand and nothing reserved are left out, except for
    products at or below their low-stock threshold: a sold-out bin still shows.
    """
    on_hand = _storage_sums(store, _ON_HAND, under)
    reserved = _storage_sums(store, _RESERVED, under)
    wanted = _matching_products(search)
    keys = [key for key in on_hand.keys() | reserved.keys() if wanted is None or key[0] in wanted]
    if not keys:
        return []
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for (product_id, _), quantity in (on_hand if under is None else _storage_sums(store, _ON_HAND, None)).items():
        totals[product_id] += quantity
    products = {
        product.id: product
        for product in Product.select(Product, Uom).join(Uom).where(Product.id.in_(list({k[0] for k in keys})))
    }
    low = {
        product.id
        for product in products.values()
        if product.low_stock is not None and totals[product.id] <= product.low_stock
    }
    keys = [key for key in keys if on_hand.get(key, 0) != 0 or reserved.get(key, 0) != 0 or key[0] in low]
    locations = {
        location.id: location
        for location in Location.select(Location.id, Location.code).where(
            Location.id.in_(list({location_id for _, location_id in keys}))
        )
    }
    lines: list[tuple[tuple[str, str], StockLine]] = []
    for product_id, location_id in keys:
        product = products[product_id]
        line = StockLine(
            product_id=product_id,
            product_code=product.code,
            product_name=product.name,
            location_code=locations[location_id].code,
            on_hand=on_hand.get((product_id, location_id), Decimal(0)),
            reserved=reserved.get((product_id, location_id), Decimal(0)),
            uom=product.uom.code,
            precision=product.uom.precision,
            low=product_id in low,
        )
        lines.append(((product.code, line.location_code), line))
    return [line for _, line in sorted(lines, key=lambda item: item[0])]
