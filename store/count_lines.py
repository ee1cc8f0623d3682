"""The lines of a count session, derived from its records and the ledger.

A line is a product at a location. Its count is folded from the session's
records; its expected quantity is the on-hand quantity when the line was last
counted, so stock that moved during the count does not spoil it; moves posted
after that moment are the line's conflicts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from store.clock import to_micros
from store.counting import LINE_KINDS, in_filter, session_locations
from store.models import CountRecord, CountSession, Location, Move, Product, Uom
from store.stock import on_hand_by_location

if TYPE_CHECKING:
    from store.database import Store


@dataclass
class CountLine:
    """One product at one location in a count."""

    product: Product
    location: Location
    counted: Decimal | None = None  # None: nobody counted it
    counted_at: datetime | None = None
    needs_recount: bool = False
    expected_now: Decimal = Decimal(0)
    expected: Decimal = Decimal(0)  # on hand when the line was last counted
    conflicts: list[Move] = field(default_factory=list)
    counters: dict[str, Decimal] = field(default_factory=dict)
    in_filter: bool = True

    @property
    def key(self) -> tuple[int, int]:
        return self.product.id, self.location.id

    @property
    def difference(self) -> Decimal | None:
        """Counted minus expected; None while uncounted."""
        return None if self.counted is None else self.counted - self.expected


@dataclass
class CountState:
    """Everything a count shows: its lines and its unknown barcodes still to resolve."""

    session: CountSession
    lines: list[CountLine]
    unresolved: list[CountRecord]

    @property
    def counted_lines(self) -> int:
        return sum(1 for line in self.lines if line.counted is not None)

    @property
    def expected_lines(self) -> int:
        return sum(1 for line in self.lines if line.expected_now != 0 and line.in_filter)


def count_state(store: Store, session: CountSession) -> CountState:
    """Derive the lines of a session from its records and the ledger, in three queries."""
    records = list(CountRecord.select().where(CountRecord.session == session).order_by(CountRecord.id))
    locations = {loc.id: loc for loc in session_locations(session)}
    locations.update(_by_id(Location, {r.location_id for r in records} - set(locations)))
    products = _by_id(Product, {r.product_id for r in records})
    lines, unresolved = _fold(records, products, locations)
    stock = on_hand_by_location(store, list(locations.values()))
    products.update(_by_id(Product, {pid for (pid, _), qty in stock.items() if qty != 0} - set(products)))
    for (pid, lid), qty in stock.items():
        if qty == 0 or (pid, lid) in lines:
            continue
        line = CountLine(product=products[pid], location=locations[lid])
        line.in_filter = in_filter(session, line.product, line.location)
        if line.in_filter:
            lines[(pid, lid)] = line
    later = _moves_since_mark(session, list(locations))
    for key, line in lines.items():
        line.expected_now = stock.get(key, Decimal(0))
        line.expected = line.expected_now
        if line.counted_at is None:
            continue
        moment = to_micros(line.counted_at)
        for move, signed in later.get(key, ()):
            if to_micros(move.effective_at) > moment:
                line.expected -= signed
            if _posted_at(move) > moment and move.origin != session.origin:
                line.conflicts.append(move)
    ordered = sorted(lines.values(), key=lambda line: (line.location.code, line.product.code))
    return CountState(session=session, lines=ordered, unresolved=unresolved)


def _by_id(model: type[Product] | type[Location], ids: set[int | None]) -> dict:
    """Rows of ``model`` by id, in batches (products come with their unit, read once per unit)."""
    wanted = [i for i in ids if i is not None]
    units = {uom.id: uom for uom in Uom.select()} if model is Product and wanted else {}
    found = {}
    for start in range(0, len(wanted), 500):
        for row in model.select().where(model.id.in_(wanted[start : start + 500])):
            if units:
                row.uom = units[row.uom_id]
            found[row.id] = row
    return found


def _fold(
    records: list[CountRecord], products: dict[int, Product], locations: dict[int, Location]
) -> tuple[dict[tuple[int, int], CountLine], list[CountRecord]]:
    """Fold the log into lines, skipping undone records; a line whose every record is undone is left out."""
    undone = {r.target_id for r in records if r.kind == "undo"}
    resolved = {r.target_id for r in records if r.kind == "resolve" and r.id not in undone}
    lines: dict[tuple[int, int], CountLine] = {}
    unresolved = []
    counters: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for record in records:
        if record.kind == "unknown":
            if record.id not in undone and record.id not in resolved:
                unresolved.append(record)
            continue
        if record.product_id is None or record.kind not in (*LINE_KINDS, "undo"):
            continue
        key = (record.product_id, record.location_id)
        line = lines.get(key)
        if line is None:
            line = lines[key] = CountLine(product=products[record.product_id], location=locations[record.location_id])
        line.counted_at = record.at
        if record.kind == "undo" or record.id in undone:
            continue
        who = record.operator or record.terminal
        if record.kind in ("set", "recount"):
            line.counted = record.quantity
            line.needs_recount = record.kind == "recount"
            counters[key] = defaultdict(Decimal, {who: record.quantity}) if record.kind == "set" else defaultdict(Decimal)
        else:
            line.counted = (line.counted or Decimal(0)) + record.quantity
            line.needs_recount = False
            counters[key][who] += record.quantity
    for key, line in list(lines.items()):
        if line.counted is None:  # every record of it was undone: no line, unless the stock expects one
            del lines[key]
            continue
        line.counters = dict(counters[key])
    return lines, unresolved


def _posted_at(move: Move) -> int:
    """When a done move entered the ledger: when it was recorded, or, for a planned or reserved
    move made done later (a pick list shipping), when it was done."""
    return max(to_micros(move.created_at), to_micros(move.effective_at))


def _moves_since_mark(session: CountSession, location_ids: list[int]) -> dict[tuple[int, int], list[tuple[Move, Decimal]]]:
    """Done moves posted after the count began at the counted locations, with their signed quantity there.

    Those recorded since (ids above the session's mark), and those planned before but done since.
    """
    found: dict[tuple[int, int], list[tuple[Move, Decimal]]] = defaultdict(list)
    if not location_ids:
        return found
    query = Move.select().where(
        ((Move.id > session.ledger_mark) | (Move.effective_at > session.created_at))
        & (Move.state == "done")
        & (Move.from_location.in_(location_ids) | Move.to_location.in_(location_ids))
    )
    wanted = set(location_ids)
    for move in query:
        if move.to_location_id in wanted:
            found[(move.product_id, move.to_location_id)].append((move, move.quantity))
        if move.from_location_id in wanted:
            found[(move.product_id, move.from_location_id)].append((move, -move.quantity))
    return found
