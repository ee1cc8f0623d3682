"""Exporting stock and moves: exact numbers, safe text cells, filters, and round trips through import."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from store.catalog import create_product, get_product
from store.csv_export import MOVE_COLUMNS, STOCK_COLUMNS, move_rows, stock_rows, write_csv
from store.csv_files import clean_text, safe_cell
from store.csv_import import import_locations, import_moves, import_products
from store.database import open_store
from store.errors import NotFound
from store.locations import get_location
from store.models import Location, Move, Product
from store.moves import assign_move, plan_move, post_move
from store.quantity import from_units, units_text
from store.units import get_uom

D = Decimal
T0 = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def as_csv(columns, rows) -> list[dict[str, str]]:
    out = io.StringIO()
    write_csv(out, columns, rows)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def receive_and_sell(shop) -> None:
    beans, supplier, a1, a2 = get_product("BEANS"), get_location("SUPPLIER"), get_location("A-01"), get_location("A-02")
    post_move(shop, beans, D(24), supplier, a1, reason="received", at=T0, unit_cost=D("0.80"))
    post_move(shop, beans, D(10), a1, a2, reason="transfer", at=T0 + timedelta(days=40))
    post_move(shop, beans, D(3), a2, get_location("CUSTOMER"), reason="sold", at=T0 + timedelta(days=41))
    post_move(shop, beans, D(1), a1, get_location("WH/LOST"), reason="damage", at=T0 + timedelta(days=42))


def test_stock_rows_per_storage_location_each_its_own(shop):
    receive_and_sell(shop)
    assign_move(shop, plan_move(shop, get_product("BEANS"), D(4), get_location("A-01"), get_location("CUSTOMER")))
    rows = as_csv(STOCK_COLUMNS, stock_rows(shop))
    assert rows == [
        {"product": "BEANS", "location": "A-01", "on_hand": "13", "reserved": "4", "available": "9", "uom": "pc"},
        {"product": "BEANS", "location": "A-02", "on_hand": "7", "reserved": "0", "available": "7", "uom": "pc"},
    ]


def test_stock_rows_of_a_subtree_virtual_locations_when_named_and_zero_rows(shop):
    receive_and_sell(shop)
    post_move(shop, get_product("BEANS"), D(7), get_location("A-02"), get_location("CUSTOMER"))
    by_place = {row["location"]: row["on_hand"] for row in as_csv(STOCK_COLUMNS, stock_rows(shop, location="WH"))}
    assert by_place == {"A-01": "13", "A-02": "0"}  # WH and WH/STOCK hold nothing themselves; no row repeats
    assert [r["on_hand"] for r in as_csv(STOCK_COLUMNS, stock_rows(shop, location="WH/LOST"))] == ["1"]
    assert as_csv(STOCK_COLUMNS, stock_rows(shop, product="FLOUR-500")) == []
    with pytest.raises(NotFound):
        stock_rows(shop, location="NOWHERE")  # refused before a single row is written


def test_stock_at_a_past_time(shop):
    receive_and_sell(shop)
    rows = as_csv(STOCK_COLUMNS, stock_rows(shop, at=T0 + timedelta(days=40, hours=1)))
    assert {row["location"]: row["on_hand"] for row in rows} == {"A-01": "14", "A-02": "10"}
    assert as_csv(STOCK_COLUMNS, stock_rows(shop, at=T0 - timedelta(days=1))) == []


def test_formula_like_text_is_neutralised_and_numbers_stay_numbers(shop):
    create_product(shop, "-X", "Minus", get_uom("kg"))
    create_product(shop, "=cmd|' /C calc'!A0", "Formula", get_uom("pc"))
    post_move(shop, get_product("-X"), D("8.5"), get_location("SUPPLIER"), get_location("A-01"), reason="@SUM(A1)")
    post_move(shop, get_product("-X"), D("10"), get_location("WH/LOST"), get_location("A-01"), reason="+found")
    post_move(shop, get_product("=cmd|' /C calc'!A0"), D(2), get_location("SUPPLIER"), get_location("A-02"))
    stock = as_csv(STOCK_COLUMNS, stock_rows(shop, location="WH/LOST"))
    assert stock == [
        {"product": "'-X", "location": "WH/LOST", "on_hand": "-10", "reserved": "0", "available": "-10", "uom": "kg"}
    ]
    a1 = as_csv(STOCK_COLUMNS, stock_rows(shop, location="A-01"))
    assert (a1[0]["product"], a1[0]["on_hand"], a1[0]["available"]) == ("'-X", "18.5", "18.5")
    moves = as_csv(MOVE_COLUMNS, move_rows(shop))
    assert [(m["product"], m["quantity"], m["reason"]) for m in moves] == [
        ("'-X", "8.5", "'@SUM(A1)"),
        ("'-X", "10", "'+found"),
        ("'=cmd|' /C calc'!A0", "2", ""),
    ]


@pytest.mark.parametrize("text", ["-X", "=1+2", "+1", "@A", "'=x", "''-y", "plain", "'quoted", "-", ""])
def test_safe_cells_read_back_as_written(text):
    assert clean_text(safe_cell(text), 2, "c") == text
    assert not safe_cell(text).startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize("units", [0, 1, -1, 1_000_000, -3_000_000, 8_500_000, 123_456_789, -10, 10**17])
def test_units_text_is_exact_and_trimmed(units):
    assert units_text(units) == str(from_units(units))
    assert D(units_text(units)) * 1_000_000 == units


def test_move_rows_filters(shop):
    receive_and_sell(shop)
    plan_move(shop, get_product("FLOUR-500"), D(2), get_location("SUPPLIER"), get_location("A-02"), planned_at=T0)
    all_rows = as_csv(MOVE_COLUMNS, move_rows(shop))
    assert [r["reason"] for r in all_rows] == ["received", "", "transfer", "sold", "damage"]  # by date
    assert all_rows[0] == {
        "date": "2026-01-10T09:00:00+00:00", "product": "BEANS", "quantity": "24", "from": "SUPPLIER",
        "to": "A-01", "unit_cost": "0.8", "reason": "received", "state": "done", "operator": "tester",
        "terminal": "test-1", "origin": "",
    }  # fmt: skip
    assert all_rows[1]["state"] == "draft"
    since = as_csv(MOVE_COLUMNS, move_rows(shop, since=T0 + timedelta(days=40), until=T0 + timedelta(days=41)))
    assert [r["reason"] for r in since] == ["transfer", "sold"]
    assert [r["reason"] for r in as_csv(MOVE_COLUMNS, move_rows(shop, location="A-02"))] == ["", "transfer", "sold"]
    assert len(as_csv(MOVE_COLUMNS, move_rows(shop, location="WH"))) == 5
    assert len(as_csv(MOVE_COLUMNS, move_rows(shop, location="WH/LOST"))) == 1
    assert [r["state"] for r in as_csv(MOVE_COLUMNS, move_rows(shop, product="FLOUR-500"))] == ["draft"]


PRODUCTS = (
    b"code,name,uom,barcodes,category,low_stock\n"
    b"BEANS,Beans tin,pc,5901234123457 15901234123454*12,tins,6\n"
    b"RICE,Rice,kg,,dry,\"2,5\"\n"
    b"-X,Minus product,pc,,,\n"
)
LOCATIONS = (
    b"code,name,type,parent,barcode,cost_method,negative\n"
    b"WH,Main,warehouse,,,fifo,forbid\nA-01,Shelf 1,storage,WH/STOCK,LOC-A01,,\nA-02,Shelf 2,storage,WH/STOCK,,,allow\n"
)
MOVES = (
    b"date,product,quantity,from,to,unit_cost,reason\n"
    b"2026-01-10T09:00:00+00:00,BEANS,24,SUPPLIER,A-01,0.80,received\n"
    b"2026-01-11T10:30:00.250000+02:00,RICE,\"12,125\",SUPPLIER,A-02,1.10,received\n"
    b"2026-02-01T12:00:00+00:00,BEANS,30,A-01,A-02,,transfer\n"
    b"2026-02-02T12:00:00+00:00,RICE,0.001,A-02,CUSTOMER,,- sold\n"
    b"2026-01-10T09:00:00+00:00,-X,5,SUPPLIER,A-02,,\n"
    b"2026-01-15T09:00:00+00:00,BEANS,10,SUPPLIER,A-01,0.75,received\n"
)


def ledger(store) -> list[tuple]:
    codes = {p.id: p.code for p in Product.select()} | {-place.id: place.code for place in Location.select()}
    return sorted(
        (m.effective_at, codes[m.product_id], m.quantity, codes[-m.from_location_id], codes[-m.to_location_id],
         m.unit_cost, m.reason, m.state, m.operator, m.terminal, m.origin)
        for m in Move.select()
    )  # fmt: skip


def test_round_trip_import_export_reimport(make_db_url, store, tmp_path):
    assert import_locations(store, LOCATIONS) == 3
    assert import_products(store, PRODUCTS) == 3
    assert import_moves(store, MOVES) == 6
    out = io.StringIO()
    write_csv(out, MOVE_COLUMNS, move_rows(store))
    exported = out.getvalue().encode()
    stock = as_csv(STOCK_COLUMNS, stock_rows(store))
    assert {(r["product"], r["location"]): r["on_hand"] for r in stock} == {
        ("BEANS", "A-01"): "4", ("BEANS", "A-02"): "30", ("RICE", "A-02"): "12.124", ("'-X", "A-02"): "5",
    }  # fmt: skip
    original = ledger(store)  # before opening another store: the models follow the last one opened
    assert len(original) == 6 and original[0][1:4] == ("-X", D(5), "SUPPLIER")

    fresh = open_store(make_db_url("fresh"), operator="someone-else", terminal="t-9")
    try:
        import_locations(fresh, LOCATIONS)
        import_products(fresh, PRODUCTS)
        assert import_moves(fresh, exported) == 6
        assert ledger(fresh) == original  # operator, terminal and origin travel with the moves
        assert as_csv(STOCK_COLUMNS, stock_rows(fresh)) == stock
    finally:
        fresh.close()
