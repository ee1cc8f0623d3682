"""The adjustment screen: add or remove stock by hand at a bin, with a reason label.

Scan the bin, then the product (a number typed and Enter before the scan sets
how many); F2/F3 choose in or out, the arrows or F5 the reason among the labels
for that direction, F7 lets a removal take reserved stock, F6 posts. A refusal
("Only 3 pc of BEANS at A-01; 5 requested") leaves everything on screen to fix.
Store work runs in one worker thread, in the order it was asked; the rules are
in ``store.adjustments``.
"""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from store.adjustments import add_stock, reasons, remove_stock
from store.errors import InvalidValue
from store.models import Location, Product
from store.quantity import format_quantity
from store.scanned import Reading, bin_or_product
from tui.job_screen import JobScreen
from tui.literal import escape_controls, literal
from tui.wedge import ScanInput
from tui.widgets.top_bar import TopBar

DIRECTION_LABELS = {"in": "+ in", "out": "- out"}


class AdjustScreen(JobScreen):
    """Add or remove stock by hand at one bin, with a reason."""

    CSS_PATH = "adjust.tcss"
    BINDINGS = [
        Binding("f6", "post", "Post"),  # first: the footer at 20 columns shows only the first few
        Binding("f2", "direction('in')", "In"),
        Binding("f3", "direction('out')", "Out"),
        Binding("f5,down", "reason(1)", "Reason"),
        Binding("up", "reason(-1)", "Previous reason", show=False),
        Binding("f7", "reserved", "Reserved"),
        Binding("f4", "clear", "Clear"),
        Binding("f8", "restart", "Restart"),
        Binding("escape", "leave", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.location: Location | None = None
        self.product: Product | None = None
        self.quantity = Decimal(0)
        self.direction = "in"
        self.reason: str | None = None
        self.from_reserved = False

    def compose(self) -> ComposeResult:
        yield TopBar("Adjust")
        with Container(id="body"):
            with Vertical(id="job"):
                yield Static(id="bin")
                yield Static(id="bin-name", classes="medium-up")
                yield Static(id="product")
                yield Static(id="mode")
            reasons_list = OptionList(id="reasons")
            reasons_list.can_focus = False  # the scan entry keeps the focus; the arrows move the choice
            reasons_list.border_title = "Reason"
            yield reasons_list
        yield Static(id="last")
        yield ScanInput(placeholder="scan", id="entry")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one("#entry").focus()
        self.submit(self._load_reasons)
        self._show()

    def _show(self) -> None:
        if self.location is None:
            where = literal("Scan the bin", style="bold")
        else:
            where = literal("Bin ", style="bold")
            where.append(escape_controls(self.location.code), style="bold")
        self.query_one("#bin", Static).update(where)
        self.query_one("#bin-name", Static).update(literal(self.location.name if self.location else ""))
        product = Text()
        if self.product is None:
            product.append("Scan a product")
        else:
            product.append(f"{format_quantity(self.quantity, self.product.uom.precision)} {self.product.uom.code} ")
            product.append(escape_controls(self.product.code), style="bold")
            product.append("\n" + escape_controls(self.product.name))
        if self.multiplier is not None:
            product.append(f"\nqty {self.multiplier} x next scan", style="bold")
        self.query_one("#product", Static).update(product)
        mode = Text(DIRECTION_LABELS[self.direction] + ": ", style="bold")
        mode.append(escape_controls(self.reason) if self.reason else "no reason")
        if self.direction == "out" and self.from_reserved:
            mode.append("\nfrom reserved too", style="bold")
        self.query_one("#mode", Static).update(mode)

    def _load_reasons(self) -> None:
        """In the writer: the labels usable for the current direction."""
        codes = [reason.code for reason in reasons(self.direction)]
        self.app.call_from_thread(self._set_reasons, codes)

    def _set_reasons(self, codes: list[str]) -> None:
        """Offer the labels; the reason chosen stays chosen if it is one of them, else the first is."""
        options = self.query_one("#reasons", OptionList)
        options.clear_options()
        options.add_options([Option(literal(code), id=code) for code in codes])
        self.reason = self.reason if self.reason in codes else (codes[0] if codes else None)
        if self.reason is not None:
            options.highlighted = codes.index(self.reason)
        self._show()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.reason = event.option.id
        self._show()

    def show_multiplier(self) -> None:
        """The quantity typed for the next scan."""
        self._show()

    def scanned(self, reading: Reading, multiplier: Decimal | None) -> None:
        """A scan from a serial scanner or the wedge: a bin label or a product."""
        self.submit(lambda: self._handle(reading, multiplier))

    def _handle(self, reading: Reading, multiplier: Decimal | None) -> None:
        """In the writer: a bin label sets the bin, a product barcode the product and how many."""
        found = bin_or_product(reading, multiplier)
        if isinstance(found, Location):
            self.app.call_from_thread(self._set_location, found)
            return
        if self.location is None:
            raise InvalidValue("Scan the bin first")
        product, quantity = found
        if self.product is not None and self.product.id != product.id:
            raise InvalidValue(f"Post (F6) or clear (F4) {self.product.code} first")
        self.app.call_from_thread(self._add, product, quantity)

    def _set_location(self, location: Location) -> None:
        self.location = location
        self.show_message(f"At {location.code}")
        self._show()

    def _add(self, product: Product, quantity: Decimal) -> None:
        self.product = product
        self.quantity += quantity
        self.show_message(f"+{format_quantity(quantity, product.uom.precision)} {product.code}")
        self._show()

    def _post(self) -> None:
        """In the writer: post what the screen holds as one adjustment."""
        product, location, reason = self.product, self.location, self.reason
        if location is None or product is None:
            raise InvalidValue("Scan the bin and a product first")
        if reason is None:
            raise InvalidValue(f"No reason for stock {self.direction}: add one with stockroom reasons add")
        store = self.app.store
        if self.direction == "in":
            move = add_stock(store, product, self.quantity, location, reason)
            verb = "Added"
        else:
            move = remove_stock(store, product, self.quantity, location, reason, from_reserved=self.from_reserved)
            verb = "Removed"
        quantity = format_quantity(move.quantity, product.uom.precision)
        summary = f"{verb} {quantity} {product.uom.code} {product.code} at {location.code}: {move.reason}"
        self.app.call_from_thread(self._posted, summary)

    def _posted(self, summary: str) -> None:
        """The adjustment is posted: the bin, direction and reason stay for the next one."""
        self.product, self.quantity, self.from_reserved = None, Decimal(0), False
        self.show_message(summary)
        self._show()

    def action_direction(self, direction: str) -> None:
        """Add stock (in) or remove it (out); the reasons offered follow."""
        if direction != self.direction:
            self.direction = direction
            self.from_reserved = False
            self.submit(self._load_reasons)
            self._show()

    def action_reason(self, step: int) -> None:
        """Choose the next (or previous) reason, round the list."""
        options = self.query_one("#reasons", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -step
            options.highlighted = (current + step) % options.option_count

    def action_reserved(self) -> None:
        """Let a removal take stock reserved for pick lists too, or not."""
        if self.direction != "out":
            self.show_message("Only a removal (F3) takes reserved stock", error=True)
            return
        self.from_reserved = not self.from_reserved
        self._show()

    def action_post(self) -> None:
        """Post the adjustment."""
        self.submit(self._post)

    def action_clear(self) -> None:
        """Drop the product and quantity held (nothing was posted)."""
        self.product, self.quantity, self.multiplier = None, Decimal(0), None
        self.show_message("Cleared")
        self._show()

    def action_restart(self) -> None:
        """Drop the bin, the product and the quantity, and start again."""
        self.location = None
        self.action_clear()
        self.show_message("Restarted")

    def action_leave(self) -> None:
        """Back to the home screen; nothing not posted was saved."""
        self.dismiss()
