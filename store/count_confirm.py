"""Confirming a count: conflicts, recounts, the difference moves and the variance report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from peewee import SelectQuery

from store.clock import RUNNING_TOTAL, now, to_micros
from store.count_lines import CountLine, CountState, count_state
from store.counting import SessionClosed, lost_and_found_of, request_recount, session_locations
from store.errors import InvalidValue, StockError
from store.models import CountRecord, CountSession, Move, Product, StockPeriod
from store.moves import post_done_moves_bulk
from store.operators import require
from store.quantity import format_quantity, to_units
from store.transactions import lock_products, lock_row, retried
from store.valuation import unit_costs

if TYPE_CHECKING:
    from store.database import Store

RESOLUTIONS = ("keep", "recount")


class CountBlocked(StockError):
    """The count cannot be confirmed yet; the message lists what is in the way."""


@dataclass(frozen=True)
class VarianceRow:
    """One line of the variance report."""

    product: str
    location: str
    expected: Decimal
    counted: Decimal
    difference: Decimal
    uom: str
    value: Decimal | None


def _name(line: CountLine) -> str:
    return f"{line.product.code} at {line.location.code}"


def over_tolerance(session: CountSession, line: CountLine) -> bool:
    """True if the line's difference exceeds the session's tolerance (units, or % of expected)."""
    difference = line.difference
    if difference is None or difference == 0:
        return False
    if session.tolerance_units is not None and abs(difference) > session.tolerance_units:
        return True
    if session.tolerance_pct is not None:
        base = abs(line.expected)
        return base == 0 or abs(difference) * 100 > session.tolerance_pct * base
    return False


def counts_as_zero(session: CountSession, line: CountLine) -> bool:
    """True if confirming writes the line off: nobody counted it, the count takes uncounted as zero, and
    there is stock to write off."""
    return line.counted is None and session.empty_policy == "zero" and line.expected_now != 0


def send_to_recount(store: Store, session: CountSession, lines: list[CountLine]) -> int:
    """Send lines back to be counted again (by another worker); returns how many."""
    for line in lines:
        request_recount(store, session, line.product, line.location)
    return len(lines)


@retried
def confirm(
    store: Store,
    session: CountSession,
    resolution: str | None = None,
    per_line: dict[tuple[int, int], str] | None = None,
) -> list[Move]:
    """Post one done move per differing line between its location and lost-and-found.

    A line with conflicts (moves posted after it was counted) needs a choice,
    per line or for all: ``keep`` takes the count as the truth now; ``recount``
    sends the line back and leaves the session open. Unresolved unknown
    barcodes and lines awaiting recount block confirmation.
    """
    if resolution is not None and resolution not in RESOLUTIONS:
        raise InvalidValue(f"resolution {resolution!r} is not one of {', '.join(RESOLUTIONS)}")
    require(store, "confirm_count")
    per_line = per_line or {}
    with store.atomic():
        session = lock_row(store, CountSession, session.id)  # scanning terminals finish their scan first
        if session.state != "draft":
            raise SessionClosed(f"count {session.id} is already {session.state}; nothing was posted")
        lock_products(store, _session_products(session))  # no move slips in before the differences post
        state = count_state(store, session)
        _check_ready(state)
        keep, recount = [], []
        for line in state.lines:
            if line.conflicts:
                choice = per_line.get(line.key, resolution)
                if choice is None:
                    continue
                (keep if choice == "keep" else recount).append(line)
        undecided = [line for line in state.lines if line.conflicts and line not in keep and line not in recount]
        if undecided:
            raise CountBlocked(
                "stock moved after these lines were counted; keep the count or recount: "
                + "; ".join(f"{_name(line)} ({len(line.conflicts)} moves)" for line in undecided)
            )
        if recount:
            send_to_recount(store, session, recount)
            return []
        moves = _post_differences(store, session, state, {line.key for line in keep})
        CountSession.update(state="confirmed", confirmed_at=now(), confirmed_by=store.operator).where(
            CountSession.id == session.id
        ).execute()
    return moves


def _session_products(session: CountSession) -> SelectQuery:
    """The ids of the products a session's lines can hold: counted in it, or in stock where it counts."""
    locations = [location.id for location in session_locations(session)]
    counted = CountRecord.select(CountRecord.product).where(
        (CountRecord.session == session) & CountRecord.product.is_null(False)
    )
    stocked = StockPeriod.select(StockPeriod.product).where(
        (StockPeriod.period == RUNNING_TOTAL) & StockPeriod.location.in_(locations) & (StockPeriod.quantity != 0)
    )
    return counted | stocked


def _check_ready(state: CountState) -> None:
    if state.unresolved:
        codes = ", ".join(record.entered for record in state.unresolved)
        raise CountBlocked(f"unknown barcodes to resolve first: {codes}")
    waiting = [line for line in state.lines if line.needs_recount]
    if waiting:
        raise CountBlocked("lines waiting for a recount: " + "; ".join(_name(line) for line in waiting))


