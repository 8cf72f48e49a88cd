"""Querysets compiled to SQL once per process, then run again with another value.

Django builds and compiles a queryset's SQL every time it runs it: about 1.5 ms for each of
the small queries a cable page makes by one cable's id (its paragraphs, TAGS, references...),
more than the database takes to answer them. A ``Prepared`` query keeps the ORM's own SQL
(so it follows the models) and runs it as a ``RawQuerySet`` with the value as a parameter,
never interpolated: the cable page's relations load in about half the time.

Values the ORM converts after reading (a date-time read from SQLite, JSON) are converted for
annotations too, as the queryset would; a ``select_related`` is given as ``related``: the
related object's fields are read as annotations and set on each object as the related one.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import re
import weakref
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import F, Model, QuerySet, Window
from django.db.models.functions import RowNumber


class Placeholder:
    """The values each run replaces: values no query of the archive is ever given (the
    n-th of several: ``INT - n``, ``TEXT + str(n)``). The text holds what a lookup would
    escape or change (``%``, ``_``, a backslash, both cases): a lookup that transforms its
    value (``iexact``, ``contains``) no longer finds its placeholder, and is refused rather
    than run with the values untransformed."""

    INT = -975_312_468
    TEXT = "\x00Prepared_%\\placeholder\x00"

    @staticmethod
    def nth(placeholder: int | str, n: int) -> int | str:
        return placeholder - n if isinstance(placeholder, int) else f"{placeholder}{n}"


class Prepared:
    """``Prepared(lambda cable_id: Paragraph.objects.filter(cable_id=cable_id))(cable.pk)``:
    the queryset ``build`` makes, given ``Placeholder.INT`` (or ``.TEXT``), compiled once per
    database, run for any value; with ``values=n``, ``build`` is given n placeholders and
    each run n values. ``related={"person": ("name", "slug")}`` sets each object's
    ``person`` from those fields (``None``: every concrete field of the related model).

    Only the placeholders change from run to run: ``build`` must use them as they are
    (``exact`` or ``in`` on a column) and put nothing else in the query that could change
    (the time now, a setting)."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        placeholder: int | str = Placeholder.INT,
        related: dict[str, tuple[str, ...] | None] | None = None,
        values: int = 1,
    ) -> None:
        self.build = build
        self.placeholders = [Placeholder.nth(placeholder, n) for n in range(values)]
        self.related = related or {}
        # Per database alias, and numbered or not (``compiled``); two threads compiling at
        # once store the same thing twice.
        self._compiled: dict[tuple[str, bool], _Compiled] = {}

    def __call__(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[Model]:
        if len(values) != len(self.placeholders):
            raise TypeError(f"Prepared: {len(self.placeholders)} values, not {len(values)}")
        compiled = self.compiled(using)
        params = compiled.bind(values)
        return _executed(
            connections[using],
            compiled.sql,
            params,
            lambda sql: compiled.run(sql, params, using),
        )

    def compiled(self, using: str, numbered: bool = False) -> _Compiled:
        """The statement compiled for this database; ``numbered``: each row also selects
        its place in the queryset's order (``ROW_NUMBER`` as ``ROW_NUMBER_COLUMN``), for a
        statement that reads the rows again in that order (``Together``)."""
        compiled = self._compiled.get((using, numbered))
        if compiled is None:
            compiled = self._compiled[(using, numbered)] = self._compile(using, numbered)
        return compiled

    def _compile(self, using: str, numbered: bool) -> _Compiled:
        queryset = self.build(*self.placeholders)
        if queryset.query.select_related:
            raise ValueError("Prepared: give select_related as related=")
        if numbered:
            query = queryset.query
            ordering = query.order_by or (query.default_ordering and queryset.model._meta.ordering)
            if not ordering:
                raise ValueError("Prepared: rows read in their order need an order_by")
            # (the same order as the statement's ORDER BY: one sort serves both)
            queryset = queryset.annotate(
                **{ROW_NUMBER_COLUMN: Window(RowNumber(), order_by=list(ordering))}
            )
        related = []
        for name, wanted in self.related.items():
            model = queryset.model._meta.get_field(name).related_model
            # In the model's order of fields, as ``from_db`` takes them.
            fields = [
                f.attname
                for f in model._meta.concrete_fields
                if f.primary_key or wanted is None or f.name in wanted
            ]
            queryset = queryset.annotate(
                **{f"_{name}_{field}": F(f"{name}__{field}") for field in fields}
            )
            related.append((name, model, fields, fields.index(model._meta.pk.attname)))
        compiler = queryset.query.get_compiler(using)
        try:
            sql, params = compiler.as_sql()
        except (EmptyResultSet, FullResultSet) as error:
            # (a placeholder out of the field's range: a negative one for a positive field)
            raise ValueError(
                f"Prepared: the placeholders {self.placeholders} make no query"
            ) from error
        slots = [
            (i, self.placeholders.index(param))
            for i, param in enumerate(params)
            if param in self.placeholders
        ]
        if {n for _, n in slots} != set(range(len(self.placeholders))):
            raise ValueError("Prepared: the queryset does not use each of its placeholders")
        annotations = [
            (name, expression)
            for name, expression in queryset.query.annotation_select.items()
            if name != ROW_NUMBER_COLUMN
        ]
        # The name of each column as the statement returns it: a field's column, or the
        # annotation's alias.
        columns = [alias or expression.target.column for expression, _, alias in compiler.select]
        return _Compiled(queryset.model, sql, tuple(params), slots, annotations, related, columns)


def _converters(expression, connection) -> list:
    return connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)


