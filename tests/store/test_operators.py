"""Operators: PINs kept as salted hashes, lockout and its expiry, roles enforced, the store without operators."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from store.adjustments import add_stock, remove_reason
from store.catalog import add_barcode, create_product, get_product, product_by_barcode
from store.count_confirm import confirm
from store.counting import record_scan, resolve_unknown, start_session
from store.database import open_store
from store.errors import InvalidValue
from store.location_edit import LocationChange, update_location
from store.locations import create_location, get_location
from store.models import CountRecord, Move, Operator
from store.operators import (
    LOCK_FOR,
    MAX_TRIES,
    BadgeLocked,
    LoginRefused,
    NotAllowed,
    add_operator,
    deactivate,
    has_operators,
    login,
    logout,
    pin_matches,
    set_pin,
    set_role,
    unlock,
)
from store.product_edit import ProductChange, remove_barcode, update_product
from store.receiving import open_delivery, validate_receipt
from store.receiving import record_scan as receive_scan
from store.scanned import Reading
from store.stock import on_hand


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def staff(shop):
    """A supervisor S1 (PIN 1234) and a counter C1 (PIN 5678), added from the command line's unguarded store."""
    add_operator(shop, "S1", "Sam Super", "supervisor", "1234")
    add_operator(shop, "C1", "Cleo Count", "counter", "5678")
    return shop


def test_the_pin_is_kept_only_as_a_hash_with_a_salt_of_its_own(staff):
    first, second = Operator.get(badge="S1"), Operator.get(badge="C1")
    for operator, pin in ((first, "1234"), (second, "5678")):
        assert pin not in operator.pin_hash
        assert pin_matches(pin, operator.pin_hash) and not pin_matches("0000", operator.pin_hash)
    add_operator(staff, "S2", "Sue", "supervisor", "1234")
    same_pin = Operator.get(badge="S2").pin_hash
    assert same_pin.split("$")[4] != first.pin_hash.split("$")[4]  # salts differ
    assert same_pin != first.pin_hash


def test_login_records_the_badge_on_what_the_operator_does(staff, db_url):
    terminal = open_store(db_url, terminal="hand-2")
    terminal.login_required = True
    operator = login(terminal, " C1 ", "5678")
    assert (operator.name, terminal.operator, terminal.role) == ("Cleo Count", "C1", "counter")
    session = start_session(terminal, get_location("A-01"))
    record_scan(terminal, session, Reading(raw="5901234123457", code="5901234123457"))
    record = CountRecord.select().where(CountRecord.kind == "add").get()
    assert (record.operator, record.terminal) == ("C1", "hand-2")


@pytest.mark.parametrize(
    ("badge", "pin", "says"),
    [("C1", "0000", "wrong PIN for badge C1: 4 tries left"), ("X9", "5678", "badge 'X9' is not known")],
)
def test_a_wrong_pin_or_badge_is_refused(staff, badge, pin, says):
    with pytest.raises(LoginRefused, match=says):
        login(staff, badge, pin)
    assert staff.role is None


def test_wrong_pins_lock_the_badge_even_against_the_right_pin_until_it_expires(staff):
    clock = Clock()
    for _ in range(MAX_TRIES - 1):
        with pytest.raises(LoginRefused, match="wrong PIN"):
            login(staff, "C1", "9999", clock=clock)
    with pytest.raises(BadgeLocked, match="badge C1 is locked until") as locked:
        login(staff, "C1", "9999", clock=clock)
    assert locked.value.until == clock.moment + LOCK_FOR
    clock.moment += LOCK_FOR - timedelta(seconds=1)
    with pytest.raises(BadgeLocked):
        login(staff, "C1", "5678", clock=clock)
    clock.moment += timedelta(seconds=1)
    assert login(staff, "C1", "5678", clock=clock).badge == "C1"
    assert Operator.get(badge="C1").failed_tries == 0


def test_a_right_pin_forgets_earlier_wrong_ones_and_unlock_lifts_a_lock(staff):
    clock = Clock()
    for _ in range(MAX_TRIES - 1):
        with pytest.raises(LoginRefused):
            login(staff, "C1", "9999", clock=clock)
    login(staff, "C1", "5678", clock=clock)
    with pytest.raises(LoginRefused, match=f"{MAX_TRIES - 1} tries left"):
        login(staff, "C1", "9999", clock=clock)
    for _ in range(MAX_TRIES):
        with pytest.raises(LoginRefused):
            login(staff, "C1", "9999", clock=clock)
    logout(staff)
    unlock(staff, "C1")
    assert login(staff, "C1", "5678", clock=clock).badge == "C1"


def test_a_deactivated_operator_cannot_log_in_and_the_last_supervisor_stays(staff):
    deactivate(staff, "C1")
    with pytest.raises(LoginRefused, match="deactivated"):
        login(staff, "C1", "5678")
    with pytest.raises(InvalidValue, match="last active supervisor"):
        deactivate(staff, "S1")
    with pytest.raises(InvalidValue, match="last active supervisor"):
        set_role(staff, "S1", "counter")


@pytest.mark.parametrize(("badge", "name", "role", "pin", "says"), [
    ("S1", "Again", "counter", "1111", "already taken"),
    ("N1", "New", "boss", "1111", "not one of counter, supervisor"),
    ("N1", "New", "counter", "12a4", "4 to 12 digits"),
    ("N1", "New", "counter", "123", "4 to 12 digits"),
    ("N\x1b1", "New", "counter", "1234", "control characters"),
])  # fmt: skip
def test_bad_operators_are_refused(staff, badge, name, role, pin, says):
    with pytest.raises(InvalidValue, match=says):
        add_operator(staff, badge, name, role, pin)


