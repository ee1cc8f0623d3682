"""The pick screen: go to the bin it shows, scan the bin, scan the products, and finish.

Small-first: at 20x16 and 40x16 the picker sees the bin to go to, the product
and quantity to take there, what is picked of it, and the last scan's result
or error; the stops are one key away (F5). From 80x24 they show below. Opening
the screen reserves what the list still lacks. Every scan is saved by a single
writer thread, in order, before the screen shows it; a wrong bin or product
rings the bell and says where to go instead. While the server is away a scan
is kept in the terminal's journal instead: the screen says so and that it is
checked once the server is back (a kept bin scan takes the view to that bin,
a kept product scan picks nothing yet); undo, short and done wait for the
kept scans, and the list is read again once they are written.
"""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

from store.journal import Entry
from store.journal_entries import pick_scan
from store.models import Location, PickList, Product
from store.pick_finish import finish
from store.pick_scans import current_location, record_pick_scan, short_pick, undo_pick
from store.picking import PickState, Shortage, Stop, assign, pick_state
from store.quantity import format_quantity
from store.scanned import Reading
from tui.dialogs.prompt import ConfirmDialog
from tui.journal_screen import JOURNAL_CSS, JournalScreen
from tui.literal import escape_controls, literal
from tui.wedge import ScanInput
from tui.widgets.top_bar import TopBar
from tui.wording import counted


def _qty(value: Decimal, product: Product) -> str:
    return format_quantity(value, product.uom.precision)


