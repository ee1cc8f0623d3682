"""Keyboard-wedge scanners: a scanner that types into the terminal, one scan per burst."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
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

    Enter, Tab and Ctrl-O (0x0F) end a scan; Ctrl-N (0x0E) starts one, dropping
    anything typed before. The GS separator (Ctrl-]) is kept in the value and
    shown as ``␝``. Tab does not move focus. The message carries the decoded
    scan and the submitted text; the input then clears itself.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "scan_end", "Scan", show=False),
        Binding("tab", "scan_end", "Scan", show=False),
        Binding("ctrl+o", "scan_end", "End of scan", show=False),
        Binding("ctrl+n", "scan_start", "Start of scan", show=False),
        Binding("ctrl+right_square_bracket", "insert_gs", "Group separator", show=False),
    ]

    def __init__(self, *args: object, region: str | None = None, **kwargs: object) -> None:
        kwargs.setdefault("select_on_focus", False)  # focus coming back mid-scan must not let the next key replace it
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.scan_region = region

    @property
    def _value(self) -> Text:
        """The value as shown: control characters as visible one-cell pictures, never markup."""
        return Text(self.value.translate(_VISIBLE), no_wrap=True, overflow="ignore", end="")

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
