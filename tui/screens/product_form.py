"""New product and edit product: the catalogue's fields, keyboard only."""

from __future__ import annotations

from decimal import Decimal

from textual.app import ComposeResult
from textual.widgets import Input

from store.catalog import add_barcode, create_product
from store.catalogue_details import Units
from store.models import Product
from store.product_edit import ProductChange, update_product
from store.quantity import format_quantity, parse_decimal
from store.units import get_uom
from tui.readings import item_code
from tui.scanning import Scanned, scan_text
from tui.screens.form import FieldValues, FormCheckbox, FormScreen, FormSelect, field_row

"""``(code, name)`` of every unit, for the unit choice."""


def _unit_choice(units: Units, value: str) -> FormSelect:
    options = [(f"{code} ({name})", code) for code, name in units]
    return FormSelect(options, value=value, allow_blank=False, id="uom", compact=True)


def optional_quantity(text: str) -> Decimal | None:
    """A typed quantity, or None when the field was left empty."""
    return parse_decimal(text) if text.strip() else None


class NewProductScreen(FormScreen[int | None]):
    """Create a product, with one barcode if given (its check digit verified); dismissed with its id."""

    title_text = "New product"

    def __init__(self, units: Units, barcode: str = "") -> None:
        super().__init__()
        self.units = units
        self.barcode = barcode

    def fields(self) -> ComposeResult:
        yield field_row("Code", Input(id="code", placeholder="product code", compact=True))
        yield field_row("Name", Input(id="name", placeholder="name", compact=True))
        yield field_row("Unit", _unit_choice(self.units, "pc" if ("pc", "piece") in self.units else self.units[0][0]))
        yield field_row("Category", Input(id="category", compact=True))
        yield field_row("Low at", Input(id="low_stock", placeholder="empty: none", compact=True))
        yield field_row("Stocked", FormCheckbox("stock-kept", True, id="stock_keeping", compact=True))
        yield field_row("Barcode", Input(self.barcode, id="barcode", placeholder="scan or type", compact=True))
        yield field_row("Per scan", Input("1", id="per_scan", compact=True))

    def on_scan(self, scan: Scanned) -> None:
        """A scan fills the barcode field."""
        self.query_one("#barcode", Input).value = scan_text(scan)

    def save(self, values: FieldValues) -> int:
        """Create the product (in the form's worker thread)."""
        store = self.app.store
        barcode = item_code(values["barcode"], self.app.scan_region)
        barcodes = [(barcode, parse_decimal(values["per_scan"]))] if barcode.strip() else []
        product = create_product(
            store,
            values["code"],
            values["name"],
            get_uom(values["uom"]),
            barcodes,
            category=values["category"],
            low_stock=optional_quantity(values["low_stock"]),
            stock_keeping=values["stock_keeping"],
        )
        return product.id


class EditProductScreen(FormScreen[bool | None]):
    """Edit a product's name, unit, category, low-stock threshold, stock keeping and active flag."""

    title_text = "Edit product"

    def __init__(self, product: Product, units: Units) -> None:
        super().__init__()
        self.product = product
        self.units = units
        self.title_text = f"Edit {product.code}"

    def fields(self) -> ComposeResult:
        product = self.product
        low = "" if product.low_stock is None else format_quantity(product.low_stock, product.uom.precision)
        yield field_row("Name", Input(product.name, id="name", compact=True))
        yield field_row("Unit", _unit_choice(self.units, product.uom.code))
        yield field_row("Category", Input(product.category, id="category", compact=True))
        yield field_row("Low at", Input(low, id="low_stock", placeholder="empty: none", compact=True))
        yield field_row("Stocked", FormCheckbox("stock-kept", product.stock_keeping, id="stock_keeping", compact=True))
        yield field_row("Active", FormCheckbox("active", product.active, id="active", compact=True))

    def save(self, values: FieldValues) -> bool:
        """Apply the changes (in the form's worker thread)."""
        change = ProductChange(
            name=values["name"],
            uom=get_uom(values["uom"]),
            category=values["category"],
            low_stock=optional_quantity(values["low_stock"]),
            stock_keeping=values["stock_keeping"],
            active=values["active"],
        )
        update_product(self.app.store, self.product, change)
        return True


class AddBarcodeScreen(FormScreen[str | None]):
    """Give a product one more barcode: a unit's, or a package's with the quantity one scan stands for."""

    title_text = "Add barcode"

    def __init__(self, product: Product) -> None:
        super().__init__()
        self.product = product
        self.title_text = f"Barcode for {product.code}"

    def fields(self) -> ComposeResult:
        yield field_row("Barcode", Input(id="barcode", placeholder="scan or type", compact=True))
        yield field_row("Per scan", Input("1", id="per_scan", placeholder=self.product.uom.code, compact=True))

    def on_scan(self, scan: Scanned) -> None:
        """A scan fills the barcode field and moves on to its quantity."""
        self.query_one("#barcode", Input).value = scan_text(scan)
        self.query_one("#per_scan", Input).focus()

    def save(self, values: FieldValues) -> str:
        """Add the barcode (in the form's worker thread); refused with a wrong check digit or another product's."""
        product = Product.get_by_id(self.product.id)
        code = item_code(values["barcode"], self.app.scan_region)
        barcode = add_barcode(self.app.store, product, code, parse_decimal(values["per_scan"]))
        return barcode.code
