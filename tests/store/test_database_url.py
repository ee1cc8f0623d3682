"""Database URLs: which engine they open, and passwords that never reach a message."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import pytest

from store.database import default_url, open_store, redact_url
from store.errors import DatabaseRefused, DatabaseUnavailable, InvalidValue
from tests.conftest import SERVER, postgres_only


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://ann:s3cr%40t@db.example:5433/stock", "postgresql://ann:***@db.example:5433/stock"),
        ("postgresql://ann@db/stock?password=xyz&sslmode=require", "postgresql://ann@db/stock?password=***&sslmode=require"),
        ("postgresql://db/stock", "postgresql://db/stock"),
        ("sqlite:///var/lib/stockroom/stock.db", "sqlite:///var/lib/stockroom/stock.db"),
    ],
)
def test_passwords_are_redacted_and_the_rest_kept(url, shown):
    assert redact_url(url) == shown


def test_an_unreachable_server_is_a_clear_refusal_without_the_password():
    with pytest.raises(DatabaseUnavailable, match=r"cannot open the database at postgresql://ann:\*\*\*@127\.0\.0\.1:1/x") as caught:
        open_store("postgresql://ann:topsecret@127.0.0.1:1/x")
    assert "topsecret" not in str(caught.value)


def test_the_command_line_exits_1_and_keeps_the_password_to_itself():
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--db", "postgresql://ann:topsecret@127.0.0.1:1/x", "export", "stock"],
        capture_output=True, timeout=60,
    )
    assert done.returncode == 1 and b"cannot open the database" in done.stderr
    assert b"topsecret" not in done.stdout + done.stderr


def test_urls_of_other_engines_are_refused():
    with pytest.raises(InvalidValue, match="must start with sqlite:/// or postgresql://"):
        open_store("mysql://ann:pw@db/stock")


def test_a_server_away_is_unavailable_not_refused():
    with pytest.raises(DatabaseUnavailable) as caught:
        open_store("postgresql://ann@127.0.0.1:1/x")
    assert not isinstance(caught.value, DatabaseRefused)


@postgres_only
@pytest.mark.parametrize("change", [{"path": "/no_such_stock"}, {"username": "nobody"}], ids=["database", "user"])
def test_a_server_that_answers_no_such_database_or_user_refuses_for_good(change):
    url = urlsplit(SERVER)
    if "username" in change:
        change = {"netloc": url.netloc.replace(f"{url.username}@", f"{change['username']}@")}
    with pytest.raises(DatabaseRefused, match="does not exist"):
        open_store(urlunsplit(url._replace(**change)))


def test_a_sqlite_file_in_a_folder_that_does_not_exist_is_refused_not_created(tmp_path):
    with pytest.raises(InvalidValue, match="that folder does not exist"):
        open_store(f"sqlite:///{tmp_path}/typo/stock.db")
    assert not (tmp_path / "typo").exists()


def test_the_data_directory_is_created_on_first_use(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "fresh"))
    monkeypatch.delenv("STOCKROOM_DB", raising=False)
    open_store(default_url()).close()
    assert (tmp_path / "fresh" / "stockroom" / "stockroom.db").is_file()
