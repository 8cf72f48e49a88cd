"""SQLite full-text search: FTS5 tables kept in step with the data by triggers.

- ``cable_fts(subject, summary, text)``: one row per cable (rowid = cable id), the text being
  the cable's paragraphs joined; ranked with ``bm25`` weighting the columns like
  PostgreSQL's A/B/D weights. It stores its own copy of the text (a plain FTS5 table), so
  that rows can be replaced without knowing their old content.
- ``paragraph_fts(text)``: an external-content index of ``cables_paragraph`` (rowid =
  paragraph id), for snippets (``snippet()``), hit counts and the cable page.

Both use the ``porter unicode61`` tokenizer: Unicode-aware words, lower-cased, stemmed with
the Porter stemmer (the English stemmer PostgreSQL's Snowball one grew from).

Triggers on ``cables_cable`` and ``cables_paragraph`` keep both indexes current on every
write, whichever code makes it (importer, admin, tests). SQLite's ALTER TABLE emulation
(a later migration that rebuilds one of these tables) drops a table's triggers; the
``post_migrate`` handler in ``cables.search`` calls ``repair_schema`` to put them back (and
index everything again, as writes made meanwhile were missed).

The MATCH expression is built from the parsed query, every word and phrase quoted as an
FTS5 string (so no user text is ever FTS5 syntax), and passed as a bound parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection as default_connection
from django.db.models import F, FloatField, Func, QuerySet
from django.db.models.expressions import RawSQL

from cables.models import Cable, Paragraph

from .base import (
    SNIPPET_WORDS,
    SNIPPETS_PER_CABLE,
    SUBJECT_WEIGHT,
    SUMMARY_WEIGHT,
    TEXT_WEIGHT,
    OrderedIds,
    SearchEngine,
    SearchResults,
    Snippet,
)
from .highlight import START, STOP, marked_html, plain_text
from .query import Atom, ParsedQuery

TOKENIZE = "porter unicode61"

# A cable's paragraphs (in order) joined: the text column of its row in cable_fts.
_CABLE_TEXT = """(SELECT coalesce(group_concat(text, char(10) || char(10)), '') FROM (
        SELECT text FROM cables_paragraph WHERE cable_id = {id} ORDER BY position))"""
# Every cable's row (the rebuild).
_CABLE_ROWS = f"""
    INSERT INTO cable_fts (rowid, subject, summary, text)
        SELECT c.id, c.subject, c.summary, {_CABLE_TEXT.format(id="c.id")}
        FROM cables_cable AS c"""

TABLES = {
    "cable_fts": f"CREATE VIRTUAL TABLE IF NOT EXISTS cable_fts USING fts5("
    f"subject, summary, text, tokenize='{TOKENIZE}')",
    "paragraph_fts": f"CREATE VIRTUAL TABLE IF NOT EXISTS paragraph_fts USING fts5("
    f"text, content='cables_paragraph', content_rowid='id', tokenize='{TOKENIZE}')",
}

# A trigger names no other table of the app than its own: SQLite's ALTER TABLE ... RENAME,
# the last step of the table rebuild by which Django alters a table on SQLite, fails when a
# trigger on another table names the table being rebuilt. (The rebuilt table's own triggers
# go with the old table; ``repair_schema`` puts them back after ``migrate``.)
TRIGGERS = {
    # Paragraphs: the external-content index, then the text of their cable's row.
    "paragraph_fts_insert": """
        AFTER INSERT ON cables_paragraph BEGIN
            INSERT INTO paragraph_fts (rowid, text) VALUES (NEW.id, NEW.text);
            UPDATE cable_fts SET text = {new_text} WHERE rowid = NEW.cable_id;
        END""",
    "paragraph_fts_delete": """
        AFTER DELETE ON cables_paragraph BEGIN
            INSERT INTO paragraph_fts (paragraph_fts, rowid, text)
                VALUES ('delete', OLD.id, OLD.text);
            UPDATE cable_fts SET text = {old_text} WHERE rowid = OLD.cable_id;
        END""",
    "paragraph_fts_update": """
        AFTER UPDATE OF id, text, cable_id, position ON cables_paragraph BEGIN
            INSERT INTO paragraph_fts (paragraph_fts, rowid, text)
                VALUES ('delete', OLD.id, OLD.text);
            INSERT INTO paragraph_fts (rowid, text) VALUES (NEW.id, NEW.text);
            UPDATE cable_fts SET text = {old_text} WHERE rowid = OLD.cable_id;
            UPDATE cable_fts SET text = {new_text} WHERE rowid = NEW.cable_id;
        END""",
    # Cables: their own fields (a cable is stored before its paragraphs).
    "cable_fts_insert": """
        AFTER INSERT ON cables_cable BEGIN
            DELETE FROM cable_fts WHERE rowid = NEW.id;
            INSERT INTO cable_fts (rowid, subject, summary, text)
                VALUES (NEW.id, NEW.subject, NEW.summary, '');
        END""",
    "cable_fts_update": """
        AFTER UPDATE OF subject, summary ON cables_cable BEGIN
            UPDATE cable_fts SET subject = NEW.subject, summary = NEW.summary
                WHERE rowid = NEW.id;
        END""",
    "cable_fts_delete": """
        AFTER DELETE ON cables_cable BEGIN
            DELETE FROM cable_fts WHERE rowid = OLD.id;
        END""",
}


def _trigger_sql(name: str) -> str:
    body = TRIGGERS[name].format(
        new_text=_CABLE_TEXT.format(id="NEW.cable_id"),
        old_text=_CABLE_TEXT.format(id="OLD.cable_id"),
    )
    return f"CREATE TRIGGER IF NOT EXISTS {name} {body}"


REBUILD = [
    "INSERT INTO paragraph_fts (paragraph_fts) VALUES ('rebuild')",
    "DELETE FROM cable_fts",
    _CABLE_ROWS,
]


def _existing(cursor) -> dict[str, str]:
    """Our tables and triggers that exist, with the SQL that created them."""
    names = [*TABLES, *TRIGGERS]
    placeholders = ", ".join(["%s"] * len(names))
    cursor.execute(f"SELECT name, sql FROM sqlite_master WHERE name IN ({placeholders})", names)
    return {name: sql or "" for name, sql in cursor.fetchall()}


def _same_sql(a: str, b: str) -> bool:
    def normal(sql: str) -> str:
        return " ".join(sql.replace("IF NOT EXISTS ", "").split())

    return normal(a) == normal(b)


def create_schema(connection=None) -> None:
    """Create the FTS5 tables and their triggers and index what is stored (migration 0002)."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        for statement in TABLES.values():
            cursor.execute(statement)
        for name in TRIGGERS:
            cursor.execute(_trigger_sql(name))
        for statement in REBUILD:
            cursor.execute(statement)


