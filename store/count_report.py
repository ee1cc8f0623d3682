"""The variance report of a count as CSV."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, TextIO

from store.count_confirm import variance
from store.models import CountSession

if TYPE_CHECKING:
    from store.database import Store

REPORT_COLUMNS = ("product", "location", "expected", "counted", "difference", "uom", "value")


def write_variance_csv(store: Store, session: CountSession, stream: TextIO) -> int:
    """Write ``product,location,expected,counted,difference,uom,value`` rows; returns the row count."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    rows = variance(store, session)
    for row in rows:
        writer.writerow([
            row.product, row.location, row.expected, row.counted, row.difference, row.uom,
            "" if row.value is None else row.value,
        ])
    return len(rows)
