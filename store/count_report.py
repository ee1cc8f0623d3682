"""The variance report of a count as CSV."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from store.count_confirm import variance
from store.csv_export import write_csv
from store.csv_files import safe_cell
from store.models import CountSession
from store.quantity import to_units, units_text

if TYPE_CHECKING:
    from store.database import Store

REPORT_COLUMNS = ("product", "location", "expected", "counted", "difference", "uom", "value")


def write_variance_csv(store: Store, session: CountSession, stream: TextIO) -> int:
    """Write ``product,location,expected,counted,difference,uom,value`` rows; returns the row count.

    Text cells a spreadsheet would run as a formula are neutralised; numbers stay numbers.
    """
    rows = (
        [
            safe_cell(row.product),
            safe_cell(row.location),
            units_text(to_units(row.expected)),
            units_text(to_units(row.counted)),
            units_text(to_units(row.difference)),
            safe_cell(row.uom),
            "" if row.value is None else str(row.value),
        ]
        for row in variance(store, session)
    )
    return write_csv(stream, REPORT_COLUMNS, rows)
