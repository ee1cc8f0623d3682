"""Quantities derived from the ledger: on hand, reserved, available and forecast.

On hand at a location (with its children) at a time is the sum of done moves
into it minus those out of it. The sums come from the period cache
(``stock_period``: net quantity per product, location and week, and a
running total per product and location for now) plus, for a past time, the
moves of that one week, so the cost of a query does not grow with the length
of the history.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from store.clock import RUNNING_TOTAL, now, period_of, period_start, to_micros
from store.locations import subtree_bounds
from store.models import Location, Product
from store.quantity import from_units

if TYPE_CHECKING:
    from store.database import Store

ProductRef = Product | int
LocationRef = Location | int


def _id(ref: Product | Location | int) -> int:
    return ref if isinstance(ref, int) else ref.id


def location_path(store: Store, location: LocationRef) -> str:
    """The tree path of a location (paths never change, so they are cached per store)."""
    location_id = _id(location)
    path = store._paths.get(location_id)
    if path is None:
        path = location.path if isinstance(location, Location) else Location.get_by_id(location_id).path
        store._paths[location_id] = path
    return path


def _where_location(store: Store, location: LocationRef, children: bool, alias: str) -> tuple[str, list]:
    """SQL condition (and its parameters) that a joined location row is the location or in its subtree."""
    p = store.db.param
    if not children:
        return f"{alias}.id = {p}", [_id(location)]
    low, high = subtree_bounds(location_path(store, location))
    return f"{alias}.path >= {p} AND {alias}.path < {p}", [low, high]


def _past(at: datetime | None) -> int | None:
    """Microseconds of ``at`` if it lies in the past, else None (meaning: everything done)."""
    if at is None:
        return None
    micros = to_micros(at)
    return micros if micros < to_micros(now()) else None


def _on_hand_sql(store: Store, location: LocationRef, children: bool, at: int | None, grouped: bool) -> tuple[str, list]:
    """One statement for on hand of a product (``grouped``: of every product) at a location."""
    p = store.db.param
    where, loc_params = _where_location(store, location, children, "l")
    select = "product_id, SUM(q)" if grouped else "SUM(q)"
    product_filter = "" if grouped else f"AND {{t}}.product_id = {p}"
    parts = [
        # the locations first: so SQLite reads the cache by location (or product), never all of it
        "SELECT sp.product_id, sp.quantity AS q FROM stock_period sp "
        f"WHERE sp.location_id IN (SELECT l.id FROM location l WHERE {where}) {product_filter.format(t='sp')} "
        + (f"AND sp.period < {p}" if at is not None else f"AND sp.period = {RUNNING_TOTAL}")
    ]
    if at is not None:
        for column, sign in (("to_location_id", ""), ("from_location_id", "-")):
            parts.append(
                f"SELECT m.product_id, {sign}m.quantity AS q FROM move m JOIN location l ON l.id = m.{column} "
                f"WHERE {where} {product_filter.format(t='m')} AND m.state = 'done' "
                f"AND m.effective_at >= {p} AND m.effective_at <= {p}"
            )
    sql = f"SELECT {select} FROM ({' UNION ALL '.join(parts)}) AS x" + (" GROUP BY product_id" if grouped else "")
    return sql, loc_params


def _params(loc_params: list, product_id: int | None, at: int | None) -> list:
    head = loc_params + ([product_id] if product_id is not None else [])
    if at is None:
        return head
    start = period_start(period_of(at))
    return head + [period_of(at)] + (head + [start, at]) * 2


def on_hand(
    store: Store, product: ProductRef, location: LocationRef, at: datetime | None = None, children: bool = True
) -> Decimal:
    """Quantity of ``product`` at ``location`` (with its children unless told not) at ``at`` (default now)."""
    micros = _past(at)
    if micros is None and not children:
        sql, params = _one_place_sql(store), [_id(location), _id(product)]
    else:
        sql, loc_params = _on_hand_sql(store, location, children, micros, grouped=False)
        params = _params(loc_params, _id(product), micros)
    return from_units(store.db.execute_sql(sql, params).fetchone()[0])


def _one_place_sql(store: Store) -> str:
    """On hand now of one product at one location alone: its running total (the check before every move)."""
    p = store.db.param
    return f"SELECT SUM(quantity) FROM stock_period WHERE location_id = {p} AND product_id = {p} AND period = {RUNNING_TOTAL}"


def location_on_hand(
    store: Store, location: LocationRef, at: datetime | None = None, children: bool = True
) -> dict[int, Decimal]:
    """On hand of every product that has ever been at ``location``: product id to quantity (zero included)."""
    micros = _past(at)
    sql, loc_params = _on_hand_sql(store, location, children, micros, grouped=True)
    cursor = store.db.execute_sql(sql, _params(loc_params, None, micros))
    return {product_id: from_units(total) for product_id, total in cursor}


def _open_moves(
    store: Store,
    location: LocationRef,
    children: bool,
    product: ProductRef | None,
    states: tuple[str, ...],
    direction: str,
    until: datetime | None = None,
) -> dict[int, Decimal]:
    """Sum of open (not done) moves into or out of a location, per product."""
    p = store.db.param
    column = "from_location_id" if direction == "out" else "to_location_id"
    where, params = _where_location(store, location, children, "l")
    sql = (
        f"SELECT m.product_id, SUM(m.quantity) FROM move m JOIN location l ON l.id = m.{column} "
        f"WHERE {where} AND m.state IN ({', '.join(p for _ in states)})"
    )
    params += list(states)
    if product is not None:
        sql += f" AND m.product_id = {p}"
        params.append(_id(product))
    if until is not None:
        sql += f" AND m.planned_at <= {p}"
        params.append(to_micros(until))
    sql += " GROUP BY m.product_id"
    return {product_id: from_units(total) for product_id, total in store.db.execute_sql(sql, params)}


def reserved(store: Store, product: ProductRef, location: LocationRef, children: bool = True) -> Decimal:
    """Quantity promised out of the location by assigned moves."""
    return _open_moves(store, location, children, product, ("assigned",), "out").get(_id(product), Decimal(0))


def available(store: Store, product: ProductRef, location: LocationRef, children: bool = True) -> Decimal:
    """On hand minus reserved: what can still be promised or picked (one query: every move checks it)."""
    p = store.db.param
    if children:
        held, held_params = _on_hand_sql(store, location, children, None, grouped=False)
        where, promised_params = _where_location(store, location, children, "l")
        promised = (
            "SELECT SUM(m.quantity) FROM move m JOIN location l ON l.id = m.from_location_id "
            f"WHERE {where} AND m.state = 'assigned' AND m.product_id = {p}"
        )
    else:  # the same, simpler for the server to plan: the location's own rows
        held, held_params = _one_place_sql(store), [_id(location)]
        promised = f"SELECT SUM(quantity) FROM move WHERE from_location_id = {p} AND state = 'assigned' AND product_id = {p}"
        promised_params = [_id(location)]
    params = [*held_params, _id(product), *promised_params, _id(product)]
    row = store.db.execute_sql(f"SELECT ({held}), ({promised})", params).fetchone()
    return from_units(row[0]) - from_units(row[1])


def location_reserved(store: Store, location: LocationRef, children: bool = True) -> dict[int, Decimal]:
    """Reserved quantity of every product at a location: product id to quantity."""
    return _open_moves(store, location, children, None, ("assigned",), "out")


def forecast(
    store: Store, product: ProductRef, location: LocationRef, until: datetime, children: bool = True
) -> Decimal:
    """On hand now plus the draft and assigned moves planned up to ``until``."""
    states = ("draft", "assigned")
    incoming = _open_moves(store, location, children, product, states, "in", until).get(_id(product), Decimal(0))
    outgoing = _open_moves(store, location, children, product, states, "out", until).get(_id(product), Decimal(0))
    return on_hand(store, product, location, children=children) + incoming - outgoing


def on_hand_by_location(store: Store, locations: list[LocationRef]) -> dict[tuple[int, int], Decimal]:
    """On hand now of every product at each of ``locations`` (each alone): (product id, location id) to quantity."""
    if not locations:
        return {}
    p = store.db.param
    ids = [_id(location) for location in locations]
    sql = (
        "SELECT product_id, location_id, SUM(quantity) FROM stock_period "
        f"WHERE period = {RUNNING_TOTAL} AND location_id IN ({', '.join(p for _ in ids)}) GROUP BY product_id, location_id"
    )
    return {(pid, lid): from_units(total) for pid, lid, total in store.db.execute_sql(sql, ids)}
