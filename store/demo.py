"""A demo stock room: one warehouse, its bins, a few hundred products, half a year of moves and supply orders.

Everything goes through the store (``create_location``, ``create_product``,
``post_move``), so the period cache and the stock rules hold as they would
for real data. The same seed and end date give the same database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from store.catalog import create_product, gtin_check_digit
from store.clock import now
from store.in_store_codes import set_in_store_region
from store.locations import VIRTUAL_LOCATIONS, create_location, get_location
from store.models import Location, Move, Product
from store.moves import assign_move, plan_move, post_move
from store.stock import available
from store.supply import (
    cancel_order,
    create_order,
    create_template,
    fill_from_low_stock,
    order_from_template,
    send_order,
)
from store.units import get_uom

if TYPE_CHECKING:
    from store.database import Store

AISLES = "ABCD"
SHELVES = 8
GS1_PREFIX = "400638"  # a fixed company prefix: barcodes are 400638 + item number + check digit
REGION = "se"
"""Whose in-store codes the demo's scale labels follow: Sweden's, 23 + item number + grams + check digit."""
HISTORY_DAYS = 182

# category, code prefix, product names, variants, units to choose from
CATEGORIES = (
    (
        "dry goods",
        "DRY",
        ("Flour", "Rice", "Pasta", "Sugar", "Oats", "Lentils", "Couscous", "Semolina", "Chickpeas", "Polenta"),
        ("organic", "wholemeal", "fine", "value", "premium"),
        ("bag500g", "kg", "pc"),
    ),
    (
        "dairy",
        "DAI",
        ("Milk", "Yogurt", "Butter", "Cream", "Cheddar", "Gouda", "Feta", "Quark", "Kefir", "Mozzarella"),
        ("whole", "low fat", "organic", "lactose free", "value"),
        ("pc", "l", "kg"),
    ),
    (
        "drinks",
        "DRK",
        ("Water", "Cola", "Lemonade", "Orange juice", "Apple juice", "Iced tea", "Beer", "Tonic", "Ginger ale", "Cider"),
        ("0.33 l", "0.5 l", "1.5 l", "light", "organic"),
        ("pc", "pc", "l"),
    ),
    (
        "cleaning",
        "CLN",
        ("Dish soap", "Bleach", "Glass cleaner", "Floor cleaner", "Sponges", "Bin bags", "Hand soap",
         "Detergent", "Paper towels", "Gloves"),
        ("lemon", "fresh", "sensitive", "eco", "large"),
        ("pc",),
    ),
    (
        "produce",
        "PRD",
        ("Apples", "Bananas", "Carrots", "Onions", "Potatoes", "Tomatoes", "Lemons", "Peppers", "Cucumbers", "Garlic"),
        ("loose", "organic", "class I", "small", "large"),
        ("kg", "kg", "pc"),
    ),
    (
        "frozen",
        "FRZ",
        ("Peas", "Spinach", "Fries", "Pizza", "Fish fingers", "Berries", "Ice cream", "Sweetcorn", "Broccoli",
         "Dumplings"),
        ("family pack", "organic", "value", "premium", "mini"),
        ("pc", "bag500g"),
    ),
)

# unit: (receipt size range, decimals used, base unit cost); a sale takes about a third of a receipt
UNIT_PROFILES = {
    "pc": ((24, 144), 0, Decimal("1.20")),
    "kg": ((5, 40), 3, Decimal("2.40")),
    "l": ((12, 60), 3, Decimal("0.90")),
    "bag500g": ((20, 80), 0, Decimal("0.75")),
}


@dataclass
class _Item:
    product: Product
    unit: str
    bins: list[Location]
    cost: Decimal
    sale: tuple[int, int]


def ean13(item_number: int) -> str:
    """The EAN-13 of an item number under the demo company prefix."""
    body = f"{GS1_PREFIX}{item_number:06d}"
    return body + str(gtin_check_digit(body))


def scale_item_code(item_number: int) -> str:
    """The in-store code of a weighed item, its weight zeroed: what its scale labels are looked up by."""
    body = f"23{item_number:06d}0000"
    return body + str(gtin_check_digit(body))


def case_gtin14(ean: str) -> str:
    """The GTIN-14 of a case of 12 (indicator digit 1) of the item with this EAN-13."""
    body = "1" + ean[:12]
    return body + str(gtin_check_digit(body))


def _quantity(rng: random.Random, bounds: tuple[int, int], decimals: int) -> Decimal:
    """A random quantity between the bounds, with up to ``decimals`` decimals."""
    low, high = bounds
    if decimals == 0:
        return Decimal(rng.randint(low, high))
    step = 10**decimals // 4  # quarters: 0.250 kg, 1.750 l
    return Decimal(rng.randint(low * 4, high * 4) * step).scaleb(-decimals)


def _bins(store: Store) -> list[Location]:
    """Warehouse WH (FIFO, negative stock forbidden) and its bins A-01 .. D-08 under WH/STOCK."""
    create_location(store, "WH", "Main warehouse", "warehouse", cost_method="fifo", allow_negative=False)
    stock = get_location("WH/STOCK")
    return [
        create_location(
            store, f"{aisle}-{shelf:02d}", f"Aisle {aisle} shelf {shelf}", "storage", parent=stock,
            barcode=f"LOC-{aisle}-{shelf:02d}",
        )
        for aisle in AISLES
        for shelf in range(1, SHELVES + 1)
    ]


def _products(store: Store, rng: random.Random, bins: list[Location]) -> list[_Item]:
    """Products of every category with EAN-13 barcodes (and case GTIN-14s for some pieces)."""
    items = []
    number = 0
    for index, (category, prefix, names, variants, units) in enumerate(CATEGORIES):
        aisle_bins = [b for b in bins if b.code.startswith(AISLES[index % len(AISLES)])]
        for serial, (name, variant) in enumerate(((n, v) for n in names for v in variants), start=1):
            number += 1
            unit = rng.choice(units)
            ean = ean13(number)
            barcodes = [(ean, Decimal(1))]
            if unit == "pc" and rng.random() < 0.4:
                barcodes.append((case_gtin14(ean), Decimal(12)))
            if unit == "kg":  # weighed out: its scale labels carry the item and the weight
                barcodes.append((scale_item_code(number), Decimal(1)))
            receipt, decimals, base_cost = UNIT_PROFILES[unit]
            low_stock = None
            if rng.random() < 0.6:
                low_stock = _quantity(rng, (receipt[0], receipt[1] // 2), decimals)
            product = create_product(
                store, f"{prefix}-{serial:03d}", f"{name} {variant}", get_uom(unit), barcodes,
                category=category, low_stock=low_stock,
            )
            homes = [rng.choice(aisle_bins)]
            if rng.random() < 0.3:
                homes.append(rng.choice([b for b in bins if b is not homes[0]]))
            cost = (base_cost * Decimal(rng.randint(60, 250)) / 100).quantize(Decimal("0.01"))
            demand = rng.uniform(0.4, 1.4)  # some products sell out, others pile up
            sale = (max(1, int(receipt[0] / 3 * demand)), max(1, int(receipt[1] / 3 * demand)))
            items.append(_Item(product, unit, homes, cost, sale))
    return items


def _history(store: Store, rng: random.Random, items: list[_Item], end: datetime) -> int:
    """Post half a year of receipts, transfers, sales and losses in time order; returns the count."""
    supplier, customer, lost = get_location("SUPPLIER"), get_location("CUSTOMER"), get_location("WH/LOST")
    start = end.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=HISTORY_DAYS)
    events: list[tuple[datetime, int, str, _Item]] = []
    for index, item in enumerate(items):
        day = rng.randint(0, 20)
        while day < HISTORY_DAYS:
            events.append((start + timedelta(days=day, hours=rng.randint(6, 9)), index, "receipt", item))
            day += rng.randint(25, 45)
        day = rng.randint(3, 25)
        while day < HISTORY_DAYS:
            events.append((start + timedelta(days=day, hours=rng.randint(10, 17)), index, "sale", item))
            day += rng.randint(8, 20)
        if len(item.bins) > 1:
            events.append((start + timedelta(days=rng.randint(30, 170), hours=12), index, "transfer", item))
        if rng.random() < 0.1:
            events.append((start + timedelta(days=rng.randint(30, 175), hours=16), index, "loss", item))
    events.sort(key=lambda event: (event[0], event[1], event[2]))
    held: dict[tuple[int, int], Decimal] = {}
    posted = 0
    reasons = {"receipt": "received", "sale": "sold", "transfer": "transfer"}
    for at, _, kind, item in events:
        receipt_size, decimals, _ = UNIT_PROFILES[item.unit]
        fullest = max(item.bins, key=lambda b: held.get((item.product.id, b.id), Decimal(0)))
        have = held.get((item.product.id, fullest.id), Decimal(0))
        cost = None
        if kind == "receipt":
            quantity, source, destination = _quantity(rng, receipt_size, decimals), supplier, item.bins[0]
            cost = (item.cost * Decimal(rng.randint(95, 105)) / 100).quantize(Decimal("0.01"))
        elif kind == "transfer":
            quantity, source = Decimal(int(have / 2)), fullest
            destination = next(b for b in item.bins if b is not fullest)
        else:
            quantity, source = min(_quantity(rng, item.sale, decimals), have), fullest
            destination = customer if kind == "sale" else lost
        if quantity <= 0:
            continue
        reason = reasons.get(kind) or rng.choice(("damage", "theft"))
        post_move(store, item.product, quantity, source, destination, reason=reason, at=at, unit_cost=cost)
        for location, sign in ((source, -1), (destination, 1)):
            key = (item.product.id, location.id)
            held[key] = held.get(key, Decimal(0)) + sign * quantity
        posted += 1
    return posted


def _reservations(store: Store, rng: random.Random, items: list[_Item]) -> None:
    """A few open customer orders whose lines reserve stock at the items' home bins."""
    customer = get_location("CUSTOMER")
    order = 1000
    for item in rng.sample(items, 24):
        quantity = Decimal(rng.randint(1, 3))
        if available(store, item.product, item.bins[0]) < quantity:
            continue
        order += 1
        move = plan_move(store, item.product, quantity, item.bins[0], customer, reason="sold", origin=f"ORDER-{order}")
        assign_move(store, move)
        if order == 1012:
            return


