"""decode(): each kind, each error, AIM prefixes, UPC-E, in-store codes, quantities."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from devices.decode import decode
from devices.framing import UNREADABLE

GS = "\x1d"


@pytest.mark.parametrize(
    ("data", "kind", "fields"),
    [
        ("4006381333931", "gtin", {"gtin": "4006381333931"}),
        ("96385074", "gtin", {"gtin": "96385074"}),
        ("036000291452", "gtin", {"gtin": "036000291452"}),
        ("10614141000019", "gtin", {"gtin": "10614141000019"}),
        ("]E04006381333931", "gtin", {"gtin": "4006381333931", "symbology": "]E0"}),
        ("]E496385074", "gtin", {"gtin": "96385074", "symbology": "]E4"}),
        ("]I110614141000019", "gtin", {"gtin": "10614141000019", "symbology": "]I1"}),
        ("]E001234565", "gtin", {"gtin": "012345000065"}),  # UPC-E expanded to GTIN-12
        ("9780306406157", "isbn", {"gtin": "9780306406157"}),
        ("9791234567896", "isbn", {"gtin": "9791234567896"}),
        ("9771234567003", "issn", {"gtin": "9771234567003"}),
        (
            f"0109506000134352{GS}10AB12{GS}17251231{GS}2112345{GS}3103001250",
            "gs1",
            {"gtin": "09506000134352", "lot": "AB12", "expiry": dt.date(2025, 12, 31), "serial": "12345",
             "weight_kg": Decimal("1.250")},
        ),
        ("(01)09506000134352(17)251231(10)AB12", "gs1",
         {"gtin": "09506000134352", "expiry": dt.date(2025, 12, 31), "lot": "AB12"}),
        ("]C10109506000134352172512311012", "gs1", {"lot": "12", "symbology": "]C1"}),
        ("]d20109506000134352" + GS + "3024", "gs1", {"count": 24, "symbology": "]d2"}),
        ("]Q3(02)09506000134352(37)12", "gs1", {"gtin": "09506000134352", "count": 12}),
        ("00095060001343528", "code", {}),  # 17 digits: not a GTIN, not an SSCC
        ("00095060001343526", "code", {"code": "00095060001343526"}),
        ("(00)095060001343526019", "sscc", {"sscc": "095060001343526019"}),
        ("]C100095060001343526019", "sscc", {"sscc": "095060001343526019"}),
        ("A-01-03", "code", {"code": "A-01-03"}),
        ("]C0ABC-123", "code", {"code": "ABC-123", "symbology": "]C0"}),
        ("]A0STOCK 12", "code", {"code": "STOCK 12", "symbology": "]A0"}),
        ("10ABC", "code", {"code": "10ABC"}),  # looks like AI 10 but has no GS1 marker
        ("12345", "code", {"code": "12345"}),
        ("[red]x[/]", "code", {"code": "[red]x[/]"}),
    ],
)
def test_kinds(data, kind, fields):
    scan = decode(data)
    assert scan.kind == kind, scan.error
    assert scan.error is None
    for name, value in fields.items():
        assert getattr(scan, name) == value


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ("4006381333933", "wrong check digit: expected 1, got 3"),
        ("96385075", "wrong check digit: expected 4, got 5"),
        ("]E04006381333933", "wrong check digit: expected 1, got 3"),
        ("(01)09506000134353", "wrong check digit in (01): expected 2, got 3"),
        ("0109506000134352" + GS + "17251332", "impossible date in (17): 251332"),
        ("0109506000134352" + GS + "17250231", "impossible date in (17): 250231"),
        ("]C1231234", "unknown application identifier at '2312'"),
        ("(01)0950600013435", "truncated field (01): 14 characters expected, got 13"),
        ("]C10109506000134352" + GS + "17251", "truncated field (17): 6 characters expected, got 3"),
        ("", "empty scan"),
        ("\x1b[31mred", "control characters in a code that is not GS1: '\\x1b[31mred'"),
    ],
)
def test_errors_are_specific(data, error):
    scan = decode(data)
    assert scan.kind == "error"
    assert scan.error == error


def test_unreadable_bytes_get_the_baud_rate_hint():
    scan = decode(b"\xe3\x9f\x86")
    assert (scan.kind, scan.error) == ("error", UNREADABLE)
    assert scan.raw_text == "\\xe3\\x9f\\x86"


def test_thirteen_digits_with_a_bad_check_digit_are_an_error_not_a_code():
    assert decode("5901234123458").kind == "error"
    assert decode("5901234123457").kind == "gtin"


def test_in_store_weight_code_by_region():
    scan = decode("2302500012346", region="se")
    assert (scan.kind, scan.weight_kg, scan.price) == ("in_store", Decimal("1.234"), None)
    assert scan.gtin == "2302500012346"
    assert scan.item_gtin == "2302500000008"  # the item's own code: the weight zeroed, a new check digit


def test_in_store_price_code_by_region():
    scan = decode("2000001012345", region="se")
    assert (scan.kind, scan.price, scan.weight_kg) == ("in_store", Decimal("12.34"), None)
    assert scan.item_gtin == "2000001000007"


def test_in_store_weight_code_with_a_check_digit_on_the_weight():
    # Germany's layout 28 IIII C WWWWW: the item code zeroes the weight and recomputes both check digits.
    scan = decode("2812341012349", region="de")
    assert (scan.kind, scan.weight_kg, scan.item_gtin) == ("in_store", Decimal("1.234"), "2812340000002")


def test_in_store_code_without_region_is_kept_uninterpreted():
    scan = decode("2302500012346")
    assert (scan.kind, scan.weight_kg, scan.price, scan.item_gtin) == ("in_store", None, None, None)


def test_in_store_code_without_a_measure_is_its_own_item():
    scan = decode("2112345012346", region="de")  # prefix 21 in Germany: a store's own item number, no measure
    assert (scan.kind, scan.gtin, scan.item_gtin) == ("in_store", "2112345012346", None)


def test_unknown_region_is_a_configuration_error():
    with pytest.raises(ValueError, match="unknown in-store code region"):
        decode("4006381333931", region="xx")


def test_symbology_given_out_of_band():
    scan = decode("0109506000134352", symbology="]C1")
    assert (scan.kind, scan.symbology, scan.gtin) == ("gs1", "]C1", "09506000134352")


def test_gtin14_property_pads_the_natural_length():
    scan = decode("4006381333931")
    assert scan.gtin == "4006381333931"
    assert scan.gtin14 == "04006381333931"


@pytest.mark.parametrize(
    ("data", "gtin", "quantity"),
    [("4006381333931,8,5", "4006381333931", Decimal("8.5")), ("4006381333931,12", "4006381333931", Decimal(12))],
)
def test_live_barcode_with_quantity(data, gtin, quantity):
    scan = decode(data)
    assert (scan.gtin, scan.quantity) == (gtin, quantity)


def test_raw_and_timestamp_are_kept():
    scan = decode(b"0109506000134352\x1d10AB", received_at=12.5)
    assert scan.raw == b"0109506000134352\x1d10AB"
    assert scan.received_at == 12.5
    assert scan.raw_text == "0109506000134352\\x1d10AB"


def test_json_dict_has_the_documented_fields():
    scan = decode("]C10109506000134352" + GS + "10AB" + GS + "17251231" + GS + "3103001250")
    assert scan.to_json_dict() == {
        "raw": "]C10109506000134352\\x1d10AB\\x1d17251231\\x1d3103001250",
        "symbology": "]C1",
        "kind": "gs1",
        "error": None,
        "gtin": "09506000134352",
        "lot": "AB",
        "expiry": "2025-12-31",
        "weight_kg": "1.250",
    }


def test_json_dict_of_an_in_store_weight_code_names_the_item():
    assert decode("2302500012346", region="se").to_json_dict() == {
        "raw": "2302500012346",
        "symbology": None,
        "kind": "in_store",
        "error": None,
        "gtin": "2302500012346",
        "item_gtin": "2302500000008",
        "weight_kg": "1.234",
    }
