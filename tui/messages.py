"""Messages the scanner parts post to screens; only plain data, safe to post from any thread."""

from __future__ import annotations

from textual.message import Message

from devices.scan import Scan


class ScanReceived(Message):
    """A scan arrived. ``source`` is ``"wedge"`` for keyboard scanners or the serial port spec.

    ``text`` is what was typed (wedge only), so a screen may also take a
    plain number as a quantity.
    """

    def __init__(self, scan: Scan, source: str, text: str | None = None) -> None:
        super().__init__()
        self.scan = scan
        self.source = source
        self.text = text


class ScannerStatus(Message):
    """A serial scanner was connected or disconnected; a newer status replaces a queued older one."""

    def __init__(self, status: str, detail: str, source: str = "") -> None:
        super().__init__()
        self.status = status
        self.detail = detail
        self.source = source

    def can_replace(self, message: Message) -> bool:
        """A flood of status changes collapses to the latest per scanner."""
        return isinstance(message, ScannerStatus) and message.source == self.source
