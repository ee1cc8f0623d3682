"""A thread that reads one serial scanner, survives unplugging, and hands out decoded scans."""

from __future__ import annotations

import logging
import os
import select
import threading
import time
from collections.abc import Callable
from pathlib import Path

import serial

from devices.decode import decode_record, parse_config
from devices.framing import Frame, Framer, Rejected
from devices.ports import BY_ID, resolve_port
from devices.scan import Scan
from devices.settings import ScannerSettings

log = logging.getLogger(__name__)

CONNECTED = "connected"
DISCONNECTED = "disconnected"

ScanCallback = Callable[[Scan], None]
StatusCallback = Callable[[str, str], None]


class ScannerReader:
    """Reads a serial scanner on its own daemon thread.

    ``on_scan(scan)`` gets every scan, errors included; ``on_status(status,
    detail)`` gets ``"connected"`` (detail: the device opened) or
    ``"disconnected"`` (detail: why), each once per change. Both run on the
    reader thread and must be quick; their exceptions are logged, not raised.
    While the scanner is away the reader retries with a backoff doubling from
    ``min_backoff`` to ``max_backoff`` seconds, resolving ``settings.port``
    again each time so a stable name finds the device wherever it comes back.
    """

    def __init__(
        self,
        settings: ScannerSettings,
        on_scan: ScanCallback,
        on_status: StatusCallback | None = None,
        *,
        by_id: Path = BY_ID,
        min_backoff: float = 0.1,
        max_backoff: float = 2.0,
    ) -> None:
        parse_config(settings.region)  # refuse a bad region now, not on the first scan
        self.settings = settings
        self._on_scan = on_scan
        self._on_status = on_status
        self._by_id = by_id
        self._min_backoff = min_backoff
        self._max_backoff = max_backoff
        self._read_timeout = min(0.1, settings.idle_timeout / 2)
        self._closing = threading.Event()
        self._port: serial.SerialBase | None = None
        self._thread = threading.Thread(target=self._run, name=f"scanner {settings.port}", daemon=True)

    def start(self) -> None:
        """Start reading; returns at once."""
        self._thread.start()

    def close(self, timeout: float = 1.0) -> None:
        """Stop reading and wait (up to ``timeout`` seconds) for the thread to end."""
        self._closing.set()
        port = self._port
        if port is not None and hasattr(port, "cancel_read"):
            try:
                port.cancel_read()
            except Exception:  # the port may be closing under us; the read timeout ends it anyway
                log.debug("cancel_read failed", exc_info=True)
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        """True while the reader thread is alive."""
        return self._thread.is_alive()

    def _run(self) -> None:
        backoff = self._min_backoff
        connected: bool | None = None
        while not self._closing.is_set():
            try:
                port = self._open()
            except (OSError, ValueError, serial.SerialException) as error:
                if connected is not False:
                    self._status(DISCONNECTED, str(error))
                    connected = False
                if self._closing.wait(backoff):
                    break
                backoff = min(backoff * 2, self._max_backoff)
                continue
            backoff = self._min_backoff
            connected = True
            self._status(CONNECTED, port.portstr or self.settings.port)
            reason = self._pump(port)
            try:
                port.close()
            except Exception:  # closing a vanished device may fail; it is gone either way
                log.debug("closing the port failed", exc_info=True)
            self._port = None
            if reason is not None:
                self._status(DISCONNECTED, reason)
                connected = False

    def _open(self) -> serial.SerialBase:
        settings = self.settings
        target = resolve_port(settings.port, self._by_id)
        port = serial.serial_for_url(
            target,
            baudrate=settings.baudrate,
            bytesize=settings.bytesize,
            parity=settings.parity,
            stopbits=settings.stopbits,
            timeout=self._read_timeout,
        )
        self._port = port
        return port

    def _pump(self, port: serial.SerialBase) -> str | None:
        """Read until closed (returns None) or the port fails (returns why)."""
        framer = Framer(self.settings.terminator, self.settings.idle_timeout)
        fd = _fileno(port)
        while not self._closing.is_set():
            try:
                data = self._read(port, fd)
            except (OSError, serial.SerialException) as error:
                now = time.monotonic()
                self._deliver(framer.flush_if_idle(now), now)
                self._deliver(framer.abort("scan cut off: scanner disconnected"), now)
                return str(error) or type(error).__name__
            now = time.monotonic()
            if data:
                self._deliver(framer.feed(data, now), now)
            else:
                self._deliver(framer.flush_if_idle(now), now)
        return None

    def _read(self, port: serial.SerialBase, fd: int | None) -> bytes:
        """Whatever has arrived, waiting up to the read timeout for the first byte.

        A device port is read straight from its descriptor, one system call for
        everything buffered; URL ports (``loop://``, ``socket://``) go through pyserial.
        """
        if fd is None:
            data = port.read(max(1, port.in_waiting))
            if data and (more := port.in_waiting):
                data += port.read(more)
            return data
        ready, _, _ = select.select([fd], [], [], self._read_timeout)
        if not ready:
            return b""
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            return b""
        if not data:
            raise serial.SerialException("device reports data but returned none (unplugged?)")
        return data

    def _deliver(self, frames: list[Frame], now: float) -> None:
        on_scan, region = self._on_scan, self.settings.region  # looked up once: a chunk may hold hundreds
        for frame in frames:
            if type(frame) is Rejected:
                scan = Scan(raw=frame.raw, kind="error", error=frame.reason, received_at=now)
            else:
                try:
                    scan = decode_record(frame, region, now)
                except Exception:  # a decoder bug must not stop the scanner
                    log.exception("decoding %r failed", frame)
                    scan = Scan(raw=frame, kind="error", error="could not decode this scan", received_at=now)
            try:
                on_scan(scan)
            except Exception:
                log.exception("on_scan callback failed")

    def _status(self, status: str, detail: str) -> None:
        log.info("scanner %s: %s (%s)", self.settings.port, status, detail)
        if self._on_status is None:
            return
        try:
            self._on_status(status, detail)
        except Exception:
            log.exception("on_status callback failed")


def _fileno(port: serial.SerialBase) -> int | None:
    """The port's file descriptor, or None for ports that have none (most URL handlers)."""
    try:
        return port.fileno()
    except (AttributeError, OSError, serial.SerialException):
        return None
