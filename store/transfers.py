"""Internal transfers: stock moved between bins or warehouses, at once.

A transfer is one done move straight from the source to the destination, also
between warehouses: it is done the moment it is posted, so there is no time in
transit to show, and one move keeps the goods' cost layers whole (StoreHouse 5).
The source must hold the quantity when it forbids negative stock, counting
only what is not reserved for pick lists.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from store.errors import InvalidValue
from store.models import Location, Move, Product
from store.moves import post_move
from store.transactions import lock_products, retried

if TYPE_CHECKING:
    from store.database import Store

TRANSFER_REASON = "transfer"


def transfer(
    store: Store,
    product: Product,
    quantity: Decimal,
    source: Location,
    destination: Location,
    *,
    origin: str = "",
) -> Move:
    """Move ``quantity`` of ``product`` from one storage location to another; returns the done move."""
    for location in (source, destination):
        if location.type != "storage":
            raise InvalidValue(
                f"{location.code} is a {location.type} location: transfers are between storage locations"
            )
    return post_move(store, product, quantity, source, destination, reason=TRANSFER_REASON, origin=origin)


@retried
def transfer_lines(
    store: Store, lines: list[tuple[Product, Decimal]], source: Location, destination: Location
) -> list[Move]:
    """Transfer several products from one location to another, all or nothing (one scanned armful)."""
    with store.atomic():
        lock_products(store, [product for product, _ in lines])
        return [transfer(store, product, quantity, source, destination) for product, quantity in lines]
