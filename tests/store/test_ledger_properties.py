"""Properties of the ledger for any sequence of done moves, checked against sums computed in Python."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.catalog import create_product, get_product
from store.database import Store, open_store
from store.locations import create_location, get_location, subtree
from store.moves import post_move
from store.stock import location_on_hand, on_hand
from store.units import get_uom

START = datetime(2025, 9, 1, tzinfo=UTC)
SPAN_SECONDS = 200 * 86_400  # about seven months, across many period (month) boundaries
# storage bins under WH/STOCK (one with a child), plus the virtual locations
PLACES = ("WH/IN", "WH/STOCK", "WH/OUT", "A", "A-1", "B", "WH/LOST", "SUPPLIER", "CUSTOMER", "PRODUCTION")
PRODUCTS = ("P1", "P2", "P3")

moves = st.lists(
    st.tuples(
        st.sampled_from(PRODUCTS),
        st.integers(min_value=1, max_value=100_000).map(lambda n: Decimal(n).scaleb(-3)),  # 0.001 .. 100
        st.sampled_from(PLACES),
        st.sampled_from(PLACES),
        st.integers(min_value=0, max_value=SPAN_SECONDS * 1_000_000),
    ).filter(lambda move: move[2] != move[3]),
    max_size=25,
)
probes = st.lists(st.integers(min_value=-86_400 * 1_000_000, max_value=SPAN_SECONDS * 1_000_000), min_size=1, max_size=4)


def build(path: Path) -> Store:
    """A fresh store: warehouse WH allowing negative stock, bins A (with child A-1) and B, three products."""
    store = open_store(f"sqlite:///{path}", operator="prop")
    create_location(store, "WH", "WH", "warehouse")  # negative stock allowed
    create_location(store, "A", "A", "storage", parent=get_location("WH/STOCK"))
    create_location(store, "A-1", "A-1", "storage", parent=get_location("A"))
    create_location(store, "B", "B", "storage", parent=get_location("WH/STOCK"))
    for code in PRODUCTS:
        create_product(store, code, code, get_uom("kg"))
    return store


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ledger=moves, times=probes)
def test_on_hand_is_the_sum_of_moves_everywhere_and_at_any_time(tmp_path_factory, ledger, times):
    store = build(tmp_path_factory.mktemp("prop") / "ledger.db")
    try:
        places = {code: get_location(code) for code in ("WH", *PLACES)}
        products = {code: get_product(code) for code in PRODUCTS}
        for product, quantity, source, destination, micros in ledger:
            at = START + timedelta(microseconds=micros)
            post_move(store, products[product], quantity, places[source], places[destination], at=at)

        def expected(product: str, place: str, until: int | None = None) -> Decimal:
            total = Decimal(0)
            for code, quantity, source, destination, micros in ledger:
                if code == product and (until is None or micros <= until):
                    total += (quantity if destination == place else 0) - (quantity if source == place else 0)
            return total

        for product, item in products.items():
            own = {place: on_hand(store, item, places[place], children=False) for place in places}
            assert own == {place: expected(product, place) for place in places}
            assert sum(own.values()) == 0  # every move leaves somewhere and arrives somewhere
            for place, location in places.items():
                inside = [loc.code for loc in subtree(location)]
                assert on_hand(store, item, location) == sum(own[code] for code in inside)
                for micros in times:
                    at = START + timedelta(microseconds=micros)
                    assert on_hand(store, item, location, at=at, children=False) == expected(product, place, micros)
        for place, location in places.items():
            grouped = location_on_hand(store, location, children=False)
            assert {code: grouped.get(item.id, Decimal(0)) for code, item in products.items()} == {
                product: expected(product, place) for product in PRODUCTS
            }
    finally:
        store.close()
