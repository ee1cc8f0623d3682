"""Labels as ZPL II for Zebra label printers: one ``^XA...^XZ`` format per label, printed ``^PQ`` times.

The printer draws the barcodes itself (^BE EAN-13, ^B8 EAN-8, ^BU UPC-A,
^B2 ITF-14, ^BC Code 128) from data already checked by ``store.symbols``:
the retail symbols get their digits without the check digit, which the
printer computes and which is known to match. Every text field goes through
``^FH`` hex escaping, so a name holding ``^`` or ``~`` cannot start a command.
"""

from __future__ import annotations

from collections.abc import Sequence

from store.errors import InvalidValue
from store.label_drawing import Label, printable
from store.symbols import CODE128, EAN8, EAN13, ITF14, UPCA, Symbol

DOTS_PER_MM = 8  # 203 dpi, the common Zebra resolution
WIDTH = 70 * DOTS_PER_MM
LENGTH = 37 * DOTS_PER_MM
MARGIN = 16
BAR_HEIGHT = 150
MAX_MODULE = 3
MIN_MODULE = 2
TITLE_CHARS = 32
DETAIL_CHARS = 40
# symbology: field command, and what of the data the printer takes
COMMANDS = {
    EAN13: (f"^BEN,{BAR_HEIGHT},Y,N", slice(0, 12)),
    EAN8: (f"^B8N,{BAR_HEIGHT},Y,N", slice(0, 7)),
    UPCA: (f"^BUN,{BAR_HEIGHT},Y,N,Y", slice(0, 11)),
    ITF14: (f"^B2N,{BAR_HEIGHT},Y,N,N", slice(None)),
    CODE128: (f"^BCN,{BAR_HEIGHT},Y,N,N,N", slice(None)),
}


def field_data(text: str) -> str:
    """Text for a ``^FH_^FD`` field: printable ASCII kept, everything else (``^ ~ _`` too) as ``_XX`` UTF-8 bytes."""
    out = []
    for ch in printable(text):
        if " " <= ch <= "~" and ch not in "^~_":
            out.append(ch)
        else:
            out.append("".join(f"_{byte:02X}" for byte in ch.encode("utf-8")))
    return "".join(out)


def cut(text: str, chars: int) -> str:
    """The text cut to ``chars`` characters, ``...`` marking the cut."""
    return text if len(text) <= chars else text[: chars - 3] + "..."


def narrow_units(symbol: Symbol) -> tuple[int, int]:
    """The symbol's width in ``^BY`` modules: (bars alone, with quiet zones).

    ITF-14 is printed with a 3:1 wide-to-narrow ratio, so its modules are
    the printer's narrow bars: 18 per pair of digits, 9 for start and stop.
    """
    if symbol.symbology == ITF14:
        bars = 18 * len(symbol.data) // 2 + 9
        return bars, bars + 20
    return len(symbol.modules), symbol.width


def label_format(label: Label, copies: int) -> str:
    """One label as a ZPL format, ``copies`` prints of it."""
    symbol = label.symbol
    bars, width = narrow_units(symbol)
    module = min(MAX_MODULE, (WIDTH - 2 * MARGIN) // width)
    if module < MIN_MODULE:
        raise InvalidValue(
            f"{label.subject}: the {symbol.symbology} barcode of {symbol.data!r} is too long for a 70 mm label"
        )
    command, part = COMMANDS[symbol.symbology]
    data = symbol.data[part]
    if symbol.symbology == CODE128:  # subset B start; ">" is the invocation character, "><" prints one
        data = ">:" + data.replace(">", "><")
    left = (WIDTH - bars * module) // 2
    ratio = "3.0" if symbol.symbology == ITF14 else "2.5"
    lines = [
        "^XA",
        "^CI28",
        f"^PW{WIDTH}",
        f"^LL{LENGTH}",
        "^LH0,0",
        f"^FO{MARGIN},12^A0N,30,30^FH_^FD{field_data(cut(label.title, TITLE_CHARS))}^FS",
    ]
    if label.detail:
        lines.append(f"^FO{MARGIN},48^A0N,24,24^FH_^FD{field_data(cut(label.detail, DETAIL_CHARS))}^FS")
    if symbol.symbology == ITF14:  # bearer bars above and below, over the quiet zones too
        start, span, thick = left - 10 * module, width * module, 3 * module
        lines.append(f"^FO{start},{84 - thick}^GB{span},{thick},{thick}^FS")
        lines.append(f"^FO{start},{84 + BAR_HEIGHT}^GB{span},{thick},{thick}^FS")
    lines += [
        f"^BY{module},{ratio},{BAR_HEIGHT}",
        f"^FO{left},84{command}^FH_^FD{field_data(data)}^FS",
        f"^PQ{copies}",
        "^XZ",
    ]
    return "\n".join(lines) + "\n"


def zpl_document(labels: Sequence[Label], copies: int) -> bytes:
    """The ZPL for every label, ``copies`` prints of each, as ASCII bytes."""
    return "".join(label_format(label, copies) for label in labels).encode("ascii")
