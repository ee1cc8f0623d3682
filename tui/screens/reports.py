"""The reports menu: stock balance, transactions, stock value, coverage and count history, one key each."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Label, ListItem, ListView

from tui.screens.report_balance import BalanceReportScreen
from tui.screens.report_base import ReportScreen
from tui.screens.report_counts import CountHistoryScreen
from tui.screens.report_coverage import CoverageReportScreen
from tui.screens.report_moves import TransactionsReportScreen
from tui.screens.report_value import ValueReportScreen
from tui.widgets.top_bar import TopBar

REPORTS: tuple[tuple[str, str, str, type[ReportScreen]], ...] = (
    ("1", "balance", "Stock balance", BalanceReportScreen),
    ("2", "transactions", "Transactions", TransactionsReportScreen),
    ("3", "value", "Stock value", ValueReportScreen),
    ("4", "coverage", "Coverage", CoverageReportScreen),
    ("5", "counts", "Count history", CountHistoryScreen),
)


class ReportsScreen(Screen[None]):
    """Pick a report with the arrows and Enter, or with its number or function key."""

    CSS_PATH = "reports.tcss"
    AUTO_FOCUS = "#reports"
    BINDINGS = [
        Binding("1,f2", "report('balance')", "Balance"),
        Binding("2,f3", "report('transactions')", "Moves"),
        Binding("3,f4", "report('value')", "Value", show=False),
        Binding("4,f5", "report('coverage')", "Coverage", show=False),
        Binding("5,f6", "report('counts')", "Counts", show=False),
        Binding("escape", "back", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield TopBar("Reports")
        with ListView(id="reports"):
            for key, name, title, _ in REPORTS:
                yield ListItem(Label(f"{key} {title}"), id=f"report-{name}")
        yield Footer(show_command_palette=False, compact=True)

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        if event.item.id is not None:
            self.action_report(event.item.id.removeprefix("report-"))

    def action_report(self, name: str) -> None:
        """Open a report."""
        screen = next(screen for _, key, _, screen in REPORTS if key == name)
        self.app.push_screen(screen())

    def action_back(self) -> None:
        """Back to the home screen."""
        self.dismiss(None)
