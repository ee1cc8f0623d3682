"""Operators on the terminal: logging in by typed or scanned badge, wrong PINs and locks, roles, log out,
kiosk mode and the idle logout."""

from __future__ import annotations

import pytest

from devices.decode import decode
from store.counting import record_scan, start_session
from store.errors import InvalidValue
from store.locations import get_location
from store.models import Move, Operator
from store.operators import MAX_TRIES, add_operator, pin_matches
from store.scanned import Reading
from tests.tui.conftest import press_alone, screen_text
from tests.tui.test_adjust_ui import BEANS, open_adjust, shown
from tests.tui.test_counting_ui import open_count, type_line, until
from tui.app import make_app
from tui.dialogs.prompt import ConfirmDialog, PromptDialog
from tui.messages import ScanReceived
from tui.screens.home import HomeScreen
from tui.screens.login import LoginScreen, SupervisorDialog
from tui.screens.operators import NewOperatorScreen, OperatorsScreen
from tui.screens.products import ProductsScreen

SMALL = [(20, 16), (40, 16)]


@pytest.fixture
def staffed(stocked, shop) -> str:
    """The stocked shop with a supervisor S1 (PIN 1234) and a counter C1 (PIN 5678)."""
    add_operator(shop, "S1", "Sam", "supervisor", "1234")
    add_operator(shop, "C1", "Cleo", "counter", "5678")
    return stocked


async def log_in(pilot, badge: str, pin: str) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen | SupervisorDialog))
    await type_line(pilot, badge)
    await type_line(pilot, pin)


async def logged_in(pilot) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))


async def adjust_a_bean(pilot) -> None:
    """Open the adjust job and scan bin A-02 and a tin of beans, ready to post (F6)."""
    await open_adjust(pilot)
    await type_line(pilot, "LOC-A02")
    await type_line(pilot, BEANS)
    await until(pilot, lambda: "1 pc" in screen_text(pilot.app))


def notices(app) -> list[str]:
    """The messages of the notifications (toasts) the app raised."""
    return [notification.message for notification in app._notifications]


def fits(app, width: int) -> bool:
    return all(len(line) <= width for line in screen_text(app).splitlines())


@pytest.mark.parametrize("size", SMALL)
async def test_a_typed_badge_and_pin_log_in_and_the_top_bar_shows_who(app_factory, staffed, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert "Badge" in screen_text(app) and fits(app, size[0])
        await pilot.press(*"C1", "enter", *"5678")
        assert "5678" not in screen_text(app)  # the PIN is masked
        await pilot.press("enter")
        await logged_in(pilot)
        assert "Cleo" in screen_text(app).splitlines()[0]
        assert (app.store.operator, app.store.role) == ("C1", "counter")


@pytest.mark.parametrize("size", SMALL)
async def test_a_badge_scanned_by_a_wedge_or_a_serial_scanner_asks_for_the_pin(app_factory, staffed, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LoginScreen))
        await pilot.press("ctrl+n", *"S1", "enter")  # a wedge scanner's burst, bracketed and ending in Enter
        await until(pilot, lambda: app.focused is not None and app.focused.id == "pin")
        await type_line(pilot, "1234")
        await logged_in(pilot)
        assert app.store.operator == "S1"
        await pilot.press("f12")
        await until(pilot, lambda: isinstance(app.screen, LoginScreen))
        app.post_message(ScanReceived(decode("C1"), "/dev/ttyACM0"))  # the serial scanner
        await until(pilot, lambda: app.focused is not None and app.focused.id == "pin")
        await type_line(pilot, "5678")
        await logged_in(pilot)
        assert app.store.operator == "C1"


