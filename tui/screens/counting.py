"""The counting screen: scan what is on the shelf, see each scan understood, and confirm.

Small-first: at 20x16 and 40x16 the worker sees where they count, the last
scan (what was understood, the running count, or the error), the quantity
being typed and the progress; the lines are one key away (F5). From 80x24
the lines table shows beside it. Every scan is saved by a single writer
thread, in order, before the screen shows it; while the server is away it
is kept in the terminal's journal instead, shown as kept, and the lines are
read again once the journal is written.
"""

from __future__ import annotations

import gc
from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Static

from store.count_confirm import over_tolerance, send_to_recount
from store.count_lines import CountLine, CountState, count_state
from store.counting import (
    OutsideFilter,
    ScanOutcome,
    get_session,
    last_counted_product,
    line_total,
    product_for_input,
    record_scan,
    resolve_unknown,
    set_count,
    undo,
)
from store.journal import Entry
from store.journal_entries import count_scan
from store.models import CountRecord, CountSession, Location, Product
from store.quantity import format_quantity
from store.scanned import Reading
from store.stock import on_hand
from store.units import get_uom
from tui.dialogs.prompt import PromptDialog
from tui.journal_screen import JOURNAL_CSS, JournalScreen
from tui.literal import escape_controls, literal
from tui.readings import quantity_with_unit
from tui.screens.count_confirm import CountConfirmScreen
from tui.wedge import ScanInput
from tui.widgets.top_bar import TopBar

ROW_FLUSH_DELAY = 0.3  # seconds: a burst of scans updates the table once


def _qty(value: Decimal | None, product: Product) -> str:
    return "" if value is None else format_quantity(value, product.uom.precision)


