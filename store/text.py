"""Checks on text that comes from outside: codes, names, barcodes."""

from __future__ import annotations

import unicodedata

from store.errors import InvalidValue

CONTROL_CATEGORIES = ("Cc", "Cf", "Zl", "Zp")
"""Unicode categories of characters that must never reach a terminal as themselves."""


def has_control(text: str) -> bool:
    """True if the text holds a control or format character (escape sequences among them)."""
    return any(unicodedata.category(ch) in CONTROL_CATEGORIES for ch in text)


def check_code(value: str, what: str) -> str:
    """A code or barcode: a name (see ``check_name``) of at most 128 characters."""
    value = check_name(value, what)
    if len(value) > 128:
        raise InvalidValue(f"{what} is longer than 128 characters")
    return value


def check_name(value: str, what: str) -> str:
    """A name shown to people: any printable text, no control characters."""
    value = value.strip()
    if not value:
        raise InvalidValue(f"{what} is empty")
    if has_control(value):
        raise InvalidValue(f"{what} {value!r} holds control characters")
    return value
