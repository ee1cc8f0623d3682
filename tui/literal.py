"""Untrusted text (names, codes, scanned data) shown exactly as it is.

Rich would read ``[red]x[/]`` in a string as markup and a terminal would obey
an ESC in it; ``literal`` gives a ``Text`` that is never parsed as markup and
shows control characters as visible escapes.
"""

from __future__ import annotations

import unicodedata

from rich.text import Text

from store.text import CONTROL_CATEGORIES


def _visible(char: str) -> str:
    """A control or format character as a visible escape, anything else unchanged."""
    if unicodedata.category(char) not in CONTROL_CATEGORIES:
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """The text with control characters (ESC, BEL, bidi marks ...) replaced by ``\\x1b``-style escapes."""
    return "".join(_visible(char) for char in text)


def literal(text: object, style: str = "", **options: object) -> Text:
    """A Rich ``Text`` that shows ``text`` literally: no markup, no control characters.

    ``options`` go to ``Text`` (``justify``, ``no_wrap``...).
    """
    return Text(escape_controls(str(text)), style=style, **options)
