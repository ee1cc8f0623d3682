"""ScanInput: a wedge scanner's keys become one scan; GS kept, Tab ends a scan, nothing is markup."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import Input, Static

from tui.messages import ScanReceived
from tui.wedge import HELD, BurstEnd, KeyBurst, ScanInput, scan_text


class WedgeApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.received: list[ScanReceived] = []

    def compose(self) -> ComposeResult:
        yield ScanInput(id="scan")
        yield Input(id="other")
        yield Static(id="last", markup=False)

    def on_scan_received(self, message: ScanReceived) -> None:
        self.received.append(message)
        self.query_one("#last", Static).update(scan_text(message.scan))


def shown(app: App, selector: str) -> str:
    """The text a widget shows on screen, all its lines (borders included)."""
    widget = app.query_one(selector)
    width, height = widget.region.size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


@pytest.mark.parametrize("size", [(20, 16), (40, 16), (80, 24)])
async def test_burst_with_gs_ending_in_enter_is_one_scan(size):
    app = WedgeApp()
    async with app.run_test(size=size) as pilot:
        await pilot.press(*"0109506000134352", "ctrl+right_square_bracket", *"10AB12", "enter")
        await pilot.pause()
        assert len(app.received) == 1
        message = app.received[0]
        assert message.source == "wedge"
        assert message.text == "0109506000134352\x1d10AB12"
        assert message.scan.kind == "gs1"
        assert (message.scan.gtin, message.scan.lot) == ("09506000134352", "AB12")
        assert app.query_one(ScanInput).value == ""


async def test_gs_is_shown_as_a_visible_placeholder():
    app = WedgeApp()
    async with app.run_test(size=(40, 16)) as pilot:
        await pilot.press("1", "0", "ctrl+right_square_bracket", "2")
        await pilot.pause()
        assert app.query_one(ScanInput).value == "10\x1d2"
        assert "10␝2" in shown(app, "#scan")


async def test_tab_ends_a_scan_and_keeps_focus():
    app = WedgeApp()
    async with app.run_test(size=(80, 24)) as pilot:
        scan_input = app.query_one(ScanInput)
        assert app.focused is scan_input
        await pilot.press(*"4006381333931", "tab")
        await pilot.pause()
        assert [m.scan.gtin for m in app.received] == ["4006381333931"]
        assert app.focused is scan_input


async def test_bracketed_scan_drops_what_came_before():
    app = WedgeApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"12", "ctrl+n", *"A-01-03", "ctrl+o")
        await pilot.pause()
        assert [m.scan.code for m in app.received] == ["A-01-03"]


async def test_scanned_markup_and_escape_render_literally():
    app = WedgeApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"[red]x[/]")
        await pilot.pause()
        assert "[red]x[/]" in shown(app, "#scan")
        await pilot.press("enter")
        await pilot.pause()
        assert app.received[0].scan.code == "[red]x[/]"
        assert "[red]x[/]" in shown(app, "#last")
        app.post_message(ScanReceived(_scan_with_escape(), "wedge"))
        await pilot.pause()
        assert "\\x1b[31mboom" in shown(app, "#last")


def _scan_with_escape():
    from devices.decode import decode

    return decode(b"\x1b[31mboom")


def key_event(key: str):
    from textual import events

    character = {"enter": "\r", "tab": "\t", "ctrl+n": "\x0e", "ctrl+o": "\x0f"}.get(key, key)
    return events.Key(key, character)


@pytest.mark.parametrize("terminator", ["enter", "tab"])
async def test_scans_in_one_fast_burst_stay_apart(terminator):
    """Keys delivered back to back, as a terminal reads a burst: the terminator splits them in order."""
    app = WedgeApp()
    async with app.run_test(size=(40, 16)) as pilot:
        for key in [*"4006381333931", terminator, *"A-01-03", terminator, "ctrl+n", *"5901234123457", "ctrl+o",
                    "ctrl+n", *"B-02", "ctrl+o"]:
            app.post_message(key_event(key))
        await pilot.pause(0.2)
        assert [m.text for m in app.received] == ["4006381333931", "A-01-03", "5901234123457", "B-02"]
        assert app.focused is app.query_one(ScanInput)


def test_key_burst_tells_a_persons_key_from_a_scan():
    burst = KeyBurst()
    assert burst.key("enter", None) is None  # nothing held: Enter is the screen's
    assert burst.key("4", "4") is HELD and burst
    assert burst.quiet() == BurstEnd(key="4") and not burst  # alone, then quiet: a person's key
    burst.key("4", "4")
    assert burst.key("enter", None) == BurstEnd(key="4")  # "4" and Enter at once: still the person's 4
    for key in "12":
        burst.key(key, key)
    assert burst.quiet() == BurstEnd(scan="12")  # two keys at a scanner's pace and no suffix: a scan
    for key in "12":
        burst.key(key, key)
    assert burst.key("tab", None) == BurstEnd(scan="12")
    assert burst.key("f5", None) is None  # function keys are never held


def test_key_burst_keeps_gs_and_waits_for_si_in_a_bracketed_scan():
    burst = KeyBurst()
    burst.key("1", "1")
    burst.key("ctrl+n", None)  # what came before the bracket is dropped
    for key in ("0", "1", "ctrl+right_square_bracket", "2"):
        burst.key(key, None if key.startswith("ctrl") else key)
    assert burst.quiet() is HELD and burst  # still waiting for SI
    assert burst.key("ctrl+o", None) == BurstEnd(scan="01\x1d2")
    assert not burst
    burst.key("ctrl+n", None)
    burst.key("7", "7")
    assert burst.key("ctrl+o", None) == BurstEnd(scan="7")  # bracketed: a scan, however short
