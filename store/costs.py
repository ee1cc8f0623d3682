"""The cost a quantity is valued at, where no layer valuation applies."""

from __future__ import annotations

from decimal import Decimal

from store.models import Location, Move, Product


def current_unit_cost(product: Product, warehouse: Location | None) -> Decimal | None:
    """The unit cost of the product's last costed receipt into the warehouse (any, if none there)."""
    query = Move.select(Move.unit_cost).where(
        (Move.product == product) & (Move.state == "done") & Move.unit_cost.is_null(False)
    )
    if warehouse is not None:
        inside = query.join(Location, on=Move.to_location == Location.id).where(Location.warehouse == warehouse)
        move = inside.order_by(Move.effective_at.desc(), Move.id.desc()).first()
        if move is not None:
            return move.unit_cost
    move = query.order_by(Move.effective_at.desc(), Move.id.desc()).first()
    return move.unit_cost if move is not None else None
