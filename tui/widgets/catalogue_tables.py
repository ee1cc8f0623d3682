"""Stock and move tables of the product and location screens, laid out for the screen's width."""

from __future__ import annotations

from datetime import datetime

from rich.console import JustifyMethod
from rich.text import Text
from textual.widgets import DataTable

from store.product_views import MoveLine, StockAt
from store.quantity import format_quantity
from tui.literal import literal

SHOWN_LINES = 200
"""A detail screen lists this many stock lines at most (a warehouse may hold thousands of products)."""


def cell(value: object, style: str = "", justify: JustifyMethod | None = None) -> Text:
    """A one-line table cell showing ``value`` literally, cut with an ellipsis if too long."""
    text = literal(value, style)
    text.no_wrap, text.overflow, text.justify = True, "ellipsis", justify
    return text


def _columns(table: DataTable, width: int, columns: list[tuple[str, int]]) -> None:
    table.clear(columns=True)
    table.cell_padding = 0 if width < 40 else 1
    for label, column_width in columns:
        table.add_column(label, width=column_width)


def _remaining(width: int, fixed: list[tuple[str, int]], least: int) -> int:
    padding = 0 if width < 40 else 2
    used = sum(column_width + padding for _, column_width in fixed) + padding + 2
    return max(least, width - used)


def fill_stock(table: DataTable, lines: list[StockAt], width: int, by_product: bool) -> None:
    """Stock lines (the first ``SHOWN_LINES``), one per location (a product's screen) or per product (a location's)."""
    first = "Product" if by_product else "Location"
    if width < 80:
        fixed = [("On hand", 8), ("Unit", 5 if width < 40 else 7)]
        _columns(table, width, [(first, _remaining(width, fixed, 6)), *fixed])
    else:
        fixed = [("On hand", 10), ("Reserved", 10), ("Avail", 10), ("Unit", 7)]
        name = [("Name", 20)] if by_product else []
        _columns(table, width, [(first, _remaining(width, fixed + name, 10)), *name, *fixed])
    for line in lines[:SHOWN_LINES]:
        label = line.product_code if by_product else line.location_code

        def qty(value, precision=line.precision) -> Text:
            return cell(format_quantity(value, precision), justify="right")

        if width < 80:
            table.add_row(cell(label), qty(line.on_hand), cell(line.uom))
        else:
            name_cells = [cell(line.product_name)] if by_product else []
            table.add_row(
                cell(label), *name_cells, qty(line.on_hand), qty(line.reserved), qty(line.on_hand - line.reserved),
                cell(line.uom),
            )  # fmt: skip
    if len(lines) > SHOWN_LINES:
        more = [cell(f"+{len(lines) - SHOWN_LINES} more", "dim")]
        table.add_row(*more, *[""] * (len(table.columns) - 1))


def _when(at: datetime, width: int) -> str:
    local = at.astimezone()
    return local.strftime("%m-%d %H:%M") if width < 80 else local.strftime("%Y-%m-%d %H:%M")


def fill_moves(table: DataTable, moves: list[MoveLine], width: int, show_product: bool) -> None:
    """Done moves, newest first: when, how much, from where to where (and why, from 80 columns)."""
    if width < 80:
        fixed = [("When", 11), ("Qty", 6)]
        _columns(table, width, [*fixed, ("From > to", _remaining(width, fixed, 8))])
    else:
        fixed = [("When", 16), ("Product", 12), ("Qty", 8), ("Unit", 8), ("Reason", 10)]
        if not show_product:
            fixed = [column for column in fixed if column[0] != "Product"]
        _columns(table, width, [*fixed, ("From > to", _remaining(width, fixed, 12))])
    for move in moves:
        route = cell(f"{move.source} > {move.destination}")
        quantity = cell(format_quantity(move.quantity, move.precision), justify="right")
        if width < 80:
            table.add_row(cell(_when(move.at, width)), quantity, route)
        else:
            product = [cell(move.product_code)] if show_product else []
            table.add_row(cell(_when(move.at, width)), *product, quantity, cell(move.uom), cell(move.reason), route)
