"""Every status a supply order went through: state, who, on which terminal, when."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from store.models import SupplyOrderStatus
from store.supply import STATE_LABELS
from tui.literal import literal


class OrderHistoryDialog(ModalScreen[None]):
    """The order's status history, oldest first; Esc or F2 closes it."""

    DEFAULT_CSS = """
    OrderHistoryDialog { align: center middle; }
    OrderHistoryDialog > Vertical { width: 100%; max-width: 80; height: auto; max-height: 100%; border: round $accent; }
    OrderHistoryDialog DataTable { height: auto; max-height: 20; }
    """
    BINDINGS = [Binding("escape,f2,enter", "close", "Close")]

    def __init__(self, title: str, statuses: list[SupplyOrderStatus]) -> None:
        super().__init__()
        self.title_text = title
        self.statuses = statuses

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self.title_text, style="bold"))
            yield DataTable(id="history", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#history", DataTable)
        for column in ("State", "Who", "Terminal", "When"):
            table.add_column(column, key=column)
        for status in self.statuses:
            table.add_row(
                literal(STATE_LABELS.get(status.state, status.state)),
                literal(status.operator),
                literal(status.terminal),
                literal(f"{status.at.astimezone():%Y-%m-%d %H:%M}"),
            )
        table.focus()

    def action_close(self) -> None:
        """Back to the order."""
        self.dismiss(None)
