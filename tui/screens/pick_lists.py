"""The open pick lists: Enter picks the highlighted one, F2 enters a new one, F8 cancels one (releasing its reservations)."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from store.errors import StockError
from store.models import PickList
from store.picking import cancel_pick_list, open_pick_lists
from tui.dialogs.prompt import ConfirmDialog
from tui.literal import literal
from tui.screens.pick_new import CreatedPick, NewPickScreen
from tui.screens.picking import PickScreen
from tui.widgets.sized_table import fill_sized, highlighted_id


class PickListsScreen(Screen):
    """Open pick lists, oldest first; a backorder shows the list it came from."""

    CSS_PATH = "pick_lists.tcss"
    BINDINGS = [
        Binding("enter", "open", "Pick", show=False),
        Binding("f2,n", "new", "New list"),
        Binding("f8", "cancel_pick", "Cancel list"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._references: dict[int, str] = {}
        self._highlight: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(literal("Pick lists", style="bold"), id="title")
        yield DataTable(id="picks", cursor_type="row", zebra_stripes=True)
        yield Static(id="message")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.refresh_lists()

    @work(thread=True, exclusive=True, group="pick-lists", exit_on_error=False)
    def refresh_lists(self) -> None:
        """Load the open pick lists in a worker and show them."""
        rows = [
            (pick, pick.lines.count(), pick.backorder_of.reference if pick.backorder_of_id else "")
            for pick in open_pick_lists()
        ]
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[tuple[PickList, int, str]]) -> None:
        table = self.query_one("#picks", DataTable)
        cells = [
            (literal(pick.reference), literal(pick.customer or "customer"),
             literal(str(lines), justify="right"), literal(parent, style="dim"))
            for pick, lines, parent in rows
        ]  # fmt: skip
        fill_sized(table, ("Ref", "For", "Lines", "From"), [
            (str(pick.id), row) for (pick, _, _), row in zip(rows, cells, strict=True)
        ])  # fmt: skip
        self._references = {pick.id: pick.reference for pick, _, _ in rows}
        if not rows:
            self.query_one("#message", Static).update(literal("No open pick lists", style="dim"))
        if self._highlight is not None and str(self._highlight) in table.rows:
            table.move_cursor(row=table.get_row_index(str(self._highlight)))
        table.focus()

    def _highlighted(self) -> int | None:
        return highlighted_id(self.query_one("#picks", DataTable))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open(int(event.row_key.value))

    def action_open(self) -> None:
        """Pick the highlighted list."""
        pick_id = self._highlighted()
        if pick_id is not None:
            self._open(pick_id)

    def _open(self, pick_id: int) -> None:
        self.app.push_screen(PickScreen(pick_id), lambda _: self.refresh_lists())

    def action_new(self) -> None:
        """Enter a new pick list; back here it is highlighted, with what assigning it said."""
        self.app.push_screen(NewPickScreen(), self._created)

    def _created(self, created: CreatedPick | None) -> None:
        if created is not None:
            self._highlight = created.pick_id
            self.query_one("#message", Static).update(literal(created.note, style="bold"))
        self.refresh_lists()

    def action_cancel_pick(self) -> None:
        """Cancel the highlighted list after asking: its reserved stock becomes available again."""
        pick_id = self._highlighted()
        if pick_id is None:
            return
        reference = self._references[pick_id]

        def answered(yes: bool | None) -> None:
            if yes:
                self._cancel(pick_id)

        self.app.push_screen(ConfirmDialog(f"Cancel pick list {reference} and release its stock?"), answered)

    @work(thread=True, group="pick-cancel", exit_on_error=False)
    def _cancel(self, pick_id: int) -> None:
        try:
            cancel_pick_list(self.app.store, PickList.get_by_id(pick_id))
        except StockError as error:
            self.app.call_from_thread(self._error, str(error))
        self.refresh_lists()

    def _error(self, message: str) -> None:
        self.query_one("#message", Static).update(literal(message, style="bold red"))
        self.app.bell()

    def action_back(self) -> None:
        """Back to the home screen."""
        self.dismiss()
