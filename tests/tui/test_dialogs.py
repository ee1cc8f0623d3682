"""The dialogs' text boxes show what is typed in them, at every size a terminal may have."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.screen import ModalScreen

from tests.tui.conftest import screen_text
from tui.dialogs.prompt import PromptDialog
from tui.dialogs.report_filter import FilterDialog, FilterField

SIZES = [(20, 16), (40, 16), (80, 24)]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    "dialog",
    [
        lambda: PromptDialog("Set DRY-019 at A-01 to:", "17"),
        lambda: FilterDialog((FilterField("since", "Since", "YYYY-MM-DD"), FilterField("product", "Product")),
                             {"since": "2026-11-01"}),  # fmt: skip
    ],
    ids=["prompt", "filter"],
)
async def test_a_dialog_shows_its_value_and_what_is_typed(size, dialog):
    app = App()
    async with app.run_test(size=size) as pilot:
        app.push_screen(dialog())
        await pilot.pause()
        assert isinstance(app.screen, ModalScreen)
        shown = screen_text(app)
        assert "17" in shown or "2026-11-01" in shown
        await pilot.press("4", "2")  # replaces the value, selected on focus
        await pilot.pause()
        assert "42" in screen_text(app)
