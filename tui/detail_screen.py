"""What the product and location screens share: one record read in a thread, shown to fit, a message line."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from textual import work
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from store.database import Store
from store.errors import StockError
from tui.labels import print_labels
from tui.literal import literal

Detail = TypeVar("Detail")


class DetailScreen(Screen[None], Generic[Detail]):
    """A record's detail (``self.detail``), read by ``read`` in a thread worker and laid out by ``show``.

    Subclasses name their message line ``#{NAME}-message`` and say which labels
    F8 writes (``LABEL_KIND``, ``label_code``). Other workers' errors show on
    the message line too; their successes go to ``written``.
    """

    NAME: ClassVar[str]
    LABEL_KIND: ClassVar[str]
    COMMON_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f8,p", "labels", "Labels"),
        Binding("f5,r", "reload", "Reload", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, record_id: int) -> None:
        super().__init__()
        self.record_id = record_id
        self.detail: Detail | None = None
        self._layout_width = 0

    def read(self, store: Store, record_id: int) -> Detail:
        """Everything the screen shows (called in a thread)."""
        raise NotImplementedError

    def show(self, detail: Detail, width: int) -> None:
        """Lay ``detail`` out for a screen ``width`` columns wide."""
        raise NotImplementedError

    def label_code(self, detail: Detail) -> str:
        """The code whose labels F8 writes."""
        raise NotImplementedError

    def written(self, worker: Worker) -> None:
        """A worker other than the reading one succeeded (a change was saved)."""

    def on_mount(self) -> None:
        for table in self.query(DataTable):
            table.can_focus = False
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="detail")
    def load(self) -> Detail:
        """Read the record again, in a thread."""
        try:
            return self.read(self.app.store, self.record_id)
        finally:
            self.app.store.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show what was read, or why something failed."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.message(str(error) if isinstance(error, StockError) else f"Failed: {error}", error=True)
        elif event.state == WorkerState.SUCCESS:
            if event.worker.group == "detail":
                self.detail = event.worker.result
                self._show()
            else:
                self.written(event.worker)

    def message(self, text: str, error: bool = False) -> None:
        """A line under the fields (literal); an error rings."""
        panel = self.query_one(f"#{self.NAME}-message", Static)
        panel.update(literal(text, style="bold red" if error else "bold"))
        panel.set_class(error, "-error")
        if error:
            self.app.bell()

    def on_resize(self, event: Resize) -> None:
        if self.detail is not None and event.size.width != self._layout_width:
            self._show()

    def _show(self) -> None:
        if self.detail is not None:
            self._layout_width = self.size.width
            self.show(self.detail, self.size.width)

    def action_labels(self) -> None:
        """Write (or print) the record's labels where the terminal's settings say."""
        if self.detail is not None:
            print_labels(self, self.LABEL_KIND, self.label_code(self.detail))

    def action_reload(self) -> None:
        """Read the record again."""
        self.load()

    def action_back(self) -> None:
        """Back to the list or tree."""
        self.dismiss(None)
