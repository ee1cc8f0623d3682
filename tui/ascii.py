"""``--ascii``: nothing outside ASCII reaches the terminal, for VT220-class handhelds.

Every line Textual draws passes through :class:`AsciiFilter` (a line filter, the
hook Textual uses for ``NO_COLOR``), so borders, scrollbars, the footer, toasts,
inputs and any name from the database come out as ASCII whatever drew them.
Each character becomes as many ASCII characters as the cells it took, so the
layout does not move: box drawing becomes ``+-|``, blocks ``#``, the ellipsis
of a cut text ``~``, an accented letter its base letter, anything else ``?``.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from textual.binding import Binding
from textual.color import Color
from textual.filter import LineFilter

_SPECIAL = {
    "\u2026": "~",  # … where a text was cut
    "\u00a0": " ",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2022": "*", "\u00b7": ".", "\u25cf": "*", "\u25cb": "o", "\u25cc": "o", "\u25c9": "*",
    "\u2190": "<", "\u2192": ">", "\u2191": "^", "\u2193": "v",
    "\u25b2": "^", "\u25bc": "v", "\u25c0": "<", "\u25b6": ">", "\u25b8": ">", "\u25be": "v",
    "\u23ce": "<", "\u2713": "x", "\u2714": "x", "\u2717": "x", "\u2718": "x", "\u00d7": "x",
    "\u00b0": "o", "\u00bd": "h", "\u2402": " ",
}
"""Characters with an obvious ASCII stand-in of the same width (the rest are worked out below)."""

KEY_NAMES = {
    "up": "Up", "down": "Down", "left": "Left", "right": "Right", "enter": "Enter", "escape": "Esc",
    "backspace": "BkSp", "delete": "Del", "tab": "Tab", "space": "Space", "pageup": "PgUp",
    "pagedown": "PgDn", "home": "Home", "end": "End", "insert": "Ins",
}
"""Key names as the footer and F1 show them: plain words, where Textual would draw arrows and symbols."""


@lru_cache(4096)
def ascii_char(char: str) -> str:
    """``char`` as ASCII taking the same number of cells (one per cell; none for a zero-width mark)."""
    if char < "\x80":
        return char
    width = cell_len(char)
    if width == 0:
        return ""
    if char in _SPECIAL:
        return _SPECIAL[char]
    code = ord(char)
    if 0x2500 <= code <= 0x257F:  # box drawing
        name = unicodedata.name(char, "")
        if "HORIZONTAL" in name and "VERTICAL" not in name and "AND" not in name:
            return "-"
        if "VERTICAL" in name and "HORIZONTAL" not in name and "AND" not in name:
            return "|"
        if "DIAGONAL" in name:
            return "/" if "UPPER RIGHT TO LOWER LEFT" in name else "\\"
        return "+"
    if 0x2580 <= code <= 0x259F:  # blocks: scrollbars, tall and wide borders
        if code in (0x2581, 0x2582, 0x2583):
            return "_"
        if code == 0x2594 or code == 0x2580:
            return "-"
        if code in (0x258F, 0x258E, 0x258D, 0x258C, 0x2595, 0x2590, 0x258A, 0x258B):
            return "|"
        return "#"
    if 0x2400 <= code <= 0x2421:  # control pictures, as the scan input shows GS
        return "^"
    base = unicodedata.normalize("NFKD", char)[:1]
    if base and base < "\x80" and base.isprintable():
        return base * width
    return "?" * width


def to_ascii(text: str) -> str:
    """``text`` as ASCII of the same cell width."""
    if text.isascii():
        return text
    return "".join(ascii_char(char) for char in text)


class AsciiFilter(LineFilter):
    """A line filter turning every drawn character into ASCII of the same width."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        """The segments with their text as ASCII; styles and control segments unchanged."""
        return [
            segment if segment.control or segment.text.isascii() else Segment(to_ascii(segment.text), segment.style)
            for segment in segments
        ]


def ascii_key_display(binding: Binding) -> str:
    """How a key is shown in ASCII: ``F3``, ``Enter``, ``Esc``, ``^Q``, ``Up``."""
    if binding.key_display:
        return to_ascii(binding.key_display)
    *modifiers, key = binding.key.split("+")
    name = KEY_NAMES.get(key) or (key.upper() if key[:1] == "f" and key[1:].isdigit() else key)
    if "ctrl" in modifiers:
        modifiers.remove("ctrl")
        name = f"^{name.upper() if len(name) == 1 else name}"
    return to_ascii("+".join([*modifiers, name]))
