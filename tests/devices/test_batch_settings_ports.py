"""Batch dumps, scanner settings from TOML, and port resolution."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from serial.tools.list_ports_common import ListPortInfo

from devices import ports
from devices.batch import BatchRefused, parse_batch
from devices.ports import PortNotFound, resolve_port
from devices.settings import ScannerSettings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_batch_dump_with_quantities_and_decimal_comma():
    lines = parse_batch(["4006381333931,8,5\r\n", "\n", "A-01-03\n", "9780306406157,2\n", "4006381333931,0.25"])
    assert [(line.line, line.quantity) for line in lines] == [
        (1, Decimal("8.5")), (3, None), (4, Decimal(2)), (5, Decimal("0.25")),
    ]
    assert lines[0].scan.gtin == "4006381333931"
    assert lines[0].scan.quantity == Decimal("8.5")
    assert lines[1].scan.code == "A-01-03"


@pytest.mark.parametrize(
    ("lines", "line", "reason"),
    [
        (["4006381333931", "4006381333932,3"], 2, "wrong check digit: expected 1, got 2"),
        (["4006381333931", "", "4006381333931,abc"], 3, "quantity 'abc' is not a number"),
        (["4006381333931,-1"], 1, "quantity '-1' is not a number"),
    ],
)
def test_batch_dump_is_refused_whole_naming_the_line(lines, line, reason):
    with pytest.raises(BatchRefused) as refused:
        parse_batch(lines)
    assert (refused.value.line, refused.value.reason) == (line, reason)
    assert str(refused.value) == f"line {line}: {reason}"


def test_load_settings(tmp_path):
    path = tmp_path / "stockroom.toml"
    path.write_text('[scanner]\nport = "0c2e:0b61"\nbaudrate = 115200\nparity = "o"\nterminator = "\\r"\nregion = "se"\n')
    assert load_settings(path) == ScannerSettings(
        port="0c2e:0b61", baudrate=115200, parity="O", terminator=b"\r", region="se"
    )


def test_load_settings_absent_file_or_table(tmp_path):
    assert load_settings(tmp_path / "missing.toml") is None
    (tmp_path / "other.toml").write_text("[database]\nurl = 'x'\n")
    assert load_settings(tmp_path / "other.toml") is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('port = "/dev/ttyUSB0"\nbaud = 9600', "unknown scanner setting 'baud'"),
        ('port = "/dev/ttyUSB0"\nparity = "X"', "parity"),
        ('port = "/dev/ttyUSB0"\nregion = "zz"', "unknown in-store code region"),
        ("baudrate = 9600", "port"),
    ],
)
def test_bad_settings_are_refused_by_name(tmp_path, body, message):
    path = tmp_path / "stockroom.toml"
    path.write_text("[scanner]\n" + body + "\n")
    with pytest.raises(SettingsError, match=message):
        load_settings(path)


def test_resolve_port(tmp_path):
    assert resolve_port("loop://") == "loop://"
    assert resolve_port("socket://localhost:7777") == "socket://localhost:7777"
    target = tmp_path / "ttyFAKE"
    target.touch()
    by_id = tmp_path / "by-id"
    by_id.mkdir()
    os.symlink(target, by_id / "usb-Honeywell_Scanner-if00")
    assert resolve_port("usb-Honeywell_Scanner-if00", by_id) == str(target)
    assert resolve_port(str(by_id / "usb-Honeywell_Scanner-if00"), by_id) == str(target)
    with pytest.raises(PortNotFound):
        resolve_port(str(tmp_path / "absent"), by_id)
    with pytest.raises(PortNotFound, match="ffff:fffe"):
        resolve_port("FFFF:FFFE", by_id)


def test_cli_decode_json():
    result = subprocess.run(
        [sys.executable, "-m", "tui", "scanner", "decode", "--json",
         "]C10109506000134352\\x1d10AB12\\x1d17251231", "4006381333933", "A-01-03"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1  # one of the scans is an error
    gs1, bad, code = (json.loads(line) for line in result.stdout.splitlines())
    assert gs1 == {"raw": "]C10109506000134352\\x1d10AB12\\x1d17251231", "symbology": "]C1", "kind": "gs1",
                   "error": None, "gtin": "09506000134352", "lot": "AB12", "expiry": "2025-12-31"}
    assert (bad["kind"], bad["error"]) == ("error", "wrong check digit: expected 1, got 3")
    assert code == {"raw": "A-01-03", "symbology": None, "kind": "code", "error": None, "code": "A-01-03"}


def test_cli_decode_human_output_escapes_control_characters():
    result = subprocess.run(
        [sys.executable, "-m", "tui", "scanner", "decode", "\\x1b[2Jboom"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert "\x1b" not in result.stdout
    assert "\\x1b[2Jboom" in result.stdout


def _usb_port(device: str, vid: int, pid: int) -> ListPortInfo:
    """What pyserial reports for a USB serial device (no hardware here to enumerate)."""
    info = ListPortInfo(device, skip_link_detection=True)
    info.vid, info.pid, info.description, info.serial_number = vid, pid, "Honeywell 1900", "19123"
    return info


def test_port_by_usb_id_and_its_stable_names(tmp_path, monkeypatch):
    scanner, other = tmp_path / "ttyACM0", tmp_path / "ttyUSB0"
    scanner.touch()
    other.touch()
    by_id = tmp_path / "by-id"
    by_id.mkdir()
    os.symlink(scanner, by_id / "usb-Honeywell_Imaging_1900-if00")
    monkeypatch.setattr(ports._list_ports, "comports", lambda: [_usb_port(str(other), 0x0403, 0x6001),
                                                                _usb_port(str(scanner), 0x0C2E, 0x0B61)])
    assert resolve_port("0C2E:0B61", by_id) == str(scanner)
    listed = {port.path: port for port in ports.list_ports(by_id)}
    assert listed[str(scanner)].usb_id == "0c2e:0b61"
    assert listed[str(scanner)].links == (str(by_id / "usb-Honeywell_Imaging_1900-if00"),)
    assert listed[str(other)].links == ()
    with pytest.raises(PortNotFound, match="0c2e:0b62"):
        resolve_port("0c2e:0b62", by_id)
