"""Confirming a count: the conflicts to decide, the variance, then the moves; a confirmed one read-only."""

from __future__ import annotations

from decimal import Decimal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from store.clock import now
from store.count_confirm import (
    RESOLUTIONS,
    VarianceRow,
    confirm,
    counts_as_zero,
    describe_difference,
    signed_quantity,
    variance,
)
from store.count_lines import CountState, count_state
from store.count_report import write_variance_csv
from store.counting import get_session
from store.database import data_dir
from store.errors import StockError
from store.quantity import format_quantity, to_units, units_text
from tui.literal import escape_controls, literal


class CountConfirmScreen(Screen[bool]):
    """Review and post a count; dismisses True once posted. A confirmed count shows what it posted, read-only."""

    CSS_PATH = "count_confirm.tcss"
    BINDINGS = [
        Binding("enter,space", "toggle_choice", "Keep/Recount", show=False),
        Binding("f6", "post", "Post"),
        Binding("f7", "export", "CSV"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id
        self.choices: dict[str, str] = {}
        self.state: CountState | None = None
        self.posted: list[VarianceRow] | None = None  # a confirmed count: the differences it posted

    def compose(self) -> ComposeResult:
        yield Static(id="summary")
        yield DataTable(id="review", cursor_type="row", zebra_stripes=True)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="count-confirm", exit_on_error=False)
    def _load(self) -> None:
        session = get_session(self.session_id)
        state = count_state(self.app.store, session)
        posted = variance(self.app.store, session) if session.state == "confirmed" else None
        self.app.call_from_thread(self._show, state, posted)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A confirmed count is read-only: no posting, no choices (and no F6 in the footer)."""
        if action in ("post", "toggle_choice") and self.posted is not None:
            return False
        return True

    def _show(self, state: CountState, posted: list[VarianceRow] | None) -> None:
        self.state, self.posted = state, posted
        self.refresh_bindings()
        if posted is not None:
            self._show_posted(state, posted)
            return
        session = state.session
        differing = [line for line in state.lines if line.difference]
        conflicts = [line for line in state.lines if line.conflicts]
        zeroed = [line for line in state.lines if counts_as_zero(session, line)]
        summary = literal(f"Count #{session.id} ", style="bold")
        summary.append(escape_controls(session.location.code))
        summary.append(f"\n{state.counted_lines} counted, {len(differing)} differ, {len(conflicts)} conflicts")
        if session.empty_policy == "zero":
            summary.append(f"\n{len(zeroed)} uncounted count as zero")
        if state.unresolved:
            summary.append(f"\n{len(state.unresolved)} unknown barcodes to resolve", style="bold red")
        waiting = [line for line in state.lines if line.needs_recount]
        if waiting:
            summary.append(f"\n{len(waiting)} lines waiting for recount", style="bold red")
        if conflicts:
            summary.append("\nEnter: keep count / recount", style="dim")
        self.query_one("#summary", Static).update(summary)
        table = self.query_one("#review", DataTable)
        table.clear(columns=True)
        columns = ("Product", "Loc", "Diff", "Moved", "Choice") if conflicts else ("Product", "Loc", "Diff", "Choice")
        for column in columns:
            table.add_column(column, key=column)
        for line in conflicts + [line for line in differing if not line.conflicts]:
            key = f"{line.product.id}:{line.location.id}"
            moved = sum((m.quantity for m in line.conflicts), Decimal(0))
            cells = [
                literal(line.product.code),
                literal(line.location.code),
                literal(describe_difference(line), justify="right"),
                literal(format_quantity(moved, line.product.uom.precision) if line.conflicts else "", justify="right"),
                literal(self.choices.get(key, "?" if line.conflicts else ""), style="bold"),
            ]
            table.add_row(*(cells if conflicts else cells[:3] + cells[4:]), key=key)  # Moved only with conflicts
        for line in zeroed:  # what confirming writes off: all of their stock
            key = f"{line.product.id}:{line.location.id}"
            cells = [
                literal(line.product.code),
                literal(line.location.code),
                literal(signed_quantity(-line.expected_now, line.product), justify="right"),
                literal(""),
                literal("uncounted", style="dim"),
            ]
            table.add_row(*(cells if conflicts else cells[:3] + cells[4:]), key=key)
        table.focus()

    def _show_posted(self, state: CountState, posted: list[VarianceRow]) -> None:
        """A confirmed count: the differences its moves posted, as the count history reads them."""
        differing = [row for row in posted if row.difference]
        summary = literal(f"Count #{state.session.id} ", style="bold")
        summary.append(escape_controls(state.session.location.code))
        summary.append(" confirmed", style="dim")
        summary.append(f"\n{state.counted_lines} counted, {len(differing)} differ")
        self.query_one("#summary", Static).update(summary)
        table = self.query_one("#review", DataTable)
        table.clear(columns=True)
        for column in ("Product", "Loc", "Diff"):
            table.add_column(column, key=column)
        for row in differing:
            sign = "+" if row.difference > 0 else ""
            table.add_row(
                literal(row.product),
                literal(row.location),
                literal(f"{sign}{units_text(to_units(row.difference))} {row.uom}", justify="right"),
            )
        table.focus()

    def action_toggle_choice(self) -> None:
        """Cycle the highlighted conflict between keeping the count and recounting."""
        table = self.query_one("#review", DataTable)
        if self.state is None or table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        line = next((ln for ln in self.state.lines if f"{ln.product.id}:{ln.location.id}" == key), None)
        if line is None or not line.conflicts:
            return
        current = self.choices.get(key)
        self.choices[key] = RESOLUTIONS[0] if current != RESOLUTIONS[0] else RESOLUTIONS[1]
        table.update_cell(key, "Choice", literal(self.choices[key], style="bold"))

    def action_post(self) -> None:
        """Confirm the count with the choices made."""
        self._post()

    @work(thread=True, exclusive=True, group="count-confirm", exit_on_error=False)
    def _post(self) -> None:
        per_line = {tuple(int(part) for part in key.split(":")): choice for key, choice in self.choices.items()}
        try:
            moves = confirm(self.app.store, get_session(self.session_id), per_line=per_line)
        except StockError as error:
            self.app.call_from_thread(self._refused, str(error))
            return
        session = get_session(self.session_id)
        if session.state != "confirmed":
            self.app.call_from_thread(self.notify, "lines sent to recount; count them, then confirm again")
            self.app.call_from_thread(self.dismiss, False)
            return
        self.app.call_from_thread(self.notify, f"count #{session.id} confirmed: {len(moves)} moves posted")
        self.app.call_from_thread(self.dismiss, True)

    def _refused(self, message: str) -> None:
        self.query_one("#summary", Static).update(literal(message, style="bold red"))
        self.app.bell()

    def action_export(self) -> None:
        """Write the variance report as CSV into the data directory."""
        self._export()

    @work(thread=True, group="count-export", exit_on_error=False)
    def _export(self) -> None:
        path = data_dir() / f"count-{self.session_id}-{now():%Y%m%d-%H%M%S}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as stream:
            rows = write_variance_csv(self.app.store, get_session(self.session_id), stream)
        self.app.call_from_thread(self.notify, f"{rows} rows written to {path}")

    def action_back(self) -> None:
        """Back to counting without posting."""
        self.dismiss(False)
