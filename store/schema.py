"""Schema creation, its version, and the migrations that bring an older database forward."""

from __future__ import annotations

from collections.abc import Callable

from peewee import Database, PostgresqlDatabase

from store.clock import PERIOD_MICROS, RUNNING_TOTAL
from store.errors import SchemaError
from store.models import (
    COUNT_MODELS,
    DEFAULT_ADJUSTMENT_REASONS,
    MODELS,
    MOVE_PAST_INDEX,
    OPERATOR_MODELS,
    PICK_MODELS,
    SUPPLY_MODELS,
    AdjustmentReason,
    Setting,
)

SCHEMA_VERSION = 10

# MIGRATIONS[n] brings a database at version n to version n + 1. A new
# database is created at SCHEMA_VERSION directly from the models.


def _add_counting(db: Database) -> None:
    """Version 2: count sessions and their log of scans."""
    db.create_tables(COUNT_MODELS)


def _index_moves_by_product_and_date(db: Database) -> None:
    """Version 3: on hand in the past reads one product's moves of one period through this index."""
    db.execute_sql(
        f"CREATE INDEX IF NOT EXISTS {MOVE_PAST_INDEX} "
        "ON move (product_id, effective_at, state, to_location_id, from_location_id, quantity)"
    )


def _weekly_periods(db: Database) -> None:
    """Version 4: the period cache keeps weeks, not months, so a past query reads a week of moves.

    The cache is rebuilt from the ledger, which it must always equal.
    """
    db.execute_sql("DELETE FROM stock_period")
    db.execute_sql(
        "INSERT INTO stock_period (product_id, location_id, period, quantity) "
        "SELECT product_id, location_id, period, SUM(q) FROM ("
        f" SELECT product_id, to_location_id AS location_id, effective_at / {PERIOD_MICROS} AS period, quantity AS q"
        "  FROM move WHERE state = 'done'"
        " UNION ALL"
        f" SELECT product_id, from_location_id, effective_at / {PERIOD_MICROS}, -quantity"
        "  FROM move WHERE state = 'done'"
        ") AS x GROUP BY product_id, location_id, period"
    )


def _add_supply(db: Database) -> None:
    """Version 5: supply orders, their status history, templates, receipts and their log of scans."""
    db.create_tables(SUPPLY_MODELS)


def _add_picking(db: Database) -> None:
    """Version 6: pick lists, their lines and scan log, and the labels of stock adjustments (with defaults)."""
    db.create_tables(PICK_MODELS)
    rows = [{"code": code, "direction": direction} for code, direction in DEFAULT_ADJUSTMENT_REASONS]
    AdjustmentReason.insert_many(rows).on_conflict_ignore().execute()


RUNNING_TOTAL_INDEX = (
    "CREATE INDEX IF NOT EXISTS stock_period_now ON stock_period (location_id, product_id, quantity) "
    f"WHERE period = {RUNNING_TOTAL}"
)
"""On hand now of a location's products, read from this index alone."""


def _running_totals(db: Database) -> None:
    """Version 7: one more cache row per product and location, its running total, so on hand now reads one row."""
    db.execute_sql(RUNNING_TOTAL_INDEX)
    db.execute_sql(
        "INSERT INTO stock_period (product_id, location_id, period, quantity) "
        f"SELECT product_id, location_id, {RUNNING_TOTAL}, SUM(quantity) FROM stock_period "
        "GROUP BY product_id, location_id"
    )


def _cost_in_past_index(db: Database) -> None:
    """Version 8: the product-and-date index of moves carries the unit cost, so a cost replay reads it alone."""
    db.execute_sql(f"DROP INDEX {MOVE_PAST_INDEX}")
    db.execute_sql(
        f"CREATE INDEX {MOVE_PAST_INDEX} "
        "ON move (product_id, effective_at, state, to_location_id, from_location_id, quantity, unit_cost)"
    )


def _add_operators(db: Database) -> None:
    """Version 9: operators with a badge, a hashed PIN and a role (none at first: the store runs as before)."""
    db.create_tables(OPERATOR_MODELS)


