"""Changing a product after it was created: its fields, its barcodes.

A product's quantities (moves, order and pick lines, count and receipt
records, package barcodes, its low-stock threshold) are all kept in its unit,
so the unit changes only where none of them would change meaning.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from store.catalog import check_package
from store.clock import RUNNING_TOTAL
from store.errors import InvalidValue, NotFound
from store.models import (
    Barcode,
    CountRecord,
    Location,
    Move,
    PickLine,
    Product,
    ReceiptRecord,
    StockPeriod,
    SupplyOrderLine,
    SupplyTemplateLine,
    Uom,
)
from store.operators import require
from store.quantity import format_quantity
from store.text import check_name, has_control
from store.transactions import lock_row, retried
from store.units import check_precision

if TYPE_CHECKING:
    from store.database import Store


class Keep:
    """The type of ``KEEP``, the default of every field of a ``ProductChange`` or ``LocationChange``: leave it as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = Keep()
"""Leave this field unchanged (``low_stock=None`` clears the threshold)."""

_QUANTITY_TABLES = (Move, SupplyOrderLine, SupplyTemplateLine, PickLine, CountRecord, ReceiptRecord)


@dataclass(frozen=True)
class ProductChange:
    """What ``update_product`` may change; ``KEEP`` leaves a field as it is."""

    name: str | Keep = KEEP
    uom: Uom | Keep = KEEP
    category: str | Keep = KEEP
    low_stock: Decimal | None | Keep = KEEP
    stock_keeping: bool | Keep = KEEP
    active: bool | Keep = KEEP


def check_category(category: str) -> str:
    """A product category: any printable text, or empty for none."""
    category = category.strip()
    if has_control(category):
        raise InvalidValue(f"category {category!r} holds control characters")
    return category


def is_used(product: Product) -> bool:
    """Whether any move, order, pick list, count or receipt holds a quantity of the product."""
    return any(table.select().where(table.product == product.id).exists() for table in _QUANTITY_TABLES)


def stock_held(product: Product) -> Decimal:
    """The product's stock on hand now over every storage location (a cache read)."""
    total = (
        StockPeriod.select(StockPeriod.quantity)
        .join(Location, on=StockPeriod.location == Location.id)
        .where((StockPeriod.product == product.id) & (StockPeriod.period == RUNNING_TOTAL) & (Location.type == "storage"))
    )
    return sum((row.quantity for row in total), Decimal(0))


def _has_open_moves(product: Product) -> bool:
    return Move.select().where((Move.product == product.id) & Move.state.in_(("draft", "assigned"))).exists()


def _check_uom(product: Product, uom: Uom) -> None:
    """Refuse a unit under which the product's recorded quantities would mean something else."""
    if uom.id == product.uom_id or not is_used(product):
        return
    current = product.uom
    if uom.category_id != current.category_id:
        raise InvalidValue(
            f"{product.code} already has moves or documents in {current.code}: its unit cannot become "
            f"{uom.code}, which measures something else (archive it and create a new product)"
        )
    if uom.factor_decimal != current.factor_decimal:
        raise InvalidValue(
            f"{product.code} already has moves or documents in {current.code}: a quantity in {uom.code} "
            f"would mean another amount (archive it and create a new product)"
        )
    if uom.precision < current.precision:
        raise InvalidValue(
            f"{product.code} already has quantities in {current.code} with {current.precision} decimals: "
            f"{uom.code} takes only {uom.precision}"
        )


@retried
def update_product(store: Store, product: Product, change: ProductChange) -> Product:
    """Change a product's name, unit, category, low-stock threshold, stock keeping or active flag.

    The unit changes freely while nothing holds a quantity of the product,
    afterwards only to a unit of the same category measuring the same amount.
    Stock keeping is switched off, and the product archived, only with no
    stock on hand and no open moves.
    """
    require(store, "manage_products")
    with store.atomic():
        current = lock_row(store, Product, product.id)
        if current is None:
            raise NotFound(f"product {product.code} no longer exists")
        values: dict[str, object] = {}
        if not isinstance(change.name, Keep):
            values["name"] = check_name(change.name, "product name")
        uom = current.uom
        if not isinstance(change.uom, Keep):
            _check_uom(current, change.uom)
            uom = change.uom
            values["uom"] = uom
            for barcode in current.barcodes:
                check_package(barcode.code, barcode.quantity, uom)
        if not isinstance(change.category, Keep):
            values["category"] = check_category(change.category)
        low_stock = current.low_stock if isinstance(change.low_stock, Keep) else change.low_stock
        if low_stock is not None:
            if low_stock < 0:
                raise InvalidValue(f"a low-stock threshold is zero or more, not {low_stock}")
            check_precision(low_stock, uom)
        if not isinstance(change.low_stock, Keep) or "uom" in values:
            values["low_stock"] = low_stock
        for field, flag, what in (
            ("stock_keeping", change.stock_keeping, "switched to not stock-kept"),
            ("active", change.active, "archived"),
        ):
            if isinstance(flag, Keep):
                continue
            if not flag and getattr(current, field):
                _check_can_stop(current, what)
            values[field] = flag
        if values:
            Product.update(**values).where(Product.id == current.id).execute()
    return Product.get_by_id(product.id)


def _check_can_stop(product: Product, what: str) -> None:
    held = stock_held(product)
    if held != 0:
        quantity = format_quantity(held, product.uom.precision)
        raise InvalidValue(f"{product.code} has {quantity} {product.uom.code} in stock: it cannot be {what}")
    if _has_open_moves(product):
        raise InvalidValue(f"{product.code} has planned or reserved moves: it cannot be {what}")


def remove_barcode(store: Store, product: Product, code: str) -> None:
    """Take a barcode off a product (the moves already scanned with it keep their quantities)."""
    require(store, "manage_products")
    code = code.strip()
    with store.atomic():
        deleted = Barcode.delete().where((Barcode.code == code) & (Barcode.product == product.id)).execute()
    if not deleted:
        raise NotFound(f"{product.code} has no barcode {code!r}")


def barcodes_of(product: Product) -> list[Barcode]:
    """A product's barcodes, the single-unit ones first, then by package size and code."""
    return sorted(product.barcodes, key=lambda barcode: (barcode.quantity, barcode.code))