@pytest.mark.parametrize("size", SMALL)
async def test_wrong_pins_say_so_then_lock_the_badge(app_factory, staffed, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await log_in(pilot, "C1", "0000")
        await until(pilot, lambda: "4 tries left" in shown(app))
        assert isinstance(app.screen, LoginScreen) and app.store.role is None
        for _ in range(MAX_TRIES - 1):
            await type_line(pilot, "0000")  # the badge stays; the PIN entry has the focus again
        await until(pilot, lambda: "badge C1 is locked until" in shown(app))
        await type_line(pilot, "5678")
        await until(pilot, lambda: Operator.get(badge="C1").locked_until is not None)
        await pilot.pause(0.2)
        assert isinstance(app.screen, LoginScreen) and "locked until" in shown(app)
        assert fits(app, size[0])


@pytest.mark.parametrize("size", SMALL)
async def test_a_counter_is_refused_what_needs_a_supervisor(app_factory, staffed, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await log_in(pilot, "C1", "5678")
        await logged_in(pilot)
        await press_alone(pilot, "0")
        await until(pilot, lambda: "managing operators: supervisors only" in notices(app))
        assert isinstance(app.screen, HomeScreen)
        await press_alone(pilot, "7")
        await until(pilot, lambda: isinstance(app.screen, ProductsScreen))
        await pilot.press("f2")
        await until(pilot, lambda: "managing products: supervisors only" in notices(app))
        assert isinstance(app.screen, ProductsScreen)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await adjust_a_bean(pilot)
        await pilot.press("f6")
        await until(pilot, lambda: "adjusting stock: supervisors only" in shown(app))
    assert Move.select().where(Move.origin == "adjustment").count() == 0


@pytest.mark.parametrize("size", SMALL)
async def test_log_out_by_key_and_a_supervisor_manages_operators(app_factory, staffed, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await log_in(pilot, "C1", "5678")
        await logged_in(pilot)
        await press_alone(pilot, "l")
        await until(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert app.store.operator == "" and "Cleo" not in screen_text(app)
        await log_in(pilot, "S1", "1234")
        await logged_in(pilot)
        await pilot.press("f11")
        await until(pilot, lambda: isinstance(app.screen, OperatorsScreen) and "C1" in screen_text(app))
        assert fits(app, size[0])
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, NewOperatorScreen))
        for value in ("C2", "Kim", "2468", "2469"):
            await type_line(pilot, value)
        await pilot.press("f2")
        await until(pilot, lambda: "the two PINs differ" in shown(app))
        await pilot.press("up")  # back to the second PIN, without Shift+Tab
        await pilot.press("ctrl+a", "ctrl+k", *"2468", "f2")
        await until(pilot, lambda: isinstance(app.screen, OperatorsScreen) and "added C2" in shown(app))
        await until(pilot, lambda: "Kim" in screen_text(app))
        await pilot.press("down")  # C1, C2, S1: C2
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: "supervisor from the next login" in shown(app))
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PromptDialog))
        await type_line(pilot, "1357")
        await until(pilot, lambda: isinstance(app.screen, PromptDialog) and "again" in shown(app))
        await type_line(pilot, "1375")  # a slip: nothing changes
        await until(pilot, lambda: "the two PINs differ: no new PIN" in shown(app))
        assert pin_matches("2468", Operator.get(badge="C2").pin_hash)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PromptDialog))
        await type_line(pilot, "1357")
        await until(pilot, lambda: isinstance(app.screen, PromptDialog) and "again" in shown(app))
        await type_line(pilot, "1357")
        await until(pilot, lambda: "new PIN for C2" in shown(app))
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: "C2 deactivated" in shown(app))
    kim = Operator.get(badge="C2")
    assert (kim.name, kim.role, kim.active) == ("Kim", "supervisor", False)


async def test_a_kiosk_quits_only_for_a_supervisor(app_factory, staffed):
    app = app_factory(kiosk=True)
    async with app.run_test(size=(40, 16)) as pilot:
        await log_in(pilot, "C1", "5678")
        await logged_in(pilot)
        for key in ("ctrl+q", "ctrl+c"):
            await pilot.press(key)
            await until(pilot, lambda: isinstance(app.screen, SupervisorDialog))
            await pilot.press("escape")
            await logged_in(pilot)
        assert app.is_running
        await pilot.press("ctrl+z")
        await until(pilot, lambda: isinstance(app.screen, SupervisorDialog))
        await pilot.press("escape")
        await pilot.press("ctrl+q")
        await log_in(pilot, "C1", "5678")
        await until(pilot, lambda: "Cleo is not a supervisor" in shown(app))
        await pilot.press("escape")
        await pilot.press("ctrl+q")
        await log_in(pilot, "S1", "1234")
        await until(pilot, lambda: not app.is_running)
    assert app.store.operator == "C1"  # the supervisor did not take over the terminal


