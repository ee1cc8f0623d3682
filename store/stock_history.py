"""A product's stock over time, day by day, from the ledger: for a small chart of its history."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from store.clock import RUNNING_TOTAL, now, to_micros
from store.errors import InvalidValue
from store.locations import subtree_bounds
from store.models import Location, Product
from store.quantity import from_units

if TYPE_CHECKING:
    from store.database import Store

DAY_MICROS = 86_400 * 1_000_000
MAX_DAYS = 3660


def _scope(store: Store, location: Location | None, alias: str) -> tuple[str, list]:
    """SQL condition that a joined location row counts: every storage location, or the subtree of ``location``."""
    if location is None:
        return f"{alias}.type = 'storage'", []
    p = store.db.param
    low, high = subtree_bounds(location.path)
    return f"{alias}.path >= {p} AND {alias}.path < {p}", [low, high]


def stock_history(
    store: Store, product: Product, days: int, location: Location | None = None, until: datetime | None = None
) -> list[tuple[datetime, Decimal]]:
    """On hand of ``product`` at ``days`` moments one day apart, the last at ``until`` (default now).

    Over every storage location, or over ``location`` and the locations under
    it. Two queries whatever the length of the history: on hand now from the
    period cache, and the done moves after the first moment summed per day,
    which are taken back off it.
    """
    if not 1 <= days <= MAX_DAYS:
        raise InvalidValue(f"a stock history covers 1 to {MAX_DAYS} days, not {days}")
    end = until or now()
    first = to_micros(end) - (days - 1) * DAY_MICROS
    p = store.db.param
    where, scope_params = _scope(store, location, "l")
    held = store.db.execute_sql(
        f"SELECT SUM(sp.quantity) FROM stock_period sp JOIN location l ON l.id = sp.location_id "
        f"WHERE sp.product_id = {p} AND sp.period = {RUNNING_TOTAL} AND {where}",
        [product.id, *scope_params],
    ).fetchone()[0]
    current = from_units(held or 0)
    # a move at e is in the on hand of moment i from i = ceil((e - first) / day): its bucket
    parts, params = [], []
    for column, sign in (("to_location_id", ""), ("from_location_id", "-")):
        parts.append(
            f"SELECT (m.effective_at - {p} + {DAY_MICROS - 1}) / {DAY_MICROS} AS bucket, {sign}m.quantity AS q "
            f"FROM move m JOIN location l ON l.id = m.{column} "
            f"WHERE m.product_id = {p} AND m.state = 'done' AND m.effective_at > {p} AND {where}"
        )
        params += [first, product.id, first, *scope_params]
    rows = store.db.execute_sql(
        f"SELECT bucket, SUM(q) FROM ({' UNION ALL '.join(parts)}) AS x GROUP BY bucket", params
    ).fetchall()
    later = [Decimal(0)] * (days + 1)  # net change of each bucket, the last for everything after ``until``
    for bucket, quantity in rows:
        later[min(int(bucket), days)] += from_units(quantity)
    series: list[tuple[datetime, Decimal]] = []
    on_hand = current
    for index in range(days, 0, -1):
        on_hand -= later[index]
        series.append((end - timedelta(days=days - index), on_hand))
    return list(reversed(series))
