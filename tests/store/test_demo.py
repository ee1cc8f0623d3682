"""The demo stock room: valid catalogue, stock where it should be, a cache that matches the ledger."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from store.catalog import check_barcode, product_by_barcode
from store.clock import RUNNING_TOTAL
from store.database import open_store
from store.demo import create_demo, has_demo
from store.in_store_codes import in_store_region
from store.models import Barcode, Location, Move, Product, Uom
from store.scanned import Reading, scanned_product
from store.stock import location_on_hand, location_reserved
from store.supply import order_lines, orders

END = datetime(2026, 3, 31, 18, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One demo store for the whole module (it takes a couple of seconds to build)."""
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}", operator="demo")
    store.posted = create_demo(store, end=END)
    yield store
    store.close()


def test_catalogue(demo):
    assert has_demo(demo)
    assert Product.select().count() == 300
    assert {p.category for p in Product.select()} >= {"dry goods", "dairy", "drinks", "cleaning", "produce"}
    assert {p.uom.code for p in Product.select()} == {"pc", "kg", "l", "bag500g"}
    assert Product.select().where(Product.low_stock.is_null(False)).count() > 100
    codes = [b.code for b in Barcode.select()]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert check_barcode(code) == code
        assert len(code) in (13, 14)
    case = Barcode.get(Barcode.quantity == 12)
    assert len(case.code) == 14 and product_by_barcode(case.code) == (case.product, 12)


def test_weighed_products_have_scale_labels_in_the_demo_region(demo):
    assert in_store_region() == "se"
    weighed = Product.select().join(Uom).where(Uom.code == "kg")
    assert weighed.count() > 20
    for product in weighed:
        scale = [b.code for b in product.barcodes if b.code.startswith("23")]
        assert len(scale) == 1 and scale[0].endswith("0000", 0, 12), (product.code, scale)
    piece = Reading(raw="a scale label", code=scale[0], weight_kg=Decimal("1.250"))  # the item, 1.250 kg of it
    assert scanned_product(piece) == (product, Decimal("1.250"))


def test_bins_and_history(demo):
    bins = Location.select().where(Location.barcode.startswith("LOC-"))
    assert bins.count() == 32
    assert Location.get(Location.barcode == "LOC-A-01").code == "A-01"
    assert 3000 < demo.posted < 8000
    reasons = {m.reason for m in Move.select(Move.reason).distinct()}
    assert {"received", "sold", "transfer"} <= reasons and reasons & {"damage", "theft"}
    assert all(m.unit_cost is not None for m in Move.select().where(Move.reason == "received"))
    first = Move.select().where(Move.state == "done").order_by(Move.effective_at).first().effective_at
    assert (END - first).days > 150
    assert Move.select().where(Move.state == "assigned").count() == 12


def test_stock_is_present_and_never_negative_where_forbidden(demo):
    stock = location_on_hand(demo, Location.get(Location.code == "WH"))
    assert sum(1 for q in stock.values() if q > 0) > 200
    for location in Location.select().where(Location.allow_negative == False):  # noqa: E712
        for product_id, quantity in location_on_hand(demo, location, children=False).items():
            assert quantity >= 0, (location.code, product_id, quantity)
        for product_id, quantity in location_reserved(demo, location, children=False).items():
            assert quantity <= location_on_hand(demo, location, children=False)[product_id]


def test_period_cache_matches_ledger(demo):
    ledger = demo.db.execute_sql(
        "SELECT product_id, loc, SUM(q) FROM ("
        " SELECT product_id, to_location_id AS loc, quantity AS q FROM move WHERE state = 'done'"
        " UNION ALL SELECT product_id, from_location_id, -quantity FROM move WHERE state = 'done')"
        " GROUP BY 1, 2 HAVING SUM(q) != 0"
    ).fetchall()
    for rows in (f"period < {RUNNING_TOTAL}", f"period = {RUNNING_TOTAL}"):  # the weeks, and the running totals
        cache = demo.db.execute_sql(
            f"SELECT product_id, location_id, SUM(quantity) FROM stock_period WHERE {rows} "
            "GROUP BY 1, 2 HAVING SUM(quantity) != 0"
        ).fetchall()
        assert sorted(ledger) == sorted(cache), rows


def test_same_seed_same_data(tmp_path):
    def digest(name: str) -> list[tuple]:
        store = open_store(f"sqlite:///{tmp_path / name}")
        create_demo(store, seed=7, end=END)
        rows = store.db.execute_sql(
            "SELECT product_id, from_location_id, to_location_id, quantity, effective_at, unit_cost, reason"
            " FROM move ORDER BY id"
        ).fetchall()
        store.close()
        return rows

    assert digest("a.db") == digest("b.db")


def test_supply_orders_to_receive_and_one_to_see_refused(demo):
    states = [order.state for order in orders()]
    assert states.count("pending") >= 1 and states.count("cancelled") == 1
    assert all(order_lines(order) for order in orders())
