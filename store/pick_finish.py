"""Finishing a pick list: the picked goods leave, what is missing goes on a backorder.

Done posts, per stop, the reservation as a done move from the bin to the
warehouse's output (cut down to what was picked; a weighed piece taken past
it adds a move of the rest), then one done move per product from the output
to the customer. Whatever a line lacks becomes a new open pick list (the
backorder) linked to this one, numbered on from the original list
(``P-1-BO2`` after ``P-1-BO1``, not ``P-1-BO1-BO1``); reservations not
picked are released. All of it happens in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from store.clock import now
from store.errors import InvalidValue
from store.locations import get_location
from store.models import Move, PickList, Product
from store.moves import cancel_move, do_move, post_move
from store.picking import PICK_REASON, create_pick_list, output_location, pick_state, writable
from store.transactions import lock_products, retried

if TYPE_CHECKING:
    from store.database import Store

SHIP_REASON = "shipped"


@dataclass(frozen=True)
class PickResult:
    """What finishing did: the moves it posted and the backorder it left, if any."""

    pick_list: PickList
    moves: list[Move]
    backorder: PickList | None


def _backorder_reference(pick: PickList) -> str:
    """The reference for a backorder of ``pick``: the original list's next free ``-BO<n>``.

    A backorder of a backorder is numbered on from the list the chain started
    from (P-1, P-1-BO1, P-1-BO2), as Odoo does, so a reference stays short
    enough for a 20-column screen however often a list comes back short.
    """
    while pick.backorder_of_id is not None:
        pick = pick.backorder_of
    number = 1
    while PickList.select().where(PickList.reference == f"{pick.reference}-BO{number}").exists():
        number += 1
    return f"{pick.reference}-BO{number}"


@retried
def finish(store: Store, pick: PickList) -> PickResult:
    """Post the picked goods out to the customer, release the rest, and backorder what is missing."""
    with store.atomic():
        pick = writable(store, pick)
        state = pick_state(pick)
        if not state.picked_any:
            raise InvalidValue(f"nothing is picked on {pick.reference}: cancel it instead of finishing")
        lock_products(store, [line.line.product_id for line in state.lines])
        out = output_location(pick.warehouse)
        customer = get_location("CUSTOMER")
        picked = {stop.key: stop.picked for stop in state.stops}
        moves: list[Move] = []
        for move in Move.select().where(
            (Move.origin == pick.origin) & (Move.state == "assigned") & (Move.reason == PICK_REASON)
        ).order_by(Move.id):
            key = (move.from_location_id, move.product_id)
            take = picked.get(key, Decimal(0))
            if take >= move.quantity:
                moves.append(do_move(store, move))
                picked[key] = take - move.quantity
                continue
            cancel_move(store, move)
            if take > 0:
                moves.append(post_move(store, move.product, take, move.from_location, out,
                                       reason=PICK_REASON, origin=pick.origin))  # fmt: skip
                picked[key] = Decimal(0)
        for stop in state.stops:  # taken beyond its reservation: the rest of a weighed piece
            if picked.get(stop.key, Decimal(0)) > 0:
                moves.append(post_move(store, stop.product, picked[stop.key], stop.location, out,
                                       reason=PICK_REASON, origin=pick.origin))  # fmt: skip
        shipped: defaultdict[int, Decimal] = defaultdict(Decimal)
        for stop in state.stops:
            shipped[stop.product.id] += stop.picked
        products = {line.line.product_id: line.line.product for line in state.lines}
        for product_id, quantity in shipped.items():
            if quantity > 0:
                product = products.get(product_id) or Product.get_by_id(product_id)
                moves.append(post_move(store, product, quantity, out, customer,
                                       reason=SHIP_REASON, origin=pick.origin, from_reserved=True))  # fmt: skip
        missing = [(line.line.product, line.to_backorder) for line in state.backorder_lines]
        backorder = None
        if missing:
            backorder = create_pick_list(store, _backorder_reference(pick), pick.warehouse, missing,
                                         customer=pick.customer, backorder_of=pick)  # fmt: skip
        PickList.update(state="done", done_at=now()).where(PickList.id == pick.id).execute()
    return PickResult(PickList.get_by_id(pick.id), moves, backorder)
