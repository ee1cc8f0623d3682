"""The stock coverage report: days each product's stock lasts at its recent outflow, short ones marked."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, TextIO

from rich.text import Text

from store.csv_export import write_csv
from store.errors import InvalidValue
from store.quantity import format_quantity, parse_decimal
from store.report_coverage import PERIODS, CoverageLine, coverage
from store.report_csv import COVERAGE_COLUMNS, coverage_rows
from store.report_filters import ReportFilter
from tui.dialogs.report_filter import FilterField
from tui.screens.report_base import MARK_STYLE, ReportScreen, cell, number, wide_with_name, with_name
from tui.wording import counted

if TYPE_CHECKING:
    from store.database import Store

NO_END = "-"
"""Shown for a product nothing went out of: its stock does not run out."""


def _read(store: Store, values: dict[str, str]) -> list[CoverageLine]:
    text = values.get("days", "").strip() or "30"
    if not text.isdigit():
        raise InvalidValue(f"the period is one of {', '.join(map(str, PERIODS))} days, not {text!r}")
    under = values.get("under", "").strip()
    threshold = parse_decimal(under, "days") if under else None
    filters = ReportFilter(search=values.get("search", ""), category=values.get("category", ""))
    return coverage(store, int(text), values.get("warehouse", ""), filters, threshold)


def _days(value: Decimal | None) -> str:
    return NO_END if value is None else f"{value:f}"


class CoverageReportScreen(ReportScreen):
    """Stock coverage: ``!`` marks a product whose stock lasts fewer days than asked."""

    TITLE_TEXT = "Stock coverage"
    KIND = "coverage"
    FIELDS = (
        FilterField("days", "Period (days)", " or ".join(map(str, PERIODS))),
        FilterField("under", "Mark under (days)", "e.g. 7"),
        FilterField("warehouse", "Warehouse", "code (empty: every warehouse)"),
        FilterField("search", "Product", "code, name or barcode"),
        FilterField("category", "Category"),
    )

    def default_values(self) -> dict[str, str]:
        return {"days": "30", "under": "7"}

    def fetch(self, store: Store, values: dict[str, str]) -> list[CoverageLine]:
        return _read(store, values)

    def columns(self, width: int) -> list[tuple[str, int]]:
        if width < 40:
            return [("Product", 10), ("Days", 8)]
        if width < 80:
            return [("Product", 11), ("On hand", 7), ("Out", 5), ("Days", 6)]
        return with_name(
            width, [("Product", 14)], [("On hand", 9), ("Out", 9), ("Per day", 9), ("Days", 9), ("Unit", 7)]
        )

    def cells(self, row: CoverageLine, width: int) -> list[Text]:
        style = MARK_STYLE if row.under else ""
        code = cell(("!" if row.under else "") + row.product_code, style)
        days = number(_days(row.coverage), style)

        def qty(value: Decimal) -> Text:
            return number(format_quantity(value, row.precision))

        if width < 40:
            return [code, days]
        if width < 80:
            return [code, qty(row.on_hand), qty(row.outflow), days]
        daily = f"{row.daily_outflow.quantize(Decimal('0.01')):f}"
        name = [cell(row.product_name)] if wide_with_name(width) else []
        return [code, *name, qty(row.on_hand), qty(row.outflow), number(daily), days, cell(row.uom)]

    def status(self, rows: Sequence[CoverageLine]) -> Text:
        text = Text(counted(len(rows), "product"))
        under = sum(row.under for row in rows)
        if under:
            text.append(f" · {under} short", MARK_STYLE)
        return text

    def write_csv(self, store: Store, values: dict[str, str], out: TextIO) -> int:
        return write_csv(out, COVERAGE_COLUMNS, coverage_rows(_read(store, values)))
