"""Keyboard-wedge scanners: a scanner that types into the terminal, one scan per burst."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.widgets import Input

from devices.decode import decode
from devices.scan import Scan
from tui.messages import ScanReceived

GS = "\x1d"
_VISIBLE = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
"""Control characters shown as their Unicode control pictures (GS as ␝), one cell each."""


def scan_text(scan: Scan) -> Text:
    """A scan for display: kind, escaped raw data, and the error if any. Never interpreted as markup."""
    text = Text(scan.kind, style="bold red" if scan.error else "bold")
    text.append(" ")
    text.append(scan.raw_text)
    if scan.error:
        text.append("  ")
        text.append(scan.error)
    return text


class ScanInput(Input):
    """An Input that turns a wedge scanner's burst of keys into one :class:`ScanReceived`.

    Enter, Tab and Ctrl-O (SI, 0x0F) end a scan; Ctrl-N (SO, 0x0E) starts one,
    dropping anything typed before, so a client that brackets scans with SO ... SI
    needs no terminator. The GS separator (Ctrl-]) is kept in the value and
    shown as ``␝``. Tab does not move focus. The message carries the decoded
    scan and the submitted text; the input then clears itself.

    These keys are handled as they arrive, in order with the characters around
    them, not as bindings: a binding runs only after the key has bubbled up to
    the app, by which time the next scan's first characters of a fast burst have
    already been typed into the value and would be taken into this scan.
    """

    SCAN_KEYS: ClassVar[dict[str, str]] = {
        "enter": "scan_end",
        "tab": "scan_end",
        "ctrl+o": "scan_end",
        "ctrl+n": "scan_start",
        "ctrl+right_square_bracket": "insert_gs",
    }

    def __init__(self, *args: object, region: str | None = None, **kwargs: object) -> None:
        kwargs.setdefault("select_on_focus", False)  # focus coming back mid-scan must not let the next key replace it
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.scan_region = region

    @property
    def _value(self) -> Text:
        """The value as shown: control characters as visible one-cell pictures, never markup."""
        return Text(self.value.translate(_VISIBLE), no_wrap=True, overflow="ignore", end="")

    def _on_key(self, event: events.Key) -> None:
        action = self.SCAN_KEYS.get(event.key)
        if action is None:
            return  # Input types it
        event.stop()
        event.prevent_default()
        getattr(self, f"action_{action}")()

    def action_insert_gs(self) -> None:
        """Keep the GS separator that Input would drop."""
        self.insert_text_at_cursor(GS)

    def action_scan_start(self) -> None:
        """A bracketed scan starts: what was typed before is not part of it."""
        self.clear()

    def action_scan_end(self) -> None:
        """Decode the value as one scan, post it, and clear."""
        text = self.value
        self.clear()
        if not text:
            return
        scan = decode(text, region=self.scan_region)
        self.post_message(ScanReceived(scan, "wedge", text))
