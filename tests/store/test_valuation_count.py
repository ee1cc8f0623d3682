"""A count's difference moves and variance report are valued by the warehouse's cost method."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from store.catalog import get_product
from store.count_confirm import confirm, variance
from store.counting import set_count, start_session
from store.locations import get_location
from store.models import Move
from store.moves import post_move
from store.valuation import set_cost_method, valuation

D = Decimal
EARLIER = datetime.now(UTC) - timedelta(days=10)


def stock_beans(store, method: str) -> None:
    """A-01 gets 10 tins at 1.00, then 10 at 2.00, in a warehouse valued by ``method``."""
    set_cost_method(store, get_location("WH"), method)
    beans, supplier, a1 = get_product("BEANS"), get_location("SUPPLIER"), get_location("A-01")
    post_move(store, beans, D(10), supplier, a1, at=EARLIER, unit_cost=D(1))
    post_move(store, beans, D(10), supplier, a1, at=EARLIER + timedelta(days=1), unit_cost=D(2))


def count_beans(store, counted: int):
    session = start_session(store, get_location("A-01"))
    set_count(store, session, get_product("BEANS"), D(counted))
    return session


@pytest.mark.parametrize(
    ("method", "unit_cost", "left"),
    [
        ("fifo", D("1.333333"), D(10)),  # 10 x 1 + 5 x 2 over 15; 5 left at 2
        ("lifo", D("1.666667"), D(5)),  # 10 x 2 + 5 x 1 over 15; 5 left at 1
        ("avco", D("1.5"), D("7.5")),  # the average, 1.5
    ],
)
def test_a_loss_costs_what_its_exit_consumes(shop, method, unit_cost, left):
    stock_beans(shop, method)
    session = count_beans(shop, 5)
    [report] = variance(shop, session)
    assert report.difference == -15
    assert report.value == (-15 * unit_cost).quantize(D("0.0001"))  # the last receipt alone would say -30
    confirm(shop, session)
    [move] = Move.select().where(Move.origin == session.origin)
    assert (move.quantity, move.unit_cost) == (15, unit_cost)
    assert variance(shop, session)[0].value == report.value  # a confirmed report keeps the posted cost
    [row] = valuation(shop, "WH")
    assert (row.quantity, row.value) == (5, left)


@pytest.mark.parametrize(("method", "unit_cost"), [("fifo", D(1)), ("lifo", D(2)), ("avco", D("1.5"))])
def test_a_gain_enters_at_the_current_cost(shop, method, unit_cost):
    stock_beans(shop, method)
    session = count_beans(shop, 23)
    assert variance(shop, session)[0].value == 3 * unit_cost
    confirm(shop, session)
    [move] = Move.select().where(Move.origin == session.origin)
    assert (move.from_location.code, move.unit_cost) == ("WH/LOST", unit_cost)
    [row] = valuation(shop, "WH")
    assert (row.quantity, row.value) == (23, 30 + 3 * unit_cost)
