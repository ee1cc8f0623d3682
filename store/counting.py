"""Count sessions and the log of what was counted.

Every scan is a ``CountRecord`` committed the moment it is read; a count line
(product at location) is derived from the records, never stored. Undo,
setting a line outright, sending it to recount and resolving an unknown
barcode are new records too, so nothing a worker saw is ever lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from peewee import IntegrityError, SelectQuery, Value, fn

from store.catalog import attach_barcode, get_product, product_by_barcode
from store.clock import now
from store.errors import InvalidValue, NotFound, StockError
from store.locations import lost_and_found, scanned_and_other, split_scanned, subtree
from store.models import CountRecord, CountSession, Location, Move, Product, Uom
from store.prepared import Prepared, arg
from store.scanned import Reading, entered_text, in_product_unit, scanned_quantity
from store.transactions import hold_ledger, lock_row

if TYPE_CHECKING:
    from store.database import Store

EMPTY_POLICIES = ("zero", "keep")
LINE_KINDS = ("add", "set", "recount", "resolve")


class OutsideFilter(StockError):
    """A product that the session's filter leaves out: ask the worker before adding it."""

    def __init__(self, product: Product, session: CountSession) -> None:
        self.product = product
        super().__init__(f"{product.code} is not in this count ({describe_filter(session)}); add it anyway?")


class SessionClosed(StockError):
    """The session is confirmed or cancelled: it is read-only."""


@dataclass(frozen=True)
class ScanOutcome:
    """What a scan did: counted a product, switched location, or was not understood."""

    kind: str  # "counted", "location", "unknown"
    record: CountRecord
    product: Product | None = None
    location: Location | None = None
    added: Decimal | None = None
    line_total: Decimal | None = None
    message: str = ""


def start_session(
    store: Store,
    location: Location,
    *,
    children: bool = False,
    blind: bool = False,
    empty_policy: str = "keep",
    category: str | None = None,
    not_counted_days: int | None = None,
    tolerance_units: Decimal | None = None,
    tolerance_pct: Decimal | None = None,
) -> CountSession:
    """Open a count of a location; the ledger as it stands now is the mark conflicts are measured from."""
    if empty_policy not in EMPTY_POLICIES:
        raise InvalidValue(f"empty-line policy {empty_policy!r} is not one of {', '.join(EMPTY_POLICIES)}")
    if location.type not in ("storage", "warehouse", "view"):
        raise InvalidValue(f"{location.code} is a {location.type} location: counts are of storage locations")
    if location.type in ("warehouse", "view") and not children:
        raise InvalidValue(f"{location.code} holds no stock itself: count it with its children")
    if not_counted_days is not None and not_counted_days < 0:
        raise InvalidValue("days since the last count cannot be negative")
    with store.atomic():
        hold_ledger(store)  # a move numbered before the mark is committed before it
        mark = Move.select(fn.MAX(Move.id)).scalar() or 0
        return CountSession.create(
            location=location,
            children=children,
            blind=blind,
            empty_policy=empty_policy,
            category=category or None,
            not_counted_days=not_counted_days,
            tolerance_units=tolerance_units,
            tolerance_pct=tolerance_pct,
            ledger_mark=mark,
            operator=store.operator,
            terminal=store.terminal,
            created_at=now(),
        )


def get_session(session_id: int | str) -> CountSession:
    """The count session with this number."""
    try:
        number = int(session_id)
    except (TypeError, ValueError):
        raise NotFound(f"{session_id!r} is not a count session number") from None
    session = CountSession.get_or_none(CountSession.id == number)
    if session is None:
        raise NotFound(f"no count session {number}")
    return session


def open_sessions() -> list[CountSession]:
    """Draft sessions, newest first: what a worker may resume."""
    return list(CountSession.select().where(CountSession.state == "draft").order_by(CountSession.id.desc()))


def sessions(limit: int = 200) -> list[CountSession]:
    """Recent sessions of every state, newest first."""
    return list(CountSession.select().order_by(CountSession.id.desc()).limit(limit))


