"""The products screen: find a product by code, name or a scan, and open it; F2 creates one.

The find box filters the list as you type. Enter in it (a keyboard-wedge scan
ends with Enter) opens the product the text names exactly (a barcode, a case
barcode, a GTIN in any of its lengths, or a code), else the only match, else
moves to the list. A serial scanner's scan does the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Key, Resize
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label
from textual.worker import Worker, WorkerState

from store.catalogue_details import Units, unit_choices
from store.errors import StockError
from store.product_search import SEARCH_LIMIT, ProductRow, product_for_scan, search_products
from tui.literal import literal
from tui.messages import ScanReceived
from tui.permissions import permitted
from tui.readings import reading_from_scan
from tui.scanning import Scanned
from tui.screens.product import ProductScreen
from tui.screens.product_form import NewProductScreen
from tui.wedge import ScanInput
from tui.widgets.catalogue_tables import cell
from tui.widgets.top_bar import TopBar
from tui.wording import counted


@dataclass(frozen=True)
class Found:
    """What Enter or a scan in the find box led to: a product to open, or the matches to choose from."""

    text: str
    product_id: int | None
    rows: list[ProductRow]
    barcode_like: bool


class ProductsScreen(Screen[None]):
    """A list of products with a find box; Enter opens the highlighted product."""

    CSS_PATH = "products.tcss"
    AUTO_FOCUS = "#products-find"
    BINDINGS = [
        Binding("f2,n", "new", "New"),
        Binding("f7,slash", "focus_find", "Find"),
        Binding("f5,r", "reload", "Reload", show=False),
        Binding("down", "focus_list", "To the list", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._search = ""
        self._rows: list[ProductRow] = []
        self._units: Units = []
        self._unknown_barcode = ""
        self._layout_width = 0

    def compose(self) -> ComposeResult:
        yield TopBar("Products")
        yield ScanInput(placeholder="find: code, name or scan", id="products-find", compact=True)
        yield DataTable(id="products-table", cursor_type="row", zebra_stripes=True)
        yield Label("Loading...", id="products-status", markup=False)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.load("")
        self._load_units()

    # -- reading, in threads -------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="products")
    def load(self, search: str) -> list[ProductRow]:
        """The products matching ``search`` (in a thread: the UI never waits on the store)."""
        try:
            return search_products(search)
        finally:
            self.app.store.close()

    @work(thread=True, exit_on_error=False, group="units")
    def _load_units(self) -> Units:
        try:
            return unit_choices()
        finally:
            self.app.store.close()

    @work(thread=True, exclusive=True, exit_on_error=False, group="find")
    def find(self, text: str, scan: Scanned) -> Found:
        """The product a scan or an entered text names, else the products matching it."""
        try:
            product = product_for_scan(reading_from_scan(scan))
            rows = [] if product is not None else search_products(text)
            return Found(text, product.id if product is not None else None, rows, bool(scan.gtin))
        finally:
            self.app.store.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show what a worker read, or why it failed."""
        group = event.worker.group
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            message = str(error) if isinstance(error, StockError) else f"Products could not be read: {error}"
            self._status(literal(message, style="bold red"))
            return
        if event.state != WorkerState.SUCCESS:
            return
        if group == "products":
            self._rows = event.worker.result or []
            self._fill()
        elif group == "units":
            self._units = event.worker.result or []
        elif group == "find":
            self._found(event.worker.result)

    # -- showing -----------------------------------------------------------------------

    def _status(self, text: Text) -> None:
        self.query_one("#products-status", Label).update(text)

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._layout_width:
            self._fill()

    def _fill(self) -> None:
        width = self.size.width
        self._layout_width = width
        table = self.query_one("#products-table", DataTable)
        table.clear(columns=True)
        table.cell_padding = 0 if width < 40 else 1
        padding = 0 if width < 40 else 2
        code = 8 if width < 40 else 12
        extra = [("Unit", 6), ("Category", 12)] if width >= 80 else []
        used = code + padding * (2 + len(extra)) + sum(w for _, w in extra) + 3
        for label, column_width in [("Code", code), ("Name", max(8, width - used)), *extra]:
            table.add_column(label, width=column_width)
        for row in self._rows:
            style = "" if row.active else "dim"
            cells = [cell(row.code, style), cell(row.name if row.active else f"{row.name} (archived)", style)]
            if extra:
                cells += [cell(row.uom, style), cell(row.category, style)]
            table.add_row(*cells, key=str(row.id))
        if len(self._rows) >= SEARCH_LIMIT:
            self._status(Text(f"first {SEARCH_LIMIT} products: type to narrow"))
        elif self._rows:
            self._status(Text(counted(len(self._rows), "product")))
        elif self._search:
            self._status(Text("No product matches ").append_text(literal(self._search)))
        else:
            self._status(Text("No products yet: F2 creates one"))

    def _found(self, found: Found) -> None:
        if found.product_id is not None:
            self.open(found.product_id)
            return
        self._rows = found.rows
        self._fill()
        if len(found.rows) == 1:
            self.open(found.rows[0].id)
        elif found.rows:
            self.action_focus_list()
        elif found.barcode_like:
            self._unknown_barcode = found.text
            self._status(Text("No product has barcode ").append_text(literal(found.text)).append(": F2 creates one"))
            self.app.bell()

    # -- input -------------------------------------------------------------------------

    @on(ScanInput.Changed, "#products-find")
    def _find_changed(self, event: ScanInput.Changed) -> None:
        self._search = event.value
        self.load(event.value)

    def on_key(self, event: Key) -> None:
        """Typing (or a wedge scan) while the list has the focus goes to the find box, never to a row."""
        table = self.query_one("#products-table", DataTable)
        if self.focused is table and event.is_printable and event.character and event.character not in "nr/":
            event.stop()
            event.prevent_default()
            find_box = self.query_one("#products-find", ScanInput)
            find_box.clear()
            find_box.focus()
            find_box.insert_text_at_cursor(event.character)

    def on_scan_received(self, message: ScanReceived) -> None:
        """Enter in the find box (a wedge scan or typed text): open what it names."""
        message.stop()
        text = message.text or message.scan.raw_text
        find_box = self.query_one("#products-find", ScanInput)
        find_box.value = text  # the box clears itself on Enter: keep what was entered
        self._search = text
        self.find(text, message.scan)

    def on_scan(self, scan: Scanned) -> None:
        """A serial scanner's scan: open the product it names."""
        self.find(scan.raw_text, scan)

    @on(DataTable.RowSelected, "#products-table")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.open(int(event.row_key.value))

    def open(self, product_id: int) -> None:
        """Show a product."""
        self.app.push_screen(ProductScreen(product_id), lambda _: self.action_reload())

    def action_new(self) -> None:
        """Create a product (with the unknown barcode last scanned here, if any)."""
        if not permitted(self, "manage_products"):
            return
        if not self._units:
            return

        def created(product_id: int | None) -> None:
            if product_id is not None:
                self._unknown_barcode = ""
                self.action_reload()
                self.open(product_id)

        self.app.push_screen(NewProductScreen(self._units, self._unknown_barcode), created)

    def action_focus_find(self) -> None:
        """Type a new search."""
        self.query_one("#products-find", ScanInput).focus()

    def action_focus_list(self) -> None:
        """Move through the list with the arrows."""
        self.query_one("#products-table", DataTable).focus()

    def action_reload(self) -> None:
        """Read the products again."""
        self.load(self._search)

    def action_back(self) -> None:
        """Back to the home screen."""
        self.dismiss(None)

