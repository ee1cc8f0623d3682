"""Barcodes for benchmarks: valid EAN-13s of a made-up company prefix."""

from __future__ import annotations


def ean13(n: int) -> str:
    """The n-th EAN-13 of a made-up company prefix, with its check digit."""
    payload = f"400638{n:06d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(payload))
    return payload + str((10 - total % 10) % 10)
