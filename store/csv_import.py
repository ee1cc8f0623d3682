"""Importing products, locations and done moves from CSV files.

Every import is all or nothing: one transaction, and the first wrong cell
refuses the whole file with an ``ImportRefused`` naming its line and column.
The column names are a scripting interface and do not change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from store.catalog import check_barcode, create_product
from store.clock import RUNNING_TOTAL, now, to_micros
from store.csv_files import CsvTable, clean_text, decode
from store.errors import ImportRefused, InvalidValue, StockError
from store.locations import check_label, create_location
from store.models import COST_METHODS, LOCATION_TYPES, Barcode, Location, Product, Uom
from store.moves import CLOCK_SKEW, DoneMoveRow, bulk_posting, post_done_moves_bulk
from store.quantity import SCALE, format_quantity, from_units, parse_decimal, to_units
from store.transactions import lock_products, retried
from store.units import check_precision

if TYPE_CHECKING:
    from store.database import Store

PRODUCT_COLUMNS = ("code", "name", "uom")
PRODUCT_OPTIONAL = ("barcodes", "category", "low_stock")
LOCATION_COLUMNS = ("code", "name", "type")
LOCATION_OPTIONAL = ("parent", "barcode", "cost_method", "negative")
MOVE_COLUMNS = ("date", "product", "quantity", "from", "to")
MOVE_OPTIONAL = ("unit_cost", "reason", "state", "operator", "terminal", "origin")
NEGATIVE_VALUES = {"": None, "allow": True, "forbid": False}
IMPORT_ORIGIN = "import"

_NO_STOCK = ("view", "warehouse")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_PLAIN_NUMBER = re.compile(r"([0-9]+)(?:\.([0-9]*))?")


def _cell(cells: list[str], table: CsvTable, column: str) -> str:
    """The cell of an optional column, empty when the file lacks the column."""
    position = table.index.get(column)
    return "" if position is None else cells[position]


def _refuse(line: int, column: str | None, error: StockError) -> ImportRefused:
    return ImportRefused(line, column, str(error))


def import_products(store: Store, data: bytes) -> int:
    """Import products from CSV ``code,name,uom[,barcodes,category,low_stock]``; returns how many.

    ``barcodes`` is space-separated, ``CODE*N`` for a package of N units.
    """
    table = CsvTable(decode(data), PRODUCT_COLUMNS, PRODUCT_OPTIONAL)
    units = {uom.code: uom for uom in Uom.select()}
    count = 0
    with store.atomic():
        seen_codes = {code for (code,) in Product.select(Product.code).tuples()}
        seen_barcodes = {code for (code,) in Barcode.select(Barcode.code).tuples()}
        for line, cells in table:
            code = _product_code(cells[table.index["code"]], line, seen_codes)
            name = clean_text(cells[table.index["name"]], line, "name")
            if not name:
                raise ImportRefused(line, "name", "the product name is empty")
            uom_code = cells[table.index["uom"]].strip()
            uom = units.get(uom_code)
            if uom is None:
                raise ImportRefused(line, "uom", f"unknown unit {uom_code!r} (known: {', '.join(units)})")
            barcodes = _barcodes(_cell(cells, table, "barcodes"), line, seen_barcodes)
            category = clean_text(_cell(cells, table, "category"), line, "category")
            low_stock = _low_stock(_cell(cells, table, "low_stock"), uom, line)
            try:
                create_product(store, code, name, uom, barcodes, category=category, low_stock=low_stock)
            except StockError as error:
                raise _refuse(line, None, error) from None
            count += 1
    return count


def _product_code(value: str, line: int, seen: set[str]) -> str:
    code = clean_text(value, line, "code")
    if not code:
        raise ImportRefused(line, "code", "the product code is empty")
    if code in seen:
        raise ImportRefused(line, "code", f"product {code} already exists")
    seen.add(code)
    return code


def _barcodes(value: str, line: int, seen: set[str]) -> list[tuple[str, Decimal]]:
    barcodes = []
    for item in clean_text(value, line, "barcodes").split():
        code, star, count = item.partition("*")
        try:
            code = check_barcode(code)
            quantity = parse_decimal(count, "package quantity") if star else Decimal(1)
        except StockError as error:
            raise _refuse(line, "barcodes", error) from None
        if quantity <= 0:
            raise ImportRefused(line, "barcodes", f"barcode {code}: a package holds a positive quantity")
        if code in seen:
            raise ImportRefused(line, "barcodes", f"barcode {code} already belongs to another product")
        seen.add(code)
        barcodes.append((code, quantity))
    return barcodes


def _low_stock(value: str, uom: Uom, line: int) -> Decimal | None:
    if not value.strip():
        return None
    try:
        quantity = parse_decimal(value, "low stock level")
        if quantity < 0:
            raise InvalidValue(f"low stock level {value!r} is negative")
        return check_precision(quantity, uom)
    except StockError as error:
        raise _refuse(line, "low_stock", error) from None


def import_locations(store: Store, data: bytes) -> int:
    """Import locations from CSV ``code,name,type[,parent,barcode,cost_method,negative]``; returns how many.

    A parent may be a location of the database or one defined earlier in the
    file; a warehouse brings its IN, STOCK, OUT and LOST locations with it.
    """
    table = CsvTable(decode(data), LOCATION_COLUMNS, LOCATION_OPTIONAL)
    count = 0
    with store.atomic():
        for line, cells in table:
            code = clean_text(cells[table.index["code"]], line, "code")
            if not code:
                raise ImportRefused(line, "code", "the location code is empty")
            if Location.get_or_none(Location.code == code) is not None:
                raise ImportRefused(line, "code", f"location {code} already exists")
            name = clean_text(cells[table.index["name"]], line, "name")
            kind = cells[table.index["type"]].strip()
            if kind not in LOCATION_TYPES:
                raise ImportRefused(line, "type", f"{kind!r} is not one of {', '.join(LOCATION_TYPES)}")
            parent = _parent(clean_text(_cell(cells, table, "parent"), line, "parent"), line)
            barcode = clean_text(_cell(cells, table, "barcode"), line, "barcode") or None
            if barcode:
                try:
                    barcode = check_label(barcode)
                except StockError as error:
                    raise _refuse(line, "barcode", error) from None
            cost_method = _cell(cells, table, "cost_method").strip() or None
            if cost_method and (kind != "warehouse" or cost_method not in COST_METHODS):
                reason = (
                    "only a warehouse has a cost method"
                    if kind != "warehouse"
                    else f"{cost_method!r} is not one of {', '.join(COST_METHODS)}"
                )
                raise ImportRefused(line, "cost_method", reason)
            negative = _cell(cells, table, "negative").strip()
            if negative not in NEGATIVE_VALUES:
                raise ImportRefused(line, "negative", f"{negative!r} is not allow or forbid (or empty: inherit)")
            try:
                create_location(store, code, name, kind, parent, barcode, cost_method, NEGATIVE_VALUES[negative])
            except StockError as error:
                raise _refuse(line, None, error) from None
            count += 1
    return count


def _parent(code: str, line: int) -> Location | None:
    if not code:
        return None
    parent = Location.get_or_none(Location.code == code)
    if parent is None:
        raise ImportRefused(line, "parent", f"no location {code!r} in the database or earlier in the file")
    return parent


@retried
def import_moves(store: Store, data: bytes) -> int:
    """Import done moves from CSV ``date,product,quantity,from,to[,unit_cost,reason,...]``; returns how many.

    Also takes the extra columns of ``export moves`` (``state`` must be done;
    ``operator``, ``terminal`` and ``origin`` are kept when given). Checks every
    row as ``post_move`` would, then that no location forbidding negative
    stock ends below zero, and inserts everything in one transaction.
    """
    table = CsvTable(decode(data), MOVE_COLUMNS, MOVE_OPTIONAL)
    with bulk_posting(store), store.atomic():
        reader = _MoveReader(store, table)  # reads the ids inside the transaction, as bulk_posting requires
        count = post_done_moves_bulk(store, reader.rows())
        reader.check_negative_stock()
    return count


class _MoveReader:
    """Turns the rows of a moves file into checked ``DoneMoveRow``s, as fast as plain Python allows."""

    def __init__(self, store: Store, table: CsvTable) -> None:
        self.store, self.table = store, table
        self.products: dict[str, tuple[int, int, bool]] = {
            code: (product_id, max(1, SCALE // 10**precision), keeping)
            for code, product_id, precision, keeping in Product.select(
                Product.code, Product.id, Uom.precision, Product.stock_keeping
            )
            .join(Uom)
            .tuples()
        }
        self.locations: dict[str, tuple[int, str, bool]] = {
            code: (location_id, kind, allow)
            for code, location_id, kind, allow in Location.select(
                Location.code, Location.id, Location.type, Location.allow_negative
            ).tuples()
        }
        # (product_id, location_id) -> line of the last move out of a location that forbids negative stock
        self.last_out: dict[tuple[int, int], int] = {}
        self.latest = to_micros(now() + CLOCK_SKEW)

    def rows(self) -> Iterator[DoneMoveRow]:
        """The checked rows, in file order; raises ``ImportRefused`` at the first wrong cell."""
        index = self.table.index
        at, product_at, quantity_at = index["date"], index["product"], index["quantity"]
        from_at, to_at = index["from"], index["to"]
        texts = [(name, index[name]) for name in ("reason", "origin", "operator", "terminal") if name in index]
        defaults = {"reason": "", "origin": IMPORT_ORIGIN, "operator": self.store.operator, "terminal": self.store.terminal}
        cost_at, state_at = index.get("unit_cost"), index.get("state")
        products, locations, last_out, latest = self.products, self.locations, self.last_out, self.latest
        fromisoformat, epoch, micro = datetime.fromisoformat, _EPOCH, _MICROSECOND
        for line, cells in self.table:
            try:
                moment = fromisoformat(cells[at])
            except ValueError:
                moment = self._date(cells[at], line)
            if moment.tzinfo is None:
                moment = moment.astimezone()
            micros = (moment - epoch) // micro
            if micros > latest:
                raise ImportRefused(line, "date", f"a done move cannot be dated in the future ({cells[at].strip()})")
            product_id, step, keeping = products.get(cells[product_at]) or self._product(cells[product_at], line)
            text = cells[quantity_at]
            units = int(text) * SCALE if text.isascii() and text.isdigit() else _units(text, line, "quantity")
            if units <= 0 or units % step:
                self._refuse_quantity(text, line, step)
            source, source_kind, source_allows = locations.get(cells[from_at]) or self._location(cells[from_at], line, "from")
            destination, destination_kind, _ = locations.get(cells[to_at]) or self._location(cells[to_at], line, "to")
            if source == destination:
                raise ImportRefused(line, "to", "a move needs two different locations, not the same one twice")
            if source_kind in _NO_STOCK or destination_kind in _NO_STOCK:
                column, kind = ("from", source_kind) if source_kind in _NO_STOCK else ("to", destination_kind)
                raise ImportRefused(
                    line, column, f"a {kind} holds no stock itself; moves go to and from its storage locations"
                )
            if not keeping:
                raise ImportRefused(line, "product", f"{cells[product_at].strip()} is not stock-kept")
            if not source_allows:
                last_out[product_id, source] = line
            if state_at is not None and cells[state_at].strip() not in ("", "done"):
                raise ImportRefused(line, "state", f"only done moves are imported, not {cells[state_at].strip()!r}")
            extra = dict(defaults)
            for name, position in texts:
                value = cells[position]
                if not (value.isprintable() and value == value.strip() and not value.startswith("'")):
                    value = clean_text(value, line, name)
                extra[name] = value or defaults[name]
            cost = None if cost_at is None else self._cost(cells[cost_at], line)
            yield (
                product_id, units, source, destination, micros, cost,
                extra["reason"], extra["origin"], extra["operator"], extra["terminal"],
            )  # fmt: skip

    def _date(self, text: str, line: int) -> datetime:
        try:
            return datetime.fromisoformat(text.strip())
        except ValueError:
            raise ImportRefused(line, "date", f"{text!r} is not an ISO 8601 date such as 2026-01-31T14:05") from None

    def _product(self, text: str, line: int) -> tuple[int, int, bool]:
        found = self.products.get(text)
        if found is None:
            code = clean_text(text, line, "product")
            found = self.products.get(code)
            if found is None:
                raise ImportRefused(line, "product", f"no product {code!r}")
        return found

    def _location(self, text: str, line: int, column: str) -> tuple[int, str, bool]:
        found = self.locations.get(text)
        if found is None:
            code = clean_text(text, line, column)
            found = self.locations.get(code)
            if found is None:
                raise ImportRefused(line, column, f"no location {code!r}")
        return found

    def _refuse_quantity(self, text: str, line: int, step: int) -> None:
        if _units(text, line, "quantity") <= 0:
            raise ImportRefused(line, "quantity", f"a move takes a positive quantity, not {text.strip()}")
        decimals = len(str(SCALE // step)) - 1
        raise ImportRefused(line, "quantity", f"{text.strip()}: the product's unit takes at most {decimals} decimals")

    def _cost(self, text: str, line: int) -> int | None:
        if not text.strip():
            return None
        units = _units(text, line, "unit_cost")
        if units < 0:
            raise ImportRefused(line, "unit_cost", f"a unit cost is not negative ({text.strip()})")
        return units

    def check_negative_stock(self) -> None:
        """Refuse the import if a location forbidding negative stock ends below zero for a product."""
        if not self.last_out:
            return
        # what others took meanwhile counts; what they take from now on waits for this import
        lock_products(self.store, {product for product, _ in self.last_out})
        p = self.store.db.param
        location_ids = sorted({location for _, location in self.last_out})
        sql = (
            "SELECT product_id, location_id, SUM(quantity) FROM stock_period "
            f"WHERE period = {RUNNING_TOTAL} AND location_id IN ({', '.join(p for _ in location_ids)}) "
            "GROUP BY product_id, location_id HAVING SUM(quantity) < 0"
        )
        short = [
            (self.last_out[product, location], product, location, units)
            for product, location, units in self.store.db.execute_sql(sql, location_ids)
            if (product, location) in self.last_out
        ]
        if short:
            line, product_id, location_id, units = min(short)
            product, location = Product.get_by_id(product_id), Location.get_by_id(location_id)
            short_by = format_quantity(-from_units(units), product.uom.precision)
            raise ImportRefused(
                line,
                "quantity",
                f"{location.code} forbids negative stock, but after this file it would lack {short_by} "
                f"{product.uom.code} of {product.code} (this line is the last move of it out of {location.code})",
            )


def _units(text: str, line: int, column: str) -> int:
    """Integer millionths of a number cell; decimal commas accepted, more than 6 decimals refused."""
    match = _PLAIN_NUMBER.fullmatch(text)
    if match is not None:
        whole, fraction = match.groups()
        fraction = fraction or ""
        if len(fraction) <= 6:
            return int(whole) * SCALE + (int(fraction.ljust(6, "0")) if fraction else 0)
    try:
        return to_units(parse_decimal(text, column))
    except StockError as error:
        raise _refuse(line, column, error) from None
