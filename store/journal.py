"""A terminal's offline journal: the scans it could not save while the server was away, written back in order.

The journal is a file of JSON lines in the user's data directory, one per
database and terminal, appended to and synced to disk line by line: an entry
(a scan, with the client id it got when it was read) or a mark saying that
the entry with that id is written (``done``) or was refused by the store
(``refused``, with the reason). Entries without a mark are pending.

Once one scan is kept in the journal every later one goes there too, until
a replay has written them all, so the scans reach the database in the order
they were read. Writing an entry is idempotent (its client id is unique in
the database), so a replay cut short between a commit and its mark, or a
commit whose answer was lost with the connection, doubles nothing.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from peewee import InterfaceError, OperationalError

from store.database import connection_lost, data_dir, redact_url
from store.errors import ConcurrentUpdate, DatabaseUnavailable, StockError

if TYPE_CHECKING:
    from store.database import Store

Entry = dict[str, Any]
R = TypeVar("R")
SLOTS = 16  # terminals of one name (two SSH sessions from one address) each get a journal of their own


@dataclass(frozen=True)
class Kept:
    """A scan kept in the journal instead of saved: ``waiting`` scans now wait for the server."""

    waiting: int


@dataclass
class Replayed:
    """What a replay did: entries written, and those the store refused (entry, reason), kept in the file."""

    written: int = 0
    refused: list[tuple[Entry, str]] = field(default_factory=list)


class Journal:
    """One terminal's journal file, held (locked) by this process until ``close``.

    Safe to use from several threads: a scan's save and a replay take turns.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._file: IO[str] = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held until close)
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._file.close()
            raise
        self._sync_directory()
        if path.stat().st_size and not path.read_bytes().endswith(b"\n"):
            self._write("")  # a line cut short by a crash was never acknowledged: end it, it is skipped
        self._waiting = len(self.pending())

    @property
    def waiting(self) -> int:
        """How many scans wait in the journal for the server."""
        return self._waiting

    def close(self) -> None:
        """Release the file (its pending entries stay in it for the next start), after a replay under way."""
        with self._lock:
            self._file.close()

    def pending(self) -> list[Entry]:
        """The entries not yet written nor refused, in the order they were kept."""
        return [entry for state, entry, _ in entry_states(self.path) if state == "pending"]

    def refused(self) -> list[tuple[Entry, str]]:
        """The entries the store refused when they were replayed, with its reasons."""
        return [(entry, reason) for state, entry, reason in entry_states(self.path) if state == "refused"]

    def append(self, entry: Entry) -> Kept:
        """Keep one entry (a dict with a unique ``id``), on disk before this returns."""
        with self._lock:
            self._write(json.dumps(entry, separators=(",", ":")))
            self._waiting += 1
            return Kept(self._waiting)

    def save(self, store: Store, entry: Entry, write: Callable[[], R]) -> R | Kept:
        """Save a scan with ``write()``, or keep its ``entry`` here if the server is gone or scans already wait.

        Errors other than a lost connection go to the caller, nothing kept.
        """
        with self._lock:
            if self._waiting:
                return self.append(entry)
        try:
            return write()
        except (OperationalError, InterfaceError, DatabaseUnavailable) as error:
            if not connection_lost(store, error):
                raise
        store.close()
        return self.append(entry)

    def replay(self, store: Store, apply: Callable[[Store, Entry], None]) -> Replayed:
        """Write the pending entries in order with ``apply``, marking each as it is done.

        ``apply`` must leave an entry already in the database as it is (found by
        its id). An entry the store refuses is marked refused and the replay goes
        on; a lost connection (or a server too busy) stops it, the rest still pending.
        """
        result = Replayed()
        with self._lock:
            for entry in self.pending():
                try:
                    apply(store, entry)
                except (ConcurrentUpdate, DatabaseUnavailable):
                    raise
                except StockError as error:
                    self._mark(entry, str(error) or type(error).__name__)
                    result.refused.append((entry, str(error)))
                    continue
                self._mark(entry, "")
                result.written += 1
            if not self._waiting and not self.refused():
                self._file.truncate(0)
                os.fsync(self._file.fileno())
        return result

    def _mark(self, entry: Entry, reason: str) -> None:
        mark = {"refused": entry["id"], "reason": reason} if reason else {"done": entry["id"]}
        self._write(json.dumps(mark, separators=(",", ":")))
        self._waiting -= 1

    def _write(self, line: str) -> None:
        self._file.write(line + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def _sync_directory(self) -> None:
        """Make the file's creation itself durable."""
        directory = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _read_journal(path: Path) -> tuple[list[Entry], dict[str, str]]:
    """A journal file's entries in order, and its marks by id ("" for done, else the refusal).

    Needs no lock: the file is only ever appended to, a line at a time.
    """
    entries: list[Entry] = []
    marked: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue  # only a last line cut short by a crash can be unreadable
        if not isinstance(record, dict):
            continue
        if "done" in record:
            marked[record["done"]] = ""
        elif "refused" in record:
            marked[record["refused"]] = record.get("reason") or "refused"
        elif "id" in record:
            entries.append(record)
    return entries, marked


def entry_states(path: Path) -> list[tuple[str, Entry, str]]:
    """Each entry of a journal file, in order, with its state (``pending``, ``done`` or ``refused``) and the refusal."""
    entries, marked = _read_journal(path)
    states: list[tuple[str, Entry, str]] = []
    for entry in entries:
        mark = marked.get(entry["id"])
        if mark is None:
            states.append(("pending", entry, ""))
        else:
            states.append(("refused", entry, mark) if mark else ("done", entry, ""))
    return states


def journal_name(url: str, terminal: str) -> str:
    """The file name of the journal of a database and terminal (the URL hashed, its password left out)."""
    digest = hashlib.sha256(redact_url(url).encode()).hexdigest()[:12]
    return f"{digest}-{re.sub(r'[^A-Za-z0-9._-]', '_', terminal)[:40]}"


def open_journal(store: Store, directory: Path | None = None) -> Journal:
    """This terminal's journal for the store's database, in ``directory`` (default: the data directory's ``journal``).

    A journal held by another process of the same terminal name is left to it:
    this one takes the next free one.
    """
    for path in _journal_paths(store.url, store.terminal, directory):
        try:
            return Journal(path)
        except BlockingIOError:
            continue
    raise DatabaseUnavailable(f"{SLOTS} Stockroom sessions of terminal {store.terminal} are running already")


def journal_files(url: str, terminal: str, directory: Path | None = None) -> list[Path]:
    """The journal files of a database and terminal that exist, one per session that ran at once, in slot order."""
    return [path for path in _journal_paths(url, terminal, directory) if path.exists()]


def _journal_paths(url: str, terminal: str, directory: Path | None) -> list[Path]:
    directory = directory or data_dir() / "journal"
    name = journal_name(url, terminal)
    return [directory / (f"{name}.jsonl" if slot == 1 else f"{name}.{slot}.jsonl") for slot in range(1, SLOTS + 1)]
