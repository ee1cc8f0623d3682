"""Picking by scans: the bin, then the products; every scan saved at once as a ``PickRecord``.

A wrong bin or a wrong product is refused with a message saying where to go
or what to take, and nothing is saved. A scan may carry the client id its
terminal gave it: saved again under that id (a replay of the terminal's
offline journal), it is found, never doubled. Undo is a new record. A short pick
closes a stop: the reservation it no longer needs is released at once, so the
stock is free for other pick lists (and a count to find out where it went).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from peewee import IntegrityError, SelectQuery, Value

from store.catalog import product_by_barcode
from store.clock import now
from store.errors import InvalidValue, NotFound
from store.locations import scanned_and_other, split_scanned
from store.models import Location, Move, PickList, PickRecord, Product
from store.moves import assign_move, cancel_move, plan_move
from store.picking import PICK_REASON, PickState, Stop, output_location, pick_state, picked_by_stop, writable
from store.prepared import arg
from store.quantity import format_quantity
from store.scanned import Reading, scanned_quantity, weighing_unit
from store.units import check_precision

if TYPE_CHECKING:
    from store.database import Store


class WrongScan(InvalidValue):
    """A scan that does not fit the pick: a bin with nothing to take, a product not to take here."""


@dataclass(frozen=True)
class PickOutcome:
    """What a scan did, and the pick as it stands after it."""

    kind: str  # "location" or "picked"
    record: PickRecord
    state: PickState
    stop: Stop | None = None
    added: Decimal | None = None


def _qty(quantity: Decimal, product: Product) -> str:
    return f"{format_quantity(quantity, product.uom.precision)} {product.uom.code}"


def _record(store: Store, pick: PickList, kind: str, **values) -> PickRecord:
    return PickRecord.create(pick_list=pick, kind=kind, operator=store.operator, terminal=store.terminal, at=now(),
                             **values)  # fmt: skip


def current_location(pick: PickList, terminal: str) -> Location | None:
    """The bin this terminal last scanned on this pick list, or None before the first."""
    return Location.select().where(Location.id == _last_location(pick, terminal)).first()


def _last_location(pick: PickList | Value, terminal: str | Value) -> SelectQuery:
    """The id of the bin this terminal last scanned on a pick list (a subquery)."""
    return (
        PickRecord.select(PickRecord.location)
        .where((PickRecord.pick_list == pick) & (PickRecord.terminal == terminal) & (PickRecord.kind == "location"))
        .order_by(PickRecord.id.desc())
        .limit(1)
    )


_SCAN_LOCATIONS = scanned_and_other(_last_location(arg("pick"), arg("terminal")))


def _go_to(state: PickState) -> str:
    stop = state.next_stop
    return f"go to {stop.location.code}" if stop else "nothing is left to pick"


def record_pick_scan(
    store: Store,
    pick: PickList,
    reading: Reading,
    *,
    multiplier: Decimal | None = None,
    client_id: str | None = None,
) -> PickOutcome:
    """Save one scan: a bin label takes the picker there, a product barcode takes it from that bin.

    ``multiplier`` is a quantity typed before the scan ("6" then a scan takes
    six packages). Raises ``WrongScan`` (nothing saved) for a bin with nothing
    to pick, a product not to take at the current bin, or more than is left.
    ``client_id`` is unique: a scan saved again under it (see ``saved_scan``)
    gets the saved one's outcome, and nothing is taken twice.
    """
    if multiplier is not None and multiplier <= 0:
        raise InvalidValue(f"a typed quantity before a scan must be positive, not {multiplier}")
    try:
        return _record_pick_scan(store, pick, reading, multiplier, client_id)
    except IntegrityError:  # the same scan, saved by a connection that died before it heard the answer
        if client_id is None or (saved := saved_scan(client_id)) is None:
            raise
        return saved


def saved_scan(client_id: str) -> PickOutcome | None:
    """The outcome of the pick scan saved under this client id (the pick as it stands now), or None if none is."""
    record = PickRecord.get_or_none(PickRecord.client_id == client_id)
    if record is None:
        return None
    state = pick_state(record.pick_list)
    if record.kind == "location":
        return PickOutcome("location", record, state)
    stop = next(s for s in state.stops if (s.location.id, s.product.id) == (record.location_id, record.product_id))
    return PickOutcome("picked", record, state, stop=stop, added=record.quantity)


def _record_pick_scan(
    store: Store, pick: PickList, reading: Reading, multiplier: Decimal | None, client_id: str | None
) -> PickOutcome:
    code = (reading.code or reading.raw).strip()
    with store.atomic():
        pick = writable(store, pick)
        state = pick_state(pick)
        rows = _SCAN_LOCATIONS.rows(scanned=code, pick=pick.id, terminal=store.terminal)
        location, here = split_scanned(rows, code)
        if location is not None and reading.weight_kg is None and reading.count is None:
            if not any(stop.location.id == location.id and stop.remaining > 0 for stop in state.stops):
                raise WrongScan(f"Nothing to pick at {location.code}; {_go_to(state)}")
            record = _record(store, pick, "location", location=location, raw=reading.raw, client_id=client_id)
            return PickOutcome("location", record, state)
        found = product_by_barcode(code)
        if found is None:
            raise WrongScan(f"Unknown barcode {code}")
        product, package = found
        quantity, entered = scanned_quantity(product, package, reading, multiplier)
        return _take(store, pick, state, product, quantity, entered, reading.raw, here, client_id,
                     whole=weighing_unit(product, reading) is not None)  # fmt: skip


def pick_quantity(store: Store, pick: PickList, product: Product, quantity: Decimal) -> PickOutcome:
    """Take a typed quantity of ``product`` at the picker's current bin (as if scanned)."""
    if quantity <= 0:
        raise InvalidValue(f"a picked quantity must be positive, not {quantity}")
    check_precision(quantity, product.uom)
    with store.atomic():
        pick = writable(store, pick)
        here = current_location(pick, store.terminal)
        return _take(store, pick, pick_state(pick), product, quantity, _qty(quantity, product), "", here, None)


