"""How the screens word numbers of things."""

from __future__ import annotations


def counted(number: int, noun: str) -> str:
    """``1 line``, ``3 lines``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
