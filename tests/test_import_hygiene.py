"""store/ and devices/ must load without Textual or the UI (harlequin's import hygiene test)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("package", ["store", "devices"])
def test_core_packages_do_not_load_textual_or_tui(package):
    modules = {
        "store": "store.database store.counting store.count_confirm store.count_report store.stock store.moves",
        "devices": "devices.reader devices.decode devices.batch devices.ports devices.settings",
    }[package]
    code = (
        f"import importlib, sys\nfor name in {modules.split()!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui', 'serial')"
        f" and not ('{package}' == 'devices' and m.startswith('serial')))\n"
        "print(' '.join(bad))\nsys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"{package} loaded: {result.stdout} {result.stderr}"


def test_devices_does_not_load_the_store():
    code = "import devices.reader, devices.batch, sys; sys.exit(1 if 'store' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
