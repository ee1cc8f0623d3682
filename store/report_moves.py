"""The transactions report: every done move in a time span, filtered by product, location, reason and operator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from store.clock import from_micros, to_micros
from store.quantity import from_units
from store.report_filters import NO_FILTER, ReportFilter, location_bounds, product_condition

if TYPE_CHECKING:
    from store.database import Store


@dataclass(frozen=True, slots=True)
class TransactionLine:
    """One done move as the report shows it."""

    date: datetime
    product_code: str
    product_name: str
    quantity: Decimal
    uom: str
    precision: int
    source: str
    destination: str
    reason: str
    operator: str
    terminal: str
    origin: str


def transactions(
    store: Store,
    filters: ReportFilter = NO_FILTER,
    since: datetime | None = None,
    until: datetime | None = None,
    reason: str = "",
    operator: str = "",
) -> list[TransactionLine]:
    """Done moves effective from ``since`` to ``until`` (both included), oldest first, in one statement.

    ``filters.location`` keeps the moves from or to it or a location under it;
    ``reason`` and ``operator`` keep the moves with exactly that reason label or
    operator (any case).
    """
    p = store.db.param
    where = ["m.state = 'done'"]
    params: list = []
    if since is not None:
        where.append(f"m.effective_at >= {p}")
        params.append(to_micros(since))
    if until is not None:
        where.append(f"m.effective_at <= {p}")
        params.append(to_micros(until))
    bounds = location_bounds(filters)
    if bounds is not None:
        where.append(f"((f.path >= {p} AND f.path < {p}) OR (t.path >= {p} AND t.path < {p}))")
        params += [*bounds, *bounds]
    if reason.strip():
        where.append(f"LOWER(m.reason) = {p}")
        params.append(reason.strip().lower())
    if operator.strip():
        where.append(f"LOWER(m.operator) = {p}")
        params.append(operator.strip().lower())
    product_where, product_params = product_condition(store, "m.product_id", filters)
    where += product_where
    params += product_params
    sql = (
        "SELECT m.effective_at, pr.code, pr.name, m.quantity, u.code, u.precision, f.code, t.code, m.reason, "
        "m.operator, m.terminal, m.origin FROM move m JOIN product pr ON pr.id = m.product_id "
        "JOIN uom u ON u.id = pr.uom_id JOIN location f ON f.id = m.from_location_id "
        f"JOIN location t ON t.id = m.to_location_id WHERE {' AND '.join(where)} ORDER BY m.effective_at, m.id"
    )
    return [
        TransactionLine(
            date=from_micros(at),
            product_code=code,
            product_name=name,
            quantity=from_units(units),
            uom=uom,
            precision=precision,
            source=source,
            destination=destination,
            reason=reason_label,
            operator=who,
            terminal=terminal,
            origin=origin,
        )
        for at, code, name, units, uom, precision, source, destination, reason_label, who, terminal, origin
        in store.db.execute_sql(sql, params)
    ]
