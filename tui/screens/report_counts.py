"""The count history report: past counts with what their differences gained and lost, in units and value."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from rich.text import Text

from store.csv_export import money_text, write_csv
from store.report_counts import CountHistoryLine, count_history
from store.report_csv import COUNT_COLUMNS, count_rows, quantity_text
from store.report_filters import ReportFilter, parse_span
from tui.dialogs.report_filter import FilterField
from tui.screens.report_base import ReportScreen, cell, number
from tui.screens.report_variance import CountVarianceScreen
from tui.widgets.report_table import ReportTable

if TYPE_CHECKING:
    from store.database import Store


def _read(store: Store, values: dict[str, str]) -> list[CountHistoryLine]:
    since, until = parse_span(values.get("since", ""), values.get("until", ""))
    return count_history(store, ReportFilter(location=values.get("location", "")), since, until)


class CountHistoryScreen(ReportScreen):
    """Confirmed and cancelled counts, newest first; a loss in value shows negative. Enter shows a count's lines."""

    TITLE_TEXT = "Count history"
    KIND = "counts"
    FIELDS = (
        FilterField("location", "Location", "code: it and all under it"),
        FilterField("since", "Since", "YYYY-MM-DD"),
        FilterField("until", "Until", "YYYY-MM-DD"),
    )

    def fetch(self, store: Store, values: dict[str, str]) -> list[CountHistoryLine]:
        return _read(store, values)

    def columns(self, width: int) -> list[tuple[str, int]]:
        if width < 40:
            return [("#", 4), ("Loc", 6), ("Value", 8)]
        if width < 80:
            return [("#", 4), ("Location", 8), ("Date", 5), ("Value", 10)]
        if width < 120:
            return [("#", 4), ("Location", 9), ("Date", 11), ("By", 8), ("Gained", 7), ("Lost", 7), ("Value", 10)]
        return [("#", 5), ("Location", 10), ("State", 9), ("Date", 16), ("By", 10), ("Lines", 6), ("Gained", 8),
                ("Lost", 8), ("Value", 12)]  # fmt: skip

    def cells(self, row: CountHistoryLine, width: int) -> list[Text]:
        local = row.date.astimezone()
        value = number(money_text(row.value), "bold red" if row.value < 0 else "")
        if width < 40:
            return [number(row.session), cell(row.location_code), value]
        if width < 80:
            return [number(row.session), cell(row.location_code), cell(local.strftime("%m-%d")), value]
        if width < 120:
            return [
                number(row.session), cell(row.location_code), cell(local.strftime("%m-%d %H:%M")), cell(row.operator),
                number(quantity_text(row.gained)), number(quantity_text(row.lost)), value,
            ]  # fmt: skip
        return [
            number(row.session), cell(row.location_code), cell(row.state), cell(local.strftime("%Y-%m-%d %H:%M")),
            cell(row.operator), number(row.lines), number(quantity_text(row.gained)), number(quantity_text(row.lost)),
            value,
        ]  # fmt: skip

    def write_csv(self, store: Store, values: dict[str, str], out: TextIO) -> int:
        return write_csv(out, COUNT_COLUMNS, count_rows(_read(store, values)))

    def on_report_table_selected(self, event: ReportTable.Selected) -> None:
        """Show the lines of the count Enter was pressed on."""
        if self.loaded is not None and event.index < len(self.loaded.rows):
            self.app.push_screen(CountVarianceScreen(self.loaded.rows[event.index].session))
