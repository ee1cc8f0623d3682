"""Several terminals as several OS processes on one database: nothing is promised twice, nothing lost.

On SQLite the processes share one file (WAL); on PostgreSQL (``.ci/with-postgres``)
one schema on the server. Each process waits for a start file, so that they
all fire at the same moment.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from decimal import Decimal
from pathlib import Path

from store.catalog import get_product
from store.count_lines import count_state
from store.counting import get_session, start_session
from store.database import Store, open_store
from store.locations import get_location
from store.models import CountRecord, Move, Product, Uom
from store.moves import post_move
from store.stock import available, on_hand, reserved
from store.transactions import retried
from tests.conftest import postgres_only

TERMINAL = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from store.database import Store, open_store
    url, go, job, terminal = sys.argv[1:5]
    store = open_store(url, operator=f"worker-{terminal}", terminal=f"rf-{terminal}")
    while not Path(go).exists():
        time.sleep(0.002)
    """
)

JOBS = {
    "sell": """
        from decimal import Decimal
        from store.catalog import get_product
        from store.errors import InsufficientStock
        from store.locations import get_location
        from store.moves import post_move
        try:
            post_move(store, get_product("BEANS"), Decimal(6), get_location("A-02"), get_location("CUSTOMER"))
            print("sold")
        except InsufficientStock as refused:
            print("refused:", refused)
    """,
    "reserve": """
        from decimal import Decimal
        from store.catalog import get_product
        from store.errors import InsufficientStock
        from store.locations import get_location
        from store.moves import assign_move, plan_move
        move = plan_move(store, get_product("BEANS"), Decimal(6), get_location("A-02"), get_location("WH/OUT"))
        try:
            assign_move(store, move)
            print("reserved")
        except InsufficientStock as refused:
            print("refused:", refused)
    """,
    "scan": """
        from store.counting import get_session, record_scan
        from store.scanned import Reading
        session = get_session(sys.argv[5])
        for n in range(int(sys.argv[6])):
            code = "15901234123454" if n % 10 == 0 else "5901234123457"
            record_scan(store, session, Reading(raw=code, code=code))
        print("scanned")
    """,
    "open": """
        print("opened")
    """,
}


def run_terminals(url: str, tmp_path: Path, job: str, count: int, *extra: str) -> list[str]:
    """Start ``count`` processes doing ``job`` at once; returns what each printed (after all have ended)."""
    go = tmp_path / f"go-{job}"
    script = TERMINAL + textwrap.dedent(JOBS[job])
    children = [
        subprocess.Popen(
            [sys.executable, "-c", script, url, str(go), job, str(n), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=os.getcwd(),
        )
        for n in range(count)
    ]
    time.sleep(0.5)  # let every process open its connection
    go.touch()
    outputs = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        outputs.append(out.strip())
    return outputs


def test_four_terminals_selling_the_last_units_one_wins_and_nothing_goes_negative(shop, db_url, tmp_path):
    beans = get_product("BEANS")
    post_move(shop, beans, Decimal(6), get_location("SUPPLIER"), get_location("A-02"))
    outputs = run_terminals(db_url, tmp_path, "sell", 4)
    assert sorted(outputs)[-1] == "sold" and outputs.count("sold") == 1, outputs
    assert all(out == "refused: Only 0 pc of BEANS at A-02; 6 requested" for out in outputs if out != "sold")
    assert on_hand(shop, beans, get_location("A-02")) == 0
    assert on_hand(shop, beans, get_location("CUSTOMER")) == 6


def test_four_terminals_reserving_the_last_units_exactly_one_gets_them(shop, db_url, tmp_path):
    beans = get_product("BEANS")
    post_move(shop, beans, Decimal(6), get_location("SUPPLIER"), get_location("A-02"))
    outputs = run_terminals(db_url, tmp_path, "reserve", 4)
    assert outputs.count("reserved") == 1, outputs
    assert reserved(shop, beans, get_location("A-02")) == 6
    assert available(shop, beans, get_location("A-02")) == 0
    assert Move.select().where(Move.state == "assigned").count() == 1


def test_four_terminals_scanning_one_count_every_scan_counts_once(shop, db_url, tmp_path):
    session = start_session(shop, get_location("A-01"))
    outputs = run_terminals(db_url, tmp_path, "scan", 4, str(session.id), "40")
    assert outputs == ["scanned"] * 4
    [line] = count_state(shop, get_session(session.id)).lines
    assert line.counted == 4 * (4 * 12 + 36)  # per terminal: 4 cases of 12 and 36 single tins
    per_terminal = {
        terminal: CountRecord.select().where((CountRecord.terminal == terminal) & (CountRecord.kind == "add")).count()
        for terminal in (f"rf-{n}" for n in range(4))
    }
    assert per_terminal == {f"rf-{n}": 40 for n in range(4)}


def test_terminals_opening_a_new_database_at_once_set_it_up_once(make_db_url, tmp_path):
    url = make_db_url("fresh")
    assert run_terminals(url, tmp_path, "open", 4) == ["opened"] * 4
    store = open_store(url)
    assert Uom.select().where(Uom.code == "pc").count() == 1
    assert get_location("SUPPLIER").type == "supplier"
    store.close()


@postgres_only
def test_a_deadlock_between_two_terminals_is_run_again_until_both_are_through(shop):
    beans, flour = get_product("BEANS"), get_product("FLOUR-500")
    both_hold_one = threading.Barrier(2, timeout=10)
    attempts: list[str] = []

    @retried
    def take(store: Store, first: Product, second: Product) -> None:
        with store.atomic():
            attempts.append(first.code)
            post_move(store, first, Decimal(1), get_location("SUPPLIER"), get_location("A-01"))
            if len(attempts) <= 2:
                both_hold_one.wait()  # each holds its first product: the second lock closes the circle
            post_move(store, second, Decimal(1), get_location("SUPPLIER"), get_location("A-01"))

    def run(first: Product, second: Product) -> None:
        try:
            take(shop, first, second)
        finally:
            shop.close()

    threads = [threading.Thread(target=run, args=pair) for pair in ((beans, flour), (flour, beans))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(attempts) == 3  # the server aborted one of the two once; it ran again
    assert on_hand(shop, beans, get_location("A-01")) == 2
    assert on_hand(shop, flour, get_location("A-01")) == 2


@postgres_only
def test_a_count_begins_after_the_moves_numbered_before_it_are_committed(shop):
    """A move inserted before a count takes its mark, and committed only after, must not fall between."""
    beans = get_product("BEANS")
    inserted, starting = threading.Event(), threading.Event()
    posted: list[Move] = []

    def slow_sale() -> None:
        try:
            with shop.atomic():
                posted.append(post_move(shop, beans, Decimal(1), get_location("SUPPLIER"), get_location("A-01")))
                inserted.set()
                starting.wait(10)
                time.sleep(0.3)  # the count is trying to start meanwhile
        finally:
            shop.close()

    poster = threading.Thread(target=slow_sale)
    poster.start()
    assert inserted.wait(10)
    starting.set()
    session = start_session(shop, get_location("A-01"))
    poster.join()
    assert session.ledger_mark >= posted[0].id
