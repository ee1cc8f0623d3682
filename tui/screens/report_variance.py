"""One past count's variance lines: expected, counted, difference and value per product and location."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from rich.text import Text

from store.count_confirm import VarianceRow, variance
from store.count_report import write_variance_csv
from store.csv_export import money_text
from store.models import CountSession
from store.quantity import to_units, units_text
from tui.screens.report_base import ReportScreen, cell, number

if TYPE_CHECKING:
    from store.database import Store


def _qty(value) -> str:
    return units_text(to_units(value))


class CountVarianceScreen(ReportScreen):
    """The lines of one count (Enter on the count history); F7 writes its variance CSV."""

    KIND = "variance"

    def __init__(self, session_id: int) -> None:
        self.session_id = session_id
        self.TITLE_TEXT = f"Count #{session_id}"
        super().__init__()

    def fetch(self, store: Store, values: dict[str, str]) -> list[VarianceRow]:
        return variance(store, CountSession.get_by_id(self.session_id))

    def columns(self, width: int) -> list[tuple[str, int]]:
        if width < 40:
            return [("Product", 10), ("Diff", 8)]
        if width < 80:
            return [("Product", 11), ("Loc", 7), ("Diff", 6), ("Value", 9)]
        return [("Product", 14), ("Location", 10), ("Expected", 9), ("Counted", 9), ("Diff", 8), ("Unit", 8),
                ("Value", 12)]  # fmt: skip

    def cells(self, row: VarianceRow, width: int) -> list[Text]:
        style = "bold red" if row.difference < 0 else ""
        difference = number(("+" if row.difference > 0 else "") + _qty(row.difference), style)
        value = number("" if row.value is None else money_text(row.value))
        if width < 40:
            return [cell(row.product), difference]
        if width < 80:
            return [cell(row.product), cell(row.location), difference, value]
        return [cell(row.product), cell(row.location), number(_qty(row.expected)), number(_qty(row.counted)),
                difference, cell(row.uom), value]  # fmt: skip

    def write_csv(self, store: Store, values: dict[str, str], out: TextIO) -> int:
        return write_variance_csv(store, CountSession.get_by_id(self.session_id), out)
