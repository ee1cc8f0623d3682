"""The ledger as stories: receive, transfer, sell, revert, and quantities in the past."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from peewee import IntegrityError

from store.catalog import get_product, product_by_barcode
from store.clock import period_of, to_micros
from store.errors import ImmutableMove, InsufficientStock, InvalidValue
from store.locations import get_location, lost_and_found
from store.models import Move
from store.moves import assign_move, cancel_move, do_move, plan_move, post_move, revert_move
from store.stock import available, forecast, location_on_hand, on_hand, reserved

D = Decimal
T0 = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def test_receive_transfer_sell_revert_story(shop):
    beans, a1, a2 = get_product("BEANS"), get_location("A-01"), get_location("A-02")
    supplier, customer, wh = get_location("SUPPLIER"), get_location("CUSTOMER"), get_location("WH")

    receipt = post_move(shop, beans, D(24), supplier, a1, reason="received", at=T0, unit_cost=D("0.80"))
    post_move(shop, beans, D(10), a1, a2, reason="transfer", at=T0 + timedelta(days=40))
    sale = post_move(shop, beans, D(3), a2, customer, reason="sold", at=T0 + timedelta(days=41))

    assert on_hand(shop, beans, a1) == 14
    assert on_hand(shop, beans, a2) == 7
    assert on_hand(shop, beans, wh) == 21
    assert on_hand(shop, beans, get_location("WH/STOCK")) == 21
    assert on_hand(shop, beans, customer) == 3
    assert on_hand(shop, beans, supplier) == -24
    # in the past, across period boundaries and inside one
    assert on_hand(shop, beans, wh, at=T0 - timedelta(seconds=1)) == 0
    assert on_hand(shop, beans, wh, at=T0) == 24
    assert on_hand(shop, beans, a2, at=T0 + timedelta(days=40, hours=1)) == 10
    assert on_hand(shop, beans, a2, at=T0 + timedelta(days=41)) == 7
    assert location_on_hand(shop, wh, at=T0 + timedelta(days=40, hours=1)) == {beans.id: 24}

    with pytest.raises(InsufficientStock, match="Only 14 pc of BEANS at A-01; 24 requested"):
        revert_move(shop, receipt)  # a reversal keeps the stock rules too
    reversal = revert_move(shop, sale)
    assert reversal.reverts_id == sale.id and reversal.from_location_id == customer.id
    assert (on_hand(shop, beans, a2), on_hand(shop, beans, customer)) == (10, 0)
    assert on_hand(shop, beans, a2, at=T0 + timedelta(days=41)) == 7  # the past stays as it was
    with pytest.raises(ImmutableMove):
        revert_move(shop, sale)


def test_done_moves_cannot_change_even_behind_the_stores_back(shop):
    move = post_move(shop, get_product("BEANS"), D(5), get_location("SUPPLIER"), get_location("A-01"))
    with pytest.raises(IntegrityError, match="immutable"):
        Move.update(quantity=D(1)).where(Move.id == move.id).execute()
    with pytest.raises(IntegrityError, match="immutable"):
        Move.delete().where(Move.id == move.id).execute()
    with pytest.raises(ImmutableMove):
        do_move(shop, move)
    assert Move.get_by_id(move.id).quantity == 5


def test_forbidden_negative_stock_names_product_location_and_shortfall(shop):
    beans, a1 = get_product("BEANS"), get_location("A-01")
    post_move(shop, beans, D(3), get_location("SUPPLIER"), a1)
    with pytest.raises(InsufficientStock, match=r"Only 3 pc of BEANS at A-01; 5 requested"):
        post_move(shop, beans, D(5), a1, get_location("CUSTOMER"))
    assert on_hand(shop, beans, a1) == 3


def test_reservation_available_and_forecast(shop):
    beans, a1, customer = get_product("BEANS"), get_location("A-01"), get_location("CUSTOMER")
    post_move(shop, beans, D(10), get_location("SUPPLIER"), a1)
    pick = assign_move(shop, plan_move(shop, beans, D(6), a1, customer))
    assert (reserved(shop, beans, a1), available(shop, beans, a1)) == (6, 4)
    with pytest.raises(InsufficientStock):
        assign_move(shop, plan_move(shop, beans, D(5), a1, customer))
    with pytest.raises(InsufficientStock):  # reserved stock is not for anyone else
        post_move(shop, beans, D(5), a1, customer)
    later = datetime.now(UTC) + timedelta(days=3)
    plan_move(shop, beans, D(20), get_location("SUPPLIER"), a1, planned_at=later)
    assert forecast(shop, beans, a1, later + timedelta(seconds=1)) == 10 - 6 - 5 + 20
    assert forecast(shop, beans, a1, later - timedelta(days=1)) == 10 - 6 - 5
    do_move(shop, pick)
    assert (on_hand(shop, beans, a1), reserved(shop, beans, a1)) == (4, 0)
    cancel = cancel_move(shop, plan_move(shop, beans, D(1), a1, customer))
    assert cancel.state == "cancelled"


def test_exact_decimals_ten_thousand_tenths(store):
    from store.catalog import create_product
    from store.locations import create_location
    from store.moves import apply_to_periods
    from store.quantity import to_units
    from store.units import get_uom

    create_location(store, "W", "W", "warehouse")
    rice = create_product(store, "RICE", "Rice", get_uom("kg"))
    bin_, supplier = get_location("W/STOCK"), get_location("SUPPLIER")
    post_move(store, rice, D("0.1"), supplier, bin_)
    with store.atomic():  # 9,999 more, through the same period arithmetic
        apply_to_periods(store, [(rice.id, bin_.id, period_of(to_micros(T0)), to_units(D("0.1")))] * 9_999)
    assert on_hand(store, rice, bin_) == D(1000)
    assert on_hand(store, rice, bin_, at=T0 + timedelta(days=30)) == D("999.9")  # the first 0.1 came now


def test_refusals(shop):
    beans, a1 = get_product("BEANS"), get_location("A-01")
    with pytest.raises(InvalidValue, match="positive"):
        post_move(shop, beans, D(0), get_location("SUPPLIER"), a1)
    with pytest.raises(InvalidValue, match="decimals"):
        post_move(shop, beans, D("1.5"), get_location("SUPPLIER"), a1)
    with pytest.raises(InvalidValue, match="future"):
        post_move(shop, beans, D(1), get_location("SUPPLIER"), a1, at=datetime.now(UTC) + timedelta(days=1))
    with pytest.raises(InvalidValue, match="warehouse"):
        post_move(shop, beans, D(1), get_location("SUPPLIER"), get_location("WH"))


def test_warehouse_parts_and_barcodes(shop):
    assert lost_and_found(get_location("A-01")).code == "WH/LOST"
    assert not get_location("A-01").allow_negative  # inherited from the warehouse
    assert product_by_barcode("15901234123454")[1] == 12
    assert product_by_barcode("05901234123457")[0].code == "BEANS"  # EAN-13 read as GTIN-14
    assert product_by_barcode("0000000000000") is None
