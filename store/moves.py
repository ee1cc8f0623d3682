"""Posting moves: the only way stock changes.

A done move is never changed or deleted (the database refuses it too); it is
corrected by an opposite move. Every done move updates the period cache in
the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from store.clock import RUNNING_TOTAL, from_micros, now, period_of, to_micros
from store.errors import ImmutableMove, InsufficientStock, InvalidValue, NotFound
from store.models import Location, Move, Product
from store.prepared import Prepared, arg, create
from store.quantity import format_quantity, to_units
from store.stock import available, on_hand
from store.transactions import lock_products, retried, write_ledger
from store.units import check_precision

if TYPE_CHECKING:
    from store.database import Store

CLOCK_SKEW = timedelta(minutes=5)


def _check(product: Product, quantity: Decimal, source: Location, destination: Location) -> None:
    if quantity <= 0:
        raise InvalidValue(f"a move takes a positive quantity, not {quantity}")
    check_precision(quantity, product.uom)
    if source.id == destination.id:
        raise InvalidValue(f"a move needs two different locations, not {source.code} twice")
    if not product.stock_keeping:
        raise InvalidValue(f"{product.code} is not stock-kept")
    for location in (source, destination):
        if location.type in ("view", "warehouse"):
            raise InvalidValue(f"{location.code} is a {location.type}: stock moves to and from its storage locations")


def shortfall_message(product: Product, location: Location, have: Decimal, wanted: Decimal) -> str:
    """"Only 3 pc of FLOUR-500 at A-01; 5 requested"."""
    precision = product.uom.precision
    return (
        f"Only {format_quantity(max(have, Decimal(0)), precision)} {product.uom.code} of {product.code} "
        f"at {location.code}; {format_quantity(wanted, precision)} requested"
    )


def _check_stock(store: Store, product: Product, quantity: Decimal, source: Location, from_reserved: bool) -> None:
    """Refuse a move out of a location that forbids negative stock when it holds too little."""
    if source.allow_negative:
        return
    if from_reserved:
        have = on_hand(store, product, source, children=False)
    else:
        have = available(store, product, source, children=False)
    if have < quantity:
        raise InsufficientStock(shortfall_message(product, source, have, quantity))


def apply_to_periods(store: Store, rows: Iterable[tuple[int, int, int, int]]) -> None:
    """Add ``(product_id, location_id, period, units)`` deltas to the period cache and its running totals.

    The rows go in key order, each running total after its periods: SQLite then
    fills the table's key index page by page instead of all over it (a bulk
    import of a million moves spends a quarter less time here).
    """
    deltas: defaultdict[tuple[int, int, int], int] = defaultdict(int)
    totals: defaultdict[tuple[int, int], int] = defaultdict(int)
    for product_id, location_id, period, units in rows:
        deltas[product_id, location_id, period] += units
        totals[product_id, location_id] += units
    for (product_id, location_id), units in totals.items():
        deltas[product_id, location_id, RUNNING_TOTAL] += units
    values = [value for key, units in sorted(deltas.items()) for value in (*key, units)]
    for start in range(0, len(values), 4 * PERIOD_ROWS_PER_STATEMENT):
        chunk = values[start : start + 4 * PERIOD_ROWS_PER_STATEMENT]
        store.db.execute_sql(_upsert_periods_sql(store.db.param, len(chunk) // 4), chunk)


PERIOD_ROWS_PER_STATEMENT = 200
"""Rows of the period cache one statement upserts (4 parameters each: within SQLite's oldest limit of 999)."""


@cache
def _upsert_periods_sql(param: str, rows: int) -> str:
    """One statement adding ``rows`` deltas to the period cache: a done move costs one round trip, not four.

    The keys of one statement must differ (PostgreSQL updates a row at most once per statement).
    """
    values = ", ".join([f"({param}, {param}, {param}, {param})"] * rows)
    return (
        f"INSERT INTO stock_period (product_id, location_id, period, quantity) VALUES {values} "
        "ON CONFLICT (product_id, location_id, period) DO UPDATE SET quantity = stock_period.quantity + excluded.quantity"
    )


DoneMoveRow = tuple[int, int, int, int, int, int | None, str, str, str, str]
"""product_id, units, from_location_id, to_location_id, effective micros, unit cost units or None,
reason, origin, operator, terminal."""

_DAY = 86_400_000_000


@contextmanager
def bulk_posting(store: Store, cache_kib: int = 1_000_000) -> Iterator[None]:
    """Settings for a bulk insert of checked moves on SQLite; open the transaction inside it.

    A bigger page cache keeps the move indexes in memory while they grow, and
    foreign-key checks are off (they cost as much as the insert itself): the
    caller must take every product and location id from the tables it read in
    the same transaction. Both settings are restored afterwards.
    """
    if store.is_postgres:
        yield
        return
    db = store.db
    cache_size = db.execute_sql("PRAGMA cache_size").fetchone()[0]
    foreign_keys = db.execute_sql("PRAGMA foreign_keys").fetchone()[0]
    db.execute_sql(f"PRAGMA cache_size = -{cache_kib}")
    db.execute_sql("PRAGMA foreign_keys = 0")  # a no-op inside a transaction, so it must come first
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA foreign_keys = {int(foreign_keys)}")
        db.execute_sql(f"PRAGMA cache_size = {int(cache_size)}")


def post_done_moves_bulk(store: Store, rows: Iterable[DoneMoveRow]) -> int:
    """Insert many done moves at once and update the period cache once; returns how many.

    For callers that have already checked every row against the stock rules
    (the CSV import, the benchmark): nothing here refuses a row. ``rows`` may
    be a generator; it is consumed once, while inserting, and an exception it
    raises propagates. Call inside ``store.atomic()`` so that a failure leaves
    nothing behind.
    """
    p = store.db.param
    sql = (
        "INSERT INTO move (product_id, quantity, from_location_id, to_location_id, state, planned_at, "
        "effective_at, unit_cost, reason, origin, operator, terminal, created_at) "
        f"VALUES ({p}, {p}, {p}, {p}, 'done', {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})"
    )
    write_ledger(store)
    created = to_micros(now())
    deltas: defaultdict[tuple[int, int, int], int] = defaultdict(int)
    day_periods: dict[int, int] = {}
    count = 0

    def values() -> Iterator[tuple]:
        nonlocal count
        for product_id, units, source, destination, micros, cost, reason, origin, operator, terminal in rows:
            try:
                period = day_periods[micros // _DAY]
            except KeyError:
                period = day_periods[micros // _DAY] = period_of(micros)
            deltas[product_id, destination, period] += units
            deltas[product_id, source, period] -= units
            count += 1
            yield product_id, units, source, destination, micros, micros, cost, reason, origin, operator, terminal, created

    store.db.cursor().executemany(sql, values())
    apply_to_periods(store, ((product, location, period, units) for (product, location, period), units in deltas.items()))
    return count


def _period_rows(move: Move) -> list[tuple[int, int, int, int]]:
    units = to_units(move.quantity)
    period = period_of(to_micros(move.effective_at))
    return [
        (move.product_id, move.to_location_id, period, units),
        (move.product_id, move.from_location_id, period, -units),
    ]


def _effective(at: datetime | None) -> datetime:
    moment = at or now()
    if to_micros(moment) > to_micros(now() + CLOCK_SKEW):
        raise InvalidValue(f"a done move cannot be dated in the future ({moment.isoformat()})")
    return moment


@retried
def post_move(
    store: Store,
    product: Product,
    quantity: Decimal,
    source: Location,
    destination: Location,
    *,
    reason: str = "",
    at: datetime | None = None,
    unit_cost: Decimal | None = None,
    origin: str = "",
    from_reserved: bool = False,
    reverts: Move | None = None,
) -> Move:
    """Post a done move now (or at ``at``, in the past). Refuses what would break a stock rule."""
    _check(product, quantity, source, destination)
    effective = _effective(at)
    with store.atomic():
        lock_products(store, [product])
        _check_stock(store, product, quantity, source, from_reserved)
        move = _new_move(
            store, product, quantity, source, destination, "done", effective,
            effective_at=effective, unit_cost=unit_cost, reason=reason, origin=origin, reverts=reverts,
        )
        apply_to_periods(store, _period_rows(move))
    return move


def plan_move(
    store: Store,
    product: Product,
    quantity: Decimal,
    source: Location,
    destination: Location,
    *,
    planned_at: datetime | None = None,
    reason: str = "",
    unit_cost: Decimal | None = None,
    origin: str = "",
) -> Move:
    """Create a draft move: planned, counted in the forecast, not yet reserved or done."""
    _check(product, quantity, source, destination)
    return _new_move(
        store, product, quantity, source, destination, "draft", planned_at or now(),
        unit_cost=unit_cost, reason=reason, origin=origin,
    )


def _new_move(
    store: Store,
    product: Product,
    quantity: Decimal,
    source: Location,
    destination: Location,
    state: str,
    planned_at: datetime,
    **values,
) -> Move:
    """Insert a move recording who made it on which terminal, and when."""
    return create(
        Move, product=product, quantity=quantity, from_location=source, to_location=destination, state=state,
        planned_at=planned_at, operator=store.operator, terminal=store.terminal, created_at=now(), **values,
    )

@retried
def assign_move(store: Store, move: Move) -> Move:
    """Reserve a draft move's quantity at its source; refuses when not enough is available."""
    with store.atomic():
        move = _lock_and_reload(store, move, ("draft",))
        source = move.from_location
        have = available(store, move.product, source)
        if have < move.quantity and not source.is_virtual:
            raise InsufficientStock(shortfall_message(move.product, source, have, move.quantity))
        Move.update(state="assigned").where(Move.id == move.id).execute()
        move.state = "assigned"
    return move


@retried
def do_move(store: Store, move: Move, at: datetime | None = None) -> Move:
    """Make a draft or assigned move done, now or at ``at``."""
    effective = _effective(at)
    with store.atomic():
        move = _lock_and_reload(store, move, ("draft", "assigned"))
        _check_stock(store, move.product, move.quantity, move.from_location, from_reserved=move.state == "assigned")
        done = {"state": "done", "effective_at": effective, "operator": store.operator, "terminal": store.terminal}
        Move.update(**done).where(Move.id == move.id).execute()
        for name, value in done.items():
            setattr(move, name, value)
        move.effective_at = from_micros(to_micros(effective))  # as the database gives it back: UTC
        apply_to_periods(store, _period_rows(move))
    return move


def cancel_move(store: Store, move: Move) -> Move:
    """Cancel a move that is not done, releasing what it reserved."""
    with store.atomic():
        move = _reload(move, ("draft", "assigned"))
        Move.update(state="cancelled").where(Move.id == move.id).execute()
        move.state = "cancelled"
    return move


def revert_move(store: Store, move: Move, reason: str = "reversal", at: datetime | None = None) -> Move:
    """Post the opposite of a done move; a move is reverted at most once."""
    if move.state != "done":
        raise InvalidValue(f"move {move.id} is {move.state}: only a done move is reverted")
    if Move.select().where(Move.reverts == move.id).exists():
        raise ImmutableMove(f"move {move.id} has already been reverted")
    return post_move(
        store,
        move.product,
        move.quantity,
        move.to_location,
        move.from_location,
        reason=reason,
        at=at,
        unit_cost=move.unit_cost,
        origin=move.origin,
        from_reserved=True,
        reverts=move,
    )


_MOVE_WITH_SOURCE = Prepared(
    lambda: Move.select(Move, Product, Location)
    .join(Product, on=Move.product)
    .switch(Move)
    .join(Location, on=Move.from_location)
    .where(Move.id == arg("move"))
)


def _lock_and_reload(store: Store, move: Move, states: tuple[str, ...]) -> Move:
    """Lock the move's product (which never changes), then read the move as it is now: one round trip."""
    rows = lock_products(store, [move.product_id], then=(_MOVE_WITH_SOURCE, {"move": move.id}))
    return _check_state(move, rows[0] if rows else None, states)


def _reload(move: Move, states: tuple[str, ...]) -> Move:
    """The move as the database holds it now, with its product and source read in the same query."""
    return _check_state(move, _MOVE_WITH_SOURCE.first(move=move.id), states)


def _check_state(move: Move, fresh: Move | None, states: tuple[str, ...]) -> Move:
    if fresh is None:
        raise NotFound(f"no move {move.id}")
    if fresh.state not in states:
        if fresh.state == "done":
            raise ImmutableMove(f"move {move.id} is done and cannot change; post an opposite move instead")
        raise InvalidValue(f"move {move.id} is {fresh.state}")
    return fresh
