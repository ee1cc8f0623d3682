"""Domain errors: every refusal the store makes, with a message a stock-room worker understands."""

from __future__ import annotations


class StockError(Exception):
    """Base of every refusal by the store; ``str()`` is the message to show."""


class NotFound(StockError):
    """A product, location, unit or document that does not exist."""


class InvalidValue(StockError):
    """A quantity, date, code or other value that cannot be accepted."""


class InsufficientStock(StockError):
    """A move would take a location that forbids negative stock below zero."""


class ImmutableMove(StockError):
    """An attempt to change or delete a done move; corrections are new moves."""


class DatabaseUnavailable(StockError):
    """The database server cannot be reached or refuses the connection."""


class DatabaseRefused(DatabaseUnavailable):
    """The server answered and turned the connection away for good: no such database or user,
    a wrong or missing password, a host it does not admit. Waiting will not change it."""


class SchemaError(StockError):
    """The database was written by a newer version, or cannot be migrated."""


class ImportRefused(StockError):
    """A CSV file was refused; nothing was imported."""

    def __init__(self, line: int, column: str | None, reason: str) -> None:
        self.line = line
        self.column = column
        self.reason = reason
        where = f"line {line}" + (f", column {column!r}" if column else "")
        super().__init__(f"{where}: {reason}")


class ConcurrentUpdate(StockError):
    """Other terminals changed the same rows at the same moment, again and again; nothing was applied."""
