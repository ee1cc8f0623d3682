"""One location: its fields, the stock in it and under it, its recent moves. F3 edits it, F2 adds a child."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static
from textual.worker import Worker, WorkerState

from store.errors import NotFound, StockError
from store.models import Location
from store.product_views import MoveLine, StockAt, location_stock, recent_moves
from tui.labels import print_labels
from tui.literal import escape_controls, literal
from tui.permissions import permitted
from tui.screens.location_form import EditLocationScreen, NewLocationScreen
from tui.widgets.catalogue_tables import fill_moves, fill_stock
from tui.widgets.top_bar import TopBar


@dataclass(frozen=True)
class LocationDetail:
    """Everything the location screen shows, read in one worker."""

    location: Location
    parent_code: str
    warehouse_code: str
    stock: list[StockAt]
    moves: list[MoveLine]


def read_location(store, location_id: int) -> LocationDetail:
    """Read a location and what its screen shows (call in a thread)."""
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


def describe_location(detail: LocationDetail) -> Text:
    """The location's fields, shown literally."""
    location = detail.location
    text = literal(location.code, style="bold")
    text.append(" ")
    text.append(escape_controls(location.name))
    text.append(f"\n{location.type}")
    if detail.parent_code:
        text.append(" in ")
        text.append(escape_controls(detail.parent_code))
    if detail.warehouse_code and detail.warehouse_code != location.code:
        text.append(" · WH ")
        text.append(escape_controls(detail.warehouse_code))
    text.append("\nLabel ")
    text.append(escape_controls(location.barcode) if location.barcode else "none")
    text.append(" · negative " + ("allowed" if location.allow_negative else "refused"))
    if location.cost_method:
        text.append(f" · {location.cost_method.upper()}")
    if not location.active:
        text.append(" · inactive", style="bold")
    return text


class LocationScreen(Screen[None]):
    """A location's detail; Esc goes back to the tree."""

    CSS_PATH = "location.tcss"
    AUTO_FOCUS = "#location-body"
    BINDINGS = [
        Binding("f2,n", "new_child", "New child"),
        Binding("f3,e", "edit", "Edit"),
        Binding("f8,p", "labels", "Labels"),
        Binding("f5,r", "reload", "Reload", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, location_id: int) -> None:
        super().__init__()
        self.location_id = location_id
        self.detail: LocationDetail | None = None
        self._layout_width = 0

    def compose(self) -> ComposeResult:
        yield TopBar("Location")
        with VerticalScroll(id="location-body"):
            yield Static("Loading...", id="location-fields")
            yield Static(id="location-message")
            yield Label("Stock here and under", classes="section", markup=False)
            yield DataTable(id="location-stock", show_cursor=False, zebra_stripes=True)
            yield Label("Recent moves", classes="section", markup=False)
            yield DataTable(id="location-moves", show_cursor=False, zebra_stripes=True)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        for table in self.query(DataTable):
            table.can_focus = False
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="location")
    def load(self) -> LocationDetail:
        """Read the location and what its screen shows (in a thread)."""
        try:
            return read_location(self.app.store, self.location_id)
        finally:
            self.app.store.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show what was read, or why it failed."""
        if event.worker.group != "location":
            return
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.message(str(error) if isinstance(error, StockError) else f"Failed: {error}", error=True)
        elif event.state == WorkerState.SUCCESS:
            self.detail = event.worker.result
            self._show()

    def message(self, text: str, error: bool = False) -> None:
        """A line under the fields (literal)."""
        panel = self.query_one("#location-message", Static)
        panel.update(literal(text, style="bold red" if error else "bold"))
        panel.set_class(error, "-error")

    def on_resize(self, event: Resize) -> None:
        if self.detail is not None and event.size.width != self._layout_width:
            self._show()

    def _show(self) -> None:
        detail = self.detail
        if detail is None:
            return
        width = self.size.width
        self._layout_width = width
        self.query_one("#location-fields", Static).update(describe_location(detail))
        fill_stock(self.query_one("#location-stock", DataTable), detail.stock, width, by_product=True)
        fill_moves(self.query_one("#location-moves", DataTable), detail.moves, width, show_product=True)

    def action_new_child(self) -> None:
        """Create a location under this one."""
        if not permitted(self, "manage_locations"):
            return
        if self.detail is not None:
            self.app.push_screen(NewLocationScreen(self.detail.location), self._saved)

    def action_edit(self) -> None:
        """Edit this location."""
        if not permitted(self, "manage_locations"):
            return
        if self.detail is not None:
            self.app.push_screen(EditLocationScreen(self.detail.location), self._saved)

    def _saved(self, result: object) -> None:
        if result is not None:
            self.message("Saved")
            self.load()

    def action_labels(self) -> None:
        """Write (or print) this location's labels where the terminal's settings say."""
        if self.detail is not None:
            print_labels(self, "locations", self.detail.location.code)

    def action_reload(self) -> None:
        """Read the location again."""
        self.load()

    def action_back(self) -> None:
        """Back to the location tree."""
        self.dismiss(None)
