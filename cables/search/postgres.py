"""PostgreSQL full-text search: stored ``tsvector`` columns with GIN indexes.

- ``cables_cable.search_vector``: the whole cable as one document, the subject weighted A,
  the summary B and the paragraph text D: a cable matches when all the words are anywhere
  in it. GIN index ``cable_search_idx``.
- ``cables_cable.title_vector``: the subject (A) and summary (B) alone, small enough to stay
  in the row.
- ``cables_paragraphvector.search_vector``: each paragraph's text, in a table of its own
  (``ParagraphVector``: see there why); finds the paragraphs with hits, their count per
  cable and the paragraphs snippets are cut from (``excerpt.Excerpts``). GIN index
  ``paragraph_search_idx``.

Relevance: ``ts_rank`` of the subject and summary (weights 1.0 and 0.4), plus up to 0.1 for
the text, growing with the number of paragraphs that have a hit (``text_score``). A word in
the subject or summary outranks any number of it in the text. (Ranking the whole
``search_vector`` instead means reading every matching cable's vector out of TOAST: for a
common word, most of the page's time. The title vector and the count of paragraphs with hits
are read anyway.)

All use the ``english`` text search configuration: words are stemmed with the Snowball
English stemmer (``meetings`` finds ``meeting``) and English stop words are not indexed.
The vectors are filled by ``index_cable`` (called by the importer after it writes a cable)
and, for cables already stored, by migration 0002.

Queries are built from the parsed query as ``SearchQuery`` objects combined with ``&``,
``|`` and ``~``: ``plainto_tsquery`` for a word and ``phraseto_tsquery`` for a phrase, each
word a bound parameter, which gives ``websearch_to_tsquery``'s semantics without ever
handing user text to a query parser.
"""

from __future__ import annotations

import hashlib
import json
import logging
import operator
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager, nullcontext
from functools import cached_property, partial, reduce
from typing import Any

import numpy as np
import psycopg
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from cables import facet_index
from cables.aside import aside, can_run_aside
from cables.cache import archive_key, keep, read
from cables.models import (
    ArchiveState,
    Cable,
    CableQuerySet,
    Paragraph,
    ParagraphVector,
    WordCounts,
)

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
from .excerpt import Excerpts
from .highlight import marked_html, plain_text
from .query import STOP_WORDS, Atom, ParsedQuery

CONFIG = "english"
# A cable's title vector (its subject weighted A, its summary B), of a row named ``alias``,
# the configuration passed twice; its text is weighted D.
TITLE_VECTOR = (
    "setweight(to_tsvector(%s::regconfig, COALESCE({alias}.subject, '')), 'A')"
    " || setweight(to_tsvector(%s::regconfig, COALESCE({alias}.summary, '')), 'B')"
)
TEXT_LABEL = "D"
# A cable's whole vector, of its title's (``t.title``) and its text's (``t.text``).
CABLE_VECTOR = f"t.title || setweight(COALESCE(t.text, ''), '{TEXT_LABEL}')"
# The working memory of a query on the GIN indexes (``PostgresEngine._gin_planning``): an
# exact bitmap of a common word's paragraphs and its count per cable at full size (251,287
# cables: ~6 and ~18 MB) fit; a few such queries run at once per page, on their own.
GIN_WORK_MEM = "64MB"
# The settings of a transaction planned for the GIN indexes (``PostgresEngine._rows``).
GIN_PLANNING = {
    "enable_seqscan": "off",
    "enable_indexscan": "off",
    "jit": "off",
    "work_mem": GIN_WORK_MEM,
    # ts_rank's reals printed in full (the default since PostgreSQL 12; a role or database
    # may set less): read back, each is the real itself, as kept counts hold it.
    "extra_float_digits": "1",
}
# The fewest cables a search's counts must cover to be kept in the page cache
# (``PostgresEngine._shared``): below, counting again takes a few tens of milliseconds.
SHARED_COUNTS_MIN = 5_000
# ts_rank's weights, in its order: D (text), C (unused), B (summary), A (subject).
WEIGHTS = [TEXT_WEIGHT, TEXT_WEIGHT, SUMMARY_WEIGHT, SUBJECT_WEIGHT]
# Frequent words' and two-word phrases' counts kept by the import (``WordCounts``,
# ``keep_word_counts``). Counting a word at its first search costs ~3 us a paragraph with
# it at full size (1.1 s for "government"'s 375,000; under a tenth of a second below
# ~25,000); a phrase costs more per paragraph that has it (each paragraph with both words
# is checked: 0.5 s for "human rights"' 71,000, 0.12 s for "free trade"'s 16,000).
WORD_COUNTS_MIN_PARAGRAPHS = 25_000
PHRASE_COUNTS_MIN_PARAGRAPHS = 10_000
# The paragraphs read to estimate how many have each word (``ts_stat``: ~0.5 s at full
# size) and each pair of words one or two places apart (~3 s): samples of the table's pages.
WORD_COUNTS_SAMPLE = 20_000
PHRASE_COUNTS_SAMPLE = 5_000
# The pairs' count sorts and hashes 1.5 million places at full size: 3 s in memory, 18
# with the default 4 MB (sorted on disk) and JIT compiling it.
PAIRS_PLANNING = {"jit": "off", "work_mem": "256MB"}
# Counted at once (``aside``), one per core.
WORD_COUNTS_AT_ONCE = 2
# What kept counts were made with: counts made another way are stale (never read).
WORD_COUNTS_RECIPE = f"1 {CONFIG} {WEIGHTS}"

logger = logging.getLogger(__name__)


def text_score(paragraphs_with_hits: int) -> float:
    """The text's share of relevance: 0.05 for one paragraph with a hit, towards 0.1 for
    many; below any subject or summary hit (``ts_rank`` gives those 0.24 or more)."""
    return TEXT_WEIGHT * (1 - 1 / (1 + paragraphs_with_hits))