def session_locations(session: CountSession) -> list[Location]:
    """The locations a session counts: its location, and those under it when it counts children."""
    return subtree(session.location) if session.children else [session.location]


def describe_filter(session: CountSession) -> str:
    """The product filter in words."""
    parts = []
    if session.category:
        parts.append(f"category {session.category}")
    if session.not_counted_days is not None:
        parts.append(f"not counted for {session.not_counted_days} days")
    return ", ".join(parts) or "all products"


def in_filter(session: CountSession, product: Product, location: Location) -> bool:
    """True if the session's filter takes this product."""
    if session.category and product.category != session.category:
        return False
    if session.not_counted_days is not None:
        last = last_counted(product, location)
        if last is not None and last > now() - timedelta(days=session.not_counted_days):
            return False
    return True


def last_counted(product: Product, location: Location) -> datetime | None:
    """When a confirmed count last counted this product at this location."""
    return (
        CountRecord.select(fn.MAX(CountRecord.at))
        .join(CountSession)
        .where(
            (CountSession.state == "confirmed")
            & (CountRecord.product == product)
            & (CountRecord.location == location)
            & (CountRecord.kind.in_(LINE_KINDS))
        )
        .scalar(convert=True)
    )


def current_location(session: CountSession, terminal: str) -> Location:
    """Where this terminal is counting: the last location it scanned, else the session's."""
    last = Location.select().where(Location.id == _last_location(session, terminal)).first()
    return last or session.location


def _last_location(session: CountSession | Value, terminal: str | Value) -> SelectQuery:
    """The id of the location this terminal last scanned in a session (a subquery)."""
    return (
        CountRecord.select(CountRecord.location)
        .where((CountRecord.session == session) & (CountRecord.terminal == terminal) & (CountRecord.kind == "location"))
        .order_by(CountRecord.id.desc())
        .limit(1)
    )


_SCAN_LOCATIONS = scanned_and_other(_last_location(arg("session"), arg("terminal")))


def _writable(store: Store, session: CountSession) -> CountSession:
    """The session, checked against the database to be still open (another terminal may have confirmed it).

    Terminals scanning into it share its lock; confirming it waits for them, and they for it.
    """
    fresh = lock_row(store, CountSession, session.id, shared=True)
    if fresh is None or fresh.state != "draft":
        raise SessionClosed(f"count {session.id} is {fresh.state if fresh else 'gone'}: it can no longer change")
    return session


def _record(store: Store, session: CountSession, kind: str, **values) -> CountRecord:
    return CountRecord.create(
        session=session, kind=kind, operator=store.operator, terminal=store.terminal, at=now(), **values
    )


def record_scan(
    store: Store,
    session: CountSession,
    reading: Reading,
    *,
    multiplier: Decimal | None = None,
    allow_outside: bool = False,
    client_id: str | None = None,
) -> ScanOutcome:
    """Save one scan: a location label switches the sub-location, a product barcode adds to its line.

    ``multiplier`` is a quantity typed before the scan ("12" then scan adds 12
    packages). An unknown barcode is saved as an unresolved line, never lost.
    Raises ``OutsideFilter`` (nothing saved) for a product the filter leaves out
    unless ``allow_outside``. ``client_id`` is unique: a scan saved again under
    it (see ``saved_scan``) gets the saved one's outcome, and nothing is added.
    """
    if multiplier is not None and multiplier <= 0:
        raise InvalidValue(f"a typed quantity before a scan must be positive, not {multiplier}")
    try:
        return _record_scan(store, session, reading, multiplier, allow_outside, client_id)
    except IntegrityError:  # the same scan, saved by a connection that died before it heard the answer
        if client_id is None or (saved := saved_scan(client_id)) is None:
            raise
        return saved


def saved_scan(client_id: str) -> ScanOutcome | None:
    """The outcome of the scan saved under this client id, or None if none is."""
    record = CountRecord.get_or_none(CountRecord.client_id == client_id)
    if record is None:
        return None
    if record.kind in ("location", "unknown"):
        return ScanOutcome(record.kind, record, location=record.location)
    total = line_total(record.session, record.product, record.location)
    return ScanOutcome("counted", record, product=record.product, location=record.location,
                       added=record.quantity, line_total=total)


