"""Turn what a scanner sent into a :class:`Scan`.

Interpretation of GTINs, GS1 element strings, SSCCs and in-store (RCN) codes
is biip's; this module picks which interpretation applies, gathers the fields
the stock room needs, and words errors for the person holding the scanner.
"""

from __future__ import annotations

import re
import time
from functools import lru_cache

from biip import ParseConfig, ParseError
from biip.checksums import gs1_standard_check_digit
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_element_strings import GS1ElementString
from biip.gs1_prefixes import GS1Prefix
from biip.gtin import Gtin
from biip.rcn import Rcn, RcnRegion
from biip.upc import Upc

from devices.framing import UNREADABLE
from devices.quantity import parse_quantity
from devices.scan import Scan, escape_text, product_scan

GS = "\x1d"
"""ASCII group separator: how scanners transmit FNC1 between GS1 fields."""

GS1_SYMBOLOGIES: frozenset[str] = frozenset({"]C1", "]d2", "]Q3", "]e0", "]e1", "]e2", "]J1"})
"""AIM identifiers whose data is a GS1 element string."""

GTIN_SYMBOLOGIES: frozenset[str] = frozenset({"]E0", "]E3", "]E4", "]I1"})
"""AIM identifiers whose data is a GTIN (EAN/UPC, EAN-8, ITF-14)."""

_AIM_PREFIX = re.compile(r"\][A-Za-z][0-9A-Za-z]")
_NUMERIC_GS1 = re.compile(r"00[0-9]{18}|0[12][0-9]{14}")
_HRI_ELEMENT = re.compile(r"\(([0-9]{2,4})\)([^(]*)")
_FIXED_PART = re.compile(r"[NX]([0-9]+)$")
_DATE_AIS = frozenset({"11", "12", "13", "15", "16", "17"})
_NET_WEIGHT_KG = re.compile(r"310[0-6]")
_AMOUNT_PAYABLE = re.compile(r"39[02][0-9]")


class _Refused(Exception):
    """Internal: the scan is an error; ``str()`` is the reason shown to the operator."""


def decode(
    data: bytes | str,
    *,
    symbology: str | None = None,
    region: str | None = None,
    received_at: float | None = None,
) -> Scan:
    """Decode one scan (one record, without its terminator). Never raises on scanned data.

    ``symbology`` is the AIM identifier when the transport reports it out of
    band; an identifier at the start of ``data`` wins. ``region`` is an ISO
    3166 code (``"se"``, ``"de"``, ``"gb"``...) selecting biip's layout of
    in-store weight/price codes; None leaves those codes uninterpreted.
    ``received_at`` defaults to ``time.monotonic()`` now.

    A trailing ``,quantity`` (batch-scanner style, ``"4006381333931,8,5"``) is
    split off into ``Scan.quantity`` unless the data is a GS1 element string.
    """
    received = time.monotonic() if received_at is None else received_at
    config = parse_config(region)  # refuses an unknown region, whatever the data
    if symbology is None:
        if type(data) is bytes:
            return decode_record(data, region, received)
        if type(data) is str and data.isascii():
            return decode_record(data.encode("ascii"), region, received)
    return _decode(data, symbology, config, received)


def decode_record(record: bytes, region: str | None, received_at: float) -> Scan:
    """``decode(record, region=region, received_at=received_at)`` for a record read from a port.

    The reader's entry: positional, and ``region`` is taken as valid (the
    reader checked it). A bare EAN/UPC, the commonest scan, is decoded here
    without biip; the Scan is the one the general path would give.
    """
    if len(record) in _GTIN_LENGTHS and record.isdigit() and (kind := _plain_gtin_kind(record)) is not None:
        return product_scan(record, kind, received_at, record.decode("ascii"))
    return _decode(record, None, parse_config(region), received_at)


_GTIN_LENGTHS = frozenset((8, 12, 13, 14))
_ISBN_ISSN_PREFIXES = {b"978": "isbn", b"979": "isbn", b"977": "issn"}
_DIGIT_VALUES = bytes.maketrans(b"0123456789", bytes(range(10)))


