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

from store.catalog import product_by_barcode
from store.errors import InvalidValue, NotFound
from store.locations import find_location
from store.models import Location, Product
from store.quantity import format_quantity
from store.scanned import Reading, scanned_quantity
from store.transfers import transfer_lines
from store.units import check_precision
from tui.job_screen import JobScreen
from tui.literal import escape_controls, literal
from tui.wedge import ScanInput
from tui.widgets.top_bar import TopBar


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

    def refused(self, message: str) -> None:
        """A refusal from the store, shown where this screen shows its messages."""
        self._message(message, True)

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

    def _message(self, message: str, error: bool = False) -> None:
        last = self.query_one("#last", Static)
        last.update(literal(message, style="bold red" if error else "bold"))
        last.set_class(error, "-error")
        if error:
            self.app.bell()

    def show_multiplier(self) -> None:
        """The quantity typed for the next scan."""
        self._show()

    def scanned(self, reading: Reading, multiplier: Decimal | None) -> None:
        """A scan from a serial scanner or the wedge: a bin label or a product."""
        self.submit(lambda: self._handle(reading, multiplier))

    def _handle(self, reading: Reading, multiplier: Decimal | None) -> None:
        """In the writer: a bin label or a product barcode."""
        code = (reading.code or reading.raw).strip()
        location = find_location(code)
        if location is not None:
            self._at_location(location)
            return
        found = product_by_barcode(code)
        if found is None:
            raise NotFound(f"Unknown barcode {code}")
        if self.source is None:
            raise InvalidValue("Scan the bin to take from first")
        product, package = found
        quantity, _ = scanned_quantity(product, package, reading)
        if multiplier is not None:
            quantity = check_precision(quantity * multiplier, product.uom)
        self.app.call_from_thread(self._add, product, quantity)

    def _add(self, product: Product, quantity: Decimal) -> None:
        self.armful.append((product, quantity))
        self._message(f"+{format_quantity(quantity, product.uom.precision)} {product.code}")
        self._show()

    def _at_location(self, location: Location) -> None:
        """In the worker: a bin scanned is the source, or with an armful the destination."""
        if self.source is None or not self.armful:
            if location.type != "storage":
                raise InvalidValue(f"{location.code} is a {location.type} location: take from a storage location")
            self.app.call_from_thread(self._set_source, location)
            return
        moves = transfer_lines(self.app.store, list(self.armful), self.source, location)
        summary = f"Moved {len(moves)} lines {self.source.code} -> {location.code}"
        self.app.call_from_thread(self._moved, summary)

    def _set_source(self, location: Location) -> None:
        self.source = location
        self._message(f"Taking from {location.code}")
        self._show()

    def _moved(self, summary: str) -> None:
        self.source, self.armful = None, []
        self._message(summary)
        self._show()

    def action_undo(self) -> None:
        """Put back the last product scanned (nothing was posted yet)."""
        if self.armful:
            product, quantity = self.armful.pop()
            self._message(f"Put back {format_quantity(quantity, product.uom.precision)} {product.code}")
            self._show()

    def action_restart(self) -> None:
        """Drop the armful and the source, and start again."""
        self.source, self.armful, self.multiplier = None, [], None
        self._message("Restarted")
        self._show()

    def action_leave(self) -> None:
        """Back to the home screen; an armful not yet put down is dropped (nothing was posted)."""
        self.dismiss()