def _supply_orders(store: Store, rng: random.Random, items: list[_Item]) -> None:
    """A weekly template, an order of the low products sent to the supplier, and a cancelled one to see refused."""
    warehouse = get_location("WH")
    weekly = rng.sample(items, 5)
    template = create_template(
        store, "Weekly dry goods", "Greenfield Wholesale",
        [(item.product, Decimal(rng.randint(1, 4) * 6)) for item in weekly],
    )
    low = create_order(store, "Greenfield Wholesale", warehouse, note="low stock")
    fill_from_low_stock(store, low)
    if low.lines.count():
        send_order(store, low)
    send_order(store, order_from_template(store, template, warehouse))
    cancel_order(store, send_order(store, order_from_template(store, template, warehouse)), note="duplicate")


def create_demo(store: Store, seed: int = 7, end: datetime | None = None) -> int:
    """Fill an empty store with the demo stock room, its history ending at ``end`` (default now).

    Returns the number of done moves posted. Refuses a store that already has
    a location ``WH``.
    """
    end = end or now()
    rng = random.Random(seed)
    with store.atomic():
        set_in_store_region(store, REGION)
        bins = _bins(store)
        items = _products(store, rng, bins)
        posted = _history(store, rng, items, end)
        _reservations(store, rng, items)
        _supply_orders(store, rng, items)
    return posted


def has_demo(store: Store) -> bool:
    """Whether the demo warehouse is already in the store."""
    return Location.select().where(Location.code == "WH").exists()


def is_empty(store: Store) -> bool:
    """Whether the store holds no products, moves or locations beyond the built-in virtual ones."""
    built_in = [code for code, _, _ in VIRTUAL_LOCATIONS]
    return not (
        Product.select().exists()
        or Move.select().exists()
        or Location.select().where(Location.code.not_in(built_in)).exists()
    )
