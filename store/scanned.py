"""What one scan said, and the quantity it stands for: shared by counting, receiving and the entry screens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from store.catalog import product_by_barcode
from store.errors import InvalidValue, NotFound
from store.locations import find_location
from store.models import Location, Product, Uom
from store.quantity import format_quantity
from store.units import check_precision, convert, get_uom


@dataclass(frozen=True)
class Reading:
    """What one scan said, as the store needs it; the app builds it from a decoded scan."""

    raw: str
    code: str | None = None
    weight_kg: Decimal | None = None
    count: Decimal | None = None
    price: Decimal | None = None
    lot: str | None = None
    expiry: date | None = None


def entered_text(quantity: Decimal, uom: Uom) -> str:
    """How a quantity was entered, in the unit the worker used: "8.5 kg"."""
    return f"{format_quantity(quantity, uom.precision)} {uom.code}"


def in_product_unit(product: Product, quantity: Decimal, unit: Uom | None) -> Decimal:
    """A quantity typed in ``unit`` (default the product's) converted exactly to the product's unit."""
    unit = unit or product.uom
    return check_precision(convert(quantity, unit, product.uom), product.uom)


def scanned_quantity(
    product: Product, package: Decimal, reading: Reading, multiplier: Decimal | None = None
) -> tuple[Decimal, str]:
    """One scan's quantity in the product's unit, and how it was entered.

    A package barcode's quantity, or a GS1 or scale label's weight (for a
    product kept by weight) or count; times a quantity typed before the scan
    ("12" then a case scan is 12 cases). A label that gives no weight (an
    item's shelf label) stands for its barcode once a quantity is typed, and
    asks for one otherwise. So does a label whose price, or weight, says
    nothing of how much of a product measured in a unit with decimals (a
    price for kg, a weight for l); for one kept in whole units (pc) it is one
    scan of its barcode, as a piece is one piece.
    """
    weight = reading.weight_kg
    kg = weighing_unit(product, reading)
    if kg is not None and (weight or multiplier is None):
        if not weight:
            raise InvalidValue(f"the label of {product.code} gives no weight: type the quantity, then scan it")
        quantity, entered = in_product_unit(product, weight, kg), entered_text(weight, kg)
    elif reading.count is not None:
        quantity, entered = reading.count * package, entered_text(reading.count * package, product.uom)
    elif kg is None and (weight, reading.price) != (None, None) and multiplier is None and product.uom.precision:
        what = "a price" if weight is None else f"a weight ({entered_text(weight, get_uom('kg'))})"
        raise InvalidValue(
            f"the label of {product.code} gives {what}, not a quantity in {product.uom.code}: "
            "type the quantity, then scan it"
        )
    else:
        quantity, entered = package, entered_text(package, product.uom)
    if multiplier is None:
        return quantity, entered
    return check_precision(quantity * multiplier, product.uom), f"{multiplier} x {entered}"


def weighing_unit(product: Product, reading: Reading) -> Uom | None:
    """The unit (kg) of a scan label's weight when it is the weight of a product kept by weight (a piece,
    which cannot be cut); None otherwise, without reading the units when the label gives no weight."""
    if reading.weight_kg is None:
        return None
    kg = get_uom("kg")
    return kg if product.uom.category_id == kg.category_id else None


def scanned_product(reading: Reading, multiplier: Decimal | None = None) -> tuple[Product, Decimal]:
    """The product a scan (or typed product code) names and the quantity it stands for, times a typed multiplier."""
    code = (reading.code or reading.raw).strip()
    found = product_by_barcode(code)
    if found is None:
        product = Product.get_or_none(Product.code == code)
        if product is None:
            raise NotFound(f"Unknown barcode {code}")
        found = (product, Decimal(1))
    product, package = found
    return product, scanned_quantity(product, package, reading, multiplier)[0]


def bin_or_product(reading: Reading, multiplier: Decimal | None = None) -> Location | tuple[Product, Decimal]:
    """What a scan names where bins and products are both scanned (adjust, transfer).

    The bin whose label it is; else the product its barcode (or a typed
    product code) names and the quantity it stands for, times a typed
    multiplier, in the unit's precision. NotFound when it names neither.
    """
    location = find_location((reading.code or reading.raw).strip())
    if location is not None:
        return location
    product, quantity = scanned_product(reading, multiplier)
    return product, check_precision(quantity, product.uom)