def _record_scan(
    store: Store,
    session: CountSession,
    reading: Reading,
    multiplier: Decimal | None,
    allow_outside: bool,
    client_id: str | None,
) -> ScanOutcome:
    code = (reading.code or reading.raw).strip()
    with store.atomic():
        session = _writable(store, session)
        rows = _SCAN_LOCATIONS.rows(scanned=code, session=session.id, terminal=store.terminal)
        location, last = split_scanned(rows, code)
        if location is not None and reading.weight_kg is None and reading.count is None:
            if location.id not in {loc.id for loc in session_locations(session)}:
                raise InvalidValue(f"{location.code} is not part of this count of {session.location.code}")
            record = _record(store, session, "location", location=location, raw=reading.raw, client_id=client_id)
            return ScanOutcome("location", record, location=location, message=f"counting at {location.code}")
        here = last or session.location
        found = product_by_barcode(code) or _product_by_code(code)
        if found is None:
            record = _record(store, session, "unknown", location=here, raw=reading.raw, entered=code,
                             client_id=client_id)
            return ScanOutcome("unknown", record, location=here, message=f"unknown barcode {code}")
        product, package = found
        quantity, entered = scanned_quantity(product, package, reading, multiplier)  # no question for a refused label
        if not allow_outside and not in_filter(session, product, here):
            raise OutsideFilter(product, session)
        record = _record(
            store,
            session,
            "add",
            product=product,
            location=here,
            quantity=quantity,
            entered=entered,
            raw=reading.raw,
            lot=reading.lot,
            expiry=reading.expiry.isoformat() if reading.expiry else None,
            client_id=client_id,
        )
        total = line_total(session, product, here)
    return ScanOutcome("counted", record, product=product, location=here, added=quantity, line_total=total)


def _product_by_code(code: str) -> tuple[Product, Decimal] | None:
    product = Product.get_or_none(Product.code == code)
    return (product, Decimal(1)) if product is not None else None


def set_count(
    store: Store,
    session: CountSession,
    product: Product,
    quantity: Decimal,
    *,
    unit: Uom | None = None,
    location: Location | None = None,
) -> CountRecord:
    """Set a line outright (8.5 kg of a product kept in 500 g bags sets 17 bags)."""
    if quantity < 0:
        raise InvalidValue(f"a counted quantity cannot be negative ({quantity})")
    converted = in_product_unit(product, quantity, unit)
    with store.atomic():
        session = _writable(store, session)
        here = location or current_location(session, store.terminal)
        return _record(
            store,
            session,
            "set",
            product=product,
            location=here,
            quantity=converted,
            entered=entered_text(quantity, unit or product.uom),
        )


def undo(store: Store, session: CountSession, record: CountRecord | None = None) -> CountRecord:
    """Undo a record (default: this terminal's last one still in force) with a new record."""
    with store.atomic():
        session = _writable(store, session)
        if record is None:
            record = _last_undoable(session, store.terminal)
            if record is None:
                raise InvalidValue("nothing to undo")
        elif record.session_id != session.id or record.kind in ("undo", "location"):
            raise InvalidValue(f"record {record.id} cannot be undone")
        elif _undone_ids(session, [record.id]):
            raise InvalidValue(f"record {record.id} is already undone")
        return _record(store, session, "undo", target=record, product=record.product, location=record.location)


def _undone_ids(session: CountSession, ids: list[int] | None = None) -> set[int]:
    query = CountRecord.select(CountRecord.target).where((CountRecord.session == session) & (CountRecord.kind == "undo"))
    if ids is not None:
        query = query.where(CountRecord.target.in_(ids))
    return {row.target_id for row in query}


def _last_undoable(session: CountSession, terminal: str) -> CountRecord | None:
    return _last_in_force(session, terminal, (*LINE_KINDS, "unknown"))


