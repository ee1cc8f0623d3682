"""Sending raw bytes (ZPL) to a label printer: over TCP (port 9100) or a serial port / pyserial URL.

An address is ``tcp://host:port``, ``host:port``, ``[ipv6]:port``, a serial
device path (``/dev/ttyUSB0``, ``COM3``) or any pyserial URL (``socket://``,
``rfc2217://``, ``loop://``). Every wait is bounded by a timeout, and a printer
that cannot be reached is a ``PrinterError`` with a message that says which.
"""

from __future__ import annotations

import re
import socket

import serial

DEFAULT_TIMEOUT = 10.0
DEFAULT_BAUD = 9600
_HOST_PORT = re.compile(r"(?:tcp://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(?P<port>\d{1,5})/?")


class PrinterError(OSError):
    """The printer could not be reached or did not take the data."""


def tcp_address(address: str) -> tuple[str, int] | None:
    """``(host, port)`` if the address names a TCP printer, else None (a serial port or pyserial URL)."""
    match = _HOST_PORT.fullmatch(address.strip())
    if match is None:
        if address.strip().startswith("tcp://"):
            raise PrinterError(f"printer address {address!r}: expected tcp://host:port")
        return None
    port = int(match["port"])
    if not 0 < port < 65536:
        raise PrinterError(f"printer address {address!r}: port {port} is out of range")
    return match["host"].strip("[]"), port


def send_to_printer(
    address: str, data: bytes, *, timeout: float = DEFAULT_TIMEOUT, baud: int = DEFAULT_BAUD
) -> None:
    """Send ``data`` to the printer at ``address``; returns once it is all written."""
    target = tcp_address(address)
    if target is not None:
        _send_tcp(target, data, timeout)
    else:
        _send_serial(address.strip(), data, timeout, baud)


def _send_tcp(target: tuple[str, int], data: bytes, timeout: float) -> None:
    host, port = target
    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        with socket.create_connection((host, port), timeout=timeout) as connection:
            connection.settimeout(timeout)
            connection.sendall(data)
            connection.shutdown(socket.SHUT_WR)
    except TimeoutError:
        raise PrinterError(f"printer {where} did not answer within {timeout:g} s") from None
    except OSError as error:
        raise PrinterError(f"printer {where} cannot be reached: {error.strerror or error}") from None


def _send_serial(port: str, data: bytes, timeout: float, baud: int) -> None:
    try:
        connection = serial.serial_for_url(port, baudrate=baud, timeout=timeout, write_timeout=timeout)
    except (serial.SerialException, ValueError) as error:
        raise PrinterError(f"printer {port} cannot be opened: {error}") from None
    try:
        written = connection.write(data)
        connection.flush()
    except serial.SerialTimeoutException:
        raise PrinterError(f"printer {port} took no data within {timeout:g} s") from None
    except (serial.SerialException, OSError) as error:
        raise PrinterError(f"printer {port}: {error}") from None
    finally:
        connection.close()
    if written is not None and written != len(data):
        raise PrinterError(f"printer {port} took {written} of {len(data)} bytes")
