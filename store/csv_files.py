"""CSV files as Stockroom reads and writes them: UTF-8, a header row, cells safe for spreadsheets.

Reading decodes the whole input strictly (with or without a byte-order mark)
so that a bad byte is refused with its line before anything is imported.
Writing neutralises text a spreadsheet would run as a formula by prefixing a
``'``; reading takes that one ``'`` off again, so an export imports back as it was.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from store.errors import ImportRefused
from store.text import has_control

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def decode(data: bytes) -> str:
    """The text of a UTF-8 file (a leading BOM dropped); refuses invalid UTF-8 naming the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportRefused(line, None, f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8") from None


class CsvTable:
    """The rows of a decoded CSV file, checked against the columns a kind of import knows.

    ``index[name]`` is the position of a column in each row (absent optional
    columns are missing from it); iterating yields ``(line, cells)`` with
    ``line`` the file line on which the row ends, blank lines skipped.
    """

    def __init__(self, text: str, required: Sequence[str], optional: Sequence[str] = ()) -> None:
        self._reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = next(self._reader, None)
        except csv.Error as error:
            raise ImportRefused(1, None, f"not a readable CSV header ({error})") from None
        if header is None or not any(cell.strip() for cell in header):
            raise ImportRefused(1, None, f"the file is empty; expected a header with {', '.join(required)}")
        names = [cell.strip() for cell in header]
        known = (*required, *optional)
        for name in names:
            if name not in known:
                raise ImportRefused(1, name, f"unknown column; the columns are {', '.join(known)}")
            if names.count(name) > 1:
                raise ImportRefused(1, name, "column appears twice")
        missing = [name for name in required if name not in names]
        if missing:
            raise ImportRefused(1, missing[0], f"required column missing (required: {', '.join(required)})")
        self.columns = names
        self.index = {name: position for position, name in enumerate(names)}

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        reader, width = self._reader, len(self.columns)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise ImportRefused(reader.line_num, None, f"not readable as CSV ({error})") from None
            if not cells:
                continue
            if len(cells) != width:
                raise ImportRefused(
                    reader.line_num, None, f"{len(cells)} cells where the header has {width} columns"
                )
            yield reader.line_num, cells


def clean_text(value: str, line: int, column: str) -> str:
    """An imported text cell: stripped, a neutralising ``'`` removed, control characters refused."""
    value = value.strip()
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        value = value[1:]
    if not value.isprintable() and has_control(value):
        raise ImportRefused(line, column, f"{value!r} holds control characters")
    return value


def safe_cell(value: str) -> str:
    """A text cell a spreadsheet will show as text: formula starts get a ``'`` in front.

    A value that already starts with quotes before a formula start gets one
    more, so ``clean_text`` gives back exactly the original.
    """
    if value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value