# A placeholder in Django's SQL, or a percent sign it doubled.
_PLACEHOLDER = re.compile(r"%[s%]")


def _each_placeholder(sql: str, replace: Callable[[int], str], percent: str) -> str:
    """Django's SQL with its n-th placeholder (from 0) made ``replace(n)`` and each doubled
    percent sign ``percent``."""
    count = itertools.count()
    return _PLACEHOLDER.sub(
        lambda match: percent if match.group() == "%%" else replace(next(count)), sql
    )


# The column of a row's place in its statement's order (``Prepared.compiled(numbered=True)``).
ROW_NUMBER_COLUMN = "_row_number"


class _Compiled:
    __slots__ = ("model", "sql", "params", "slots", "annotations", "related", "columns")

    def __init__(self, model, sql, params, slots, annotations, related, columns) -> None:
        self.model = model
        self.sql = sql
        self.params = params
        self.slots = slots
        self.annotations = annotations  # (name, expression) of each selected
        self.related = related
        self.columns = columns

    def bind(self, values: Sequence[Any]) -> list[Any]:
        """The statement's parameters with these values in the placeholders' places."""
        params = list(self.params)
        for i, n in self.slots:
            params[i] = values[n]
        return params

    def run(self, sql: str, params: list[Any], using: str) -> list[Model]:
        """The objects of ``sql`` (this statement, or one selecting its columns and more:
        the others are set as attributes)."""
        objects = list(self.model._base_manager.raw(sql, params).using(using))
        if objects and (self.annotations or self.related):
            # The converters of this thread's connection (a date-time read from SQLite).
            connection = connections[using]
            converting = [
                (name, expression, converters)
                for name, expression in self.annotations
                if (converters := _converters(expression, connection))
            ]
            for obj in objects:
                for name, expression, converters in converting:
                    value = getattr(obj, name)
                    for convert in converters:
                        value = convert(value, expression, connection)
                    setattr(obj, name, value)
                for name, model, fields, pk_at in self.related:
                    related_values = [getattr(obj, f"_{name}_{field}") for field in fields]
                    if related_values[pk_at] is not None:
                        setattr(obj, name, model.from_db(using, fields, related_values))
        return objects

    def correlated(self, outer_column: str) -> tuple[str, list[Any]]:
        """This statement as a subquery of another, its one placeholder replaced by a
        column of the other's row (an SQL expression we wrote, never a value)."""
        if len(self.slots) < 1 or {n for _, n in self.slots} != {0}:
            raise ValueError("Prepared: a part of a statement takes one value")
        slot_at = {i for i, _ in self.slots}
        params = [param for i, param in enumerate(self.params) if i not in slot_at]
        sql = _each_placeholder(
            self.sql, lambda i: outer_column if i in slot_at else "%s", percent="%%"
        )
        return sql, params

    def json_reader(self, using: str) -> Callable[[list[dict[str, Any]]], list[Model]]:
        """What makes this statement's objects of its rows read as JSON objects (keyed by
        column): the same objects ``run`` makes of them, read as SQL values."""
        fields = {f.column: f for f in self.model._meta.concrete_fields}
        names = [column for column in self.columns if column in fields]
        attnames = [fields[column].attname for column in names]
        convert_fields = [_from_json(fields[column]) for column in names]
        annotations = [
            (name, _from_json(expression.output_field)) for name, expression in self.annotations
        ]
        related = [
            (
                name,
                model,
                fields_of,
                pk_at,
                [(f"_{name}_{f}", _from_json(model._meta.get_field(f))) for f in fields_of],
            )
            for name, model, fields_of, pk_at in self.related
        ]
        model = self.model

        def read(rows: list[dict[str, Any]]) -> list[Model]:
            objects = []
            for row in rows:
                values = [
                    _read(convert, row[name])
                    for name, convert in zip(names, convert_fields, strict=True)
                ]
                obj = model.from_db(using, attnames, values)
                for name, convert in annotations:
                    setattr(obj, name, _read(convert, row[name]))
                for name, related_model, fields_of, pk_at, keys in related:
                    related_values = [_read(convert, row[key]) for key, convert in keys]
                    if related_values[pk_at] is not None:
                        setattr(obj, name, related_model.from_db(using, fields_of, related_values))
                objects.append(obj)
            return objects

        return read


