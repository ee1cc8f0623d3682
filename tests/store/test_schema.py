"""Opening databases of older and newer schema versions."""

from __future__ import annotations

import sqlite3

import pytest

from store import schema
from store.database import open_store
from store.errors import SchemaError
from store.models import DEFAULT_ADJUSTMENT_REASONS, MOVE_PAST_INDEX, AdjustmentReason, Setting


def test_new_database_records_the_current_version_and_sqlite_settings(store):
    assert Setting.get_by_id("schema_version").value == str(schema.SCHEMA_VERSION)
    pragmas = {name: store.db.execute_sql(f"PRAGMA {name}").fetchone()[0]
               for name in ("journal_mode", "synchronous", "foreign_keys")}
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}


def indexes(db) -> set[str]:
    return {row[0] for row in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}


def test_version_one_database_is_migrated_forward_keeping_its_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    opened = open_store(url)
    current = indexes(opened.db)
    opened.db.execute_sql("INSERT INTO product (code, name, uom_id, category, stock_keeping, active)"
                          " VALUES ('OLD', 'Old product', 1, '', 1, 1)")
    # what a version 1 database looked like: no counting, no index for on hand in the past
    opened.db.drop_tables(list(schema.COUNT_MODELS))
    opened.db.execute_sql(f"DROP INDEX {MOVE_PAST_INDEX}")
    Setting.replace(key="schema_version", value="1").execute()
    opened.close()

    reopened = open_store(url)
    assert Setting.get_by_id("schema_version").value == str(schema.SCHEMA_VERSION)
    assert reopened.db.table_exists("count_session") and reopened.db.table_exists("count_record")
    assert indexes(reopened.db) == current
    assert reopened.db.execute_sql("SELECT name FROM product WHERE code = 'OLD'").fetchone() == ("Old product",)


def test_database_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "new.db"
    open_store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE setting SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(SchemaError, match="newer Stockroom"):
        open_store(f"sqlite:///{path}")
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT value FROM setting WHERE key = 'schema_version'").fetchone() == ("99",)


def test_a_sqlite_url_without_a_path_is_refused():
    with pytest.raises(Exception, match="needs a path"):
        open_store("sqlite://stock.db")


def test_version_three_database_gains_pick_lists_and_the_default_adjustment_reasons(tmp_path):
    url = f"sqlite:///{tmp_path / 'v3.db'}"
    opened = open_store(url)
    assert AdjustmentReason.select().count() == len(DEFAULT_ADJUSTMENT_REASONS)  # a new database has them too
    opened.db.drop_tables(list(schema.PICK_MODELS))
    Setting.replace(key="schema_version", value="3").execute()
    opened.close()

    reopened = open_store(url)
    assert all(reopened.db.table_exists(name) for name in ("pick_list", "pick_line", "pick_record"))
    assert {r.code for r in AdjustmentReason.select()} == {code for code, _ in DEFAULT_ADJUSTMENT_REASONS}
