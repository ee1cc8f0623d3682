"""How to talk to a serial scanner, and loading that from the ``[scanner]`` table of a TOML file."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from devices.decode import parse_config

PARITIES = ("N", "E", "O", "M", "S")


class SettingsError(ValueError):
    """A scanner setting that cannot be used; ``str()`` names the setting."""


@dataclass(frozen=True)
class ScannerSettings:
    """Line settings of one serial scanner.

    ``port`` is a device path, a stable ``/dev/serial/by-id/...`` name, a USB
    ``VID:PID`` such as ``0c2e:0b61``, or a pyserial URL (``loop://``,
    ``socket://host:port``). ``terminator`` None means CR, LF or CRLF.
    ``region`` selects the layout of in-store weight/price codes (biip RCN
    region such as ``"se"``), None leaves them uninterpreted.
    """

    port: str
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: float = 1
    terminator: bytes | None = None
    idle_timeout: float = 0.05
    region: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.port, str) or not self.port:
            raise SettingsError("port: a device path, by-id name, VID:PID or URL is required")
        if not isinstance(self.baudrate, int) or self.baudrate <= 0:
            raise SettingsError(f"baudrate: expected a positive whole number, got {self.baudrate!r}")
        if self.bytesize not in (5, 6, 7, 8):
            raise SettingsError(f"bytesize: expected 5, 6, 7 or 8, got {self.bytesize!r}")
        if self.parity not in PARITIES:
            raise SettingsError(f"parity: expected one of {', '.join(PARITIES)}, got {self.parity!r}")
        if self.stopbits not in (1, 1.5, 2):
            raise SettingsError(f"stopbits: expected 1, 1.5 or 2, got {self.stopbits!r}")
        if self.terminator is not None and (not isinstance(self.terminator, bytes) or not self.terminator):
            raise SettingsError("terminator: expected non-empty bytes, or none for CR/LF")
        if not isinstance(self.idle_timeout, int | float) or not 0 < self.idle_timeout <= 5:
            raise SettingsError(f"idle_timeout: expected seconds between 0 and 5, got {self.idle_timeout!r}")
        try:
            parse_config(self.region)
        except ValueError as error:
            raise SettingsError(f"region: {error}") from None


def load_settings(path: str | Path) -> ScannerSettings | None:
    """The ``[scanner]`` table of TOML file ``path``; None when the file or the table is absent.

    ``terminator`` is written as a TOML string (``"\\r"``, ``"\\u0003"``).
    Raises SettingsError for an unreadable file, an unknown key or a bad value.
    """
    path = Path(path)
    try:
        with path.open("rb") as file:
            document = tomllib.load(file)
    except FileNotFoundError:
        return None
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SettingsError(f"{path}: {error}") from None
    table = document.get("scanner")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise SettingsError(f"{path}: [scanner] must be a table")
    known = {field.name for field in fields(ScannerSettings)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise SettingsError(f"{path}: unknown scanner setting {unknown[0]!r} (known: {', '.join(sorted(known))})")
    if "port" not in table:
        raise SettingsError(f"{path}: [scanner] needs a port (device path, by-id name, VID:PID or URL)")
    values = dict(table)
    terminator = values.get("terminator")
    if terminator is not None:
        if not isinstance(terminator, str) or not terminator.isascii():
            raise SettingsError(f"{path}: terminator must be an ASCII string such as \"\\r\"")
        values["terminator"] = terminator.encode("ascii")
    if isinstance(values.get("parity"), str):
        values["parity"] = values["parity"].upper()
    try:
        return ScannerSettings(**values)
    except SettingsError as error:
        raise SettingsError(f"{path}: {error}") from None
