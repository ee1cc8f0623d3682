"""The Stockroom app: holds the open store, shows the screens, hands scans to the active screen."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from peewee import DatabaseError
from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

from devices.decode import parse_config
from devices.reader import ScannerReader
from devices.settings import ScannerSettings
from store import journal_entries
from store.database import Store, connection_lost, open_store
from store.errors import InvalidValue, StockError
from store.in_store_codes import in_store_region
from store.journal import Entry, Journal, Kept, Replayed, open_journal
from store.models import Operator
from store.operators import has_operators, has_supervisor, logout
from tui.ascii import AsciiFilter, ascii_key_display
from tui.labels import LabelOutput, label_output
from tui.messages import ScannerStatus, ScanReceived
from tui.scanning import Scanned, ScanTarget
from tui.screens.help import HelpScreen
from tui.screens.home import HomeScreen
from tui.screens.login import LoginScreen, SupervisorDialog
from tui.widgets.top_bar import SCANNER_STATES

R = TypeVar("R")


class ScansWaiting(StockError):
    """Work refused while scans kept offline are not yet saved."""


class StockroomApp(App[None]):
    """Counting, restocking and picking on a handheld terminal.

    Screens reach the store as ``self.app.store`` and query it only in thread
    workers. The scanner reader (wired by the caller) reports through
    ``scanner_status`` and ``dispatch_scan``, both on the UI thread.

    When the database has operators the app opens on the login screen (the
    ``login`` mode) and the store requires a login; logging out goes back
    there and drops the ``home`` mode's screens (whatever they saved stays).
    ``kiosk``: quitting and suspending need a supervisor's badge and PIN.
    ``idle_logout``: seconds without a key or a scan after which the operator
    is logged out (None: never).
    """

    CSS_PATH = "app.tcss"
    TITLE = "Stockroom"
    MODES = {"home": HomeScreen, "login": LoginScreen}  # modes, not get_default_screen: only then is home.tcss loaded
    DEFAULT_MODE = "home"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (40, "-medium"), (80, "-wide")]
    BINDINGS = [
        Binding("f1", "help", "Help", tooltip="Show the keys of this screen"),
        Binding("f12", "logout", "Log out", show=False),  # from any screen: the job screens close, their work kept
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),  # Textual's, here so F1 lists it
        Binding("ctrl+z", "suspend", "Suspend", show=False, priority=True),  # kiosk mode only
    ]

    scanner_status: reactive[str] = reactive("none")
    """``connected``, ``disconnected`` (configured but not there) or ``none`` (no scanner configured)."""
    server_status: reactive[str] = reactive("none")
    """``online`` or ``offline`` on a database server, ``none`` on a SQLite file (nothing to lose)."""
    waiting: reactive[int] = reactive(0)
    """How many scans wait in the offline journal for the server."""

    operator_name: reactive[str] = reactive("")
    """The name of the operator logged in; empty without operators."""

    refused_scans: list[tuple[str, str]] = []
    """The scans kept offline that the store refused when they were written back (raw text, reason): the last replay's."""

    RECONNECT_DELAYS = (0.5, 8.0)
    """Seconds before the first try to reach a lost server again, and the most between tries (doubling)."""

    OPERATORS_CHECK = 10.0
    """Seconds between looks for operators added elsewhere, while this terminal runs without a login."""

    def __init__(
        self, store: Store, *, scanner: ScannerSettings | None = None, kiosk: bool = False,
        idle_logout: float | None = None, ascii_only: bool = False,
        labels: LabelOutput | None = None, journal: Journal | None = None,
    ) -> None:  # fmt: skip
        store.login_required = store.login_required or has_operators()
        if store.login_required:
            self.DEFAULT_MODE = "login"  # read by App.__init__
        super().__init__()
        self.store = store
        self.ascii_only = ascii_only
        self.labels = labels or label_output({})
        """Where the product and location screens' F8 puts labels."""
        if ascii_only:  # last, so it also sees what NO_COLOR's filter leaves
            self._filters.append(AsciiFilter())
        self.scanner = scanner
        self.scan_region = scan_region(scanner)
        """Whose layout in-store weight and price codes follow, wedge and serial scans alike (None: not read)."""
        self.kiosk = kiosk
        self._idle_logout_asked = idle_logout
        self.idle_logout = idle_logout if store.login_required else None
        self._last_input = time.monotonic()
        self.logout_reason = ""
        """Why the last operator was logged out, for the login screen; empty when they logged out themselves."""
        self.journal = journal
        self._reader: ScannerReader | None = None
        self._leaving = threading.Event()
        self.set_reactive(StockroomApp.scanner_status, "none" if scanner is None else "disconnected")
        if kiosk:
            self.use_command_palette = False  # its commands include Quit
        if journal is not None:
            self.set_reactive(StockroomApp.server_status, "offline" if journal.waiting else "online")
            self.set_reactive(StockroomApp.waiting, journal.waiting)

    def on_mount(self) -> None:
        """Start the serial scanner's reader thread; its scans and status come back as messages.

        Once the first screen is up, the objects made so far (Textual's and the
        home screen's, most of them for good) are set aside from garbage
        collection, so that a full collection, e.g. while a report reads ten
        thousand rows, does not scan them all and stall the UI for 100 ms.
        """
        self.call_after_refresh(gc.freeze)
        if self.scanner is not None:
            port = self.scanner.port
            self._reader = ScannerReader(
                replace(self.scanner, region=self.scan_region),
                on_scan=lambda scan: self.post_message(ScanReceived(scan, port)),
                on_status=lambda status, detail: self.post_message(ScannerStatus(status, detail, port)),
            )
            self._reader.start()
        if self.store.login_required:
            self._watch_session()
        else:
            self._operators_timer = self.set_interval(self.OPERATORS_CHECK, self._look_for_operators)
        if self.server_status == "offline":  # scans left in the journal by a crash are written first
            self._reconnect()

    async def on_event(self, event: events.Event) -> None:
        """A key or a click is activity: it puts off the idle logout."""
        if isinstance(event, events.Key | events.MouseDown):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def logged_in(self, operator: Operator) -> None:
        """The login screen accepted an operator: show their name and go home (which offers their open work)."""
        self.operator_name = operator.name
        self._last_input = time.monotonic()
        self.switch_mode("home")

    def action_logout(self, reason: str = "") -> None:
        """Back to the login screen (which shows ``reason``); the job screens close, and what they saved stays."""
        if not self.store.login_required:
            return
        logout(self.store)
        self.operator_name = ""
        self.logout_reason = reason
        self.switch_mode("login")
        self.remove_mode("home")
        self.add_mode("home", HomeScreen)

    def _watch_session(self) -> None:
        self.set_interval(min(self.idle_logout / 4, 1.0) if self.idle_logout else 1.0, self._check_session)

    def _look_for_operators(self) -> None:
        """While on the home screen (not in the middle of a job or a form), look for operators added elsewhere."""
        if isinstance(self.screen, HomeScreen):
            self._operators_added()

    @work(thread=True, exclusive=True, group="operators", exit_on_error=False)
    def _operators_added(self) -> None:
        try:
            if has_operators():
                self.call_from_thread(self._require_login)
        except (DatabaseError, StockError):  # the server is away: look again next time
            pass
        finally:
            self.store.close()  # this thread's connection

    def _require_login(self) -> None:
        """The stock room has operators now: this terminal asks for a login, as it would from its next start."""
        if self.store.login_required or not isinstance(self.screen, HomeScreen):
            return  # a job was opened meanwhile: the next look, back home, does this
        self._operators_timer.stop()
        self.store.login_required = True
        self.idle_logout = self._idle_logout_asked
        self._watch_session()
        self.action_logout("This stock room now has operators: log in")

    def _check_session(self) -> None:
        """Back to the login screen when the store logged the operator out (their badge was deactivated
        elsewhere and a guarded action found it), or when the terminal was idle too long."""
        if self.operator_name and self.store.role is None:
            self.action_logout("Logged out: this badge is no longer active")
        elif (
            self.idle_logout is not None
            and self.store.role is not None
            and time.monotonic() - self._last_input >= self.idle_logout
        ):
            self.action_logout("Logged out: the terminal was idle")

    async def action_quit(self) -> None:
        """Quit; in kiosk mode only once a supervisor gave their badge and PIN."""
        if not self.kiosk:
            self.exit()
        elif not isinstance(self.screen, SupervisorDialog):
            self.push_screen(SupervisorDialog("Quit: a supervisor's badge and PIN"), self._quit_if_allowed)

    def _quit_if_allowed(self, supervisor: Operator | None) -> None:
        if supervisor is not None:
            self.exit()

    async def action_help_quit(self) -> None:
        """Ctrl+C: in kiosk mode, the same as quitting (a supervisor is asked); else Textual's hint."""
        if self.kiosk:
            await self.action_quit()
        else:
            super().action_help_quit()

    def action_suspend(self) -> None:
        """Ctrl+Z in kiosk mode: suspend the process once a supervisor gave their badge and PIN."""
        if not isinstance(self.screen, SupervisorDialog):
            self.push_screen(SupervisorDialog("Suspend: a supervisor's badge and PIN"), self._suspend_if_allowed)

    def _suspend_if_allowed(self, supervisor: Operator | None) -> None:
        if supervisor is not None:
            self.action_suspend_process()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Ctrl+Z is only the app's in kiosk mode (elsewhere an entry's own key)."""
        return self.kiosk if action == "suspend" else True

    def on_scan_received(self, message: ScanReceived) -> None:
        """A serial scan (wedge scans are taken by the screen's own input)."""
        if message.source != "wedge":
            self.dispatch_scan(message.scan)

    def on_scanner_status(self, message: ScannerStatus) -> None:
        self.scanner_status = message.status

    def validate_scanner_status(self, status: str) -> str:
        """Refuse a status the indicator cannot show."""
        if status not in SCANNER_STATES:
            raise ValueError(f"scanner status {status!r} is not one of {', '.join(SCANNER_STATES)}")
        return status

    def on_unmount(self) -> None:
        gc.unfreeze()  # what was set aside can be collected again once the app is gone
        self._leaving.set()
        if self._reader is not None:
            self._reader.close()
        if self.journal is not None:
            self.journal.close()
        self.store.close()

    def get_key_display(self, binding: Binding) -> str:
        """Keys as plain ASCII words under ``--ascii`` (``F3``, ``Enter``, ``Up``), else as Textual shows them."""
        return ascii_key_display(binding) if self.ascii_only else super().get_key_display(binding)

    # -- the server, and the scans kept while it is away --------------------------------

    def save_scan(self, entry: Entry, write: Callable[[], R]) -> R | Kept:
        """Save a scan with ``write()`` or, if the server is gone or scans wait already, keep it in the journal.

        Call from a writer thread; a kept scan puts the app offline until the journal is written.
        """
        if self.journal is None:
            return write()
        saved = self.journal.save(self.store, entry, write)
        if isinstance(saved, Kept):
            self.call_from_thread(self.lost_server)
        return saved

    def after_kept_scans(self) -> None:
        """Refuse store work (an undo, a line set outright) while scans wait: it would act on them before they are saved.

        Call from a writer thread, before the work.
        """
        if self.journal is not None and self.journal.waiting:
            raise ScansWaiting(
                f"{self.journal.waiting} scans wait for the server: try again once they are saved (top bar: online)"
            )

    def lost_server(self) -> None:
        """The server stopped answering (on the UI thread): show it, and try to reach it again in the background."""
        if self.journal is None:
            return
        self.store.close()  # this (UI) thread's connection, gone with the server; a screen may read through it
        self.waiting = self.journal.waiting
        if self.server_status != "offline":
            self.server_status = "offline"
            self._reconnect()

    @work(thread=True, exclusive=True, group="reconnect", exit_on_error=False)
    def _reconnect(self) -> None:
        """Try the server, waiting longer each time; once it answers, write the journal and go online."""
        assert self.journal is not None
        delay, longest = self.RECONNECT_DELAYS
        try:
            while not self._leaving.wait(delay):
                try:
                    self.store.db.execute_sql("SELECT 1")
                    replayed = self.journal.replay(self.store, journal_entries.apply)
                except (DatabaseError, StockError) as error:
                    if connection_lost(self.store, error):
                        self.store.close()
                    self.call_from_thread(self._set_waiting, self.journal.waiting)
                    delay = min(delay * 2, longest)
                    continue
                self.call_from_thread(self._back_online, replayed)
                return
        finally:
            self.store.close()  # this thread's connection

    def _set_waiting(self, waiting: int) -> None:
        self.waiting = waiting

    def _back_online(self, replayed: Replayed) -> None:
        assert self.journal is not None
        self.refused_scans = [(entry["reading"]["raw"], reason) for entry, reason in replayed.refused]
        if self.refused_scans:
            self.bell()
        for raw, reason in self.refused_scans:
            self.notify(f"A scan kept offline was not saved: {raw}: {reason}", severity="error", markup=False,
                        timeout=120)
        self.waiting = self.journal.waiting
        if self.waiting:  # the server went again between the replay and now: a scan was kept meanwhile
            self._reconnect()
        else:
            self.server_status = "online"

    def action_help(self) -> None:
        """Show the keys of the active screen."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def dispatch_scan(self, scan: Scanned) -> bool:
        """Hand a scan to the active screen if it takes scans (``on_scan``); True if one did.

        Call on the UI thread (from a message handler, or ``call_from_thread``).
        """
        self._last_input = time.monotonic()
        screen = self.screen
        if isinstance(screen, ScanTarget):
            screen.on_scan(scan)
            return True
        self.bell()
        self.notify("No scan expected here", severity="warning")
        return False


def scan_region(scanner: ScannerSettings | None) -> str | None:
    """The region of in-store codes on this terminal: its ``[scanner] region``, else the stock room's.

    Refuses one the decoder does not know (a newer Stockroom may have named it).
    """
    region = scanner.region if scanner is not None and scanner.region else in_store_region()
    try:
        parse_config(region)
    except ValueError as error:
        raise InvalidValue(str(error)) from None
    return region


def make_app(
    db_url: str,
    *,
    operator: str = "",
    terminal: str | None = None,
    scanner: ScannerSettings | None = None,
    ascii_only: bool = False,
    kiosk: bool = False,
    idle_logout: float | None = None,
    labels: LabelOutput | None = None,
    journal_dir: Path | None = None,
) -> StockroomApp:
    """Open the store at ``db_url`` and build the app on it: used by the command line and the tests.

    A kiosk needs an active supervisor (only one can quit it): refused otherwise. On a database server
    the terminal keeps an offline journal (in ``journal_dir``, default the data directory).
    """  # fmt: skip
    store = open_store(db_url, operator=operator, terminal=terminal)
    if kiosk and not has_supervisor():
        store.close()
        raise InvalidValue(
            "kiosk mode needs an active supervisor to quit it: add one first with "
            "'stockroom operators add BADGE NAME --role supervisor'"
        )
    journal = open_journal(store, journal_dir) if store.is_postgres else None
    return StockroomApp(
        store, scanner=scanner, kiosk=kiosk, idle_logout=idle_logout, ascii_only=ascii_only, labels=labels,
        journal=journal,
    )  # fmt: skip
