"""Ask for one line of text (a quantity, a code) or a yes/no answer."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.literal import literal


class PromptDialog(ModalScreen[str | None]):
    """A question and one line of input (masked for a PIN): Enter answers, Esc cancels (None)."""

    DEFAULT_CSS = """
    PromptDialog { align: center middle; }
    PromptDialog > Vertical { width: 100%; max-width: 60; height: auto; border: round $accent; padding: 0 1; }
    PromptDialog Input { background: $boost; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, value: str = "", *, password: bool = False) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.password = password

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self.question))
            yield Input(value=self.value, id="answer", password=self.password, compact=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question: Enter or y for yes, Esc or n for no.

    A ``str`` question is shown literally (line breaks escaped too); a ``Text`` is shown as built,
    for a question of several lines whose untrusted parts the caller escaped.
    """

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical { width: 100%; max-width: 60; height: auto; border: round $warning; padding: 0 1; }
    """
    BINDINGS = [
        Binding("enter,y,f2", "answer(True)", "Yes"),
        Binding("escape,n,f3", "answer(False)", "No"),
    ]

    def __init__(self, question: str | Text) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question if isinstance(self.question, Text) else literal(self.question))
            yield Static(literal("Enter/F2 yes   Esc/F3 no", style="dim"))

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