class PickScreen(JournalScreen):
    """Picking one pick list; scans arrive from the wedge input or a serial scanner."""

    CSS_PATH = [JOURNAL_CSS, "picking.tcss"]
    BINDINGS = [
        Binding("f3", "short", "Short"),
        Binding("f4", "undo", "Undo"),
        Binding("f5", "toggle_lines", "Lines"),
        Binding("f6", "done", "Done"),
        Binding("escape", "leave", "Back"),
    ]

    def __init__(self, pick_id: int) -> None:
        super().__init__()
        self.pick_id = pick_id
        self.state: PickState | None = None
        self.here: Location | None = None

    def compose(self) -> ComposeResult:
        yield TopBar("Pick")
        with Vertical(id="job"):
            yield Static(id="where")
            yield Static(id="todo")
            yield Static(id="last")
            yield Static(id="pending")
            yield ScanInput(placeholder="scan bin, then products", id="entry")
        yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#lines", DataTable)
        for column in ("Bin", "Product", "Take", "Picked"):
            table.add_column(column, key=column)
        self.submit(self._open)
        self.query_one("#entry").focus()

    # -- the writer: one thread saves scans in the order they came -----------------

    def _pick(self) -> PickList:
        return PickList.get_by_id(self.pick_id)

    def _open(self) -> None:
        """Reserve what the list still lacks, then show it with what could not be reserved."""
        pick = self._pick()
        shortages = assign(self.app.store, pick) if pick.state == "draft" else []
        self._load()
        if shortages:
            self.app.call_from_thread(self._show_shortages, shortages)

    def _load(self) -> None:
        pick = self._pick()
        state = pick_state(pick)
        here = current_location(pick, self.app.store.terminal)
        self.app.call_from_thread(self._show_state, state, here)

    # -- showing ------------------------------------------------------------------

    def _show_state(self, state: PickState, here: Location | None) -> None:
        self.state, self.here = state, here
        table = self.query_one("#lines", DataTable)
        table.clear()
        for stop in state.stops:
            style = "dim" if stop.remaining <= 0 else ""
            table.add_row(
                literal(stop.location.code, style=style),
                literal(stop.product.code, style=style),
                literal(_qty(stop.remaining, stop.product), justify="right"),
                literal(_qty(stop.picked, stop.product) + (" short" if stop.short else ""), justify="right"),
            )
        self._show_where()
        self._show_todo()

    def _show_where(self) -> None:
        if self.state is None:
            return
        stops = self.state.stops
        done = sum(1 for stop in stops if stop.remaining <= 0)
        where = literal(self.state.pick_list.reference, style="bold")
        where.append(f" {done}/{len(stops)}", style="dim")
        if self.here is not None:
            where.append(" @")
            where.append(escape_controls(self.here.code))
        self.query_one("#where", Static).update(where)

    def current_stop(self) -> Stop | None:
        """The stop to work on: an open one at the bin the picker is at, else the next in walking order."""
        if self.state is None:
            return None
        if self.here is not None:
            for stop in self.state.stops:
                if stop.location.id == self.here.id and stop.remaining > 0:
                    return stop
        return self.state.next_stop

    def _show_todo(self) -> None:
        stop = self.current_stop()
        todo = self.query_one("#todo", Static)
        if stop is None:
            todo.update(self._nothing_left())
            return
        at_bin = self.here is not None and self.here.id == stop.location.id
        text = literal("Take " if at_bin else "Go to ", style="bold")
        text.append(escape_controls(stop.location.code), style="bold reverse" if not at_bin else "bold")
        text.append("\n")
        text.append(escape_controls(stop.product.code), style="bold")
        text.append(" ")
        text.append(escape_controls(stop.product.name))
        text.append(f"\n{_qty(stop.remaining, stop.product)} {stop.product.uom.code}", style="bold")
        text.append(f" (picked {_qty(stop.picked, stop.product)})", style="dim")
        todo.update(text)

    def _nothing_left(self) -> Text:
        """What F6 does once no stop asks for more: finish, finish and backorder the lines short, or nothing."""
        assert self.state is not None
        short = len(self.state.backorder_lines)
        if not short:
            return literal("All picked: F6 done", style="bold green")
        text = literal("Nothing left to pick", style="bold")
        if self.state.picked_any:
            text.append(f"\n{counted(short, 'line')} short:\nF6 done, backorder", style="bold yellow")
        else:
            text.append("\nnone picked: Esc,\nF8 cancels the list", style="bold yellow")
        return text

    def _show_shortages(self, shortages: list[Shortage]) -> None:
        self.show_message("; ".join(str(shortage) for shortage in shortages), style="bold yellow")

    # -- scans --------------------------------------------------------------------

    def journal_entry(self, reading: Reading, multiplier: Decimal | None) -> Entry:
        """The scan's journal entry, with its client id."""
        return pick_scan(self.app.store, self.pick_id, reading, multiplier)

    def write_scan(
        self, entry: Entry, reading: Reading, multiplier: Decimal | None, allowed: bool
    ) -> tuple[PickState, Location, str]:
        """In the writer: record the pick, and read what the screen shows of it."""
        outcome = record_pick_scan(self.app.store, self._pick(), reading, multiplier=multiplier, client_id=entry["id"])
        here = outcome.record.location
        if outcome.kind == "location":
            message = f"At {here.code}"
        else:
            stop = outcome.stop
            message = f"+{_qty(outcome.added, stop.product)} {stop.product.code} = {_qty(stop.picked, stop.product)}"
            if stop.over:  # the rest of a weighed piece, taken whole
                message += f", {_qty(stop.over, stop.product)} {stop.product.uom.code} over"
        return outcome.state, here, message

    def show_saved(self, saved: tuple[PickState, Location, str]) -> None:
        """The pick with the scan, and what it took."""
        state, here, message = saved
        self._show_state(state, here)
        self.show_message(message)

    def show_kept(self, reading: Reading, waiting: int) -> None:
        """A scan kept in the journal while the server is away: not lost, checked and written once it is back.

        A bin of the list takes the view there; a product is not shown as picked before the store has checked it.
        """
        code = (reading.code or reading.raw).strip()
        if self.state is not None and reading.weight_kg is None and reading.count is None:
            bin_ = next((stop.location for stop in self.state.stops
                         if code in (stop.location.code, stop.location.barcode) and stop.remaining > 0), None)
            if bin_ is not None:
                self.here = bin_
                self._show_where()
                self._show_todo()
        text = literal("Kept offline: ", style="bold yellow")
        text.append(escape_controls(code))
        text.append("\nkept, checked when the server is back")
        text.append(f"\n{waiting} waiting for the server", style="dim")
        last = self.query_one("#last", Static)
        last.update(text)
        last.set_class(False, "-error")

    # -- actions --------------------------------------------------------------------

    def action_short(self) -> None:
        """Close the current stop short: what is not there is released and goes on a backorder."""
        stop = self.current_stop()
        if stop is None or self.here is None or stop.location.id != self.here.id:
            self.show_message("scan the bin first, then F3 if it holds too little", error=True)
            return
        location, product = stop.location, stop.product
        question = (
            f"Short pick {product.code} at {location.code}: "
            f"{_qty(stop.picked, product)} of {_qty(stop.reserved, product)} {product.uom.code} taken?"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.submit(lambda: self._short(location, product))

        self.app.push_screen(ConfirmDialog(question), answered)

    def _short(self, location: Location, product: Product) -> None:
        self.app.after_kept_scans()  # a kept scan may pick at this stop
        released = short_pick(self.app.store, self._pick(), location, product)
        self._load()
        self.app.call_from_thread(
            self.show_message, f"Short {product.code}: {_qty(released, product)} {product.uom.code} released",
            style="bold yellow",
        )

    def action_undo(self) -> None:
        """Undo this terminal's last pick (a new record; nothing is deleted)."""

        def job() -> None:
            self.app.after_kept_scans()  # the last scan may be one that waits
            record = undo_pick(self.app.store, self._pick())
            self._load()
            self.app.call_from_thread(
                self.show_message, f"Undone: {record.entered} {record.product.code}", style="bold yellow"
            )

        self.submit(job)

    def action_done(self) -> None:
        """Ship what is picked; after asking, what is missing goes on a backorder."""
        if self.state is None:
            return
        if self.state.complete or not self.state.picked_any:  # nothing to ask, or finishing is refused
            self.submit(self._finish)
            return
        missing = len(self.state.backorder_lines)

        def answered(yes: bool | None) -> None:
            if yes:
                self.submit(self._finish)

        lines = "1 line" if missing == 1 else f"{missing} lines"
        self.app.push_screen(ConfirmDialog(f"{lines} not picked in full: finish and backorder the rest?"), answered)

    def _finish(self) -> None:
        self.app.after_kept_scans()  # finishing now would leave the kept scans out
        result = finish(self.app.store, self._pick())
        note = f"{result.pick_list.reference} done"
        if result.backorder is not None:
            note += f"; backorder {result.backorder.reference}"
        self.app.call_from_thread(self.notify, note, title="Pick")
        self.app.call_from_thread(self.dismiss, True)

    def action_leave(self) -> None:
        """Back to the pick lists; the list stays open with its picks and reservations."""
        self.dismiss(False)
