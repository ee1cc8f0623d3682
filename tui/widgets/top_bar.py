"""The line at the top of every screen: where you are, who is logged in, whether the server answers and the scanner is there."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label

from tui.literal import literal

SCANNER_STATES = ("connected", "disconnected", "none")
_SHORT = {"connected": "scan ok", "disconnected": "scan lost", "none": "no scan"}
_SHORTEST = {"connected": "ok", "disconnected": "lost", "none": "none"}


class ScannerStatus(Widget):
    """``scanner: connected`` / ``disconnected`` / ``none``, following ``app.scanner_status``.

    Shortened (``scan ok``, ``scan lost``, ``no scan``) when the full text does not fit, and to one word
    (``ok``, ``lost``, ``none``, in the same colours) beside an operator's name at 20 columns.
    """

    DEFAULT_CSS = """
    ScannerStatus { width: 1fr; min-width: 4; height: 1; content-align: right middle; }
    ScannerStatus.-disconnected { color: $text-error; text-style: bold; }
    ScannerStatus.-connected { color: $text-success; }
    ScannerStatus.-none { color: $text-muted; }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "scanner_status", self._status_changed)

    def _status_changed(self, status: str) -> None:
        for state in SCANNER_STATES:
            self.set_class(status == state, f"-{state}")
        self.refresh()

    @property
    def text(self) -> str:
        """The status as it fits the widget's width."""
        status = getattr(self.app, "scanner_status", "none")
        full = f"scanner: {status}"
        if self.size.width >= len(full):
            return full
        short = _SHORT.get(status, status)
        return short if self.size.width >= len(short) else _SHORTEST.get(status, status)

    def render(self) -> Text:
        return Text(self.text, no_wrap=True)


class OperatorName(Widget):
    """The name of the operator logged in (``app.operator_name``), cut to fit; nothing without operators."""

    SCOPED_CSS = False  # its rules name the screen's width class
    DEFAULT_CSS = """
    OperatorName { width: auto; max-width: 40%; height: 1; padding-right: 1; color: $text-accent; }
    Screen.-narrow OperatorName { max-width: 7; }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "operator_name", self._name_changed)

    def _name_changed(self, name: str) -> None:
        self.display = bool(name)
        self.refresh(layout=True)

    def render(self) -> Text:
        return literal(getattr(self.app, "operator_name", ""), no_wrap=True, overflow="ellipsis")


class ServerStatus(Widget):
    """``online``, or ``offline`` and how many scans wait for the server, following the app; hidden on SQLite.

    Below 40 columns only ``off 3`` shows (online is the usual state), in place of the operator's name.
    """

    SCOPED_CSS = False  # its rules name the screen's width class
    DEFAULT_CSS = """
    ServerStatus { width: auto; height: 1; padding-right: 1; display: none; }
    ServerStatus.-online, ServerStatus.-offline { display: block; }
    ServerStatus.-online { color: $text-success; }
    ServerStatus.-offline { color: $text-warning; text-style: bold; }
    Screen.-narrow ServerStatus.-online { display: none; }
    Screen.-narrow TopBar.-offline OperatorName { display: none; }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "server_status", self._changed)
        self.watch(self.app, "waiting", self._changed)

    def _changed(self, _value: object) -> None:
        status = getattr(self.app, "server_status", "none")
        self.set_class(status == "online", "-online")
        self.set_class(status == "offline", "-offline")
        if self.parent is not None:  # below 40 columns the operator's name gives way to "off N"
            self.parent.set_class(status == "offline", "-offline")
        self.refresh(layout=True)

    @property
    def text(self) -> str:
        """The status as it fits the screen."""
        status = getattr(self.app, "server_status", "none")
        if status != "offline":
            return status
        waiting = getattr(self.app, "waiting", 0)
        if self.app.size.width < 40:
            return f"off {waiting}" if waiting else "off"
        return f"offline, {waiting} waiting" if waiting else "offline"

    def render(self) -> Text:
        return Text(self.text, no_wrap=True)


class TopBar(Horizontal):
    """A title on the left, the operator, then the server status (on a database server), the scanner status on the right."""

    DEFAULT_CSS = """
    TopBar { height: 1; dock: top; background: $panel; }
    TopBar > Label { width: auto; text-style: bold; padding-right: 1; }
    """

    def __init__(self, title: str) -> None:
        super().__init__()
        self._title = title

    def compose(self) -> ComposeResult:
        yield Label(self._title, markup=False)
        yield OperatorName()
        yield ServerStatus()
        yield ScannerStatus()