def repair_schema(connection=None, rebuild: bool = False) -> bool:
    """Put back triggers that a table rebuild dropped, replace those of an older definition,
    and then index everything again (writes made meanwhile are missing). Does nothing
    before migration 0002 (or after it was reversed). True if the index was rebuilt."""
    connection = connection or default_connection
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        existing = _existing(cursor)
        if not all(name in existing for name in TABLES):
            return False
        stale = [
            name
            for name in TRIGGERS
            if name not in existing or not _same_sql(existing[name], _trigger_sql(name))
        ]
        for name in stale:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(_trigger_sql(name))
        if stale or rebuild:
            for statement in REBUILD:
                cursor.execute(statement)
    return bool(stale or rebuild)


def drop_schema(connection=None) -> None:
    connection = connection or default_connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        for name in TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")


# --- rendering the parsed query as an FTS5 expression ---------------------------------------


def fts_string(atom: Atom) -> str:
    """A word or phrase as an FTS5 string: inside double quotes nothing is syntax (a double
    quote would be doubled, though words never hold one)."""
    text = " ".join(atom.words).replace('"', '""')
    return f'"{text}"'


def any_of(atoms: Iterable[Atom]) -> str:
    return "(" + " OR ".join(fts_string(atom) for atom in atoms) + ")"


def match_expression(query: ParsedQuery) -> str:
    """``(a OR b) AND ("a phrase") NOT ("excluded" OR "words")``."""
    expression = " AND ".join(any_of(group) for group in query.groups)
    if query.excluded:
        expression = f"({expression}) NOT {any_of(query.excluded)}"
    return expression


def positive_expression(query: ParsedQuery) -> str:
    return " AND ".join(any_of(group) for group in query.groups)


def hits_expression(query: ParsedQuery) -> str:
    return any_of(query.positive_atoms())


class CableRank(Func):
    """``-bm25()`` of a cable's row in cable_fts for the query (higher is better), the
    subject and summary columns weighted like PostgreSQL's A and B weights."""

    output_field = FloatField()

    def __init__(self, expression: str) -> None:
        super().__init__(F("id"))  # resolved to the cable id column, however aliased
        self.expression = expression

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.get_source_expressions()[0])
        weights = ", ".join(
            str(w / TEXT_WEIGHT) for w in (SUBJECT_WEIGHT, SUMMARY_WEIGHT, TEXT_WEIGHT)
        )
        sql = (
            f"(SELECT -bm25(cable_fts, {weights}) FROM cable_fts "
            f"WHERE cable_fts MATCH %s AND cable_fts.rowid = {column})"
        )
        return sql, (self.expression, *params)


