"""Job screens: scans and typed quantities in, store work on the screen's writer thread."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual import events
from textual.screen import ScreenResultType
from textual.widgets import Input, Static

from devices.scan import Scan
from store.scanned import Reading
from tui.literal import literal
from tui.messages import ScanReceived
from tui.readings import reading_from_scan, typed_quantity
from tui.wedge import ScanInput
from tui.writer import WriterScreen


class JobScreen(WriterScreen[ScreenResultType]):
    """A screen that takes scans (a number typed and entered before a scan multiplies it), laid out small-first.

    A scan that could not be read goes to ``refused``; a readable one to
    ``scanned``, which usually hands it to the writer thread.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.multiplier: Decimal | None = None

    def on_mount(self) -> None:
        self._fit(self.size.width, self.size.height)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        """Small-first: ``-compact`` below 80x24 (details one key away), ``-narrow`` below 40 columns."""
        self.set_class(width < 80 or height < 24, "-compact")
        self.set_class(width < 40, "-narrow")

    def on_key(self, event: events.Key) -> None:
        """Typing while the lines have the focus goes to the scan entry: a wedge scan is never lost."""
        entry = self.query(ScanInput).first(None)  # type: ignore[arg-type]
        if entry is None or isinstance(self.focused, Input):
            return
        if event.is_printable or event.key == "ctrl+n":
            self.remove_class("-lines")
            entry.focus()
            if event.key == "ctrl+n":
                entry.action_scan_start()
            elif event.character is not None:
                entry.insert_text_at_cursor(event.character)
        elif event.key in ("ctrl+o", "tab", "enter") and entry.value:
            entry.action_scan_end()
        else:
            return
        event.stop()
        event.prevent_default()

    def on_scan_received(self, message: ScanReceived) -> None:
        """A scan typed by a keyboard-wedge scanner, or a quantity typed by hand for the next scan."""
        message.stop()
        if message.text is not None and (quantity := typed_quantity(message.text)) is not None:
            self.multiplier = quantity if quantity > 0 else None
            self.show_multiplier()
            if quantity <= 0:
                self.refused(f"{message.text.strip()}: quantities are more than 0; nothing recorded")
            return
        self.on_scan(message.scan)

    def on_scan(self, scan: Scan) -> None:
        """A scan from a serial scanner (the app hands it over) or the wedge."""
        if not scan.ok:
            self.refused(f"{scan.error}: {scan.raw_text}")
            return
        multiplier, self.multiplier = self.multiplier or scan.quantity, None
        self.scanned(reading_from_scan(scan), multiplier)

    def show_message(self, message: str, *, error: bool = False, style: str | None = None, bell: bool = True) -> None:
        """Say ``message``, literally, on the screen's message line (``#last``).

        An error is red and rings the bell, unless told ``bell=False`` (the app has rung for it).
        """
        last = self.query_one("#last", Static)
        last.update(literal(message, style=style or ("bold red" if error else "bold")))
        last.set_class(error, "-error")
        if error and bell:
            self.app.bell()

    def refused(self, message: str) -> None:
        """A refusal from the store, shown on the message line as it is worded."""
        self.show_message(message, error=True)

    def scanned(self, reading: Reading, multiplier: Decimal | None) -> None:
        """A readable scan, with the quantity typed before it (or the one it carries)."""
        raise NotImplementedError

    def show_multiplier(self) -> None:
        """Show the quantity typed for the next scan (``self.multiplier``)."""
        raise NotImplementedError