class CountScreen(JournalScreen):
    """Counting one session; scans arrive from the wedge input or a serial scanner."""

    CSS_PATH = [JOURNAL_CSS, "counting.tcss"]
    BINDINGS = [
        Binding("f3", "set_quantity", "Set"),
        Binding("f4", "undo", "Undo"),
        Binding("f5", "toggle_lines", "Lines"),
        Binding("f6", "confirm", "Confirm"),
        Binding("f7", "recount", "Recount"),
        Binding("f8", "switch_location", "Loc"),
        Binding("f9", "assign_unknown", "Assign"),
        Binding("escape", "leave", "Back"),
    ]

    QUESTIONS = (OutsideFilter,)
    SET_WHAT = "its count"

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id
        self.session: CountSession | None = None
        self.last_unknown: CountRecord | None = None
        self.location_code = ""
        self.counted: set[tuple[int, int]] = set()
        self.expected: set[tuple[int, int]] = set()
        self.counters: dict[str, set[str]] = {}
        self._dirty: dict[str, list[Text]] = {}
        self._flush_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield TopBar("Count")
        with Vertical(id="job"):
            yield Static(id="where")
            yield Static(id="last")
            yield Static(id="pending")
            yield ScanInput(placeholder="scan or type qty", id="entry")
        yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.submit(self._load)
        self.query_one("#entry").focus()

    # -- loading and showing ----------------------------------------------------

    def _load(self) -> None:
        session = get_session(self.session_id)
        state = count_state(self.app.store, session)
        self.app.call_from_thread(self._show_state, session, state)

    def _show_state(self, session: CountSession, state: CountState) -> None:
        gc.unfreeze()
        self.session = session
        self.location_code = self.location_code or session.location.code
        table = self.query_one("#lines", DataTable)
        table.clear(columns=True)
        # quantities next to the product: at 20 columns they are what shows without scrolling sideways
        columns = ["Product", "Counted"] + ([] if session.blind else ["Expected", "Diff"]) + ["Loc", "Name", "By"]
        for column in columns:  # "By" grows as counters join: a fixed width spares a relayout per scan
            table.add_column(column, key=column, width=16 if column == "By" else None)
        self.counted = {line.key for line in state.lines if line.counted is not None}
        self.expected = {line.key for line in state.lines if line.expected_now != 0}
        self.counters = {self._row_key(line.key): set(line.counters) for line in state.lines}
        for line in state.lines:
            table.add_row(*self._cells(line.product, line.location, line.counted, line.expected_now),
                          key=self._row_key(line.key))
        if state.unresolved:
            self.last_unknown = state.unresolved[-1]
        self._show_where()
        # Thousands of long-lived rows make every full garbage collection a visible pause
        # between a scan and its display: keep them out of the collector until the next load.
        gc.freeze()

    def _row_key(self, key: tuple[int, int]) -> str:
        return f"{key[0]}:{key[1]}"

    def _cells(self, product: Product, location: Location, counted: Decimal | None, expected: Decimal) -> list[Text]:
        """The cells of a line: who counted it comes last (several terminals may count one session)."""
        who = ", ".join(sorted(self.counters.get(self._row_key((product.id, location.id)), ())))
        cells = [literal(product.code), literal(_qty(counted, product), justify="right")]
        if self.session is not None and not self.session.blind:
            difference = None if counted is None else counted - expected
            style = "red" if difference and difference < 0 else "green" if difference else ""
            sign = "+" if difference and difference > 0 else ""
            cells += [
                literal(_qty(expected, product), justify="right"),
                literal("" if difference is None else sign + _qty(difference, product), style=style, justify="right"),
            ]
        cells += [literal(location.code), literal(product.name)]
        cells.append(literal(who))
        return cells

    def _show_where(self) -> None:
        if self.session is None:
            return
        done = len(self.counted)
        total = len(self.expected | self.counted)
        where = literal(f"#{self.session.id} ", style="bold")
        where.append(escape_controls(self.location_code))
        where.append(f"  {done}/{total}", style="dim")
        if self.session.blind:
            where.append(" blind", style="italic")
        self.query_one("#where", Static).update(where, layout=False)  # fixed sizes: no relayout on the scan path

    def _show_outcome(self, outcome: ScanOutcome, expected: Decimal | None) -> None:
        panel = self.query_one("#last", Static)
        panel.set_class(outcome.kind == "unknown", "-error")
        if outcome.kind == "location":
            self.location_code = outcome.location.code
            panel.update(literal(f"Counting at {outcome.location.code}", style="bold"), layout=False)
            self._show_where()
            return
        if outcome.kind == "unknown":
            self.last_unknown = outcome.record
            text = literal("Unknown barcode", style="bold red")
            text.append("\n")
            text.append(escape_controls(outcome.record.entered))
            text.append("\nF9 assign to a product", style="dim")
            panel.update(text, layout=False)
            self.app.bell()
            return
        product = outcome.product
        key = (product.id, outcome.location.id)
        self.counted.add(key)
        text = literal("Assigned to " if outcome.record.kind == "resolve" else "", style="bold")
        text.append(escape_controls(product.code), style="bold")
        text.append("\n")
        text.append(escape_controls(product.name))
        if outcome.record.kind == "set":
            text.append("\nset to ")
        else:
            text.append(f"\n+{_qty(outcome.added, product)} = ")
        text.append(f"{_qty(outcome.line_total, product)} {product.uom.code}", style="bold")
        if expected is not None:
            text.append(f"\nexpected {_qty(expected, product)}", style="dim")
        panel.update(text, layout=False)
        self._update_row(product, outcome.location, outcome.line_total, expected)
        self._show_where()

    def _update_row(self, product: Product, location: Location, counted: Decimal, expected: Decimal | None) -> None:
        """Queue a line's new cells; the table catches up a moment later, so a scan never waits on it."""
        key = self._row_key((product.id, location.id))
        self.counters.setdefault(key, set()).add(self.app.store.operator or self.app.store.terminal)
        self._dirty[key] = self._cells(product, location, counted, expected or Decimal(0))
        if self._flush_timer is None:
            self._flush_timer = self.set_timer(ROW_FLUSH_DELAY, self._flush_rows)

    def _flush_rows(self) -> None:
        """Write the queued lines into the table and put the cursor on the last one."""
        self._flush_timer = None
        table = self.query_one("#lines", DataTable)
        for key, cells in self._dirty.items():
            if key in table.rows:
                for column, cell in zip(table.columns, cells, strict=False):
                    table.update_cell(key, column, cell)
            else:
                table.add_row(*cells, key=key)
        if self._dirty:
            table.move_cursor(row=table.get_row_index(key))
        self._dirty.clear()

    # -- scans --------------------------------------------------------------------

    def journal_entry(self, reading: Reading, multiplier: Decimal | None) -> Entry:
        """The scan's journal entry, with its client id."""
        return count_scan(self.app.store, self.session_id, reading, multiplier)

    def write_scan(
        self, entry: Entry, reading: Reading, multiplier: Decimal | None, allowed: bool
    ) -> tuple[ScanOutcome, Decimal | None]:
        """In the writer: record the scan (``allowed``: a product outside the count's filter too)."""
        session = self.session or get_session(self.session_id)
        outcome = record_scan(self.app.store, session, reading, multiplier=multiplier, allow_outside=allowed,
                              client_id=entry["id"])
        expected = None
        if outcome.kind == "counted" and not session.blind:
            expected = on_hand(self.app.store, outcome.product, outcome.location, children=False)
        return outcome, expected

    def show_saved(self, saved: tuple[ScanOutcome, Decimal | None]) -> None:
        """What a scan counted, and against what was expected."""
        self._show_outcome(*saved)

    # -- actions --------------------------------------------------------------------

    def last_product_in_force(self) -> Product | None:
        return last_counted_product(get_session(self.session_id), self.app.store.terminal)

    def set_question(self, product: Product) -> str:
        return f"Set {product.code} at {self.location_code} to ({product.uom.code}, or '8.5 kg'):"

    def set_line(self, text: str, product: Product) -> None:
        quantity, unit_code = quantity_with_unit(text)
        unit = get_uom(unit_code) if unit_code else None
        session = get_session(self.session_id)
        record = set_count(self.app.store, session, product, quantity, unit=unit)
        total = line_total(session, product, record.location)
        outcome = ScanOutcome("counted", record, product=product, location=record.location, added=Decimal(0),
                              line_total=total)
        expected = None if session.blind else on_hand(self.app.store, product, record.location, children=False)
        self.app.call_from_thread(self._show_outcome, outcome, expected)

    def action_undo(self) -> None:
        """Undo this terminal's last scan (a new record; nothing is deleted)."""

        def job() -> None:
            self.app.after_kept_scans()  # the last scan may be one that waits
            record = undo(self.app.store, get_session(self.session_id))
            self._load()
            target = record.target
            what = target.entered or target.kind
            name = target.product.code if target.product_id else "unknown"
            self.app.call_from_thread(self.show_message, f"Undone: {what} {name}", style="bold yellow")

        self.submit(job)

    def action_switch_location(self) -> None:
        """Count at another location under the session's (a location label scan does the same)."""
        def chosen(code: str | None) -> None:
            if code:
                self.queue_scan(Reading(raw=code, code=code), None)

        self.app.push_screen(PromptDialog("Scan or type the location:"), chosen)

    def action_assign_unknown(self) -> None:
        """Assign the last unknown barcode to a product; it is saved as that product's barcode."""
        record = self.last_unknown
        if record is None:
            self.show_message("no unknown barcode to assign", error=True)
            return

        def chosen(code: str | None) -> None:
            if code:
                self.submit(lambda: self._assign(record, code))

        self.app.push_screen(PromptDialog(f"Assign {record.entered} to product (code or barcode):"), chosen)

    def _assign(self, record: CountRecord, code: str) -> None:
        self.app.after_kept_scans()
        product = product_for_input(code)
        session = get_session(self.session_id)
        resolved = resolve_unknown(self.app.store, session, record, product)
        self.last_unknown = None
        self._load()
        location = resolved.location
        outcome = ScanOutcome("counted", resolved, product=product, location=location, added=resolved.quantity,
                              line_total=line_total(session, product, location))
        expected = None if session.blind else on_hand(self.app.store, product, location, children=False)
        self.app.call_from_thread(self._show_outcome, outcome, expected)

    def action_recount(self) -> None:
        """Send the lines whose difference is over the session's tolerance to a recount."""

        def job() -> None:
            self.app.after_kept_scans()
            session = get_session(self.session_id)
            state = count_state(self.app.store, session)
            lines: list[CountLine] = [line for line in state.lines if over_tolerance(session, line)]
            sent = send_to_recount(self.app.store, session, lines)
            self._load()
            self.app.call_from_thread(self.notify, f"{sent} lines sent to recount")

        self.submit(job)

    def action_confirm(self) -> None:
        """Review conflicts and the variance, then post the differences (once no scan waits for the server)."""
        if self.app.waiting:
            self.show_message(f"{self.app.waiting} scans wait for the server: confirm once they are saved", error=True)
            return
        self.app.push_screen(CountConfirmScreen(self.session_id), lambda done: done and self.dismiss())

    def action_leave(self) -> None:
        """Back to the session list; the count stays open and can be resumed."""
        self.dismiss()
