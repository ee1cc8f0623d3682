"""Cutting a scanner's byte stream into records, one per scan. Pure: no I/O, no threads.

The caller feeds chunks as they are read, with the time they were read, and
asks :meth:`Framer.flush_if_idle` when no data came for a while (scanners
configured without a suffix end a scan only by going quiet).
"""

from __future__ import annotations

from dataclasses import dataclass

UNREADABLE = "unreadable data: wrong baud rate or parity?"
"""Reason given for bytes no scanner sends when the line settings match."""

MAX_RECORD = 4096
"""Longest record accepted, in bytes; a 2D code rarely carries more than 3,000."""

_NOISE = b"\x00\xff"
_ALLOWED = bytes(range(0x20, 0x7F)) + b"\x1d\x1e\x04"
_ALLOWED_OR_CRLF = _ALLOWED + b"\r\n"


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record that is not passed on as data: ``raw`` (possibly cut short) and why."""

    raw: bytes
    reason: str


Frame = bytes | Rejected
"""What a framer yields: the bytes of one scan, or a rejection."""


class Framer:
    """Splits a byte stream into records.

    Records end at CR, LF or CRLF (a CR ending one chunk and an LF starting
    the next are one terminator), or at ``terminator`` instead when given,
    or after ``idle_timeout`` seconds without data. NUL and 0xFF line noise is
    dropped; records with other bytes no scanner sends are rejected; records
    over ``max_record`` bytes are rejected whole, up to the next terminator.
    """

    def __init__(
        self,
        terminator: bytes | None = None,
        idle_timeout: float | None = 0.05,
        max_record: int = MAX_RECORD,
    ) -> None:
        if terminator is not None and not terminator:
            raise ValueError("terminator must be None (CR/LF) or non-empty bytes")
        self._terminator = terminator
        self._idle_timeout = idle_timeout
        self._max_record = max_record
        self._pending = b""
        self._last_data = 0.0
        self._overlong = 0  # bytes discarded so far from a record that is too long
        self._overlong_head = b""

    def feed(self, chunk: bytes, now: float) -> list[Frame]:
        """Add bytes read at time ``now``; return the records they complete.

        A pending record older than the idle gap ends before ``chunk`` starts.
        """
        chunk = chunk.translate(None, _NOISE)
        if not chunk:
            return []
        frames = self.flush_if_idle(now)
        self._last_data = now
        data = self._pending + chunk
        if self._terminator is None:
            parts = data.replace(b"\r", b"\n").split(b"\n")
        else:
            parts = data.split(self._terminator)
        self._pending = parts.pop()
        if not self._overlong and self._all_plain(data, parts):
            frames += filter(None, parts)  # empty parts: the middle of a CRLF, or a blank line
        else:
            for part in parts:
                self._end_record(part, frames)
        if len(self._pending) > self._max_record:
            self._start_discarding(self._pending)
            self._pending = b""
        return frames

    def flush_if_idle(self, now: float) -> list[Frame]:
        """End the pending record if no data came for ``idle_timeout`` seconds before ``now``."""
        if self._idle_timeout is None or not self.has_pending():
            return []
        if now - self._last_data < self._idle_timeout:
            return []
        frames: list[Frame] = []
        self._end_record(self._pending, frames)
        self._pending = b""
        return frames

    def abort(self, reason: str) -> list[Frame]:
        """Drop a partly received record (the line went away); return it as a rejection if any."""
        frames: list[Frame] = []
        if self._overlong:
            self._end_record(b"", frames)
        elif self._pending:
            frames.append(Rejected(self._pending, reason))
        self._pending = b""
        return frames

    def has_pending(self) -> bool:
        """True while part of a record has been received."""
        return bool(self._pending) or self._overlong > 0

    def idle_deadline(self) -> float | None:
        """When the pending record will end by idleness, or None if nothing is pending."""
        if self._idle_timeout is None or not self.has_pending():
            return None
        return self._last_data + self._idle_timeout

    def _all_plain(self, data: bytes, parts: list[bytes]) -> bool:
        """Whether every record of ``parts`` is short and readable, so it is its own frame.

        The usual chunk: checked with a few C-level passes over ``data`` (the
        pending part included, which only makes the check stricter) instead of
        one per record; when false, :meth:`_end_record` takes each part in turn.
        """
        if self._terminator is None:
            unreadable = data.translate(None, _ALLOWED_OR_CRLF)
        else:
            unreadable = data.replace(self._terminator, b"").translate(None, _ALLOWED)
        return not unreadable and max(map(len, parts), default=0) <= self._max_record

    def _start_discarding(self, data: bytes) -> None:
        if not self._overlong:
            self._overlong_head = data[:64]
        self._overlong += len(data)

    def _end_record(self, record: bytes, frames: list[Frame]) -> None:
        if self._overlong:
            size = self._overlong + len(record)
            frames.append(Rejected(self._overlong_head, f"scan too long ({size} bytes, limit {self._max_record}): discarded"))
            self._overlong = 0
            self._overlong_head = b""
        elif len(record) > self._max_record:
            frames.append(Rejected(record[:64], f"scan too long ({len(record)} bytes, limit {self._max_record}): discarded"))
        elif record.translate(None, _ALLOWED):
            frames.append(Rejected(record, UNREADABLE))
        elif record:
            frames.append(record)
