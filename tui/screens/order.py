"""One supply order: its header and lines; a draft is edited by scans and prompts, then sent.

A product is added by a scan or a typed product code (a number typed and
entered first is the quantity of the next scan, as on the transfer screen);
repeated scans add up on its line. Up/Down highlight a line, whose quantity,
unit cost or discount a prompt changes. Every change goes through the writer
thread to ``store.supply``, which refuses edits to an order that is no longer a
draft: the refusal is shown as the store words it and nothing changes.

Small-first: at 20x16 the worker sees the order, its state, the highlighted
line and the last message; from 80x24 the lines table shows below.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

from store.models import Product, SupplyOrder, SupplyOrderLine
from store.quantity import format_quantity, parse_decimal
from store.scanned import Reading, scanned_product
from store.supply import (
    DEFAULT_TARGET_FACTOR,
    STATE_LABELS,
    add_scanned,
    change_line,
    describe,
    fill_from_low_stock,
    get_order,
    history,
    net_unit_cost,
    order_line,
    order_lines,
    remove_line,
    send_order,
    validate_order,
)
from tui.dialogs.order_history import OrderHistoryDialog
from tui.dialogs.prompt import PromptDialog
from tui.job_screen import JobScreen
from tui.literal import escape_controls, literal
from tui.wedge import ScanInput
from tui.widgets.top_bar import TopBar


def _qty(value: Decimal, product: Product) -> str:
    return f"{format_quantity(value, product.uom.precision)} {product.uom.code}"


def _money(value: Decimal | None) -> str:
    return "-" if value is None else f"{value.normalize():f}"


def order_heading(order: SupplyOrder) -> str:
    """The header of an order: "#3 Acme  WH  due 2026-12-01  draft"."""
    due = "" if order.expected_at is None else f"  due {order.expected_at.astimezone():%Y-%m-%d}"
    return f"#{order.id} {order.supplier}  {order.warehouse.code}{due}  {STATE_LABELS[order.state]}"


class OrderScreen(JobScreen[None]):
    """A supply order: scan products onto a draft, change its lines with prompts, validate and send it."""

    CSS_PATH = "order.tcss"
    BINDINGS = [
        Binding("f6", "send", "Send"),  # first: the footer at 20 columns shows only the first few
        Binding("f3", "change('quantity')", "Qty"),
        Binding("f5", "change('cost')", "Cost"),
        Binding("f7", "change('discount')", "Disc"),
        Binding("f4", "remove", "Remove"),
        Binding("f9", "fill", "Low stock"),
        Binding("f8", "validate", "Validate"),
        Binding("f2", "history", "History"),
        Binding("down", "move(1)", "Next line", show=False),
        Binding("up", "move(-1)", "Previous line", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, order_id: int) -> None:
        super().__init__()
        self.order_id = order_id
        self.order: SupplyOrder | None = None
        self.lines: list[SupplyOrderLine] = []

    def compose(self) -> ComposeResult:
        yield TopBar(f"Order #{self.order_id}")
        with Vertical(id="job"):
            yield Static(id="head")
            yield Static(id="current")
            yield Static(id="count")
            yield Static(id="last")
            yield ScanInput(placeholder="scan or product code", id="entry")
        yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#lines", DataTable)
        for column in ("Product", "Qty", "Cost", "Disc %", "Net"):
            table.add_column(column, key=column)
        self.query_one("#entry").focus()
        self.submit(self._load)

    # -- the writer ---------------------------------------------------------------------

    def _load(self, note: str = "") -> None:
        """In the writer: the order and its lines as the database has them now."""
        order = get_order(self.order_id)
        self.app.call_from_thread(self._show, order, order_heading(order), order_lines(order), note)

    # -- showing ------------------------------------------------------------------------

    def _show(self, order: SupplyOrder, heading: str, lines: list[SupplyOrderLine], note: str) -> None:
        self.order, self.lines = order, lines
        head = literal(heading, style="bold")
        if order.state != "draft":
            head.append("  read-only", style="italic")
        self.query_one("#head", Static).update(head)
        table = self.query_one("#lines", DataTable)
        highlighted = self._highlighted()
        table.clear()
        for line in lines:
            table.add_row(
                literal(line.product.code),
                literal(_qty(line.quantity, line.product), justify="right"),
                literal(_money(line.unit_cost), justify="right"),
                literal(_money(line.discount_pct), justify="right"),
                literal(_money(net_unit_cost(line)), justify="right"),
                key=str(line.product_id),
            )
        if highlighted is not None and str(highlighted.product_id) in table.rows:
            table.move_cursor(row=table.get_row_index(str(highlighted.product_id)))
        if note:
            self.show_message(note)
        self._show_current()

    def _show_current(self) -> None:
        line = self._highlighted()
        current = self.query_one("#current", Static)
        if line is None:
            current.update(literal("Scan a product" if self._draft() else "No lines", style="dim"))
        else:
            text = literal(line.product.code, style="bold")
            text.append(" ")
            text.append(escape_controls(line.product.name))
            text.append(f"\n{_qty(line.quantity, line.product)} @ {_money(net_unit_cost(line))}", style="bold")
            current.update(text)
        count = literal("1 line" if len(self.lines) == 1 else f"{len(self.lines)} lines")
        if self.multiplier is not None:
            count.append(f"  qty {self.multiplier} x next scan", style="bold")
        self.query_one("#count", Static).update(count)

    def _draft(self) -> bool:
        return self.order is not None and self.order.state == "draft"

    def _highlighted(self) -> SupplyOrderLine | None:
        table = self.query_one("#lines", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((line for line in self.lines if str(line.product_id) == key), None)

    def action_move(self, step: int) -> None:
        """Highlight the next or previous line."""
        table = self.query_one("#lines", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))
            self._show_current()

    # -- scans --------------------------------------------------------------------------

    def show_multiplier(self) -> None:
        """The quantity typed for the next scan."""
        self._show_current()

    def scanned(self, reading: Reading, multiplier: Decimal | None) -> None:
        """A scan from a serial scanner or the wedge: added to the order in the writer."""
        self._show_current()

        def job() -> None:
            product, quantity = scanned_product(reading, multiplier)
            line = add_scanned(self.app.store, get_order(self.order_id), product, quantity)
            self._load(f"+{_qty(quantity, product)} {product.code} = {_qty(line.quantity, product)}")
            self.app.call_from_thread(self._highlight, product.id)

        self.submit(job)

    def _highlight(self, product_id: int) -> None:
        table = self.query_one("#lines", DataTable)
        if str(product_id) in table.rows:
            table.move_cursor(row=table.get_row_index(str(product_id)))
            self._show_current()

    # -- changing lines -----------------------------------------------------------------

    def _ask(self, question: str, value: str, then: Callable[[str], None]) -> None:
        """Ask with a prompt; the answer (not a cancel) goes to ``then`` in the writer."""

        def answered(answer: str | None) -> None:
            if answer is not None:
                self.submit(lambda: then(answer))

        self.app.push_screen(PromptDialog(question, value), answered)

    def action_change(self, what: str) -> None:
        """Change the highlighted line's quantity, unit cost (empty for none) or discount in %."""
        line = self._highlighted()
        if line is None:
            self.show_message("No line to change", error=True)
            return
        product = line.product
        current = {
            "quantity": format_quantity(line.quantity, product.uom.precision),
            "cost": "" if line.unit_cost is None else _money(line.unit_cost),
            "discount": _money(line.discount_pct),
        }[what]
        question = {
            "quantity": f"Quantity of {product.code} ({product.uom.code}):",
            "cost": f"Unit cost of {product.code} (empty: none):",
            "discount": f"Discount on {product.code} in %:",
        }[what]

        def change(answer: str) -> None:
            order = get_order(self.order_id)
            now = order_line(order, product)
            quantity, cost, discount = now.quantity, now.unit_cost, now.discount_pct
            if what == "quantity":
                quantity = parse_decimal(answer)
            elif what == "cost":
                cost = parse_decimal(answer, "unit cost") if answer else None
            else:
                discount = parse_decimal(answer, "discount")
            change_line(self.app.store, order, product, quantity, cost, discount)
            self._load(f"{product.code} changed")

        self._ask(question, current, change)

    def action_remove(self) -> None:
        """Take the highlighted line off the draft."""
        line = self._highlighted()
        if line is None:
            self.show_message("No line to remove", error=True)
            return
        product = line.product

        def job() -> None:
            remove_line(self.app.store, get_order(self.order_id), product)
            self._load(f"Removed {product.code}")

        self.submit(job)

    def action_fill(self) -> None:
        """Add every low product of the warehouse, ordered up to a target level (asked; empty for the default)."""
        question = f"Order low products up to (empty: {DEFAULT_TARGET_FACTOR} x their threshold):"

        def fill(answer: str) -> None:
            target = parse_decimal(answer, "target level") if answer else None
            added = fill_from_low_stock(self.app.store, get_order(self.order_id), target=target)
            codes = ", ".join(line.product.code for line in added)
            self._load(f"Added {codes} (low stock)" if added else "No low product to add")

        self._ask(question, "", fill)

    # -- states -------------------------------------------------------------------------

    def action_validate(self) -> None:
        """Freeze the draft's lines (it can still be sent)."""
        self._change_state(validate_order, "validated")

    def action_send(self) -> None:
        """Validate the draft if need be and mark it sent: pending receipt."""
        self._change_state(send_order, "sent: pending receipt")

    def _change_state(self, change: Callable[..., SupplyOrder], done: str) -> None:
        def job() -> None:
            order = change(self.app.store, get_order(self.order_id))
            self._load(f"{describe(order)} {done}")

        self.submit(job)

    def action_history(self) -> None:
        """Show every status the order went through, with who and when."""

        def job() -> None:
            order = get_order(self.order_id)
            statuses = history(order)
            self.app.call_from_thread(self.app.push_screen, OrderHistoryDialog(describe(order), statuses))

        self.submit(job)

    def action_back(self) -> None:
        """Back to the orders (everything is already saved)."""
        self.dismiss(None)