def _plain_gtin_kind(digits: bytes) -> str | None:
    """The Scan kind of a bare GTIN-12/13/14 (ASCII digits) that needs nothing from biip, else None.

    None when the check digit is wrong, for GTIN-8 and zero-padded short
    GTINs, and for in-store (RCN) prefixes: the general path decides those,
    and words the errors. Otherwise the result is what ``_gtin`` gives.
    """
    # Digit values 0-9 read as one number in base 256, each digit a "byte digit" of it. GS1 check
    # digit: with weights 1 (the check digit), 3, 1, 3... from the right, the digits sum to a
    # multiple of 10. The number gives their plain sum modulo 255 and their alternating sum, + for
    # weight 1 and - for weight 3, modulo 257 (256 = 1 and -1 there), both exactly (at most
    # 14 * 9 = 126 in all). Weighted sum = 2 * sum - alternating sum.
    length = len(digits)
    if length == 8:
        return None
    number = int.from_bytes(digits.translate(_DIGIT_VALUES))
    alternating = number % 257
    if (2 * (number % 255) - (alternating if alternating < 128 else alternating - 257)) % 10:
        return None
    if number < _NINE_DIGITS:  # 8 significant digits or fewer: leading zeros add nothing to the number
        return None
    head = number >> 80  # all but the last ten digits: the first four of the GTIN padded to 14, as a number
    kind = _KIND_BY_HEAD.get(head, _UNSEEN)
    if kind is _UNSEEN:
        kind = _KIND_BY_HEAD[head] = _kind_by_head(digits.rjust(14, b"0")[:4])
    return kind


_NINE_DIGITS = 256**8
"""The least of the numbers _plain_gtin_kind reads with more than eight significant digits."""
_UNSEEN = "unseen"
_KIND_BY_HEAD: dict[int, str | None] = {}
"""``_kind_by_head`` of the GTIN heads (see _plain_gtin_kind) met so far: at most 10,000."""


def _kind_by_head(head: bytes) -> str | None:
    """Kind of a GTIN with more than 8 significant digits from its first four, padded to 14
    (indicator digit and GS1 prefix); None for an in-store prefix, which needs biip."""
    if _restricted_circulation(head[1:4].decode("ascii")):
        return None
    if head[:1] == b"0" and head[1:2] != b"0":  # an EAN-13, possibly zero-padded
        return _ISBN_ISSN_PREFIXES.get(head[1:4], "gtin")
    return "gtin"


def _decode(data: bytes | str, symbology: str | None, config: ParseConfig, received: float) -> Scan:
    """decode() for any data: finds the AIM prefix and quantity, then interprets the rest."""
    if isinstance(data, str):
        raw = data.encode("utf-8", "backslashreplace")
        text = data
    else:
        raw = bytes(data)
        try:
            text = raw.decode("ascii")  # scanners send ASCII; anything else is a line-settings mismatch
        except UnicodeDecodeError:
            return Scan(raw=raw, kind="error", error=UNREADABLE, received_at=received)
    text = text.strip(" \t\r\n")
    match = _AIM_PREFIX.match(text)
    if match:
        symbology, text = match.group(), text[match.end():]
    quantity = None
    if "," in text and symbology not in GS1_SYMBOLOGIES and GS not in text and not text.startswith("("):
        head, tail = text.split(",", 1)
        if head and (amount := parse_quantity(tail)) is not None:
            text, quantity = head, amount
    try:
        fields = _interpret(text, symbology, config)
    except _Refused as refusal:
        return Scan(raw=raw, kind="error", error=str(refusal), symbology=symbology, received_at=received)
    return Scan(raw=raw, symbology=symbology, quantity=quantity, received_at=received, **fields)


@lru_cache(maxsize=16)
def parse_config(region: str | None) -> ParseConfig:
    """biip's configuration for a region; raises ValueError naming the known regions."""
    if region is not None:
        try:
            RcnRegion(region.lower())
        except ValueError:
            known = ", ".join(sorted(r.value for r in RcnRegion))
            raise ValueError(f"unknown in-store code region {region!r} (known: {known})") from None
        region = region.lower()
    return ParseConfig(rcn_region=region, separator_chars=(GS,))