# How a value of each kind of field reads from PostgreSQL's JSON of it: JSON's own types
# as they are (None), dates from their ISO 8601 text. A kind not listed is refused.
_JSON_READS: dict[str, Callable[[Any], Any] | None] = {
    **dict.fromkeys(
        (
            "AutoField",
            "BigAutoField",
            "SmallAutoField",
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
            "PositiveIntegerField",
            "PositiveBigIntegerField",
            "PositiveSmallIntegerField",
            "CharField",
            "TextField",
            "SlugField",
            "BooleanField",
            "JSONField",
        )
    ),
    "DateTimeField": datetime.fromisoformat,
    "DateField": date.fromisoformat,
}


def _read(convert: Callable[[Any], Any] | None, value: Any) -> Any:
    return convert(value) if convert is not None and value is not None else value


def _from_json(field) -> Callable[[Any], Any] | None:
    while field.is_relation:  # a foreign key holds its target's value
        field = field.target_field
    kind = field.get_internal_type()
    if kind not in _JSON_READS:
        raise ValueError(f"Prepared: {field} ({kind}) cannot be read from JSON")
    return _JSON_READS[kind]


class Together:
    """``Together(main, {"paragraphs": Prepared(...), ...})(value)``: the objects ``main``
    finds, each with the objects of the other prepared queries given its primary key, as
    (object, {name: objects}).

    On PostgreSQL, in one statement: each part a subquery of the main row, its rows one JSON
    array in the part's order (``json_agg ... ORDER BY`` its row numbers: an aggregate is
    not bound to keep the order of the subquery it reads), prepared once per
    database session (``PREPARE``: its plan made once; ``settings.PREPARED_STATEMENTS``
    off behind a pooler that shares sessions). A cable page's nine queries took ~11 ms at
    full size (a plan and a round trip each), the one statement planned each time ~6.5,
    prepared ~2.4. Elsewhere (SQLite, in-process, where a query costs no round trip) the
    parts run one by one."""

    def __init__(self, main: Prepared, parts: dict[str, Prepared]) -> None:
        self.main = main
        self.parts = parts
        self._statements: dict[str, _Statement] = {}

    def __call__(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[tuple[Model, dict]]:
        connection = connections[using]
        if connection.vendor != "postgresql":
            return [
                (obj, {name: part(obj.pk, using=using) for name, part in self.parts.items()})
                for obj in self.main(*values, using=using)
            ]
        statement = self._statements.get(using)
        if statement is None:
            statement = self._statements[using] = self._compile(using)
        main = self.main.compiled(using)
        params = statement.params + main.bind(values)
        objects = _executed(
            connection, statement.sql, params, lambda sql: main.run(sql, params, using)
        )
        found = []
        for obj in objects:
            parts = {}
            for name, column, read in statement.readers:
                rows = obj.__dict__.pop(column)
                parts[name] = read(json.loads(rows) if isinstance(rows, str) else rows)
            found.append((obj, parts))
        return found

    def _compile(self, using: str) -> _Statement:
        main = self.main.compiled(using)
        quote = connections[using].ops.quote_name
        outer_pk = f"{quote('_main')}.{quote(main.model._meta.pk.column)}"
        selects, params, readers = [f"{quote('_main')}.*"], [], []
        for name, part in self.parts.items():
            compiled = part.compiled(using, numbered=True)
            sql, part_params = compiled.correlated(outer_pk)
            column = f"_part_{name}"
            in_order = f"_rows.{quote(ROW_NUMBER_COLUMN)}"
            selects.append(
                f"(SELECT COALESCE(json_agg(_rows ORDER BY {in_order}), '[]')"
                f" FROM ({sql}) AS _rows) AS {quote(column)}"
            )
            params += part_params
            readers.append((name, column, compiled.json_reader(using)))
        sql = f"SELECT {', '.join(selects)} FROM ({main.sql}) AS {quote('_main')}"
        return _Statement(sql, params, readers)


class _Statement(NamedTuple):
    """A ``Together``'s SQL on PostgreSQL, its parameters but the main query's, and how each
    part's JSON is read: (name, column, reader)."""

    sql: str
    params: list[Any]
    readers: list[tuple[str, str, Callable[[list[dict[str, Any]]], list[Model]]]]


# The statements each PostgreSQL session (psycopg's connection) has prepared: a session
# closed takes its statements, and its entry, with it.
_prepared_in: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


@functools.cache
def _server_statement(sql: str) -> tuple[str, str]:
    """The name of a statement prepared from this SQL (the same SQL, the same name) and its
    ``PREPARE``, Django's placeholders numbered as PostgreSQL's ($1, $2...)."""
    name = "cables_" + hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:16]
    # (sent without parameters: a percent sign as it is)
    return name, f"PREPARE {name} AS {_each_placeholder(sql, lambda n: f'${n + 1}', '%')}"


