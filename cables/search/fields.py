"""A search-vector column and its GIN index that the same migrations create on both engines.

On PostgreSQL they are ``django.contrib.postgres``'s ``SearchVectorField`` (a ``tsvector``
column) and ``GinIndex``. On SQLite, where full-text search lives in FTS5 tables instead
(see ``cables.search.sqlite``), the column exists but stays NULL, and the index is an empty
partial index (``WHERE ... IS NOT NULL``): same migrations, no wasted space, and
``makemigrations --check`` is clean on both.

``django.contrib.postgres`` is only in INSTALLED_APPS when the archive runs on PostgreSQL,
so its "app not installed" system check is only applied there.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField as PostgresSearchVectorField
from django.db.models import Index, Q


def _postgres_configured() -> bool:
    return any(
        db.get("ENGINE", "").startswith("django.db.backends.postgresql")
        for db in settings.DATABASES.values()
    )


class SearchVectorField(PostgresSearchVectorField):
    """``tsvector`` on PostgreSQL; an unused column on other databases."""

    def _check_postgres_installed(self, *args):
        return super()._check_postgres_installed(*args) if _postgres_configured() else []


class SearchGinIndex(GinIndex):
    """A GIN index on PostgreSQL; elsewhere an (always empty) partial B-tree index."""

    def _check_postgres_installed(self, *args):
        return super()._check_postgres_installed(*args) if _postgres_configured() else []

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        (field,) = self.fields
        fallback = Index(fields=[field], name=self.name, condition=Q(**{f"{field}__isnull": False}))
        return fallback.create_sql(model, schema_editor, **kwargs)


class UnindexedIndex(Index):
    """A partial index of the rows whose search vector is not yet written (``condition``,
    on PostgreSQL); elsewhere, where the column stays NULL, an always empty one."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        fallback = Index(fields=self.fields, name=self.name, condition=Q(pk__isnull=True))
        return fallback.create_sql(model, schema_editor, **kwargs)