class SqliteEngine(SearchEngine):
    vendor = "sqlite"

    def filter(self, cables: QuerySet[Cable], query: ParsedQuery) -> QuerySet[Cable]:
        return cables.filter(
            id__in=RawSQL(
                "SELECT rowid FROM cable_fts WHERE cable_fts MATCH %s", (match_expression(query),)
            )
        )

    def rank(self, cables: QuerySet[Cable], query: ParsedQuery) -> QuerySet[Cable]:
        """Relevance as an annotation: one FTS5 lookup per cable, fine for a few; ``results``
        ranks thousands in one."""
        return cables.annotate(search_rank=CableRank(positive_expression(query)))

    def results(
        self,
        cables: QuerySet[Cable],
        query: ParsedQuery,
        sort: str,
        prepare: Callable[[QuerySet[Cable]], QuerySet[Cable]],
        narrowed: bool = True,
        on_selection: Callable[[QuerySet[Cable]], None] | None = None,
        cleaned: dict[str, Any] | None = None,
    ) -> SearchResults:
        """By relevance: ``bm25`` of every matching cable in one FTS5 query, the selection's
        ids (newest first) in another, the order made here; the page's cables read by id.
        (An ORDER BY on ``rank`` would look each cable up in the index again: seconds for a
        common word.) By date: the ordered queryset as it is."""
        if sort != "relevance":
            return super().results(cables, query, sort, prepare, narrowed, on_selection)
        if on_selection is not None:
            on_selection(cables)
        weights = ", ".join(
            str(w / TEXT_WEIGHT) for w in (SUBJECT_WEIGHT, SUMMARY_WEIGHT, TEXT_WEIGHT)
        )
        with default_connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, -bm25(cable_fts, {weights}) FROM cable_fts"
                " WHERE cable_fts MATCH %s",
                [positive_expression(query)],
            )
            rank = dict(cursor.fetchall())
        ids = list(cables.newest_first().values_list("id", flat=True))
        ids.sort(key=lambda id_: rank.get(id_, 0.0), reverse=True)  # stable: newest first

        def fetch(page_ids: list[int]) -> QuerySet[Cable]:
            return prepare(Cable.objects.filter(id__in=page_ids))

        return SearchResults(cables, OrderedIds(ids, fetch))

    def paragraphs_with_hits(
        self, paragraphs: QuerySet[Paragraph], query: ParsedQuery
    ) -> QuerySet[Paragraph]:
        return paragraphs.filter(
            id__in=RawSQL(
                "SELECT rowid FROM paragraph_fts WHERE paragraph_fts MATCH %s",
                (hits_expression(query),),
            )
        )

    def snippets(
        self, cable_ids: Iterable[int], query: ParsedQuery, per_cable: int = SNIPPETS_PER_CABLE
    ) -> dict[int, list[Snippet]]:
        ids = [int(i) for i in cable_ids]
        if not ids or not query.searchable:
            return {}
        placeholders = ", ".join(["%s"] * len(ids))
        sql = f"""
            SELECT p.cable_id, p.anchor, p.position,
                   snippet(paragraph_fts, 0, %s, %s, '…', {SNIPPET_WORDS}),
                   bm25(paragraph_fts)
            FROM paragraph_fts JOIN cables_paragraph AS p ON p.id = paragraph_fts.rowid
            WHERE paragraph_fts MATCH %s AND p.cable_id IN ({placeholders})
        """
        with default_connection.cursor() as cursor:
            cursor.execute(sql, [START, STOP, hits_expression(query), *ids])
            rows = cursor.fetchall()
        rows.sort(key=lambda row: (row[0], row[4], row[2]))  # bm25: lower is better
        result: dict[int, list[Snippet]] = {}
        for cable_id, anchor, position, snippet, _ in rows:
            found = result.setdefault(cable_id, [])
            if len(found) < per_cable:
                found.append(
                    Snippet(cable_id, anchor, position, marked_html(snippet), plain_text(snippet))
                )
        return result

    def index_cable(self, cable_id: int) -> None:
        """Nothing to do: the triggers have already indexed the cable's rows."""

    def index_cables(self, cable_ids: list[int]) -> None:
        """Nothing to do: the triggers have already indexed the cables' rows."""

    def rebuild(self) -> None:
        repair_schema(rebuild=True)


ENGINE = SqliteEngine()
