"""Logging in: a badge (typed, or scanned by a wedge or serial scanner), then a PIN, masked.

``LoginScreen`` opens the app when the database has operators; the app goes
home once the store accepted the badge and PIN. ``SupervisorDialog`` asks a
supervisor's badge and PIN for one action (quitting a kiosk) without changing
who is logged in.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Static

from store.errors import StockError
from store.models import Operator
from store.operators import SUPERVISOR, login, verify
from tui.literal import literal
from tui.messages import ScanReceived
from tui.scanning import Scanned
from tui.wedge import ScanInput
from tui.widgets.top_bar import TopBar


class BadgeAndPin(Vertical):
    """A badge entry that takes scans, a masked PIN entry, and a line for what went wrong."""

    DEFAULT_CSS = """
    BadgeAndPin { height: auto; padding: 0 1; }
    BadgeAndPin Input, BadgeAndPin Input:focus {
        border: none; height: 1; padding: 0; margin-bottom: 1; background: $surface-lighten-1;
    }
    BadgeAndPin #login-error { height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Badge (scan/type)")
        yield ScanInput(placeholder="badge", id="badge")
        yield Static("PIN")
        yield Input(placeholder="PIN", password=True, restrict=r"[0-9]*", max_length=12, id="pin")
        yield Static(id="login-error")

    def reset(self) -> None:
        """Empty both entries and wait for a badge."""
        self.query_one("#badge", ScanInput).clear()
        self.query_one("#pin", Input).clear()
        self.query_one("#badge", ScanInput).focus()

    def take_badge(self, badge: str) -> None:
        """A badge was typed or scanned: show it and ask for the PIN."""
        self.query_one("#badge", ScanInput).value = badge
        self.query_one("#pin", Input).clear()
        self.query_one("#pin", Input).focus()

    @property
    def badge(self) -> str:
        return self.query_one("#badge", ScanInput).value.strip()

    @property
    def pin(self) -> str:
        return self.query_one("#pin", Input).value

    def error(self, message: str) -> None:
        """Say what went wrong; the PIN is emptied for the next try."""
        self.query_one("#login-error", Static).update(literal(message, style="bold red"))
        self.query_one("#pin", Input).clear()

    def clear_error(self) -> None:
        self.query_one("#login-error", Static).update("")


class _BadgeAndPinScreen:
    """What the login screen and the supervisor dialog share: badge by scan or Enter, then PIN."""

    def on_scan_received(self, message: ScanReceived) -> None:
        """The badge entry ended with Enter (typed, or a wedge scan): keep what was typed as the badge."""
        message.stop()
        self.query_one(BadgeAndPin).take_badge(message.text or message.scan.raw_text)

    def on_scan(self, scan: Scanned) -> None:
        """A badge scanned by a serial scanner."""
        self.query_one(BadgeAndPin).take_badge(scan.raw_text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "pin":
            form = self.query_one(BadgeAndPin)
            if not form.badge:
                form.error("scan or type your badge first")
                form.reset()
                return
            form.clear_error()
            self.check(form.badge, form.pin)

    def check(self, badge: str, pin: str) -> None:
        raise NotImplementedError


class LoginScreen(_BadgeAndPinScreen, Screen[None]):
    """Who is working on this terminal: badge, then PIN; Esc starts over."""

    BINDINGS = [Binding("escape", "restart", "Clear")]

    def compose(self) -> ComposeResult:
        yield TopBar("Log in")
        yield BadgeAndPin()
        yield Footer(show_command_palette=False, compact=True)

    def on_screen_resume(self) -> None:
        """Ready for the next operator; says why the last one was logged out, if not by themselves."""
        form = self.query_one(BadgeAndPin)
        form.reset()
        reason = getattr(self.app, "logout_reason", "")
        if reason:
            form.error(reason)
        else:
            form.clear_error()

    def action_restart(self) -> None:
        """Forget the badge and PIN typed so far."""
        self.query_one(BadgeAndPin).clear_error()
        self.query_one(BadgeAndPin).reset()

    @work(thread=True, exclusive=True, group="login", exit_on_error=False)
    def check(self, badge: str, pin: str) -> None:
        """Log in in a worker (the PIN hash takes a moment); the app goes home on success."""
        try:
            operator = login(self.app.store, badge, pin)
        except StockError as error:
            self.app.call_from_thread(self.query_one(BadgeAndPin).error, str(error))
            return
        self.app.call_from_thread(self.app.logged_in, operator)


class SupervisorDialog(_BadgeAndPinScreen, ModalScreen[Operator | None]):
    """A supervisor's badge and PIN for one action; Esc cancels (None). Who is logged in does not change."""

    DEFAULT_CSS = """
    SupervisorDialog { align: center middle; }
    SupervisorDialog > Vertical { width: 100%; max-width: 60; height: auto; border: round $warning; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self.question, style="bold"))
            yield BadgeAndPin()

    def on_mount(self) -> None:
        self.query_one(BadgeAndPin).reset()

    @work(thread=True, exclusive=True, group="supervisor", exit_on_error=False)
    def check(self, badge: str, pin: str) -> None:
        """Check the badge and PIN (a wrong PIN counts against the badge) and the role."""
        try:
            operator = verify(self.app.store, badge, pin)
        except StockError as error:
            self.app.call_from_thread(self.query_one(BadgeAndPin).error, str(error))
            return
        if operator.role != SUPERVISOR:
            self.app.call_from_thread(self.query_one(BadgeAndPin).error, f"{operator.name} is not a supervisor")
            return
        self.app.call_from_thread(self.dismiss, operator)

    def action_cancel(self) -> None:
        self.dismiss(None)
