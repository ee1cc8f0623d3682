"""Batch-mode dumps: scanners that store scans and send them later as ``barcode[,quantity]`` lines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from devices.decode import decode
from devices.quantity import parse_quantity
from devices.scan import Scan, escape_text


class BatchRefused(ValueError):
    """A dump was refused as a whole because of one line; ``line`` is 1-based."""

    def __init__(self, line: int, reason: str) -> None:
        self.line = line
        self.reason = reason
        super().__init__(f"line {line}: {reason}")


@dataclass(frozen=True)
class BatchLine:
    """One line of a dump: where it was, the scan, and the quantity if one was given."""

    line: int
    scan: Scan
    quantity: Decimal | None


def parse_batch(lines: Iterable[str | bytes], *, region: str | None = None) -> list[BatchLine]:
    """Every scan of a dump, all or nothing. Blank lines are skipped.

    A line is ``barcode`` or ``barcode,quantity``; the line is split at its
    first comma, so in ``4006381333931,8,5`` the quantity is 8.5 (decimal
    comma). Raises BatchRefused naming the first bad line.
    """
    result = []
    for number, line in enumerate(lines, start=1):
        text = line.decode("utf-8", "replace") if isinstance(line, bytes) else line
        text = text.strip("\r\n")
        if not text.strip():
            continue
        barcode, comma, tail = text.partition(",")
        quantity = None
        if comma:
            quantity = parse_quantity(tail)
            if quantity is None:
                raise BatchRefused(number, f"quantity '{escape_text(tail)}' is not a number")
        scan = decode(barcode, region=region)
        if not scan.ok:
            raise BatchRefused(number, scan.error or "unreadable")
        if quantity is not None:
            scan = replace(scan, quantity=quantity, raw=text.encode("utf-8", "backslashreplace"))
        result.append(BatchLine(line=number, scan=scan, quantity=quantity))
    return result

