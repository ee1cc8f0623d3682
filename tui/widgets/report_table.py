"""A read-only table that draws only the rows on screen, so 10,000 rows cost no more than twenty.

Textual's DataTable measures every cell it is given and walks every row to
find offsets, which stalls the UI for seconds at ten thousand rows. Here the
table keeps the rows as they were read and a function that gives a row's
cells (``rich.text.Text``, one per column): setting the rows is one
assignment, and each frame lays out the visible lines only (building the cells
of every row up front would also mean a garbage collection pause in the
reading thread that holds the whole UI). Up/Down/PageUp/PageDown/Home/End move
the highlighted row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

CURSOR = Style(reverse=True)
ZEBRA = Style(dim=False, bgcolor="grey11")


def lay_out(cells: list[Text], widths: list[int], padding: int, style: Style | None = None) -> Text:
    """One line: each cell cut (with an ellipsis) or padded to its column's width, right-justified cells to the right."""
    line = Text(no_wrap=True, overflow="crop", style=style or "")
    gap = " " * padding
    for cell, width in zip(cells, widths, strict=False):
        piece = cell.copy()
        if piece.cell_len > width:
            piece.truncate(width, overflow="ellipsis")
        short = width - piece.cell_len
        line.append(gap)
        if piece.justify == "right":
            line.append(" " * short).append_text(piece)
        else:
            line.append_text(piece).append(" " * short)
        line.append(gap)
    return line


class ReportHeader(Static):
    """The column labels over a ``ReportTable``."""

    DEFAULT_CSS = "ReportHeader { height: 1; text-style: bold; background: $panel; }"

    def show(self, columns: list[tuple[str, int]], padding: int, sample: list[Text] | None = None) -> None:
        """Show these columns' labels, each justified as the cell of a ``sample`` row under it."""
        justify = [cell.justify for cell in sample] if sample else []
        labels = [Text(label, justify=justify[n] if n < len(justify) else None) for n, (label, _) in enumerate(columns)]
        self.update(lay_out(labels, [width for _, width in columns], padding))


class ReportTable(ScrollView, can_focus=True):
    """Rows of laid-out cells, one line each, drawn only where they are visible."""

    DEFAULT_CSS = "ReportTable { height: 1fr; }"
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "move_to(0)", "First", show=False),
        Binding("end", "move_to(-1)", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    class Selected(Message):
        """Enter on a row: ``index`` is its position in the rows."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    cursor_row: reactive[int] = reactive(0)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[Any] = []
        self._cells: Callable[[Any], list[Text]] = lambda row: []
        self._widths: list[int] = []
        self._padding = 1

    @property
    def row_count(self) -> int:
        """How many rows the table holds."""
        return len(self._rows)

    def get_row_at(self, index: int) -> list[Text]:
        """The cells of one row."""
        return self._cells(self._rows[index])

    def set_rows(
        self, columns: list[tuple[str, int]], padding: int, rows: list[Any], cells: Callable[[Any], list[Text]]
    ) -> None:
        """Replace the columns and every row at once (cheap whatever the number of rows); ``cells`` shows a row."""
        self._widths = [width for _, width in columns]
        self._padding = padding
        self._rows = rows
        self._cells = cells
        self.virtual_size = Size(sum(self._widths) + 2 * padding * len(self._widths), len(rows))
        self.cursor_row = 0
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        if index >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        style = CURSOR if index == self.cursor_row and self.has_focus else ZEBRA if index % 2 else None
        line = lay_out(self._cells(self._rows[index]), self._widths, self._padding, style)
        segments = list(line.render(self.app.console))
        strip = Strip(Segment.apply_style(segments, self.rich_style), line.cell_len)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style if style is None else style)

    def watch_cursor_row(self, old: int, new: int) -> None:
        visible = max(1, self.size.height)
        if new < self.scroll_offset.y:
            self.scroll_to(y=new, animate=False)
        elif new >= self.scroll_offset.y + visible:
            self.scroll_to(y=new - visible + 1, animate=False)
        self.refresh()

    def _on_focus(self, event) -> None:
        self.refresh()

    def _on_blur(self, event) -> None:
        self.refresh()

    def action_move(self, step: int) -> None:
        """Highlight the row ``step`` rows down (up if negative)."""
        if self._rows:
            self.cursor_row = max(0, min(len(self._rows) - 1, self.cursor_row + step))

    def action_page(self, pages: int) -> None:
        """Move a screenful down or up."""
        self.action_move(pages * max(1, self.size.height))

    def action_select(self) -> None:
        """Say which row Enter was pressed on."""
        if self._rows:
            self.post_message(self.Selected(self.cursor_row))

    def action_move_to(self, index: int) -> None:
        """Highlight the first row (0) or the last (-1)."""
        if self._rows:
            self.cursor_row = index % len(self._rows)
