"""Queries built once: peewee renders their SQL the first time, later runs only bind new values.

Rendering a select of a few models costs peewee more than the database takes
to answer it; on the scan and move paths that is half of each operation.
A ``Prepared`` query is written with peewee as usual, with ``arg("name")``
where a value goes; its SQL is rendered once per kind of database and kept,
and each run binds the values by name and turns the rows into models as
peewee would. Values are bound as the database stores them (ids, not models):
nothing converts them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from peewee import SelectQuery, Value


@dataclass(frozen=True)
class _Arg:
    name: str


def arg(name: str) -> Value:
    """A value bound when a prepared query runs: ``Move.id == arg("move")``."""
    return Value(_Arg(name), converter=False)


class Prepared:
    """A select built by ``build`` once; ``rows`` runs it on its models' database with values bound by name."""

    def __init__(self, build: Callable[[], SelectQuery]) -> None:
        self.build = build
        self._query: SelectQuery | None = None
        self._sql: dict[type, tuple[str, list[Any]]] = {}

    def rows(self, **values: Any) -> list:
        """The rows (models, or what the query's row type says) for these values."""
        if self._query is None:
            self._query = self.build()
        query = self._query
        db = query.model._meta.database  # as peewee runs a query: on the database its models are bound to now
        built = self._sql.get(type(db))
        if built is None:
            built = self._sql[type(db)] = db.get_sql_context().sql(query).query()
        sql, template = built
        params = [values[param.name] if isinstance(param, _Arg) else param for param in template]
        # peewee's own conversion of a cursor into rows of the query's models
        return list(query._get_cursor_wrapper(db.execute_sql(sql, params)))

    def first(self, **values: Any) -> Any:
        """The first row, or None."""
        rows = self.rows(**values)
        return rows[0] if rows else None