def _interpret(text: str, symbology: str | None, config: ParseConfig) -> dict[str, object]:
    """The Scan fields (kind and data) for ``text``; raises _Refused with the reason."""
    if not text:
        raise _Refused("empty scan")
    if symbology in ("]d2", "]Q3") and text.startswith(("http://", "https://")):
        return _plain_code(text)
    if (
        symbology in GS1_SYMBOLOGIES
        or GS in text
        or text.startswith("(")
        or (symbology is None and _NUMERIC_GS1.match(text))
    ):
        return _gs1(text, config)
    if text.isascii() and text.isdigit():
        if symbology is not None and symbology not in GTIN_SYMBOLOGIES:
            return _plain_code(text)
        if symbology == "]E0" and len(text) in (6, 7, 8):
            return _upc_e(text, config)
        if len(text) in (8, 12, 13, 14):
            return _gtin(text, config)
        if len(text) == 18 and symbology is None:
            _verify_check_digit(text, "")
            return {"kind": "sscc", "sscc": text}
    if symbology in GTIN_SYMBOLOGIES:
        raise _Refused(f"not a valid EAN/UPC: '{escape_text(text)}'")
    return _plain_code(text)


def _plain_code(text: str) -> dict[str, object]:
    if not text.isprintable():
        raise _Refused(f"control characters in a code that is not GS1: '{escape_text(text)}'")
    return {"kind": "code", "code": text}


def _verify_check_digit(digits: str, where: str) -> None:
    expected = gs1_standard_check_digit(digits[:-1])
    if int(digits[-1]) != expected:
        raise _Refused(f"wrong check digit{where}: expected {expected}, got {digits[-1]}")


def _gtin(text: str, config: ParseConfig) -> dict[str, object]:
    _verify_check_digit(text, "")
    significant = text.lstrip("0")
    if len(text) > 8 and len(significant) > 8 and not _restricted_circulation(text.zfill(14)[1:4]):
        # The common case, kept cheap: the check digit is verified and the GS1 prefix is
        # not an in-store one, so biip's full parse would add nothing the Scan carries.
        return _gtin_fields(None, text)
    try:
        gtin = Gtin.parse(text, config=config)
    except ParseError as error:  # an RCN whose embedded price/weight check digit is wrong
        raise _Refused(f"wrong check digit in the price or weight of in-store code {text}") from error
    return _gtin_fields(gtin, text)


@lru_cache(maxsize=1000)
def _restricted_circulation(prefix: str) -> bool:
    """Whether GTIN-13 prefix digits (3) are biip's "Restricted Circulation Number" range (in-store codes)."""
    found = GS1Prefix.extract(prefix.ljust(12, "0"))
    return found is not None and "Restricted Circulation" in found.usage


def _gtin_fields(gtin: Gtin | None, printed: str) -> dict[str, object]:
    """Fields of a valid GTIN; ``gtin`` is biip's parse when one was needed."""
    if isinstance(gtin, Rcn):
        measured = gtin.weight is not None or gtin.price is not None or gtin.count is not None
        return {
            "kind": "in_store",
            "gtin": printed,
            "item_gtin": gtin.without_variable_measure().value if measured else None,
            "weight_kg": gtin.weight,
            "price": gtin.price,
            "count": gtin.count,
        }
    kind = "gtin"
    if len(printed) > 8 and len(printed.lstrip("0")) == 13:  # an EAN-13, possibly zero-padded
        kind = {"978": "isbn", "979": "isbn", "977": "issn"}.get(printed[-13:-10], "gtin")
    return {"kind": kind, "gtin": printed}


def _upc_e(text: str, config: ParseConfig) -> dict[str, object]:
    try:
        upc = Upc.parse(text, config=config)
    except ParseError as error:
        reason = str(error)
        found = re.search(r"Expected (\d+), got (\d+)", reason)
        if found and "check digit" in reason:
            raise _Refused(f"wrong check digit: expected {found[1]}, got {found[2]}") from error
        raise _Refused(f"not a valid UPC-E: {text}") from error
    upc_a = upc.as_upc_a()
    return _gtin_fields(Gtin.parse(upc_a, config=config), upc_a)


