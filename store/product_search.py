"""Finding products by code, name or barcode, or by what a scanner read."""

from __future__ import annotations

from dataclasses import dataclass

from store.catalog import product_by_barcode
from store.errors import StockError
from store.models import Barcode, Product, Uom
from store.scanned import Reading, scanned_product

SEARCH_LIMIT = 500


@dataclass(frozen=True, slots=True)
class ProductRow:
    """One product as a list shows it."""

    id: int
    code: str
    name: str
    uom: str
    category: str
    active: bool


def search_products(text: str = "", limit: int = SEARCH_LIMIT) -> list[ProductRow]:
    """Products whose code or name contains ``text`` (any case) or whose barcode does, by code.

    A barcode scanned whole (a GTIN also as its 13- or 14-digit form) and an
    exact code come first. Empty ``text`` lists every product; at most ``limit``.
    """
    text = text.strip()
    query = Product.select(Product, Uom).join(Uom)
    exact: list[int] = []
    if text:
        scanned = product_by_barcode(text)
        exact = [scanned[0].id] if scanned is not None else []
        by_barcode = Barcode.select(Barcode.product).where(Barcode.code.contains(text))
        query = query.where(
            Product.code.contains(text) | Product.name.contains(text) | Product.id.in_(by_barcode) | Product.id.in_(exact)
        )
    rows = [
        ProductRow(p.id, p.code, p.name, p.uom.code, p.category, p.active)
        for p in query.order_by(Product.code).limit(limit + 1)
    ]
    first = {row.id for row in rows if row.id in exact or row.code == text}
    return sorted(rows, key=lambda row: row.id not in first)[:limit]


def product_for_scan(reading: Reading) -> Product | None:
    """The product a scan (or a typed code) names exactly, or None."""
    try:
        return scanned_product(reading)[0]
    except StockError:
        return None
