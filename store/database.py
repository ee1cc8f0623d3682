"""Opening a store from a database URL."""

from __future__ import annotations

import os
import socket
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from peewee import Database, InterfaceError, OperationalError, PostgresqlDatabase, SqliteDatabase
from platformdirs import user_data_dir
from playhouse.db_url import connect

from store import schema
from store.errors import DatabaseRefused, DatabaseUnavailable, InvalidValue
from store.locations import ensure_virtual_locations
from store.models import MODELS
from store.units import ensure_builtin

SQLITE_PRAGMAS = (  # every connection; WAL is kept in the file itself (see _use_wal)
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


def redact_url(url: str) -> str:
    """The URL with its password, in the user part or the query, replaced by ``***``: for messages and logs."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}:***@{host}"
    query = urlencode([(key, "***" if key == "password" else value) for key, value in parse_qsl(parts.query)], safe="*")
    return urlunsplit(parts._replace(netloc=netloc, query=query)) if (netloc, query) != (parts.netloc, parts.query) else url


def is_server_url(url: str) -> bool:
    """Whether ``url`` names a database on a server (PostgreSQL), not an embedded file."""
    return url.startswith(("postgresql://", "postgres://"))


def connect_url(url: str) -> Database:
    """A peewee database for a URL: ``sqlite:///path`` or ``postgresql://...``."""
    if url.startswith("sqlite://"):
        if not url.startswith("sqlite:///") or url == "sqlite:///":
            raise InvalidValue(f"{redact_url(url)!r}: a SQLite URL needs a path, as in sqlite:///path/to/file.db")
        path = url[len("sqlite:///"):]
        if path != ":memory:":
            _sqlite_folder(Path(path).expanduser().parent)
        return SqliteDatabase(
            str(Path(path).expanduser()) if path != ":memory:" else path,
            pragmas=SQLITE_PRAGMAS,
            lock_type="IMMEDIATE",
            check_same_thread=False,
            timeout=10,
        )
    if is_server_url(url):
        return connect(url)
    raise InvalidValue(f"{redact_url(url)!r}: the database URL must start with sqlite:/// or postgresql://")


def _sqlite_folder(folder: Path) -> None:
    """Create Stockroom's own data directory on first use; refuse any other folder that does not exist.

    A typing slip in ``--db`` must not quietly start an empty stock room in a new folder.
    """
    if folder.is_dir():
        return
    if folder.absolute() != data_dir().absolute():
        raise InvalidValue(f"cannot open a database in {folder}: that folder does not exist")
    folder.mkdir(parents=True, exist_ok=True)


def _use_wal(db: SqliteDatabase, attempts: int = 50) -> None:
    """Put a SQLite file in WAL mode, waiting for other processes doing the same.

    Switching a new file to WAL needs it alone, and SQLite reports "database is
    locked" at once instead of waiting its busy timeout: several terminals
    opening a new database together would otherwise fail.
    """
    for attempt in range(attempts):
        try:
            db.execute_sql("PRAGMA journal_mode = wal")
            return
        except OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.02)


@dataclass
class Store:
    """An open stock database and who is working on it.

    Every function of the store takes a ``Store``: its ``db`` for queries and
    transactions, its ``operator`` and ``terminal`` for what it records.
    ``role`` is the logged-in operator's (``store.operators.login``); while
    ``login_required`` is False and nobody logged in, every action is allowed
    (a single-user shop, the command line's scripts).
    """

    db: Database
    url: str
    operator: str = ""
    terminal: str = field(default_factory=default_terminal)
    role: str | None = None
    login_required: bool = False
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


def connection_lost(store: Store, error: BaseException) -> bool:
    """Whether an error means the server is gone: this thread's connection broke, or a new one could not be made.

    Aborts the server decides on (serialization failures, deadlocks, time-outs)
    leave the connection open and are not a loss. After a loss, ``store.close()``
    drops the broken connection; the next query connects anew.
    """
    if isinstance(error, DatabaseUnavailable):
        return True
    if not store.is_postgres or not isinstance(error, (OperationalError, InterfaceError)):
        return False
    return store.db.is_closed() or bool(store.db.connection().closed)


_REFUSALS = ("does not exist", "authentication failed", "no password supplied", "no pg_hba.conf entry")
"""What libpq says when the server answered and refused: no such database or role, a wrong or
missing password, a host not admitted. A server starting up or full says otherwise, and is waited for."""


def _refused_for_good(reason: str) -> bool:
    """Whether a connection failure's message says the server refused it for good (see _REFUSALS).

    A server sending its messages in another language than English is never
    taken as refusing: the caller waits, as for a server away, and says why.
    """
    return any(refusal in reason for refusal in _REFUSALS)


def open_store(url: str, operator: str = "", terminal: str | None = None) -> Store:
    """Open (creating or migrating as needed) the database at ``url``."""
    db = connect_url(url)
    db.bind(MODELS, bind_refs=False, bind_backrefs=False)
    try:
        db.connect(reuse_if_open=True)
        if isinstance(db, SqliteDatabase):
            _use_wal(db)
    except OperationalError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        refused = DatabaseRefused if _refused_for_good(reason) else DatabaseUnavailable
        raise refused(f"cannot open the database at {redact_url(url)}: {reason}") from None
    schema.prepare(db)
    store = Store(db=db, url=url, operator=operator, terminal=terminal or default_terminal())
    with store.atomic():
        schema.hold_setup_lock(db)
        ensure_builtin(store)
        ensure_virtual_locations(store)
    return store