def _take(
    store: Store,
    pick: PickList,
    state: PickState,
    product: Product,
    quantity: Decimal,
    entered: str,
    raw: str,
    here: Location | None,
    client_id: str | None,
    *,
    whole: bool = False,
) -> PickOutcome:
    """Take ``quantity`` of ``product`` at ``here``, the bin the picker last scanned.

    No more than the stop has left, unless ``whole``: a weighed piece, taken
    whole by the stop while it still asks for some.
    """
    if here is None:
        raise WrongScan(f"Scan the bin first; {_go_to(state)}")
    stop = next((s for s in state.stops if s.location.id == here.id and s.product.id == product.id), None)
    if stop is None or stop.remaining <= 0:
        elsewhere = next((s for s in state.stops if s.product.id == product.id and s.remaining > 0), None)
        if elsewhere is not None:
            raise WrongScan(f"{product.code} is not to be picked at {here.code}; go to {elsewhere.location.code}")
        if any(line.line.product_id == product.id for line in state.lines):
            raise WrongScan(f"{product.code}: nothing more to pick")
        raise WrongScan(f"{product.code} is not on pick list {pick.reference}")
    if quantity > stop.remaining and not whole:
        raise WrongScan(
            f"Only {_qty(stop.remaining, product)} of {product.code} left to pick at {here.code}; "
            f"{format_quantity(quantity, product.uom.precision)} scanned"
        )
    record = _record(store, pick, "pick", product=product, location=here, quantity=quantity, entered=entered, raw=raw,
                     client_id=client_id)  # fmt: skip
    state.add_picked(stop, quantity)
    return PickOutcome("picked", record, state, stop=stop, added=quantity)


def undo_pick(store: Store, pick: PickList) -> PickRecord:
    """Undo this terminal's last pick still in force, with a new record; returns the undone record."""
    with store.atomic():
        pick = writable(store, pick)
        undone = {
            row.target_id
            for row in PickRecord.select(PickRecord.target).where(
                (PickRecord.pick_list == pick) & (PickRecord.kind == "undo")
            )
        }
        candidates = (
            PickRecord.select()
            .where((PickRecord.pick_list == pick) & (PickRecord.terminal == store.terminal) & (PickRecord.kind == "pick"))
            .order_by(PickRecord.id.desc())
        )
        target = next((record for record in candidates if record.id not in undone), None)
        if target is None:
            raise InvalidValue("nothing to undo")
        shorts = PickRecord.select().where(
            (PickRecord.pick_list == pick) & (PickRecord.kind == "short")
            & (PickRecord.location == target.location_id) & (PickRecord.product == target.product_id)
        )  # fmt: skip
        if shorts.exists():
            raise InvalidValue(f"{target.product.code} at {target.location.code} was closed short: its picks stay")
        _record(store, pick, "undo", target=target, product=target.product, location=target.location)
    return target


def short_pick(store: Store, pick: PickList, location: Location, product: Product) -> Decimal:
    """Close a stop short: no more of ``product`` at ``location``; returns the quantity released.

    The reservation is cut down to what was picked there, so the rest is
    available again at once; finishing leaves what the line lacks on a backorder.
    """
    with store.atomic():
        pick = writable(store, pick)
        moves = list(
            Move.select()
            .where(
                (Move.origin == pick.origin) & (Move.state == "assigned") & (Move.reason == PICK_REASON)
                & (Move.from_location == location) & (Move.product == product)
            )
            .order_by(Move.id)
        )  # fmt: skip
        if not moves:
            raise NotFound(f"nothing of {product.code} is to be picked at {location.code}")
        picked = picked_by_stop(pick).get((location.id, product.id), Decimal(0))
        reserved = sum((move.quantity for move in moves), Decimal(0))
        for move in moves:
            cancel_move(store, move)
        if picked > 0:
            kept = plan_move(store, product, picked, location, output_location(pick.warehouse),
                             reason=PICK_REASON, origin=pick.origin)  # fmt: skip
            assign_move(store, kept)
        _record(store, pick, "short", product=product, location=location, quantity=reserved - picked)
    return reserved - picked