# What PostgreSQL answers when a session's prepared statement is not what we knew of it:
# gone (a pooler's DISCARD ALL, a DEALLOCATE), already there, or planned for columns a
# migration has since changed ("cached plan must not change result type").
_GONE, _ALREADY_THERE, _CHANGED = "26000", "42P05", "0A000"


def _sqlstate(error: DatabaseError) -> str | None:
    return getattr(error.__cause__, "sqlstate", None)


def _prepared(connection, sql: str, count: int) -> str:
    """``EXECUTE name(%s, ...)`` of the statement prepared from ``sql`` on this session,
    which prepares it first if it has not (once per session)."""
    name, prepare = _server_statement(sql)
    # What Django's cursor() does first: its health check may reconnect, and the
    # statements known are those of the session the statement will run on.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    known = _prepared_in.setdefault(connection.connection, set())
    if name not in known:
        try:
            with connection.cursor() as cursor:
                cursor.execute(prepare)
        except DatabaseError as error:
            # Already there (our record lost): fine, unless the failure has ended a
            # transaction (then it goes up, as any failed statement's would).
            if _sqlstate(error) != _ALREADY_THERE or connection.in_atomic_block:
                raise
        known.add(name)
    return f"EXECUTE {name}({', '.join(['%s'] * count)})" if count else f"EXECUTE {name}"


def _forget(connection, sql: str, sqlstate: str | None) -> None:
    name, _ = _server_statement(sql)
    known = _prepared_in.get(connection.connection, set())
    if sqlstate == _CHANGED:
        with connection.cursor() as cursor:
            cursor.execute(f"DEALLOCATE {name}")
    known.discard(name)


def _executed[T](connection, sql: str, params: list[Any], run: Callable[[str], T]) -> T:
    """``run(sql)``; on PostgreSQL, ``run`` given ``EXECUTE name(%s, ...)`` of the statement
    prepared from ``sql`` once per session instead: its plan made once (a cable page's
    queries spent more time planned than run). Run again, prepared afresh, when the session
    no longer has it as we knew it (outside a transaction, which its failure would have
    ended). ``sql`` as it is elsewhere, or with ``settings.PREPARED_STATEMENTS`` off."""
    if connection.vendor != "postgresql" or not settings.PREPARED_STATEMENTS:
        return run(sql)
    try:
        return run(_prepared(connection, sql, len(params)))
    except DatabaseError as error:
        sqlstate = _sqlstate(error)
        if sqlstate not in (_GONE, _CHANGED) or connection.in_atomic_block:
            raise
        _forget(connection, sql, sqlstate)
        return run(_prepared(connection, sql, len(params)))
