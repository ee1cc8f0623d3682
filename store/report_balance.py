"""The stock balance report: on hand, reserved and available per product and storage location.

With when each line last changed and low-stock products marked, read in a
handful of grouped statements (the period cache's running totals, the open
reservations, the last done move per product and location) whatever the
number of products.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from store.clock import RUNNING_TOTAL, from_micros
from store.quantity import from_units
from store.report_filters import NO_FILTER, ReportFilter, in_subtree, location_bounds, product_condition

if TYPE_CHECKING:
    from store.database import Store


@dataclass(frozen=True, slots=True)
class BalanceLine:
    """One product at one storage location."""

    product_code: str
    product_name: str
    category: str
    location_code: str
    on_hand: Decimal
    reserved: Decimal
    uom: str
    precision: int
    last_change: datetime | None
    """The effective date of the last done move into or out of this location for this product."""
    low: bool
    """The product's stock over every storage location is at or below its low-stock threshold."""

    @property
    def available(self) -> Decimal:
        """On hand minus reserved."""
        return self.on_hand - self.reserved


def balance(store: Store, filters: ReportFilter = NO_FILTER) -> list[BalanceLine]:
    """Every storage location's stock of every product (filtered), by product code then location code.

    Lines with nothing on hand and nothing reserved are left out, except a
    low-stock product's: a sold-out bin still shows.
    """
    where = ["l.type = 'storage'"]
    params: list = []
    bounds = location_bounds(filters)
    if bounds is not None:
        condition, extra = in_subtree(store, "l", bounds)
        where.append(condition)
        params += extra
    product_where, product_params = product_condition(store, "x.product_id", filters)
    where += product_where
    params += product_params
    keys = (
        f"SELECT sp.product_id, sp.location_id, sp.quantity AS on_hand, 0 AS reserved FROM stock_period sp "
        f"WHERE sp.period = {RUNNING_TOTAL} "
        "UNION ALL SELECT m.product_id, m.from_location_id, 0, m.quantity FROM move m WHERE m.state = 'assigned'"
    )
    totals = (  # each product's stock over every storage location, for the low-stock mark
        "SELECT sp.product_id, SUM(sp.quantity) AS total FROM stock_period sp JOIN location tl ON tl.id = sp.location_id "
        f"WHERE sp.period = {RUNNING_TOTAL} AND tl.type = 'storage' GROUP BY sp.product_id"
    )
    sql = (
        "SELECT pr.code, pr.name, pr.category, l.code, SUM(x.on_hand), SUM(x.reserved), u.code, u.precision, "
        "pr.low_stock, t.total, l.id, pr.id "
        f"FROM ({keys}) x JOIN location l ON l.id = x.location_id JOIN product pr ON pr.id = x.product_id "
        f"JOIN uom u ON u.id = pr.uom_id LEFT JOIN ({totals}) t ON t.product_id = pr.id "
        f"WHERE {' AND '.join(where)} "
        "GROUP BY pr.code, pr.name, pr.category, l.code, u.code, u.precision, pr.low_stock, t.total, l.id, pr.id "
        "ORDER BY pr.code, l.code"
    )
    rows = list(store.db.execute_sql(sql, params))
    last = _last_changes(store, where, params)
    lines = []
    for code, name, category, location, held, promised, uom, precision, low_stock, total, location_id, pid in rows:
        low = low_stock is not None and (total or 0) <= low_stock
        if not held and not promised and not low:
            continue
        moment = last.get((pid, location_id))
        lines.append(
            BalanceLine(
                product_code=code,
                product_name=name,
                category=category,
                location_code=location,
                on_hand=from_units(held),
                reserved=from_units(promised),
                uom=uom,
                precision=precision,
                last_change=None if moment is None else from_micros(moment),
                low=low,
            )
        )
    return lines


def _last_changes(store: Store, where: list[str], params: list) -> dict[tuple[int, int], int]:
    """The last done move's date per (product, storage location) that passes the filters, in one statement.

    Only done moves have an ``effective_at`` (MAX skips the NULLs of the others),
    so each half reads the (product, location, effective_at) index alone.
    """
    ends = (
        "SELECT m.product_id, m.to_location_id AS location_id, MAX(m.effective_at) AS at FROM move m "
        "GROUP BY m.product_id, m.to_location_id "
        "UNION ALL SELECT m.product_id, m.from_location_id, MAX(m.effective_at) FROM move m "
        "GROUP BY m.product_id, m.from_location_id"
    )
    sql = (
        f"SELECT x.product_id, x.location_id, MAX(x.at) FROM ({ends}) x JOIN location l ON l.id = x.location_id "
        f"WHERE {' AND '.join(where)} GROUP BY x.product_id, x.location_id"
    )
    return {(pid, lid): at for pid, lid, at in store.db.execute_sql(sql, params)}