def _post_differences(store: Store, session: CountSession, state: CountState, keep: set) -> list[Move]:
    """Insert the difference moves in one statement and update the period cache once."""
    lost = lost_and_found_of(session)
    moment = now()
    differing = []
    for line in state.lines:
        if line.counted is None:
            if not counts_as_zero(session, line):
                continue
            line.counted, line.counted_at, line.expected = Decimal(0), moment, line.expected_now
        if line.key in keep:
            line.expected, line.counted_at = line.expected_now, moment
        if line.counted != line.expected:
            differing.append(line)
    changes = _changes((line.product.id, line.counted - line.expected) for line in differing)
    costs = unit_costs(store, session.location.warehouse, changes)
    rows = []
    for line in differing:
        difference = line.counted - line.expected
        source, destination = (line.location, lost) if difference < 0 else (lost, line.location)
        cost = costs.get(line.product.id)
        rows.append((
            line.product.id, to_units(abs(difference)), source.id, destination.id, to_micros(line.counted_at),
            None if cost is None else to_units(cost), "count", session.origin, store.operator, store.terminal,
        ))
    post_done_moves_bulk(store, rows)
    return list(Move.select().where(Move.origin == session.origin).order_by(Move.id))


def _changes(differences: Iterable[tuple[int, Decimal]]) -> dict[int, Decimal]:
    """Each product's change for costing: the sum of its losses if it has any, else of its gains.

    A loss is valued at what its exit would consume by the warehouse's cost
    method, a gain at the current cost (see ``store.valuation.unit_costs``).
    """
    losses: dict[int, Decimal] = {}
    gains: dict[int, Decimal] = {}
    for product_id, change in differences:
        if change < 0:
            losses[product_id] = losses.get(product_id, Decimal(0)) + change
        elif change > 0:
            gains[product_id] = gains.get(product_id, Decimal(0)) + change
    return gains | losses


def variance(store: Store, session: CountSession) -> list[VarianceRow]:
    """Expected, counted and difference per counted line, with its value.

    A draft count is valued by the warehouse's cost method now (a loss at what
    its exit would consume, a gain at the current cost). For a confirmed count
    the differences and their unit costs are those of the moves it posted, so
    the report stays the same however the stock moves later.
    """
    session = CountSession.get_by_id(session.id)
    state = count_state(store, session)
    warehouse = session.location.warehouse
    posted: dict[tuple[int, int], Decimal] = {}
    posted_costs: dict[tuple[int, int], Decimal | None] = {}
    lines = {line.key: line for line in state.lines}
    if session.state == "confirmed":
        lost = lost_and_found_of(session)
        for move in Move.select().where(Move.origin == session.origin):
            gain = move.from_location_id == lost.id
            location = move.to_location if gain else move.from_location
            posted[(move.product_id, location.id)] = move.quantity if gain else -move.quantity
            posted_costs[(move.product_id, location.id)] = move.unit_cost
            # an uncounted line counted as zero is gone from the stock it was derived from
            lines.setdefault((move.product_id, location.id), CountLine(product=move.product, location=location))
    figures = []  # (line, expected, counted, difference)
    for line in sorted(lines.values(), key=lambda line: (line.location.code, line.product.code)):
        counted = line.counted
        if counted is None and session.empty_policy == "zero":
            counted = Decimal(0)
        if counted is None:
            continue
        if session.state == "confirmed":
            difference = posted.get(line.key, Decimal(0))
            expected = counted - difference
        else:
            expected = line.expected if line.counted is not None else line.expected_now
            difference = counted - expected
        figures.append((line, expected, counted, difference))
    if session.state == "confirmed":
        costs = posted_costs
    else:
        now_costs = unit_costs(store, warehouse, _changes((line.product.id, diff) for line, _, _, diff in figures))
        costs = {line.key: now_costs.get(line.product.id) for line, _, _, _ in figures}
    rows = []
    for line, expected, counted, difference in figures:
        cost = costs.get(line.key)
        rows.append(
            VarianceRow(
                product=line.product.code,
                location=line.location.code,
                expected=expected,
                counted=counted,
                difference=difference,
                uom=line.product.uom.code,
                value=None if cost is None else (difference * cost).quantize(Decimal("0.0001")) + 0,
            )
        )
    return rows


def describe_difference(line: CountLine) -> str:
    """"-3 bag500g" for a line's difference, or "" while uncounted."""
    if line.difference is None:
        return ""
    return signed_quantity(line.difference, line.product)


def signed_quantity(value: Decimal, product: Product) -> str:
    """"+1 pc" or "-3 bag500g": a change of a product's stock in its unit."""
    sign = "+" if value > 0 else ""
    return f"{sign}{format_quantity(value, product.uom.precision)} {product.uom.code}"
