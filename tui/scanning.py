"""How scans reach screens: the app hands each scan to the active screen if it takes scans.

The scanner reader (``devices``) runs in its own thread; the app turns what it
reads into a message and, on the UI thread, calls ``StockroomApp.dispatch_scan``.
A screen takes scans by defining ``on_scan(scan)``.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


class Scanned(Protocol):
    """What the UI reads from a scan (``devices.scan.Scan`` has these attributes)."""

    @property
    def gtin(self) -> str | None: ...

    @property
    def item_gtin(self) -> str | None: ...

    @property
    def code(self) -> str | None: ...

    @property
    def raw_text(self) -> str: ...


@runtime_checkable
class ScanTarget(Protocol):
    """A screen that takes scans."""

    def on_scan(self, scan: Scanned) -> None:
        """Act on one scan; called on the UI thread."""


def scan_text(scan: Scanned) -> str:
    """What a scan names, as a search would take it: its item's GTIN (an in-store label's, its weight
    or price zeroed), else its GTIN, else its code, else its raw text."""
    return scan.item_gtin or scan.gtin or scan.code or scan.raw_text
