"""Pick lists: goods to send out of a warehouse, their reservations, and where to pick them.

A pick list is draft (open) until it is done or cancelled. Assigning reserves
stock for its lines with assigned moves (origin ``pick:<id>``) from storage to
the warehouse's output: first stock held at the warehouse's storage location
``WH/STOCK`` itself (the picking face), then its bins in the order of their
codes. What cannot be reserved is reported and may be assigned again later.
Assigning runs in one write transaction (``BEGIN IMMEDIATE`` on SQLite), so
two pick lists competing for the last units cannot both reserve them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from store.clock import now
from store.errors import InvalidValue, NotFound
from store.locations import get_location, subtree
from store.models import Location, Move, PickLine, PickList, PickRecord, Product
from store.moves import assign_move, cancel_move, plan_move
from store.quantity import format_quantity
from store.stock import available
from store.text import check_code, check_name
from store.transactions import lock_products, lock_row, retried
from store.units import check_precision

if TYPE_CHECKING:
    from store.database import Store

PICK_REASON = "picking"


class PickListClosed(InvalidValue):
    """The pick list is done or cancelled: it can no longer change."""


@dataclass(frozen=True)
class Shortage:
    """What assigning could not reserve for one line."""

    product: Product
    missing: Decimal

    def __str__(self) -> str:
        uom = self.product.uom
        return f"{format_quantity(self.missing, uom.precision)} {uom.code} of {self.product.code} not in stock"


@dataclass
class Stop:
    """One product to take at one location: reserved there, picked so far, closed short or not."""

    location: Location
    product: Product
    reserved: Decimal = Decimal(0)
    picked: Decimal = Decimal(0)
    short: bool = False

    @property
    def remaining(self) -> Decimal:
        """What is still to be taken here (nothing once closed short, or once taken in full or over)."""
        return Decimal(0) if self.short else max(self.reserved - self.picked, Decimal(0))

    @property
    def over(self) -> Decimal:
        """What was taken here beyond the reservation: the rest of a weighed piece, which cannot be cut."""
        return max(self.picked - self.reserved, Decimal(0))

    @property
    def key(self) -> tuple[int, int]:
        return self.location.id, self.product.id


@dataclass
class PickLineState:
    """A line with what is reserved and picked for it."""

    line: PickLine
    reserved: Decimal = Decimal(0)
    picked: Decimal = Decimal(0)

    @property
    def missing(self) -> Decimal:
        """Ordered but neither picked nor still reserved to pick."""
        return max(self.line.quantity - self.reserved, Decimal(0))

    @property
    def to_backorder(self) -> Decimal:
        """Ordered but not picked: what finishing now leaves on a backorder (nothing once picked in full or over)."""
        return max(self.line.quantity - self.picked, Decimal(0))

    def tally(self, stops: list[Stop]) -> None:
        """Set what is reserved and picked for the line from the pick's stops."""
        mine = [stop for stop in stops if stop.product.id == self.line.product_id]
        self.picked = sum((stop.picked for stop in mine), Decimal(0))
        # what is picked plus what is still to take (a short stop keeps only its picks)
        self.reserved = sum((stop.picked if stop.short else max(stop.reserved, stop.picked) for stop in mine), Decimal(0))


@dataclass
class PickState:
    """Everything a pick shows: the stops in walking order and the lines."""

    pick_list: PickList
    stops: list[Stop]
    lines: list[PickLineState] = field(default_factory=list)

    @property
    def next_stop(self) -> Stop | None:
        """The first stop, in walking order, with something left to take."""
        return next((stop for stop in self.stops if stop.remaining > 0), None)

    @property
    def backorder_lines(self) -> list[PickLineState]:
        """The lines not picked in full: finishing now leaves their rest on a backorder."""
        return [line for line in self.lines if line.to_backorder > 0]

    @property
    def picked_any(self) -> bool:
        """True once something is picked: only then may the pick list be finished."""
        return any(stop.picked > 0 for stop in self.stops)

    @property
    def complete(self) -> bool:
        """True when every line is picked in full (or over): finishing leaves no backorder."""
        return not self.backorder_lines

    def add_picked(self, stop: Stop, quantity: Decimal) -> None:
        """Count ``quantity`` more taken at ``stop`` (one of this pick's), on the stop and on its line."""
        stop.picked += quantity
        for line in self.lines:
            if line.line.product_id == stop.product.id:
                line.tally(self.stops)


