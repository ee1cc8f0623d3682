"""Importing pick lists from CSV: lines grouped by reference, all or nothing."""

from __future__ import annotations

import pytest

from store.errors import ImportRefused
from store.locations import create_location
from store.models import PickLine, PickList
from store.pick_import import import_picks

GOOD = (
    "pick,product,quantity,customer\n"
    "ORD-1,BEANS,6,Ana (member 12)\n"
    "ORD-2,FLOUR-500,2,\n"
    "ORD-1,FLOUR-500,\"1,0\",Ana (member 12)\n"
)


def test_rows_with_one_reference_make_one_pick_list(shop):
    assert import_picks(shop, GOOD.encode()) == 2
    first, second = PickList.select().order_by(PickList.id)
    assert (first.reference, first.customer, first.warehouse.code, first.state) == ("ORD-1", "Ana (member 12)", "WH", "draft")
    assert [(line.product.code, line.quantity) for line in first.lines.order_by(PickLine.id)] == [("BEANS", 6), ("FLOUR-500", 1)]
    assert (second.reference, second.customer) == ("ORD-2", "")


@pytest.mark.parametrize(
    ("text", "line", "column", "reason"),
    [
        ("pick,product\nA,BEANS\n", 1, "quantity", "required column missing"),
        ("pick,product,quantity\nA,NOPE,1\n", 2, "product", "no product 'NOPE'"),
        ("pick,product,quantity\nA,BEANS,1\nA,BEANS,2\n", 3, "product", "BEANS is twice on pick list A"),
        ("pick,product,quantity\nA,BEANS,1.5\n", 2, "quantity", "at most 0 decimals"),
        ("pick,product,quantity\nA,BEANS,0\n", 2, "quantity", "positive quantity"),
        ("pick,product,quantity,warehouse\nA,BEANS,1,ZZ\n", 2, "warehouse", "no warehouse 'ZZ'"),
        ("pick,product,quantity,customer\nA,BEANS,1,Ana\nA,FLOUR-500,1,Bob\n", 3, "customer", "is for 'Ana' (line 2)"),
        ("pick,product,quantity,customer\nA,BEANS,1,\x1b[2J\n", 2, "customer", "control characters"),
        (",product,quantity\n", 1, "", "unknown column"),
    ],
)
def test_a_bad_file_is_refused_with_its_line_and_column_and_imports_nothing(shop, text, line, column, reason):
    with pytest.raises(ImportRefused) as refused:
        import_picks(shop, text.encode())
    assert (refused.value.line, refused.value.column or "") == (line, column)
    assert reason in refused.value.reason
    assert PickList.select().count() == 0


def test_an_existing_reference_and_an_ambiguous_warehouse_are_refused(shop):
    import_picks(shop, GOOD.encode())
    with pytest.raises(ImportRefused, match="line 2, column 'pick': pick list ORD-2 already exists"):
        import_picks(shop, b"pick,product,quantity\nORD-2,BEANS,1\n")
    create_location(shop, "WH2", "Second", "warehouse")
    with pytest.raises(ImportRefused, match="say which warehouse: WH, WH2"):
        import_picks(shop, b"pick,product,quantity\nORD-3,BEANS,1\n")
    assert import_picks(shop, b"pick,product,quantity,warehouse\nORD-3,BEANS,1,WH2\n") == 1
