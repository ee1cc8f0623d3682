"""`stockroom adjust` and `stockroom reasons` in a real process: posted moves, refusals, exit codes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.catalog import get_product
from store.locations import get_location
from store.models import Move
from store.moves import post_move
from store.picking import assign, create_pick_list
from store.stock import on_hand
from tests.cli.test_count_cli import stockroom


@pytest.fixture
def stocked(shop, db_url):
    """A-01 holds 10 beans, 4 of them reserved for pick list P-1; WH forbids negative stock."""
    post_move(shop, get_product("BEANS"), Decimal(10), get_location("SUPPLIER"), get_location("A-01"))
    assign(shop, create_pick_list(shop, "P-1", get_location("WH"), [(get_product("BEANS"), Decimal(4))]))
    return db_url


def adjustments() -> list[tuple[int, str, Decimal, str, str, str]]:
    moves = Move.select().where(Move.origin == "adjustment").order_by(Move.id)
    return [(m.id, m.product.code, m.quantity, m.from_location.code, m.to_location.code, m.reason) for m in moves]


def test_add_and_remove_print_the_posted_move(stocked, shop):
    added = stockroom(stocked, "adjust", "add", "FLOUR-500", "3", "A-02", "--reason", "Gift")
    assert added.returncode == 0, added.stderr
    removed = stockroom(stocked, "adjust", "remove", "BEANS", "2", "A-01", "--reason", "damaged")
    assert removed.returncode == 0, removed.stderr
    reserved = stockroom(stocked, "adjust", "remove", "BEANS", "6", "A-01", "--reason", "theft", "--from-reserved")
    assert reserved.returncode == 0, reserved.stderr
    ids = [int(result.stdout.decode()) for result in (added, removed, reserved)]  # the id alone on stdout
    assert adjustments() == [
        (ids[0], "FLOUR-500", 3, "WH/LOST", "A-02", "gift"),
        (ids[1], "BEANS", 2, "A-01", "WH/LOST", "damaged"),
        (ids[2], "BEANS", 6, "A-01", "WH/LOST", "theft"),
    ]
    assert on_hand(shop, get_product("BEANS"), get_location("A-01")) == 2


def test_a_decimal_comma_is_a_quantity(stocked, shop):
    result = stockroom(stocked, "adjust", "add", "BEANS", "2,0", "A-02", "--reason", "found")
    assert result.returncode == 0, result.stderr
    refused = stockroom(stocked, "adjust", "add", "BEANS", "1,5", "A-02", "--reason", "found")
    assert refused.returncode == 1 and refused.stderr.decode().startswith("stockroom: ")
    assert on_hand(shop, get_product("BEANS"), get_location("A-02")) == 2


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("remove", "BEANS", "7", "A-01", "--reason", "damaged"), "Only 6 pc of BEANS at A-01; 7 requested"),
        (("remove", "BEANS", "11", "A-01", "--reason", "damaged", "--from-reserved"), "Only 10 pc of BEANS"),
        (("add", "BEANS", "1", "A-01", "--reason", "theft"), "reason theft is not for stock that one adds"),
        (("remove", "BEANS", "1", "A-01", "--reason", "broken"), "no reason 'broken'"),
        (("add", "NOPE", "1", "A-01", "--reason", "found"), "NOPE"),
        (("add", "BEANS", "lots", "A-01", "--reason", "found"), "quantity 'lots' is not a number"),
        (("add", "BEANS", "-1", "A-01", "--reason", "found"), "positive quantity"),
    ],
)
def test_refusals_exit_1_saying_why_and_post_nothing(stocked, args, says):
    result = stockroom(stocked, "adjust", *args)
    assert result.returncode == 1
    assert result.stdout == b""
    assert result.stderr.decode().startswith("stockroom: ") and says in result.stderr.decode()
    assert adjustments() == []


@pytest.mark.parametrize(
    "args",
    [
        ("add", "BEANS", "1", "A-01"),  # no --reason
        ("add", "BEANS", "1", "A-01", "--reason", "found", "--from-reserved"),  # only removals take reserved
        ("move", "BEANS", "1", "A-01", "--reason", "found"),
        ("remove", "BEANS", "A-01", "--reason", "found"),
    ],
)
def test_usage_errors_exit_2(stocked, args):
    result = stockroom(stocked, "adjust", *args)
    assert result.returncode == 2
    assert adjustments() == []


def test_reasons_are_listed_added_and_removed(stocked):
    listed = stockroom(stocked, "reasons", "list")
    assert listed.returncode == 0
    assert "damaged out" in listed.stdout.decode().splitlines() and "gift in" in listed.stdout.decode().splitlines()
    added = stockroom(stocked, "reasons", "add", "Broken", "--direction", "out")
    assert (added.returncode, added.stdout.decode()) == (0, "broken out\n")
    assert stockroom(stocked, "reasons", "add", "broken").returncode == 1  # already there
    assert stockroom(stocked, "reasons", "add", "x", "--direction", "sideways").returncode == 2
    outs = stockroom(stocked, "reasons", "list", "--direction", "out").stdout.decode().splitlines()
    assert "broken out" in outs and "gift in" not in outs
    assert stockroom(stocked, "adjust", "remove", "BEANS", "1", "A-01", "--reason", "broken").returncode == 0
    assert stockroom(stocked, "reasons", "remove", "broken").returncode == 0
    gone = stockroom(stocked, "reasons", "remove", "broken")
    assert gone.returncode == 1 and b"stockroom: no reason 'broken'" in gone.stderr
    refused = stockroom(stocked, "adjust", "remove", "BEANS", "1", "A-01", "--reason", "broken")
    assert refused.returncode == 1
    assert [(code, reason) for _, code, *_, reason in adjustments()] == [("BEANS", "broken")]  # the move keeps it
