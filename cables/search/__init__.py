"""Full-text search over the cables, on PostgreSQL or SQLite behind one small interface.

    query = parse_query(request_text)          # once, whatever the engine (query.py)
    engine().filter(Cable.objects.all(), query)  # postgres.py or sqlite.py, by connection

``parse_query`` turns what a user typed into a small AST (words, phrases, OR groups,
exclusions; capped; lone operators ignored); each engine renders that AST in its own
terms (a ``SearchQuery`` on PostgreSQL, an FTS5 MATCH string on SQLite), always as bound
parameters. Views use ``Cable.objects.search()`` and the helpers here, never an engine's
internals.
"""

from __future__ import annotations

from django.db import connection as default_connection
from django.db.models.signals import post_migrate

from .base import SNIPPETS_PER_CABLE, SearchEngine, Snippet
from .highlight import Highlighter, marked_html
from .query import EMPTY_MESSAGE, MAX_QUERY_LENGTH, Atom, ParsedQuery, parse_query

__all__ = [
    "EMPTY_MESSAGE",
    "MAX_QUERY_LENGTH",
    "SNIPPETS_PER_CABLE",
    "Atom",
    "Highlighter",
    "ParsedQuery",
    "SearchEngine",
    "Snippet",
    "engine",
    "index_cable",
    "index_cables",
    "marked_html",
    "parse_query",
]


def engine(connection=None) -> SearchEngine:
    """The search engine for the database in use: PostgreSQL's, or SQLite's FTS5."""
    vendor = (connection or default_connection).vendor
    if vendor == "postgresql":
        from .postgres import ENGINE
    elif vendor == "sqlite":
        from .sqlite import ENGINE
    else:  # pragma: no cover - the archive runs on these two
        raise NotImplementedError(f"No full-text search for {vendor} databases.")
    return ENGINE


def index_cable(cable_id: int) -> None:
    """Bring the search index up to date after the importer wrote or replaced a cable."""
    engine().index_cable(cable_id)


def index_cables(cable_ids: list[int]) -> None:
    """The same for a batch of new cables."""
    engine().index_cables(cable_ids)


def _repair_sqlite_index(sender, app_config=None, using="default", **kwargs) -> None:
    """After ``migrate``: SQLite drops a table's triggers when a migration rebuilds the table
    (its ALTER TABLE emulation); put the FTS5 triggers back and re-index if so."""
    if app_config is None or app_config.label != "cables":
        return
    from django.db import connections

    from .sqlite import repair_schema

    repair_schema(connections[using])


post_migrate.connect(_repair_sqlite_index, dispatch_uid="cables.search.repair_sqlite_index")
