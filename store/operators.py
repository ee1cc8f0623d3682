"""Operators: badges, PINs, roles, and what each role may do.

An operator logs in on a terminal with a badge code (typed or scanned) and a
PIN. The PIN is kept only as a salted scrypt hash and compared in constant
time. ``MAX_TRIES`` wrong PINs in a row lock the badge for ``LOCK_FOR``; a
locked badge refuses even the right PIN until then.

Once logged in, ``store.operator`` is the operator's **badge code**: badges are
unique, never change and operators are never deleted (only deactivated), so
every move and scan stays traceable to a person.

Roles (``ROLES``): a ``counter`` counts, receives, picks and transfers; a
``supervisor`` may also confirm counts, post receipts, adjust stock and
manage products, locations and operators. ``require`` enforces this in the
store's functions. A store nobody logged in to, and that does not require a
login (``Store.login_required`` False: a database without operators, the
command line's scripts), allows everything, as before operators existed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from store.clock import now
from store.errors import InvalidValue, NotFound, StockError
from store.models import Operator
from store.text import check_code, check_name
from store.transactions import lock_row

if TYPE_CHECKING:
    from store.database import Store

COUNTER, SUPERVISOR = "counter", "supervisor"
ROLE_NAMES = (COUNTER, SUPERVISOR)

COUNTER_PERMISSIONS = frozenset({"count", "receive", "pick", "transfer"})
SUPERVISOR_PERMISSIONS = COUNTER_PERMISSIONS | {
    "confirm_count",
    "post_receipt",
    "adjust_stock",
    "manage_products",
    "manage_locations",
    "manage_operators",
}
ROLES: dict[str, frozenset[str]] = {COUNTER: COUNTER_PERMISSIONS, SUPERVISOR: frozenset(SUPERVISOR_PERMISSIONS)}
"""What each role may do, by permission name."""

PERMISSION_LABELS = {
    "count": "counting",
    "receive": "receiving",
    "pick": "picking",
    "transfer": "moving stock",
    "confirm_count": "confirming a count",
    "post_receipt": "posting a receipt",
    "adjust_stock": "adjusting stock",
    "manage_products": "managing products",
    "manage_locations": "managing locations",
    "manage_operators": "managing operators",
}

MAX_TRIES = 5
"""Wrong PINs in a row that lock a badge."""
LOCK_FOR = timedelta(minutes=5)
"""How long a badge stays locked."""

PIN_LENGTHS = range(4, 13)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


class NotAllowed(StockError):
    """The operator's role does not allow this, or nobody is logged in where a login is required."""


class LoginRefused(StockError):
    """An unknown or inactive badge, a wrong PIN, or a locked badge."""


class BadgeLocked(LoginRefused):
    """Too many wrong PINs: the badge is locked until ``until``."""

    def __init__(self, badge: str, until: datetime) -> None:
        self.until = until
        super().__init__(f"badge {badge} is locked until {clock_time(until)} after {MAX_TRIES} wrong PINs")


def clock_time(moment: datetime) -> str:
    """A moment as the stock room's clock shows it: local ``HH:MM``."""
    return moment.astimezone().strftime("%H:%M")


# --- PINs -------------------------------------------------------------------------------------------------------


def check_pin(pin: str) -> str:
    """A PIN: 4 to 12 digits."""
    if not (pin.isascii() and pin.isdigit() and len(pin) in PIN_LENGTHS):
        raise InvalidValue(f"a PIN is {PIN_LENGTHS.start} to {PIN_LENGTHS.stop - 1} digits")
    return pin


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """``scrypt$n$r$p$salt$hash`` (hex) of a PIN, with a new random salt unless one is given."""
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.scrypt(pin.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    """True if ``pin`` is the one ``stored`` was made from; compared in constant time."""
    try:
        method, n, r, p, salt, digest = stored.split("$")
        expected = bytes.fromhex(digest)
        actual = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected))
    except ValueError:
        return False
    return method == "scrypt" and hmac.compare_digest(actual, expected)


@cache
def _dummy_hash() -> str:
    """Checked against for an unknown badge, so it takes as long as a known one (made once, when first needed)."""
    return hash_pin("0000")


# --- operators ----------------------------------------------------------------------------------------------------


def has_operators() -> bool:
    """True once the database has an operator (active or not): the app then asks for a login."""
    return Operator.select().exists()


def has_supervisor() -> bool:
    """True if an active supervisor exists (kiosk mode needs one to be quit)."""
    return Operator.select().where(Operator.active & (Operator.role == SUPERVISOR)).exists()


def operators() -> list[Operator]:
    """Every operator, by badge."""
    return list(Operator.select().order_by(Operator.badge))


def get_operator(badge: str) -> Operator:
    """The operator with this badge code."""
    found = Operator.get_or_none(Operator.badge == badge.strip())
    if found is None:
        raise NotFound(f"no operator with badge {badge.strip()!r}")
    return found


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidValue(f"role {role!r} is not one of {', '.join(ROLE_NAMES)}")
    return role


