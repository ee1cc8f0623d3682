"""The reports as CSV rows: ``stockroom export balance|transactions|coverage|counts`` and each screen's F7.

Rows are lists of text cells for ``store.csv_export.write_csv``; text cells
are made safe for spreadsheets, quantities are exact, money has 4 decimals.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_EVEN, Decimal

from store.csv_export import money_text
from store.csv_files import safe_cell
from store.quantity import to_units, units_text
from store.report_balance import BalanceLine
from store.report_counts import CountHistoryLine
from store.report_coverage import CoverageLine
from store.report_moves import TransactionLine

BALANCE_COLUMNS = (
    "product", "name", "category", "location", "on_hand", "reserved", "available", "uom", "last_change", "low",
)  # fmt: skip
TRANSACTION_COLUMNS = (
    "date", "product", "quantity", "uom", "from", "to", "reason", "operator", "terminal", "origin",
)  # fmt: skip
COVERAGE_COLUMNS = (
    "product", "name", "on_hand", "outflow", "days", "daily_outflow", "coverage_days", "uom", "under",
)  # fmt: skip
COUNT_COLUMNS = (
    "session", "location", "state", "date", "operator", "lines", "gained", "lost", "net",
    "value_gained", "value_lost", "value",
)  # fmt: skip
_FOUR = Decimal("0.0001")


def quantity_text(value: Decimal) -> str:
    """An exact quantity as CSV text: ``1.5``, ``-3``."""
    return units_text(to_units(value))


def flag(value: bool) -> str:
    """``1`` or ``0``."""
    return "1" if value else "0"


def balance_rows(lines: Iterable[BalanceLine]) -> Iterator[list[str]]:
    """Rows of ``BALANCE_COLUMNS``: ``last_change`` ISO 8601 UTC (empty if never moved), ``low`` 1 or 0."""
    for x in lines:
        yield [
            safe_cell(x.product_code), safe_cell(x.product_name), safe_cell(x.category), safe_cell(x.location_code),
            quantity_text(x.on_hand), quantity_text(x.reserved), quantity_text(x.available), safe_cell(x.uom),
            "" if x.last_change is None else x.last_change.isoformat(), flag(x.low),
        ]  # fmt: skip


def transaction_rows(lines: Iterable[TransactionLine]) -> Iterator[list[str]]:
    """Rows of ``TRANSACTION_COLUMNS``: ``date`` the effective date, ISO 8601 UTC."""
    for x in lines:
        yield [
            x.date.isoformat(), safe_cell(x.product_code), quantity_text(x.quantity), safe_cell(x.uom),
            safe_cell(x.source), safe_cell(x.destination), safe_cell(x.reason), safe_cell(x.operator),
            safe_cell(x.terminal), safe_cell(x.origin),
        ]  # fmt: skip


def coverage_rows(lines: Iterable[CoverageLine]) -> Iterator[list[str]]:
    """Rows of ``COVERAGE_COLUMNS``: ``daily_outflow`` to 4 decimals, ``coverage_days`` empty without outflow."""
    for x in lines:
        daily = x.daily_outflow.quantize(_FOUR, rounding=ROUND_HALF_EVEN)
        yield [
            safe_cell(x.product_code), safe_cell(x.product_name), quantity_text(x.on_hand), quantity_text(x.outflow),
            str(x.days), f"{daily:f}", "" if x.coverage is None else f"{x.coverage:f}", safe_cell(x.uom),
            flag(x.under),
        ]  # fmt: skip


def count_rows(lines: Iterable[CountHistoryLine]) -> Iterator[list[str]]:
    """Rows of ``COUNT_COLUMNS``: units exact, values to 4 decimals."""
    for x in lines:
        yield [
            str(x.session), safe_cell(x.location_code), x.state, x.date.isoformat(), safe_cell(x.operator),
            str(x.lines), quantity_text(x.gained), quantity_text(x.lost), quantity_text(x.net),
            money_text(x.value_gained), money_text(x.value_lost), money_text(x.value),
        ]  # fmt: skip
