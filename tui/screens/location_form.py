"""New location (a child of the highlighted one) and edit location, keyboard only."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Select

from store.location_edit import LocationChange, update_location
from store.locations import create_location
from store.models import COST_METHODS, Location
from tui.scanning import Scanned, scan_text
from tui.screens.form import FieldValues, FormCheckbox, FormScreen, FormSelect, field_row


def child_types(parent: Location | None) -> list[str]:
    """The types a new location may have under ``parent`` (None: at the top of the tree)."""
    if parent is None:
        return ["warehouse", "view"]
    if parent.is_virtual:
        return [parent.type, "view"]
    return ["storage", "view", "warehouse"]


def _cost_choice(value: str | None) -> FormSelect:
    return FormSelect([(method.upper(), method) for method in COST_METHODS], value=value or "fifo", allow_blank=False,
                  id="cost_method", compact=True)  # fmt: skip


class NewLocationScreen(FormScreen[int | None]):
    """Create a location under ``parent`` (a warehouse gets its input, storage, output and lost-and-found)."""

    title_text = "New location"

    def __init__(self, parent: Location | None) -> None:
        super().__init__()
        self.parent_location = parent
        if parent is not None:
            self.title_text = f"New under {parent.code}"

    def fields(self) -> ComposeResult:
        types = child_types(self.parent_location)
        negative = True if self.parent_location is None else self.parent_location.allow_negative
        yield field_row("Code", Input(id="code", placeholder="location code", compact=True))
        yield field_row("Name", Input(id="name", placeholder="empty: the code", compact=True))
        yield field_row(
            "Type", FormSelect([(kind, kind) for kind in types], value=types[0], allow_blank=False, id="type", compact=True)
        )
        yield field_row("Barcode", Input(id="barcode", placeholder="label: scan or type", compact=True))
        yield field_row("Negative", FormCheckbox("allowed", negative, id="allow_negative", compact=True))
        yield field_row("Costing", _cost_choice(None), row_id="cost-row")

    def on_mount(self) -> None:
        self._show_cost(self.query_one("#type", Select).value)
        super().on_mount()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "type":
            self._show_cost(event.value)

    def _show_cost(self, kind: object) -> None:
        self.query_one("#cost-row").display = kind == "warehouse"

    def on_scan(self, scan: Scanned) -> None:
        """A scan fills the barcode field (a label printed beforehand)."""
        self.query_one("#barcode", Input).value = scan_text(scan)

    def save(self, values: FieldValues) -> int:
        """Create the location (in the form's worker thread)."""
        parent = None if self.parent_location is None else Location.get_by_id(self.parent_location.id)
        location = create_location(
            self.app.store,
            values["code"],
            values["name"],
            values["type"],
            parent=parent,
            barcode=values["barcode"].strip() or None,
            cost_method=values["cost_method"] if values["type"] == "warehouse" else None,
            allow_negative=values["allow_negative"],
        )
        return location.id


class EditLocationScreen(FormScreen[bool | None]):
    """Edit a location's name, barcode, negative-stock rule, active flag and (a warehouse's) cost method."""

    title_text = "Edit location"

    def __init__(self, location: Location) -> None:
        super().__init__()
        self.location = location
        self.title_text = f"Edit {location.code}"

    def fields(self) -> ComposeResult:
        location = self.location
        yield field_row("Name", Input(location.name, id="name", compact=True))
        yield field_row("Barcode", Input(location.barcode or "", id="barcode", placeholder="none", compact=True))
        yield field_row("Negative", FormCheckbox("allowed", location.allow_negative, id="allow_negative", compact=True))
        yield field_row("Active", FormCheckbox("active", location.active, id="active", compact=True))
        if location.type == "warehouse":
            yield field_row("Costing", _cost_choice(location.cost_method))

    def on_scan(self, scan: Scanned) -> None:
        """A scan fills the barcode field."""
        self.query_one("#barcode", Input).value = scan_text(scan)

    def save(self, values: FieldValues) -> bool:
        """Apply the changes (in the form's worker thread)."""
        change = LocationChange(
            name=values["name"],
            barcode=values["barcode"],
            allow_negative=values["allow_negative"],
            active=values["active"],
            **({"cost_method": values["cost_method"]} if "cost_method" in values else {}),
        )
        update_location(self.app.store, self.location, change)
        return True
