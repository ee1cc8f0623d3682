"""Count sessions: the open ones to resume, the confirmed ones to review, and a form for a new one."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Footer, Input, Static

from store.counting import sessions, start_session
from store.errors import StockError
from store.locations import find_location
from store.models import CountSession
from store.quantity import parse_decimal
from tui.literal import literal
from tui.screens.count_confirm import CountConfirmScreen
from tui.screens.counting import CountScreen
from tui.screens.form import FormCheckbox


class CountSessionsScreen(Screen):
    """Open and recent count sessions; Enter resumes a draft or reviews a confirmed one."""

    CSS_PATH = "count_sessions.tcss"
    BINDINGS = [
        Binding("f2,n", "new", "New count"),
        Binding("enter", "open", "Open", show=False),
        Binding("escape", "back", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(literal("Counts", style="bold"), id="title")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        for column in ("#", "Location", "State", "Started", "By"):
            table.add_column(column, key=column)
        self.refresh_sessions()

    @work(thread=True, exclusive=True, group="count-sessions", exit_on_error=False)
    def refresh_sessions(self) -> None:
        """Load the sessions in a worker and show them."""
        rows = [(s, s.location.code) for s in sessions()]
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[tuple[CountSession, str]]) -> None:
        table = self.query_one("#sessions", DataTable)
        table.clear()
        for session, location in rows:
            table.add_row(
                literal(str(session.id)),
                literal(location),
                literal(session.state, style="bold" if session.state == "draft" else "dim"),
                literal(f"{session.created_at.astimezone():%m-%d %H:%M}"),
                literal(session.operator),
                key=str(session.id),
            )
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(int(event.row_key.value))

    def action_open(self) -> None:
        """Open the highlighted session."""
        table = self.query_one("#sessions", DataTable)
        if table.row_count:
            self._open(int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def _open(self, session_id: int) -> None:
        session = CountSession.get_by_id(session_id)
        screen = CountScreen(session_id) if session.state == "draft" else CountConfirmScreen(session_id)
        self.app.push_screen(screen, lambda _: self.refresh_sessions())

    def action_new(self) -> None:
        """Start a new count."""
        self.app.push_screen(NewCountScreen(), self._started)

    def _started(self, session_id: int | None) -> None:
        self.refresh_sessions()
        if session_id is not None:
            self.app.push_screen(CountScreen(session_id), lambda _: self.refresh_sessions())

    def action_back(self) -> None:
        """Back to the home screen."""
        self.dismiss()


class NewCountScreen(Screen[int | None]):
    """The new-count form: where, what, and how; F2 starts it."""

    CSS_PATH = "count_sessions.tcss"
    BINDINGS = [
        Binding("f2", "start", "Start"),
        Binding("escape", "cancel", "Cancel"),
        Binding("up", "app.focus_previous", "Previous field", show=False),  # a handheld may have no Shift+Tab
        Binding("down", "app.focus_next", "Next field", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form"):
            yield Static(literal("New count", style="bold"))
            yield Input(placeholder="location: scan or type", id="location")
            yield FormCheckbox("sub-locations", id="children")
            yield FormCheckbox("blind count", id="blind")
            yield FormCheckbox("uncounted = 0", id="zero")
            yield Input(placeholder="category (optional)", id="category")
            yield Input(placeholder="not counted for N days (optional)", id="days", restrict=r"[0-9]*")
            yield Input(placeholder="recount over N % difference (optional)", id="tolerance", restrict=r"[0-9.,]*")
            yield Static(id="error")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one("#location").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "tolerance":
            self.action_start()
        else:
            self.focus_next()

    def action_start(self) -> None:
        """Create the session and hand its number back."""
        code = self.query_one("#location", Input).value.strip()
        location = find_location(code) if code else None
        if location is None:
            self._error(f"no location {code!r}" if code else "scan or type a location first")
            return
        days = self.query_one("#days", Input).value.strip()
        tolerance = self.query_one("#tolerance", Input).value.strip()
        try:
            session = start_session(
                self.app.store,
                location,
                children=self.query_one("#children", Checkbox).value,
                blind=self.query_one("#blind", Checkbox).value,
                empty_policy="zero" if self.query_one("#zero", Checkbox).value else "keep",
                category=self.query_one("#category", Input).value.strip() or None,
                not_counted_days=int(days) if days else None,
                tolerance_pct=parse_decimal(tolerance, "tolerance") if tolerance else None,
            )
        except StockError as error:
            self._error(str(error))
            return
        self.dismiss(session.id)

    def _error(self, message: str) -> None:
        self.query_one("#error", Static).update(literal(message, style="bold red"))
        self.app.bell()

    def action_cancel(self) -> None:
        """Back without starting a count."""
        self.dismiss(None)
