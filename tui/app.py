"""The Stockroom app: holds the open store, shows the screens, hands scans to the active screen."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

from devices.reader import ScannerReader
from devices.settings import ScannerSettings
from store.database import Store, open_store
from tui.ascii import AsciiFilter, ascii_key_display
from tui.messages import ScannerStatus, ScanReceived
from tui.scanning import Scanned, ScanTarget
from tui.screens.help import HelpScreen
from tui.screens.home import HomeScreen
from tui.widgets.top_bar import SCANNER_STATES


class StockroomApp(App[None]):
    """Counting, restocking and picking on a handheld terminal.

    Screens reach the store as ``self.app.store`` and query it only in thread
    workers. The scanner reader (wired by the caller) reports through
    ``scanner_status`` and ``dispatch_scan``, both on the UI thread.
    """

    CSS_PATH = "app.tcss"
    TITLE = "Stockroom"
    MODES = {"home": HomeScreen}  # a mode, not get_default_screen: only then is home.tcss loaded
    DEFAULT_MODE = "home"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (40, "-medium"), (80, "-wide")]
    BINDINGS = [
        Binding("f1", "help", "Help", tooltip="Show the keys of this screen"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),  # Textual's, here so F1 lists it
    ]

    scanner_status: reactive[str] = reactive("none")
    """``connected``, ``disconnected`` (configured but not there) or ``none`` (no scanner configured)."""

    def __init__(self, store: Store, *, scanner: ScannerSettings | None = None, ascii_only: bool = False) -> None:
        super().__init__()
        self.store = store
        self.ascii_only = ascii_only
        if ascii_only:  # last, so it also sees what NO_COLOR's filter leaves
            self._filters.append(AsciiFilter())
        self.scanner = scanner
        self._reader: ScannerReader | None = None
        self.set_reactive(StockroomApp.scanner_status, "none" if scanner is None else "disconnected")

    def on_mount(self) -> None:
        """Start the serial scanner's reader thread; its scans and status come back as messages."""
        if self.scanner is not None:
            port = self.scanner.port
            self._reader = ScannerReader(
                self.scanner,
                on_scan=lambda scan: self.post_message(ScanReceived(scan, port)),
                on_status=lambda status, detail: self.post_message(ScannerStatus(status, detail, port)),
            )
            self._reader.start()

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
        if self._reader is not None:
            self._reader.close()
        self.store.close()

    def get_key_display(self, binding: Binding) -> str:
        """Keys as plain ASCII words under ``--ascii`` (``F3``, ``Enter``, ``Up``), else as Textual shows them."""
        return ascii_key_display(binding) if self.ascii_only else super().get_key_display(binding)

    def action_help(self) -> None:
        """Show the keys of the active screen."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def dispatch_scan(self, scan: Scanned) -> bool:
        """Hand a scan to the active screen if it takes scans (``on_scan``); True if one did.

        Call on the UI thread (from a message handler, or ``call_from_thread``).
        """
        screen = self.screen
        if isinstance(screen, ScanTarget):
            screen.on_scan(scan)
            return True
        self.bell()
        self.notify("No scan expected here", severity="warning")
        return False


def make_app(
    db_url: str,
    *,
    operator: str = "",
    terminal: str | None = None,
    scanner: ScannerSettings | None = None,
    ascii_only: bool = False,
) -> StockroomApp:
    """Open the store at ``db_url`` and build the app on it: used by the command line and the tests."""
    store = open_store(db_url, operator=operator, terminal=terminal)
    return StockroomApp(store, scanner=scanner, ascii_only=ascii_only)
