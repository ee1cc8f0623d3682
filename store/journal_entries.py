"""What a job screen's scan is in the offline journal, and how it is written once the server is back."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from store.clock import now
from store.counting import get_session, record_scan, saved_scan
from store.errors import InvalidValue
from store.journal import Entry
from store.scanned import Reading

if TYPE_CHECKING:
    from store.database import Store


def count_scan(store: Store, session_id: int, reading: Reading, multiplier: Decimal | None) -> Entry:
    """A scan into a count, given its client id the moment it is read."""
    return {
        "id": str(uuid.uuid4()),
        "job": "count",
        "session": session_id,
        "reading": {
            "raw": reading.raw,
            "code": reading.code,
            "weight_kg": None if reading.weight_kg is None else str(reading.weight_kg),
            "count": None if reading.count is None else str(reading.count),
            "lot": reading.lot,
            "expiry": None if reading.expiry is None else reading.expiry.isoformat(),
        },
        "multiplier": None if multiplier is None else str(multiplier),
        "operator": store.operator,
        "terminal": store.terminal,
        "read_at": now().isoformat(),
    }


def reading_of(entry: Entry) -> Reading:
    """The scan an entry holds."""
    values = entry["reading"]
    return Reading(
        raw=values["raw"],
        code=values["code"],
        weight_kg=None if values["weight_kg"] is None else Decimal(values["weight_kg"]),
        count=None if values["count"] is None else Decimal(values["count"]),
        lot=values["lot"],
        expiry=None if values["expiry"] is None else date.fromisoformat(values["expiry"]),
    )


def multiplier_of(entry: Entry) -> Decimal | None:
    """The quantity typed before the scan, if one was."""
    return None if entry["multiplier"] is None else Decimal(entry["multiplier"])


def apply(store: Store, entry: Entry) -> None:
    """Write one entry as the operator and terminal that read it; one already saved (by its id) is left as it is.

    A product outside a count's filter is added: nobody is there to ask, as for a batch scanner's dump.
    """
    if entry.get("job") != "count":
        raise InvalidValue(f"the journal holds an entry this Stockroom cannot write: {entry.get('job')!r}")
    if saved_scan(entry["id"]) is not None:
        return
    reader = replace(store, operator=entry["operator"], terminal=entry["terminal"])
    record_scan(reader, get_session(entry["session"]), reading_of(entry), multiplier=multiplier_of(entry),
                allow_outside=True, client_id=entry["id"])