def test_a_kiosk_without_a_supervisor_refuses_to_start(stocked, shop):
    add_operator(shop, "C1", "Cleo", "counter", "5678")
    with pytest.raises(InvalidValue, match="kiosk mode needs an active supervisor"):
        make_app(stocked, kiosk=True)


@pytest.mark.parametrize("size", SMALL)
async def test_an_idle_terminal_logs_out_and_its_open_count_is_offered_again(app_factory, staffed, shop, size):
    app = app_factory(idle_logout=2.0)  # seconds: long enough to see the home screen on a busy machine
    async with app.run_test(size=size) as pilot:
        await log_in(pilot, "C1", "5678")
        await logged_in(pilot)
        session = start_session(app.store, get_location("A-01"))  # as the count screen does, from this terminal
        record_scan(app.store, session, Reading(raw=BEANS, code=BEANS))
        await until(pilot, lambda: isinstance(app.screen, LoginScreen), timeout=5)
        await until(pilot, lambda: "Logged out: the terminal was idle" in shown(app))
        assert app.store.role is None and app.store.operator == ""
        app.idle_logout = 3600  # no second logout while the test reads the screen
        await log_in(pilot, "C1", "5678")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog) and f"#{session.id}" in shown(app))


@pytest.mark.parametrize("size", SMALL)
async def test_a_supervisor_deactivated_elsewhere_is_refused_and_logged_out(app_factory, staffed, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await log_in(pilot, "S1", "1234")
        await logged_in(pilot)
        await adjust_a_bean(pilot)
        Operator.update(active=False).where(Operator.badge == "S1").execute()  # from the office's terminal
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, LoginScreen), timeout=5)
        await until(pilot, lambda: "Logged out: this badge is no longer active" in shown(app))
        assert app.store.role is None and app.operator_name == ""
    assert Move.select().where(Move.origin == "adjustment").count() == 0


async def test_without_operators_the_app_opens_home_as_before(app_factory):
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        await logged_in(pilot)
        await press_alone(pilot, "l")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and not app.store.login_required


@pytest.mark.parametrize(("size", "top"), [((20, 16), "Stockroom Cleo  none"), ((40, 16), "Stockroom Cleo")])
async def test_the_top_bar_shows_the_operator_and_the_scanner_at_any_width(app_factory, staffed, size, top):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await log_in(pilot, "C1", "5678")
        await logged_in(pilot)
        await pilot.pause()
        first = screen_text(app).splitlines()[0]
        assert first.startswith(top) and first.endswith("none") and len(first) <= size[0]


async def test_operators_added_elsewhere_bring_the_login_once_the_terminal_is_home(app_factory):
    app = app_factory()
    app.OPERATORS_CHECK = 0.1
    async with app.run_test(size=(40, 16)) as pilot:
        await press_alone(pilot, "7")  # in the products job: nobody is sent away mid-job
        await until(pilot, lambda: isinstance(app.screen, ProductsScreen))
        add_operator(app.store, "S1", "Sam", "supervisor", "1234")  # as another terminal adds the first operator
        await pilot.pause(0.5)
        assert isinstance(app.screen, ProductsScreen) and not app.store.login_required
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LoginScreen))
        await until(pilot, lambda: "This stock room now has operators: log in" in shown(app))
        assert app.store.login_required
        await log_in(pilot, "S1", "1234")
        await logged_in(pilot)
        assert "Sam" in screen_text(app)


async def test_f12_on_a_job_screen_logs_out_and_the_next_login_is_offered_the_count(app_factory, staffed):
    app = app_factory()
    async with app.run_test(size=(40, 16)) as pilot:
        await log_in(pilot, "C1", "5678")
        await logged_in(pilot)
        session = start_session(app.store, get_location("A-01"))
        await open_count(app, pilot, session.id)
        await type_line(pilot, BEANS)
        await until(pilot, lambda: "= 1 pc" in screen_text(app))
        await pilot.press("f12")
        await until(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert app.store.operator == ""
        await log_in(pilot, "C1", "5678")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog) and f"#{session.id}" in shown(app))
