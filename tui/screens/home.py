"""The home screen: the jobs of the stock room, one key each."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Label, ListItem, ListView

from devices.decode import decode
from devices.scan import Scan
from store.counting import open_sessions
from store.receiving import describe_receipt, open_receipts
from tui.dialogs.prompt import ConfirmDialog
from tui.permissions import permitted
from tui.scanning import Scanned, scan_text
from tui.screens.adjust import AdjustScreen
from tui.screens.count_sessions import CountSessionsScreen
from tui.screens.counting import CountScreen
from tui.screens.locations import LocationsScreen
from tui.screens.operators import OperatorsScreen
from tui.screens.pick_lists import PickListsScreen
from tui.screens.products import ProductsScreen
from tui.screens.receive_orders import ReceiveOrdersScreen
from tui.screens.receiving import ReceivingScreen
from tui.screens.reports import ReportsScreen
from tui.screens.stock import StockScreen
from tui.screens.transfer import TransferScreen
from tui.wedge import HELD, BurstEnd, KeyBurst
from tui.widgets.top_bar import TopBar


@dataclass(frozen=True)
class Job:
    """One job on the home screen."""

    name: str
    short: str
    """Label at 20 columns."""
    long: str
    hint: str
    key: str


JOBS = (
    Job("count", "Count", "Counting", "count what is on a shelf", "1"),
    Job("receive", "Receive", "Restocking", "receive deliveries", "2"),
    Job("pick", "Pick", "Picking", "pick orders", "3"),
    Job("stock", "Stock", "Stock", "look up what is where", "4"),
    Job("transfer", "Transfer", "Transfer", "move stock between bins", "5"),
    Job("adjust", "Adjust", "Adjustments", "add or remove stock by hand", "6"),
    Job("products", "Products", "Products", "find, create and edit products", "7"),
    Job("locations", "Locations", "Locations", "browse and edit the location tree", "8"),
    Job("reports", "Reports", "Reports", "balance, moves, value, coverage, counts", "9"),
    Job("operators", "Operators", "Operators", "badges, PINs and roles", "0"),
)


JOB_SCREENS: dict[str, type[Screen]] = {
    "count": CountSessionsScreen,
    "receive": ReceiveOrdersScreen,
    "pick": PickListsScreen,
    "stock": StockScreen,
    "transfer": TransferScreen,
    "adjust": AdjustScreen,
    "products": ProductsScreen,
    "locations": LocationsScreen,
    "reports": ReportsScreen,
    "operators": OperatorsScreen,
}


class HomeScreen(Screen[None]):
    """Pick a job with the arrows and Enter, or with its number or function key.

    A scan here looks the product up on the stock screen, from a serial
    scanner or a wedge (its burst of keys is told from a person's single key
    by pace: :class:`tui.wedge.KeyBurst`). With operators, F12 or ``l`` logs
    out, and the operators' screen is a supervisor's.
    """

    CSS_PATH = "home.tcss"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]  # -tall: every job fits spaced out (home.tcss)
    AUTO_FOCUS = "#jobs"
    BINDINGS = [
        Binding("1,f2", "job('count')", "Count"),
        Binding("2,f3", "job('receive')", "Receive"),
        Binding("3,f4", "job('pick')", "Pick"),
        Binding("4,f5", "job('stock')", "Stock"),
        Binding("5,f6", "job('transfer')", "Transfer", show=False),  # the footer keeps room for Help at 40
        Binding("6,f7", "job('adjust')", "Adjust", show=False),
        Binding("7,f8", "job('products')", "Products", show=False),
        Binding("8,f9", "job('locations')", "Locations", show=False),
        Binding("9,f10", "job('reports')", "Reports", show=False),
        Binding("0,f11", "job('operators')", "Operators", show=False),
        Binding("f12,l", "app.logout", "Log out", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._burst = KeyBurst()
        self._quiet: Timer | None = None
        self._replaying: str | None = None

    def compose(self) -> ComposeResult:
        yield TopBar("Stockroom")
        with ListView(id="jobs"):
            for job in JOBS:
                yield ListItem(
                    Label(f"{job.key} {job.short}", classes="job-short narrow-only"),
                    Label(f"{job.key}  {job.long}", classes="job-long medium-up"),
                    Label(job.hint, classes="job-hint wide-only"),
                    id=f"job-{job.name}",
                )
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self._offer_resume()

    @work(thread=True, group="resume", exit_on_error=False)
    def _offer_resume(self) -> None:
        """After a crash or a closed terminal, offer this terminal's open count (or else receipt) where it was."""
        terminal = self.app.store.terminal
        mine = [s for s in open_sessions() if s.terminal == terminal]
        if mine:
            session = mine[0]
            question = f"Resume count #{session.id} at {session.location.code}?"
            self.app.call_from_thread(self.app.push_screen, ConfirmDialog(question), partial(self._resume, session.id))
            return
        receipts = [r for r in open_receipts() if r.terminal == terminal]
        if receipts:
            question = f"Resume {describe_receipt(receipts[0])}?"
            self.app.call_from_thread(
                self.app.push_screen, ConfirmDialog(question), partial(self._resume_receipt, receipts[0].id)
            )

    def _resume(self, session_id: int, yes: bool | None) -> None:
        if yes:
            self.app.push_screen(CountSessionsScreen())
            self.app.push_screen(CountScreen(session_id))

    def _resume_receipt(self, receipt_id: int, yes: bool | None) -> None:
        if yes:
            orders = ReceiveOrdersScreen()
            self.app.push_screen(orders)
            self.app.push_screen(ReceivingScreen(receipt_id), lambda _: orders.refresh_orders())

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        if event.item.id is not None:
            self.action_job(event.item.id.removeprefix("job-"))

    def action_job(self, name: str) -> None:
        """Open a job's screen (the operators' only for a supervisor: the store would refuse the rest)."""
        if name == "operators" and not permitted(self, "manage_operators"):
            return
        self.app.push_screen(JOB_SCREENS[name]())

    @property
    def holding_keys(self) -> bool:
        """True while typed keys wait to be told a scan or a person's key."""
        return bool(self._burst)

    def on_key(self, event: events.Key) -> None:
        """Hold printable keys until their pace tells a wedge scan from a person's key."""
        if event.key == self._replaying:
            self._replaying = None
            return  # a person's key, let through once its pace was told: its binding runs
        end = self._burst.key(event.key, event.character if event.is_printable else None)
        if end is None:
            return  # function keys, arrows, Enter on a job: as bound
        event.stop()
        event.prevent_default()
        if self._quiet is not None:
            self._quiet.stop()
        if end is HELD:
            self._quiet = self.set_timer(KeyBurst.GAP, lambda: self._act(self._burst.quiet()))
        else:
            self._act(end)

    def _act(self, end: BurstEnd) -> None:
        if end.key is not None:
            self._replaying = end.key
            replay = events.Key(end.key, None)
            replay.set_sender(self.app)  # as the terminal's keys are: bubbles up to the bindings (Textual stops
            self.app.post_message(replay)  # a message at its sender, and one made here would have this screen)
        elif end.scan is not None:
            self.on_scan(decode(end.scan, region=self.app.scan_region))

    def on_scan(self, scan: Scanned) -> None:
        """Look the scanned product up on the stock screen; say why a scan was refused."""
        if isinstance(scan, Scan) and scan.error:
            self.app.bell()
            self.notify(f"{scan.error}: {scan.raw_text}", severity="error", markup=False)
            return
        self.app.push_screen(StockScreen(search=scan_text(scan)))
