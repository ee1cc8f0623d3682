"""The filters of a report: one line of text per field; Enter goes to the next field and applies on the last."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from tui.literal import literal


@dataclass(frozen=True)
class FilterField:
    """One filter of a report: its key in the values, its label and a hint shown when empty."""

    name: str
    label: str
    hint: str = ""


class FilterDialog(ModalScreen[dict[str, str] | None]):
    """Edit a report's filters: Enter moves down and applies on the last field, F2 applies, Esc cancels (None)."""

    DEFAULT_CSS = """
    FilterDialog { align: center middle; }
    FilterDialog > VerticalScroll { width: 100%; max-width: 60; height: auto; max-height: 100%;
        border: round $accent; padding: 0 1; }
    FilterDialog Label { height: 1; }
    FilterDialog Input { background: $boost; }
    """
    AUTO_FOCUS = "Input"
    BINDINGS = [
        Binding("f2", "apply", "Apply"),
        Binding("escape", "cancel", "Cancel"),
        Binding("up", "app.focus_previous", "Previous field", show=False),
        Binding("down", "app.focus_next", "Next field", show=False),
    ]

    def __init__(self, fields: tuple[FilterField, ...], values: dict[str, str]) -> None:
        super().__init__()
        self.fields = fields
        self.values = values

    def compose(self) -> ComposeResult:
        fields = VerticalScroll()
        fields.can_focus = False  # the arrows and Enter move between the fields, not to the box
        with fields:
            for field in self.fields:
                yield Label(literal(field.label))
                yield Input(self.values.get(field.name, ""), placeholder=field.hint, id=f"filter-{field.name}", compact=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == f"filter-{self.fields[-1].name}":
            self.action_apply()
        else:
            self.focus_next()

    def action_apply(self) -> None:
        """Close with the values typed."""
        self.dismiss({field.name: self.query_one(f"#filter-{field.name}", Input).value.strip() for field in self.fields})

    def action_cancel(self) -> None:
        self.dismiss(None)