def add_operator(store: Store, badge: str, name: str, role: str, pin: str) -> Operator:
    """A new operator; the badge code must be new."""
    require(store, "manage_operators")
    badge = check_code(badge, "badge")
    name = check_name(name, "name")
    pin_hash = hash_pin(check_pin(pin))
    with store.atomic():
        if Operator.get_or_none(Operator.badge == badge) is not None:
            raise InvalidValue(f"badge {badge} is already taken")
        return Operator.create(badge=badge, name=name, role=_check_role(role), pin_hash=pin_hash, created_at=now())


def _change(store: Store, badge: str, **values) -> Operator:
    require(store, "manage_operators")
    with store.atomic():
        operator = get_operator(badge)
        Operator.update(**values).where(Operator.id == operator.id).execute()
    return Operator.get_by_id(operator.id)


def set_pin(store: Store, badge: str, pin: str) -> Operator:
    """Give an operator a new PIN (a new salt too); also unlocks the badge."""
    return _change(store, badge, pin_hash=hash_pin(check_pin(pin)), failed_tries=0, locked_until=None)


def set_role(store: Store, badge: str, role: str) -> Operator:
    """Make an operator a counter or a supervisor; takes effect at their next login.

    The last active supervisor cannot be made a counter.
    """
    _check_role(role)
    if role != SUPERVISOR:
        _keep_a_supervisor(badge)
    return _change(store, badge, role=role)


def deactivate(store: Store, badge: str) -> Operator:
    """Stop an operator logging in; what they recorded keeps their badge. The last supervisor stays."""
    _keep_a_supervisor(badge)
    return _change(store, badge, active=False)


def _keep_a_supervisor(badge: str) -> None:
    operator = get_operator(badge)
    others = Operator.select().where(Operator.active & (Operator.role == SUPERVISOR) & (Operator.id != operator.id))
    if operator.active and operator.role == SUPERVISOR and not others.exists():
        raise InvalidValue(f"{operator.name} ({badge}) is the last active supervisor: add another one first")


def unlock(store: Store, badge: str) -> Operator:
    """Lift a badge's lock and forget its wrong PINs."""
    return _change(store, badge, failed_tries=0, locked_until=None)


def is_locked(operator: Operator, clock: Callable[[], datetime] = now) -> bool:
    """True while the badge is locked."""
    return operator.locked_until is not None and operator.locked_until > clock()


# --- logging in -------------------------------------------------------------------------------------------------


def verify(
    store: Store, badge: str, pin: str, *, clock: Callable[[], datetime] = now,
    max_tries: int = MAX_TRIES, lock_for: timedelta = LOCK_FOR,
) -> Operator:
    """The operator whose badge and PIN these are, counting a wrong PIN against the badge.

    Raises ``LoginRefused`` (``BadgeLocked`` once locked); nothing about the
    store's current operator changes.
    """  # fmt: skip
    badge = badge.strip()
    with store.atomic():
        found = Operator.get_or_none(Operator.badge == badge) if badge else None
        operator = lock_row(store, Operator, found.id) if found is not None else None
        if operator is None or not operator.active:
            pin_matches(pin, _dummy_hash())
            raise LoginRefused(f"badge {badge!r} is not known" if operator is None else f"badge {badge} is deactivated")
        moment = clock()
        if is_locked(operator, lambda: moment):
            raise BadgeLocked(badge, operator.locked_until)
        if pin_matches(pin, operator.pin_hash):
            if operator.failed_tries or operator.locked_until is not None:
                Operator.update(failed_tries=0, locked_until=None).where(Operator.id == operator.id).execute()
            return operator
        tries = operator.failed_tries + 1
        until = moment + lock_for if tries >= max_tries else None
        Operator.update(failed_tries=0 if until else tries, locked_until=until).where(
            Operator.id == operator.id
        ).execute()
    if until is not None:
        raise BadgeLocked(badge, until)
    left = max_tries - tries
    raise LoginRefused(f"wrong PIN for badge {badge}: {left} {'try' if left == 1 else 'tries'} left")


def login(store: Store, badge: str, pin: str, *, clock: Callable[[], datetime] = now) -> Operator:
    """Check the badge and PIN and make this operator the store's: what it records carries their badge."""
    operator = verify(store, badge, pin, clock=clock)
    store.operator = operator.badge
    store.role = operator.role
    return operator


def logout(store: Store) -> None:
    """Nobody is logged in any more; a store that requires a login refuses everything until the next one."""
    store.operator = ""
    store.role = None


def may(store: Store, permission: str) -> bool:
    """True if the store's operator may do this (always, when nobody logged in and no login is required)."""
    if permission not in PERMISSION_LABELS:
        raise ValueError(f"unknown permission {permission!r}")
    if store.role is None:
        return not store.login_required
    return permission in ROLES.get(store.role, frozenset())


def require(store: Store, permission: str) -> None:
    """Refuse (``NotAllowed``) what the store's operator may not do; see ``ROLES``.

    The logged-in operator's role is read again first, so a supervisor made a
    counter, or deactivated, on another terminal loses the right at once, not
    at the next login (a deactivated operator is logged out).
    """
    if store.role is not None:
        current = Operator.get_or_none((Operator.badge == store.operator) & Operator.active)
        if current is None:
            logout(store)
        else:
            store.role = current.role
    if may(store, permission):
        return
    what = PERMISSION_LABELS[permission]
    if store.role is None:
        raise NotAllowed(f"log in first: {what} needs an operator")
    raise NotAllowed(f"{what}: supervisors only")
