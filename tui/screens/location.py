"""One location: its fields, the stock in it and under it, its recent moves. F3 edits it, F2 adds a child."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Label, Static

from store.catalogue_details import LocationDetail, location_detail
from store.database import Store
from tui.detail_screen import DetailScreen
from tui.literal import escape_controls, literal
from tui.permissions import permitted
from tui.screens.location_form import EditLocationScreen, NewLocationScreen
from tui.widgets.catalogue_tables import fill_moves, fill_stock
from tui.widgets.top_bar import TopBar


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


class LocationScreen(DetailScreen[LocationDetail]):
    """A location's detail; Esc goes back to the tree."""

    CSS_PATH = "location.tcss"
    AUTO_FOCUS = "#location-body"
    NAME = "location"
    LABEL_KIND = "locations"
    BINDINGS = [
        Binding("f2,n", "new_child", "New child"),
        Binding("f3,e", "edit", "Edit"),
        *DetailScreen.COMMON_BINDINGS,
    ]

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

    def read(self, store: Store, record_id: int) -> LocationDetail:
        """The location and what its screen shows."""
        return location_detail(store, record_id)

    def label_code(self, detail: LocationDetail) -> str:
        """The location's code (its label shows its barcode, else the code)."""
        return detail.location.code

    def show(self, detail: LocationDetail, width: int) -> None:
        """Fields, the stock in and under it, recent moves."""
        self.query_one("#location-fields", Static).update(describe_location(detail))
        fill_stock(self.query_one("#location-stock", DataTable), detail.stock, width, by_product=True)
        fill_moves(self.query_one("#location-moves", DataTable), detail.moves, width, show_product=True)

    def action_new_child(self) -> None:
        """Create a location under this one."""
        if not permitted(self, "manage_locations"):
            return
        if self.detail is not None:
            self.app.push_screen(NewLocationScreen(self.detail.location), self._created)

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

    def _created(self, location_id: int | None) -> None:
        if location_id is not None and self.detail is not None:
            self.message(f"New location added under {self.detail.location.code}")
