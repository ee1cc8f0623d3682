"""Everything a product's or a location's detail screen shows, read in one go (call in a thread)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from store.errors import NotFound
from store.models import Barcode, Location, Product, Uom
from store.product_edit import barcodes_of
from store.product_views import MoveLine, StockAt, location_stock, product_stock, recent_moves
from store.stock_history import stock_history

if TYPE_CHECKING:
    from store.database import Store

HISTORY_DAYS = 30
"""How many days of stock a product's chart shows."""

Units = list[tuple[str, str]]
"""Every unit as ``(code, name)``: the choices of a product's form."""


def unit_choices() -> Units:
    """Every unit as ``(code, name)``, in the order they were made."""
    return [(uom.code, uom.name) for uom in Uom.select(Uom.code, Uom.name).order_by(Uom.id)]


@dataclass(frozen=True)
class ProductDetail:
    """A product, its barcodes, stock per location, recent moves, daily stock and the units it may take."""

    product: Product
    barcodes: list[Barcode]
    stock: list[StockAt]
    moves: list[MoveLine]
    history: list[Decimal]
    units: Units


def product_detail(store: Store, product_id: int) -> ProductDetail:
    """Read a product and what its screen shows."""
    product = Product.select(Product, Uom).join(Uom).where(Product.id == product_id).get_or_none()
    if product is None:
        raise NotFound(f"product #{product_id} no longer exists")
    return ProductDetail(
        product=product,
        barcodes=barcodes_of(product),
        stock=product_stock(store, product),
        moves=recent_moves(store, product=product),
        history=[quantity for _, quantity in stock_history(store, product, HISTORY_DAYS)],
        units=unit_choices(),
    )


@dataclass(frozen=True)
class LocationDetail:
    """A location, the codes of its parent and warehouse, the stock in and under it, its recent moves."""

    location: Location
    parent_code: str
    warehouse_code: str
    stock: list[StockAt]
    moves: list[MoveLine]


def location_detail(store: Store, location_id: int) -> LocationDetail:
    """Read a location and what its screen shows."""
    location = Location.get_or_none(Location.id == location_id)
    if location is None:
        raise NotFound(f"location #{location_id} no longer exists")
    parent = Location.get_or_none(Location.id == location.parent_id) if location.parent_id else None
    warehouse = Location.get_or_none(Location.id == location.warehouse_id) if location.warehouse_id else None
    return LocationDetail(
        location=location,
        parent_code=parent.code if parent else "",
        warehouse_code=warehouse.code if warehouse else "",
        stock=location_stock(store, location),
        moves=recent_moves(store, location=location),
    )
