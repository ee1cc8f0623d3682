"""What a job screen's scan is in the offline journal, and how it is written once the server is back."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from store import counting, pick_scans, receiving
from store.clock import now
from store.errors import InvalidValue, NotFound
from store.journal import Entry
from store.models import PickList
from store.scanned import Reading

if TYPE_CHECKING:
    from store.database import Store


def count_scan(store: Store, session_id: int, reading: Reading, multiplier: Decimal | None) -> Entry:
    """A scan into a count, given its client id the moment it is read."""
    return _scan(store, "count", session_id, reading, multiplier)


def receipt_scan(store: Store, receipt_id: int, reading: Reading, multiplier: Decimal | None) -> Entry:
    """A scan of what arrived on a receipt, given its client id the moment it is read."""
    return _scan(store, "receive", receipt_id, reading, multiplier)


def pick_scan(store: Store, pick_id: int, reading: Reading, multiplier: Decimal | None) -> Entry:
    """A scan on a pick list (a bin or a product), given its client id the moment it is read."""
    return _scan(store, "pick", pick_id, reading, multiplier)


def _scan(store: Store, job: str, document: int, reading: Reading, multiplier: Decimal | None) -> Entry:
    return {
        "id": str(uuid.uuid4()),
        "job": job,
        "document": document,
        "reading": {
            "raw": reading.raw,
            "code": reading.code,
            "weight_kg": None if reading.weight_kg is None else str(reading.weight_kg),
            "count": None if reading.count is None else str(reading.count),
            "price": None if reading.price is None else str(reading.price),
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
        price=None if values.get("price") is None else Decimal(values["price"]),  # kept by an older version: none
        lot=values["lot"],
        expiry=None if values["expiry"] is None else date.fromisoformat(values["expiry"]),
    )


def multiplier_of(entry: Entry) -> Decimal | None:
    """The quantity typed before the scan, if one was."""
    return None if entry["multiplier"] is None else Decimal(entry["multiplier"])


def apply(store: Store, entry: Entry) -> None:
    """Write one entry as the operator and terminal that read it; one already saved (by its id) is left as it is.

    A product outside a count's filter is added: nobody is there to ask, as for a
    batch scanner's dump. A product not on a receipt's order is refused (a
    worker must say yes to it), and so is an unknown barcode: the journal keeps
    them, marked refused, and the app reports them. A pick scan is checked as
    when it was read, against the pick as it stands now: a bin with nothing left
    to take, a product not to take at the bin scanned before it, more than is
    left, or a pick list closed meanwhile is refused the same way.
    """
    job, client_id = entry.get("job"), entry["id"]
    reader = replace(store, operator=entry["operator"], terminal=entry["terminal"])
    if job == "count":
        if counting.saved_scan(client_id) is None:
            counting.record_scan(reader, counting.get_session(entry["document"]), reading_of(entry),
                                 multiplier=multiplier_of(entry), allow_outside=True, client_id=client_id)
    elif job == "receive":
        if receiving.saved_scan(store, client_id) is None:
            receiving.record_scan(reader, receiving.get_receipt(entry["document"]), reading_of(entry),
                                  multiplier=multiplier_of(entry), client_id=client_id)
    elif job == "pick":
        if pick_scans.saved_scan(client_id) is None:
            pick_scans.record_pick_scan(reader, _pick_list(entry["document"]), reading_of(entry),
                                        multiplier=multiplier_of(entry), client_id=client_id)
    else:
        raise InvalidValue(f"the journal holds an entry this Stockroom cannot write: {job!r}")


def _pick_list(pick_id: int) -> PickList:
    """The pick list a scan was read on, by its number (a reference may look like another list's number)."""
    pick = PickList.get_or_none(PickList.id == pick_id)
    if pick is None:
        raise NotFound(f"no pick list {pick_id}")
    return pick
