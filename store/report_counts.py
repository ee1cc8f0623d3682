"""Count history: past count sessions with what their differences gained and lost, in units and value.

A confirmed count's differences are the done moves it posted (origin
``count:<id>``) between its locations and the lost-and-found: a gain comes
from lost-and-found, a loss goes to it. Their units and values are read in one
grouped statement (per session, direction and unit cost), so the history
stays right however stock moves after the count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from store.clock import from_micros, to_micros
from store.quantity import from_units
from store.report_filters import NO_FILTER, ReportFilter, location_bounds

if TYPE_CHECKING:
    from store.database import Store

PAST_STATES = ("confirmed", "cancelled")


@dataclass(slots=True)
class CountHistoryLine:
    """One past count session and the sum of its differences."""

    session: int
    location_code: str
    state: str
    date: datetime
    """When it was confirmed (a cancelled count: when it began)."""
    operator: str
    lines: int = 0
    """Lines that differed: the moves the count posted."""
    gained: Decimal = Decimal(0)
    lost: Decimal = Decimal(0)
    value_gained: Decimal = Decimal(0)
    value_lost: Decimal = Decimal(0)

    @property
    def net(self) -> Decimal:
        """Units gained minus units lost."""
        return self.gained - self.lost

    @property
    def value(self) -> Decimal:
        """Value gained minus value lost (differences without a cost count as 0)."""
        return self.value_gained - self.value_lost


def count_history(
    store: Store,
    filters: ReportFilter = NO_FILTER,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[CountHistoryLine]:
    """Confirmed and cancelled counts (of ``filters.location``'s subtree), newest first, dated ``since``-``until``."""
    p = store.db.param
    date = "COALESCE(s.confirmed_at, s.created_at)"
    where = [f"s.state IN ({p}, {p})"]
    params: list = list(PAST_STATES)
    bounds = location_bounds(filters)
    if bounds is not None:
        where.append(f"l.path >= {p} AND l.path < {p}")
        params += list(bounds)
    if since is not None:
        where.append(f"{date} >= {p}")
        params.append(to_micros(since))
    if until is not None:
        where.append(f"{date} <= {p}")
        params.append(to_micros(until))
    sessions = (
        f"SELECT s.id, l.code, s.state, {date}, CASE WHEN s.state = 'confirmed' THEN s.confirmed_by ELSE s.operator END "
        f"FROM count_session s JOIN location l ON l.id = s.location_id WHERE {' AND '.join(where)} ORDER BY {date} DESC, s.id DESC"
    )
    found = {
        session: CountHistoryLine(session, code, state, from_micros(at), who)
        for session, code, state, at, who in store.db.execute_sql(sessions, params)
    }
    if not found:
        return []
    differences = (
        "SELECT s.id, CASE WHEN f.type = 'lost_found' THEN 1 ELSE 0 END, m.unit_cost, SUM(m.quantity), COUNT(*) "
        "FROM count_session s JOIN location l ON l.id = s.location_id "
        "JOIN move m ON m.origin = 'count:' || CAST(s.id AS VARCHAR(20)) "
        f"JOIN location f ON f.id = m.from_location_id WHERE m.state = 'done' AND {' AND '.join(where)} "
        "GROUP BY s.id, CASE WHEN f.type = 'lost_found' THEN 1 ELSE 0 END, m.unit_cost"
    )
    for session, gain, cost, units, moves in store.db.execute_sql(differences, params):
        line = found[session]
        quantity = from_units(units)
        value = quantity * from_units(cost) if cost is not None else Decimal(0)
        line.lines += moves
        if gain:
            line.gained += quantity
            line.value_gained += value
        else:
            line.lost += quantity
            line.value_lost += value
    return list(found.values())
