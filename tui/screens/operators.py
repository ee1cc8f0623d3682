"""Operators, for supervisors: the list, and adding, new PINs, roles, unlocking and deactivating.

Every change is the store's (``store.operators``), which refuses it to anyone
but a supervisor; the screen shows the refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Footer, Input, Static

from store.errors import StockError
from store.models import Operator
from store.operators import (
    COUNTER,
    SUPERVISOR,
    add_operator,
    deactivate,
    is_locked,
    operators,
    set_pin,
    set_role,
    unlock,
)
from tui.dialogs.prompt import ConfirmDialog, PromptDialog
from tui.literal import literal
from tui.screens.form import FormCheckbox


def state_of(operator: Operator) -> str:
    """``active``, ``locked`` or ``inactive``."""
    return "inactive" if not operator.active else "locked" if is_locked(operator) else "active"


class OperatorsScreen(Screen[None]):
    """Every operator: badge, name, role, state. The keys act on the highlighted one."""

    CSS_PATH = "operators.tcss"
    BINDINGS = [
        Binding("f2,a", "add", "Add"),
        Binding("f3,p", "pin", "PIN"),
        Binding("f4,r", "role", "Role"),
        Binding("f5,u", "unlock", "Unlock", show=False),
        Binding("f6,d", "deactivate", "Deactivate", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._roles: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(literal("Operators", style="bold"), id="title")
        yield DataTable(id="operators", cursor_type="row", zebra_stripes=True)
        yield Static(id="message")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#operators", DataTable)
        for column in ("Badge", "Name", "Role", "State"):
            table.add_column(column, key=column)
        self.refresh_operators()

    @work(thread=True, exclusive=True, group="operators", exit_on_error=False)
    def refresh_operators(self) -> None:
        """Load the operators in a worker and show them."""
        rows = [(o.badge, o.name, o.role, state_of(o)) for o in operators()]
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[tuple[str, str, str, str]]) -> None:
        table = self.query_one("#operators", DataTable)
        highlighted = self.highlighted
        table.clear()
        self._roles = {badge: role for badge, _, role, _ in rows}
        for badge, name, role, state in rows:
            table.add_row(literal(badge), literal(name), literal(role),
                          literal(state, style="bold red" if state == "locked" else ""), key=badge)  # fmt: skip
        if highlighted is not None and highlighted in {row[0] for row in rows}:
            table.move_cursor(row=table.get_row_index(highlighted))
        table.focus()

    @property
    def highlighted(self) -> str | None:
        """The badge of the highlighted row."""
        table = self.query_one("#operators", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def say(self, message: str, error: bool = False) -> None:
        """A line under the list: what was done, or what the store refused."""
        self.query_one("#message", Static).update(literal(message, style="bold red" if error else "bold"))
        if error:
            self.app.bell()

    @work(thread=True, group="operator-change", exit_on_error=False)
    def change(self, job: Callable[[], object], done: str) -> None:
        """Run one change in a worker; say it was done, or what the store refused."""
        try:
            job()
        except StockError as error:
            self.app.call_from_thread(self.say, str(error), True)
            return
        self.app.call_from_thread(self.say, done)
        self.refresh_operators()

    def action_add(self) -> None:
        """A new operator: the form."""
        self.app.push_screen(NewOperatorScreen(), lambda added: added and self._added(added))

    def _added(self, badge: str) -> None:
        self.say(f"added {badge}")
        self.refresh_operators()

    def action_pin(self) -> None:
        """A new PIN for the highlighted operator, typed twice (masked, a slip would lock them out)."""
        if (badge := self.highlighted) is not None:
            self.app.push_screen(PromptDialog(f"New PIN for {badge}", password=True), partial(self._pin, badge))

    def _pin(self, badge: str, pin: str | None) -> None:
        if pin:
            again = PromptDialog(f"The new PIN for {badge} again", password=True)
            self.app.push_screen(again, partial(self._pin_again, badge, pin))

    def _pin_again(self, badge: str, pin: str, again: str | None) -> None:
        if again is None:
            return
        if again != pin:
            self.say("the two PINs differ: no new PIN", error=True)
            return
        self.change(lambda: set_pin(self.app.store, badge, pin), f"new PIN for {badge}")

    def action_role(self) -> None:
        """Make the highlighted operator a supervisor, or a counter."""
        if (badge := self.highlighted) is None:
            return
        role = COUNTER if self._roles.get(badge) == SUPERVISOR else SUPERVISOR
        self.app.push_screen(ConfirmDialog(f"Make {badge} a {role}?"), partial(self._role, badge, role))

    def _role(self, badge: str, role: str, yes: bool | None) -> None:
        if yes:
            self.change(lambda: set_role(self.app.store, badge, role), f"{badge} is a {role} from the next login")

    def action_unlock(self) -> None:
        """Lift the lock of the highlighted badge."""
        if (badge := self.highlighted) is not None:
            self.change(lambda: unlock(self.app.store, badge), f"{badge} unlocked")

    def action_deactivate(self) -> None:
        """Stop the highlighted operator logging in."""
        if (badge := self.highlighted) is not None:
            self.app.push_screen(ConfirmDialog(f"Deactivate {badge}?"), partial(self._deactivate, badge))

    def _deactivate(self, badge: str, yes: bool | None) -> None:
        if yes:
            self.change(lambda: deactivate(self.app.store, badge), f"{badge} deactivated")

    def action_back(self) -> None:
        """Back to the home screen."""
        self.dismiss()


class NewOperatorScreen(Screen[str | None]):
    """Badge (scan or type), name, PIN twice, supervisor or not; F2 adds, Esc cancels."""

    CSS_PATH = "operators.tcss"
    BINDINGS = [
        Binding("f2", "save", "Add"),
        Binding("escape", "cancel", "Cancel"),
        Binding("up", "app.focus_previous", "Previous field", show=False),  # a handheld may have no Shift+Tab
        Binding("down", "app.focus_next", "Next field", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form"):
            yield Static(literal("New operator", style="bold"))
            yield Input(placeholder="badge: scan or type", id="badge")
            yield Input(placeholder="name", id="name")
            yield Input(placeholder="PIN", password=True, restrict=r"[0-9]*", max_length=12, id="pin")
            yield Input(placeholder="PIN again", password=True, restrict=r"[0-9]*", max_length=12, id="again")
            yield FormCheckbox("supervisor", id="supervisor")
            yield Static(id="error")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one("#badge").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_save(self) -> None:
        """Add the operator in a worker (hashing the PIN takes a moment)."""
        values = {name: self.query_one(f"#{name}", Input).value for name in ("badge", "name", "pin", "again")}
        if values["pin"] != values["again"]:
            self._error("the two PINs differ")
            return
        role = SUPERVISOR if self.query_one("#supervisor", Checkbox).value else COUNTER
        self._add(values["badge"], values["name"], role, values["pin"])

    @work(thread=True, exclusive=True, group="new-operator", exit_on_error=False)
    def _add(self, badge: str, name: str, role: str, pin: str) -> None:
        try:
            operator = add_operator(self.app.store, badge, name, role, pin)
        except StockError as error:
            self.app.call_from_thread(self._error, str(error))
            return
        self.app.call_from_thread(self.dismiss, operator.badge)

    def _error(self, message: str) -> None:
        self.query_one("#error", Static).update(literal(message, style="bold red"))
        self.app.bell()

    def action_cancel(self) -> None:
        """Back without adding anyone."""
        self.dismiss(None)
