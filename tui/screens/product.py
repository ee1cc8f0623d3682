"""One product: its fields and barcodes, its stock per location, its recent moves and a chart of its stock.

F3 edits it, F4 adds a barcode (a case's with the quantity one scan stands
for), F7 takes a barcode off. Everything is read in a thread worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Sparkline, Static
from textual.worker import Worker, WorkerState

from store.errors import NotFound, StockError
from store.models import Barcode, Product, Uom
from store.product_edit import barcodes_of, remove_barcode
from store.product_search import product_for_scan
from store.product_views import MoveLine, StockAt, product_stock, recent_moves
from store.quantity import format_quantity
from store.stock_history import stock_history
from tui.dialogs.prompt import PromptDialog
from tui.labels import print_labels
from tui.literal import escape_controls, literal
from tui.permissions import permitted
from tui.readings import reading_from_scan
from tui.scanning import Scanned
from tui.screens.product_form import AddBarcodeScreen, EditProductScreen, Units
from tui.widgets.catalogue_tables import fill_moves, fill_stock
from tui.widgets.top_bar import TopBar

HISTORY_DAYS = 30


@dataclass(frozen=True)
class ProductDetail:
    """Everything the product screen shows, read in one worker."""

    product: Product
    barcodes: list[Barcode]
    stock: list[StockAt]
    moves: list[MoveLine]
    history: list[Decimal]
    units: Units


def read_detail(store, product_id: int) -> ProductDetail:
    """Read a product and what its screen shows (call in a thread)."""
    product = Product.select(Product, Uom).join(Uom).where(Product.id == product_id).get_or_none()
    if product is None:
        raise NotFound(f"product #{product_id} no longer exists")
    history = [quantity for _, quantity in stock_history(store, product, HISTORY_DAYS)]
    return ProductDetail(
        product=product,
        barcodes=barcodes_of(product),
        stock=product_stock(store, product),
        moves=recent_moves(store, product=product),
        history=history,
        units=[(uom.code, uom.name) for uom in Uom.select(Uom.code, Uom.name).order_by(Uom.id)],
    )


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


class ProductScreen(Screen[None]):
    """A product's detail; Esc goes back to the list."""

    CSS_PATH = "product.tcss"
    AUTO_FOCUS = "#product-body"
    BINDINGS = [
        Binding("f3,e", "edit", "Edit"),
        Binding("f4,b", "add_barcode", "Barcode+"),
        Binding("f7,x", "remove_barcode", "Barcode-"),
        Binding("f8,p", "labels", "Labels"),
        Binding("f5,r", "reload", "Reload", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, product_id: int) -> None:
        super().__init__()
        self.product_id = product_id
        self.detail: ProductDetail | None = None
        self._layout_width = 0

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

    def on_mount(self) -> None:
        for table in self.query(DataTable):
            table.can_focus = False
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="product")
    def load(self) -> ProductDetail:
        """Read the product and what its screen shows (in a thread)."""
        try:
            return read_detail(self.app.store, self.product_id)
        finally:
            self.app.store.close()

    @work(thread=True, exclusive=True, exit_on_error=False, group="product-write")
    def _remove(self, code: str) -> str:
        product = Product.get_by_id(self.product_id)
        try:
            remove_barcode(self.app.store, product, code)
            return code
        finally:
            self.app.store.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show what was read, or why something failed."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.message(str(error) if isinstance(error, StockError) else f"Failed: {error}", error=True)
        elif event.state == WorkerState.SUCCESS:
            if event.worker.group == "product":
                self.detail = event.worker.result
                self._show()
            elif event.worker.group == "product-write":
                self.message(f"Barcode {event.worker.result} removed")
                self.load()

    def message(self, text: str, error: bool = False) -> None:
        """A line under the fields (literal)."""
        panel = self.query_one("#product-message", Static)
        panel.update(literal(text, style="bold red" if error else "bold"))
        panel.set_class(error, "-error")
        if error:
            self.app.bell()

    def on_resize(self, event: Resize) -> None:
        if self.detail is not None and event.size.width != self._layout_width:
            self._show()

    def _show(self) -> None:
        detail = self.detail
        if detail is None:
            return
        width = self.size.width
        self._layout_width = width
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
        self.product_id = product.id
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

    def action_labels(self) -> None:
        """Write (or print) this product's labels where the terminal's settings say."""
        if self.detail is not None:
            print_labels(self, "products", self.detail.product.code)

    def action_reload(self) -> None:
        """Read the product again."""
        self.load()

    def action_back(self) -> None:
        """Back to the products."""
        self.dismiss(None)