def _scan_client_ids(db: Database) -> None:
    """Version 10: count, receipt and pick scans keep the id their terminal gave them, so a scan written twice is saved once.

    (A log created by an earlier step of the same migration has it already.)
    """
    for table in ("count_record", "receipt_record", "pick_record"):
        if "client_id" not in {column.name for column in db.get_columns(table)}:
            db.execute_sql(f"ALTER TABLE {table} ADD COLUMN client_id VARCHAR(255)")
        db.execute_sql(f"CREATE UNIQUE INDEX IF NOT EXISTS {table}_client_id ON {table} (client_id)")


MIGRATIONS: dict[int, Callable[[Database], None]] = {
    1: _add_counting,
    2: _index_moves_by_product_and_date,
    3: _weekly_periods,
    4: _add_supply,
    5: _add_picking,
    6: _running_totals,
    7: _cost_in_past_index,
    8: _add_operators,
    9: _scan_client_ids,
}

_SQLITE_GUARDS = (
    """CREATE TRIGGER IF NOT EXISTS move_done_no_update BEFORE UPDATE ON move
       WHEN OLD.state = 'done'
       BEGIN SELECT RAISE(ABORT, 'done moves are immutable'); END""",
    """CREATE TRIGGER IF NOT EXISTS move_done_no_delete BEFORE DELETE ON move
       WHEN OLD.state = 'done'
       BEGIN SELECT RAISE(ABORT, 'done moves are immutable'); END""",
)

_POSTGRES_GUARDS = (
    """CREATE OR REPLACE FUNCTION move_done_immutable() RETURNS trigger AS $$
       BEGIN
         IF OLD.state = 'done' THEN
           RAISE EXCEPTION 'done moves are immutable' USING ERRCODE = 'integrity_constraint_violation';
         END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS move_done_immutable ON move",
    """CREATE TRIGGER move_done_immutable BEFORE UPDATE OR DELETE ON move
       FOR EACH ROW EXECUTE FUNCTION move_done_immutable()""",
)

_OPEN_MOVE_INDEXES = (
    "CREATE INDEX IF NOT EXISTS move_open_out ON move (product_id, from_location_id, planned_at)"
    " WHERE state IN ('draft', 'assigned')",
    "CREATE INDEX IF NOT EXISTS move_open_in ON move (product_id, to_location_id, planned_at)"
    " WHERE state IN ('draft', 'assigned')",
)


def schema_version(db: Database) -> int | None:
    """The version recorded in the database, or None for an empty database."""
    if not db.table_exists(Setting._meta.table_name):
        return None
    row = Setting.get_or_none(Setting.key == "schema_version")
    return int(row.value) if row else None


def prepare(db: Database) -> None:
    """Create a new database, migrate an older one forward, or refuse a newer one.

    Everything happens in one transaction: a failed migration leaves the
    database as it was.
    """
    version = schema_version(db)
    if version is not None and version > SCHEMA_VERSION:
        raise SchemaError(
            f"this database was written by a newer Stockroom (schema {version}; this version knows "
            f"up to {SCHEMA_VERSION}): upgrade Stockroom to open it"
        )
    if version == SCHEMA_VERSION:
        return
    with db.atomic():
        hold_setup_lock(db)
        version = schema_version(db)  # another process may have prepared it while this one waited
        if version == SCHEMA_VERSION:
            return
        if version is None:
            db.create_tables(MODELS)
            _install_guards(db)
            _add_picking(db)  # only its default adjustment labels are still missing
        else:
            for step in range(version, SCHEMA_VERSION):
                MIGRATIONS[step](db)
        Setting.insert(key="schema_version", value=str(SCHEMA_VERSION)).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: str(SCHEMA_VERSION)}
        ).execute()


def hold_setup_lock(db: Database) -> None:
    """On PostgreSQL, make processes that set up or migrate one database at the same moment take turns.

    Held until the transaction ends; SQLite's write transaction already excludes the others.
    """
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql("SELECT pg_advisory_xact_lock(hashtext(current_schema()), 71)")


def _install_guards(db: Database) -> None:
    """Database-level rules: done moves cannot change, open moves are indexed."""
    guards = _POSTGRES_GUARDS if isinstance(db, PostgresqlDatabase) else _SQLITE_GUARDS
    for statement in (*guards, *_OPEN_MOVE_INDEXES, RUNNING_TOTAL_INDEX):
        db.execute_sql(statement)
