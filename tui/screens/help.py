"""F1: the keys of the screen you were on."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label


def class_bindings(node_class: type[DOMNode]) -> list[Binding]:
    """The bindings Stockroom's own classes give ``node_class`` (not Textual's housekeeping ones), keys split."""
    found: list[Binding] = []
    for cls in reversed(node_class.__mro__):
        if cls.__module__.startswith("tui."):
            found.extend(Binding.make_bindings(cls.__dict__.get("BINDINGS", [])))
    return found


def own_bindings(node: DOMNode) -> list[Binding]:
    """The bindings Stockroom's own classes give ``node``, keys split."""
    return class_bindings(type(node))


def binding_rows(screen: Screen) -> list[tuple[str, str]]:
    """``(keys, description)`` of the screen's and then the app's bindings, the keys of one action joined."""
    rows: dict[str, tuple[list[str], str]] = {}
    for node in (screen, screen.app):
        for binding in own_bindings(node):
            if not binding.description:
                continue
            keys, _ = rows.setdefault(f"{id(node)}:{binding.action}", ([], binding.description))
            display = screen.app.get_key_display(binding)
            if display not in keys:
                keys.append(display)
    return [(" ".join(keys), description) for keys, description in rows.values()]


class HelpScreen(ModalScreen[None]):
    """The bindings of a screen, in a box over it; Esc or F1 closes it."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape,f1", "close", "Close"),
    ]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self._rows = binding_rows(screen)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Label("Keys", id="help-title")
            table: DataTable = DataTable(id="help-keys", show_header=False, cursor_type="row", zebra_stripes=True)
            table.add_columns("Key", "Does")
            for keys, description in self._rows:
                table.add_row(Text(keys, style="bold"), Text(description))
            yield table

    def action_close(self) -> None:
        """Back to the screen underneath."""
        self.dismiss(None)
