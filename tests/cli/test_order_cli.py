"""`stockroom order` as a buyer's script uses it, in a real process."""

from __future__ import annotations

from decimal import Decimal

from store.catalog import get_product
from store.locations import get_location
from store.models import Product
from store.moves import post_move
from store.supply import get_order, history, order_lines
from tests.cli.test_count_cli import stockroom


def test_an_order_from_low_stock_and_a_template_sent_shown_and_cancelled(shop, db_url):
    Product.update(low_stock=Decimal(10)).where(Product.code == "BEANS").execute()
    post_move(shop, get_product("BEANS"), Decimal(4), get_location("SUPPLIER"), get_location("A-01"),
              unit_cost=Decimal("0.95"))
    created = stockroom(db_url, "--operator", "buyer", "order", "new", "Acme", "--warehouse", "WH", "--fill-low")
    assert created.returncode == 0, created.stderr
    number = created.stdout.decode().strip()
    assert [(ln.product.code, ln.quantity, ln.unit_cost) for ln in order_lines(get_order(number))] == [
        ("BEANS", 16, Decimal("0.95"))
    ]
    changed = stockroom(db_url, "order", "line", number, "BEANS", "24", "--cost", "0,90", "--discount", "5")
    assert changed.returncode == 0, changed.stderr
    assert stockroom(db_url, "order", "line", number, "FLOUR-500", "10").returncode == 0
    assert stockroom(db_url, "order", "send", number).stdout.decode().strip() == f"order {number}: pending receipt"
    refused = stockroom(db_url, "order", "remove", number, "BEANS")
    assert refused.returncode == 1 and b"only a draft can be changed" in refused.stderr
    assert stockroom(db_url, "--operator", "buyer", "order", "cancel", number, "--note", "too late").returncode == 0
    shown = stockroom(db_url, "order", "show", number).stdout.decode().splitlines()
    assert shown[0] == f"order {number} Acme -> WH: cancelled"
    assert shown[1:3] == ["  BEANS 24 pc at 0.9 less 5 %", "  FLOUR-500 10 bag500g"]
    states = ("draft", "validated", "pending receipt", "cancelled")
    assert all(" ".join(line.split()[2:]).startswith(f"{state} by ") for state, line in zip(states, shown[3:], strict=True))
    assert [(h.state, h.operator) for h in history(get_order(number))][::3] == [("draft", "buyer"), ("cancelled", "buyer")]
    assert shown[-1].endswith("(too late)")


def test_an_order_from_a_template(shop, db_url):
    saved = stockroom(db_url, "order", "template", "Weekly", "Acme", "BEANS=24", "FLOUR-500=20")
    assert saved.returncode == 0, saved.stderr
    created = stockroom(db_url, "order", "new", "--template", "Weekly", "--warehouse", "WH")
    order = get_order(created.stdout.decode().strip())
    assert order.supplier == "Acme"
    assert [(ln.product.code, ln.quantity) for ln in order_lines(order)] == [("BEANS", 24), ("FLOUR-500", 20)]
    bad = stockroom(db_url, "order", "template", "Bad", "Acme", "BEANS")
    assert bad.returncode == 1 and b"PRODUCT=QUANTITY" in bad.stderr
