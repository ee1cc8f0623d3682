"""Transactions that several terminals run at once on one database.

On SQLite a write transaction (``BEGIN IMMEDIATE``) holds the whole database,
so what a transaction checks stays true until it commits. PostgreSQL runs
write transactions side by side: there a check of stock or of a document's
state must first lock what it reads, and a transaction that the server
aborts (deadlock, serialization failure) is run again from the start.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from functools import cache, wraps
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from peewee import DatabaseError, Model, SelectQuery

from store.errors import ConcurrentUpdate
from store.models import Product
from store.prepared import Prepared, arg

if TYPE_CHECKING:
    from store.database import Store

ATTEMPTS = 5
TRANSIENT = {"40001", "40P01"}  # serialization_failure, deadlock_detected
_WRITE_LEDGER = "SELECT pg_advisory_xact_lock_shared(hashtext(current_schema()), 72)"

P = ParamSpec("P")
R = TypeVar("R")


def lock_row(store: Store, model: type[Model], row_id: int, shared: bool = False) -> Model | None:
    """The row re-read from the database and locked until the transaction ends (None if it is gone).

    ``shared`` lets other shared holders in (terminals scanning into one
    count) while keeping out an exclusive one (the supervisor confirming it).
    """
    lock = ("FOR SHARE" if shared else "FOR UPDATE") if store.is_postgres else None
    return _row_query(model, lock).first(id=row_id)


@cache
def _row_query(model: type[Model], lock: str | None) -> Prepared:
    """A row by its id, locked with ``lock`` (None: read only)."""

    def build() -> SelectQuery:
        query = model.select().where(model._meta.primary_key == arg("id"))
        return query.for_update(lock) if lock else query

    return Prepared(build)


def lock_products(
    store: Store, products: Iterable[Product | int] | SelectQuery, then: tuple[Prepared, dict] | None = None
) -> list | None:
    """Hold the stock of these products (or of the product ids a query selects) until the transaction ends.

    Every check of on-hand or available stock before a move locks its product
    first, so two terminals taking the last units queue and the second sees
    what the first took. Rows are locked in id order, so that two transactions
    locking several products cannot deadlock. ``NO KEY UPDATE`` leaves new
    moves that merely reference the product free to insert. A query is run
    by the server inside the lock statement (and not at all on SQLite).
    Whoever locks stock is about to change it: the ledger lock comes first,
    so every transaction takes its locks in one order.

    ``then`` is a prepared query and its values, run once the locks are held
    (in the same round trip on PostgreSQL): its rows are returned.
    """
    if not store.is_postgres:
        return then[0].rows(**then[1]) if then else None
    if isinstance(products, SelectQuery):
        sql, params = store.db.get_sql_context().sql(products).query()
        wanted = f"IN ({sql})"
    else:
        params = sorted({product if isinstance(product, int) else product.id for product in products})
        p = store.db.param
        wanted = f"= {p}" if len(params) == 1 else f"IN ({', '.join(p for _ in params)})"
    statements = [_WRITE_LEDGER]
    if params or isinstance(products, SelectQuery):
        statements.append(f"SELECT id FROM product WHERE id {wanted} ORDER BY id FOR NO KEY UPDATE")
    if then:
        then_sql, then_params = then[0].statement(**then[1])
        statements.append(then_sql)
        params = [*params, *then_params]
    # one round trip: the server runs the statements in order; the cursor holds the last one's rows
    cursor = store.db.execute_sql("; ".join(statements), params)
    return then[0].read(cursor) if then else None


def write_ledger(store: Store) -> None:
    """Mark this transaction as one that adds done moves, before it adds any (see ``hold_ledger``)."""
    if store.is_postgres:
        store.db.execute_sql(_WRITE_LEDGER)


def hold_ledger(store: Store) -> None:
    """Wait until every transaction adding done moves has ended, and keep new ones out until this one ends.

    For a count taking its mark: a move whose id it allots before the count
    begins must also be committed by then. Moves are numbered when inserted and
    committed later, and on PostgreSQL another transaction may sit in between.
    """
    if store.is_postgres:
        store.db.execute_sql("SELECT pg_advisory_xact_lock(hashtext(current_schema()), 72)")


def is_transient(error: BaseException) -> bool:
    """Whether the server aborted a transaction that may succeed if run again."""
    causes = (error, *error.args, error.__cause__, error.__context__)
    return any(getattr(cause, "pgcode", None) in TRANSIENT for cause in causes)


def retried(function: Callable[P, R]) -> Callable[P, R]:
    """Run a store function (whose first argument is the ``Store``) again when the server aborts it.

    Only the outermost transaction is retried: inside another one the error
    goes up to it. After ``ATTEMPTS`` tries the caller gets ``ConcurrentUpdate``,
    with nothing applied.
    """

    @wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        store: Store = args[0]  # type: ignore[assignment]
        for attempt in range(ATTEMPTS):
            try:
                return function(*args, **kwargs)
            except DatabaseError as error:
                if not is_transient(error) or store.db.in_transaction():
                    raise
                time.sleep(0.01 * 2**attempt)
        raise ConcurrentUpdate(
            "other terminals kept changing the same stock at the same moment; nothing was saved, try again"
        )

    return run
