"""Prepared queries: built once, they still run where peewee would run them and return what peewee would."""

from __future__ import annotations

from decimal import Decimal

from store.catalog import create_product, get_product
from store.clock import now
from store.database import open_store
from store.locations import get_location
from store.models import MODELS, Move, Product
from store.prepared import Prepared, arg, create
from store.units import get_uom

BY_CODE = Prepared(lambda: Product.select().where(Product.code == arg("code")))


def test_a_prepared_query_runs_on_the_database_its_models_are_bound_to_now(make_db_url):
    first = open_store(make_db_url("first"))
    create_product(first, "ONLY-FIRST", "In the first", get_uom("pc"))
    assert [p.code for p in BY_CODE.rows(code="ONLY-FIRST")] == ["ONLY-FIRST"]
    second = open_store(make_db_url("second"))  # binds the models to the second database
    assert BY_CODE.first(code="ONLY-FIRST") is None
    create_product(second, "ONLY-SECOND", "In the second", get_uom("pc"))
    assert BY_CODE.first(code="ONLY-SECOND").name == "In the second"
    first.db.bind(MODELS, bind_refs=False, bind_backrefs=False)
    assert BY_CODE.first(code="ONLY-FIRST").name == "In the first"
    first.close()
    second.close()


def test_create_saves_the_row_as_model_create_does(shop):
    beans, a01, out = get_product("BEANS"), get_location("A-01"), get_location("WH/OUT")
    moment = now()
    values = dict(product=beans, quantity=Decimal("2.5"), from_location=a01, to_location=out, planned_at=moment,
                  created_at=moment)  # fmt: skip
    made = create(Move, **values, origin="prepared")
    usual = Move.create(**values, origin="usual")
    assert made.id == usual.id - 1 and not made.is_dirty()
    saved, reference = Move.get_by_id(made.id), Move.get_by_id(usual.id)
    for field in Move._meta.sorted_fields:
        if field.name not in ("id", "origin"):
            assert getattr(saved, field.name) == getattr(reference, field.name), field.name
    assert (saved.origin, saved.state, saved.quantity) == ("prepared", "draft", Decimal("2.5"))
