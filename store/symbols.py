"""Barcode symbols for labels: which symbology a code is printed in, and its bars (from python-barcode).

GTINs print as the retail symbols scanners expect: EAN-8, UPC-A (12 digits),
EAN-13 (ISBN and ISSN are EAN-13s starting 978/979 and 977) and, for a
14-digit GTIN, ITF-14 (or EAN-13 when its indicator digit is 0, which is the
same number). Everything else prints as Code 128. python-barcode's ISBN-10,
ISSN and EAN-14 classes are never used: they draw symbols scanners cannot
read. A GTIN whose check digit is wrong is refused, never silently replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

from barcode.codex import Code128
from barcode.ean import EuropeanArticleNumber8, EuropeanArticleNumber13
from barcode.errors import BarcodeError
from barcode.itf import ITF
from barcode.upc import UniversalProductCodeA

from store.catalog import GTIN_LENGTHS, check_barcode
from store.errors import InvalidValue

EAN13 = "EAN-13"
EAN8 = "EAN-8"
UPCA = "UPC-A"
ITF14 = "ITF-14"
CODE128 = "Code 128"

# quiet zone each side, in modules (ITF-14: ten narrow bars of two modules each)
QUIET_ZONES = {EAN13: (11, 7), EAN8: (7, 7), UPCA: (9, 9), ITF14: (20, 20), CODE128: (10, 10)}


@dataclass(frozen=True)
class Symbol:
    """One barcode: its symbology, the data a scanner reads and its bars (``"1"`` dark module, ``"0"`` light)."""

    symbology: str
    data: str
    modules: str

    @property
    def quiet(self) -> tuple[int, int]:
        """Light modules needed left and right of the bars."""
        return QUIET_ZONES[self.symbology]

    @property
    def width(self) -> int:
        """Modules the symbol takes, quiet zones included."""
        left, right = self.quiet
        return left + len(self.modules) + right

    def bars(self) -> list[tuple[int, int]]:
        """The dark bars as ``(first module, module count)``, counted from the left end of the quiet zone."""
        runs = []
        start = None
        for i, module in enumerate(self.modules + "0"):
            if module == "1" and start is None:
                start = i
            elif module != "1" and start is not None:
                runs.append((self.quiet[0] + start, i - start))
                start = None
        return runs


def is_gtin(code: str) -> bool:
    """True if the code is all digits of a GTIN length (8, 12, 13 or 14)."""
    return code.isascii() and code.isdigit() and len(code) in GTIN_LENGTHS


def gtin_symbol(code: str) -> Symbol:
    """The retail symbol of a GTIN; refuses one whose check digit is wrong, naming the expected digit."""
    code = check_barcode(code)
    if not is_gtin(code):
        raise InvalidValue(f"barcode {code} is not a GTIN (8, 12, 13 or 14 digits)")
    if len(code) == 8:
        symbol = EuropeanArticleNumber8(code, no_checksum=True)
        symbology, printed = EAN8, symbol.ean
    elif len(code) == 12:
        symbol = UniversalProductCodeA(code)
        symbology, printed = UPCA, symbol.upc
    elif len(code) == 13 or code.startswith("0"):
        data = code[-13:]
        symbol = EuropeanArticleNumber13(data, no_checksum=True)
        symbology, printed = EAN13, symbol.ean
        code = data
    else:
        symbol = ITF(code)
        symbology, printed = ITF14, symbol.code
    if printed != code:  # python-barcode would print another number than the one checked
        raise InvalidValue(f"barcode {code}: the {symbology} symbol would read {printed}")
    return Symbol(symbology, code, symbol.build()[0].replace("G", "1"))


def code128_symbol(code: str, what: str = "code") -> Symbol:
    """A Code 128 symbol of an internal code (printable ASCII only)."""
    wrong = sorted({ch for ch in code if not (" " <= ch <= "~")})
    if not code or wrong:
        shown = ", ".join(repr(ch) for ch in wrong) or "nothing"
        raise InvalidValue(f"{what} {code!r} cannot be a Code 128 barcode: it holds {shown}")
    try:
        modules = Code128(code).build()[0]
    except BarcodeError as error:
        raise InvalidValue(f"{what} {code!r} cannot be a Code 128 barcode: {error}") from None
    return Symbol(CODE128, code, modules)


def symbol_for(code: str, what: str = "barcode") -> Symbol:
    """A GTIN's retail symbol, or Code 128 for any other code."""
    return gtin_symbol(code) if is_gtin(code) else code128_symbol(code, what)