def _gs1(text: str, config: ParseConfig) -> dict[str, object]:
    elements = _hri_elements(text, config) if text.startswith("(") else _elements(text, config)
    by_ai: dict[str, GS1ElementString] = {}
    for element in elements:
        ai = element.ai.ai
        if element.gtin_error:
            _verify_check_digit(element.value, f" in ({ai})")
        if element.sscc_error:
            _verify_check_digit(element.value, f" in ({ai})")
        if ai in by_ai and by_ai[ai].value != element.value:
            raise _Refused(f"({ai}) appears twice with different values")
        by_ai[ai] = element
    fields: dict[str, object] = {"kind": "gs1"}
    gtin = by_ai.get("01") or by_ai.get("02")
    if gtin is not None:
        fields["gtin"] = gtin.value
    if "00" in by_ai:
        fields["sscc"] = by_ai["00"].value
        if gtin is None:
            fields["kind"] = "sscc"
    for ai, name in (("10", "lot"), ("21", "serial")):
        if ai in by_ai:
            fields[name] = by_ai[ai].value
    if "17" in by_ai:
        fields["expiry"] = by_ai["17"].date
    for ai in ("30", "37"):
        if ai in by_ai:
            fields["count"] = int(by_ai[ai].value)
    for ai, element in by_ai.items():
        if _NET_WEIGHT_KG.fullmatch(ai):
            fields["weight_kg"] = element.decimal
        elif _AMOUNT_PAYABLE.fullmatch(ai):
            fields["price"] = element.decimal
    return fields


def _elements(text: str, config: ParseConfig) -> list[GS1ElementString]:
    """Element strings of a GS-separated message, one at a time so errors can name the field."""
    elements = []
    rest = text.lstrip(GS)
    while rest:
        ai = _application_identifier(rest)
        data = rest[len(ai.ai):].split(GS, 1)[0]
        elements.append(_element(ai, data, rest, config))
        rest = rest[len(elements[-1]):].lstrip(GS)
    return elements


def _hri_elements(text: str, config: ParseConfig) -> list[GS1ElementString]:
    """Element strings of a human-readable ``(01)...(17)...`` message."""
    hri = "".join(text.split())
    elements = []
    position = 0
    while position < len(hri):
        match = _HRI_ELEMENT.match(hri, position)
        if match is None:
            raise _Refused(f"not a GS1 element string: '{escape_text(hri[position:])}'")
        number, data = match.groups()
        ai = _application_identifier(number)
        if ai.ai != number:
            raise _Refused(f"unknown application identifier ({number})")
        element = _element(ai, data, number + data, config)
        if len(element) != len(number) + len(data):
            raise _Refused(f"({number}) has {len(data)} characters, expected {len(element) - len(number)}")
        elements.append(element)
        position = match.end()
    return elements


def _application_identifier(text: str) -> GS1ApplicationIdentifier:
    try:
        return GS1ApplicationIdentifier.extract(text)
    except ParseError:
        raise _Refused(f"unknown application identifier at '{escape_text(text[:4])}'") from None


def _element(ai: GS1ApplicationIdentifier, data: str, text: str, config: ParseConfig) -> GS1ElementString:
    """biip's element string for ``text`` starting with ``ai``; ``data`` is the field up to any GS."""
    try:
        return GS1ElementString.extract(text, config=config)
    except ParseError:
        pass
    if ai.ai in _DATE_AIS and len(data) >= 6 and data[:6].isdigit():
        raise _Refused(f"impossible date in ({ai.ai}): {data[:6]}")
    fixed = _fixed_length(ai)
    if not data:
        raise _Refused(f"({ai.ai}) is empty")
    if fixed is not None and len(data) < fixed:
        raise _Refused(f"truncated field ({ai.ai}): {fixed} characters expected, got {len(data)}")
    raise _Refused(f"malformed field ({ai.ai}): '{escape_text(data)}' does not fit {ai.format}")


def _fixed_length(ai: GS1ApplicationIdentifier) -> int | None:
    """Length of the data of a fixed-length AI (``N2+N14`` -> 14), None when variable."""
    total = 0
    for part in ai.format.split("+")[1:]:
        match = _FIXED_PART.match(part)
        if match is None:
            return None
        total += int(match[1])
    return total
