"""The supply orders: F2 starts one (or F3 from a saved template), Enter opens one, F6 sends, F8 cancels.

F4 keeps the highlighted order's products and quantities as a named template.

Creating an order asks the supplier, the warehouse (not asked when there is
only one) and an optional expected date; a date that is not ISO 8601 is asked
again with the reason. All store work goes through the writer thread; a
refusal is shown as the store words it.

Small-first: the number, state and supplier come first; below 40 columns the
state shows by its short name (``pending``, ``partial``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from store.clock import parse_timestamp
from store.errors import InvalidValue
from store.locations import warehouses
from store.models import Location, SupplyOrder
from store.pick_entry import pick_warehouse
from store.supply import (
    STATE_LABELS,
    cancel_order,
    create_order,
    describe,
    get_order,
    get_template,
    line_counts,
    order_from_template,
    orders,
    send_order,
    template_from_order,
)
from store.text import check_name
from tui.dialogs.prompt import ConfirmDialog, PromptDialog
from tui.literal import literal
from tui.screens.order import OrderScreen
from tui.widgets.sized_table import fill_sized, highlighted_id
from tui.writer import WriterScreen

CLOSED_STATES = ("received", "cancelled")
MakeOrder = Callable[[Location, datetime | None], SupplyOrder]


class OrdersScreen(WriterScreen[None]):
    """Supply orders, newest first, with their state; the one just created or opened stays highlighted."""

    CSS_PATH = "orders.tcss"
    BINDINGS = [
        Binding("enter", "open", "Open", show=False),
        Binding("f2", "new", "New"),
        Binding("f6", "send", "Send"),
        Binding("f8", "cancel_order", "Cancel"),
        Binding("f3", "from_template", "Template"),
        Binding("f4", "keep_template", "As template"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[SupplyOrder, int]] = []
        self._highlight: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(literal("Supply orders", style="bold"), id="title")
        yield DataTable(id="orders", cursor_type="row", zebra_stripes=True)
        yield Static(id="message")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.refresh_orders()

    def refused(self, message: str) -> None:
        """A refusal from the store, shown as it is worded."""
        self._message(message, error=True)

    # -- the list -----------------------------------------------------------------------

    def refresh_orders(self, note: str = "") -> None:
        """Load the orders in the writer and show them (with ``note`` as the message, if any)."""

        def job() -> None:
            listed = orders()
            counts = line_counts(listed)
            self.app.call_from_thread(self._show, [(order, counts.get(order.id, 0)) for order in listed], note)

        self.submit(job)

    def _show(self, rows: list[tuple[SupplyOrder, int]], note: str = "") -> None:
        self.rows = rows
        table = self.query_one("#orders", DataTable)
        highlighted = self._highlight or self._highlighted()
        narrow = self.size.width < 40
        cells = [
            (str(order.id), (
                literal(str(order.id), justify="right"),
                literal(order.state if narrow else STATE_LABELS[order.state],
                        style="dim" if order.state in CLOSED_STATES else "bold"),
                literal(order.supplier),
                literal(order.warehouse.code),
                literal("" if order.expected_at is None else f"{order.expected_at.astimezone():%Y-%m-%d}"),
                literal(str(lines), justify="right"),
            ))
            for order, lines in rows
        ]  # fmt: skip
        fill_sized(table, ("#", "State", "Supplier", "WH", "Due", "Lines"), cells)
        if highlighted is not None and str(highlighted) in table.rows:
            table.move_cursor(row=table.get_row_index(str(highlighted)))
        self._highlight = None
        if note:
            self._message(note)
        elif not rows:
            self._message("No supply orders: F2 starts one")
        table.focus()

    def on_resize(self, event) -> None:
        if self.rows:
            self._show(self.rows)

    def _message(self, message: str, error: bool = False) -> None:
        self.query_one("#message", Static).update(literal(message, style="bold red" if error else "bold"))
        if error:
            self.app.bell()

    def _highlighted(self) -> int | None:
        return highlighted_id(self.query_one("#orders", DataTable))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open(int(event.row_key.value))

    def action_open(self) -> None:
        """Open the highlighted order."""
        order_id = self._highlighted()
        if order_id is not None:
            self._open(order_id)

    def _open(self, order_id: int) -> None:
        self._highlight = order_id
        self.app.push_screen(OrderScreen(order_id), lambda _: self.refresh_orders())

    # -- sending and cancelling ---------------------------------------------------------

    def action_send(self) -> None:
        """Validate the highlighted order if it is a draft, and mark it sent: pending receipt."""
        order_id = self._highlighted()
        if order_id is None:
            return

        def job() -> None:
            order = send_order(self.app.store, get_order(order_id))
            self.refresh_orders(f"{describe(order)} sent: pending receipt")

        self.submit(job)

    def action_cancel_order(self) -> None:
        """Cancel the highlighted order after asking: nothing more is received against it."""
        order_id = self._highlighted()
        if order_id is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.submit(job)

        def job() -> None:
            order = cancel_order(self.app.store, get_order(order_id))
            self.refresh_orders(f"{describe(order)} cancelled")

        self.app.push_screen(ConfirmDialog(f"Cancel supply order #{order_id}? It is kept, marked cancelled."), answered)

    # -- creating -----------------------------------------------------------------------

    def _ask(self, question: str, then: Callable[[str], None]) -> None:
        """Prompt on the UI thread; an answer (not Esc) goes to ``then`` in the writer."""

        def answered(answer: str | None) -> None:
            if answer is not None:
                self.submit(lambda: then(answer))

        self.app.push_screen(PromptDialog(question), answered)

    def action_new(self) -> None:
        """Start a draft order: asks the supplier, the warehouse and the expected date."""

        def supplier_given(supplier: str) -> None:
            supplier = check_name(supplier, "supplier")
            self._choose_warehouse(partial(create_order, self.app.store, supplier))

        self._ask("Supplier:", supplier_given)

    def action_from_template(self) -> None:
        """Start a draft order from a saved template: asks its name, the warehouse and the expected date."""

        def named(name: str) -> None:
            self._choose_warehouse(partial(order_from_template, self.app.store, get_template(name)))

        self._ask("Template name:", named)

    def action_keep_template(self) -> None:
        """Save the highlighted order's supplier, products and quantities as a template (asks its name)."""
        order_id = self._highlighted()
        if order_id is None:
            return

        def named(name: str) -> None:
            template = template_from_order(self.app.store, get_order(order_id), name)
            self.refresh_orders(f"Template {template.name} saved: F3 starts an order from it")

        self._ask(f"Keep order #{order_id} as template named:", named)

    def _choose_warehouse(self, make: MakeOrder) -> None:
        """In the writer: the only warehouse, or ask which."""
        found = warehouses()
        if len(found) == 1:
            self._ask_date(make, found[0])
            return
        question = f"Receive into warehouse ({', '.join(warehouse.code for warehouse in found)}):"
        self.app.call_from_thread(self._ask, question, lambda code: self._ask_date(make, pick_warehouse(code)))

    def _ask_date(self, make: MakeOrder, warehouse: Location, problem: str = "") -> None:
        """In the writer: ask the expected date (empty for none), again with the reason when it is not a date."""

        def dated(text: str) -> None:
            try:
                expected = parse_timestamp(text) if text else None
            except InvalidValue as error:
                self._ask_date(make, warehouse, str(error))
                return
            order = make(warehouse, expected)
            self._highlight = order.id
            self.refresh_orders(f"{describe(order)} created")
            self.app.call_from_thread(self._open, order.id)

        question = "Expected date (YYYY-MM-DD, empty: none):"
        if problem:
            self.app.call_from_thread(self._message, problem, True)
            question = f"{problem}. {question}"
        self.app.call_from_thread(self._ask, question, dated)

    def action_back(self) -> None:
        """Back to receiving."""
        self.dismiss(None)
