"""store/ and devices/ load without Textual or the UI, and devices/ without the store."""

from __future__ import annotations

import subprocess
import sys

LOAD_ALL = (
    "import sys, pkgutil, importlib, {packages}\n"
    "for package in ({packages},):\n"
    "    for info in pkgutil.iter_modules(package.__path__, package.__name__ + '.'):\n"
    "        importlib.import_module(info.name)\n"
    "bad = sorted(m for m in sys.modules if m.split('.')[0] in {forbidden!r})\n"
    "assert not bad, bad\n"
)


def test_store_and_devices_do_not_import_textual_or_tui():
    code = LOAD_ALL.format(packages="store, devices", forbidden=("textual", "tui"))
    subprocess.run([sys.executable, "-c", code], check=True)


def test_devices_does_not_import_the_store():
    code = LOAD_ALL.format(packages="devices", forbidden=("store", "peewee", "textual", "tui"))
    subprocess.run([sys.executable, "-c", code], check=True)
