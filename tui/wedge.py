"""Keyboard-wedge scanners: a scanner that types into the terminal, one scan per burst."""

from __future__ import annotations

from dataclasses import dataclass
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
    scan (in-store codes read in the app's ``scan_region``) and the submitted
    text; the input then clears itself.

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

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("select_on_focus", False)  # focus coming back mid-scan must not let the next key replace it
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

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
        scan = decode(text, region=getattr(self.app, "scan_region", None))  # StockroomApp's; none in a bare app
        self.post_message(ScanReceived(scan, "wedge", text))


@dataclass(frozen=True)
class BurstEnd:
    """What a burst of keys was: a person's key (its name) or a scan (its text); neither while it is held."""

    key: str | None = None
    scan: str | None = None


HELD = BurstEnd()
"""The burst goes on: nothing to act on yet."""


class KeyBurst:
    """Tells a wedge scanner's keys from a person's on a screen whose single keys are commands (home).

    A scanner types a whole scan faster than a person presses two keys, so
    keys less than ``GAP`` seconds apart are one burst. Enter, Tab or Ctrl-O
    (SI) end it; Ctrl-N (SO) starts a bracketed scan that only SI ends. A
    burst of two or more keys is a scan, whether a terminator ends it or it
    goes quiet for ``GAP`` (a scanner that sends no suffix); a single key is
    a person's (no barcode is one character), its terminator swallowed.
    The screen feeds each key to :meth:`key` and calls :meth:`quiet` ``GAP``
    seconds after the last one taken. Odoo's barcode service tells scans
    from typing the same way.
    """

    GAP = 0.1

    def __init__(self) -> None:
        self._text = ""
        self._first_key = ""
        self._bracketed = False

    def __bool__(self) -> bool:
        """True while keys are held: a burst has started and is not yet a scan or a key."""
        return bool(self._text) or self._bracketed

    def key(self, key: str, character: str | None) -> BurstEnd | None:
        """Take one key (``character`` None unless printable): None if it is not the burst's, else what it ends."""
        if key in ("enter", "tab", "ctrl+o"):
            if not self:
                return None  # nothing held: the key is the screen's (Enter opens the highlighted job)
            return self._end()
        if key == "ctrl+n":
            self._text, self._bracketed = "", True
        elif key == "ctrl+right_square_bracket":
            self._text += GS
        elif character is not None:
            if not self._text:
                self._first_key = key
            self._text += character
        else:
            return None
        return HELD

    def quiet(self) -> BurstEnd:
        """The burst went quiet for ``GAP``: what it was (held on while a bracketed scan waits for its SI)."""
        if self._bracketed or not self._text:
            return HELD
        return self._end()

    def _end(self) -> BurstEnd:
        text, bracketed = self._text, self._bracketed
        self._text, self._bracketed = "", False
        if len(text) == 1 and not bracketed:
            return BurstEnd(key=self._first_key)
        return BurstEnd(scan=text) if text else HELD