def test_a_new_pin_replaces_the_old_one(staff):
    set_pin(staff, "C1", "24680")
    with pytest.raises(LoginRefused):
        login(staff, "C1", "5678")
    assert login(staff, "C1", "24680").badge == "C1"


def test_a_counter_counts_but_confirming_adjusting_and_managing_need_a_supervisor(staff, db_url):
    beans, a1 = get_product("BEANS"), get_location("A-01")
    terminal = open_store(db_url, terminal="hand-2")
    terminal.login_required = True
    login(terminal, "C1", "5678")
    session = start_session(terminal, a1)
    record_scan(terminal, session, Reading(raw="5901234123457", code="5901234123457"))
    with pytest.raises(NotAllowed, match="confirming a count: supervisors only"):
        confirm(terminal, session)
    with pytest.raises(NotAllowed, match="adjusting stock: supervisors only"):
        add_stock(terminal, beans, Decimal(1), a1, "found")
    with pytest.raises(NotAllowed, match="adjusting stock"):
        remove_reason(terminal, "gift")
    with pytest.raises(NotAllowed, match="managing operators"):
        add_operator(terminal, "C2", "Other", "supervisor", "1111")
    with pytest.raises(NotAllowed, match="managing operators"):
        set_role(terminal, "C1", "supervisor")
    receipt = open_delivery(terminal, get_location("WH"))
    receive_scan(terminal, receipt, Reading(raw="4006381333931", code="4006381333931"))
    with pytest.raises(NotAllowed, match="posting a receipt: supervisors only"):
        validate_receipt(terminal, receipt)
    assert Move.select().where(Move.operator == "C1").count() == 0
    beans_unit = beans.uom
    for manage in (
        lambda: create_product(terminal, "RICE", "Rice", beans_unit),
        lambda: add_barcode(terminal, beans, "4000000000006"),
        lambda: update_product(terminal, beans, ProductChange(low_stock=Decimal(3))),
        lambda: remove_barcode(terminal, beans, "5901234123457"),
    ):
        with pytest.raises(NotAllowed, match="managing products: supervisors only"):
            manage()
    for manage in (
        lambda: create_location(terminal, "A-03", "Bin 3", "storage", parent=get_location("WH/STOCK")),
        lambda: update_location(terminal, a1, LocationChange(name="Shelf 1")),
    ):
        with pytest.raises(NotAllowed, match="managing locations: supervisors only"):
            manage()
    assert get_product("BEANS").low_stock != Decimal(3) and get_location("A-01").name != "Shelf 1"

    login(terminal, "S1", "1234")
    assert len(confirm(terminal, session)) == 1
    assert on_hand(terminal, beans, a1) == 1
    validate_receipt(terminal, receipt)
    assert {m.operator for m in Move.select()} == {"S1"}
    update_location(terminal, a1, LocationChange(name="Shelf 1"))
    assert update_product(terminal, beans, ProductChange(low_stock=Decimal(3))).low_stock == 3


def test_a_counter_gives_an_unknown_barcode_met_in_a_count_to_its_product(staff, db_url):
    terminal = open_store(db_url, terminal="hand-2")
    terminal.login_required = True
    login(terminal, "C1", "5678")
    session = start_session(terminal, get_location("A-01"))
    unknown = record_scan(terminal, session, Reading(raw="4000000000006", code="4000000000006")).record
    assert unknown.kind == "unknown"
    resolve_unknown(terminal, session, unknown, get_product("BEANS"))
    assert product_by_barcode("4000000000006")[0].code == "BEANS"


def test_logged_out_a_store_that_requires_a_login_refuses_and_one_that_does_not_runs_as_before(staff, db_url):
    terminal = open_store(db_url, terminal="hand-2")
    terminal.login_required = True
    login(terminal, "S1", "1234")
    logout(terminal)
    assert terminal.operator == ""
    with pytest.raises(NotAllowed, match="log in first"):
        add_stock(terminal, get_product("BEANS"), Decimal(1), get_location("A-01"), "found")
    script = open_store(db_url, operator="admin")  # the command line: no login, operators or not
    add_stock(script, get_product("BEANS"), Decimal(1), get_location("A-01"), "found")
    assert Move.get().operator == "admin"


def test_a_store_without_operators_needs_no_login(shop):
    assert not has_operators()
    add_stock(shop, get_product("BEANS"), Decimal(2), get_location("A-01"), "found")
    assert on_hand(shop, get_product("BEANS"), get_location("A-01")) == 2



def test_a_supervisor_made_a_counter_or_deactivated_elsewhere_loses_the_right_at_once(staff, db_url):
    beans, a1 = get_product("BEANS"), get_location("A-01")
    terminal = open_store(db_url, terminal="hand-2")
    terminal.login_required = True
    login(terminal, "S1", "1234")
    add_stock(terminal, beans, Decimal(1), a1, "found")  # a supervisor's

    def office(**change) -> None:  # what another terminal's set_role or deactivate writes, while S1 stays logged in
        Operator.update(**change).where(Operator.badge == "S1").execute()

    office(role="counter")
    with pytest.raises(NotAllowed, match="adjusting stock: supervisors only"):
        add_stock(terminal, beans, Decimal(1), a1, "found")
    assert terminal.role == "counter" and terminal.operator == "S1"
    office(role="supervisor")
    add_stock(terminal, beans, Decimal(1), a1, "found")
    office(active=False)
    with pytest.raises(NotAllowed, match="log in first: adjusting stock needs an operator"):
        add_stock(terminal, beans, Decimal(1), a1, "found")
    assert (terminal.role, terminal.operator) == (None, "")
    assert Move.select().where(Move.operator == "S1").count() == 2
