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

from collections.abc import Callable
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F, Model, QuerySet


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
        # Per database alias; two threads compiling at once store the same thing twice.
        self._compiled: dict[str, _Compiled] = {}

    def __call__(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[Model]:
        if len(values) != len(self.placeholders):
            raise TypeError(f"Prepared: {len(self.placeholders)} values, not {len(values)}")
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        params = list(compiled.params)
        for i, n in compiled.slots:
            params[i] = values[n]
        objects = list(compiled.model._base_manager.raw(compiled.sql, params).using(using))
        if objects and (compiled.annotations or compiled.related):
            # The converters of this thread's connection (a date-time read from SQLite).
            connection = connections[using]
            converting = [
                (name, expression, converters)
                for name, expression in compiled.annotations
                if (converters := _converters(expression, connection))
            ]
            for obj in objects:
                for name, expression, converters in converting:
                    value = getattr(obj, name)
                    for convert in converters:
                        value = convert(value, expression, connection)
                    setattr(obj, name, value)
                for name, model, fields, pk_at in compiled.related:
                    related_values = [getattr(obj, f"_{name}_{field}") for field in fields]
                    if related_values[pk_at] is not None:
                        setattr(obj, name, model.from_db(using, fields, related_values))
        return objects

    def _compile(self, using: str) -> _Compiled:
        queryset = self.build(*self.placeholders)
        if queryset.query.select_related:
            raise ValueError("Prepared: give select_related as related=")
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
        try:
            sql, params = queryset.query.get_compiler(using).as_sql()
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
        annotations = list(queryset.query.annotation_select.items())
        return _Compiled(queryset.model, sql, tuple(params), slots, annotations, related)


def _converters(expression, connection) -> list:
    return connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)


class _Compiled:
    __slots__ = ("model", "sql", "params", "slots", "annotations", "related")

    def __init__(self, model, sql, params, slots, annotations, related) -> None:
        self.model = model
        self.sql = sql
        self.params = params
        self.slots = slots
        self.annotations = annotations  # (name, expression) of each selected
        self.related = related
