"""Forms kept by the keyboard alone: Enter moves to the next field, F6 saves, Esc cancels.

A form is a screen of labelled fields (``Input``, ``FormSelect``, ``FormCheckbox``).
Saving reads the fields on the UI thread and hands them to ``save`` in a
thread worker; a refusal from the store is shown under the fields and
nothing typed is lost. Esc asks "Discard changes?" once something was edited.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen, ScreenResultType
from textual.widget import Widget
from textual.widgets import Checkbox, Footer, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from store.errors import StockError
from tui.dialogs.prompt import ConfirmDialog
from tui.literal import literal
from tui.widgets.top_bar import TopBar

FieldValues = dict[str, Any]


class FormCheckbox(Checkbox):
    """A checkbox in a form: space ticks it, Enter moves on like every other field.

    Its box holds an X only when ticked (Textual's always holds one, told
    apart by colour alone): readable on a monochrome terminal or with NO_COLOR.
    """

    BINDINGS = [
        Binding("space", "toggle_button", "Toggle", show=False),
        Binding("enter", "advance", "Next field", show=False),
    ]

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - Textual reads the class constant of this name
        """What the box holds: an X when ticked, else a space."""
        return "X" if self.value else " "

    def action_advance(self) -> None:
        """Move to the next field."""
        self.screen.focus_next()


class FormSelect(Select):
    """A choice in a form: space or the arrows open the list, Enter moves on to the next field."""

    BINDINGS = [Binding("enter", "advance", "Next field", show=False)]

    def action_advance(self) -> None:
        """Move to the next field."""
        self.screen.focus_next()


def field_row(label: str, widget: Widget, row_id: str | None = None) -> Horizontal:
    """A form row: a short label, then the field."""
    return Horizontal(Label(label, markup=False, classes="form-label"), widget, classes="form-row", id=row_id)


class FormScreen(Screen[ScreenResultType]):
    """A form; subclasses give its ``title``, its ``fields`` and what ``save`` does with them (in a thread)."""

    CSS_PATH = "form.tcss"
    BINDINGS = [
        Binding("f6", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]
    AUTO_FOCUS = None  # the first field is focused once the form has its values
    title_text = "Form"

    def __init__(self) -> None:
        super().__init__()
        self._initial: FieldValues = {}
        self._ready = False

    def compose(self) -> ComposeResult:
        yield TopBar(self.title_text)
        with VerticalScroll(id="form-fields"):
            yield from self.fields()
        yield Static(id="form-message")
        yield Footer(show_command_palette=False, compact=True)

    def fields(self) -> ComposeResult:
        """The rows of the form (see ``field_row``); each field has an id, the key of its value."""
        raise NotImplementedError

    def save(self, values: FieldValues) -> Any:
        """Store the values (in a worker thread); the result dismisses the form. Raise ``StockError`` to refuse."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self._initial = self.values()
        first = next((widget for widget in self.query("#form-fields *") if widget.focusable), None)
        if first is not None:
            first.focus()
        self.call_after_refresh(self._set_ready)

    def _set_ready(self) -> None:
        self._ready = True

    def values(self) -> FieldValues:
        """What every field holds now, by field id."""
        found: FieldValues = {}
        for widget in self.query("#form-fields Input, #form-fields Select, #form-fields Checkbox"):
            if widget.id and widget.display:
                found[widget.id] = widget.value
        return found

    def edited(self) -> bool:
        """Whether any field differs from what the form opened with."""
        return self.values() != self._initial

    def message(self, text: str, error: bool = False) -> None:
        """Show a line under the fields (untrusted text shown literally)."""
        panel = self.query_one("#form-message", Static)
        panel.update(literal(text, style="bold red" if error else "bold"))
        panel.set_class(error, "-error")
        if error:
            self.app.bell()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        """A choice made from the list moves on to the next field."""
        if self._ready and event.select.has_focus:
            self.focus_next()

    def action_save(self) -> None:
        """Save the form (in a thread); the screen closes when the store took it."""
        self.message("Saving...")
        self._save(self.values())

    @work(thread=True, exclusive=True, group="form-save", exit_on_error=False)
    def _save(self, values: FieldValues) -> Any:
        store = self.app.store
        try:
            return self.save(values)
        finally:
            store.close()  # this thread's connection

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "form-save":
            return
        if event.state == WorkerState.SUCCESS:
            self.dismiss(event.worker.result)
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            self.message(str(error) if isinstance(error, StockError) else f"Not saved: {error}", error=True)

    def action_cancel(self) -> None:
        """Close without saving; asks first if something was edited."""
        if not self.edited():
            self.dismiss(None)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog("Discard changes?"), answered)
