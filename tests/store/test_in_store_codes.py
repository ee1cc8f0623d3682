"""In-store codes: the stock room's region, and a weighed piece's label naming its product and weight."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.catalog import create_product
from store.database import open_store
from store.errors import InvalidValue
from store.in_store_codes import in_store_region, set_in_store_region
from store.operators import NotAllowed, add_operator, login
from store.scanned import Reading, scanned_product
from store.units import get_uom

D = Decimal
GOUDA_ITEM = "2302500000008"  # Sweden's layout: 23, the item 02500, the weight zeroed


def test_the_region_is_kept_for_every_terminal(store, db_url):
    assert in_store_region() is None
    assert set_in_store_region(store, " SE ") == "se"
    other = open_store(db_url, terminal="hand-2")
    try:
        assert in_store_region() == "se"
    finally:
        other.close()
    assert set_in_store_region(store, "de") == "de"
    assert in_store_region() == "de"
    assert set_in_store_region(store, None) is None
    assert in_store_region() is None


@pytest.mark.parametrize("region", ["", "swe", "s1", "s e"])
def test_a_region_is_two_letters(store, region):
    with pytest.raises(InvalidValue, match="expected two letters"):
        set_in_store_region(store, region)
    assert in_store_region() is None


def test_only_a_supervisor_names_the_region(store, db_url):
    add_operator(store, "S1", "Sam", "supervisor", "1234")
    add_operator(store, "C1", "Cat", "counter", "5678")
    terminal = open_store(db_url, terminal="hand-2")
    try:
        terminal.login_required = True
        login(terminal, "C1", "5678")
        with pytest.raises(NotAllowed, match="managing products: supervisors only"):
            set_in_store_region(terminal, "se")
        login(terminal, "S1", "1234")
        assert set_in_store_region(terminal, "se") == "se"
    finally:
        terminal.close()


def test_a_weighed_piece_is_its_item_and_its_weight(shop):
    create_product(shop, "GOUDA", "Gouda by weight", get_uom("kg"), [(GOUDA_ITEM, D(1))])
    product, quantity = scanned_product(Reading(raw="2302500012346", code=GOUDA_ITEM, weight_kg=D("1.234")))
    assert (product.code, quantity) == ("GOUDA", D("1.234"))


def test_a_weighed_label_on_a_product_kept_in_pieces_is_one_piece(shop):
    create_product(shop, "WHEEL", "Gouda wheel", get_uom("pc"), [(GOUDA_ITEM, D(1))])
    wheel = Reading(raw="2302500012346", code=GOUDA_ITEM, weight_kg=D("1.234"))
    assert scanned_product(wheel)[1] == D(1)
    assert scanned_product(wheel, D(3))[1] == D(3)


def test_a_weight_on_a_product_measured_by_volume_asks_for_the_quantity(shop):
    create_product(shop, "CREAM", "Cream by the litre", get_uom("l"), [(GOUDA_ITEM, D(1))])
    label = Reading(raw="2302500012346", code=GOUDA_ITEM, weight_kg=D("1.234"))
    with pytest.raises(InvalidValue, match=r"the label of CREAM gives a weight \(1.234 kg\), not a quantity in l"):
        scanned_product(label)
    assert scanned_product(label, D("0.75"))[1] == D("0.75")


def test_a_label_with_no_weight_asks_for_the_quantity(shop):
    # The item's own code, the weight zeroed, as printed on a shelf label: not a piece that weighs nothing.
    create_product(shop, "GOUDA", "Gouda by weight", get_uom("kg"), [(GOUDA_ITEM, D(1))])
    shelf_label = Reading(raw=GOUDA_ITEM, code=GOUDA_ITEM, weight_kg=D("0.000"))
    with pytest.raises(InvalidValue, match="the label of GOUDA gives no weight: type the quantity, then scan it"):
        scanned_product(shelf_label)
    assert scanned_product(shelf_label, D("2.5"))[1] == D("2.5")  # typed first: that many kg of the item


def test_a_typed_quantity_before_a_weighed_label_counts_that_many_pieces(shop):
    create_product(shop, "GOUDA", "Gouda by weight", get_uom("kg"), [(GOUDA_ITEM, D(1))])
    piece = Reading(raw="2302500012346", code=GOUDA_ITEM, weight_kg=D("1.234"))
    assert scanned_product(piece, D(3))[1] == D("3.702")


def test_a_price_label_names_its_item_and_asks_how_much_of_a_measured_one(shop):
    create_product(shop, "GOUDA", "Gouda by weight", get_uom("kg"), [(GOUDA_ITEM, D(1))])
    create_product(shop, "CAKE", "Cake of the day", get_uom("pc"), [("2000001000007", D(1))])
    gouda = Reading(raw="2002500012340", code=GOUDA_ITEM, price=D("12.34"))
    with pytest.raises(InvalidValue, match="the label of GOUDA gives a price, not a quantity in kg: type the quantity"):
        scanned_product(gouda)
    assert scanned_product(gouda, D("0.8"))[1] == D("0.8")
    cake = Reading(raw="2000001012345", code="2000001000007", price=D("12.34"))  # a piece priced as it is
    assert scanned_product(cake)[1] == D(1)
