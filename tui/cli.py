"""The ``stockroom`` command: opens the app, or runs one of its subcommands.

Each subcommand lives in its own module under ``tui/commands`` and exposes
``register(subparsers)``, which adds its parser and sets ``handler`` to a
function ``(args) -> int``. Textual is imported only when the app opens, so
scripted commands start fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from store.errors import StockError

COMMAND_MODULES: tuple[str, ...] = (
    "tui.commands.adjust",
    "tui.commands.count",
    "tui.commands.data",
    "tui.commands.journal",
    "tui.commands.labels",
    "tui.commands.operators",
    "tui.commands.order",
    "tui.commands.reasons",
    "tui.commands.scanner",
    "tui.commands.serve",
)


def env_flag(name: str) -> bool:
    """True when the environment variable ``name`` is set to something other than empty, 0, no, false or off."""
    return os.environ.get(name, "").strip().lower() not in ("", "0", "no", "false", "off")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: global options and every subcommand."""
    parser = argparse.ArgumentParser(
        prog="stockroom",
        description="Counting, restocking and picking in a stock room.",
    )
    parser.add_argument("--db", help="database URL (default: $STOCKROOM_DB or a SQLite file in the data directory)")
    parser.add_argument("--demo", action="store_true", help="open a demo database, created on first use")
    parser.add_argument("--scanner", metavar="PORT", help="serial scanner: path, by-id name, VID:PID or pyserial URL")
    parser.add_argument("--baud", type=int, help="scanner baud rate")
    parser.add_argument("--terminal", help="terminal name recorded on scans and moves (default: $STOCKROOM_TERMINAL)")
    parser.add_argument("--operator", help="operator name recorded on scans and moves")
    parser.add_argument("--kiosk", action="store_true", default=None,
                        help="kiosk mode: quitting needs a supervisor (also $STOCKROOM_KIOSK=1)")  # fmt: skip
    parser.add_argument("--idle-logout", type=float, metavar="MINUTES",
                        help="log the operator out after this many idle minutes (0: never; kiosk default 5)")  # fmt: skip
    parser.add_argument("--ascii", action="store_true", default=env_flag("STOCKROOM_ASCII"),
                        help="draw only ASCII characters, for VT100/VT220 terminals (also $STOCKROOM_ASCII=1)")
    parser.add_argument("--no-mouse", dest="mouse", action="store_false", default=not env_flag("STOCKROOM_NO_MOUSE"),
                        help="leave the mouse alone: keyboard only (also $STOCKROOM_NO_MOUSE=1)")
    parser.set_defaults(handler=None)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.handler is None:
            from tui.run import run_app

            return run_app(args)
        return args.handler(args)
    except StockError as error:
        print(f"stockroom: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of the output went away (``| head``): stop quietly, as other commands do, and keep
        # Python from failing again when it flushes standard output on the way out.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a command the pipe stopped


if __name__ == "__main__":
    sys.exit(main())
