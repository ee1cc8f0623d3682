"""What a scan names where bins and products are both scanned (adjust, transfer)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.errors import InvalidValue, NotFound
from store.models import Location
from store.scanned import Reading, bin_or_product

D = Decimal
BEANS, BEANS_CASE, FLOUR = "5901234123457", "15901234123454", "4006381333931"


def scan(code: str, **fields) -> Reading:
    return Reading(raw=code, code=code, **fields)


def test_a_bin_label_names_the_bin(shop):
    found = bin_or_product(scan("LOC-A01"))
    assert isinstance(found, Location) and found.code == "A-01"


@pytest.mark.parametrize(
    ("reading", "multiplier", "product", "quantity"),
    [
        (scan(BEANS), None, "BEANS", D(1)),
        (scan(BEANS_CASE), None, "BEANS", D(12)),  # a package barcode: the package's quantity
        (scan(BEANS_CASE), D(2), "BEANS", D(24)),  # "2" typed before the case scan
        (scan(" BEANS "), None, "BEANS", D(1)),  # a product code typed instead of scanned
        (Reading(raw=f"01{BEANS_CASE}303", code=BEANS_CASE, count=D(3)), None, "BEANS", D(36)),  # GS1: 3 cases
    ],
)
def test_a_barcode_names_the_product_and_how_many(shop, reading, multiplier, product, quantity):
    found = bin_or_product(reading, multiplier)
    assert not isinstance(found, Location)
    assert (found[0].code, found[1]) == (product, quantity)


def test_neither_a_bin_nor_a_product_is_refused(shop):
    with pytest.raises(NotFound, match="Unknown barcode 4006381333932"):
        bin_or_product(scan("4006381333932"))


def test_a_multiplier_finer_than_the_unit_is_refused(shop):
    with pytest.raises(InvalidValue, match="at most 0 decimals"):
        bin_or_product(scan(BEANS), D("0.5"))
