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
``post_migrate`` handler in ``cables.search`` calls ``repair_schema`` to put them back.

The MATCH expression is built from the parsed query, every word and phrase quoted as an
FTS5 string (so no user text is ever FTS5 syntax), and passed as a bound parameter.
"""

from __future__ import annotations

from collections.abc import Iterable

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
    SearchEngine,
    Snippet,
)
from .highlight import START, STOP, marked_html, plain_text
from .query import Atom, ParsedQuery

TOKENIZE = "porter unicode61"

# Each cable's row of cable_fts: its subject, summary and paragraphs (in order) joined.
_CABLE_ROWS = """
    INSERT INTO cable_fts (rowid, subject, summary, text)
        SELECT c.id, c.subject, c.summary, coalesce((
            SELECT group_concat(p.text, char(10) || char(10)) FROM (
                SELECT text FROM cables_paragraph WHERE cable_id = c.id ORDER BY position
            ) AS p
        ), '')
        FROM cables_cable AS c"""
# One cable's row, rebuilt. {id} is NEW.id, OLD.cable_id, ...: the trigger's own row.
_REFRESH_CABLE = f"""
    DELETE FROM cable_fts WHERE rowid = {{id}};
    {_CABLE_ROWS} WHERE c.id = {{id}};"""

TABLES = {
    "cable_fts": f"CREATE VIRTUAL TABLE IF NOT EXISTS cable_fts USING fts5("
    f"subject, summary, text, tokenize='{TOKENIZE}')",
    "paragraph_fts": f"CREATE VIRTUAL TABLE IF NOT EXISTS paragraph_fts USING fts5("
    f"text, content='cables_paragraph', content_rowid='id', tokenize='{TOKENIZE}')",
}

TRIGGERS = {
    # Paragraphs: the external-content index, then their cable's document.
    "paragraph_fts_insert": """
        AFTER INSERT ON cables_paragraph BEGIN
            INSERT INTO paragraph_fts (rowid, text) VALUES (NEW.id, NEW.text);
            {refresh_new}
        END""",
    "paragraph_fts_delete": """
        AFTER DELETE ON cables_paragraph BEGIN
            INSERT INTO paragraph_fts (paragraph_fts, rowid, text)
                VALUES ('delete', OLD.id, OLD.text);
            {refresh_old}
        END""",
    "paragraph_fts_update": """
        AFTER UPDATE OF id, text, cable_id, position ON cables_paragraph BEGIN
            INSERT INTO paragraph_fts (paragraph_fts, rowid, text)
                VALUES ('delete', OLD.id, OLD.text);
            INSERT INTO paragraph_fts (rowid, text) VALUES (NEW.id, NEW.text);
            {refresh_old}
            {refresh_new}
        END""",
    # Cables: their own fields.
    "cable_fts_insert": """
        AFTER INSERT ON cables_cable BEGIN
            {refresh_new_cable}
        END""",
    "cable_fts_update": """
        AFTER UPDATE OF id, subject, summary ON cables_cable BEGIN
            DELETE FROM cable_fts WHERE rowid = OLD.id;
            {refresh_new_cable}
        END""",
    "cable_fts_delete": """
        AFTER DELETE ON cables_cable BEGIN
            DELETE FROM cable_fts WHERE rowid = OLD.id;
        END""",
}


def _trigger_sql(name: str) -> str:
    body = TRIGGERS[name].format(
        refresh_new=_REFRESH_CABLE.format(id="NEW.cable_id"),
        refresh_old=_REFRESH_CABLE.format(id="OLD.cable_id"),
        refresh_new_cable=_REFRESH_CABLE.format(id="NEW.id"),
    )
    return f"CREATE TRIGGER IF NOT EXISTS {name} {body}"


REBUILD = [
    "INSERT INTO paragraph_fts (paragraph_fts) VALUES ('rebuild')",
    "DELETE FROM cable_fts",
    _CABLE_ROWS,
]


def _existing(cursor) -> set[str]:
    names = [*TABLES, *TRIGGERS]
    placeholders = ", ".join(["%s"] * len(names))
    cursor.execute(f"SELECT name FROM sqlite_master WHERE name IN ({placeholders})", names)
    return {name for (name,) in cursor.fetchall()}


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
    """Put back triggers that a table rebuild dropped, and then index everything again
    (writes made without them are missing). Does nothing before migration 0002 (or after
    it was reversed). True if the index was rebuilt."""
    connection = connection or default_connection
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        existing = _existing(cursor)
        if not all(name in existing for name in TABLES):
            return False
        missing = [name for name in TRIGGERS if name not in existing]
        for name in missing:
            cursor.execute(_trigger_sql(name))
        if missing or rebuild:
            for statement in REBUILD:
                cursor.execute(statement)
    return bool(missing or rebuild)


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
        return cables.annotate(search_rank=CableRank(positive_expression(query)))

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

    def rebuild(self) -> None:
        repair_schema(rebuild=True)


ENGINE = SqliteEngine()
