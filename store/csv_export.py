"""Exporting stock, moves and the stock valuation as CSV rows.

The functions here check their filters at once (an unknown code is refused
before anything is written) and return the rows lazily; ``write_csv`` writes
them. Text cells are made safe for spreadsheets; numbers stay numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, TextIO

from store.catalog import get_product
from store.clock import from_micros, to_micros
from store.csv_files import safe_cell
from store.locations import get_location, storage_locations, subtree, subtree_bounds
from store.models import Location, Product, Uom
from store.quantity import to_units, units_text
from store.stock import location_on_hand, location_reserved
from store.valuation import layers, valuation

if TYPE_CHECKING:
    from store.database import Store

STOCK_COLUMNS = ("product", "location", "on_hand", "reserved", "available", "uom")
MOVE_COLUMNS = (
    "date", "product", "quantity", "from", "to", "unit_cost", "reason", "state", "operator", "terminal", "origin",
)  # fmt: skip
VALUATION_COLUMNS = ("warehouse", "product", "quantity", "unit_cost", "value")
LAYER_COLUMNS = ("warehouse", "product", "date", "quantity", "unit_cost", "value")
_CENTS = Decimal("0.0001")


def write_csv(out: TextIO, columns: Iterable[str], rows: Iterable[list[str]]) -> int:
    """Write a header and the rows as CSV; returns the number of rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def stock_rows(
    store: Store, location: str | None = None, product: str | None = None, at: datetime | None = None
) -> Iterator[list[str]]:
    """Rows of ``STOCK_COLUMNS``, by location and product code: each product each location holds or held.

    Every storage location by default; with ``location``, it and every location
    under it (virtual ones too), each row counting its own location only. With
    ``at``, on hand is that of the time ``at``; reserved (and so available) is
    always the current reservation.
    """
    places = subtree(get_location(location)) if location else storage_locations()
    locations = sorted(places, key=lambda place: place.code)
    product_id = get_product(product).id if product else None
    products = {
        pid: (safe_cell(code), safe_cell(uom))
        for pid, code, uom in Product.select(Product.id, Product.code, Uom.code).join(Uom).tuples()
    }

    def rows() -> Iterator[list[str]]:
        for place in locations:
            held = location_on_hand(store, place, at, children=False)
            reserved = location_reserved(store, place, children=False)
            if product_id is not None:
                held = {product_id: held[product_id]} if product_id in held else {}
            code = safe_cell(place.code)
            for pid in sorted(held, key=lambda pid: products[pid][0]):
                have, promised = to_units(held[pid]), to_units(reserved.get(pid, 0))
                product_code, uom = products[pid]
                yield [product_code, code, units_text(have), units_text(promised), units_text(have - promised), uom]

    return rows()


def move_rows(
    store: Store,
    location: str | None = None,
    product: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Iterator[list[str]]:
    """Rows of ``MOVE_COLUMNS`` in date order: the import's columns plus state, operator, terminal, origin.

    The date is the effective date of a done move, the planned date of any
    other; ``since``/``until`` filter on it. ``location`` keeps the moves from
    or to it or a location under it.
    """
    p = store.db.param
    conditions, params = [], []
    if location:
        low, high = subtree_bounds(get_location(location).path)
        inside = f"(SELECT id FROM location WHERE path >= {p} AND path < {p})"
        conditions.append(f"(m.from_location_id IN {inside} OR m.to_location_id IN {inside})")
        params += [low, high, low, high]
    if product:
        conditions.append(f"m.product_id = {p}")
        params.append(get_product(product).id)
    date = "COALESCE(m.effective_at, m.planned_at)"
    if since is not None:
        conditions.append(f"{date} >= {p}")
        params.append(to_micros(since))
    if until is not None:
        conditions.append(f"{date} <= {p}")
        params.append(to_micros(until))
    sql = (
        f"SELECT {date}, m.product_id, m.quantity, m.from_location_id, m.to_location_id, m.unit_cost, "
        "m.reason, m.state, m.operator, m.terminal, m.origin FROM move m"
        + (f" WHERE {' AND '.join(conditions)}" if conditions else "")
        + f" ORDER BY {date}, m.id"
    )
    products = {pid: safe_cell(code) for pid, code in Product.select(Product.id, Product.code).tuples()}
    locations = {lid: safe_cell(code) for lid, code in Location.select(Location.id, Location.code).tuples()}

    def rows() -> Iterator[list[str]]:
        cursor = store.db.execute_sql(sql, params)
        for micros, pid, units, source, destination, cost, reason, state, operator, terminal, origin in cursor:
            yield [
                from_micros(micros).isoformat(),
                products[pid],
                units_text(units),
                locations[source],
                locations[destination],
                "" if cost is None else units_text(cost),
                safe_cell(reason),
                state,
                safe_cell(operator),
                safe_cell(terminal),
                safe_cell(origin),
            ]

    return rows()


def money_text(amount: Decimal) -> str:
    """An amount to 4 decimals, ROUND_HALF_EVEN, never ``-0.0000``: ``6900.0000``."""
    rounded = amount.quantize(_CENTS, rounding=ROUND_HALF_EVEN)
    return f"{rounded if rounded else abs(rounded):f}"


def valuation_rows(
    store: Store, warehouse: str | None = None, at: datetime | None = None, by_layer: bool = False
) -> Iterator[list[str]]:
    """Rows of ``VALUATION_COLUMNS`` (or ``LAYER_COLUMNS`` ``by_layer``), by warehouse and product code.

    Each warehouse (or only ``warehouse``) valued by its cost method at ``at``
    (default now); products with no stock are left out. ``by_layer`` gives one
    row per remaining cost layer with the date it was received, oldest first.
    Unit cost and value to 4 decimals; the quantity exact.
    """
    if by_layer:
        found = [
            [safe_cell(r.warehouse), safe_cell(r.product), r.date.isoformat(), units_text(to_units(r.quantity)),
             money_text(r.unit_cost), money_text(r.value)]
            for r in layers(store, warehouse, at)
        ]  # fmt: skip
    else:
        found = [
            [safe_cell(r.warehouse), safe_cell(r.product), units_text(to_units(r.quantity)),
             money_text(r.unit_cost), money_text(r.value)]
            for r in valuation(store, warehouse, at)
        ]  # fmt: skip
    return iter(found)
