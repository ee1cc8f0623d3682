"""The stock screen: what is on hand where, searchable by code, name or barcode."""

from __future__ import annotations

from decimal import Decimal

from rich.console import JustifyMethod
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label
from textual.worker import Worker, WorkerState

from store.errors import StockError
from store.models import Location
from store.quantity import format_quantity
from store.stock_list import StockLine, low_products, stock_search
from tui.literal import literal
from tui.scanning import Scanned, scan_text
from tui.widgets.top_bar import TopBar
from tui.wording import counted

LOW_STYLE = "bold red"
SCROLLBAR = 1  # columns the table's vertical scrollbar takes (see stock.tcss)


def layout_for(width: int) -> str:
    """``narrow`` under 40 columns, ``medium`` under 80, else ``wide``."""
    return "narrow" if width < 40 else "medium" if width < 80 else "wide"


def padding_for(width: int) -> int:
    """Cell padding: none at 20 columns, where every column counts (quantities are right-aligned)."""
    return 0 if layout_for(width) == "narrow" else 1


def columns_for(width: int) -> list[tuple[str, int]]:
    """``(label, width)`` of the table's columns at a screen width (each also takes twice ``padding_for``)."""
    layout = layout_for(width)
    if layout == "narrow":
        return [("Product", 12), ("Qty", 7)]
    if layout == "medium":
        return [("Product", 10), ("Loc", 7), ("On hand", 7), ("Unit", 7)]
    fixed = [("Product", 10), ("Location", 8), ("On hand", 8), ("Reserved", 8), ("Avail", 8), ("Unit", 7)]
    used = sum(w + 2 for _, w in fixed) + 2 + SCROLLBAR
    return [fixed[0], ("Name", max(10, width - used)), *fixed[1:]]


def row_cells(line: StockLine, width: int) -> tuple[list[Text], int]:
    """The cells of one stock line at a screen width, and the row's height.

    At 20 columns a row is two lines: code over location, quantity over unit.
    Low stock is marked with ``!`` before the code (and colour where there is colour).
    """
    code = _cell(("!" if line.low else "") + line.product_code, LOW_STYLE if line.low else "")

    def qty(value: Decimal) -> Text:
        return _cell(format_quantity(value, line.precision), justify="right")

    layout = layout_for(width)
    if layout == "narrow":
        code.append("\n").append_text(literal(line.location_code))
        on_hand = qty(line.on_hand)
        on_hand.append("\n").append_text(literal(line.uom))
        return [code, on_hand], 2
    if layout == "medium":
        return [code, _cell(line.location_code), qty(line.on_hand), _cell(line.uom)], 1
    cells = [code, _cell(line.product_name), _cell(line.location_code)]
    return cells + [qty(line.on_hand), qty(line.reserved), qty(line.available), _cell(line.uom)], 1


def _cell(value: str, style: str = "", justify: JustifyMethod | None = None) -> Text:
    """A table cell showing ``value`` literally on one line, cut with an ellipsis if too long."""
    text = literal(value, style)
    text.no_wrap, text.overflow, text.justify = True, "ellipsis", justify
    return text


class StockScreen(Screen[None]):
    """A searchable list of stock per product and location; a scan searches for the product, a bin label
    (or a location's code) lists what that location holds."""

    CSS_PATH = "stock.tcss"
    AUTO_FOCUS = "#stock-search"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f7", "focus_search", "Search"),
        Binding("down", "focus_table", "To the list", show=False),
        Binding("f5", "reload", "Reload"),
    ]

    def __init__(self, search: str = "") -> None:
        super().__init__()
        self._search = search
        self._lines: list[StockLine] = []
        self._location: Location | None = None  # the location the search named, when it named no product
        self._layout_width = 0

    def compose(self) -> ComposeResult:
        yield TopBar("Stock")
        yield Input(self._search, placeholder="Search code, name or barcode", id="stock-search", compact=True)
        yield DataTable(id="stock-table", cursor_type="row", zebra_stripes=True)
        yield Label("Loading...", id="stock-status", markup=False)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.load(self._search)

    @on(Input.Changed, "#stock-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._search = event.value
        self.load(event.value)

    @on(Input.Submitted, "#stock-search")
    def _search_submitted(self) -> None:
        self.action_focus_table()

    @work(thread=True, exclusive=True, exit_on_error=False, group="stock")
    def load(self, search: str) -> tuple[Location | None, list[StockLine]]:
        """Read the stock lines ``search`` names, and the location it named if any (in a thread: the UI never waits)."""
        store = self.app.store
        try:
            return stock_search(store, search)
        finally:
            store.close()  # this thread's connection

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show loaded lines, or what went wrong."""
        if event.worker.group != "stock":
            return
        status = self.query_one("#stock-status", Label)
        if event.state == WorkerState.SUCCESS:
            self._location, self._lines = event.worker.result or (None, [])
            self._fill()
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            message = str(error) if isinstance(error, StockError) else f"Stock could not be read: {error}"
            status.update(literal(message))
            self.notify(message, title="Stock", severity="error", markup=False)

    def on_resize(self, event: Resize) -> None:
        if self._lines and event.size.width != self._layout_width:
            self._fill()

    def _fill(self) -> None:
        """Put the loaded lines into the table, laid out for the screen's width."""
        width = self.size.width
        self._layout_width = width
        table = self.query_one("#stock-table", DataTable)
        table.clear(columns=True)
        table.cell_padding = padding_for(width)
        for label, column_width in columns_for(width):
            table.add_column(label, width=column_width)
        for index, line in enumerate(self._lines):
            cells, height = row_cells(line, width)
            table.add_row(*cells, height=height, key=str(index))
        low = low_products(self._lines)
        if self._lines:
            text = Text(counted(len(self._lines), "line"))
            if self._location is not None:
                text.append(" at ").append_text(literal(self._location.code))
            if low:
                text.append(f" · {low} low", LOW_STYLE)
        else:
            if self._location is not None:
                text = Text("No stock at ").append_text(literal(self._location.code))
            elif self._search:
                text = Text("No stock matches ").append_text(literal(self._search))
            else:
                text = Text("No stock")
        self.query_one("#stock-status", Label).update(text)

    def on_scan(self, scan: Scanned) -> None:
        """Search for what was scanned."""
        search = self.query_one("#stock-search", Input)
        search.value = scan_text(scan)
        search.focus()

    def action_back(self) -> None:
        """Back to the home screen."""
        self.dismiss(None)

    def action_focus_search(self) -> None:
        """Type a new search."""
        self.query_one("#stock-search", Input).focus()

    def action_focus_table(self) -> None:
        """Move through the list with the arrows."""
        self.query_one("#stock-table", DataTable).focus()

    def action_reload(self) -> None:
        """Read the stock again."""
        self.load(self._search)
