"""Stock coverage: how many days each product's current stock lasts at its recent average outflow.

As PrestaShop's stock coverage: for one warehouse or all of them, over the last
7, 14, 21, 30, 180 or 365 days. The outflow is what done moves took from the
scope's storage locations to a virtual location (customers, lost-and-found,
production, a supplier for a return); internal transfers (put away, picking to
output, moves between bins or to another warehouse) are not outflow. Coverage = on hand x period days / outflow, rounded down to
one decimal; no outflow means the stock does not run out (None).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from store.clock import RUNNING_TOTAL, now, to_micros
from store.errors import InvalidValue
from store.locations import get_location
from store.models import VIRTUAL_TYPES
from store.quantity import from_units
from store.report_filters import NO_FILTER, ReportFilter, product_condition

if TYPE_CHECKING:
    from store.database import Store

PERIODS = (7, 14, 21, 30, 180, 365)
"""The outflow periods a coverage is computed over, in days."""

_TENTH = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class CoverageLine:
    """One product's stock, its outflow over the period and how many days the stock lasts."""

    product_code: str
    product_name: str
    on_hand: Decimal
    outflow: Decimal
    days: int
    uom: str
    precision: int
    coverage: Decimal | None
    """Days the stock lasts (rounded down to 0.1); None when nothing went out."""
    under: bool
    """The coverage is below the threshold asked for."""

    @property
    def daily_outflow(self) -> Decimal:
        """The average outflow per day over the period."""
        return self.outflow / self.days


def coverage_days(on_hand: Decimal, outflow: Decimal, days: int) -> Decimal | None:
    """Days ``on_hand`` lasts at ``outflow`` per ``days``: rounded down to 0.1, 0 without stock, None without outflow."""
    if outflow <= 0:
        return None
    if on_hand <= 0:
        return Decimal(0).quantize(_TENTH)
    return (on_hand * days / outflow).quantize(_TENTH, rounding=ROUND_DOWN)


def coverage(
    store: Store,
    days: int = 30,
    warehouse: str = "",
    filters: ReportFilter = NO_FILTER,
    under: Decimal | int | None = None,
    at: datetime | None = None,
) -> list[CoverageLine]:
    """Each product with stock or outflow in ``warehouse`` (all warehouses by default), by product code.

    ``days`` is one of ``PERIODS``: the outflow counted is that of the done
    moves effective in the ``days`` before ``at`` (default now). A line is
    ``under`` when its coverage is below ``under`` days (no outflow never is).
    """
    if days not in PERIODS:
        raise InvalidValue(f"the coverage period is one of {', '.join(map(str, PERIODS))} days, not {days}")
    p = store.db.param
    scope_params: list = []
    scope = "{a}.type = 'storage'"
    if warehouse.strip():
        place = get_location(warehouse)
        if place.type != "warehouse":
            raise InvalidValue(f"{place.code} is a {place.type} location, not a warehouse")
        scope += f" AND {{a}}.warehouse_id = {p}"
        scope_params.append(place.id)
    end = to_micros(at or now())
    start = to_micros((at or now()) - timedelta(days=days))
    stock = (
        "SELECT sp.product_id, sp.quantity AS held, 0 AS gone FROM stock_period sp "
        f"JOIN location l ON l.id = sp.location_id WHERE sp.period = {RUNNING_TOTAL} AND {scope.format(a='l')}"
    )
    gone = (
        "SELECT m.product_id, 0, m.quantity FROM move m JOIN location f ON f.id = m.from_location_id "
        f"JOIN location t ON t.id = m.to_location_id WHERE m.state = 'done' AND m.effective_at > {p} "
        f"AND m.effective_at <= {p} AND {scope.format(a='f')} AND t.type IN ({', '.join(p for _ in VIRTUAL_TYPES)})"
    )
    params = scope_params + [start, end] + scope_params + list(VIRTUAL_TYPES)
    product_where, product_params = product_condition(store, "x.product_id", filters)
    sql = (
        "SELECT pr.code, pr.name, SUM(x.held), SUM(x.gone), u.code, u.precision "
        f"FROM ({stock} UNION ALL {gone}) x JOIN product pr ON pr.id = x.product_id JOIN uom u ON u.id = pr.uom_id"
        + (f" WHERE {' AND '.join(product_where)}" if product_where else "")
        + " GROUP BY pr.code, pr.name, u.code, u.precision ORDER BY pr.code"
    )
    threshold = None if under is None else Decimal(under)
    lines = []
    for code, name, held, outflow, uom, precision in store.db.execute_sql(sql, params + product_params):
        on_hand, out = from_units(held), from_units(outflow)
        if not on_hand and not out:
            continue
        days_left = coverage_days(on_hand, out, days)
        lines.append(
            CoverageLine(
                product_code=code,
                product_name=name,
                on_hand=on_hand,
                outflow=out,
                days=days,
                uom=uom,
                precision=precision,
                coverage=days_left,
                under=threshold is not None and days_left is not None and days_left < threshold,
            )
        )
    return lines
