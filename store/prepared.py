"""Queries built once: peewee renders their SQL the first time, later runs only bind new values.

Rendering a select of a few models costs peewee more than the database takes
to answer it; on the scan and move paths that is half of each operation.
A ``Prepared`` query is written with peewee as usual, with ``arg("name")``
where a value goes; its SQL is rendered once per kind of database and kept,
and each run binds the values by name and turns the rows into models as
peewee would. Values are bound as the database stores them (ids, not models):
nothing converts them. ``create`` is ``Model.create`` with its INSERT built
once the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from peewee import Model, SelectQuery, Value

M = TypeVar("M", bound=Model)


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

    def statement(self, **values: Any) -> tuple[str, list[Any]]:
        """The SQL and parameters for these values, to send along with other statements (``read`` the rows)."""
        db = self._built().model._meta.database  # as peewee runs a query: on the database its models are bound to
        built = self._sql.get(type(db))
        if built is None:
            built = self._sql[type(db)] = db.get_sql_context().sql(self._built()).query()
        sql, template = built
        return sql, [values[param.name] if isinstance(param, _Arg) else param for param in template]

    def read(self, cursor: Any) -> list:
        """The rows of a cursor that ran this query, as peewee turns them into the query's models."""
        return list(self._built()._get_cursor_wrapper(cursor))

    def rows(self, **values: Any) -> list:
        """The rows (models, or what the query's row type says) for these values."""
        sql, params = self.statement(**values)
        return self.read(self._built().model._meta.database.execute_sql(sql, params))

    def _built(self) -> SelectQuery:
        if self._query is None:
            self._query = self.build()
        return self._query

    def first(self, **values: Any) -> Any:
        """The first row, or None."""
        rows = self.rows(**values)
        return rows[0] if rows else None


_INSERTS: dict[tuple, tuple[str, list[Any]]] = {}


def create(model: type[M], **values: Any) -> M:
    """``model.create(**values)`` (defaults filled in, the new id set), its INSERT built once per set of columns."""
    row = model(**values)
    primary_key = model._meta.primary_key
    data = {name: value for name, value in row.__data__.items() if name != primary_key.name}
    db = model._meta.database
    key = (model, type(db), tuple(data))
    built = _INSERTS.get(key)
    if built is None:
        query = model.insert({model._meta.fields[name]: arg(name) for name in data})
        if db.returning_clause:
            query = query.returning(primary_key)
        built = _INSERTS[key] = db.get_sql_context().sql(query).query()
    sql, template = built
    fields = model._meta.fields
    params = [fields[param.name].db_value(data[param.name]) if isinstance(param, _Arg) else param for param in template]
    cursor = db.execute_sql(sql, params)
    row._pk = cursor.fetchone()[0] if db.returning_clause else cursor.lastrowid
    row._dirty.clear()
    return row
