"""The stock balance report: on hand, reserved and available per product and bin, low stock marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from rich.text import Text

from store.csv_export import write_csv
from store.quantity import format_quantity
from store.report_balance import BalanceLine, balance
from store.report_csv import BALANCE_COLUMNS, balance_rows
from store.report_filters import ReportFilter
from store.stock_list import low_products
from tui.dialogs.report_filter import FilterField
from tui.screens.report_base import MARK_STYLE, ReportScreen, cell, number, wide_with_name, with_name
from tui.wording import counted

if TYPE_CHECKING:
    from store.database import Store


def _filters(values: dict[str, str]) -> ReportFilter:
    return ReportFilter(search=values.get("search", ""), category=values.get("category", ""), location=values.get("location", ""))


class BalanceReportScreen(ReportScreen):
    """Stock balance: ``!`` marks a product at or below its low-stock level."""

    TITLE_TEXT = "Stock balance"
    KIND = "balance"
    FIELDS = (
        FilterField("search", "Product", "code, name or barcode"),
        FilterField("category", "Category"),
        FilterField("location", "Location", "code: it and all under it"),
    )

    def fetch(self, store: Store, values: dict[str, str]) -> list[BalanceLine]:
        return balance(store, _filters(values))

    def columns(self, width: int) -> list[tuple[str, int]]:
        if width < 40:
            return [("Product", 9), ("Loc", 5), ("Qty", 5)]
        if width < 80:
            return [("Product", 10), ("Loc", 7), ("On hand", 7), ("Unit", 5)]
        return with_name(
            width,
            [("Product", 11)],
            [("Location", 8), ("On hand", 7), ("Reserved", 8), ("Avail", 7), ("Unit", 6), ("Changed", 11)],
        )

    def cells(self, row: BalanceLine, width: int) -> list[Text]:
        code = cell(("!" if row.low else "") + row.product_code, MARK_STYLE if row.low else "")

        def qty(value):
            return number(format_quantity(value, row.precision))

        if width < 40:
            return [code, cell(row.location_code), qty(row.available)]
        if width < 80:
            return [code, cell(row.location_code), qty(row.on_hand), cell(row.uom)]
        changed = "" if row.last_change is None else row.last_change.astimezone().strftime("%m-%d %H:%M")
        name = [cell(row.product_name)] if wide_with_name(width) else []
        return [
            code, *name, cell(row.location_code), qty(row.on_hand), qty(row.reserved), qty(row.available),
            cell(row.uom), cell(changed),
        ]  # fmt: skip

    def status(self, rows: Sequence[BalanceLine]) -> Text:
        text = Text(counted(len(rows), "line"))
        low = low_products(rows)
        if low:
            text.append(f" · {low} low", MARK_STYLE)
        return text

    def write_csv(self, store: Store, values: dict[str, str], out: TextIO) -> int:
        return write_csv(out, BALANCE_COLUMNS, balance_rows(balance(store, _filters(values))))