def check_pick_line(product: Product, quantity: Decimal) -> Decimal:
    """Refuse what no pick list line may hold: a product not kept in stock, a quantity not positive or too precise."""
    if not product.stock_keeping:
        raise InvalidValue(f"{product.code} is not stock-kept")
    if quantity <= 0:
        raise InvalidValue(f"{product.code}: a pick list takes a positive quantity, not {quantity}")
    return check_precision(quantity, product.uom)


def create_pick_list(
    store: Store,
    reference: str,
    warehouse: Location,
    lines: list[tuple[Product, Decimal]],
    *,
    customer: str = "",
    backorder_of: PickList | None = None,
) -> PickList:
    """Create an open pick list of ``lines`` (product, quantity in its unit) out of ``warehouse``."""
    reference = check_code(reference, "pick list reference")
    customer = check_name(customer, "customer") if customer.strip() else ""
    if warehouse.type != "warehouse":
        raise InvalidValue(f"{warehouse.code} is not a warehouse: a pick list sends goods out of a warehouse")
    if not lines:
        raise InvalidValue(f"pick list {reference} has no lines")
    seen: set[int] = set()
    for product, quantity in lines:
        check_pick_line(product, quantity)
        if product.id in seen:
            raise InvalidValue(f"{product.code} is twice on pick list {reference}")
        seen.add(product.id)
    with store.atomic():
        if PickList.get_or_none(PickList.reference == reference) is not None:
            raise InvalidValue(f"pick list {reference} already exists")
        pick = PickList.create(
            reference=reference, warehouse=warehouse, customer=customer, backorder_of=backorder_of,
            operator=store.operator, terminal=store.terminal, created_at=now(),
        )  # fmt: skip
        PickLine.insert_many(
            [{"pick_list": pick.id, "product": product.id, "quantity": quantity} for product, quantity in lines]
        ).execute()
    return pick


def get_pick_list(reference: str | int) -> PickList:
    """The pick list with this reference (or number)."""
    pick = PickList.get_or_none(PickList.reference == str(reference).strip())
    if pick is None and isinstance(reference, int):
        pick = PickList.get_or_none(PickList.id == reference)
    if pick is None:
        raise NotFound(f"no pick list {reference!r}")
    return pick


def open_pick_lists() -> list[PickList]:
    """Draft pick lists, oldest first: the work waiting to be picked."""
    return list(PickList.select().where(PickList.state == "draft").order_by(PickList.id))


def writable(store: Store, pick: PickList) -> PickList:
    """The pick list re-read and locked, refused unless still open (another terminal may have closed it)."""
    fresh = lock_row(store, PickList, pick.id)
    if fresh is None:
        raise NotFound(f"no pick list {pick.reference}")
    if fresh.state != "draft":
        raise PickListClosed(f"pick list {fresh.reference} is {fresh.state}: it can no longer change")
    return fresh


def picking_locations(warehouse: Location) -> list[Location]:
    """Where a warehouse's stock is picked from, in reserving order: ``WH/STOCK`` itself, then its bins by code."""
    stock = get_location(f"{warehouse.code}/STOCK")
    bins = [loc for loc in subtree(stock) if loc.id != stock.id and loc.type == "storage" and loc.active]
    return [stock, *sorted(bins, key=lambda loc: loc.code)]


def output_location(warehouse: Location) -> Location:
    """The warehouse's output location, where picked goods wait to leave."""
    return get_location(f"{warehouse.code}/OUT")


def reservations(pick: PickList) -> list[Move]:
    """The assigned moves of a pick list, oldest first."""
    return list(
        Move.select().where((Move.origin == pick.origin) & (Move.state == "assigned")).order_by(Move.id)
    )


