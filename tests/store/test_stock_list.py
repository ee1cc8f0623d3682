"""The stock list: one line per product and storage location, searchable, low stock marked."""

from __future__ import annotations

from decimal import Decimal

from store.catalog import get_product
from store.locations import get_location
from store.models import Product
from store.moves import assign_move, plan_move, post_move
from store.stock_list import low_products, stock_lines, stock_search

D = Decimal


def test_lines_per_product_and_location(shop):
    beans, flour = get_product("BEANS"), get_product("FLOUR-500")
    a1, a2, supplier, customer = (get_location(c) for c in ("A-01", "A-02", "SUPPLIER", "CUSTOMER"))
    post_move(shop, beans, D(24), supplier, a1)
    post_move(shop, beans, D(4), a1, a2)
    post_move(shop, flour, D(3), supplier, a2)
    assign_move(shop, plan_move(shop, beans, D(5), a1, customer))

    lines = stock_lines(shop)
    assert [(x.product_code, x.location_code, x.on_hand, x.reserved, x.available, x.uom) for x in lines] == [
        ("BEANS", "A-01", 20, 5, 15, "pc"),
        ("BEANS", "A-02", 4, 0, 4, "pc"),
        ("FLOUR-500", "A-02", 3, 0, 3, "bag500g"),
    ]
    assert [x.location_code for x in stock_lines(shop, under=a2)] == ["A-02", "A-02"]
    # virtual locations (supplier, customer) are not stock
    assert {x.location_code for x in lines} == {"A-01", "A-02"}


def test_search_by_code_name_and_barcode(shop):
    beans, flour = get_product("BEANS"), get_product("FLOUR-500")
    supplier, a1 = get_location("SUPPLIER"), get_location("A-01")
    post_move(shop, beans, D(2), supplier, a1)
    post_move(shop, flour, D(2), supplier, a1)
    assert {x.product_code for x in stock_lines(shop, "flo")} == {"FLOUR-500"}
    assert {x.product_code for x in stock_lines(shop, "TIN")} == {"BEANS"}  # name, any case
    assert {x.product_code for x in stock_lines(shop, "15901234123454")} == {"BEANS"}  # case GTIN-14
    assert {x.product_code for x in stock_lines(shop, "05901234123457")} == {"BEANS"}  # EAN-13 as GTIN-14
    assert stock_lines(shop, "%") == []  # LIKE wildcards are taken literally
    assert stock_lines(shop, "nothing") == []


def test_low_stock_marks_lines_and_keeps_sold_out_bins(shop):
    beans, a1, a2 = get_product("BEANS"), get_location("A-01"), get_location("A-02")
    Product.update(low_stock=D(10)).where(Product.id == beans.id).execute()
    post_move(shop, beans, D(12), get_location("SUPPLIER"), a1)
    post_move(shop, beans, D(3), a1, a2)
    assert [x.low for x in stock_lines(shop)] == [False, False]  # 12 in all
    post_move(shop, beans, D(3), a2, get_location("CUSTOMER"))
    lines = stock_lines(shop)
    assert [(x.location_code, x.on_hand, x.low) for x in lines] == [("A-01", 9, True), ("A-02", 0, True)]
    assert low_products(lines) == 1  # one product to reorder, however many bins hold it


def test_a_search_naming_no_product_but_a_location_lists_what_it_holds(shop):
    beans, a1 = get_product("BEANS"), get_location("A-01")
    post_move(shop, beans, D(12), get_location("SUPPLIER"), a1)
    a1.barcode = "LOC-A01"
    a1.save()
    location, lines = stock_search(shop, "LOC-A01")
    assert location == a1 and [(x.product_code, x.location_code, x.on_hand) for x in lines] == [("BEANS", "A-01", 12)]
    assert stock_search(shop, "A-02") == (get_location("A-02"), [])  # named, and empty
    assert stock_search(shop, "BEANS")[0] is None  # a product first
    assert stock_search(shop, "nothing") == (None, [])