def atom_query(atom: Atom) -> SearchQuery:
    """A word, or a phrase of its words. A phrase typed with more than spaces between its
    words (``U.S.``, ``9/11``, ``"U.S. policy"``) is also read from that text by
    PostgreSQL's parser, as the cables' text was: it keeps ``U.S.``, ``U.N.`` or ``9/11``
    whole ('u.s'), where the words alone ('u', 's') never find them. The words still count
    (``al-Qaida`` or ``Bosnia-and-Herzegovina`` written apart), unless a stop word opens or
    ends them (dropped there, it leaves less than was typed: "u s" is only 'u', which finds
    "U Thant") or is a letter of an abbreviation ("U.S. officials" is not "U X officials");
    a stop word between two words leaves their distance ('bosnia' <2> 'herzegovina')."""
    if not atom.is_phrase:
        return SearchQuery(atom.words[0], search_type="plain", config=CONFIG)
    words = SearchQuery(" ".join(atom.words), search_type="phrase", config=CONFIG)
    if not atom.source:
        return words
    typed = SearchQuery(atom.source, search_type="phrase", config=CONFIG)
    at_an_end = atom.words[0] in STOP_WORDS or atom.words[-1] in STOP_WORDS
    if at_an_end or any(len(word) == 1 and word in STOP_WORDS for word in atom.words):
        return typed
    return typed | words


def any_of(atoms: Iterable[Atom]) -> SearchQuery:
    return reduce(operator.or_, (atom_query(atom) for atom in atoms))


def cable_query(query: ParsedQuery) -> SearchQuery:
    """The whole query: every group (an OR of words and phrases), and no excluded one."""
    result = reduce(operator.and_, (any_of(group) for group in query.groups))
    for atom in query.excluded:
        result = result & ~atom_query(atom)
    return result


def hits_query(query: ParsedQuery) -> SearchQuery:
    """Any word or phrase looked for: what makes a hit (a paragraph, a subject)."""
    return any_of(query.positive_atoms())


class TsQuery(SearchQuery):
    """A ``tsquery`` given as PostgreSQL prints one (``'govern'``, ``'human' <-> 'right'``),
    read back as it is: not parsed or stemmed again. Bound as a parameter like any value."""

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"({sql})::tsquery", params


def one_atom(query: ParsedQuery) -> Atom | None:
    """The word or phrase a query looks for when it looks for one (other words may be
    excluded): its hits are that word's or phrase's alone."""
    atoms = query.positive_atoms()
    return atoms[0] if len(atoms) == 1 else None


def _tsquery_sql(search: SearchQuery) -> tuple[str, list]:
    """``search`` compiled on its own: the SQL of the tsquery, and its parameters."""
    compiler = Cable.objects.none().query.get_compiler(connection=connection)
    sql, params = search.resolve_expression(compiler.query).as_sql(compiler, connection)
    return f"({sql})", list(params)


class IsTrue(Func):
    """``(condition) IS TRUE``: the same rows, but no index is used for the condition."""

    template = "(%(expressions)s) IS TRUE"
    output_field = BooleanField()


class IdIn(Func):
    """``id = ANY(%s)``: one array parameter, however many ids."""

    output_field = BooleanField()

    def __init__(self, ids: list[int] | np.ndarray) -> None:
        super().__init__(F("pk"))
        self.ids = ids  # (read by the facet index: ``CableQuerySet._selected_ids``)

    @cached_property
    def ids_array(self) -> str:
        """An array literal, built once from the integers, when a query first needs it
        (a selection counted and ordered by the facet index never does: 60 ms for 130,000
        ids): psycopg's generic list adaptation takes milliseconds per thousand ids, in
        each query that uses them. (Read by the facets too: ``CableQuerySet._id_array``.)"""
        return "{" + ",".join(map(str, np.asarray(self.ids, dtype=np.int64).tolist())) + "}"

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.get_source_expressions()[0])
        return f"{column} = ANY(%s::bigint[])", (*params, self.ids_array)


def _set_local(cursor, settings: dict[str, str]) -> None:
    """``SET LOCAL`` each of ``settings``, in one statement (``set_config``: bound values)."""
    calls = ", ".join(["set_config(%s, %s, true)"] * len(settings))
    cursor.execute(f"SELECT {calls}", [part for item in settings.items() for part in item])


@contextmanager
def _planned(settings: dict[str, str]) -> Iterator[None]:
    """Queries run with ``settings`` (``SET LOCAL``), in a transaction of their own, or
    inside the transaction under way, in a savepoint rolled back after them."""
    scope = _rolled_back_savepoint() if connection.in_atomic_block else transaction.atomic()
    with scope, connection.cursor() as cursor:
        _set_local(cursor, settings)
        yield


@contextmanager
def _rolled_back_savepoint() -> Iterator[None]:
    """A savepoint rolled back at the end, for queries that only read: the settings made in
    it end with it (a savepoint released would hand them on to the outer transaction)."""
    savepoint = transaction.savepoint_create()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


def _narrowed(numbers: np.ndarray, narrow: type) -> np.ndarray:
    """``numbers`` as ``narrow`` integers when they all fit, else as they are."""
    limits = np.iinfo(narrow)
    if not len(numbers) or (limits.min <= numbers.min() and numbers.max() <= limits.max):
        return numbers.astype(narrow)
    return numbers


class ByCable:
    """A number for each of some cables (paragraphs with hits, a title's rank), as two
    arrays sorted by cable id: looked up for 150,000 cables at once in milliseconds, where
    a dict's ``get`` per cable took 200 ms (a common word at full size)."""

    def __init__(self, cable_ids: np.ndarray, values: np.ndarray) -> None:
        # (Already sorted when made by ``packed`` and ``unpacked``: a stable sort of sorted
        # ids costs a millisecond or two.)
        order = np.argsort(cable_ids, kind="stable")
        self.cable_ids = np.asarray(cable_ids)[order]
        self.values = np.asarray(values)[order]

    def __len__(self) -> int:
        return len(self.cable_ids)

    def packed(self) -> ByCable:
        """The same numbers in the narrowest types that hold them, to be stored (a common
        word's counts at full size: 0.9 MB instead of 2.4): ids in 32 bits, counts in 16,
        ranks in 32 (``ts_rank`` gives a ``real``: nothing is lost)."""
        floats = self.values.dtype.kind == "f"
        values = self.values.astype(np.float32) if floats else _narrowed(self.values, np.uint16)
        return ByCable(_narrowed(self.cable_ids, np.int32), values)

    def unpacked(self) -> ByCable:
        """``packed``'s numbers in the types they are worked with (64 bits)."""
        kind = np.float64 if self.values.dtype.kind == "f" else np.int64
        return ByCable(self.cable_ids.astype(np.int64), self.values.astype(kind))

    def of(self, cable_ids: np.ndarray, default: float = 0) -> np.ndarray:
        """The numbers of ``cable_ids``, ``default`` for the cables without one."""
        if not len(self.cable_ids):
            return np.full(len(cable_ids), default, dtype=np.result_type(self.values, default))
        at = np.searchsorted(self.cable_ids, cable_ids).clip(max=len(self.cable_ids) - 1)
        return np.where(self.cable_ids[at] == cable_ids, self.values[at], default)