def short_stops(pick: PickList) -> set[tuple[int, int]]:
    """(location id, product id) of the stops the picker closed short."""
    query = PickRecord.select(PickRecord.location, PickRecord.product).where(
        (PickRecord.pick_list == pick) & (PickRecord.kind == "short")
    )
    return {(row.location_id, row.product_id) for row in query}


@retried
def assign(store: Store, pick: PickList) -> list[Shortage]:
    """Reserve what the pick list's lines still need; returns what could not be reserved.

    Runs again safely: a line reserves only what it lacks, never at a location
    where the picker found it short.
    """
    shortages: list[Shortage] = []
    with store.atomic():
        pick = writable(store, pick)
        out = output_location(pick.warehouse)
        places = picking_locations(pick.warehouse)
        shorts = short_stops(pick)
        state = pick_state(pick)
        lock_products(store, [line_state.line.product_id for line_state in state.lines])
        for line_state in state.lines:
            product, need = line_state.line.product, line_state.missing
            for place in places:
                if need <= 0:
                    break
                if (place.id, product.id) in shorts:
                    continue
                take = min(max(available(store, product, place, children=False), Decimal(0)), need)
                if take > 0:
                    move = plan_move(store, product, take, place, out, reason=PICK_REASON, origin=pick.origin)
                    assign_move(store, move)
                    need -= take
            if need > 0:
                shortages.append(Shortage(product, need))
    return shortages


def cancel_pick_list(store: Store, pick: PickList) -> PickList:
    """Cancel an unfinished pick list, releasing everything it reserved."""
    with store.atomic():
        pick = writable(store, pick)
        for move in Move.select().where((Move.origin == pick.origin) & (Move.state.in_(("draft", "assigned")))):
            cancel_move(store, move)
        PickList.update(state="cancelled").where(PickList.id == pick.id).execute()
    return PickList.get_by_id(pick.id)


def picked_by_stop(pick: PickList) -> dict[tuple[int, int], Decimal]:
    """What has been picked, per (location id, product id), folded from the log (undone picks left out)."""
    rows = list(
        PickRecord.select(PickRecord.id, PickRecord.kind, PickRecord.location, PickRecord.product,
                          PickRecord.quantity, PickRecord.target)
        .where((PickRecord.pick_list == pick) & (PickRecord.kind.in_(("pick", "undo"))))
        .tuples()
    )  # fmt: skip
    undone = {target for _, kind, _, _, _, target in rows if kind == "undo"}
    picked: defaultdict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for record_id, kind, location_id, product_id, quantity, _ in rows:
        if kind == "pick" and record_id not in undone:
            picked[location_id, product_id] += quantity
    return dict(picked)


def pick_state(pick: PickList) -> PickState:
    """The stops (reserved or picked, in walking order by location code) and the lines of a pick list."""
    lines = list(PickLine.select(PickLine, Product).join(Product).where(PickLine.pick_list == pick).order_by(PickLine.id))
    products = {line.product_id: line.product for line in lines}
    reserved_at: defaultdict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for move in Move.select().where((Move.origin == pick.origin) & (Move.state.in_(("assigned", "done")))):
        if move.to_location_id != move.from_location_id and move.reason == PICK_REASON:
            reserved_at[move.from_location_id, move.product_id] += move.quantity
    picked_at = picked_by_stop(pick)
    shorts = short_stops(pick)
    keys = {*reserved_at, *picked_at, *shorts}
    location_ids = {location_id for location_id, _ in keys}
    locations = {loc.id: loc for loc in Location.select().where(Location.id.in_(location_ids))} if keys else {}
    stops = []
    for key in keys:
        location_id, product_id = key
        product = products.get(product_id) or Product.get_by_id(product_id)
        stops.append(Stop(locations[location_id], product, reserved=reserved_at.get(key, Decimal(0)),
                          picked=picked_at.get(key, Decimal(0)), short=key in shorts))  # fmt: skip
    ordered = sorted(stops, key=lambda s: (s.location.code, s.product.code))
    states = [PickLineState(line) for line in lines]
    for line_state in states:
        line_state.tally(ordered)
    return PickState(pick, ordered, states)

