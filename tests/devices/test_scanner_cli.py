"""``stockroom scanner test`` and ``list``, run as a user would, against a pty standing in for the scanner."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import termios
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest

from devices.settings import ScannerSettings
from tests.devices.conftest import WAIT, FakeScanner
from tui.cli import build_parser
from tui.commands.scanner import line_settings

ROOT = Path(__file__).resolve().parents[2]


AT_A_TERMINAL = (
    "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "runpy.run_module('tui', run_name='__main__', alter_sys=True)"
)
"""``python -m tui`` with Ctrl-C raising KeyboardInterrupt, as at a terminal: a shell that runs this suite in the
background hands its children SIGINT ignored, and Python then installs no handler of its own."""


class Command:
    """A running ``stockroom`` command whose stdout and stderr lines arrive in queues."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", AT_A_TERMINAL, *args], cwd=ROOT, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self.stdout: queue.Queue[str] = queue.Queue()
        self.stderr: queue.Queue[str] = queue.Queue()
        for stream, lines in ((self.process.stdout, self.stdout), (self.process.stderr, self.stderr)):
            threading.Thread(target=_pump, args=(stream, lines), daemon=True).start()

    def interrupt(self) -> int:
        """Ctrl-C, as the user stops the command; returns the exit status."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=WAIT)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _pump(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))


@pytest.fixture
def command() -> Iterator[Callable[..., Command]]:
    started: list[Command] = []

    def start(*args: str) -> Command:
        started.append(Command(*args))
        return started[-1]

    yield start
    for running in started:
        running.kill()


def test_scanner_test_json_prints_one_object_per_scan(scanner: FakeScanner, command):
    watching = command("scanner", "test", str(scanner.path), "--baud", "115200", "--json")
    assert watching.stderr.get(timeout=WAIT * 6).startswith("connected: ")  # the CLI imports first
    scanner.send(b"]C10109506000134352\x1d10AB12\x1d17251231\r\n4006381333933\r\n\x1b[2J\r\n")
    gs1, bad, escape = (json.loads(watching.stdout.get(timeout=WAIT)) for _ in range(3))
    assert gs1 == {"raw": "]C10109506000134352\\x1d10AB12\\x1d17251231", "symbology": "]C1", "kind": "gs1",
                   "error": None, "gtin": "09506000134352", "lot": "AB12", "expiry": "2025-12-31"}
    assert (bad["kind"], bad["error"]) == ("error", "wrong check digit: expected 1, got 3")
    assert (escape["raw"], escape["kind"]) == ("\\x1b[2J", "error")  # ESC is not a byte scanners send
    scanner.unplug()
    assert watching.stderr.get(timeout=WAIT).startswith("disconnected: ")
    assert watching.interrupt() == 0
    assert watching.stdout.empty()


def test_scanner_test_prints_scans_and_status_for_people(scanner: FakeScanner, command):
    watching = command("scanner", "test", str(scanner.path))
    assert watching.stdout.get(timeout=WAIT * 6).startswith("connected: ")
    scanner.send(b"4006381333931,2\r\n")
    assert watching.stdout.get(timeout=WAIT) == "gtin  4006381333931,2  gtin=4006381333931  quantity=2"
    assert watching.interrupt() == 0


def test_scanner_test_opens_the_port_with_the_line_settings_given(scanner: FakeScanner, command):
    watching = command("scanner", "test", str(scanner.path), "--baud", "19200", "--stop-bits", "2")
    assert watching.stdout.get(timeout=WAIT * 6).startswith("connected: ")
    _, _, cflag, _, _, speed, _ = termios.tcgetattr(scanner.slave)  # a pty keeps speed and stop bits only
    assert (speed, cflag & termios.CSTOPB) == (termios.B19200, termios.CSTOPB)
    assert watching.interrupt() == 0


def test_scanner_test_takes_every_line_setting():
    args = build_parser().parse_args(["scanner", "test", "0c2e:0b61", "--baud", "115200", "--data-bits", "7",
                                      "--parity", "O", "--stop-bits", "2", "--region", "se"])
    assert line_settings(args) == ScannerSettings(
        port="0c2e:0b61", baudrate=115200, bytesize=7, parity="O", stopbits=2, region="se"
    )
    defaults = line_settings(build_parser().parse_args(["scanner", "test", "/dev/ttyACM0"]))
    assert defaults == ScannerSettings(port="/dev/ttyACM0")  # 9600 8N1, CR/LF


def test_scanner_test_refuses_bad_settings(command):
    refused = command("scanner", "test", "/dev/ttyUSB0", "--baud", "0")
    assert refused.process.wait(timeout=WAIT * 6) == 2
    assert "baudrate" in refused.stderr.get(timeout=WAIT)


def test_scanner_list_runs_without_serial_hardware(command):
    listing = command("scanner", "list")
    assert listing.process.wait(timeout=WAIT * 6) == 0
    first = listing.stdout.get(timeout=WAIT)
    assert first == "no serial ports found" or first.startswith("/dev/")
