"""Product and location labels: what each label shows, and writing them as SVG, PNG or ZPL files.

A product gets one label for itself: its first GTIN that stands for one unit,
else its code as Code 128 (a typed or scanned product code finds the product).
Each package barcode (one scan standing for more than one unit, a case GTIN)
gets a label of its own showing the quantity. A location's label carries its
barcode, else its code, as Code 128.

``write_labels`` is what the command line and the catalogue screens call.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from store.errors import InvalidValue, NotFound
from store.label_drawing import Label, cell_origin, layout, pages, write_drawing
from store.models import Barcode, Location, Product, Uom
from store.quantity import format_quantity
from store.symbols import Symbol, code128_symbol, is_gtin, symbol_for
from store.zpl import zpl_document

if TYPE_CHECKING:
    from store.database import Store

KINDS = ("products", "locations")
FORMATS = ("svg", "png", "zpl")
MAX_COPIES = 1000
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def product_labels(product: Product, barcodes: Sequence[Barcode]) -> list[Label]:
    """The labels of one product (its unit loaded): the product itself, then each of its package barcodes."""
    subject = f"product {product.code}"
    barcodes = sorted(barcodes, key=lambda barcode: barcode.id)
    unit = next((b for b in barcodes if b.quantity == 1 and is_gtin(b.code)), None)
    if unit is not None:
        symbol = _checked(lambda: symbol_for(unit.code), subject)
    else:
        symbol = _checked(lambda: code128_symbol(product.code, "product code"), subject)
    detail = "" if symbol.data == product.code else product.code
    labels = [Label(product.name, detail, symbol, subject, product.code)]
    for barcode in barcodes:
        if barcode.quantity != 1:
            symbol = _checked(lambda code=barcode.code: symbol_for(code), subject)
            quantity = format_quantity(barcode.quantity, product.uom.precision)
            detail = f"{product.code} · {quantity} {product.uom.code}"
            labels.append(Label(product.name, detail, symbol, subject, f"{product.code}-{symbol.data}"))
    return labels


def location_label(location: Location) -> Label:
    """The label of a location: its barcode, else its code, as Code 128."""
    subject = f"location {location.code}"
    if location.barcode:
        symbol = _checked(lambda: code128_symbol(location.barcode, "location barcode"), subject)
        return Label(location.name, location.code, symbol, subject, location.code)
    symbol = _checked(lambda: code128_symbol(location.code, "location code"), subject)
    return Label(location.name, "", symbol, subject, location.code)


def _checked(make: Callable[[], Symbol], subject: str) -> Symbol:
    """Call ``make``; a refusal names the product or location it was for."""
    try:
        return make()
    except InvalidValue as error:
        raise InvalidValue(f"{subject}: {error}") from None


def labels_for(store: Store, kind: Literal["products", "locations"], codes: Sequence[str]) -> list[Label]:
    """The labels of the products or locations named by ``codes``, in that order.

    No codes means every active stock-kept product, or every active location
    that is not virtual, by code. Unknown codes are refused together.
    """
    if kind not in KINDS:
        raise InvalidValue(f"labels are for products or locations, not {kind!r}")
    codes = list(dict.fromkeys(code.strip() for code in codes))
    if kind == "products":
        query = Product.select(Product, Uom).join(Uom)
        if codes:
            records = _named(query.where(Product.code.in_(codes)), codes, "product")
        else:
            records = list(query.where(Product.active & Product.stock_keeping).order_by(Product.code))
        barcodes = _barcodes_of(records)
        return [label for product in records for label in product_labels(product, barcodes[product.id])]
    if codes:
        places = _named(Location.select().where(Location.code.in_(codes)), codes, "location")
    else:
        active = Location.select().where(Location.active).order_by(Location.code)
        places = [place for place in active if not place.is_virtual]
    return [location_label(place) for place in places]


def _named(query, codes: list[str], what: str) -> list:
    """The records of ``query`` in the order of ``codes``; refuses the codes that name none."""
    found = {record.code: record for record in query}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise NotFound(f"no {what} {', '.join(repr(code) for code in unknown)}")
    return [found[code] for code in codes]


def _barcodes_of(products: list[Product]) -> dict[int, list[Barcode]]:
    """The barcodes of each product by product id, a query per 500 products rather than one per product."""
    by_product: dict[int, list[Barcode]] = {product.id: [] for product in products}
    ids = list(by_product)
    for start in range(0, len(ids), 500):
        for barcode in Barcode.select().where(Barcode.product.in_(ids[start : start + 500])):
            by_product[barcode.product_id].append(barcode)
    return by_product


def write_labels(
    store: Store,
    kind: Literal["products", "locations"],
    codes: Sequence[str],
    *,
    copies: int = 1,
    fmt: Literal["svg", "png", "zpl"] = "svg",
    out_dir: Path,
    sheet: bool = False,
) -> list[Path]:
    """Write the labels of products or locations into ``out_dir``; returns the files written.

    SVG and PNG: one file per label (``copies`` files of each, numbered), or
    with ``sheet`` A4 pages of 24 labels, each label ``copies`` times in a row.
    ZPL: one file ``<kind>.zpl`` with one format per label printed ``copies``
    times. Every label is checked before any file is written.
    """
    labels = labels_for(store, kind, codes)
    return write_label_files(labels, kind, copies=copies, fmt=fmt, out_dir=out_dir, sheet=sheet)


def write_label_files(
    labels: Sequence[Label], kind: str, *, copies: int, fmt: str, out_dir: Path, sheet: bool
) -> list[Path]:
    """Write labels already gathered (see ``write_labels``); no database needed."""
    check_options(copies, fmt, sheet)
    out_dir = Path(out_dir)
    if fmt == "zpl":
        data = zpl_document(labels, copies)
        _make_dir(out_dir)
        path = out_dir / f"{kind}.zpl"
        try:
            path.write_bytes(data)
        except OSError as error:
            raise InvalidValue(f"cannot write {path}: {error.strerror}") from None
        return [path]
    drawings = [layout(label) for label in labels]
    _make_dir(out_dir)
    if sheet:
        return [
            write_drawing(
                [(cell_origin(i), drawing) for i, drawing in enumerate(page)],
                True,
                out_dir / f"{kind}-sheet-{number}.{fmt}",
            )
            for number, page in enumerate(pages(drawings, copies), start=1)
        ]
    paths = []
    stems: set[str] = set()
    for label, drawing in zip(labels, drawings, strict=True):
        stem = _unique(file_stem(label), stems)
        for copy in range(1, copies + 1):
            name = f"{stem}-{copy}.{fmt}" if copies > 1 else f"{stem}.{fmt}"
            paths.append(write_drawing([((0, 0), drawing)], False, out_dir / name))
    return paths


def check_options(copies: int, fmt: str, sheet: bool) -> None:
    """Refuse a number of copies, a format or a sheet request that cannot be honoured."""
    if fmt not in FORMATS:
        raise InvalidValue(f"label format {fmt!r} is not one of {', '.join(FORMATS)}")
    if not 1 <= copies <= MAX_COPIES:
        raise InvalidValue(f"copies must be from 1 to {MAX_COPIES}, not {copies}")
    if sheet and fmt == "zpl":
        raise InvalidValue("a sheet is for SVG or PNG; ZPL labels print one by one")


def file_stem(label: Label) -> str:
    """A file name for a label from its key, safe on every system: ``WH/STOCK`` is ``WH_STOCK``."""
    return (_UNSAFE.sub("_", label.key).strip("._") or "label")[:100]


def _unique(stem: str, taken: set[str]) -> str:
    """``stem``, or ``stem~2``, ``stem~3``... if another label already has it (``A/B`` and ``A_B``)."""
    candidate, n = stem, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem}~{n}"
    taken.add(candidate.lower())
    return candidate


def _make_dir(path: Path) -> None:
    """Create the output directory if needed, refusing clearly when it cannot be."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidValue(f"cannot create {path}: {error.strerror}") from None
