"""The receiving screen: scan what arrived, see it against the order, and post it.

Small-first: at 20x16 and 40x16 the worker sees the order, the last scan
(product, received now against ordered, an over-receipt, or the error), the
quantity being typed and where the goods will go; the lines are one key
away (F5). From 80x24 the lines table shows beside it. Every scan is saved
by a single writer thread, in order, before the screen shows it.
"""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

from store.journal import Entry
from store.journal_entries import receipt_scan
from store.models import Location, Product, Receipt
from store.quantity import format_quantity
from store.receiving import (
    NotOnOrder,
    ReceiptLine,
    ReceiveOutcome,
    describe_receipt,
    get_receipt,
    last_received_product,
    put_away_location,
    receipt_lines,
    record_scan,
    set_received,
    undo,
    validate_receipt,
)
from store.scanned import Reading
from store.supply import STATE_LABELS
from store.units import get_uom
from tui.dialogs.prompt import ConfirmDialog, PromptDialog
from tui.journal_screen import JOURNAL_CSS, JournalScreen
from tui.literal import escape_controls, literal
from tui.readings import quantity_with_unit
from tui.wedge import ScanInput
from tui.widgets.top_bar import TopBar
from tui.wording import counted


def _qty(value: Decimal | None, product: Product) -> str:
    return "" if value is None else format_quantity(value, product.uom.precision)


