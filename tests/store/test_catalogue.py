"""The catalogue kept by hand: finding products, editing products, barcodes and locations, stock and history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from store.catalog import add_barcode, create_product, get_product
from store.errors import InvalidValue, NotFound, StockError
from store.location_edit import LocationChange, location_tree, update_location
from store.locations import create_location, get_location
from store.models import Barcode
from store.moves import assign_move, plan_move, post_move
from store.product_edit import ProductChange, remove_barcode, update_product
from store.product_search import product_for_scan, search_products
from store.product_views import location_stock, product_stock, recent_moves
from store.scanned import Reading
from store.stock import on_hand
from store.stock_history import stock_history
from store.units import get_uom

D = Decimal
BEANS, BEANS_CASE = "5901234123457", "15901234123454"


def codes(rows) -> list[str]:
    return [row.code for row in rows]


def test_search_by_code_name_barcode_and_scan(shop):
    create_product(shop, "BEAN-PASTE", "Red paste", get_uom("pc"))
    assert codes(search_products("bean")) == ["BEAN-PASTE", "BEANS"]
    assert codes(search_products("TIN")) == ["BEANS"]  # the name, any case
    assert codes(search_products("123457")) == ["BEANS"]  # part of a barcode
    assert codes(search_products("BEANS"))[0] == "BEANS"  # the exact code first
    assert codes(search_products("05901234123457")) == ["BEANS"]  # a GTIN-14 form of the EAN-13
    assert codes(search_products("")) == ["BEAN-PASTE", "BEANS", "FLOUR-500"]
    assert search_products("nothing like it") == []
    assert product_for_scan(Reading(raw=BEANS_CASE, code=BEANS_CASE)).code == "BEANS"
    assert product_for_scan(Reading(raw="FLOUR-500")).code == "FLOUR-500"
    assert product_for_scan(Reading(raw="4000000000006")) is None


def test_update_fields_and_threshold(shop):
    beans = update_product(shop, get_product("BEANS"), ProductChange(name="Beans, tin 400 g", category="tins", low_stock=D(6)))
    assert (beans.name, beans.category, beans.low_stock) == ("Beans, tin 400 g", "tins", D(6))
    beans = update_product(shop, beans, ProductChange(low_stock=None))
    assert beans.low_stock is None and beans.name == "Beans, tin 400 g"
    with pytest.raises(InvalidValue, match="takes at most 0 decimals"):
        update_product(shop, beans, ProductChange(low_stock=D("2.5")))
    with pytest.raises(InvalidValue, match="zero or more"):
        update_product(shop, beans, ProductChange(low_stock=D(-1)))
    with pytest.raises(InvalidValue, match="product name is empty"):
        update_product(shop, beans, ProductChange(name="  "))
    with pytest.raises(InvalidValue, match="control characters"):
        update_product(shop, beans, ProductChange(name="tin\x1b[2J"))
    assert get_product("BEANS").name == "Beans, tin 400 g"


def test_unit_changes_freely_until_the_product_is_used_then_only_to_the_same_amount(shop):
    flour = get_product("FLOUR-500")  # bag500g, a 1-per-scan barcode, no moves
    flour = update_product(shop, flour, ProductChange(uom=get_uom("kg")))
    assert flour.uom.code == "kg"
    flour = update_product(shop, flour, ProductChange(uom=get_uom("pc")))  # another category: nothing uses it yet
    assert flour.uom.code == "pc"
    post_move(shop, flour, D(3), get_location("SUPPLIER"), get_location("A-01"))
    with pytest.raises(InvalidValue, match="measures something else"):
        update_product(shop, flour, ProductChange(uom=get_uom("kg")))
    with pytest.raises(InvalidValue, match="would mean another amount"):
        update_product(shop, flour, ProductChange(uom=get_uom("case12")))  # same category, 12 times as much
    create_product(shop, "OIL", "Oil", get_uom("l"))
    oil = get_product("OIL")
    post_move(shop, oil, D("1.5"), get_location("SUPPLIER"), get_location("A-01"))
    assert get_product("FLOUR-500").uom.code == "pc" and oil.uom.code == "l"
    # a case barcode that the new unit cannot hold refuses the change
    bolts = create_product(shop, "BOLTS", "Bolts", get_uom("kg"), [("4000000000006", D("0.25"))])
    with pytest.raises(InvalidValue, match="takes at most 0 decimals"):
        update_product(shop, bolts, ProductChange(uom=get_uom("pc")))


def test_stock_keeping_and_archiving_refused_while_stock_or_open_moves(shop):
    beans = get_product("BEANS")
    post_move(shop, beans, D(5), get_location("SUPPLIER"), get_location("A-01"))
    with pytest.raises(InvalidValue, match="BEANS has 5 pc in stock: it cannot be archived"):
        update_product(shop, beans, ProductChange(active=False))
    with pytest.raises(InvalidValue, match="cannot be switched to not stock-kept"):
        update_product(shop, beans, ProductChange(stock_keeping=False))
    post_move(shop, beans, D(5), get_location("A-01"), get_location("CUSTOMER"))
    assign_move(shop, plan_move(shop, beans, D(1), get_location("SUPPLIER"), get_location("A-01")))
    with pytest.raises(InvalidValue, match="planned or reserved moves"):
        update_product(shop, beans, ProductChange(active=False))
    flour = update_product(shop, get_product("FLOUR-500"), ProductChange(active=False, stock_keeping=False))
    assert (flour.active, flour.stock_keeping) == (False, False)
    assert update_product(shop, flour, ProductChange(active=True)).active


def test_barcodes_added_checked_and_removed(shop):
    beans = get_product("BEANS")
    with pytest.raises(InvalidValue, match="wrong check digit, expected 7"):
        add_barcode(shop, beans, "5901234123450")
    with pytest.raises(InvalidValue, match="already belongs to FLOUR-500"):
        add_barcode(shop, beans, "4006381333931")
    with pytest.raises(InvalidValue, match="takes at most 0 decimals"):
        add_barcode(shop, beans, "PACK-HALF", D("0.5"))
    with pytest.raises(InvalidValue, match="already on BEANS for 12 per scan"):
        add_barcode(shop, beans, BEANS_CASE, D(6))
    add_barcode(shop, beans, "40000008", D(6))  # an EAN-8 on a tray of 6
    assert product_for_scan(Reading(raw="40000008")).code == "BEANS"
    remove_barcode(shop, beans, BEANS_CASE)
    assert sorted(b.code for b in Barcode.select().where(Barcode.product == beans.id)) == ["40000008", BEANS]
    with pytest.raises(NotFound, match="has no barcode"):
        remove_barcode(shop, beans, "4006381333931")  # FLOUR's: not taken off another product
    assert Barcode.get(Barcode.code == "4006381333931").product.code == "FLOUR-500"


def test_location_edits_and_their_refusals(shop):
    a1 = get_location("A-01")
    a1 = update_location(shop, a1, LocationChange(name="Aisle A, shelf 1", barcode="LOC-A1"))
    assert (a1.name, a1.barcode) == ("Aisle A, shelf 1", "LOC-A1")
    assert update_location(shop, a1, LocationChange(barcode="")).barcode is None
    with pytest.raises(InvalidValue, match="barcode LOC-A02 already labels A-02"):
        update_location(shop, a1, LocationChange(barcode="LOC-A02"))
    beans = get_product("BEANS")
    post_move(shop, beans, D(2), get_location("SUPPLIER"), a1)
    with pytest.raises(InvalidValue, match="A-01 holds stock \\(BEANS"):
        update_location(shop, a1, LocationChange(active=False))
    with pytest.raises(InvalidValue, match="WH/STOCK holds stock"):  # stock under it counts
        update_location(shop, get_location("WH/STOCK"), LocationChange(active=False))
    with pytest.raises(InvalidValue, match="stays active"):
        update_location(shop, get_location("SUPPLIER"), LocationChange(active=False))
    a2 = update_location(shop, get_location("A-02"), LocationChange(active=False))
    assert not a2.active
    # negative stock somewhere: forbidding it first needs it cleared
    open_bin = create_location(shop, "B-01", "", "storage", parent=get_location("WH/STOCK"), allow_negative=True)
    post_move(shop, beans, D(1), open_bin, get_location("CUSTOMER"))
    with pytest.raises(InvalidValue, match="B-01 holds negative stock of BEANS"):
        update_location(shop, open_bin, LocationChange(allow_negative=False))
    assert update_location(shop, a1, LocationChange(allow_negative=True, name="A1")).allow_negative is True


def test_cost_method_changes_only_before_moves(shop):
    create_location(shop, "W2", "Second", "warehouse")
    w2 = update_location(shop, get_location("W2"), LocationChange(cost_method="avco"))
    assert w2.cost_method == "avco"
    with pytest.raises(InvalidValue, match="only a warehouse has a cost method"):
        update_location(shop, get_location("A-01"), LocationChange(cost_method="lifo"))
    post_move(shop, get_product("BEANS"), D(1), get_location("SUPPLIER"), get_location("W2/STOCK"))
    with pytest.raises(InvalidValue, match="already has stock moves: its cost method stays avco"):
        update_location(shop, w2, LocationChange(cost_method="fifo"))


def test_new_child_locations_keep_the_type_rules(shop):
    with pytest.raises(InvalidValue, match="cannot be under the virtual location SUPPLIER"):
        create_location(shop, "S-1", "x", "storage", parent=get_location("SUPPLIER"))
    with pytest.raises(InvalidValue, match="location name .* control characters"):
        create_location(shop, "A-03", "shelf\x07", "storage", parent=get_location("WH/STOCK"))
    create_location(shop, "A-03", "", "storage", parent=get_location("WH/STOCK"))
    assert get_location("A-03").name == "A-03"


def test_location_tree_is_in_tree_order(shop):
    tree = location_tree()
    order = [node.code for node in tree]
    assert order.index("WH") < order.index("WH/STOCK") < order.index("A-01") < order.index("A-02")
    parents = {node.id: node for node in tree}
    for node in tree:
        if node.parent_id is not None:
            assert order.index(parents[node.parent_id].code) < order.index(node.code)
    assert {node.code for node in tree if node.parent_id is None} >= {"WH", "WH/LOST", "SUPPLIER", "CUSTOMER"}


def test_stock_per_product_and_location_and_recent_moves(shop):
    beans, flour = get_product("BEANS"), get_product("FLOUR-500")
    a1, a2 = get_location("A-01"), get_location("A-02")
    post_move(shop, beans, D(24), get_location("SUPPLIER"), a1, reason="received")
    post_move(shop, beans, D(4), a1, a2)
    post_move(shop, flour, D(3), get_location("SUPPLIER"), a2)
    assign_move(shop, plan_move(shop, beans, D(5), a1, get_location("CUSTOMER")))
    assert [(s.location_code, s.on_hand, s.reserved) for s in product_stock(shop, beans)] == [
        ("A-01", 20, 5),
        ("A-02", 4, 0),
    ]
    stock = get_location("WH/STOCK")
    assert [(s.product_code, s.on_hand, s.reserved) for s in location_stock(shop, stock)] == [
        ("BEANS", 24, 5),
        ("FLOUR-500", 3, 0),
    ]
    assert [(s.product_code, s.on_hand) for s in location_stock(shop, a2)] == [("BEANS", 4), ("FLOUR-500", 3)]
    moves = recent_moves(shop, product=beans)
    assert [(m.source, m.destination, m.quantity) for m in moves] == [("A-01", "A-02", 4), ("SUPPLIER", "A-01", 24)]
    assert [(m.product_code, m.source) for m in recent_moves(shop, location=a2)] == [
        ("FLOUR-500", "SUPPLIER"),
        ("BEANS", "A-01"),
    ]
    assert len(recent_moves(shop, location=stock, limit=2)) == 2


def test_stock_history_matches_on_hand_day_by_day(shop):
    beans = get_product("BEANS")
    supplier, customer, a1, a2 = (get_location(c) for c in ("SUPPLIER", "CUSTOMER", "A-01", "A-02"))
    until = datetime.now(UTC) - timedelta(hours=1)
    start = until - timedelta(days=9)
    post_move(shop, beans, D(7), supplier, a1, at=start - timedelta(days=3))  # before the chart
    post_move(shop, beans, D(10), supplier, a1, at=start + timedelta(days=2, hours=5))
    post_move(shop, beans, D(4), a1, a2, at=start + timedelta(days=4))  # inside the warehouse: no change
    post_move(shop, beans, D(3), a1, customer, at=start + timedelta(days=6, minutes=1))
    post_move(shop, beans, D(2), a1, customer, at=until)  # exactly at the last moment: in it
    post_move(shop, beans, D(1), a2, customer)  # after ``until``: in none
    series = stock_history(shop, beans, 10, until=until)
    assert [at for at, _ in series] == [start + timedelta(days=i) for i in range(10)]
    assert [q for _, q in series] == [7, 7, 7, 17, 17, 17, 17, 14, 14, 12]
    storage = [get_location(c) for c in ("WH/IN", "WH/STOCK", "WH/OUT")]
    assert [q for _, q in series] == [sum(on_hand(shop, beans, loc, at=at) for loc in storage) for at, _ in series]
    a2_series = stock_history(shop, beans, 10, location=a2, until=until)
    assert [q for _, q in a2_series] == [on_hand(shop, beans, a2, at=at) for at, _ in a2_series]
    assert [q for _, q in a2_series][-1] == 4
    now_series = stock_history(shop, beans, 3)
    assert now_series[-1][1] == 11 and len(now_series) == 3
    with pytest.raises(StockError, match="1 to 3660 days"):
        stock_history(shop, beans, 0)


def test_a_scan_names_one_thing_bin_labels_and_product_barcodes_never_share_a_code(shop, tmp_path):
    beans = get_product("BEANS")
    flour_code = Barcode.get(Barcode.product == get_product("FLOUR-500").id).code
    with pytest.raises(InvalidValue, match=f"barcode {flour_code} belongs to product FLOUR-500"):
        update_location(shop, get_location("A-01"), LocationChange(barcode=flour_code))
    with pytest.raises(InvalidValue, match="belongs to product FLOUR-500"):
        create_location(shop, "A-09", "A-09", "storage", get_location("WH/STOCK"), barcode=flour_code)
    with pytest.raises(InvalidValue, match="LOC-A02 names location A-02"):
        add_barcode(shop, beans, "LOC-A02")
    with pytest.raises(InvalidValue, match="A-02 names location A-02"):  # a location's code scans too
        add_barcode(shop, beans, "A-02")
    assert get_location("A-01").barcode != flour_code and not Barcode.select().where(Barcode.code == "LOC-A02").exists()
