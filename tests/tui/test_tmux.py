"""The real thing on a VT220-sized terminal: the app in tmux at 20x16 with TERM=vt220 and --ascii.

tmux plays the handheld's terminal emulator: keys go in with send-keys (F2 as the escape sequence a
terminal sends, a bracketed scan as raw 0x0E ... 0x0F bytes) and the screen comes back with capture-pane.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import sqlite_only

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [sqlite_only, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]


class Tmux:
    """One tmux server of our own (its own socket), one window of a fixed size."""

    def __init__(self, width: int, height: int) -> None:
        self.socket = f"stockroom-test-{uuid.uuid4().hex[:8]}"
        self.size = (width, height)

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], check=True, capture_output=True, text=True).stdout

    def start(self, command: list[str], env: dict[str, str]) -> None:
        width, height = self.size
        exports = " ".join(f"{name}={value}" for name, value in env.items())
        line = f"env {exports} {subprocess.list2cmdline(command)}; sleep 30"  # the pane stays to show a crash
        self.run("-f", "/dev/null", "new-session", "-d", "-s", "rf", "-x", str(width), "-y", str(height),
                 "-c", str(ROOT), line)
        self.run("set-option", "-t", "rf", "status", "off")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "rf", *keys)

    def text(self, *characters: str) -> None:
        self.run("send-keys", "-t", "rf", "-l", "".join(characters))

    def raw(self, data: bytes) -> None:
        self.run("send-keys", "-t", "rf", "-H", *(f"{byte:02x}" for byte in data))

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "rf")

    def wait_for(self, *texts: str, timeout: float = 40) -> str:
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if all(text in shown for text in texts):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"waited for {texts}; the terminal shows:\n{shown}")
            time.sleep(0.2)

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def tmux():
    terminal = Tmux(20, 16)
    yield terminal
    terminal.kill()


@pytest.fixture
def demo(tmp_path) -> tuple[str, str, str, str]:
    """A demo stock room made by another process (this one keeps no connection to it): its URL, a bin, and the
    code and barcode of a product counted in pieces."""
    path = tmp_path / "demo.db"
    url = f"sqlite:///{path}"
    subprocess.run([sys.executable, "-c", f"from tui.commands.common import prepare_demo; prepare_demo({url!r})"],
                   cwd=ROOT, check=True, capture_output=True)
    with closing(sqlite3.connect(path)) as db:
        (location,) = db.execute("SELECT code FROM location WHERE barcode LIKE 'LOC-%' ORDER BY code").fetchone()
        product, barcode = db.execute(
            "SELECT product.code, barcode.code FROM barcode JOIN product ON product.id = barcode.product_id"
            " JOIN uom ON uom.id = product.uom_id WHERE uom.code = 'pc'"
            " AND barcode.quantity = (SELECT MIN(quantity) FROM barcode) ORDER BY barcode.id").fetchone()
    return url, location, product, barcode


def test_count_on_a_vt220_at_20x16_in_ascii(tmux, demo):
    url, location, product, barcode = demo
    env = {"TERM": "vt220", "PYTHONPATH": str(ROOT), "STOCKROOM_TERMINAL": "rf-tmux", "ESCDELAY": "300",
           "COLUMNS": "80", "LINES": "24"}  # as a login script may export: the terminal's own size must win
    tmux.start([sys.executable, "-m", "tui", "--db", url, "--ascii", "--no-mouse"], env)
    tmux.wait_for("Count")
    tmux.text("1")
    tmux.wait_for("Counts")
    tmux.keys("F2")  # the new-count form, by the escape sequence a terminal sends for F2
    time.sleep(0.5)
    tmux.text(location)
    tmux.keys("F2")  # start
    tmux.wait_for(location, "scan or type")
    tmux.text("3")
    tmux.keys("Enter")  # a typed quantity for the next scan
    tmux.wait_for("qty 3")
    tmux.text(barcode)
    tmux.keys("Tab")  # the scanner's terminator
    tmux.wait_for("+3 = 3 pc")
    tmux.raw(b"\x0e" + barcode.encode() + b"\x0f")  # a bracketed scan, no terminator
    tmux.wait_for("+1 = 4 pc")
    tmux.text("12")  # the quantity being typed
    shown = tmux.wait_for("12")
    for essential in (location, "1/", product, "+1 = 4 pc", "F3", "Count"):
        assert essential in shown, f"{essential!r} not shown:\n{shown}"
    lines = shown.splitlines()
    assert len(lines) <= 16 and all(len(line) <= 20 for line in lines)
    assert all(char.isascii() for char in shown), {char for char in shown if not char.isascii()}
    assert "\x0e" not in shown and "\x0f" not in shown


def test_a_wedge_scan_on_the_home_screen_is_not_read_as_keys(tmux, demo):
    url, _, product, barcode = demo
    env = {"TERM": "vt220", "PYTHONPATH": str(ROOT), "STOCKROOM_TERMINAL": "rf-tmux", "ESCDELAY": "300"}
    tmux.start([sys.executable, "-m", "tui", "--db", url, "--ascii", "--no-mouse"], env)
    tmux.wait_for("Count")
    tmux.text(barcode)  # one write, as a scanner's burst reaches a terminal; its digits would open jobs
    tmux.keys("Enter")
    shown = tmux.wait_for("Stock", product)
    assert "Counts" not in shown and "Transfer" not in shown