class ReceivingScreen(JournalScreen[bool]):
    """Receiving one delivery; scans arrive from the wedge input or a serial scanner. Dismisses True once posted."""

    CSS_PATH = [JOURNAL_CSS, "receiving.tcss"]
    BINDINGS = [
        Binding("f3", "set_quantity", "Set"),
        Binding("f4", "undo", "Undo"),
        Binding("f5", "toggle_lines", "Lines"),
        Binding("f6", "validate", "Post"),
        Binding("f8", "choose_bin", "Bin"),
        Binding("escape", "leave", "Back"),
    ]

    QUESTIONS = (NotOnOrder,)
    DECLINED = "not received"
    SET_WHAT = "what arrived"

    def __init__(self, receipt_id: int) -> None:
        super().__init__()
        self.receipt_id = receipt_id
        self.receipt: Receipt | None = None
        self.destination: Location | None = None
        self.lines: dict[int, ReceiptLine] = {}

    def compose(self) -> ComposeResult:
        yield TopBar("Receive")
        with Vertical(id="job"):
            yield Static(id="where")
            yield Static(id="last")
            yield Static(id="pending")
            yield ScanInput(placeholder="scan or type qty", id="entry")
        yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#lines", DataTable)
        for column in ("Product", "Now", "Ordered", "Before", "Over", "Name"):  # quantities first: 20 columns
            table.add_column(column, key=column)
        self.submit(self._load)
        self.query_one("#entry").focus()

    # -- loading and showing ----------------------------------------------------

    def _load(self) -> None:
        receipt = get_receipt(self.receipt_id)
        lines = receipt_lines(self.app.store, receipt)
        order_state = receipt.order.state if receipt.order_id is not None else None
        self.app.call_from_thread(self._show_state, receipt, lines, order_state)

    def _show_state(self, receipt: Receipt, lines: list[ReceiptLine], order_state: str | None) -> None:
        self.receipt = receipt
        self.lines = {line.product.id: line for line in lines}
        table = self.query_one("#lines", DataTable)
        table.clear()
        for line in lines:
            table.add_row(*self._cells(line), key=str(line.product.id))
        self._show_where()
        if order_state == "cancelled":
            self.show_message(f"{describe_receipt(receipt)}: the order is cancelled; nothing can be received", error=True)
        elif order_state is not None and order_state != "pending":
            self.show_message(f"order {STATE_LABELS[order_state]}", style="dim")

    def _cells(self, line: ReceiptLine) -> list[Text]:
        product = line.product
        over = literal(f"+{_qty(line.over, product)}" if line.over else "", style="bold red", justify="right")
        if line.extra:
            over = literal("extra", style="bold yellow")
        return [
            literal(product.code),
            literal(_qty(line.received_now, product), justify="right"),
            literal(_qty(line.ordered, product), justify="right"),
            literal(_qty(line.received_before, product) if line.received_before else "", justify="right"),
            over,
            literal(product.name),
        ]

    def _show_where(self) -> None:
        if self.receipt is None:
            return
        receipt = self.receipt
        where = literal(f"#{receipt.order_id} " if receipt.order_id else "no order ", style="bold")
        where.append(escape_controls(receipt.supplier or receipt.warehouse.code))
        ordered = [line for line in self.lines.values() if line.ordered is not None]
        if ordered:
            done = sum(1 for line in ordered if line.received >= line.ordered)
            where.append(f"  {done}/{len(ordered)}", style="dim")
        if self.destination is not None:
            where.append(" > ")
            where.append(escape_controls(self.destination.code))
        self.query_one("#where", Static).update(where, layout=False)

    def show_saved(self, outcome: ReceiveOutcome) -> None:
        """What a scan (or a line set outright) received, and where the line stands."""
        line = outcome.line
        product = line.product
        self.lines[product.id] = line
        panel = self.query_one("#last", Static)
        panel.set_class(False, "-error")
        text = literal(product.code, style="bold")
        text.append("\n")
        text.append(escape_controls(product.name))
        text.append("\n")
        if outcome.record.kind == "set":
            text.append("set to ")
        elif outcome.added:
            text.append(f"+{_qty(outcome.added, product)} = ")
        text.append(_qty(line.received_now, product), style="bold")
        if line.ordered is not None:
            text.append(f" / {_qty(line.ordered - line.received_before, product)}")
        text.append(f" {product.uom.code}")
        if line.over:
            text.append(f"\nOVER by {_qty(line.over, product)}", style="bold red")
        elif line.extra:
            text.append("\nnot on the order", style="bold yellow")
        elif line.received_before:
            text.append(f"\nearlier {_qty(line.received_before, product)}", style="dim")
        panel.update(text, layout=False)
        table = self.query_one("#lines", DataTable)
        key = str(product.id)
        if key in table.rows:
            for column, cell in zip(table.columns, self._cells(line), strict=False):
                table.update_cell(key, column, cell)
        else:
            table.add_row(*self._cells(line), key=key)
        table.move_cursor(row=table.get_row_index(key))
        self._show_where()

    # -- scans --------------------------------------------------------------------

    def journal_entry(self, reading: Reading, multiplier: Decimal | None) -> Entry:
        """The scan's journal entry, with its client id."""
        return receipt_scan(self.app.store, self.receipt_id, reading, multiplier)

    def write_scan(self, entry: Entry, reading: Reading, multiplier: Decimal | None, allowed: bool) -> ReceiveOutcome:
        """In the writer: record the scan (``allowed``: a product not on the order too)."""
        receipt = self.receipt or get_receipt(self.receipt_id)
        return record_scan(self.app.store, receipt, reading, multiplier=multiplier, allow_extra=allowed,
                           client_id=entry["id"])

    # -- actions --------------------------------------------------------------------

    def last_product_in_force(self) -> Product | None:
        return last_received_product(get_receipt(self.receipt_id), self.app.store.terminal)

    def set_question(self, product: Product) -> str:
        return f"{product.code} received now ({product.uom.code}, or '6 kg'):"

    def set_line(self, text: str, product: Product) -> None:
        quantity, unit_code = quantity_with_unit(text)
        unit = get_uom(unit_code) if unit_code else None
        receipt = get_receipt(self.receipt_id)
        outcome = set_received(self.app.store, receipt, product, quantity, unit=unit, allow_extra=True)
        self.app.call_from_thread(self.show_saved, outcome)

    def action_undo(self) -> None:
        """Undo this terminal's last scan (a new record; nothing is deleted)."""

        def job() -> None:
            self.app.after_kept_scans()  # the last scan may be one that waits
            record = undo(self.app.store, get_receipt(self.receipt_id))
            target = record.target
            message = f"Undone: {target.entered} {target.product.code}"
            self._load()
            self.app.call_from_thread(self.show_message, message, style="bold yellow")

        self.submit(job)

    def action_choose_bin(self) -> None:
        """Choose the storage bin the goods go to (default: the warehouse's storage)."""

        def chosen(code: str | None) -> None:
            if code:
                self.submit(lambda: self._set_bin(code))

        self.app.push_screen(PromptDialog("Put away into (scan or type the bin):"), chosen)

    def _set_bin(self, code: str) -> None:
        location = put_away_location(get_receipt(self.receipt_id), code)
        self.app.call_from_thread(self._show_bin, location)

    def _show_bin(self, location: Location) -> None:
        self.destination = location
        self._show_where()
        self.show_message(f"Put away into {location.code}")

    def action_validate(self) -> None:
        """Post what arrived into stock, after a yes (once no scan waits for the server)."""
        if self.app.waiting:
            self.show_message(f"{self.app.waiting} scans wait for the server: post once they are saved", error=True)
            return
        received = [line for line in self.lines.values() if line.received_now > 0]
        if not received:
            self.show_message("nothing received yet: scan what arrived first", error=True)
            return
        over = [line.product.code for line in received if line.over]
        where = self.destination.code if self.destination is not None else "storage"
        question = literal(f"Post {counted(len(received), 'product')} into {where}?")
        if over:  # the line break is the app's own; the codes are escaped
            question.append("\nOver the order: ")
            question.append(escape_controls(", ".join(over)))
        self.app.push_screen(ConfirmDialog(question), lambda yes: yes and self.submit(self._post))

    def _post(self) -> None:
        receipt = get_receipt(self.receipt_id)
        moves = validate_receipt(self.app.store, receipt, self.destination)
        order = receipt.order if receipt.order_id is not None else None
        status = f"; order {STATE_LABELS[order.state]}" if order is not None else ""
        message = f"Receipt #{receipt.id}: {len(moves)} moves posted{status}"
        self.app.call_from_thread(self.notify, message, title="Received")
        self.app.call_from_thread(self.dismiss, True)

    def action_leave(self) -> None:
        """Back to the order list; the receipt stays open and can be resumed."""
        self.dismiss(False)
