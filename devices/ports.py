"""Finding serial ports, and turning a port spec (path, by-id name, VID:PID, URL) into what to open."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from serial.tools import list_ports as _list_ports

BY_ID = Path("/dev/serial/by-id")
"""Where udev keeps stable names for USB serial devices."""

_USB_ID = re.compile(r"[0-9a-fA-F]{4}:[0-9a-fA-F]{4}")


class PortNotFound(OSError):
    """No device answers to the port spec right now (unplugged, or a typo)."""


@dataclass(frozen=True)
class PortInfo:
    """One serial port: its path, what it says it is, and its stable names."""

    path: str
    description: str
    usb_id: str | None
    serial_number: str | None
    manufacturer: str | None
    links: tuple[str, ...]


def list_ports(by_id: Path = BY_ID) -> list[PortInfo]:
    """Serial ports present now, sorted by path, with their ``by_id`` links."""
    links: dict[str, list[str]] = {}
    if by_id.is_dir():
        for link in sorted(by_id.iterdir()):
            links.setdefault(os.path.realpath(link), []).append(str(link))
    ports = []
    for port in _list_ports.comports():
        usb_id = f"{port.vid:04x}:{port.pid:04x}" if port.vid is not None and port.pid is not None else None
        ports.append(
            PortInfo(
                path=port.device,
                description=port.description if port.description != "n/a" else "",
                usb_id=usb_id,
                serial_number=port.serial_number,
                manufacturer=port.manufacturer,
                links=tuple(links.get(os.path.realpath(port.device), ())),
            )
        )
    return sorted(ports, key=lambda info: info.path)


def is_url(spec: str) -> bool:
    """True for a pyserial URL such as ``loop://`` or ``socket://host:port``."""
    return "://" in spec


def resolve_port(spec: str, by_id: Path = BY_ID) -> str:
    """What to open for ``spec``, looked up now (call again after an unplug).

    A URL is returned unchanged; ``VID:PID`` becomes the path of the first
    matching USB device; a bare by-id name is looked up under ``by_id``; a
    path (symlinks followed) must exist. Raises PortNotFound otherwise.
    """
    if is_url(spec):
        return spec
    if _USB_ID.fullmatch(spec):
        wanted = spec.lower()
        for port in list_ports(by_id):
            if port.usb_id == wanted:
                return port.path
        raise PortNotFound(f"no USB serial device {wanted} is plugged in")
    path = Path(spec)
    if not path.is_absolute() and not path.exists() and (by_id / spec).exists():
        path = by_id / spec
    if not path.exists():
        raise PortNotFound(f"{spec}: no such serial port")
    return os.path.realpath(path)
