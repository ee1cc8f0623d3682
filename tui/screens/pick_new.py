"""The new-pick-list screen: who it is for, then scan the products to send; F6 saves and reserves.

The reference comes proposed (the next free ``P-<n>``) and the warehouse
preselected when there is only one; Enter moves from field to field and on to
the scan entry. A number typed before a scan multiplies it, repeated scans of
a product add up, F4 takes the last line off. Every scan and the save go, in
order, through one writer thread; a refusal (unknown barcode, duplicate
reference...) is shown in the message panel and nothing entered is lost.

Small-first: at 20x16 the worker sees the last product and its quantity, the
number of lines and the last message; from 80x24 the lines show below.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Input, Label, Static

from store.errors import StockError
from store.locations import warehouses
from store.models import Product
from store.pick_entry import PickDraft, next_pick_reference, pick_warehouse, scanned_line
from store.picking import assign, create_pick_list
from store.quantity import format_quantity
from store.scanned import Reading
from tui.dialogs.prompt import ConfirmDialog
from tui.job_screen import JobScreen
from tui.literal import escape_controls, literal
from tui.wedge import ScanInput
from tui.widgets.top_bar import TopBar

HEAD_FIELDS = ("reference", "customer", "warehouse")


@dataclass(frozen=True)
class CreatedPick:
    """What the screen hands back: the new list and what assigning it said."""

    pick_id: int
    note: str


def _qty(value: Decimal, product: Product) -> str:
    return f"{format_quantity(value, product.uom.precision)} {product.uom.code}"


class NewPickScreen(JobScreen[CreatedPick | None]):
    """Enter a pick list with the keyboard and the scanner; dismissed with the created list, or None."""

    CSS_PATH = "pick_new.tcss"
    BINDINGS = [
        Binding("f3", "head", "Ref/for"),
        Binding("f4", "remove_last", "Remove last"),
        Binding("f6", "save", "Save"),
        Binding("escape", "leave", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.draft = PickDraft()
        self.current: Product | None = None
        self._saving = False

    def compose(self) -> ComposeResult:
        yield TopBar("New pick list")
        with Vertical(id="job"):
            for field, label, hint in (
                ("reference", "Ref", "reference"),
                ("customer", "For", "customer or member"),
                ("warehouse", "WH", "warehouse code"),
            ):
                with Horizontal(classes="field"):
                    yield Label(label, markup=False)
                    yield Input(placeholder=hint, id=field)
            yield Static(id="current")
            yield Static(id="count")
            yield Static(id="last")
            yield ScanInput(placeholder="scan or product code", id="entry")
        yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#lines", DataTable)
        for column in ("Product", "Name", "Qty"):
            table.add_column(column, key=column)
        self.submit(self._load_defaults)
        self.query_one("#customer").focus()
        self._show()

    # -- the writer: one thread looks up scans and saves, in the order they came -----

    def _load_defaults(self) -> None:
        """In the writer: the reference to propose, and the warehouse when there is only one."""
        found = warehouses()
        only = found[0].code if len(found) == 1 else ""
        self.app.call_from_thread(self._set_defaults, next_pick_reference(), only)

    def _set_defaults(self, reference: str, warehouse: str) -> None:
        for field, value in (("reference", reference), ("warehouse", warehouse)):
            entry = self.query_one(f"#{field}", Input)
            if not entry.value:  # never overwrite what the worker typed meanwhile
                entry.value = value

    # -- showing ----------------------------------------------------------------------

    def _show(self) -> None:
        current = self.query_one("#current", Static)
        if self.current is None:
            current.update(literal("Scan a product", style="dim"))
        else:
            product = self.current
            held = self.draft.quantities[product.id][1]
            text = literal(product.code, style="bold")
            text.append(" ")
            text.append(escape_controls(product.name))
            text.append(f"\n{_qty(held, product)}", style="bold")
            current.update(text)
        lines = len(self.draft.quantities)
        count = literal("1 line" if lines == 1 else f"{lines} lines")
        if self.multiplier is not None:
            count.append(f"  qty {self.multiplier} x next scan", style="bold")
        self.query_one("#count", Static).update(count)
        table = self.query_one("#lines", DataTable)
        table.clear()
        for product, quantity in self.draft.lines:
            table.add_row(literal(product.code), literal(product.name), literal(_qty(quantity, product), justify="right"))

    # -- the head fields ----------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves on to the next field, and from the last to the scan entry."""
        event.stop()
        position = HEAD_FIELDS.index(event.input.id)
        following = HEAD_FIELDS[position + 1] if position + 1 < len(HEAD_FIELDS) else "entry"
        self.query_one(f"#{following}").focus()

    def action_head(self) -> None:
        """Edit the reference, customer and warehouse (Enter on the last goes back to scanning)."""
        self.query_one("#reference").focus()

    # -- scans --------------------------------------------------------------------------

    def show_multiplier(self) -> None:
        """The quantity typed for the next scan."""
        self._show()

    def scanned(self, reading: Reading, multiplier: Decimal | None) -> None:
        """A scan from a serial scanner or the wedge: looked up in the writer, then added."""
        self._show()

        def job() -> None:
            product, quantity = scanned_line(reading, multiplier)
            self.app.call_from_thread(self._add, product, quantity)

        self.submit(job)

    def _add(self, product: Product, quantity: Decimal) -> None:
        total = self.draft.add(product, quantity)
        self.current = product
        self.show_message(f"+{_qty(quantity, product)} {product.code} = {format_quantity(total, product.uom.precision)}")
        self._show()

    # -- actions ------------------------------------------------------------------------

    def action_remove_last(self) -> None:
        """Take the last line off the list being entered."""
        removed = self.draft.remove_last()
        if removed is None:
            self.show_message("No lines to remove", error=True)
            return
        product, quantity = removed
        lines = self.draft.lines
        self.current = lines[-1][0] if lines else None
        self.show_message(f"Removed {product.code} ({_qty(quantity, product)})")
        self._show()

    def action_save(self) -> None:
        """Create the pick list, reserve its stock, and go back to the lists with it highlighted."""
        if self._saving:
            return
        self._saving = True
        reference, customer, warehouse = (self.query_one(f"#{field}", Input).value for field in HEAD_FIELDS)
        self.show_message("Saving...")

        def job() -> None:
            try:
                self._save(reference, customer, warehouse)
            finally:
                self._saving = False

        self.submit(job)

    def _save(self, reference: str, customer: str, warehouse_code: str) -> None:
        """In the writer, after every scan before it: create, then assign (a refusal leaves the screen as it was)."""
        store = self.app.store
        pick = create_pick_list(store, reference, pick_warehouse(warehouse_code), self.draft.lines, customer=customer)
        try:
            shortages = [str(shortage) for shortage in assign(store, pick)]
        except StockError as error:  # the list exists: picking it reserves again
            shortages = [f"nothing reserved: {error}"]
        note = f"Pick list {pick.reference} created"
        if shortages:
            note += "; " + "; ".join(shortages)
        self.app.call_from_thread(self.dismiss, CreatedPick(pick.id, note))

    def action_leave(self) -> None:
        """Back to the pick lists without saving; asks first when lines would be dropped."""
        lines = len(self.draft.quantities)
        if not lines:
            self.dismiss(None)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        dropped = "1 line" if lines == 1 else f"{lines} lines"
        self.app.push_screen(ConfirmDialog(f"Drop this pick list and its {dropped}?"), answered)
