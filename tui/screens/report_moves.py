"""The transactions report: every done move in a time span, by product, location, reason and operator."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, TextIO

from rich.text import Text

from store.clock import now
from store.csv_export import write_csv
from store.quantity import format_quantity
from store.report_csv import TRANSACTION_COLUMNS, transaction_rows
from store.report_filters import ReportFilter, parse_span
from store.report_moves import TransactionLine, transactions
from tui.dialogs.report_filter import FilterField
from tui.screens.report_base import ReportScreen, cell, number, wide_with_name, with_name

if TYPE_CHECKING:
    from store.database import Store

DEFAULT_DAYS = 30


def _read(store: Store, values: dict[str, str]) -> list[TransactionLine]:
    since, until = parse_span(values.get("since", ""), values.get("until", ""))
    filters = ReportFilter(search=values.get("search", ""), location=values.get("location", ""))
    return transactions(store, filters, since, until, values.get("reason", ""), values.get("operator", ""))


class TransactionsReportScreen(ReportScreen):
    """Done moves, oldest first, in the span given (the last 30 days to begin with)."""

    TITLE_TEXT = "Transactions"
    KIND = "transactions"
    FIELDS = (
        FilterField("since", "Since", "YYYY-MM-DD (empty: from the start)"),
        FilterField("until", "Until", "YYYY-MM-DD (empty: now)"),
        FilterField("search", "Product", "code, name or barcode"),
        FilterField("location", "Location", "from or to it or under it"),
        FilterField("reason", "Reason"),
        FilterField("operator", "Operator"),
    )

    def default_values(self) -> dict[str, str]:
        return {"since": (now().astimezone() - timedelta(days=DEFAULT_DAYS)).date().isoformat()}

    def fetch(self, store: Store, values: dict[str, str]) -> list[TransactionLine]:
        return _read(store, values)

    def columns(self, width: int) -> list[tuple[str, int]]:
        if width < 40:
            return [("Product", 9), ("Qty", 5), ("To", 5)]
        if width < 80:
            return [("Product", 10), ("Qty", 6), ("From", 7), ("To", 7)]
        if width < 120:
            return [("Date", 11), ("Product", 10), ("Qty", 7), ("From", 9), ("To", 9), ("Reason", 8), ("By", 8)]
        return with_name(
            width,
            [("Date", 16), ("Product", 12)],
            [("Qty", 8), ("Unit", 6), ("From", 10), ("To", 10), ("Reason", 10), ("By", 10)],
        )

    def cells(self, row: TransactionLine, width: int) -> list[Text]:
        local = row.date.astimezone()
        quantity = number(format_quantity(row.quantity, row.precision))
        if width < 40:
            return [cell(row.product_code), quantity, cell(row.destination)]
        if width < 80:
            return [cell(row.product_code), quantity, cell(row.source), cell(row.destination)]
        if width < 120:
            return [
                cell(local.strftime("%m-%d %H:%M")), cell(row.product_code), quantity, cell(row.source),
                cell(row.destination), cell(row.reason), cell(row.operator),
            ]  # fmt: skip
        name = [cell(row.product_name)] if wide_with_name(width) else []
        return [
            cell(local.strftime("%Y-%m-%d %H:%M")), cell(row.product_code), *name, quantity, cell(row.uom),
            cell(row.source), cell(row.destination), cell(row.reason), cell(row.operator),
        ]  # fmt: skip

    def write_csv(self, store: Store, values: dict[str, str], out: TextIO) -> int:
        return write_csv(out, TRANSACTION_COLUMNS, transaction_rows(_read(store, values)))
