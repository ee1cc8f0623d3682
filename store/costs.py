"""The last price paid: the default unit cost of a product ordered or received without one."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from store.models import Location
from store.quantity import from_units

if TYPE_CHECKING:
    from store.database import Store


def last_receipt_costs(store: Store, product_ids: Iterable[int], warehouse: Location | None) -> dict[int, Decimal]:
    """Each product's unit cost of its last costed done move into the warehouse (any, for None).

    One indexed look-up per product, walking its moves from the newest: cheap
    enough for the thousands of lines of a count.
    """
    p = store.db.param
    sql = (
        "SELECT m.unit_cost FROM move m JOIN location l ON l.id = m.to_location_id "
        f"WHERE m.product_id = {p} AND m.state = 'done' AND m.unit_cost IS NOT NULL "
        + (f"AND l.warehouse_id = {p} " if warehouse is not None else "")
        + "ORDER BY m.effective_at DESC, m.id DESC LIMIT 1"
    )
    extra = (warehouse.id,) if warehouse is not None else ()
    costs = {}
    for product_id in product_ids:
        row = store.db.execute_sql(sql, (product_id, *extra)).fetchone()
        if row is not None:
            costs[product_id] = from_units(row[0])
    return costs

