"""Shared fixtures: every test gets its own real database.

That is a SQLite file, or, when ``STOCKROOM_TEST_DB`` holds a PostgreSQL URL
(``.ci/with-postgres`` sets one), a schema of its own on that server, dropped
after the test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from urllib.parse import quote

import pytest

from store.catalog import create_product
from store.database import Store, open_store
from store.locations import create_location, get_location
from store.units import get_uom

SERVER = os.environ.get("STOCKROOM_TEST_DB", "")
on_postgres = SERVER.startswith(("postgresql://", "postgres://"))
sqlite_only = pytest.mark.skipif(on_postgres, reason="about SQLite files; this run is on PostgreSQL")
postgres_only = pytest.mark.skipif(not on_postgres, reason="about PostgreSQL; this run is on SQLite")


def _server_sql(statement: str) -> None:
    import psycopg2

    connection = psycopg2.connect(SERVER)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch) -> None:
    """Keep what the app writes in the user's data directory (offline journals) inside the test's own directory."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def make_db_url(tmp_path) -> Iterator[Callable[[str], str]]:
    """Make URLs of fresh, empty databases: SQLite files, or schemas on the test server."""
    schemas: list[str] = []

    def make(name: str = "stock") -> str:
        if not on_postgres:
            return f"sqlite:///{tmp_path / (name + '.db')}"
        schema = f"t_{uuid.uuid4().hex[:16]}"
        _server_sql(f"CREATE SCHEMA {schema}")
        schemas.append(schema)
        separator = "&" if "?" in SERVER else "?"
        return f"{SERVER}{separator}options={quote(f'-csearch_path={schema}')}"

    yield make
    for schema in schemas:
        _server_sql(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def db_url(make_db_url) -> str:
    """The URL of this test's fresh database."""
    return make_db_url("stock")


@pytest.fixture
def store(db_url) -> Iterator[Store]:
    """An empty store on a real SQLite file."""
    opened = open_store(db_url, operator="tester", terminal="test-1")
    yield opened
    opened.close()


@pytest.fixture
def shop(store):
    """A warehouse WH (negative stock forbidden) with bins A-01, A-02 under WH/STOCK and two products."""
    create_location(store, "WH", "Main", "warehouse", allow_negative=False)
    stock = get_location("WH/STOCK")
    create_location(store, "A-01", "Aisle A shelf 1", "storage", parent=stock, barcode="LOC-A01")
    create_location(store, "A-02", "Aisle A shelf 2", "storage", parent=stock, barcode="LOC-A02")
    create_product(store, "FLOUR-500", "Flour 500 g", get_uom("bag500g"), [("4006381333931", Decimal(1))])
    create_product(
        store, "BEANS", "Beans tin", get_uom("pc"), [("5901234123457", Decimal(1)), ("15901234123454", Decimal(12))]
    )
    return store
