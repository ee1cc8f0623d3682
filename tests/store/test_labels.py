"""Labels: every symbology read back by a real barcode reader, check digits, escaping, copies, sheets, ZPL."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.catalog import add_barcode, create_product, get_product, gtin_check_digit, product_by_barcode
from store.errors import InvalidValue, NotFound
from store.label_drawing import Label
from store.labels import labels_for, write_label_files, write_labels
from store.locations import create_location, get_location
from store.models import Barcode, Location, Product
from store.symbols import code128_symbol, gtin_symbol
from store.units import get_uom
from store.zpl import field_data
from tests.label_reading import read_label, read_sheet, svg_texts

D = Decimal


def with_check(body: str) -> str:
    return body + str(gtin_check_digit(body))


ISBN = "9780306406157"
ISSN = with_check("977123456700")
GTIN14_ZERO = with_check("0501234567890")  # indicator 0: the same number as an EAN-13


@pytest.fixture
def catalogue(shop):
    """The shop plus a product for each kind of GTIN and one without any."""
    pc = get_uom("pc")
    create_product(shop, "COLA", "Cola can", pc, [("036000291452", D(1)), ("96385074", D(6))])
    create_product(shop, "BOOK", "A book", pc, [(ISBN, D(1))])
    create_product(shop, "MAG", "A magazine", pc, [(ISSN, D(1))])
    create_product(shop, "TEA", "Tea", pc, [(GTIN14_ZERO, D(1))])
    create_product(shop, "TAPE", "Tape roll", pc)
    return shop


EXPECTED_PRODUCTS = {
    "BEANS": ("EAN13", "5901234123457"),
    "BEANS-15901234123454": ("ITF", "15901234123454"),
    "BOOK": ("EAN13", ISBN),
    "COLA": ("EAN13", "0036000291452"),  # UPC-A, reported by zxing as its EAN-13 form
    "COLA-96385074": ("EAN8", "96385074"),
    "FLOUR-500": ("EAN13", "4006381333931"),
    "MAG": ("EAN13", ISSN),
    "TAPE": ("Code128", "TAPE"),
    "TEA": ("EAN13", GTIN14_ZERO[1:]),
}


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_every_product_label_is_read_back_by_a_scanner(catalogue, tmp_path, fmt):
    paths = write_labels(catalogue, "products", [], fmt=fmt, out_dir=tmp_path)
    assert [path.name for path in paths] == [f"{stem}.{fmt}" for stem in sorted(EXPECTED_PRODUCTS)]
    assert {path.stem: read_label(path) for path in paths} == EXPECTED_PRODUCTS
    # what the scanner reads finds the product again, the 14-digit GTIN printed as its EAN-13 included
    assert product_by_barcode(GTIN14_ZERO[1:]) == (get_product("TEA"), D(1))


def test_upc_a_is_drawn_as_upc_a(catalogue, tmp_path):
    import zxingcpp

    from tests.label_reading import image_of

    (path,) = write_labels(catalogue, "products", ["COLA"], fmt="png", out_dir=tmp_path)[:1]
    results = zxingcpp.read_barcodes(image_of(path), formats=zxingcpp.BarcodeFormat.UPCA)
    assert [result.format.name for result in results] == ["UPCA"]


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_location_labels_carry_the_barcode_else_the_code(shop, tmp_path, fmt):
    paths = write_labels(shop, "locations", [], fmt=fmt, out_dir=tmp_path)
    read = {path.stem: read_label(path) for path in paths}
    assert read == {
        "A-01": ("Code128", "LOC-A01"),
        "A-02": ("Code128", "LOC-A02"),
        "WH": ("Code128", "WH"),
        "WH_IN": ("Code128", "WH/IN"),
        "WH_OUT": ("Code128", "WH/OUT"),
        "WH_STOCK": ("Code128", "WH/STOCK"),
    }  # no SUPPLIER, CUSTOMER, PRODUCTION nor WH/LOST: virtual locations get no label unless named


def test_defaults_leave_out_inactive_and_unkept_products_and_named_codes_keep_their_order(catalogue):
    Product.update(active=False).where(Product.code == "BOOK").execute()
    Product.update(stock_keeping=False).where(Product.code == "MAG").execute()
    Location.update(active=False).where(Location.code == "A-02").execute()
    keys = [label.key for label in labels_for(catalogue, "products", [])]
    assert "BOOK" not in keys and "MAG" not in keys and "TAPE" in keys
    assert [label.key for label in labels_for(catalogue, "products", ["MAG", "BOOK"])] == ["MAG", "BOOK"]
    assert "A-02" not in [label.key for label in labels_for(catalogue, "locations", [])]
    assert [label.key for label in labels_for(catalogue, "locations", ["WH/LOST"])] == ["WH/LOST"]


def test_unknown_codes_are_refused_together(shop, tmp_path):
    with pytest.raises(NotFound, match=r"no product 'NOPE', 'GONE'"):
        write_labels(shop, "products", ["BEANS", "NOPE", "GONE"], out_dir=tmp_path / "out")
    with pytest.raises(NotFound, match=r"no location 'Z-9'"):
        write_labels(shop, "locations", ["A-01", "Z-9"], out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("code", "expected"),
    [("4006381333932", 1), ("036000291453", 2), ("96385075", 4), ("15901234123455", 4), ("9780306406158", 7)],
)
def test_a_wrong_check_digit_is_refused_not_replaced(code, expected):
    with pytest.raises(InvalidValue, match=rf"barcode {code}: wrong check digit, expected {expected}"):
        gtin_symbol(code)


def test_a_stored_barcode_with_a_wrong_check_digit_refuses_the_labels(shop, tmp_path):
    # an old database or another program may hold one: the label run stops, naming product, code and digit
    Barcode.create(code="4006381333932", product=get_product("FLOUR-500"), quantity=D(6))
    with pytest.raises(
        InvalidValue, match="product FLOUR-500: barcode 4006381333932: wrong check digit, expected 1"
    ):
        write_labels(shop, "products", [], fmt="png", out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_codes_code_128_cannot_carry_or_fit_are_refused(shop, tmp_path):
    create_product(shop, "CAFÉ", "Coffee", get_uom("pc"))
    with pytest.raises(
        InvalidValue, match=r"product CAFÉ: product code 'CAFÉ' cannot be a Code 128 barcode: .*'É'"
    ):
        labels_for(shop, "products", ["CAFÉ"])
    create_location(shop, "B" * 60, "Long", "storage", parent=get_location("WH/STOCK"))
    with pytest.raises(InvalidValue, match=r"location B{60}: the Code 128 barcode of 'B{60}' is too long"):
        write_labels(shop, "locations", ["B" * 60], out_dir=tmp_path)


HOSTILE = "<script>&^XZ~JA_"


def test_hostile_names_are_shown_literally_in_svg(shop, tmp_path):
    create_product(shop, "EVIL", HOSTILE, get_uom("pc"))
    create_location(shop, "BAD", "A&B <b>^XZ", "storage", parent=get_location("WH/STOCK"))
    (product,) = write_labels(shop, "products", ["EVIL"], out_dir=tmp_path)
    (place,) = write_labels(shop, "locations", ["BAD"], out_dir=tmp_path)
    assert svg_texts(product) == [HOSTILE, "EVIL"]  # parses as XML, and the name comes back as typed
    assert svg_texts(place) == ["A&B <b>^XZ", "BAD"]
    assert "<script>" not in product.read_text(encoding="utf-8")
    assert read_label(product) == ("Code128", "EVIL")


def test_hostile_names_cannot_inject_zpl_commands(shop, tmp_path):
    create_product(shop, "EVIL", HOSTILE, get_uom("pc"))
    create_product(shop, "EVIL^XZ", "ok", get_uom("pc"))
    (path,) = write_labels(shop, "products", ["EVIL", "EVIL^XZ"], fmt="zpl", out_dir=tmp_path)
    text = path.read_text(encoding="ascii")
    formats = text.split("^XZ\n")
    assert formats[-1] == "" and len(formats) == 3 and text.count("^XA") == 2
    assert "^FH_^FD<script>&_5EXZ_7EJA_5F^FS" in formats[0]
    assert "^BCN,150,Y,N,N,N^FH_^FD>:EVIL_5EXZ^FS" in formats[1]
    assert all(line.startswith("^") and "~" not in line for line in text.splitlines())


def test_zpl_escapes_every_byte_outside_printable_ascii():
    assert field_data("Café ~ 100% ^") == "Caf_C3_A9 _7E 100% _5E"
    assert field_data("line\nbreak\x1b[31m") == "linebreak[31m"


def test_zpl_uses_the_printer_symbologies_with_checked_data(catalogue, tmp_path):
    create_location(catalogue, "C>1", "Odd", "storage", parent=get_location("WH/STOCK"))
    (products,) = write_labels(catalogue, "products", ["COLA", "BEANS", "TAPE"], fmt="zpl", out_dir=tmp_path)
    text = products.read_text(encoding="ascii")
    assert products.name == "products.zpl" and text.count("^XA") == 5 and text.count("^PQ1\n") == 5
    assert "^BUN,150,Y,N,Y^FH_^FD03600029145^FS" in text  # 11 digits: the printer adds the checked 2
    assert "^B8N,150,Y,N^FH_^FD9638507^FS" in text
    assert "^BEN,150,Y,N^FH_^FD590123412345^FS" in text
    assert "^B2N,150,Y,N,N^FH_^FD15901234123454^FS" in text
    assert "^FO47,75^GB465,9,9^FS" in text and "^FO47,234^GB465,9,9^FS" in text  # ITF-14 bearer bars
    assert "^BCN,150,Y,N,N,N^FH_^FD>:TAPE^FS" in text
    assert "^CI28" in text and "^FDCola can^FS" in text
    (places,) = write_labels(catalogue, "locations", ["C>1"], fmt="zpl", copies=3, out_dir=tmp_path)
    located = places.read_text(encoding="ascii")
    assert "^FD>:C><1^FS" in located and "^PQ3\n" in located


def test_copies_of_single_labels_are_numbered_files(shop, tmp_path):
    paths = write_labels(shop, "locations", ["A-01", "WH/STOCK"], fmt="png", copies=3, out_dir=tmp_path)
    assert [path.name for path in paths] == [
        f"{stem}-{n}.png" for stem in ("A-01", "WH_STOCK") for n in (1, 2, 3)
    ]
    assert {read_label(path) for path in paths} == {("Code128", "LOC-A01"), ("Code128", "WH/STOCK")}


def test_codes_that_clash_as_file_names_get_files_of_their_own(shop, tmp_path):
    create_location(shop, "A_01", "Other", "storage", parent=get_location("WH/STOCK"))
    create_location(shop, "A/01", "Another", "storage", parent=get_location("WH/STOCK"))
    paths = write_labels(shop, "locations", ["A_01", "A/01"], out_dir=tmp_path)
    assert [path.name for path in paths] == ["A_01.svg", "A_01~2.svg"]
    assert [read_label(path)[1] for path in paths] == ["A_01", "A/01"]


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_a_sheet_holds_24_labels_a_page_each_copies_times(shop, tmp_path, fmt):
    paths = write_labels(
        shop, "products", ["FLOUR-500", "BEANS"], fmt=fmt, copies=13, sheet=True, out_dir=tmp_path
    )
    # FLOUR-500, BEANS and the BEANS case: 3 labels x 13 = 39 = a full page and 15 on the next
    assert [path.name for path in paths] == [f"products-sheet-{n}.{fmt}" for n in (1, 2)]
    first, second = read_sheet(paths[0]), read_sheet(paths[1])
    flour, beans, case = ("EAN13", "4006381333931"), ("EAN13", "5901234123457"), ("ITF", "15901234123454")
    assert first == [flour] * 13 + [beans] * 11
    assert second == [beans] * 2 + [case] * 13 + [None] * 9


def test_options_are_checked_before_anything_is_written(shop, tmp_path):
    with pytest.raises(InvalidValue, match="copies must be from 1 to 1000, not 0"):
        write_labels(shop, "products", [], copies=0, out_dir=tmp_path / "out")
    with pytest.raises(InvalidValue, match="a sheet is for SVG or PNG"):
        write_labels(shop, "products", [], fmt="zpl", sheet=True, out_dir=tmp_path / "out")
    with pytest.raises(InvalidValue, match="label format 'pdf'"):
        write_labels(shop, "products", [], fmt="pdf", out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_an_unwritable_directory_is_a_clear_refusal(shop, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InvalidValue, match="cannot create"):
        write_labels(shop, "products", [], out_dir=blocker / "labels")


def test_package_barcodes_show_their_quantity(shop, tmp_path):
    add_barcode(shop, get_product("FLOUR-500"), "FLOUR-CASE", D(10))
    labels = labels_for(shop, "products", ["FLOUR-500"])
    assert [(label.title, label.detail, label.code) for label in labels] == [
        ("Flour 500 g", "FLOUR-500", "4006381333931"),
        ("Flour 500 g", "FLOUR-500 · 10 bag500g", "FLOUR-CASE"),
    ]
    (svg,) = write_labels(shop, "products", ["FLOUR-500"], out_dir=tmp_path)[1:]
    assert read_label(svg) == ("Code128", "FLOUR-CASE")
    ET.parse(svg)


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=24))
def test_any_printable_ascii_code_reads_back_from_code_128(tmp_path_factory, code):
    out = tmp_path_factory.mktemp("c128")
    label = Label("name", "", code128_symbol(code), "test", "x")
    (path,) = write_label_files([label], "products", copies=1, fmt="png", out_dir=out, sheet=False)
    assert read_label(path) == ("Code128", code)
