"""A list table keyed by record ids: filled with columns as wide as what they show, read back by its highlight."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable


def fill_sized(table: DataTable, columns: Sequence[str], rows: Sequence[tuple[str, Sequence[Text]]]) -> None:
    """Replace the table's columns and rows (``(key, cells)``), each column as wide as its header or widest cell.

    Sized here: the table's own sizing sometimes kept a reload's old widths
    under load, cutting a new longer cell (a backorder P-7-BO1 to P-7, WH2 to WH).
    """
    table.clear(columns=True)
    for index, column in enumerate(columns):
        table.add_column(column, key=column, width=max([len(column)] + [cells[index].cell_len for _, cells in rows]))
    for key, cells in rows:
        table.add_row(*cells, key=key)


def highlighted_id(table: DataTable) -> int | None:
    """The id (row key) of the highlighted row, or None when the table is empty."""
    if not table.row_count:
        return None
    return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
