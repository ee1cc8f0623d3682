"""How many statements the busiest paths send to the database: one more round trip fails here.

On PostgreSQL every statement is a round trip to the server, and with several
terminals on one server they decide how many scans and moves a second the
stock room gets through (``bench/run shared``). The counts include BEGIN and
COMMIT and are pinned per engine: SQLite takes no row locks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest

from store.catalog import get_product
from store.counting import record_scan, start_session
from store.database import Store
from store.locations import get_location
from store.moves import assign_move, do_move, plan_move, post_move
from store.pick_scans import record_pick_scan
from store.picking import assign, create_pick_list
from store.scanned import Reading
from store.transfers import transfer
from tests.conftest import on_postgres

D = Decimal
BEANS = "5901234123457"


def scan(code: str) -> Reading:
    return Reading(raw=code, code=code)


@contextmanager
def statements(store: Store) -> Iterator[list[str]]:
    """The statements the store's connection runs inside the block (each row of an ``executemany`` counts)."""
    sent: list[str] = []
    cursor = store.db.cursor

    class Counted:
        def __init__(self, real) -> None:
            self.real = real

        def execute(self, sql, params=()):
            sent.append(sql)
            return self.real.execute(sql, params)

        def executemany(self, sql, rows):
            rows = list(rows)
            sent.extend([sql] * len(rows))
            return self.real.executemany(sql, rows)

        def __getattr__(self, name):
            return getattr(self.real, name)

        def __iter__(self):
            return iter(self.real)

    store.db.cursor = lambda *args, **kwargs: Counted(cursor(*args, **kwargs))
    try:
        yield sent
    finally:
        del store.db.cursor


def pinned(sqlite: int, postgres: int) -> int:
    return postgres if on_postgres else sqlite


@pytest.fixture
def stocked(shop):
    """A-01 holds 20 beans, A-02 holds 10."""
    post_move(shop, get_product("BEANS"), D(20), get_location("SUPPLIER"), get_location("A-01"))
    post_move(shop, get_product("BEANS"), D(10), get_location("SUPPLIER"), get_location("A-02"))
    return shop


def check(sent: list[str], expected: int) -> None:
    assert len(sent) == expected, "\n".join(sent)


def test_a_count_scan_takes_seven_statements(stocked):
    session = start_session(stocked, get_location("WH/STOCK"), children=True)
    with statements(stocked) as sent:
        record_scan(stocked, session, scan("LOC-A01"))
    check(sent, pinned(sqlite=6, postgres=6))  # BEGIN, session, locations, subtree, record, COMMIT
    record_scan(stocked, session, scan(BEANS))
    with statements(stocked) as sent:
        outcome = record_scan(stocked, session, scan(BEANS))
    assert (outcome.location.code, outcome.line_total) == ("A-01", 2)
    check(sent, pinned(sqlite=7, postgres=7))  # BEGIN, session, locations, barcode, record, line, COMMIT


def test_a_pick_scan_takes_eleven_statements(stocked):
    pick = create_pick_list(stocked, "P-1", get_location("WH"), [(get_product("BEANS"), D(25))])
    assign(stocked, pick)
    with statements(stocked) as sent:
        record_pick_scan(stocked, pick, scan("LOC-A01"))
    check(sent, pinned(sqlite=10, postgres=10))
    record_pick_scan(stocked, pick, scan(BEANS))
    with statements(stocked) as sent:
        outcome = record_pick_scan(stocked, pick, scan(BEANS))
    assert (outcome.stop.location.code, outcome.stop.picked) == ("A-01", 2)
    check(sent, pinned(sqlite=11, postgres=11))


def test_moves_take_one_statement_per_check_and_one_for_the_period_cache(stocked):
    beans, supplier, a01, a02 = get_product("BEANS"), get_location("SUPPLIER"), get_location("A-01"), get_location("A-02")
    beans.uom  # noqa: B018 -- the product's unit, as a terminal holding the product has it
    with statements(stocked) as sent:
        post_move(stocked, beans, D(5), supplier, a01)
    check(sent, pinned(sqlite=4, postgres=5))  # BEGIN, (locks,) move, period cache, COMMIT
    with statements(stocked) as sent:
        transfer(stocked, beans, D(5), a01, a02)
    check(sent, pinned(sqlite=5, postgres=6))  # and the available quantity
    move = plan_move(stocked, beans, D(3), a02, get_location("WH/OUT"))
    with statements(stocked) as sent:
        assign_move(stocked, move)
    check(sent, pinned(sqlite=5, postgres=5))  # BEGIN, (locks with) the move, available, update, COMMIT
    with statements(stocked) as sent:
        do_move(stocked, move)
    check(sent, pinned(sqlite=6, postgres=6))  # BEGIN, (locks with) the move, on hand, update, period cache, COMMIT
