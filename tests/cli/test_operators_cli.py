"""`stockroom operators` in a real process: adding with a PIN from stdin, listing, PIN reset, roles, unlock."""

from __future__ import annotations

import pytest

from store.errors import InvalidValue
from store.models import Operator
from store.operators import LoginRefused, login, pin_matches
from tests.cli.test_count_cli import stockroom


def test_add_list_and_change_operators(db_url, store):
    added = stockroom(db_url, "operators", "add", "S1", "Sam Super", "--role", "supervisor", "--pin-stdin",
                      stdin="1234\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout.decode() == "S1 supervisor Sam Super\n"
    assert stockroom(db_url, "operators", "add", "C1", "Cleo", "--pin-stdin", stdin="5678\n").returncode == 0
    assert "1234" not in Operator.get(badge="S1").pin_hash and pin_matches("1234", Operator.get(badge="S1").pin_hash)

    assert stockroom(db_url, "operators", "role", "C1", "supervisor").returncode == 0
    assert stockroom(db_url, "operators", "pin", "C1", "--pin-stdin", stdin="4321\n").returncode == 0
    assert stockroom(db_url, "operators", "deactivate", "S1").returncode == 0
    listed = stockroom(db_url, "operators", "list")
    assert listed.stdout.decode() == "C1\tsupervisor\tactive\tCleo\nS1\tsupervisor\tinactive\tSam Super\n"
    assert login(store, "C1", "4321").role == "supervisor"


def test_a_locked_badge_is_listed_and_unlocked(db_url, store):
    stockroom(db_url, "operators", "add", "C1", "Cleo", "--pin-stdin", stdin="5678\n")
    for _ in range(5):
        with pytest.raises(LoginRefused):
            login(store, "C1", "0000")
    assert "C1\tcounter\tlocked\tCleo" in stockroom(db_url, "operators", "list").stdout.decode()
    assert stockroom(db_url, "operators", "unlock", "C1").returncode == 0
    assert login(store, "C1", "5678").badge == "C1"


@pytest.mark.parametrize(("args", "stdin", "says"), [
    (("add", "C1", "Cleo", "--pin-stdin"), "12\n", "a PIN is 4 to 12 digits"),
    (("add", "C1", "Cleo", "--role", "boss", "--pin-stdin"), "1234\n", "invalid choice"),
    (("pin", "NOBODY", "--pin-stdin"), "1234\n", "no operator with badge 'NOBODY'"),
])  # fmt: skip
def test_refusals_say_why_and_change_nothing(db_url, store, args, stdin, says):
    result = stockroom(db_url, "operators", *args, stdin=stdin)
    assert result.returncode != 0 and says in result.stderr.decode()
    assert Operator.select().count() == 0


def test_kiosk_mode_refuses_to_start_without_a_supervisor(db_url, store):
    result = stockroom(db_url, "--kiosk")
    assert result.returncode == 1
    assert "kiosk mode needs an active supervisor" in result.stderr.decode()


@pytest.mark.parametrize(("argv", "environ", "config", "expected"), [
    ([], {}, "", (False, None)),
    (["--kiosk"], {}, "", (True, 300.0)),
    (["--kiosk", "--idle-logout", "0"], {}, "", (True, None)),
    (["--idle-logout", "1.5"], {}, "", (False, 90.0)),
    ([], {"STOCKROOM_KIOSK": "1"}, "", (True, 300.0)),
    ([], {}, "[terminal]\nkiosk = true\nidle_logout = 2\n", (True, 120.0)),
    (["--idle-logout", "3"], {}, "[terminal]\nidle_logout = 2\n", (False, 180.0)),
])  # fmt: skip
def test_kiosk_and_idle_logout_come_from_flags_the_environment_or_the_config_file(
    tmp_path, monkeypatch, argv, environ, config, expected
):
    from tui.cli import build_parser
    from tui.run import terminal_settings

    path = tmp_path / "stockroom.toml"
    path.write_text(config)
    monkeypatch.setenv("STOCKROOM_CONFIG", str(path))
    monkeypatch.delenv("STOCKROOM_KIOSK", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert terminal_settings(build_parser().parse_args(argv)) == expected


def test_a_negative_idle_logout_is_refused(tmp_path, monkeypatch):
    from tui.cli import build_parser
    from tui.run import terminal_settings

    monkeypatch.setenv("STOCKROOM_CONFIG", str(tmp_path / "none.toml"))
    with pytest.raises(InvalidValue, match="0 or more"):
        terminal_settings(build_parser().parse_args(["--idle-logout", "-1"]))
