"""At 20 columns a job's prompt and message wrap onto more rows: the whole of them is on the screen."""

from __future__ import annotations

from tests.tui.conftest import press_alone, screen_text
from tests.tui.test_counting_ui import type_line, until

BEANS = "5901234123457"


def words(text: str) -> str:
    """The screen's words in order, whatever rows they wrapped onto."""
    return " ".join(text.split())


async def test_transfer_shows_its_whole_prompt_and_refusal_at_20x16(app_factory, stocked):
    app = app_factory()
    async with app.run_test(size=(20, 16)) as pilot:
        await press_alone(pilot, "5")
        await until(pilot, lambda: "Scan the bin" in screen_text(app))
        await type_line(pilot, "LOC-A02")
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "BEANS" in screen_text(app))
        assert "scan the bin to put them in" in words(screen_text(app))
        await type_line(pilot, "LOC-A02")
        await until(pilot, lambda: "twice" in screen_text(app))
        assert "a move needs two different locations, not A-02 twice" in words(screen_text(app))
        await type_line(pilot, "LOC-A01")
        await until(pilot, lambda: "Moved" in screen_text(app))
        assert "Moved 1 line A-02 -> A-01" in words(screen_text(app))
