"""Drawing labels as SVG and PNG: one label per file, or A4 sheets of 70 x 37 mm labels.

Both formats share one layout in dots of 300 dpi, so an SVG and a PNG of the
same label have the same bars. Every bar is a whole number of dots (at least
two per module), so the printed symbol keeps its proportions; a code too long
for the label width is refused rather than squeezed. Names are untrusted text:
escaped in SVG, truncated to the label width in both.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import barcode
from PIL import Image, ImageDraw, ImageFont

from store.errors import InvalidValue
from store.symbols import Symbol

DPI = 300
LABEL_MM = (70, 37)
LABEL = (826, 437)  # 70 x 37 mm in dots
PAGE_MM = (210, 297)
PAGE = (2480, 3508)  # A4 in dots
GRID = (3, 8)  # columns, rows: 24 labels a page
MARGIN = 20
NOMINAL_MODULE = 4  # dots: 0.34 mm, EAN-13 at its nominal size
MIN_MODULE = 2  # dots: 0.17 mm, the finest bar a label printer renders reliably
TITLE = (20, 40)  # top, font size
DETAIL = (68, 30)
BARS = (110, 250)  # top, height
CODE = (368, 36)
FONT_FILE = Path(barcode.__file__).parent / "fonts" / "DejaVuSansMono.ttf"
FONT_FAMILY = "DejaVu Sans Mono, monospace"


@dataclass(frozen=True)
class Label:
    """What one label shows: a title (a name), a detail line, the symbol and its human-readable code.

    ``subject`` names what the label is for (``product BEANS``), for refusals;
    ``key`` tells it from the others (``BEANS``, ``BEANS-15901234123454``), for file names.
    """

    title: str
    detail: str
    symbol: Symbol
    subject: str
    key: str

    @property
    def code(self) -> str:
        """The human-readable code printed under the bars."""
        return self.symbol.data


@dataclass(frozen=True)
class Line:
    """A line of text placed on a label: left x, top y, font size, text already fitted to the width."""

    x: int
    y: int
    size: int
    text: str
    centred: bool = False


@dataclass(frozen=True)
class Layout:
    """A label's drawing in dots from its top-left corner: dark rectangles and text lines."""

    bars: list[tuple[int, int, int, int]]  # x, y, width, height
    lines: list[Line]


def printable(text: str) -> str:
    """The text without characters no label can show (controls, format characters, unassigned code points)."""
    return "".join(
        ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
    )


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    """The label font (python-barcode's DejaVu Sans Mono) at a size in dots."""
    return ImageFont.truetype(str(FONT_FILE), size)


def fitted(text: str, size: int, width: int) -> str:
    """The text, cut with an ellipsis if it is wider than ``width`` dots at this font size."""
    text = printable(text)
    face = font(size)
    if face.getlength(text) <= width:
        return text
    while text and face.getlength(text + "…") > width:
        text = text[:-1]
    return text + "…"


def module_dots(symbol: Symbol, width: int, subject: str) -> int:
    """The module width in dots for the symbol to fit ``width`` dots; refuses a code that does not fit."""
    dots = min(NOMINAL_MODULE, width // symbol.width)
    if dots < MIN_MODULE:
        raise InvalidValue(
            f"{subject}: the {symbol.symbology} barcode of {symbol.data!r} is too long for a {LABEL_MM[0]} mm label"
        )
    return dots


def layout(label: Label) -> Layout:
    """Place the label's bars and text on a ``LABEL`` sized area."""
    inner = LABEL[0] - 2 * MARGIN
    module = module_dots(label.symbol, inner, label.subject)
    left = (LABEL[0] - label.symbol.width * module) // 2
    top, height = BARS
    bars = [(left + start * module, top, count * module, height) for start, count in label.symbol.bars()]
    if label.symbol.symbology == "ITF-14":  # bearer bars above and below stop short scans through the symbol
        bearer = 3 * module
        span = label.symbol.width * module
        bars += [(left, top - bearer, span, bearer), (left, top + height, span, bearer)]
    lines = [
        Line(MARGIN, TITLE[0], TITLE[1], fitted(label.title, TITLE[1], inner)),
        Line(MARGIN, DETAIL[0], DETAIL[1], fitted(label.detail, DETAIL[1], inner)),
        Line(LABEL[0] // 2, CODE[0], CODE[1], fitted(label.code, CODE[1], inner), centred=True),
    ]
    return Layout(bars, [line for line in lines if line.text])


def pages(drawings: Sequence[Layout], copies: int) -> Iterator[list[Layout]]:
    """The drawn labels, each ``copies`` times in a row, cut into pages of one sheet."""
    per_page = GRID[0] * GRID[1]
    run = [drawing for drawing in drawings for _ in range(copies)]
    for start in range(0, len(run), per_page):
        yield run[start : start + per_page]


def cell_origin(index: int) -> tuple[int, int]:
    """The top-left corner of the ``index``-th label of a sheet, row by row, the grid centred on the page."""
    left = (PAGE[0] - GRID[0] * LABEL[0]) // 2
    top = (PAGE[1] - GRID[1] * LABEL[1]) // 2
    row, column = divmod(index, GRID[0])
    return left + column * LABEL[0], top + row * LABEL[1]


def svg(placed: Sequence[tuple[tuple[int, int], Layout]], size: tuple[int, int], mm: tuple[int, int]) -> str:
    """An SVG document of ``size`` dots (``mm`` millimetres) with each layout drawn at its origin."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{mm[0]}mm" height="{mm[1]}mm" '
        f'viewBox="0 0 {size[0]} {size[1]}">\n',
        f'<rect x="0" y="0" width="{size[0]}" height="{size[1]}" fill="#ffffff"/>\n',
    ]
    for (ox, oy), drawing in placed:
        parts.append("<g>\n")
        for x, y, width, height in drawing.bars:
            parts.append(
                f'<rect x="{ox + x}" y="{oy + y}" width="{width}" height="{height}" fill="#000000"/>\n'
            )
        for line in drawing.lines:
            anchor = ' text-anchor="middle"' if line.centred else ""
            parts.append(
                f'<text x="{ox + line.x}" y="{oy + line.y + line.size}" font-family="{FONT_FAMILY}" '
                f'font-size="{line.size}"{anchor} fill="#000000">{escape(line.text)}</text>\n'
            )
        parts.append("</g>\n")
    parts.append("</svg>\n")
    return "".join(parts)


def png(placed: Sequence[tuple[tuple[int, int], Layout]], size: tuple[int, int], path: Path) -> None:
    """Write a greyscale PNG of ``size`` dots at 300 dpi with each layout drawn at its origin."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    for (ox, oy), drawing in placed:
        for x, y, width, height in drawing.bars:
            draw.rectangle((ox + x, oy + y, ox + x + width - 1, oy + y + height - 1), fill=0)
        for line in drawing.lines:
            anchor = "mt" if line.centred else "lt"
            draw.text((ox + line.x, oy + line.y), line.text, fill=0, font=font(line.size), anchor=anchor)
    image.save(path, dpi=(DPI, DPI))


def write_drawing(placed: Sequence[tuple[tuple[int, int], Layout]], page: bool, path: Path) -> Path:
    """Write one label (``page`` False) or one sheet as SVG or PNG, by the path's suffix."""
    size, mm = (PAGE, PAGE_MM) if page else (LABEL, LABEL_MM)
    try:
        if path.suffix == ".png":
            png(placed, size, path)
        else:
            path.write_text(svg(placed, size, mm), encoding="utf-8")
    except OSError as error:
        raise InvalidValue(f"cannot write {path}: {error.strerror}") from None
    return path
