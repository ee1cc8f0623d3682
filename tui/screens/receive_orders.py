"""Choosing what to receive: an open supply order, or a delivery without one; F3 manages the orders."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from store.errors import StockError
from store.locations import find_location, warehouses
from store.models import SupplyOrder
from store.receiving import open_delivery, open_receipt
from store.supply import RECEIVABLE_STATES, STATE_LABELS, get_order, orders
from tui.dialogs.prompt import PromptDialog
from tui.literal import literal
from tui.screens.orders import OrdersScreen
from tui.screens.receiving import ReceivingScreen

NO_ORDER = "none"
SHOWN_STATES = (*RECEIVABLE_STATES, "cancelled")


class ReceiveOrdersScreen(Screen):
    """Orders to receive, newest first, and a row for a delivery without an order; Enter opens one.

    Cancelled orders are listed too, so a worker holding its paperwork learns
    why nothing can be received against it.
    """

    CSS_PATH = "receive_orders.tcss"
    BINDINGS = [
        Binding("enter", "open", "Open", show=False),
        Binding("f2", "no_order", "No order"),
        Binding("f3", "supply_orders", "Orders"),
        Binding("escape", "back", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(literal("Receive", style="bold"), id="title")
        yield DataTable(id="orders", cursor_type="row", zebra_stripes=True)
        yield Static(id="error")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#orders", DataTable)
        for column in ("#", "Supplier", "Status", "WH", "Due"):
            table.add_column(column, key=column)
        self.refresh_orders()

    @work(thread=True, exclusive=True, group="receive-orders", exit_on_error=False)
    def refresh_orders(self) -> None:
        """Load the orders in a worker and show them."""
        # cancelled orders last (stable: newest first within each), so the cursor starts on one to receive
        found = sorted(orders(SHOWN_STATES), key=lambda order: order.state == "cancelled")
        rows = [(order, order.warehouse.code) for order in found]
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[tuple[SupplyOrder, str]]) -> None:
        table = self.query_one("#orders", DataTable)
        table.clear()
        for order, warehouse in rows:
            closed = order.state == "cancelled"
            table.add_row(
                literal(str(order.id)),
                literal(order.supplier),
                literal(STATE_LABELS[order.state], style="dim strike" if closed else "bold"),
                literal(warehouse),
                literal("" if order.expected_at is None else f"{order.expected_at.astimezone():%m-%d}"),
                key=str(order.id),
            )
        table.add_row(literal("-"), literal("no order", style="italic"), "", "", "", key=NO_ORDER)
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._choose(event.row_key.value)

    def action_open(self) -> None:
        """Open the highlighted order (or the delivery without order)."""
        table = self.query_one("#orders", DataTable)
        if table.row_count:
            self._choose(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _choose(self, key: str) -> None:
        if key == NO_ORDER:
            self.action_no_order()
        else:
            self._open_order(int(key))

    @work(thread=True, group="receive-open", exit_on_error=False)
    def _open_order(self, order_id: int) -> None:
        try:
            receipt = open_receipt(self.app.store, get_order(order_id))
        except StockError as error:
            self.app.call_from_thread(self._error, str(error))
            return
        self.app.call_from_thread(self._receive, receipt.id)

    @work(thread=True, group="receive-open", exit_on_error=False)
    def action_no_order(self) -> None:
        """Receive a delivery that has no order: into the only warehouse, or the one named."""
        known = warehouses()
        if len(known) == 1:
            self._deliver(known[0].code)
            return
        question = f"Receive into warehouse ({', '.join(w.code for w in known)}):"
        self.app.call_from_thread(
            self.app.push_screen, PromptDialog(question), lambda code: code and self._open_delivery(code)
        )

    @work(thread=True, group="receive-open", exit_on_error=False)
    def _open_delivery(self, code: str) -> None:
        self._deliver(code)

    def _deliver(self, code: str) -> None:
        """Resume or start this terminal's delivery into the warehouse ``code`` (in a worker thread)."""
        warehouse = find_location(code)
        if warehouse is None or warehouse.type != "warehouse":
            self.app.call_from_thread(self._error, f"no warehouse {code!r}")
            return
        receipt = open_delivery(self.app.store, warehouse)
        self.app.call_from_thread(self._receive, receipt.id)

    def _receive(self, receipt_id: int) -> None:
        self.query_one("#error", Static).update("")
        self.app.push_screen(ReceivingScreen(receipt_id), lambda _: self.refresh_orders())

    def _error(self, message: str) -> None:
        self.query_one("#error", Static).update(literal(message, style="bold red"))
        self.app.bell()

    def action_supply_orders(self) -> None:
        """Create, edit and send supply orders; back here the list shows what changed."""
        self.app.push_screen(OrdersScreen(), lambda _: self.refresh_orders())

    def action_back(self) -> None:
        """Back to the home screen."""
        self.dismiss()