def _last_in_force(session: CountSession, terminal: str, kinds: tuple[str, ...]) -> CountRecord | None:
    """This terminal's last record of one of ``kinds`` in a session that is not undone."""
    undone = _undone_ids(session)
    query = (
        CountRecord.select()
        .where((CountRecord.session == session) & (CountRecord.terminal == terminal) & (CountRecord.kind.in_(kinds)))
        .order_by(CountRecord.id.desc())
    )
    return next((record for record in query if record.id not in undone), None)


def last_counted_product(session: CountSession, terminal: str) -> Product | None:
    """The product this terminal last scanned, set or assigned in a session, its record still in force.

    What F3 (set) acts on: once the last scan is undone, the one before it
    (the line the worker is back on), or None when none is left.
    """
    record = _last_in_force(session, terminal, ("add", "set", "resolve"))
    return record.product if record is not None else None


def request_recount(store: Store, session: CountSession, product: Product, location: Location) -> CountRecord:
    """Send a line back to be counted again: its count restarts from zero and it must be scanned anew."""
    with store.atomic():
        session = _writable(store, session)
        return _record(store, session, "recount", product=product, location=location, quantity=Decimal(0))


def resolve_unknown(store: Store, session: CountSession, record: CountRecord, product: Product) -> CountRecord:
    """Assign an unknown scan to a product: the barcode becomes the product's, the scan counts one unit."""
    if record.kind != "unknown" or record.session_id != session.id:
        raise InvalidValue(f"record {record.id} is not an unknown scan of count {session.id}")
    with store.atomic():
        session = _writable(store, session)
        if _undone_ids(session, [record.id]) or _resolution(record) is not None:
            raise InvalidValue(f"unknown scan {record.entered} is already dealt with")
        barcode = attach_barcode(product, record.entered)
        return _record(
            store,
            session,
            "resolve",
            target=record,
            product=product,
            location=record.location,
            quantity=barcode.quantity,
            entered=entered_text(barcode.quantity, product.uom),
            raw=record.raw,
        )


def _resolution(record: CountRecord) -> CountRecord | None:
    return CountRecord.get_or_none((CountRecord.kind == "resolve") & (CountRecord.target == record))


_LINE_RECORDS = Prepared(
    lambda: CountRecord.select(CountRecord.id, CountRecord.kind, CountRecord.quantity, CountRecord.target)
    .where((CountRecord.session == arg("session")) & (CountRecord.product == arg("product"))
           & (CountRecord.location == arg("location")))
    .order_by(CountRecord.id)
    .tuples()
)  # fmt: skip


def line_total(session: CountSession, product: Product, location: Location) -> Decimal:
    """The counted quantity of one line, derived from its records (raw rows: this is on the scan path)."""
    rows = _LINE_RECORDS.rows(session=session.id, product=product.id, location=location.id)
    undone = {target for _, kind, _, target in rows if kind == "undo"}
    total = Decimal(0)
    for record_id, kind, quantity, _ in rows:
        if record_id in undone or kind not in LINE_KINDS:
            continue
        total = quantity if kind in ("set", "recount") else total + quantity
    return total


def product_for_input(text: str) -> Product:
    """The product a worker means by a code or barcode typed by hand."""
    found = product_by_barcode(text.strip())
    return found[0] if found else get_product(text)


def lost_and_found_of(session: CountSession) -> Location:
    """Where the session's differences go to and come from."""
    return lost_and_found(session.location)


def record_batch(
    store: Store, session: CountSession, entries: list[tuple[int, Reading, Decimal | None]]
) -> list[ScanOutcome]:
    """Add a batch scanner's dump (line number, reading, quantity) as scans, all or nothing.

    Unknown barcodes refuse the whole batch, naming their lines; products
    outside the filter are added, since nobody is there to ask.
    """
    with store.atomic():
        outcomes = [
            record_scan(store, session, reading, multiplier=quantity, allow_outside=True)
            for _, reading, quantity in entries
        ]
        unknown = [
            f"line {number}: {outcome.record.entered}"
            for (number, _, _), outcome in zip(entries, outcomes, strict=True)
            if outcome.kind == "unknown"
        ]
        if unknown:
            raise NotFound("unknown barcodes, nothing added: " + "; ".join(unknown))
    return outcomes
