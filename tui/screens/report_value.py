"""The stock value report: each warehouse's products by its cost method and its total; F3 shows the cost layers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from rich.text import Text
from textual.binding import Binding

from store.csv_export import LAYER_COLUMNS, VALUATION_COLUMNS, money_text, valuation_rows, write_csv
from store.report_value import ValueLine, stock_value
from tui.dialogs.report_filter import FilterField
from tui.screens.report_base import ReportScreen, cell, number
from tui.wording import counted

if TYPE_CHECKING:
    from store.database import Store


def _quantity(value) -> str:
    return "" if value is None else f"{value:f}"


class ValueReportScreen(ReportScreen):
    """Stock value per warehouse; the total of each warehouse in bold after its products."""

    TITLE_TEXT = "Stock value"
    KIND = "valuation"
    FIELDS = (FilterField("warehouse", "Warehouse", "code (empty: every warehouse)"),)
    BINDINGS = [Binding("f3,l", "layers", "Layers")]

    def default_values(self) -> dict[str, str]:
        return {"layers": ""}

    def fetch(self, store: Store, values: dict[str, str]) -> list[ValueLine]:
        return stock_value(store, values.get("warehouse", ""), by_layer=bool(values.get("layers")))

    def columns(self, width: int) -> list[tuple[str, int]]:
        if width < 40:
            return [("Product", 10), ("Value", 9)]
        if width < 80:
            return [("Product", 12), ("Qty", 7), ("Value", 11)]
        return [("Wh", 6), ("Cost", 4), ("Product", 12), ("Received", 10), ("Qty", 8), ("Unit cost", 10),
                ("Value", 12)]  # fmt: skip

    def cells(self, row: ValueLine, width: int) -> list[Text]:
        style = "bold" if row.is_total else ""
        name = f"Total {row.warehouse}" if row.is_total else row.product
        value = number(money_text(row.value), style)
        if width < 40:
            return [cell(name, style), value]
        if width < 80:
            return [cell(name, style), number(_quantity(row.quantity)), value]
        return [
            cell(row.warehouse, style), cell(row.method), cell(name, style),
            cell("" if row.date is None else row.date.astimezone().date().isoformat()),
            number(_quantity(row.quantity)), number("" if row.unit_cost is None else money_text(row.unit_cost)), value,
        ]  # fmt: skip

    def status(self, rows: Sequence[ValueLine]) -> Text:
        totals = [row for row in rows if row.is_total]
        layered = any(row.date is not None for row in rows)
        text = Text(counted(len(rows) - len(totals), "layer" if layered else "line"))
        if totals:
            text.append(" · value " + money_text(sum(row.value for row in totals)))
        return text

    def write_csv(self, store: Store, values: dict[str, str], out: TextIO) -> int:
        layers = bool(values.get("layers"))
        rows = valuation_rows(store, values.get("warehouse") or None, by_layer=layers)
        return write_csv(out, LAYER_COLUMNS if layers else VALUATION_COLUMNS, rows)

    def action_layers(self) -> None:
        """Show each remaining cost layer, or one line per product again."""
        self.values = self.values | {"layers": "" if self.values.get("layers") else "yes"}
        self.reload()
