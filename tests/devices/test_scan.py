"""Scan: its hand-built __init__ behaves like the frozen dataclass's own."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from decimal import Decimal

import pytest

from devices.scan import Scan, product_scan


def test_init_signature_matches_the_fields():
    parameters = list(inspect.signature(Scan).parameters.values())
    fields = dataclasses.fields(Scan)
    assert [p.name for p in parameters] == [f.name for f in fields]
    for parameter, field in zip(parameters, fields, strict=True):
        expected = inspect.Parameter.empty if field.default is dataclasses.MISSING else field.default
        assert parameter.default == expected
        assert parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD


def test_every_field_is_stored_positionally_and_by_keyword():
    names = [f.name for f in dataclasses.fields(Scan)]
    values = [object() for _ in names]
    for scan in (Scan(*values), Scan(**dict(zip(names, values, strict=True)))):
        assert [getattr(scan, name) for name in names] == values


def test_defaults_are_none():
    scan = Scan(b"x", "code", 1.0)
    assert all(getattr(scan, f.name) is None for f in dataclasses.fields(Scan)[3:])


def test_still_frozen_hashable_replaceable_and_picklable():
    scan = Scan(raw=b"4006381333931", kind="gtin", received_at=1.0, gtin="4006381333931")
    with pytest.raises(dataclasses.FrozenInstanceError):
        scan.kind = "error"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del scan.gtin
    assert hash(scan) == hash(Scan(b"4006381333931", "gtin", 1.0, gtin="4006381333931"))
    changed = dataclasses.replace(scan, quantity=Decimal(2))
    assert changed.quantity == Decimal(2) and changed.gtin == scan.gtin and scan.quantity is None
    assert pickle.loads(pickle.dumps(scan)) == scan
    with pytest.raises(TypeError):
        Scan(b"x", "code")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Scan(b"x", "code", 1.0, colour="red")  # type: ignore[call-arg]


def test_optional_fields_left_none_read_as_none_everywhere():
    sparse = Scan(b"A-01", "code", 1.0, code="A-01")
    full = pickle.loads(pickle.dumps(sparse))  # unpickling stores every field, the Nones too
    assert sparse == full and hash(sparse) == hash(full) and repr(sparse) == repr(full)
    assert sparse.lot is None and getattr(sparse, "lot", "missing") is None and hasattr(sparse, "expiry")
    assert dataclasses.asdict(sparse) == dataclasses.asdict(full)
    assert sparse.to_json_dict() == {"raw": "A-01", "symbology": None, "kind": "code", "error": None, "code": "A-01"}
    assert dataclasses.replace(sparse, lot="L1").lot == "L1"
    assert Scan(b"x", "code", 1.0, lot=None) == Scan(b"x", "code", 1.0)
    with pytest.raises(AttributeError, match="colour"):
        sparse.colour  # noqa: B018 - the attribute access is the test
    with pytest.raises(dataclasses.FrozenInstanceError):
        sparse.lot = "L1"  # type: ignore[misc]


def test_product_scan_is_the_scan_init_builds():
    quick = product_scan(b"4006381333931", "gtin", 2.5, "4006381333931")
    built = Scan(b"4006381333931", "gtin", 2.5, gtin="4006381333931")
    assert quick == built and hash(quick) == hash(built) and repr(quick) == repr(built)
    assert type(quick) is Scan and quick.lot is None and quick.to_json_dict() == built.to_json_dict()
    assert pickle.loads(pickle.dumps(quick)) == built
    with pytest.raises(dataclasses.FrozenInstanceError):
        quick.gtin = "x"  # type: ignore[misc]
