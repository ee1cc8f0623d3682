"""Opening an older database migrates it forward to the current schema."""

from __future__ import annotations

import sqlite3

from store.database import open_store
from store.models import MOVE_PAST_INDEX
from store.schema import SCHEMA_VERSION


def move_indexes(path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def test_a_version_1_database_gets_the_index_for_past_on_hand(tmp_path):
    path = tmp_path / "old.db"
    open_store(f"sqlite:///{path}").close()
    current = move_indexes(path)
    with sqlite3.connect(path) as connection:  # what a version 1 database looked like
        connection.execute(f"DROP INDEX {MOVE_PAST_INDEX}")
        connection.execute("UPDATE setting SET value = '1' WHERE key = 'schema_version'")
    assert MOVE_PAST_INDEX not in move_indexes(path)
    open_store(f"sqlite:///{path}").close()
    assert move_indexes(path) == current
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT value FROM setting WHERE key = 'schema_version'").fetchone() == (
            str(SCHEMA_VERSION),
        )
