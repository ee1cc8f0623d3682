"""Shared fixtures: every test gets its own real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from store.catalog import create_product
from store.database import Store, open_store
from store.locations import create_location, get_location
from store.units import get_uom


@pytest.fixture
def db_url(tmp_path) -> str:
    """A URL for a fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'stock.db'}"


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
