"""One product: its fields and barcodes, its stock per location, its recent moves and a chart of its stock.

F3 edits it, F4 adds a barcode (a case's with the quantity one scan stands
for), F7 takes a barcode off. Everything is read in a thread worker.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Label, Sparkline, Static
from textual.worker import Worker

from store.catalogue_details import HISTORY_DAYS, ProductDetail, product_detail
from store.database import Store
from store.errors import NotFound
from store.models import Product
from store.product_edit import remove_barcode
from store.product_search import product_for_scan
from store.quantity import format_quantity
from tui.detail_screen import DetailScreen
from tui.dialogs.prompt import PromptDialog
from tui.literal import escape_controls, literal
from tui.permissions import permitted
from tui.readings import reading_from_scan
from tui.scanning import Scanned
from tui.screens.product_form import AddBarcodeScreen, EditProductScreen
from tui.widgets.catalogue_tables import fill_moves, fill_stock
from tui.widgets.top_bar import TopBar


def describe(detail: ProductDetail) -> Text:
    """The product's fields, shown literally: code and name, unit and category, threshold and flags."""
    product = detail.product
    uom = product.uom
    text = literal(product.code, style="bold")
    text.append(" ")
    text.append(escape_controls(product.name))
    text.append("\nUnit ")
    text.append(escape_controls(uom.code))
    if product.category:
        text.append(" · ")
        text.append(escape_controls(product.category))
    low = "none" if product.low_stock is None else format_quantity(product.low_stock, uom.precision)
    text.append(f"\nLow at {low}")
    if not product.stock_keeping:
        text.append(" · not stock-kept", style="bold")
    if not product.active:
        text.append(" · archived", style="bold")
    return text


def describe_barcodes(detail: ProductDetail) -> Text:
    """The barcodes, a package's with the quantity one scan stands for."""
    if not detail.barcodes:
        return literal("No barcodes: F4 adds one", style="dim")
    text = Text("Barcodes")
    precision = detail.product.uom.precision
    for barcode in detail.barcodes:
        text.append("\n ")
        text.append(escape_controls(barcode.code))
        if barcode.quantity != 1:
            text.append(f" x{format_quantity(barcode.quantity, precision)}", style="bold")
    return text


def describe_history(detail: ProductDetail) -> Text:
    """The chart's caption: the stock a month ago and now."""
    precision = detail.product.uom.precision
    first, last = detail.history[0], detail.history[-1]
    return Text(
        f"Stock, {HISTORY_DAYS} days: {format_quantity(first, precision)} > {format_quantity(last, precision)} "
        f"(max {format_quantity(max(detail.history), precision)})"
    )


class ProductScreen(DetailScreen[ProductDetail]):
    """A product's detail; Esc goes back to the list."""

    CSS_PATH = "product.tcss"
    AUTO_FOCUS = "#product-body"
    NAME = "product"
    LABEL_KIND = "products"
    BINDINGS = [
        Binding("f3,e", "edit", "Edit"),
        Binding("f4,b", "add_barcode", "Barcode+"),
        Binding("f7,x", "remove_barcode", "Barcode-"),
        *DetailScreen.COMMON_BINDINGS,
    ]

    def compose(self) -> ComposeResult:
        yield TopBar("Product")
        with VerticalScroll(id="product-body"):
            yield Static("Loading...", id="product-fields")
            yield Static(id="product-message")
            yield Static(id="product-barcodes")
            yield Label("", id="product-history-caption", markup=False)
            yield Sparkline([], id="product-sparkline")
            yield Label("Stock", classes="section", markup=False)
            yield DataTable(id="product-stock", show_cursor=False, zebra_stripes=True)
            yield Label("Recent moves", classes="section", markup=False)
            yield DataTable(id="product-moves", show_cursor=False, zebra_stripes=True)
        yield Footer(show_command_palette=False, compact=True)

    def read(self, store: Store, record_id: int) -> ProductDetail:
        """The product and what its screen shows."""
        return product_detail(store, record_id)

    def label_code(self, detail: ProductDetail) -> str:
        """The product's code: its labels are its barcodes'."""
        return detail.product.code

    @work(thread=True, exclusive=True, exit_on_error=False, group="product-write")
    def _remove(self, code: str) -> str:
        product = Product.get_by_id(self.record_id)
        try:
            remove_barcode(self.app.store, product, code)
            return code
        finally:
            self.app.store.close()

    def written(self, worker: Worker) -> None:
        """A barcode was removed."""
        if worker.group == "product-write":
            self.message(f"Barcode {worker.result} removed")
            self.load()

    def show(self, detail: ProductDetail, width: int) -> None:
        """Fields, barcodes, the stock chart, stock per bin and recent moves."""
        self.query_one("#product-fields", Static).update(describe(detail))
        self.query_one("#product-barcodes", Static).update(describe_barcodes(detail))
        self.query_one("#product-history-caption", Label).update(describe_history(detail))
        self.query_one("#product-sparkline", Sparkline).data = [float(q) for q in detail.history]
        fill_stock(self.query_one("#product-stock", DataTable), detail.stock, width, by_product=False)
        fill_moves(self.query_one("#product-moves", DataTable), detail.moves, width, show_product=False)

    def on_scan(self, scan: Scanned) -> None:
        """A serial scanner's scan shows the product it names instead."""
        self._open_scanned(scan)

    @work(thread=True, exclusive=True, exit_on_error=False, group="product-scan")
    def _open_scanned(self, scan: Scanned) -> None:
        try:
            product = product_for_scan(reading_from_scan(scan))
        finally:
            self.app.store.close()
        if product is None:
            raise NotFound(f"Unknown barcode {scan.raw_text}")
        self.record_id = product.id
        self.app.call_from_thread(self.load)

    def action_edit(self) -> None:
        """Edit the product's fields."""
        if not permitted(self, "manage_products"):
            return
        if self.detail is not None:
            self.app.push_screen(EditProductScreen(self.detail.product, self.detail.units), self._saved)

    def action_add_barcode(self) -> None:
        """Add a barcode: scan or type it, then the quantity one scan stands for."""
        if not permitted(self, "manage_products"):
            return
        if self.detail is not None:
            self.app.push_screen(AddBarcodeScreen(self.detail.product), self._saved)

    def _saved(self, result: object) -> None:
        if result is not None:
            self.message("Barcode " + str(result) + " added" if isinstance(result, str) else "Saved")
            self.load()

    def action_remove_barcode(self) -> None:
        """Take a barcode off the product: scan or type which."""
        if not permitted(self, "manage_products"):
            return
        if self.detail is None or not self.detail.barcodes:
            self.message("No barcode to remove", error=True)
            return
        only = self.detail.barcodes[0].code if len(self.detail.barcodes) == 1 else ""

        def answered(code: str | None) -> None:
            if code:
                self._remove(code)

        self.app.push_screen(PromptDialog("Remove which barcode? (scan or type)", only), answered)
