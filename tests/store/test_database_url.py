"""Database URLs: which engine they open, and passwords that never reach a message."""

from __future__ import annotations

import subprocess
import sys

import pytest

from store.database import open_store, redact_url
from store.errors import DatabaseUnavailable, InvalidValue


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
