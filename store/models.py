"""The tables of the store, as peewee models.

Quantities and costs are stored as integer millionths (``FixedField``) and
timestamps as integer microseconds UTC (``TimestampField``), so both engines
compare and sum them exactly. Models are bound to a database by
``store.database.open_store``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    CompositeKey,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from store.clock import from_micros, to_micros
from store.quantity import from_units, to_units

LOCATION_TYPES = ("view", "warehouse", "storage", "supplier", "customer", "lost_found", "production")
VIRTUAL_TYPES = ("supplier", "customer", "lost_found", "production")
COST_METHODS = ("fifo", "lifo", "avco")
MOVE_STATES = ("draft", "assigned", "done", "cancelled")


class FixedField(BigIntegerField):
    """An exact decimal stored as an integer count of millionths."""

    def db_value(self, value: Decimal | int | None) -> int | None:
        return None if value is None else to_units(value)

    def python_value(self, value: int | None) -> Decimal | None:
        return None if value is None else from_units(value)


class TimestampField(BigIntegerField):
    """A moment stored as integer microseconds since the epoch, UTC."""

    def db_value(self, value: datetime | int | None) -> int | None:
        if value is None or isinstance(value, int):
            return value
        return to_micros(value)

    def python_value(self, value: int | None) -> datetime | None:
        return None if value is None else from_micros(value)


class BaseModel(Model):
    class Meta:
        legacy_table_names = False


class Setting(BaseModel):
    """Key/value settings of the database, the schema version among them."""

    key = CharField(primary_key=True)
    value = TextField()


class UomCategory(BaseModel):
    """Units that convert into each other exactly: weight, volume, count."""

    name = CharField(unique=True)


class Uom(BaseModel):
    """A unit of measure: ``factor`` reference units make one of it."""

    code = CharField(unique=True)
    name = CharField()
    category = ForeignKeyField(UomCategory, backref="units")
    factor = CharField()  # exact decimal text: kg 1, g 0.001, bag of 500 g 0.5
    precision = IntegerField(default=0)

    @property
    def factor_decimal(self) -> Decimal:
        return Decimal(self.factor)


class Product(BaseModel):
    """A stock-kept article."""

    code = CharField(unique=True)
    name = CharField()
    uom = ForeignKeyField(Uom)
    category = CharField(default="", index=True)
    low_stock = FixedField(null=True)
    stock_keeping = BooleanField(default=True)
    active = BooleanField(default=True)


class Barcode(BaseModel):
    """A barcode of a product; ``quantity`` product units per scan (a case GTIN means 12)."""

    code = CharField(unique=True)
    product = ForeignKeyField(Product, backref="barcodes", on_delete="CASCADE")
    quantity = FixedField(default=Decimal(1))


class Location(BaseModel):
    """A node of the location tree. ``path`` is ``id/id/.../`` from the root, for subtree queries."""

    code = CharField(unique=True)
    name = CharField()
    type = CharField()
    parent = ForeignKeyField("self", null=True, backref="children")
    path = CharField(index=True, default="")
    warehouse = ForeignKeyField("self", null=True, backref="members")
    barcode = CharField(null=True, unique=True)
    cost_method = CharField(null=True)
    allow_negative = BooleanField(default=True)
    active = BooleanField(default=True)

    @property
    def is_virtual(self) -> bool:
        return self.type in VIRTUAL_TYPES


class Move(BaseModel):
    """A quantity of one product from one location to another. Done moves never change."""

    product = ForeignKeyField(Product, index=False)
    quantity = FixedField()
    from_location = ForeignKeyField(Location, index=False)
    to_location = ForeignKeyField(Location, index=False)
    state = CharField(default="draft")
    planned_at = TimestampField()
    effective_at = TimestampField(null=True)
    unit_cost = FixedField(null=True)
    reason = CharField(default="")
    origin = CharField(default="", index=True)
    operator = CharField(default="")
    terminal = CharField(default="")
    created_at = TimestampField()
    reverts = ForeignKeyField("self", null=True, index=False)

    class Meta:
        indexes = (
            (("product", "to_location", "effective_at"), False),
            (("product", "from_location", "effective_at"), False),
            (("effective_at",), False),
        )


# On hand in the past reads one product's done moves of one period from this index alone, and
# the cost replay of some products their whole history (the id is in every index: the row id).
MOVE_PAST_INDEX = "move_product_date_covering"
Move.add_index(
    Move.index(
        Move.product, Move.effective_at, Move.state, Move.to_location, Move.from_location, Move.quantity,
        Move.unit_cost, name=MOVE_PAST_INDEX,
    )
)  # fmt: skip


class StockPeriod(BaseModel):
    """The period cache: net done quantity of a product at one location in one week.

    Maintained in the same transaction as every done move, so it always equals
    the ledger; on-hand now is a sum of these rows, on-hand in the past adds the
    moves of one week (``store.clock.period_of``).
    """

    product = ForeignKeyField(Product, index=False)
    location = ForeignKeyField(Location, index=False)
    period = IntegerField()
    quantity = FixedField()

    class Meta:
        primary_key = CompositeKey("product", "location", "period")
        table_name = "stock_period"
        indexes = ((("location", "product"), False),)




class CountSession(BaseModel):
    """A count of one location (inventory): draft, then confirmed or cancelled."""

    location = ForeignKeyField(Location)
    children = BooleanField(default=False)
    category = CharField(null=True)
    not_counted_days = IntegerField(null=True)
    blind = BooleanField(default=False)
    empty_policy = CharField(default="keep")  # "zero": uncounted expected products count as zero
    tolerance_units = FixedField(null=True)
    tolerance_pct = FixedField(null=True)
    state = CharField(default="draft")
    ledger_mark = BigIntegerField(default=0)  # the last move id when the count began
    operator = CharField(default="")
    terminal = CharField(default="")
    created_at = TimestampField()
    confirmed_at = TimestampField(null=True)
    confirmed_by = CharField(default="")

    class Meta:
        table_name = "count_session"

    @property
    def origin(self) -> str:
        """How the moves this session posts name it."""
        return f"count:{self.id}"


class CountRecord(BaseModel):
    """One entry in a count's log, saved the moment it is read and never changed.

    ``kind``: ``add`` (a scan or typed quantity), ``set`` (the line set outright),
    ``recount`` (the line sent back to be counted again), ``unknown`` (a barcode no
    product has), ``resolve`` (an unknown scan assigned to a product), ``undo``
    (cancels the record ``target``), ``location`` (the counter moved to a sub-location).
    ``client_id`` is the id the terminal gave a scan when it read it: a scan
    written again (replayed from a terminal's offline journal) is found by it,
    never doubled.
    """

    session = ForeignKeyField(CountSession, backref="records", index=False)
    kind = CharField()
    product = ForeignKeyField(Product, null=True, index=False)
    location = ForeignKeyField(Location, null=True, index=False)
    quantity = FixedField(null=True)
    entered = CharField(default="")  # what the worker entered, in the unit they used: "8.5 kg"
    raw = TextField(default="")
    lot = CharField(null=True)
    expiry = CharField(null=True)
    target = ForeignKeyField("self", null=True, index=False)
    operator = CharField(default="")
    terminal = CharField(default="")
    at = TimestampField()
    client_id = CharField(null=True, unique=True)

    class Meta:
        table_name = "count_record"
        indexes = (
            (("session", "product", "location"), False),
            (("session", "kind", "terminal"), False),
        )


COUNT_MODELS = (CountSession, CountRecord)


class SupplyOrder(BaseModel):
    """An order to a supplier, received into one warehouse. Never deleted: cancelled at most."""

    supplier = CharField()
    warehouse = ForeignKeyField(Location)
    expected_at = TimestampField(null=True)
    state = CharField(default="draft")
    note = TextField(default="")
    operator = CharField(default="")
    terminal = CharField(default="")
    created_at = TimestampField()

    class Meta:
        table_name = "supply_order"

    @property
    def origin(self) -> str:
        """How the moves its receipts post name it."""
        return f"supply:{self.id}"


class SupplyOrderLine(BaseModel):
    """One product on an order: the quantity ordered, its unit cost and a discount in percent."""

    order = ForeignKeyField(SupplyOrder, backref="lines", on_delete="CASCADE")
    product = ForeignKeyField(Product, index=False)
    quantity = FixedField()
    unit_cost = FixedField(null=True)
    discount_pct = FixedField(default=Decimal(0))

    class Meta:
        table_name = "supply_order_line"
        indexes = ((("order", "product"), True),)


class SupplyOrderStatus(BaseModel):
    """Every status an order has been in: which, who, on which terminal, when."""

    order = ForeignKeyField(SupplyOrder, backref="history")
    state = CharField()
    note = TextField(default="")
    operator = CharField(default="")
    terminal = CharField(default="")
    at = TimestampField()

    class Meta:
        table_name = "supply_order_status"


class SupplyTemplate(BaseModel):
    """A reusable order: a supplier and the usual lines."""

    name = CharField(unique=True)
    supplier = CharField()

    class Meta:
        table_name = "supply_template"


class SupplyTemplateLine(BaseModel):
    """One product of a template and the quantity usually ordered."""

    template = ForeignKeyField(SupplyTemplate, backref="lines", on_delete="CASCADE")
    product = ForeignKeyField(Product, index=False)
    quantity = FixedField()

    class Meta:
        table_name = "supply_template_line"
        indexes = ((("template", "product"), True),)


class Receipt(BaseModel):
    """One delivery being received, against an order or without one: draft, then done or cancelled."""

    order = ForeignKeyField(SupplyOrder, null=True, backref="receipts")
    warehouse = ForeignKeyField(Location)
    supplier = CharField(default="")
    state = CharField(default="draft")
    operator = CharField(default="")
    terminal = CharField(default="")
    created_at = TimestampField()
    validated_at = TimestampField(null=True)
    validated_by = CharField(default="")

    @property
    def origin(self) -> str:
        """How the moves it posts name it."""
        return f"receipt:{self.id}"


class ReceiptRecord(BaseModel):
    """One entry in a receipt's log, saved the moment it is read and never changed.

    ``kind``: ``add`` (a scan or typed quantity), ``set`` (received now set
    outright), ``undo`` (cancels the record ``target``). ``client_id``: as on
    ``CountRecord``, a scan written again is found by it, never doubled.
    """

    receipt = ForeignKeyField(Receipt, backref="records", index=False)
    kind = CharField()
    product = ForeignKeyField(Product, null=True, index=False)
    quantity = FixedField(null=True)
    unit_cost = FixedField(null=True)  # typed for a product not on the order
    entered = CharField(default="")
    raw = TextField(default="")
    lot = CharField(null=True)
    expiry = CharField(null=True)
    target = ForeignKeyField("self", null=True, index=False)
    operator = CharField(default="")
    terminal = CharField(default="")
    at = TimestampField()
    client_id = CharField(null=True, unique=True)

    class Meta:
        table_name = "receipt_record"
        indexes = ((("receipt", "product"), False),)


SUPPLY_MODELS = (SupplyOrder, SupplyOrderLine, SupplyOrderStatus, SupplyTemplate, SupplyTemplateLine, Receipt, ReceiptRecord)



class PickList(BaseModel):
    """Goods to send out of one warehouse: draft (open) until done or cancelled.

    Its reservations are the assigned moves whose origin is ``pick:<id>``, from
    storage to the warehouse's output. ``customer`` names who the goods are for
    (a co-op member, a shop customer); empty means the anonymous CUSTOMER.
    """

    reference = CharField(unique=True)
    warehouse = ForeignKeyField(Location)
    customer = CharField(default="")
    state = CharField(default="draft")
    backorder_of = ForeignKeyField("self", null=True, backref="backorders")
    operator = CharField(default="")
    terminal = CharField(default="")
    created_at = TimestampField()
    done_at = TimestampField(null=True)

    class Meta:
        table_name = "pick_list"

    @property
    def origin(self) -> str:
        """How the moves of this pick list name it."""
        return f"pick:{self.id}"


class PickLine(BaseModel):
    """A product and the quantity of it (in its unit) a pick list sends out."""

    pick_list = ForeignKeyField(PickList, backref="lines", on_delete="CASCADE")
    product = ForeignKeyField(Product)
    quantity = FixedField()

    class Meta:
        table_name = "pick_line"
        indexes = ((("pick_list", "product"), True),)


class PickRecord(BaseModel):
    """One entry in a pick list's log, saved the moment it is read and never changed.

    ``kind``: ``location`` (the picker scanned a bin), ``pick`` (a quantity of a
    product taken at ``location``), ``short`` (no more of the product at
    ``location``: its reservation there is released), ``undo`` (cancels the
    pick record ``target``). ``client_id``: as on ``CountRecord``, a scan written
    again is found by it, never doubled.
    """

    pick_list = ForeignKeyField(PickList, backref="records", index=False)
    kind = CharField()
    product = ForeignKeyField(Product, null=True, index=False)
    location = ForeignKeyField(Location, null=True, index=False)
    quantity = FixedField(null=True)
    entered = CharField(default="")
    raw = TextField(default="")
    target = ForeignKeyField("self", null=True, index=False)
    operator = CharField(default="")
    terminal = CharField(default="")
    at = TimestampField()
    client_id = CharField(null=True, unique=True)

    class Meta:
        table_name = "pick_record"
        indexes = ((("pick_list", "kind"), False),)


class AdjustmentReason(BaseModel):
    """A label for stock added or removed by hand; ``direction`` is ``in``, ``out`` or ``both``."""

    code = CharField(primary_key=True)
    direction = CharField(default="both")

    class Meta:
        table_name = "adjustment_reason"


DEFAULT_ADJUSTMENT_REASONS = (
    ("received", "in"),
    ("found", "in"),
    ("gift", "in"),
    ("damaged", "out"),
    ("theft", "out"),
    ("expired", "out"),
    ("sample", "out"),
)

PICK_MODELS = (PickList, PickLine, PickRecord, AdjustmentReason)


class Operator(BaseModel):
    """A person who logs in on a terminal with a badge and a PIN; never deleted, only deactivated.

    ``badge`` is what moves and scans record as their operator. The PIN is kept
    only as ``pin_hash`` (``scrypt$n$r$p$salt$hash``, hex, a random salt per
    operator). ``failed_tries`` wrong PINs in a row lock the badge until
    ``locked_until``.
    """

    badge = CharField(unique=True)
    name = CharField()
    role = CharField()
    pin_hash = CharField()
    active = BooleanField(default=True)
    failed_tries = IntegerField(default=0)
    locked_until = TimestampField(null=True)
    created_at = TimestampField()

    class Meta:
        table_name = "operator_account"


OPERATOR_MODELS = (Operator,)

MODELS = (
    Setting, UomCategory, Uom, Product, Barcode, Location, Move, StockPeriod,
    *COUNT_MODELS, *SUPPLY_MODELS, *PICK_MODELS, *OPERATOR_MODELS,
)  # fmt: skip
