"""Opening databases of older and newer schema versions."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from peewee import PostgresqlDatabase

from store import schema
from store.catalog import get_product
from store.clock import RUNNING_TOTAL
from store.counting import record_scan, start_session
from store.database import connect_url, open_store
from store.errors import SchemaError
from store.locations import get_location
from store.models import (
    DEFAULT_ADJUSTMENT_REASONS,
    MOVE_PAST_INDEX,
    AdjustmentReason,
    CountRecord,
    Operator,
    PickRecord,
    Setting,
)
from store.moves import post_move
from store.operators import add_operator, has_operators, login
from store.pick_scans import record_pick_scan
from store.picking import assign, create_pick_list
from store.scanned import Reading
from store.stock import on_hand
from tests.conftest import sqlite_only


def test_new_database_records_the_current_version(store):
    assert Setting.get_by_id("schema_version").value == str(schema.SCHEMA_VERSION)


@sqlite_only
def test_a_sqlite_database_is_durable_wal_with_foreign_keys(store):
    pragmas = {name: store.db.execute_sql(f"PRAGMA {name}").fetchone()[0]
               for name in ("journal_mode", "synchronous", "foreign_keys")}
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}


def indexes(db) -> set[str]:
    if isinstance(db, PostgresqlDatabase):
        sql = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'index'"
    return {row[0] for row in db.execute_sql(sql)}


def set_version(version: int) -> None:
    Setting.update(value=str(version)).where(Setting.key == "schema_version").execute()


def test_version_one_database_is_migrated_forward_keeping_its_data(make_db_url):
    url = make_db_url("old")
    opened = open_store(url)
    current = indexes(opened.db)
    opened.db.execute_sql("INSERT INTO product (code, name, uom_id, category, stock_keeping, active)"
                          " VALUES ('OLD', 'Old product', 1, '', TRUE, TRUE)")
    # what a version 1 database looked like: no counting, no supply orders, no index for on hand in the past
    opened.db.drop_tables([*schema.COUNT_MODELS, *schema.SUPPLY_MODELS])
    opened.db.execute_sql(f"DROP INDEX {MOVE_PAST_INDEX}")
    set_version(1)
    opened.close()

    reopened = open_store(url)
    assert Setting.get_by_id("schema_version").value == str(schema.SCHEMA_VERSION)
    assert reopened.db.table_exists("count_session") and reopened.db.table_exists("count_record")
    assert all(reopened.db.table_exists(model._meta.table_name) for model in schema.SUPPLY_MODELS)
    assert indexes(reopened.db) == current
    assert reopened.db.execute_sql("SELECT name FROM product WHERE code = 'OLD'").fetchone() == ("Old product",)


def test_database_from_a_newer_version_is_refused_untouched(make_db_url):
    url = make_db_url("new")
    opened = open_store(url)
    set_version(99)
    opened.close()
    with pytest.raises(SchemaError, match="newer Stockroom"):
        open_store(url)
    raw = connect_url(url)
    assert raw.execute_sql("SELECT value FROM setting WHERE key = 'schema_version'").fetchone() == ("99",)
    raw.close()


def test_a_sqlite_url_without_a_path_is_refused():
    with pytest.raises(Exception, match="needs a path"):
        open_store("sqlite://stock.db")


def test_version_three_monthly_period_cache_is_rebuilt_weekly_from_the_ledger(shop, db_url):
    beans, a1 = get_product("BEANS"), get_location("A-01")
    january, march = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 3, 15, tzinfo=UTC)
    post_move(shop, beans, Decimal(10), get_location("SUPPLIER"), a1, at=january)
    post_move(shop, beans, Decimal(4), a1, get_location("CUSTOMER"), at=march)
    # what version 3 kept: one row per month (yyyymm)
    shop.db.execute_sql("DELETE FROM stock_period")
    shop.db.execute_sql(
        "INSERT INTO stock_period (product_id, location_id, period, quantity) VALUES "
        f"({beans.id}, {a1.id}, 202601, 10000000), ({beans.id}, {a1.id}, 202603, -4000000)"
    )
    set_version(3)
    shop.close()

    reopened = open_store(db_url)
    assert on_hand(reopened, beans, a1) == 6
    assert on_hand(reopened, beans, a1, at=datetime(2026, 2, 1, tzinfo=UTC)) == 10
    assert on_hand(reopened, beans, get_location("SUPPLIER")) == -10


def test_version_five_database_gains_pick_lists_and_the_default_adjustment_reasons(make_db_url):
    url = make_db_url("v5")
    opened = open_store(url)
    assert AdjustmentReason.select().count() == len(DEFAULT_ADJUSTMENT_REASONS)  # a new database has them too
    opened.db.drop_tables(list(schema.PICK_MODELS))
    set_version(5)
    opened.close()

    reopened = open_store(url)
    assert all(reopened.db.table_exists(name) for name in ("pick_list", "pick_line", "pick_record"))
    assert {r.code for r in AdjustmentReason.select()} == {code for code, _ in DEFAULT_ADJUSTMENT_REASONS}


def test_version_six_database_gains_running_totals_equal_to_its_weeks(shop, db_url):
    beans, a1 = get_product("BEANS"), get_location("A-01")
    post_move(shop, beans, Decimal(10), get_location("SUPPLIER"), a1, at=datetime(2026, 1, 15, tzinfo=UTC))
    post_move(shop, beans, Decimal(4), a1, get_location("CUSTOMER"), at=datetime(2026, 3, 15, tzinfo=UTC))
    shop.db.execute_sql(f"DELETE FROM stock_period WHERE period = {RUNNING_TOTAL}")  # what version 6 kept
    set_version(6)
    shop.close()

    reopened = open_store(db_url)
    assert on_hand(reopened, beans, a1) == 6
    assert on_hand(reopened, beans, get_location("CUSTOMER")) == 4
    totals = reopened.db.execute_sql(
        f"SELECT location_id, quantity FROM stock_period WHERE period = {RUNNING_TOTAL} AND product_id = {beans.id}"
    ).fetchall()
    assert sorted(totals) == sorted([(a1.id, 6_000_000), (get_location("SUPPLIER").id, -10_000_000),
                                     (get_location("CUSTOMER").id, 4_000_000)])


def test_version_seven_database_gains_the_unit_cost_in_its_past_index(store, db_url):
    def columns() -> list[str]:
        [index] = [i for i in store.db.get_indexes("move") if i.name == MOVE_PAST_INDEX]
        return index.columns

    new = columns()
    assert new[-1] == "unit_cost"
    store.db.execute_sql(f"DROP INDEX {MOVE_PAST_INDEX}")  # what version 7 had
    store.db.execute_sql(
        f"CREATE INDEX {MOVE_PAST_INDEX} ON move (product_id, effective_at, state, to_location_id, from_location_id, quantity)"
    )
    set_version(7)
    store.close()

    store = open_store(db_url)
    assert columns() == new


def test_version_eight_database_gains_operators_and_keeps_running_without_them(make_db_url):
    url = make_db_url("v8")
    opened = open_store(url)
    opened.db.drop_tables([Operator])
    set_version(8)
    opened.close()

    reopened = open_store(url)
    assert Setting.get_by_id("schema_version").value == str(schema.SCHEMA_VERSION)
    assert reopened.db.table_exists("operator_account") and not has_operators()
    add_operator(reopened, "S1", "Sam", "supervisor", "1234")
    assert login(reopened, "S1", "1234").name == "Sam"


def test_version_nine_database_gains_unique_client_ids_on_its_count_receipt_and_pick_scans(shop, db_url):
    session = start_session(shop, get_location("A-01"))
    record_scan(shop, session, Reading(raw="5901234123457", code="5901234123457"))
    post_move(shop, get_product("BEANS"), Decimal(5), get_location("SUPPLIER"), get_location("A-01"))
    pick = create_pick_list(shop, "P-1", get_location("WH"), [(get_product("BEANS"), Decimal(3))])
    assign(shop, pick)
    record_pick_scan(shop, pick, Reading(raw="LOC-A01", code="LOC-A01"))
    new = indexes(shop.db)
    assert {"count_record_client_id", "receipt_record_client_id", "pick_record_client_id"} <= new
    for table in ("count_record", "receipt_record", "pick_record"):  # what version 9 had
        shop.db.execute_sql(f"DROP INDEX {table}_client_id")
        shop.db.execute_sql(f"ALTER TABLE {table} DROP COLUMN client_id")
    set_version(9)
    shop.close()

    reopened = open_store(db_url)
    assert indexes(reopened.db) == new
    assert [record.client_id for record in CountRecord.select()] == [None]  # scans saved before keep none
    reading = Reading(raw="5901234123457", code="5901234123457")
    first = record_scan(reopened, session, reading, client_id="a")
    assert record_scan(reopened, session, reading, client_id="a").record.id == first.record.id
    assert CountRecord.select().count() == 2
    assert [record.client_id for record in PickRecord.select()] == [None]
    record_pick_scan(reopened, pick, Reading(raw="LOC-A01", code="LOC-A01"))  # this terminal's bin
    beans = Reading(raw="5901234123457", code="5901234123457")
    taken = record_pick_scan(reopened, pick, beans, client_id="b")
    assert record_pick_scan(reopened, pick, beans, client_id="b").record.id == taken.record.id
    assert PickRecord.select().count() == 3
