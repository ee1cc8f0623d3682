"""``stockroom serve``: serve the app to browsers (a tablet kiosk on the shop floor) with textual-serve."""

from __future__ import annotations

import argparse
import os
import shlex
import sys

from store.database import default_url, open_store
from store.errors import InvalidValue
from store.operators import has_supervisor
from tui.commands.common import prepare_demo


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``serve [--host H] [--port P]``."""
    parser = subparsers.add_parser("serve", help="serve the app to web browsers (put a TLS proxy in front)")
    parser.add_argument("--host", default="localhost", help="address to listen on (default localhost; 0.0.0.0: all)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.set_defaults(handler=serve_command)


def app_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser: this Python, this app, the global options."""
    command = [sys.executable, "-m", "tui"]
    for flag, value in (("--scanner", args.scanner), ("--baud", args.baud), ("--terminal", args.terminal),
                        ("--operator", args.operator)):
        if value:
            command += [flag, str(value)]
    if args.idle_logout is not None:
        command += ["--idle-logout", str(args.idle_logout)]
    if args.ascii:
        command.append("--ascii")
    return shlex.join(command)


def check_guarded(url: str) -> None:
    """Refuse to serve a database whose app would open without a login."""
    store = open_store(url, operator="serve")
    try:
        if not has_supervisor():
            raise InvalidValue(
                "serve needs operators: browsers reach the app only through their badge and PIN login. "
                "Add a supervisor first: 'stockroom operators add BADGE NAME --role supervisor'"
            )
    finally:
        store.close()


def serve_command(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C. The database URL reaches each app through ``$STOCKROOM_DB``, never the process list.

    Refused on a database without an active supervisor: the operators' login is what guards the page, and
    only a supervisor can add the others.
    """
    from tui.web import OfflineServer

    url = args.db or default_url(demo=args.demo)
    if args.demo:
        prepare_demo(url)
    check_guarded(url)
    os.environ["STOCKROOM_DB"] = url
    os.environ.setdefault("STOCKROOM_TERMINAL", "web")
    OfflineServer(app_command(args), host=args.host, port=args.port, title="Stockroom").serve()
    return 0
