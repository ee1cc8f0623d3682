"""Job screens whose every scan is saved as it comes, or kept in the terminal's journal while the server is away."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from textual.screen import ScreenResultType
from textual.widgets import Static

from store.errors import InvalidValue
from store.journal import Entry, Kept
from store.models import Product
from store.scanned import Reading
from tui.dialogs.prompt import ConfirmDialog, PromptDialog
from tui.job_screen import JobScreen
from tui.literal import escape_controls, literal
from tui.wedge import ScanInput

JOURNAL_CSS = str(Path(__file__).with_suffix(".tcss"))
"""The rules counting, receiving and picking share: first in each one's ``CSS_PATH``."""


class JournalScreen(JobScreen[ScreenResultType]):
    """Counting, receiving and picking: one scan, one saved record, in the order the scans came.

    A subclass composes ``#last``, ``#pending``, ``#entry`` and ``#lines``,
    reads its state again in ``_load`` (in the writer), and says how a scan
    is saved: :meth:`journal_entry` gives it its client id as it is read (on
    the UI thread), :meth:`write_scan` saves it (in the writer; ``allowed``
    once the worker said yes to the question below) and :meth:`show_saved`
    shows what that returned. A store refusal of a type in ``QUESTIONS`` (a
    product outside the count's filter, one not on the order) is put to the
    worker as a question; a "no" is said as ``DECLINED``.
    """

    QUESTIONS: ClassVar[tuple[type[Exception], ...]] = ()
    DECLINED: ClassVar[str] = "not added"
    SET_WHAT: ClassVar[str] = "its quantity"
    """What F3 sets, as its refusal with nothing to set says it ("then F3 to set its count")."""

    def on_mount(self) -> None:
        self.watch(self.app, "server_status", self._server_changed, init=False)

    def _server_changed(self, status: str) -> None:
        """Back online: the scans kept meanwhile are written; say which the store refused; show the job with them."""
        if status != "online":
            return
        refused = self.app.refused_scans
        if refused:
            raw, reason = refused[-1]
            more = f" (and {len(refused) - 1} more)" if len(refused) > 1 else ""
            self.show_message(f"Kept offline, not saved{more}: {raw}: {reason}", error=True, bell=False)  # rung by the app
        else:
            self.show_message("Online: kept scans saved")
        self.submit(self._load)

    def _load(self) -> None:
        """In the writer: read the job again and show it."""
        raise NotImplementedError

    def journal_entry(self, reading: Reading, multiplier: Decimal | None) -> Entry:
        """The journal entry of a scan, with its client id (on the UI thread, as the scan is read)."""
        raise NotImplementedError

    def write_scan(self, entry: Entry, reading: Reading, multiplier: Decimal | None, allowed: bool) -> Any:
        """In the writer: save the scan under ``entry``'s client id; what it returns goes to :meth:`show_saved`."""
        raise NotImplementedError

    def show_saved(self, saved: Any) -> None:
        """Show a saved scan: what :meth:`write_scan` returned."""
        raise NotImplementedError

    def show_multiplier(self) -> None:
        """The quantity typed for the next scan."""
        text = literal("") if self.multiplier is None else literal(f"qty {self.multiplier} x next scan", style="bold")
        self.query_one("#pending", Static).update(text, layout=False)

    def scanned(self, reading: Reading, multiplier: Decimal | None) -> None:
        """A scan from a serial scanner (the app hands it over) or the wedge: saved (or kept offline), then shown."""
        self.show_multiplier()
        self.queue_scan(reading, multiplier)

    def queue_scan(self, reading: Reading, multiplier: Decimal | None, allowed: bool = False) -> None:
        """Give a scan its client id now, as it is read, and queue it for the writer."""
        entry = self.journal_entry(reading, multiplier)
        self.submit(lambda: self._save(entry, reading, multiplier, allowed))

    def _save(self, entry: Entry, reading: Reading, multiplier: Decimal | None, allowed: bool) -> None:
        try:
            saved = self.app.save_scan(entry, lambda: self.write_scan(entry, reading, multiplier, allowed))
        except self.QUESTIONS as question:
            self.app.call_from_thread(self._ask, str(question), reading, multiplier)
            return
        if isinstance(saved, Kept):
            self.app.call_from_thread(self.show_kept, reading, saved.waiting)
            return
        self.app.call_from_thread(self.show_saved, saved)

    def _ask(self, question: str, reading: Reading, multiplier: Decimal | None) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.queue_scan(reading, multiplier, allowed=True)
            else:
                self.show_message(self.DECLINED, error=True)

        self.app.bell()
        self.app.push_screen(ConfirmDialog(question), answered)

    def show_kept(self, reading: Reading, waiting: int) -> None:
        """A scan kept in the journal while the server is away: not lost, written once it is back."""
        text = literal("Kept offline", style="bold yellow")
        text.append("\n" + escape_controls(reading.code or reading.raw))
        text.append(f"\n{waiting} waiting for the server", style="dim")
        last = self.query_one("#last", Static)
        last.update(text, layout=False)
        last.set_class(False, "-error")

    def action_toggle_lines(self) -> None:
        """Show the lines instead of the scan panel (compact) or hide them."""
        self.toggle_class("-lines")
        self.query_one("#lines" if self.has_class("-lines") else "#entry").focus()

    # -- F3: set the last product's line outright (counting and receiving) ---------------------------------------

    def action_set_quantity(self) -> None:
        """Set the last product's line outright: typed first ("8,5 kg" then F3) or asked for.

        The product is read in the writer, after the scans and undos before it: once the last scan
        is undone, F3 acts on the scan before it, never on the product just undone.
        """
        entry = self.query_one("#entry", ScanInput)
        if entry.value.strip():
            text, entry.value = entry.value, ""
            self.submit(lambda: self.set_line(text, self._product_to_set()))
            return
        self.submit(self._ask_set)

    def _product_to_set(self) -> Product:
        """In the writer: the product this terminal last scanned or set and has not undone."""
        self.app.after_kept_scans()  # the last scan may be one that waits
        product = self.last_product_in_force()
        if product is None:
            raise InvalidValue(f"nothing to set: scan a product first, then F3 to set {self.SET_WHAT}")
        return product

    def _ask_set(self) -> None:
        product = self._product_to_set()

        def answered(text: str | None) -> None:
            if text:
                self.submit(lambda: self._set_asked(text, product))

        self.app.call_from_thread(self.app.push_screen, PromptDialog(self.set_question(product)), answered)

    def _set_asked(self, text: str, product: Product) -> None:
        """In the writer: the answer to F3's question; scans kept while it was asked must be saved first."""
        self.app.after_kept_scans()
        self.set_line(text, product)

    def last_product_in_force(self) -> Product | None:
        """In the writer: what F3 acts on (a subclass that binds it says how it is found)."""
        raise NotImplementedError

    def set_question(self, product: Product) -> str:
        """What F3 asks when nothing was typed first."""
        raise NotImplementedError

    def set_line(self, text: str, product: Product) -> None:
        """In the writer, no scan waiting: set ``product``'s line to the quantity ``text`` gives, and show it."""
        raise NotImplementedError
