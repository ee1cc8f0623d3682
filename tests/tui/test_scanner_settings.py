"""``stockroom --scanner PORT --baud N`` and the config file's ``[scanner]`` table: which settings the app gets."""

from __future__ import annotations

import pytest

from devices.settings import ScannerSettings
from store.errors import InvalidValue
from tui.cli import build_parser
from tui.run import scanner_settings


@pytest.fixture
def config(tmp_path, monkeypatch):
    """Point STOCKROOM_CONFIG at a file in tmp_path; returns its path (not yet written)."""
    path = tmp_path / "stockroom.toml"
    monkeypatch.setenv("STOCKROOM_CONFIG", str(path))
    return path


def settings_for(*argv: str) -> ScannerSettings | None:
    return scanner_settings(build_parser().parse_args(list(argv)))


def test_no_scanner_anywhere(config):
    assert settings_for() is None


def test_command_line_only(config):
    assert settings_for("--scanner", "/dev/ttyACM0", "--baud", "115200") == ScannerSettings(
        port="/dev/ttyACM0", baudrate=115200
    )


def test_config_file_only(config):
    config.write_text('[scanner]\nport = "0c2e:0b61"\nbaudrate = 9600\nparity = "O"\nbytesize = 7\nstopbits = 2\n'
                      'terminator = "\\r"\n')
    assert settings_for() == ScannerSettings(port="0c2e:0b61", parity="O", bytesize=7, stopbits=2, terminator=b"\r")


def test_command_line_port_and_baud_override_the_file_and_keep_its_other_settings(config):
    config.write_text('[scanner]\nport = "0c2e:0b61"\nbaudrate = 9600\nparity = "E"\nregion = "se"\n')
    assert settings_for("--scanner", "/dev/ttyUSB1", "--baud", "38400") == ScannerSettings(
        port="/dev/ttyUSB1", baudrate=38400, parity="E", region="se"
    )
    assert settings_for("--baud", "115200") == ScannerSettings(port="0c2e:0b61", baudrate=115200, parity="E",
                                                                region="se")


def test_bad_settings_are_a_refusal_naming_them(config):
    config.write_text('[scanner]\nport = "/dev/ttyUSB0"\nparity = "X"\n')
    with pytest.raises(InvalidValue, match="scanner settings: .*parity"):
        settings_for()
    config.unlink()
    with pytest.raises(InvalidValue, match="baudrate"):
        settings_for("--scanner", "/dev/ttyUSB0", "--baud", "-5")