class PostgresEngine(SearchEngine):
    vendor = "postgresql"

    @staticmethod
    def _rows(rows: QuerySet, *, gin: bool = False, flat: bool = False) -> list:
        """The rows of a ``values_list`` queryset, read in one go as the driver returns them
        (thousands of ids and ranks: Django's row-by-row conversion doubled the time).

        ``gin``: the query searches a vector column; run it on bitmap scans of the GIN
        index. For a common word the planner prefers reading the table whole, or in id or
        date order, testing ``search_vector @@ query`` on every row, because its estimates
        charge nothing for fetching (and decompressing) each row's vector. In fact that is
        10 to 20 times slower (90-170 ms against 8 ms for "government" in 15,000 cables):
        a bitmap scan of the index never reads the vectors. So such a query runs with
        sequential and plain index scans (and JIT, which the penalty on them would
        trigger) turned off, in a transaction of its own; every other query, over the ids
        found, is planned as usual.

        The transaction also has more working memory (``GIN_WORK_MEM``): with the default
        4 MB, the bitmap of a common word's 375,000 paragraphs at full size goes lossy
        (whole pages, every row of them re-checked: 740,000 more vectors read) and the
        count per cable spills to disk; 1.76 -> 1.33 s for "government"."""
        sql, params = rows.query.sql_with_params()
        planning = PostgresEngine._gin_planning() if gin else nullcontext()
        with planning, connection.cursor() as cursor:
            cursor.execute(sql, params)
            result = cursor.fetchall()
        return [row[0] for row in result] if flat else result

    @staticmethod
    @contextmanager
    def _gin_planning() -> Iterator[None]:
        """A transaction planned for the GIN indexes (see ``_rows``); several queries may
        share one (the settings are the connection's, so the mark is kept on it: each
        thread has its own). Inside a transaction already, the settings end with the
        queries too."""
        if getattr(connection, "gin_planning", False):
            yield
            return
        with _planned(GIN_PLANNING):
            connection.gin_planning = True
            try:
                yield
            finally:
                connection.gin_planning = False

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
        """The selection's ids in order, the page's cables read by id, the facets counted
        over the ids; ranked without reading whole cables. Without other filters
        (``narrowed`` false), the cables ``filter`` found are the selection, already in
        order; ``on_selection`` has them as soon as they are known. With other filters
        the facet index can select by (``cleaned``, the page's valid parameters), the
        selection is the cables found that it selects, newest first, without a query.

        One query counts the paragraphs with hits of every cable that has some: the page's
        count of matching paragraphs, and the text's share of relevance. By relevance, the
        matching cables newest first are ordered here by the rank of their subject and
        summary (``_title_ranks``) and that share."""

        def fetch(page_ids: list[int]) -> QuerySet[Cable]:
            if can_run_aside():
                # The page's snippets, which ``snippets`` is asked for next: made meanwhile.
                query.engine_cache["snippets_making"] = (
                    page_ids,
                    aside(partial(self._make_snippets, page_ids, query, SNIPPETS_PER_CABLE)),
                )
            return prepare(Cable.objects.filter(IdIn(page_ids)))

        selection = None
        unnarrowed = not narrowed and "found" in query.engine_cache
        chosen = self._chosen_by_index(query, cleaned) if narrowed and cleaned else None
        if unnarrowed or chosen is not None:
            # The selection is known: the facets can start.
            found = query.engine_cache["found"] if chosen is None else chosen
            selection = Cable.objects.filter(IdIn(found))
            if on_selection is not None:
                on_selection(selection)
        if sort == "relevance" or (sort == "newest" and (unnarrowed or chosen is not None)):
            # Newest first (for relevance: the order of equal scores).
            # (Read, never changed: the relevance order below is a new list.)
            if chosen is not None:
                ids = chosen
            else:
                ids = self._newest(query) if unnarrowed else self._newest_of(cables)
        else:
            ordered = cables if selection is None else selection
            ids = self._rows(ordered.sorted_by(sort).values_list("id"), flat=True)
        if selection is None:
            selection = Cable.objects.filter(IdIn(ids))
            if on_selection is not None:
                on_selection(selection)
        with self._gin_planning():  # the two lookups share one planned transaction
            paragraph_hits = self._paragraph_hits(query)
            ranks = self._title_ranks(query) if sort == "relevance" else None
        in_order = np.asarray(ids, dtype=np.int64)
        hits = paragraph_hits.of(in_order)
        if sort == "relevance":
            score = ranks.of(in_order, 0.0) + text_score(hits)
            # Highest first; a stable sort keeps equal scores newest first.
            ids = in_order[np.argsort(-score, kind="stable")]
        if narrowed or not query.hits_imply_match:
            matching_paragraphs = int(hits.sum())
        else:  # Every cable with a paragraph with a hit is in the selection.
            matching_paragraphs = int(paragraph_hits.values.sum())
        return SearchResults(selection, OrderedIds(ids, fetch), matching_paragraphs)

    def _paragraph_hits(self, query: ParsedQuery) -> ByCable:
        """The number of paragraphs with hits of every cable that has some (one query on
        paragraph_search_idx; kept with the query, for ``filter`` and ``results``: counted
        by ``filter``, beside its own work or as its own work)."""
        return self._kept(query, "paragraph_hits", self._count_paragraph_hits)

    @staticmethod
    def _kept[T](query: ParsedQuery, name: str, work: Callable[[ParsedQuery], T]) -> T:
        """``work(query)``'s result, kept with the query under ``name``: the first time,
        taken from the same work started aside (``_start_aside``), or done now."""
        if name not in query.engine_cache:
            started = query.engine_cache.pop(f"{name}:aside", None)
            query.engine_cache[name] = started.result() if started is not None else work(query)
        return query.engine_cache[name]

    @staticmethod
    def _start_aside(query: ParsedQuery, name: str, work: Callable[[ParsedQuery], Any]) -> None:
        """Start ``work(query)`` in a worker thread (``aside``), for ``_kept`` to collect."""
        query.engine_cache[f"{name}:aside"] = aside(partial(work, query))

    @staticmethod
    def _shared(name: str, work: Callable[[ParsedQuery], ByCable], query: ParsedQuery) -> ByCable:
        """``work(query)`` (a count over the words looked for), kept in the page cache while
        the archive is as it was (``settings.ARCHIVE_SELECTION_CACHE``) when it covers
        ``SHARED_COUNTS_MIN`` cables or more: a common word's count takes about a second at
        full size, and any page looking for the same words (another order, other filters,
        the next page, the JSON) reads it instead, in whichever worker process."""
        if not settings.ARCHIVE_SELECTION_CACHE:
            return work(query)
        # What is looked for: the words and the text they were typed as (``U.S.`` is not
        # "u s": ``atom_query`` reads them differently).
        looked_for = json.dumps([[atom.words, atom.source] for atom in query.positive_atoms()])
        digest = hashlib.sha256(looked_for.encode()).hexdigest()
        key = archive_key(f"search-{name}", ArchiveState.current(), digest)
        kept = read(key)
        if kept is not None:
            return kept.unpacked()
        counts = work(query)
        if len(counts) >= SHARED_COUNTS_MIN:
            keep(key, counts.packed())
        return counts

    def _count_paragraph_hits(self, query: ParsedQuery) -> ByCable:
        if kept := self._word_counts(query):
            return kept[0]
        return self._shared("paragraph-hits", self._counted_paragraph_hits, query)

    def _counted_paragraph_hits(self, query: ParsedQuery) -> ByCable:
        return self._count_hits(hits_query(query))

    def _count_hits(self, hits: SearchQuery) -> ByCable:
        """The number of paragraphs matching ``hits`` of every cable that has some."""
        counted = (
            ParagraphVector.objects.filter(search_vector=hits)
            .order_by()
            .values("cable_id")
            .annotate(hits=Count("*"))
            .values_list("cable_id", "hits")
        )
        sql, params = counted.query.sql_with_params()
        # Read as one binary value (150,000 rows for a common word at full size: 60 ms as
        # tuples).
        with self._gin_planning(), connection.cursor() as cursor:
            rows = facet_index.int_rows(cursor, sql, params)
        return ByCable(rows[:, 0], rows[:, 1])

    def _title_ranks(self, query: ParsedQuery) -> ByCable:
        """The rank of the subject and summary of every cable whose subject or summary has
        a hit (the others rank 0), from the GIN index cable_title_search_idx: ``ts_rank``
        for every matching cable instead was half of finding them (14 of 30 ms for
        "government" in the shared corpus). Kept with the query."""
        return self._kept(query, "title_ranks", self._rank_titles)

    def _rank_titles(self, query: ParsedQuery) -> ByCable:
        if kept := self._word_counts(query):
            return kept[1]
        return self._shared("title-ranks", self._ranked_titles, query)

    def _ranked_titles(self, query: ParsedQuery) -> ByCable:
        return self._rank_titles_of(hits_query(query))

    def _rank_titles_of(self, hits: SearchQuery) -> ByCable:
        """The rank of every subject and summary matching ``hits``."""
        rows = self._rows(
            Cable.objects.filter(title_vector=hits)
            .order_by()
            .annotate(title_rank=SearchRank(F("title_vector"), hits, weights=WEIGHTS))
            .values_list("id", "title_rank"),
            gin=True,
        )
        ranked = np.array(rows, dtype=np.float64).reshape(-1, 2)
        # ts_rank's ``real``, exactly: read as text, then as a double, it is the shortest
        # decimal of the real, a few 1e-9 away from it, where counts kept and read back
        # (32 bits) hold the real itself; equal either way, however they were made.
        ranks = ranked[:, 1].astype(np.float32).astype(np.float64)
        return ByCable(ranked[:, 0].astype(np.int64), ranks)

    def _word_counts(self, query: ParsedQuery) -> tuple[ByCable, ByCable] | None:
        """The paragraphs with hits and the titles' ranks the import kept for the word or
        phrase ``query`` looks for (``keep_word_counts``), when it looks for one and that
        is one of the archive's frequent words or two-word phrases; else None. Looked up
        once per query (a row by the tsquery a search makes of it, as text: "governments"
        finds the row of 'govern', "the prime minister" that of 'prime' <-> 'minist'),
        before any count starts."""
        if "word_counts" not in query.engine_cache:
            atom = one_atom(query)
            query.engine_cache["word_counts"] = None if atom is None else self._kept_counts(atom)
        return query.engine_cache["word_counts"]

    @staticmethod
    def _kept_counts(atom: Atom) -> tuple[ByCable, ByCable] | None:
        # The atom's tsquery as ``atom_query`` makes it, as text. A word must be one lexeme:
        # one PostgreSQL splits in two (a phrase of them) is matched in the whole cable's
        # vector, where the two may be in two paragraphs, and a kept phrase's never are.
        looked_for, looked_for_params = _tsquery_sql(atom_query(atom))
        sql = f"""SELECT w.paragraph_cables, w.paragraph_hits, w.title_cables, w.title_ranks
            FROM {WordCounts._meta.db_table} AS w, (SELECT {looked_for} AS q) AS looked_for
            WHERE w.query = looked_for.q::text AND (%s OR numnode(looked_for.q) = 1)
                AND w.recipe = %s
                AND w.archive_version = COALESCE(
                    (SELECT version FROM {ArchiveState._meta.db_table} WHERE id = %s), 0
                )"""  # (no row yet: version 0, as ``ArchiveState.current`` reads it)
        params = [
            *looked_for_params,
            atom.is_phrase,
            WORD_COUNTS_RECIPE,
            ArchiveState.ROW,
        ]
        # Read binary (a common word's arrays: ~1 MB; as text, hex, twice that to decode).
        with connection.cursor() as cursor, psycopg.Cursor(cursor.cursor.connection) as raw:
            raw.execute(sql, params, binary=True)
            row = raw.fetchone()
        if row is None:
            return None
        paragraph_cables, hits, title_cables, ranks = (bytes(part) for part in row)
        return (
            ByCable(
                np.frombuffer(paragraph_cables, np.int32), np.frombuffer(hits, np.uint16)
            ).unpacked(),
            ByCable(
                np.frombuffer(title_cables, np.int32), np.frombuffer(ranks, np.float32)
            ).unpacked(),
        )

    def keep_word_counts(
        self,
        min_paragraphs: int | None = None,
        on_word: Callable[[str, int], None] | None = None,
        min_phrase_paragraphs: int | None = None,
    ) -> int:
        """Count what a search for each frequent word and two-word phrase counts, and keep
        it (``WordCounts``) for this version of the archive: the words a sample of the
        paragraphs puts in ``min_paragraphs`` paragraphs or more, the phrases in
        ``min_phrase_paragraphs`` (``WORD_COUNTS_MIN_PARAGRAPHS``,
        ``PHRASE_COUNTS_MIN_PARAGRAPHS`` by default; ``_frequent``). Each is counted by
        the queries a search runs, given its tsquery as it is; two at a time, on
        connections of their own (``aside``: both cores), when not in a transaction. One
        kept already for this version is not counted again (an interrupted run goes on
        where it stopped); counts of other versions are dropped. ``on_word(tsquery,
        paragraphs)`` after each. The number counted."""
        if min_paragraphs is None:
            min_paragraphs = WORD_COUNTS_MIN_PARAGRAPHS
        if min_phrase_paragraphs is None:
            min_phrase_paragraphs = PHRASE_COUNTS_MIN_PARAGRAPHS
        version = ArchiveState.current()
        stale = WordCounts.objects.exclude(archive_version=version, recipe=WORD_COUNTS_RECIPE)
        stale.delete()
        kept = set(WordCounts.objects.values_list("query", flat=True))
        frequent = self._frequent(min_paragraphs, min_phrase_paragraphs)
        counting: deque[tuple[str, Future[tuple[ByCable, ByCable]]]] = deque()
        counted = 0

        def keep_first() -> None:
            nonlocal counted
            tsquery, counts = counting.popleft()
            hits, ranks = counts.result()
            counted += self._keep_word(version, tsquery, hits, ranks)
            if on_word is not None:
                on_word(tsquery, int(hits.values.sum(dtype=np.int64)))

        for tsquery in frequent:
            if tsquery in kept:
                continue
            if len(counting) == WORD_COUNTS_AT_ONCE:
                keep_first()
            counting.append((tsquery, aside(partial(self._count_word, tsquery))))
        while counting:
            keep_first()
        return counted

    def _count_word(self, tsquery: str) -> tuple[ByCable, ByCable]:
        """A search's counts for one word or phrase, given as its tsquery (``TsQuery``)."""
        started = time.monotonic()
        with self._gin_planning():
            hits = self._count_hits(TsQuery(tsquery))
            ranks = self._rank_titles_of(TsQuery(tsquery))
        logger.debug("Counted %s: %.2f s", tsquery, time.monotonic() - started)
        return hits, ranks

    @staticmethod
    def _keep_word(version: int, tsquery: str, hits: ByCable, ranks: ByCable) -> int:
        """Store a word's counts (1), unless they do not fit the kept arrays (0)."""
        hits, ranks = hits.packed(), ranks.packed()
        if not all(
            part.dtype == kind
            for part, kind in [
                (hits.cable_ids, np.int32),
                (hits.values, np.uint16),
                (ranks.cable_ids, np.int32),
            ]
        ):  # (ids past 2**31, 65,536 paragraphs with hits: counted at each search)
            logger.warning("Counts of %s too large to keep", tsquery)
            return 0
        counts = WordCounts(
            query=tsquery,
            archive_version=version,
            recipe=WORD_COUNTS_RECIPE,
            paragraph_cables=hits.cable_ids.tobytes(),
            paragraph_hits=hits.values.tobytes(),
            title_cables=ranks.cable_ids.tobytes(),
            title_ranks=ranks.values.tobytes(),
        )
        # (Kept meanwhile by another run: the same counts, kept once.)
        WordCounts.objects.bulk_create([counts], ignore_conflicts=True)
        return 1

    @staticmethod
    def _frequent(min_paragraphs: int, min_phrase_paragraphs: int) -> list[str]:
        """The words of an estimated ``min_paragraphs`` paragraphs or more, then the pairs of
        words next to each other, or with one word between (``'oil' <2> 'gas'``: "oil and
        gas"), of ``min_phrase_paragraphs``, commonest first, as tsqueries printed by
        PostgreSQL. Estimated on samples of the table's pages, the same each time
        (``REPEATABLE``) while the table is the same."""
        table = ParagraphVector._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")
            (paragraphs,) = cursor.fetchone()
            if not paragraphs:
                return []

            def share(sample: int) -> float:
                return min(100.0, 100.0 * sample / paragraphs)

            # ts_stat takes its query as text: the share is a number made here.
            words = (
                f"SELECT search_vector FROM {table} "
                f"TABLESAMPLE SYSTEM ({share(WORD_COUNTS_SAMPLE):f}) REPEATABLE (1)"
            )
            cursor.execute(
                """SELECT quote_literal(word)::tsquery::text FROM ts_stat(%s)
                WHERE ndoc >= %s ORDER BY ndoc DESC, word""",
                [words, min_paragraphs * share(WORD_COUNTS_SAMPLE) / 100],
            )
            frequent = [tsquery for (tsquery,) in cursor.fetchall()]
        # Each word at its places in each sampled paragraph; each pair one or two places
        # apart (a stop word between leaves a place empty) counted once a paragraph.
        with _planned(PAIRS_PLANNING), connection.cursor() as cursor:
            cursor.execute(
                f"""WITH places AS MATERIALIZED (
                    SELECT v.paragraph_id, w.lexeme, place
                    FROM {table} AS v TABLESAMPLE SYSTEM (%s) REPEATABLE (1),
                        unnest(v.search_vector) AS w, unnest(w.positions) AS place
                )
                SELECT format('%%s <%%s> %%s', quote_literal(first), apart,
                    quote_literal(second))::tsquery::text
                FROM (
                    SELECT DISTINCT a.paragraph_id, a.lexeme AS first, b.lexeme AS second,
                        apart
                    FROM places AS a CROSS JOIN (VALUES (1), (2)) AS d(apart)
                    JOIN places AS b
                        ON b.paragraph_id = a.paragraph_id AND b.place = a.place + apart
                ) AS pairs
                GROUP BY first, second, apart HAVING count(*) >= %s
                ORDER BY count(*) DESC, first, second, apart""",
                [
                    share(PHRASE_COUNTS_SAMPLE),
                    min_phrase_paragraphs * share(PHRASE_COUNTS_SAMPLE) / 100,
                ],
            )
            return frequent + [tsquery for (tsquery,) in cursor.fetchall()]

    def expect_results(self, query: ParsedQuery, sort: str) -> None:
        """``results`` will follow ``filter``: ``filter`` starts counting the paragraphs
        with hits (and, for an order by relevance, ranking the subjects) beside its own
        work (``aside``), or, for a query it finds from its parts (``_found_in_parts``),
        counts them itself and ranks the subjects beside; ``results`` starts the snippets
        of the page as soon as its ids are known, beside reading its cables."""
        query.engine_cache["results_follow"] = sort

    def pinned(
        self, cables: QuerySet[Cable], cleaned: dict[str, Any] | None = None
    ) -> tuple[QuerySet[Cable], int | None]:
        """The filtered cables looked up once, and handed on as their ids (``IdIn``), as
        ``filter`` does for a search: the count, the page and the five facet queries of a
        list page then read a list of ids, instead of each filtering again through the
        tags or people joined (a tag in 10,000 cables: ~20 ms a query). Selected by the
        facet index when it is ready and can (``FacetIndex.select``: ``cleaned``, the
        parameters that made ``cables``), else in SQL."""
        listed = CableQuerySet._ids_of(cables)
        if listed is not None:  # a list of ids already (a search's, say)
            return cables, len(listed)
        index = facet_index.current() if cleaned is not None else None
        selected = index.select(cleaned) if index is not None else None
        if selected is not None:
            ids = selected  # (kept an array: the facet index and its order read it so)
        else:
            try:
                ids = self._rows(cables.order_by().values_list("id"), flat=True)
            except EmptyResultSet:  # a filter that can hold nothing (pk__in=[])
                ids = []
        return Cable.objects.filter(IdIn(ids)), len(ids)

    def in_order(
        self,
        cables: QuerySet[Cable],
        sort: str,
        prepare: Callable[[QuerySet[Cable]], QuerySet[Cable]],
    ) -> Sequence[Cable] | None:
        """A pinned selection (``pinned``) newest first, put in order by the facet index
        when it is ready (PostgreSQL sorting 130,000 cables by date for a page of 50: 80
        ms at full size); its pages read by id. Else None: ordered in SQL."""
        ids = CableQuerySet._ids_of(cables) if sort == "newest" else None
        index = facet_index.current() if ids is not None else None
        newest = index.newest_first(ids) if index is not None else None
        if newest is None:
            return None
        return OrderedIds(newest, lambda page_ids: prepare(Cable.objects.filter(IdIn(page_ids))))

    def filter(self, cables: QuerySet[Cable], query: ParsedQuery) -> QuerySet[Cable]:
        """The cables matching ``query``, looked up now (one query on the GIN index
        cable_search_idx; or from the parts, ``_found_in_parts``), handed on as their ids
        (``id = ANY(...)``).

        A search page runs some eight queries over the same selection (page, count, four
        facets, paragraph hits, ...). Matching again in each was most of a search's time:
        a phrase or an excluded word makes PostgreSQL re-check every candidate's vector,
        and other filters made it test the vectors of the cables they keep one by one
        instead of using the index (300-600 ms for "end summary", or "government" with
        tag=PREL, in 15,000 cables). Over the ids, every other query is a plain one."""
        # Looked up already (the same search, for a facet counted over a wider selection).
        if "found" in query.engine_cache:
            return cables.filter(IdIn(query.engine_cache["found"]))
        if kept := self._word_counts(query):
            # A frequent word or phrase: its counts are the import's, read now, so nothing
            # is started aside to make them (``_kept`` finds them here).
            query.engine_cache["paragraph_hits"], query.engine_cache["title_ranks"] = kept
        in_parts = kept is not None or self._found_in_parts(query)
        if in_parts and can_run_aside() and "title_ranks" not in query.engine_cache:
            # The titles' part, meanwhile, on another connection.
            self._start_aside(query, "title_ranks", self._rank_titles)
        elif (
            query.engine_cache.get("results_follow")
            and can_run_aside()
            and not in_parts
            and "paragraph_hits" not in query.engine_cache
        ):
            # What ``results`` needs next, independent of what follows: counted meanwhile,
            # on other connections.
            self._start_aside(query, "paragraph_hits", self._count_paragraph_hits)
            if query.engine_cache["results_follow"] == "relevance":
                self._start_aside(query, "title_ranks", self._rank_titles)
        # (Asked before the transaction below: inside one, an index is never built.)
        index = facet_index.current()
        with self._gin_planning():  # one transaction for the queries on the GIN indexes
            if in_parts:
                # Put in order only when ``results`` needs it (after handing them on).
                found = self._cables_by_parts(query)
            else:
                # Newest first: by the facet index when it is ready (sorting thousands of
                # cables' dates in SQL was a third of this query: 13 of 24 ms for
                # "government" in the shared corpus), else here.
                matching = Cable.objects.filter(search_vector=cable_query(query))
                if index is None:
                    matching = matching.newest_first()
                found = self._rows(matching.values_list("id"), flat=True)
                newest = found if index is None else index.newest_first(found)
                if newest is not None:
                    query.engine_cache["newest"] = newest
        query.engine_cache["found"] = found
        return cables.filter(IdIn(found))

    def _newest(self, query: ParsedQuery) -> list[int]:
        """The cables ``filter`` found, newest first."""
        if "newest" not in query.engine_cache:
            found = query.engine_cache["found"]
            index = facet_index.current()
            newest = index.newest_first(found) if index is not None else None
            if newest is None:
                newest = self._rows(
                    Cable.objects.newest_first().filter(IdIn(found)).values_list("id"),
                    flat=True,
                )
            query.engine_cache["newest"] = newest
        return query.engine_cache["newest"]

    @staticmethod
    def _chosen_by_index(query: ParsedQuery, cleaned: dict[str, Any]) -> list[int] | None:
        """The cables ``filter`` found that the other parameters select, newest first,
        when the facet index is ready and can select by them (``FacetIndex.select``);
        else None (the selection is made in SQL)."""
        index = facet_index.current() if "found" in query.engine_cache else None
        if index is None:
            return None
        selected = index.select({name: v for name, v in cleaned.items() if name != "q"})
        if selected is None:
            return None
        # Both hold each cable once: intersected by a sort (without ``assume_unique``
        # numpy hashes each first: 122 against 5 ms for 148,000 and 100,000 ids).
        found = np.asarray(query.engine_cache["found"], np.int64)
        chosen = np.intersect1d(found, selected, assume_unique=True)
        return index.newest_first(chosen)

    def _newest_of(self, cables: QuerySet[Cable]) -> list[int]:
        """The ids of a selection newest first: put in order by the facet index when it is
        ready, else by PostgreSQL."""
        index = facet_index.current()
        if index is not None:
            newest = index.newest_first(self._rows(cables.order_by().values_list("id"), flat=True))
            if newest is not None:
                return newest
        return self._rows(cables.newest_first().values_list("id"), flat=True)

    @staticmethod
    def _found_in_parts(query: ParsedQuery) -> bool:
        """Whether the cables matching ``query`` are better found from their parts: a
        query of one group (a word, a phrase, or an OR of them), with or without excluded
        words; for a group of plain words only when ``results`` follows (it counts the
        paragraphs with hits anyway).

        A phrase makes PostgreSQL check the word positions of each candidate's vector, and
        a whole cable's vector is long (read from TOAST, decompressed): 80 ms for "end
        summary" in the shared corpus, where the paragraphs' vectors, which ``results``
        checks anyway to count the hits, take 45. Such a query matches a cable when its
        subject or summary (``title_vector``, in the row) or one of its paragraphs has
        it, so the paragraphs' count and the subjects' index give the cables, and a
        phrase never runs across two paragraphs (in the whole cable's vector it could).

        A common word costs little to check but finds many cables, each a row of the
        cables' table to visit: at full size (251,287 cables) "government" is 148,000 of
        them, 0.4-0.5 s beside the paragraphs' count; its cables are those with a
        paragraph or a title with a hit, which that count and the titles' ranks give."""
        if len(query.groups) != 1:
            return False
        if any(atom.is_phrase for atom in query.groups[0]):
            return True
        # A word PostgreSQL's parser splits ("x²y" is 'x' & 'y') would need its parts in
        # one paragraph: only words of letters and digits are found so.
        whole = all(
            char.isalpha() or char.isdecimal() for atom in query.groups[0] for char in atom.words[0]
        )
        return whole and bool(query.engine_cache.get("results_follow"))

    def _cables_by_parts(self, query: ParsedQuery) -> np.ndarray:
        """The cables matching a one-group query (``_found_in_parts``): those with hits in
        a paragraph or in the subject or summary, less those holding an excluded word
        (found without a position check when the word is not a phrase)."""
        # Both sorted: merged by a sort (numpy's union1d hashes: 100 ms for 150,000 ids).
        found = np.concatenate(
            [self._paragraph_hits(query).cable_ids, self._title_ranks(query).cable_ids]
        )
        found.sort()
        first = np.ones(len(found), dtype=bool)  # each id's first place
        first[1:] = found[1:] != found[:-1]
        found = found[first]
        if query.excluded:
            found = found[~np.isin(found, self._excluded(query.excluded), kind="sort")]
        return found  # (an array: the facet index reads it so)

    def _excluded(self, atoms: list[Atom]) -> np.ndarray:
        """The cables holding any of ``atoms``: a frequent word's from the counts the
        import kept (its cables are those of its paragraphs and titles: 1-3 ms instead of
        0.2-0.3 s for a word in 40,000 cables at full size), the rest looked up in the
        whole cables' vectors (a phrase there may run across two paragraphs)."""
        excluded, looked_up = [], []
        for atom in atoms:
            kept = None if atom.is_phrase else self._kept_counts(atom)
            if kept is None:
                looked_up.append(atom)
            else:
                excluded += [kept[0].cable_ids, kept[1].cable_ids]
        if looked_up:
            matching = Cable.objects.filter(search_vector=any_of(looked_up)).values_list("id")
            excluded.append(np.asarray(self._rows(matching, gin=True, flat=True), np.int64))
        return np.concatenate(excluded)

    def rank(self, cables: QuerySet[Cable], query: ParsedQuery) -> QuerySet[Cable]:
        """The relevance ``results`` orders by, as an annotation (counting each cable's
        paragraphs with hits in a subquery: fine for a few cables; ``results`` counts them
        for thousands at once)."""
        hits = hits_query(query)
        paragraphs_with_hits = Subquery(
            ParagraphVector.objects.filter(cable_id=OuterRef("pk"), search_vector=hits)
            .order_by()
            .values("cable_id")
            .annotate(hits=Count("*"))
            .values("hits")
        )
        count = Coalesce(paragraphs_with_hits, Value(0), output_field=FloatField())
        return cables.annotate(
            search_rank=Coalesce(
                SearchRank(F("title_vector"), hits, weights=WEIGHTS),
                Value(0.0),
                output_field=FloatField(),
            )
            + Value(TEXT_WEIGHT) * (Value(1.0) - Value(1.0) / (Value(1.0) + count))
        )

    def paragraphs_with_hits(
        self, paragraphs: QuerySet[Paragraph], query: ParsedQuery
    ) -> QuerySet[Paragraph]:
        # For a cable's paragraphs, one vector each by primary key; for many, the GIN index
        # paragraph_search_idx: the planner picks.
        vectors = ParagraphVector.objects.filter(
            paragraph_id=OuterRef("pk"), search_vector=hits_query(query)
        )
        return paragraphs.filter(Exists(vectors))

    def snippets(
        self, cable_ids: Iterable[int], query: ParsedQuery, per_cable: int = SNIPPETS_PER_CABLE
    ) -> dict[int, list[Snippet]]:
        ids = list(cable_ids)
        making = query.engine_cache.pop("snippets_making", None)
        if making is not None and per_cable == SNIPPETS_PER_CABLE and set(making[0]) == set(ids):
            return making[1].result()  # started by ``results`` when it read the page
        return self._make_snippets(ids, query, per_cable)

    def _make_snippets(
        self, ids: list[int], query: ParsedQuery, per_cable: int
    ) -> dict[int, list[Snippet]]:
        if not ids or not query.searchable:
            return {}
        hits = hits_query(query)
        # The page's own paragraphs (a few hundred) tested one by one (``IsTrue`` keeps the
        # planner off paragraph_search_idx, which would list every hit in the archive:
        # 28,000 for "government", 5 of the query's 10 ms).
        has_hit = IsTrue(ExpressionWrapper(Q(search_vector=hits), output_field=BooleanField()))
        best = (
            ParagraphVector.objects.filter(has_hit, cable_id__in=ids)
            .annotate(
                hit_rank=SearchRank(F("search_vector"), hits),
                hit_order=Window(
                    RowNumber(),
                    partition_by=[F("cable_id")],
                    order_by=[F("hit_rank").desc(), F("paragraph__position").asc()],
                ),
            )
            .filter(hit_order__lte=per_cable)
            .values("paragraph_id")
        )
        # Cut and marked here (``Excerpts``): ts_headline stems every word of the text.
        rows = (
            ParagraphVector.objects.filter(paragraph_id__in=best)
            .annotate(hit_rank=SearchRank(F("search_vector"), hits))
            .order_by("cable_id", "-hit_rank", "paragraph__position")
            .values_list("cable_id", "paragraph__anchor", "paragraph__position", "paragraph__text")
        )
        excerpts = Excerpts(query.positive_atoms(), SNIPPET_WORDS)
        result: dict[int, list[Snippet]] = {}
        for cable_id, anchor, position, text in rows:
            excerpt = excerpts.excerpt(text)
            result.setdefault(cable_id, []).append(
                Snippet(cable_id, anchor, position, marked_html(excerpt), plain_text(excerpt))
            )
        return result

    def index_cable(self, cable_id: int) -> None:
        self.index_cables([cable_id])

    def index_cables(self, cable_ids: list[int]) -> None:
        if cable_ids:
            self._index(list(cable_ids))

    def unindexed(self) -> list[int]:
        # (cable_unindexed_idx: the few rows not yet indexed, not a scan of the table)
        return list(Cable.objects.filter(search_vector__isnull=True).values_list("pk", flat=True))

    def rebuild(self) -> None:
        self._index(None)

    @contextmanager
    def staged_cables(self, cable_ids: list[int]) -> Iterator[str]:
        """New cables' rows, written (by the caller) into the table whose name this yields,
        then moved into the cables' table with their search vectors: each row written once,
        where an UPDATE setting them later wrote it twice, with each of its indexes. Their
        paragraphs must be written first; their vectors are made here too."""
        staging = "cables_cable_staging"
        cable_table = Cable._meta.db_table
        with connection.cursor() as cursor:
            # (the transaction's own table, made from the cables' table as it is now, never
            # kept by a session a pooler hands on, nor past a migration; its values
            # compressed as the cables' are, and not again when they move)
            cursor.execute(
                f"""CREATE TEMPORARY TABLE IF NOT EXISTS {staging}
                (LIKE {cable_table} INCLUDING COMPRESSION) ON COMMIT DROP"""
            )
        yield staging
        columns = [field.column for field in Cable._meta.concrete_fields]
        computed = {
            "title_vector": "t.title",
            "search_vector": CABLE_VECTOR,
        }
        values = ", ".join(computed.get(column, f"t.{column}") for column in columns)
        with connection.cursor() as cursor:
            cursor.execute(_paragraph_vectors("p.cable_id = ANY(%s)"), [CONFIG, cable_ids])
            cursor.execute(
                f"""INSERT INTO {cable_table} ({", ".join(columns)})
                SELECT {values} FROM (
                    SELECT s.*, {TITLE_VECTOR.format(alias="s")} AS title, texts.text
                    FROM {staging} AS s
                    LEFT JOIN ({_cable_texts("v.cable_id = ANY(%s) AND p.cable_id = ANY(%s)")})
                        AS texts ON texts.cable_id = s.id
                    WHERE s.id = ANY(%s)
                ) AS t""",
                [CONFIG, CONFIG, cable_ids, cable_ids, cable_ids],
            )
            moved = cursor.rowcount
            cursor.execute(f"TRUNCATE {staging}")
        if moved != len(cable_ids):
            raise DatabaseError(f"{moved} of {len(cable_ids)} new cables written")

    @staticmethod
    def _index(cable_ids: list[int] | None) -> None:
        """Set-based: the paragraphs' vectors written anew (one INSERT ... SELECT), then
        one UPDATE of the cables: their title's vector (subject and summary), and the
        title's with the text's, which is the paragraphs' vectors put end to end in order
        (``cables_tsvector_agg``, migration 0013: parsing the text a second time cost as
        much as all the rest of a cable's writing, ~1.5 ms a cable).

        The cables' paragraphs are joined to them as sets, never looked up cable by cable:
        while an import fills the tables, the statistics lag behind and a per-cable lookup
        was planned as a scan of every paragraph for each cable (4-6 s a batch of 500)."""
        vectors = ParagraphVector.objects.all()
        where = {"v": "TRUE", "p": "TRUE", "c": "TRUE"}
        if cable_ids is not None:
            vectors = vectors.filter(cable_id__in=cable_ids)
            where = {alias: f"{alias}.cable_id = ANY(%s)" for alias in ("v", "p")}
            where["c"] = "c.id = ANY(%s)"
        vectors.delete()
        ids = [] if cable_ids is None else [cable_ids]
        cable_table = Cable._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(_paragraph_vectors(where["p"]), [CONFIG, *ids])
            cursor.execute(
                f"""UPDATE {cable_table} AS cable
                SET title_vector = t.title, search_vector = {CABLE_VECTOR}
                FROM (
                    SELECT c.id, {TITLE_VECTOR.format(alias="c")} AS title, texts.text
                    FROM {cable_table} AS c
                    LEFT JOIN ({_cable_texts(f"{where['v']} AND {where['p']}")})
                        AS texts ON texts.cable_id = c.id
                    WHERE {where["c"]}
                ) AS t
                WHERE cable.id = t.id""",
                [CONFIG, CONFIG, *ids * 3],
            )


def _paragraph_vectors(where: str) -> str:
    """The INSERT of the vectors of the paragraphs (``p``) matching ``where``; its
    parameters: the configuration, then ``where``'s."""
    return f"""INSERT INTO {ParagraphVector._meta.db_table} (paragraph_id, cable_id, search_vector)
        SELECT p.id, p.cable_id, to_tsvector(%s::regconfig, p.text)
        FROM {Paragraph._meta.db_table} AS p WHERE {where}"""


def _cable_texts(where: str) -> str:
    """Each cable's text vector (``text``, by ``cable_id``): its paragraphs' vectors (``v``)
    end to end, in order (``cables_tsvector_agg``, migration 0013), for the vectors and
    paragraphs (``p``) matching ``where``."""
    return f"""SELECT v.cable_id,
            cables_tsvector_agg(v.search_vector ORDER BY p.position) AS text
        FROM {ParagraphVector._meta.db_table} AS v
        JOIN {Paragraph._meta.db_table} AS p ON p.id = v.paragraph_id
        WHERE {where}
        GROUP BY v.cable_id"""


ENGINE = PostgresEngine()
