"""Importing pick lists from CSV: ``pick,product,quantity[,warehouse,customer]``.

Rows with the same ``pick`` reference are the lines of one pick list, created
open (nothing reserved yet). ``warehouse`` may be left out when the database
has one warehouse; ``customer`` names who the goods are for (empty: the
anonymous customer). Within one pick list every row must name the same
warehouse and customer. All or nothing, like every import.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from store.csv_files import CsvTable, clean_text, decode
from store.errors import ImportRefused, StockError
from store.models import Location, PickList, Product
from store.picking import create_pick_list
from store.quantity import parse_decimal
from store.units import check_precision

if TYPE_CHECKING:
    from store.database import Store

PICK_COLUMNS = ("pick", "product", "quantity")
PICK_OPTIONAL = ("warehouse", "customer")


def _cell(cells: list[str], table: CsvTable, column: str, line: int) -> str:
    position = table.index.get(column)
    return "" if position is None else clean_text(cells[position], line, column)


def import_picks(store: Store, data: bytes) -> int:
    """Create the pick lists of a CSV file; returns how many."""
    table = CsvTable(decode(data), PICK_COLUMNS, PICK_OPTIONAL)
    warehouses = {loc.code: loc for loc in Location.select().where(Location.type == "warehouse")}
    picks: dict[str, tuple[int, Location, str, list[tuple[Product, Decimal]], set[int]]] = {}
    for line, cells in table:
        reference = _cell(cells, table, "pick", line)
        if not reference:
            raise ImportRefused(line, "pick", "the pick list reference is empty")
        code = _cell(cells, table, "product", line)
        product = Product.get_or_none(Product.code == code)
        if product is None:
            raise ImportRefused(line, "product", f"no product {code!r}")
        quantity = _quantity(cells[table.index["quantity"]], product, line)
        warehouse = _warehouse(_cell(cells, table, "warehouse", line), warehouses, line)
        customer = _cell(cells, table, "customer", line)
        if reference not in picks:
            if PickList.get_or_none(PickList.reference == reference) is not None:
                raise ImportRefused(line, "pick", f"pick list {reference} already exists")
            picks[reference] = (line, warehouse, customer, [], set())
        first, pick_warehouse, pick_customer, lines, seen = picks[reference]
        if warehouse.id != pick_warehouse.id:
            raise ImportRefused(line, "warehouse", f"pick list {reference} is from {pick_warehouse.code} (line {first})")
        if customer != pick_customer:
            raise ImportRefused(line, "customer", f"pick list {reference} is for {pick_customer!r} (line {first})")
        if product.id in seen:
            raise ImportRefused(line, "product", f"{product.code} is twice on pick list {reference}")
        seen.add(product.id)
        lines.append((product, quantity))
    with store.atomic():
        for reference, (line, warehouse, customer, lines, _) in picks.items():
            try:
                create_pick_list(store, reference, warehouse, lines, customer=customer)
            except StockError as error:
                raise ImportRefused(line, None, str(error)) from None
    return len(picks)


def _quantity(text: str, product: Product, line: int) -> Decimal:
    try:
        quantity = parse_decimal(text)
        if quantity <= 0:
            raise ImportRefused(line, "quantity", f"a pick list takes a positive quantity, not {text.strip()}")
        return check_precision(quantity, product.uom)
    except ImportRefused:
        raise
    except StockError as error:
        raise ImportRefused(line, "quantity", str(error)) from None


def _warehouse(code: str, warehouses: dict[str, Location], line: int) -> Location:
    if not code:
        if len(warehouses) == 1:
            return next(iter(warehouses.values()))
        raise ImportRefused(line, "warehouse", f"say which warehouse: {', '.join(sorted(warehouses)) or 'none exists'}")
    if code not in warehouses:
        raise ImportRefused(line, "warehouse", f"no warehouse {code!r}")
    return warehouses[code]
