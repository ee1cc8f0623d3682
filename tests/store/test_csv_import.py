"""Importing CSV files: what is accepted, and every refusal names line and column and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from store.catalog import get_product, product_by_barcode
from store.csv_import import import_locations, import_moves, import_products
from store.errors import ImportRefused
from store.locations import get_location
from store.models import Barcode, Location, Move, Product, StockPeriod
from store.stock import on_hand

D = Decimal
IMPORTERS = {"products": import_products, "locations": import_locations, "moves": import_moves}


def snapshot() -> tuple:
    """Everything an import could change."""
    return (
        sorted(Product.select(Product.code, Product.name).tuples()),
        sorted(Barcode.select(Barcode.code).tuples()),
        sorted(Location.select(Location.code, Location.allow_negative).tuples()),
        sorted(Move.select(Move.id, Move.quantity).tuples()),
        sorted(StockPeriod.select().tuples()),
    )


def moves_file(*rows: str, header: str = "date,product,quantity,from,to") -> bytes:
    return ("\n".join((header, *rows)) + "\n").encode()


WITH_COST = "date,product,quantity,from,to,unit_cost,reason"
REFUSALS = [
    # kind, file, line, column, part of the reason
    ("products", b"code,name,uom,barcodes\nNEW,New,pc,4006381333932\n", 2, "barcodes", "check digit"),
    ("products", b"code,name,uom\nNEW,New,pc\nNEW2,New 2,stone\n", 3, "uom", "unknown unit 'stone'"),
    ("products", b"code,name,uom,colour\nNEW,New,pc,red\n", 1, "colour", "unknown column"),
    ("products", b"code,name\nNEW,New\n", 1, "uom", "required column missing"),
    ("products", b"code,name,uom\nBEANS,Beans again,pc\n", 2, "code", "already exists"),
    ("products", b"code,name,uom,low_stock\nNEW,New,pc,1.5\n", 2, "low_stock", "decimals"),
    ("products", b"code,name,uom\nNEW,Beans\x1b[2J,pc\n", 2, "name", "control characters"),
    ("products", b"code,name,uom\nNEW,New,pc,extra\n", 2, None, "3 columns"),
    ("locations", b"code,name,type\nX,X,shelf\n", 2, "type", "not one of"),
    ("locations", b"code,name,type,parent\nX,X,storage,NOWHERE\n", 2, "parent", "no location 'NOWHERE'"),
    ("locations", b"code,name,type,negative\nX,X,storage,never\n", 2, "negative", "allow or forbid"),
    ("locations", b"code,name,type,cost_method\nX,X,storage,fifo\n", 2, "cost_method", "only a warehouse"),
    ("moves", moves_file("2026-13-01,BEANS,1,SUPPLIER,A-01"), 2, "date", "ISO 8601"),
    ("moves", moves_file("2026-01-10,BEANS,1.2.3,SUPPLIER,A-01"), 2, "quantity", "not a number"),
    ("moves", moves_file("2026-01-10,BEANS,-3,SUPPLIER,A-01"), 2, "quantity", "positive"),
    ("moves", moves_file("2026-01-10,BEANS,0,SUPPLIER,A-01"), 2, "quantity", "positive"),
    ("moves", moves_file("2026-01-10,BEANS,1.5,SUPPLIER,A-01"), 2, "quantity", "at most 0 decimals"),
    ("moves", moves_file("2026-01-10,BEANS,1,SUPPLIER,A-01", "2026-01-10,BEANS,1,SUPPLIER,Z-99"), 3, "to", "Z-99"),
    ("moves", moves_file("2026-01-10,NOPE,1,SUPPLIER,A-01"), 2, "product", "no product 'NOPE'"),
    ("moves", moves_file("2026-01-10,BEANS,1,A-01,A-01"), 2, "to", "two different locations"),
    ("moves", moves_file("2026-01-10,BEANS,1,SUPPLIER,WH"), 2, "to", "warehouse holds no stock"),
    ("moves", moves_file("2999-01-10,BEANS,1,SUPPLIER,A-01"), 2, "date", "future"),
    ("moves", moves_file("2026-01-10,BEANS,1,SUPPLIER,A-01,,\x1b]0;pwned\x07", header=WITH_COST),
     2, "reason", "control characters"),
    ("moves", moves_file("2026-01-10,BEANS,1,SUPPLIER,A-01,1e3,", header=WITH_COST), 2, "unit_cost", "not a number"),
    ("moves", moves_file("2026-01-10,BEANS,1,SUPPLIER,A-01,draft", header="date,product,quantity,from,to,state"),
     2, "state", "only done moves"),  # fmt: skip
    ("moves", b"date,product,quantity,from,to\n2026-01-10,BEANS,1,SUPPLIER,A-01\n2026-01-10,BEANS,\xff,SUPPLIER,A-01\n",
     3, None, "not UTF-8"),  # fmt: skip
    ("moves", b"", 1, None, "empty"),
]


@pytest.mark.parametrize(("kind", "data", "line", "column", "reason"), REFUSALS)
def test_bad_files_are_refused_with_line_and_column_and_change_nothing(shop, kind, data, line, column, reason):
    from store.moves import post_move

    post_move(shop, get_product("BEANS"), D(5), get_location("SUPPLIER"), get_location("A-01"))
    before = snapshot()
    with pytest.raises(ImportRefused) as refused:
        IMPORTERS[kind](shop, data)
    assert (refused.value.line, refused.value.column) == (line, column)
    assert reason in refused.value.reason
    assert str(refused.value).startswith(f"line {line}" + (f", column {column!r}" if column else ""))
    assert snapshot() == before


def test_a_refused_row_late_in_the_file_leaves_the_rows_before_it_out(shop):
    before = snapshot()
    data = moves_file(*["2026-01-10,BEANS,2,SUPPLIER,A-01"] * 50, "2026-01-11,BEANS,1,SUPPLIER,A-03")
    with pytest.raises(ImportRefused, match="line 52, column 'to'"):
        import_moves(shop, data)
    assert snapshot() == before
    assert on_hand(shop, get_product("BEANS"), get_location("A-01")) == 0


def test_forbidden_negative_stock_is_checked_on_final_balances(shop):
    beans, a1 = get_product("BEANS"), get_location("A-01")
    # going below zero on the way is fine when the file ends at or above zero
    import_moves(
        shop,
        moves_file("2026-01-10,BEANS,4,A-01,CUSTOMER", "2026-01-09,BEANS,4,SUPPLIER,A-01"),
    )
    assert on_hand(shop, beans, a1) == 0
    before = snapshot()
    data = moves_file(
        "2026-01-11,BEANS,10,SUPPLIER,A-01", "2026-01-12,BEANS,6,A-01,CUSTOMER", "2026-01-13,BEANS,7,A-01,A-02"
    )
    with pytest.raises(ImportRefused) as refused:
        import_moves(shop, data)
    assert (refused.value.line, refused.value.column) == (4, "quantity")
    assert "A-01 forbids negative stock" in refused.value.reason
    assert "lack 3 pc of BEANS" in refused.value.reason
    assert snapshot() == before


def test_products_with_bom_decimal_comma_packages_and_any_column_order(store):
    data = "\ufeffuom,barcodes,code,name,low_stock,category\n".encode() + (
        b'kg,,RICE,Rice,"1,5",dry\npc,5901234123457 15901234123454*12,BEANS,Beans tin,,tins\n'
        b"pc,,=cmd,Formula-looking code,,\npc,,'-X,Quoted,,\n"
    )
    assert import_products(store, data) == 4
    rice = get_product("RICE")
    assert (rice.uom.code, rice.low_stock, rice.category) == ("kg", D("1.5"), "dry")
    assert product_by_barcode("15901234123454") == (get_product("BEANS"), D(12))
    assert get_product("=cmd").name == "Formula-looking code"
    assert get_product("-X").name == "Quoted"  # a neutralising quote from an export is taken off again


def test_locations_with_parents_earlier_in_the_file_and_warehouse_parts(store):
    data = (
        b"code,name,type,parent,barcode,cost_method,negative\n"
        b"WH2,Second,warehouse,,,avco,forbid\n"
        b"R-1,Rack 1,storage,WH2/STOCK,LOC-R1,,\n"
        b"R-1-A,Rack 1 level A,storage,R-1,,,allow\n"
        b"GROUP,Other places,view,,,,\n"
    )
    assert import_locations(store, data) == 4
    rack, level = get_location("R-1"), get_location("R-1-A")
    assert get_location("WH2").cost_method == "avco"
    assert (rack.allow_negative, level.allow_negative) == (False, True)
    assert rack.barcode == "LOC-R1" and level.parent_id == rack.id
    assert level.path.startswith(get_location("WH2/STOCK").path)
    assert {get_location(f"WH2/{part}").type for part in ("IN", "OUT", "LOST")} == {"storage", "lost_found"}


def test_moves_with_offsets_local_time_decimal_comma_and_costs(shop):
    from store.catalog import create_product
    from store.units import get_uom

    create_product(shop, "RICE", "Rice", get_uom("kg"))
    data = moves_file(
        "2026-01-10T10:00:00+01:00,BEANS,24,SUPPLIER,A-01,\"0,80\",received",
        '2026-01-11T08:30:00Z,RICE,"8,5",SUPPLIER,A-02,1.25,',
        "2026-01-12 09:00,BEANS,3,A-01,CUSTOMER,,sold",
        header=WITH_COST,
    )
    assert import_moves(shop, data) == 3
    first, second, third = Move.select().order_by(Move.id)
    assert first.effective_at == datetime(2026, 1, 10, 9, tzinfo=UTC) and first.unit_cost == D("0.8")
    assert second.quantity == D("8.5") and second.operator == "tester" and second.origin == "import"
    assert third.effective_at == datetime(2026, 1, 12, 9).astimezone()  # no offset: local time
    assert on_hand(shop, get_product("BEANS"), get_location("WH")) == 21
    assert on_hand(shop, get_product("RICE"), get_location("A-02"), at=datetime(2026, 1, 11, 8, tzinfo=UTC)) == 0
    assert on_hand(shop, get_product("RICE"), get_location("A-02"), at=datetime.now(UTC) - timedelta(days=1)) == D(
        "8.5"
    )
