"""The transfer screen: scan the bin you take from, the products you take, then the bin you put them in.

The products scanned make an armful held on screen; scanning the destination
posts the whole armful as done moves in one transaction (all or nothing), so
a refusal ("Only 3 pc of BEANS at A-01; 5 requested") leaves the armful to
fix. Store work runs in a worker; the screen only shows and delegates.
"""

from __future__ import annotations

from decimal import Decimal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static

from store.errors import InvalidValue
from store.models import Location, Product
from store.quantity import format_quantity
from store.scanned import Reading, bin_or_product
from store.transfers import transfer_lines
from tui.job_screen import JobScreen
from tui.literal import escape_controls, literal
from tui.wedge import ScanInput
from tui.widgets.top_bar import TopBar
from tui.wording import counted


class TransferScreen(JobScreen):
    """Move stock between bins or warehouses by scanning source, products and destination."""

    CSS_PATH = "transfer.tcss"
    BINDINGS = [
        Binding("f4", "undo", "Undo"),
        Binding("f8", "restart", "Restart"),
        Binding("escape", "leave", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.source: Location | None = None
        self.armful: list[tuple[Product, Decimal]] = []

    def compose(self) -> ComposeResult:
        yield TopBar("Transfer")
        with Vertical(id="job"):
            yield Static(id="step")
            yield Static(id="armful")
            yield Static(id="last")
            yield ScanInput(placeholder="scan", id="entry")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one("#entry").focus()
        self._show()

    def _show(self) -> None:
        if self.source is None:
            step = literal("Scan the bin to take from", style="bold")
        else:
            step = literal("From ", style="bold")
            step.append(escape_controls(self.source.code), style="bold")
            step.append(": scan products, then the bin to put them in" if not self.armful else ": scan the bin to put them in")
        self.query_one("#step", Static).update(step)
        totals: dict[int, tuple[Product, Decimal]] = {}
        for product, quantity in self.armful:
            held = totals.get(product.id, (product, Decimal(0)))[1]
            totals[product.id] = (product, held + quantity)
        armful = literal("")
        for product, quantity in totals.values():
            armful.append(f"{format_quantity(quantity, product.uom.precision)} {product.uom.code} ")
            armful.append(escape_controls(product.code) + "\n")
        if self.multiplier is not None:
            armful.append(f"qty {self.multiplier} x next scan", style="bold")
        self.query_one("#armful", Static).update(armful)

    def show_multiplier(self) -> None:
        """The quantity typed for the next scan."""
        self._show()

    def scanned(self, reading: Reading, multiplier: Decimal | None) -> None:
        """A scan from a serial scanner or the wedge: a bin label or a product."""
        self.submit(lambda: self._handle(reading, multiplier))

    def _handle(self, reading: Reading, multiplier: Decimal | None) -> None:
        """In the writer: a bin label or a product barcode."""
        found = bin_or_product(reading, multiplier)
        if isinstance(found, Location):
            self._at_location(found)
            return
        if self.source is None:
            raise InvalidValue("Scan the bin to take from first")
        self.app.call_from_thread(self._add, *found)

    def _add(self, product: Product, quantity: Decimal) -> None:
        self.armful.append((product, quantity))
        self.show_message(f"+{format_quantity(quantity, product.uom.precision)} {product.code}")
        self._show()

    def _at_location(self, location: Location) -> None:
        """In the worker: a bin scanned is the source, or with an armful the destination."""
        if self.source is None or not self.armful:
            if location.type != "storage":
                raise InvalidValue(f"{location.code} is a {location.type} location: take from a storage location")
            self.app.call_from_thread(self._set_source, location)
            return
        moves = transfer_lines(self.app.store, list(self.armful), self.source, location)
        summary = f"Moved {counted(len(moves), 'line')} {self.source.code} -> {location.code}"
        self.app.call_from_thread(self._moved, summary)

    def _set_source(self, location: Location) -> None:
        self.source = location
        self.show_message(f"Taking from {location.code}")
        self._show()

    def _moved(self, summary: str) -> None:
        self.source, self.armful = None, []
        self.show_message(summary)
        self._show()

    def action_undo(self) -> None:
        """Put back the last product scanned (nothing was posted yet)."""
        if self.armful:
            product, quantity = self.armful.pop()
            self.show_message(f"Put back {format_quantity(quantity, product.uom.precision)} {product.code}")
            self._show()

    def action_restart(self) -> None:
        """Drop the armful and the source, and start again."""
        self.source, self.armful, self.multiplier = None, [], None
        self.show_message("Restarted")
        self._show()

    def action_leave(self) -> None:
        """Back to the home screen; an armful not yet put down is dropped (nothing was posted)."""
        self.dismiss()
