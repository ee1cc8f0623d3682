"""What every report screen shares: filters (F2), a table filled without blocking, refresh (F5), CSV export (F7).

A report reads its rows in a thread worker (exclusive, so a newer filter
cancels an older one; a superseded result is dropped), then hands them to a
``ReportTable``, which lays out only the visible rows: ten thousand rows go in
at once without stalling the UI. Subclasses say what the
filters are, how to read the rows, how to show a row at a width and how to
write the CSV.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from rich.console import JustifyMethod
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Label
from textual.worker import Worker, WorkerState

from store.errors import StockError
from tui.dialogs.prompt import ConfirmDialog, PromptDialog
from tui.dialogs.report_filter import FilterDialog, FilterField
from tui.literal import literal
from tui.widgets.report_table import ReportHeader, ReportTable
from tui.widgets.top_bar import TopBar
from tui.wording import counted

if TYPE_CHECKING:
    from store.database import Store

SCROLLBAR = 1  # columns the table's vertical scrollbar takes (see report_base.tcss)
MARK_STYLE = "bold red"


def cell(value: object, style: str = "", justify: JustifyMethod | None = None) -> Text:
    """A table cell showing ``value`` literally on one line, cut with an ellipsis if too long."""
    text = literal(value, style)
    text.no_wrap, text.overflow, text.justify = True, "ellipsis", justify
    return text


def number(value: object, style: str = "") -> Text:
    """A right-aligned cell."""
    return cell(value, style, "right")


def padding_for(width: int) -> int:
    """Cell padding: none under 40 columns, where every column counts."""
    return 0 if width < 40 else 1


def with_name(width: int, head: list[tuple[str, int]], tail: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """``head``, a Name column taking the width left over (only if 12 or more), then ``tail``."""
    used = sum(w for _, w in head + tail) + 2 * padding_for(width) * (len(head) + len(tail) + 1) + SCROLLBAR
    room = width - used
    return head + ([("Name", room)] if room >= 12 else []) + tail


def wide_with_name(width: int) -> bool:
    """Whether rows at this width carry a Name column (see ``with_name``)."""
    return width >= 120


@dataclass(frozen=True)
class Loaded:
    """What a load read: the rows, the width they are laid out for, and the status line."""

    generation: int
    width: int
    rows: list[Any]
    status: Text
    values: dict[str, str]
    """The filter values the rows were read for."""


class ReportScreen(Screen[None]):
    """A report: a filter line, a table and a status line; subclasses fill in what the report is."""

    CSS_PATH = Path(__file__).with_name("report_base.tcss")  # absolute: subclasses live in other files
    AUTO_FOCUS = "#report-table"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f2,f", "filter", "Filter"),
        Binding("f5,r", "refresh_report", "Refresh"),
        Binding("f7,e", "export", "Export"),
    ]
    TITLE_TEXT: ClassVar[str] = "Report"
    KIND: ClassVar[str] = "report"
    """The CSV file's default name and the ``stockroom export`` kind it matches."""
    FIELDS: ClassVar[tuple[FilterField, ...]] = ()

    def __init__(self, **values: str) -> None:
        super().__init__()
        self.values: dict[str, str] = self.default_values() | values
        self.loaded: Loaded | None = None
        self._generation = 0

    # what a report says -------------------------------------------------------------------------------------------

    def default_values(self) -> dict[str, str]:
        """The filters a report opens with."""
        return {}

    def fetch(self, store: Store, values: dict[str, str]) -> list[Any]:
        """Read the rows for the filter values (in a worker thread)."""
        raise NotImplementedError

    def columns(self, width: int) -> list[tuple[str, int]]:
        """``(label, width)`` of the columns at a screen width."""
        raise NotImplementedError

    def cells(self, row: Any, width: int) -> list[Text]:
        """The cells of one row at a screen width (only rows on screen are asked for)."""
        raise NotImplementedError

    def status(self, rows: Sequence[Any]) -> Text:
        """The status line under the table."""
        return Text(counted(len(rows), "line"))

    def write_csv(self, store: Store, values: dict[str, str], out: TextIO) -> int:
        """Write the report for the filter values as CSV; returns the number of rows."""
        raise NotImplementedError

    # the screen ----------------------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TopBar(self.TITLE_TEXT)
        yield Label(self._filter_text(), id="report-filters")
        yield ReportHeader(id="report-header")
        yield ReportTable(id="report-table")
        yield Label("Loading...", id="report-status", markup=False)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A report without filters has no F2: the key is neither shown nor taken."""
        return bool(self.FIELDS) if action == "filter" else True

    def _filter_text(self) -> Text:
        shown = [
            f"{field.label.lower()} {self.values[field.name]}" for field in self.FIELDS if self.values.get(field.name)
        ]
        empty = "no filter (F2)" if self.FIELDS else ""
        return literal(" · ".join(shown) or empty, style="dim" if not shown else "")

    def reload(self) -> None:
        """Read the report again with the current filters; a read still running is superseded."""
        self._generation += 1
        self.query_one("#report-status", Label).update("Loading...")
        self._load(self._generation, dict(self.values), self.size.width or self.app.size.width)

    @work(thread=True, exclusive=True, exit_on_error=False, group="report")
    def _load(self, generation: int, values: dict[str, str], width: int) -> Loaded:
        """Read the rows in a thread: the UI never waits on the store."""
        store = self.app.store
        try:
            rows = self.fetch(store, values)
        finally:
            store.close()  # this thread's connection
        return Loaded(generation, width, rows, self.status(rows), values)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show loaded rows, or what went wrong."""
        if event.worker.group == "report-export":
            self._export_done(event)
            return
        if event.worker.group != "report":
            return
        status = self.query_one("#report-status", Label)
        if event.state == WorkerState.SUCCESS:
            loaded = event.worker.result
            if isinstance(loaded, Loaded) and loaded.generation == self._generation:
                self._show(loaded)
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            message = str(error) if isinstance(error, StockError) else f"The report could not be read: {error}"
            # the table still shows the last rows read: the filter line goes back to what they were read for
            self.values = dict(self.loaded.values) if self.loaded is not None else self.default_values()
            self.query_one("#report-filters", Label).update(self._filter_text())
            status.update(literal(message))
            self.notify(message, title=self.TITLE_TEXT, severity="error", markup=False)

    def _show(self, loaded: Loaded) -> None:
        """Put the loaded rows into the table."""
        self.loaded = loaded
        columns, padding = self.columns(loaded.width), padding_for(loaded.width)
        sample = self.cells(loaded.rows[0], loaded.width) if loaded.rows else None
        self.query_one("#report-header", ReportHeader).show(columns, padding, sample)
        self.query_one("#report-table", ReportTable).set_rows(
            columns, padding, loaded.rows, partial(self.cells, width=loaded.width)
        )
        self.query_one("#report-status", Label).update(loaded.status)

    @property
    def filling(self) -> bool:
        """The newest read has not reached the table yet."""
        return self.loaded is None or self.loaded.generation != self._generation

    def on_resize(self, event: Resize) -> None:
        """Lay the rows read out again for the new width (cells are made per visible row: nothing is read again)."""
        if self.loaded is not None and event.size.width != self.loaded.width:
            self._show(replace(self.loaded, width=event.size.width))

    # actions -------------------------------------------------------------------------------------------------------

    def action_back(self) -> None:
        """Back to the reports."""
        self.dismiss(None)

    def action_filter(self) -> None:
        """Change the filters."""
        self.app.push_screen(FilterDialog(self.FIELDS, self.values), self._filtered)

    def _filtered(self, values: dict[str, str] | None) -> None:
        if values is not None:
            self.values = self.values | values
            self.query_one("#report-filters", Label).update(self._filter_text())
            self.reload()

    def action_refresh_report(self) -> None:
        """Read the report again."""
        self.reload()

    def action_export(self) -> None:
        """Write the report, as filtered, to a CSV file (asks the path)."""
        self.app.push_screen(PromptDialog("Export to CSV file:", f"{self.KIND}.csv"), self._export_to)

    def _export_to(self, path: str | None) -> None:
        if not path:
            return
        values = dict(self.values)
        if Path(path).expanduser().exists():  # one stat of a local path: no need for a worker

            def answered(replace: bool | None) -> None:
                if replace:
                    self._export(path, values)

            self.app.push_screen(ConfirmDialog(f"{path} exists: replace it?"), answered)
            return
        self._export(path, values)

    @work(thread=True, exit_on_error=False, group="report-export")
    def _export(self, path: str, values: dict[str, str]) -> tuple[str, int]:
        store = self.app.store
        try:
            target = Path(path).expanduser()
            with open(target, "w", encoding="utf-8", newline="") as out:
                return str(target), self.write_csv(store, values, out)
        finally:
            store.close()

    def _export_done(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.SUCCESS:
            path, count = event.worker.result
            self.notify(f"{count} rows written to {path}", title="Export", markup=False)
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, OSError):
                message = f"Cannot write {error.filename}: {error.strerror}"
            elif isinstance(error, StockError):
                message = str(error)
            else:
                message = f"The export failed: {error}"
            self.notify(message, title="Export", severity="error", markup=False)
