"""The store and the devices stay importable without Textual or the UI."""

from __future__ import annotations

import subprocess
import sys


def test_store_does_not_import_textual_or_tui():
    code = (
        "import sys, pkgutil, importlib, store, devices\n"
        "for package in (store, devices):\n"
        "    for info in pkgutil.iter_modules(package.__path__, package.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=".")
