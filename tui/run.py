"""Opening the app from the command line."""

from __future__ import annotations

import argparse
import os
import sys
import time
import tomllib
from dataclasses import replace
from pathlib import Path

from platformdirs import user_config_dir

from devices.settings import ScannerSettings, SettingsError, load_settings
from store.database import default_url, is_server_url
from store.errors import DatabaseRefused, DatabaseUnavailable, InvalidValue
from tui.app import StockroomApp, make_app
from tui.commands.common import prepare_demo
from tui.labels import label_output


def scanner_settings(args: argparse.Namespace) -> ScannerSettings | None:
    """The serial scanner of ``--scanner``/``--baud``, else of the config file's ``[scanner]`` table."""
    try:
        configured = load_settings(config_path())
        if not args.scanner:
            return configured if configured is None or not args.baud else replace(configured, baudrate=args.baud)
        base = configured or ScannerSettings(port=args.scanner)
        return replace(base, port=args.scanner, baudrate=args.baud or base.baudrate)
    except SettingsError as error:
        raise InvalidValue(f"scanner settings: {error}") from None


def config_path() -> Path:
    """``$STOCKROOM_CONFIG``, else ``stockroom.toml`` in the user's config directory."""
    return Path(os.environ.get("STOCKROOM_CONFIG") or Path(user_config_dir("stockroom", appauthor=False)) / "stockroom.toml")


KIOSK_IDLE_MINUTES = 5.0
"""Idle minutes before a kiosk logs its operator out, unless told otherwise."""


def terminal_settings(args: argparse.Namespace) -> tuple[bool, float | None]:
    """Kiosk mode and the idle logout in seconds (None: never).

    ``--kiosk``, else ``$STOCKROOM_KIOSK=1``, else the config file's
    ``[terminal] kiosk``; ``--idle-logout MINUTES``, else ``[terminal]
    idle_logout``, else 5 minutes in kiosk mode and never otherwise (0 is never).
    """
    table = _config_table("terminal")
    kiosk = getattr(args, "kiosk", None)
    if kiosk is None:
        kiosk = True if os.environ.get("STOCKROOM_KIOSK", "") == "1" else table.get("kiosk", False)
    minutes = getattr(args, "idle_logout", None)
    if minutes is None:
        minutes = table.get("idle_logout")
    if minutes is None:
        minutes = KIOSK_IDLE_MINUTES if kiosk else 0
    if not isinstance(kiosk, bool) or isinstance(minutes, bool) or not isinstance(minutes, int | float) or minutes < 0:
        raise InvalidValue("kiosk is true or false and the idle logout a number of minutes, 0 or more "
                           f"(--kiosk, --idle-logout, or [terminal] in {config_path()})")
    return kiosk, (minutes * 60 if minutes else None)


def _config_table(name: str) -> dict:
    """A table of the config file; empty when the file or the table is absent."""
    try:
        with config_path().open("rb") as file:
            table = tomllib.load(file).get(name, {})
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InvalidValue(f"{config_path()}: {error}") from None
    if not isinstance(table, dict):
        raise InvalidValue(f"{config_path()}: [{name}] must be a table")
    return table


SERVER_WAIT = (1.0, 30.0)
"""Seconds before trying a database server that did not answer at start again, and the most between tries."""


def app_when_reachable(url: str, delays: tuple[float, float] = SERVER_WAIT, **options: object) -> StockroomApp:
    """``make_app(url, **options)``, waiting for a database server that does not answer yet.

    A terminal started while its server restarts, or before the network is up,
    says why on standard error and tries again (after 1 s, doubling up to 30 s)
    until the server answers or Ctrl-C gives up. A SQLite file that cannot be
    opened is refused at once, as is a server that answered and refused (no such
    database or user, a wrong password): waiting would not change them.
    """
    delay, longest = delays
    while True:
        try:
            return make_app(url, **options)  # type: ignore[arg-type]
        except DatabaseRefused:
            raise
        except DatabaseUnavailable as error:
            if not is_server_url(url):
                raise
            print(f"stockroom: {error}; trying again in {delay:g} s (Ctrl-C to give up)", file=sys.stderr, flush=True)
            time.sleep(delay)
            delay = min(delay * 2, longest)


def run_app(args: argparse.Namespace) -> int:
    """Run the app on ``args.db`` (else the default or demo database); returns the exit code."""
    url = args.db or default_url(demo=args.demo)
    if args.demo:
        prepare_demo(url)
    if "TEXTUAL_DRIVER" not in os.environ:  # a terminal, not textual-serve's web driver (which uses them)
        # Textual sizes the screen by shutil.get_terminal_size, which believes COLUMNS/LINES over the terminal:
        # a login script exporting 80x24 would lay a 20x16 handheld's screen out four times too big.
        os.environ.pop("COLUMNS", None)
        os.environ.pop("LINES", None)
    kiosk, idle_logout = terminal_settings(args)
    app = app_when_reachable(url, operator=args.operator or "", terminal=args.terminal,
                             scanner=scanner_settings(args), kiosk=kiosk, idle_logout=idle_logout,
                             ascii_only=args.ascii, labels=label_output(_config_table("labels")))  # fmt: skip
    app.run(mouse=args.mouse)
    return 0
