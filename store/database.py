"""Opening a store from a database URL."""

from __future__ import annotations

import os
import socket
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from peewee import Database, PostgresqlDatabase, SqliteDatabase
from platformdirs import user_data_dir
from playhouse.db_url import connect

from store import schema
from store.errors import InvalidValue
from store.locations import ensure_virtual_locations
from store.models import MODELS
from store.units import ensure_builtin

SQLITE_PRAGMAS = (
    ("journal_mode", "wal"),
    ("synchronous", "full"),
    ("foreign_keys", 1),
    ("busy_timeout", 10_000),
    ("cache_size", -64_000),
)


def data_dir() -> Path:
    """Where Stockroom keeps its databases unless told otherwise."""
    return Path(user_data_dir("stockroom", appauthor=False))


def default_url(demo: bool = False) -> str:
    """``$STOCKROOM_DB``, else a SQLite file in the data directory (a separate one for the demo)."""
    if not demo and os.environ.get("STOCKROOM_DB"):
        return os.environ["STOCKROOM_DB"]
    name = "demo.db" if demo else "stockroom.db"
    return f"sqlite:///{data_dir() / name}"


def default_terminal() -> str:
    """``$STOCKROOM_TERMINAL``, else the SSH client's address, else the host name."""
    if os.environ.get("STOCKROOM_TERMINAL"):
        return os.environ["STOCKROOM_TERMINAL"]
    ssh = os.environ.get("SSH_CLIENT") or os.environ.get("SSH_CONNECTION")
    if ssh:
        return ssh.split()[0]
    return socket.gethostname()


def connect_url(url: str) -> Database:
    """A peewee database for a URL: ``sqlite:///path`` or ``postgresql://...``."""
    if url.startswith("sqlite://"):
        if not url.startswith("sqlite:///") or url == "sqlite:///":
            raise InvalidValue(f"{url!r}: a SQLite URL needs a path, as in sqlite:///path/to/file.db")
        path = url[len("sqlite:///"):]
        if path != ":memory:":
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        return SqliteDatabase(
            str(Path(path).expanduser()) if path != ":memory:" else path,
            pragmas=SQLITE_PRAGMAS,
            lock_type="IMMEDIATE",
            check_same_thread=False,
            timeout=10,
        )
    if url.startswith(("postgresql://", "postgres://")):
        return connect(url, autorollback=True)
    raise InvalidValue(f"{url!r}: the database URL must start with sqlite:/// or postgresql://")


@dataclass
class Store:
    """An open stock database and who is working on it.

    Every function of the store takes a ``Store``: its ``db`` for queries and
    transactions, its ``operator`` and ``terminal`` for what it records.
    """

    db: Database
    url: str
    operator: str = ""
    terminal: str = field(default_factory=default_terminal)
    _paths: dict[int, str] = field(default_factory=dict, repr=False)

    @property
    def is_postgres(self) -> bool:
        return isinstance(self.db, PostgresqlDatabase)

    def atomic(self) -> AbstractContextManager:
        """A write transaction (``BEGIN IMMEDIATE`` on SQLite, so concurrent writers queue)."""
        return self.db.atomic()

    def close(self) -> None:
        """Close the connection of the calling thread."""
        if not self.db.is_closed():
            self.db.close()


def open_store(url: str, operator: str = "", terminal: str | None = None) -> Store:
    """Open (creating or migrating as needed) the database at ``url``."""
    db = connect_url(url)
    db.bind(MODELS, bind_refs=False, bind_backrefs=False)
    db.connect(reuse_if_open=True)
    schema.prepare(db)
    store = Store(db=db, url=url, operator=operator, terminal=terminal or default_terminal())
    with store.atomic():
        ensure_builtin(store)
        ensure_virtual_locations(store)
    return store
