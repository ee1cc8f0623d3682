"""The location tree: warehouses, bins and the virtual locations stock comes from and goes to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import SelectQuery

from store.errors import InvalidValue, NotFound
from store.models import COST_METHODS, LOCATION_TYPES, Barcode, Location
from store.operators import require
from store.prepared import Prepared, arg
from store.text import check_code, check_name

if TYPE_CHECKING:
    from store.database import Store

VIRTUAL_LOCATIONS = (
    ("SUPPLIER", "Suppliers", "supplier"),
    ("CUSTOMER", "Customers", "customer"),
    ("PRODUCTION", "Production", "production"),
)

# suffix, name, type; the lost-and-found sits outside the warehouse's subtree
# so that the warehouse's on-hand never counts it.
WAREHOUSE_PARTS = (
    ("IN", "Input", "storage"),
    ("STOCK", "Storage", "storage"),
    ("OUT", "Output", "storage"),
    ("LOST", "Lost and found", "lost_found"),
)


def ensure_virtual_locations(store: Store) -> None:
    """Create SUPPLIER, CUSTOMER and PRODUCTION if the database lacks them."""
    for code, name, kind in VIRTUAL_LOCATIONS:
        if Location.get_or_none(Location.code == code) is None:
            create_location(store, code, name, kind)


def create_location(
    store: Store,
    code: str,
    name: str,
    type: str,
    parent: Location | None = None,
    barcode: str | None = None,
    cost_method: str | None = None,
    allow_negative: bool | None = None,
) -> Location:
    """Create a location; a warehouse gets its input, storage, output and lost-and-found with it.

    ``allow_negative`` None inherits the parent's rule (allowed at the root).
    """
    require(store, "manage_locations")
    code = check_code(code, "location code")
    name = check_name(name, "location name") if name.strip() else code
    if type not in LOCATION_TYPES:
        raise InvalidValue(f"location type {type!r} is not one of {', '.join(LOCATION_TYPES)}")
    if Location.get_or_none(Location.code == code) is not None:
        raise InvalidValue(f"location {code} already exists")
    if barcode:
        barcode = check_label(barcode)
    if type == "warehouse":
        cost_method = cost_method or "fifo"
        if cost_method not in COST_METHODS:
            raise InvalidValue(f"cost method {cost_method!r} is not one of {', '.join(COST_METHODS)}")
    elif cost_method:
        raise InvalidValue("only a warehouse has a cost method")
    if parent is not None and parent.is_virtual and type not in (parent.type, "view"):
        raise InvalidValue(f"a {type} location cannot be under the virtual location {parent.code}")
    if allow_negative is None:
        allow_negative = parent.allow_negative if parent is not None else True
    warehouse = None
    if parent is not None:
        warehouse = parent if parent.type == "warehouse" else parent.warehouse
    with store.atomic():
        location = Location.create(
            code=code,
            name=name,
            type=type,
            parent=parent,
            barcode=barcode or None,
            cost_method=cost_method,
            allow_negative=allow_negative,
            warehouse=warehouse,
        )
        location.path = (parent.path if parent else "") + f"{location.id}/"
        if type == "warehouse":
            location.warehouse = location
        location.save()
        if type == "warehouse":
            for suffix, part_name, part_type in WAREHOUSE_PARTS:
                part = create_location(
                    store,
                    f"{code}/{suffix}",
                    f"{location.name} {part_name.lower()}",
                    part_type,
                    parent=None if part_type == "lost_found" else location,
                    allow_negative=allow_negative or part_type == "lost_found",
                )
                if part.warehouse_id is None:
                    part.warehouse = location
                    part.save()
    return location


def get_location(code: str) -> Location:
    """The location with this code."""
    location = Location.get_or_none(Location.code == code.strip())
    if location is None:
        raise NotFound(f"no location {code!r}")
    return location


def check_label(barcode: str, location: Location | None = None) -> str:
    """A bin label for ``location`` (None: a new one), checked: a code that names nothing else.

    Refused: a label another location has, and a product's barcode (a scan must name one
    thing, or a transfer takes the product for a bin).
    """
    barcode = check_code(barcode, "location barcode")
    others = Location.select().where(Location.barcode == barcode)
    if location is not None:
        others = others.where(Location.id != location.id)
    if (other := others.first()) is not None:
        raise InvalidValue(f"barcode {barcode} already labels {other.code}")
    if (taken := Barcode.get_or_none(Barcode.code == barcode)) is not None:
        raise InvalidValue(f"barcode {barcode} belongs to product {taken.product.code}: a bin label names the bin alone")
    return barcode


def find_location(scanned: str) -> Location | None:
    """The location whose barcode, or else whose code, is ``scanned`` (one query: this is on the scan path)."""
    found = list(Location.select().where((Location.barcode == scanned) | (Location.code == scanned)).limit(2))
    return next((loc for loc in found if loc.barcode == scanned), found[0] if found else None)


def scanned_and_other(other: SelectQuery) -> Prepared:
    """A query for the scan paths: the location a scan names (``scanned``) and the one ``other`` selects.

    What a scan names, and where the worker is (the last location they
    scanned), in a single round trip; ``split_scanned`` tells them apart.
    """
    scanned = arg("scanned")
    matches = (Location.barcode == scanned) | (Location.code == scanned) | (Location.id == other)
    return Prepared(lambda: Location.select(Location, other.alias("other_id")).where(matches))


def split_scanned(rows: list[Location], scanned: str) -> tuple[Location | None, Location | None]:
    """From the rows of a ``scanned_and_other`` query: ``find_location(scanned)``, and the other location."""
    found = [loc for loc in rows if scanned in (loc.barcode, loc.code)]
    named = next((loc for loc in found if loc.barcode == scanned), found[0] if found else None)
    return named, next((loc for loc in rows if loc.id == loc.other_id), None)


def lost_and_found(location: Location) -> Location:
    """The lost-and-found location of the warehouse that holds ``location``."""
    if location.warehouse_id is None:
        raise InvalidValue(f"{location.code} belongs to no warehouse, so it has no lost-and-found")
    lost = Location.get_or_none((Location.warehouse == location.warehouse_id) & (Location.type == "lost_found"))
    if lost is None:
        raise NotFound(f"warehouse of {location.code} has no lost-and-found location")
    return lost


def subtree_bounds(path: str) -> tuple[str, str]:
    """``(low, high)`` such that a location is in the subtree of ``path`` iff low <= its path < high."""
    return path, path[:-1] + chr(ord("/") + 1)


def subtree(location: Location) -> list[Location]:
    """The location and every location under it, in path order."""
    low, high = subtree_bounds(location.path)
    return list(Location.select().where((Location.path >= low) & (Location.path < high)).order_by(Location.path))


def storage_locations() -> list[Location]:
    """Every storage location, in tree order."""
    return list(Location.select().where(Location.type == "storage").order_by(Location.path))


def warehouses() -> list[Location]:
    """Every warehouse, by code."""
    return list(Location.select().where(Location.type == "warehouse").order_by(Location.code))
