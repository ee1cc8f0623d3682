"""Products and their barcodes."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from store.errors import InvalidValue, NotFound
from store.locations import find_location
from store.models import Barcode, Product, Uom
from store.operators import require
from store.prepared import Prepared, arg
from store.text import check_code, check_name
from store.units import check_precision

if TYPE_CHECKING:
    from store.database import Store

GTIN_LENGTHS = (8, 12, 13, 14)


def gtin_check_digit(body: str) -> int:
    """The GS1 check digit for the digits of a GTIN without its last digit."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def check_barcode(code: str) -> str:
    """A product barcode; numeric codes of GTIN length must carry a valid check digit."""
    code = check_code(code, "barcode")
    if code.isdigit() and len(code) in GTIN_LENGTHS:
        expected = gtin_check_digit(code[:-1])
        if int(code[-1]) != expected:
            raise InvalidValue(f"barcode {code}: wrong check digit, expected {expected}")
    return code


def create_product(
    store: Store,
    code: str,
    name: str,
    uom: Uom,
    barcodes: list[tuple[str, Decimal]] = (),
    category: str = "",
    low_stock: Decimal | None = None,
    stock_keeping: bool = True,
) -> Product:
    """Create a product with its barcodes (each with the quantity one scan stands for)."""
    require(store, "manage_products")
    code = check_code(code, "product code")
    name = check_name(name, "product name")
    if Product.get_or_none(Product.code == code) is not None:
        raise InvalidValue(f"product {code} already exists")
    with store.atomic():
        product = Product.create(
            code=code,
            name=name,
            uom=uom,
            category=category.strip(),
            low_stock=None if low_stock is None else check_precision(low_stock, uom),
            stock_keeping=stock_keeping,
        )
        for barcode, quantity in barcodes:
            attach_barcode(product, barcode, quantity)
    return product


def add_barcode(store: Store, product: Product, code: str, quantity: Decimal = Decimal(1)) -> Barcode:
    """Give a product one more barcode (managing products); refuses a barcode that names another product."""
    require(store, "manage_products")
    return attach_barcode(product, code, quantity)


def attach_barcode(product: Product, code: str, quantity: Decimal = Decimal(1)) -> Barcode:
    """The rule of ``add_barcode`` without the permission: also how a count assigns a barcode it met."""
    code = check_barcode(code)
    check_package(code, quantity, product.uom)
    if (location := find_location(code)) is not None:
        raise InvalidValue(f"{code} names location {location.code}: a product's barcode must not be a bin's label")
    existing = Barcode.get_or_none(Barcode.code == code)
    if existing is not None:
        if existing.product_id != product.id:
            raise InvalidValue(f"barcode {code} already belongs to {existing.product.code}")
        if existing.quantity != quantity:
            raise InvalidValue(
                f"barcode {code} is already on {product.code} for {existing.quantity} per scan: remove it first"
            )
        return existing
    return Barcode.create(code=code, product=product, quantity=quantity)


def check_package(code: str, quantity: Decimal, uom: Uom) -> None:
    """Refuse a package quantity (product units per scan) that is not positive or too precise for the unit."""
    if quantity <= 0:
        raise InvalidValue(f"barcode {code}: a package holds a positive quantity, not {quantity}")
    try:
        check_precision(quantity, uom)
    except InvalidValue:
        raise InvalidValue(
            f"barcode {code}: {quantity} {uom.code} per scan, but {uom.name} takes at most {uom.precision} decimals"
        ) from None


def get_product(code: str) -> Product:
    """The product with this code."""
    product = Product.get_or_none(Product.code == code.strip())
    if product is None:
        raise NotFound(f"no product {code!r}")
    return product


def product_by_barcode(code: str) -> tuple[Product, Decimal] | None:
    """The product a scanned barcode stands for and the quantity one scan adds, or None."""
    barcode = _with_product(code)
    if barcode is not None:
        return barcode.product, barcode.quantity
    if code.isdigit() and len(code) in GTIN_LENGTHS:
        # GTINs are one number: an EAN-13 scanned as a GTIN-14 (leading 0) is the same product.
        for length in GTIN_LENGTHS:
            if length != len(code) and (padded := code.lstrip("0").rjust(length, "0")) != code:
                if len(padded) == length:
                    barcode = _with_product(padded)
                    if barcode is not None:
                        return barcode.product, barcode.quantity
    return None


_BARCODE = Prepared(lambda: Barcode.select(Barcode, Product, Uom).join(Product).join(Uom).where(Barcode.code == arg("code")))


def _with_product(code: str) -> Barcode | None:
    """A barcode with its product and the product's unit, in one query."""
    return _BARCODE.first(code=code)
