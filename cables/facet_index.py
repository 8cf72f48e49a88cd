"""Every cable's facet values held in memory, so that a selection's facets are counted in
numpy instead of by a GROUP BY per facet over its rows.

A list page of a search for a common word counts its year, origin, classification, tags and
people over thousands of cables: some 80 ms of PostgreSQL's time on the shared corpus, and
seconds at the release's full size. The index holds, for every cable, its year, month,
origin and classification, and for every tag or person a cable names, the cable's row and
the tag or person (``Links``): 8 bytes a link, about 30 MB for the whole release. A
selection's facets are then a mask of its rows and one ``bincount`` per facet: a few
milliseconds, whatever the facet.

The counts are exactly those ``CableQuerySet.facet_counts`` gives in SQL, in the same order
(values of equal count in the database's order of their text, which the index takes from
the database, not from Python's). The same arrays select a filtered list's cables
(``FacetIndex.select``, as ``CableFilter`` does in SQL) and put cables newest first
(``FacetIndex.newest_first``).

The index is built from one snapshot of the tables and stamped with the archive's version
(``ArchiveState``), which every import or edit that changes a cable raises: an index of
another version is never used. A missing or stale index is built in a thread of its own,
on a connection of its own, while the pages keep counting in SQL; when a worker process
starts (``archive_site/wsgi.py``) and when a page finds the archive changed. Never from
inside a transaction (another connection would not see what it wrote: tests call
``build()`` on their own connection).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, Window
from django.db.models.functions import ExtractMonth, ExtractYear, RowNumber

# A selection of fewer rows than this share of the archive reads its own links (by offset);
# a larger one tests every link against its mask (a sequential pass, cheaper per link).
FEW_ROWS_SHARE = 1 / 8

logger = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class Links:
    """The links of cables to tags (or people): for each, the cable's row and the value's
    code, in order of rows; ``offsets[row]:offsets[row + 1]`` are a row's links."""

    rows: np.ndarray  # int32
    codes: np.ndarray  # int32
    offsets: np.ndarray  # int64, one more than the cables
    size: int  # how many codes

    @classmethod
    def of(cls, rows: np.ndarray, codes: np.ndarray, cables: int, size: int) -> Links:
        order = np.argsort(rows, kind="stable")
        rows, codes = rows[order].astype(np.int32), codes[order].astype(np.int32)
        offsets = np.zeros(cables + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=cables), out=offsets[1:])
        return cls(rows, codes, offsets, size)

    def counts(self, mask: np.ndarray, selected: np.ndarray) -> np.ndarray:
        """How many of the selected rows (``mask``, and ``selected`` its true rows) link to
        each code."""
        if len(selected) < FEW_ROWS_SHARE * len(mask):
            starts = self.offsets[selected]
            lengths = self.offsets[selected + 1] - starts
            # Each selected row's links: its start repeated, plus 0, 1, ... within it.
            firsts = starts - (np.cumsum(lengths) - lengths)
            links = np.repeat(firsts, lengths) + np.arange(int(lengths.sum()))
            codes = self.codes[links]
        else:
            # Each row's mask repeated over its links (in row order): a sequential pass,
            # twice as fast as reading the mask at every link's row (1.9 million person
            # links: 4.5 against 8.5 ms).
            codes = self.codes[np.repeat(mask, self.lengths)]
        return np.bincount(codes, minlength=self.size)

    @cached_property
    def lengths(self) -> np.ndarray:
        """How many links each row has."""
        return np.diff(self.offsets)

    def linked(self, codes: Sequence[int], cables: int) -> np.ndarray:
        """A mask of the rows linked to any of ``codes`` (each a valid code), from the
        rows of each code (``by_code``): PREL's 133,000 cables in about a millisecond,
        where testing every link's code took 4 ms."""
        mask = np.zeros(cables, dtype=bool)
        rows, offsets = self.by_code
        for code in codes:
            mask[rows[offsets[code] : offsets[code + 1]]] = True
        return mask

    @cached_property
    def by_code(self) -> tuple[np.ndarray, np.ndarray]:
        """The same links the other way: the rows of each code, ``rows[offsets[code]:
        offsets[code + 1]]`` (4 bytes a link more, made once)."""
        order = np.argsort(self.codes, kind="stable")
        offsets = np.zeros(self.size + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.codes, minlength=self.size), out=offsets[1:])
        return self.rows[order], offsets


@dataclass(frozen=True, eq=False)
class FacetIndex:
    version: int
    ids: np.ndarray  # int64 per row: the cable's id
    row_of: np.ndarray  # a cable's id -> its row (int32; -1: no such cable)
    year: np.ndarray  # int32 per row
    newest: np.ndarray  # int32 per row: its place newest first (0: the newest)
    month: np.ndarray  # int8 per row
    origin: np.ndarray  # int32 code per row, in ``origins``
    origins: tuple[str, ...]  # in the database's order
    classification: np.ndarray
    classifications: tuple[str, ...]
    tags: Links
    tag_rows: tuple[tuple[str, str, str], ...]  # code, description, kind, by code
    people: Links
    person_ids: np.ndarray  # code -> Person id, ascending: the first stored first
    # code -> the person's slug and name, and its place in the database's order of name
    # and slug (how the SQL facet shows people of equal count): the facet's hundred
    # people without a query for their names (~4 ms at full size).
    person_names: tuple[tuple[str, str], ...]
    person_rank: np.ndarray  # int32

    @property
    def cables(self) -> int:
        return len(self.year)

    # --- selecting: the parameters of /cables/ it can select by ---------------------------

    SELECTABLE = frozenset(
        {
            *("tag", "person", "origin", "classification", "level", "caveat", "year", "month"),
            *("exclude_tag", "exclude_person", "exclude_origin", "exclude_classification"),
            *("exclude_level", "exclude_caveat", "exclude_year"),
        }
    )

    def select(self, cleaned: dict[str, Any]) -> np.ndarray | None:
        """The ids of the cables a valid selection of /cables/ (``CableFilter.cleaned``)
        holds, as ``CableFilter`` selects them in SQL; None when it uses a parameter the
        index cannot select by (a search, dates) or none at all.

        Masks over the cables, ANDed: milliseconds at the release's full size, where
        listing the ids of a common tag's cables in SQL took most of a second."""
        active = {
            name: value
            for name, value in cleaned.items()
            if value not in (None, "", [], ()) and name != "sort"
        }
        if not active or not active.keys() <= self.SELECTABLE:
            return None
        if {"year", "exclude_year", "month"} & active.keys() and settings.TIME_ZONE != "UTC":
            # The filters take years in UTC, the index in the current time zone.
            return None
        mask = np.ones(self.cables, dtype=bool)
        for code in active.get("tag", ()):
            mask &= self._linked(self.tags, [self._tag_codes.get(code, -1)])
        if "exclude_tag" in active:
            codes = [self._tag_codes.get(code, -1) for code in active["exclude_tag"]]
            mask &= ~self._linked(self.tags, codes)
        slugs = [*active.get("person", ()), *active.get("exclude_person", ())]
        person_codes = self._person_codes(slugs) if slugs else {}
        for slug in active.get("person", ()):
            mask &= self._linked(self.people, [person_codes.get(slug, -1)])
        if "exclude_person" in active:
            codes = [person_codes.get(slug, -1) for slug in active["exclude_person"]]
            mask &= ~self._linked(self.people, codes)
        for name in ("origin", "classification"):
            values = self.origins if name == "origin" else self.classifications
            for param, keep in ((name, True), (f"exclude_{name}", False)):
                if param in active:
                    chosen = set(active[param])
                    codes = [code for code, value in enumerate(values) if value in chosen]
                    mask &= np.isin(getattr(self, name), codes) == keep
        for param, keep in (("level", True), ("exclude_level", False)):
            if param in active:
                levels = set(active[param])
                codes = [code for code, (level, _) in enumerate(self._split) if level in levels]
                mask &= np.isin(self.classification, codes) == keep
        for param, keep in (("caveat", True), ("exclude_caveat", False)):
            if param in active:
                caveats = set(active[param])
                codes = [code for code, (_, of) in enumerate(self._split) if caveats & set(of)]
                mask &= np.isin(self.classification, codes) == keep
        years = list(active.get("year", ()))
        if years:
            mask &= np.isin(self.year, years)
        if "exclude_year" in active:
            mask &= ~np.isin(self.year, list(active["exclude_year"]))
        if "month" in active and len(years) == 1:  # (months only within one year)
            mask &= np.isin(self.month, list(active["month"]))
        return self.ids[mask]

    def _linked(self, links: Links, codes: list[int]) -> np.ndarray:
        """A mask of the cables linked to any of ``codes`` (-1: no such tag or person)."""
        return links.linked([code for code in codes if code >= 0], self.cables)

    @cached_property
    def _tag_codes(self) -> dict[str, int]:
        return {row[0]: code for code, row in enumerate(self.tag_rows)}

    @cached_property
    def _split(self) -> list[tuple[str, list[str]]]:
        from .models import split_classification

        return [split_classification(value) for value in self.classifications]

    def _person_codes(self, slugs: list[str]) -> dict[str, int]:
        from .models import Person

        found = dict(Person.objects.filter(slug__in=slugs).values_list("slug", "id"))
        ids = np.array(list(found.values()), dtype=np.int64)
        places = np.searchsorted(self.person_ids, ids)
        codes = {}
        for slug, person_id, place in zip(found, ids.tolist(), places.tolist(), strict=True):
            if place < len(self.person_ids) and self.person_ids[place] == person_id:
                codes[slug] = place
        return codes

    def mask(self, ids: Sequence[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rows of the cables ``ids``: as a mask, and as a sorted array."""
        ids = np.asarray(ids, dtype=np.int64)
        ids = ids[(ids >= 0) & (ids < len(self.row_of))]
        rows = self.row_of[ids]
        mask = np.zeros(self.cables, dtype=bool)
        mask[rows[rows >= 0]] = True
        return mask, np.flatnonzero(mask)

    def counts(self, ids: Sequence[int] | np.ndarray, names: Sequence[str]) -> dict[str, list]:
        """The facet counts of the cables ``ids``, as ``CableQuerySet.facet_counts`` gives
        them (the same values, order and fields)."""
        from .models import CableQuerySet, derived_counts

        mask, selected = self.mask(ids)
        counted: dict[str, list[dict]] = {}
        for name in names:
            if name == "year":
                counted[name] = self._year_counts(mask)
            elif name in ("origin", "classification"):
                counted[name] = self._column_counts(name, mask)
            elif name == "tag":
                counted[name] = self._tag_counts(mask, selected)
            elif name == "person":
                counted[name] = self._person_counts(
                    mask, selected, CableQuerySet.PERSON_FACET_LIMIT
                )
        for name in CableQuerySet.DERIVED_FACETS:
            if name in names:
                rows = counted.get("classification") or self._column_counts("classification", mask)
                counted[name] = derived_counts(rows, name)
        return {name: counted[name] for name in names}

    def newest_first(self, ids: Sequence[int] | np.ndarray) -> np.ndarray | None:
        """The cables ``ids`` newest first (as ``CableQuerySet.newest_first`` orders them),
        as an array (see ``OrderedIds``); None when one of them is not in the index."""
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) and (ids.min() < 0 or ids.max() >= len(self.row_of)):
            return None
        rows = self.row_of[ids]
        if (rows < 0).any():
            return None
        return ids[np.argsort(self.newest[rows], kind="stable")]

    def similar(self, cable_id: int, limit: int) -> list[tuple[int, int, int]] | None:
        """The cables most like a cable, as ``CableQuerySet.similar_to`` finds them in SQL:
        (id, TAGS shared, similarity) of the ``limit`` best, best first; None when the
        cable is not in the index.

        Every cable sharing a tag is counted (one ``bincount`` over the rows of the cable's
        tags: about a millisecond with PREL, a cable in ten, where SQL took hundreds); only
        those that can be among the best are scored and ordered: a cable's similarity is
        the TAGS it shares plus at most one, so when ``limit`` cables share ``t`` or more,
        a cable sharing fewer than ``t - 1`` cannot beat them (3.8 -> 1.6 ms a cable page
        at full size)."""
        if not 0 <= cable_id < len(self.row_of) or (row := int(self.row_of[cable_id])) < 0:
            return None
        codes = self.tags.codes[self.tags.offsets[row] : self.tags.offsets[row + 1]]
        if not len(codes):
            return []
        rows_by_code, offsets = self.tags.by_code
        linked = [rows_by_code[offsets[code] : offsets[code + 1]] for code in codes.tolist()]
        shared = np.bincount(np.concatenate(linked), minlength=self.cables)
        shared[row] = 0
        # Cables sharing at least t TAGS, for each t (at_least[t]), and the highest t that
        # ``limit`` of them reach.
        at_least = np.cumsum(np.bincount(shared)[::-1])[::-1]
        reached = np.flatnonzero(at_least >= limit)
        threshold = max(int(reached[-1]) - 1 if len(reached) else 1, 1)
        candidates = np.flatnonzero(shared >= threshold)
        similarity = shared[candidates] + (self.origin[candidates] == self.origin[row])
        # Best first: the highest similarity, then the newest (its place newest first).
        key = similarity.astype(np.int64) * self.cables - self.newest[candidates]
        best = np.argpartition(-key, limit)[:limit] if len(key) > limit else np.arange(len(key))
        best = best[np.argsort(-key[best])]
        return [
            (int(self.ids[candidates[i]]), int(shared[candidates[i]]), int(similarity[i]))
            for i in best.tolist()
        ]

    def month_counts(self, ids: Sequence[int] | np.ndarray, year: int) -> list[dict]:
        mask, _ = self.mask(ids)
        counts = np.bincount(self.month[mask & (self.year == year)], minlength=13)
        return [{"value": m, "count": int(counts[m])} for m in range(1, 13) if counts[m]]

    def _year_counts(self, mask: np.ndarray) -> list[dict]:
        years = self.year[mask]
        if not len(years):
            return []
        first = int(years.min())
        counts = np.bincount(years - first)
        return [
            {"value": first + i, "count": int(counts[i])}
            for i in np.flatnonzero(counts)[::-1].tolist()
        ]

    def _column_counts(self, name: str, mask: np.ndarray) -> list[dict]:
        values = self.origins if name == "origin" else self.classifications
        codes = getattr(self, name)[mask]
        counts = np.bincount(codes, minlength=len(values))
        return [{"value": values[i], "count": n} for i, n in _most_first(counts)]

    def _tag_counts(self, mask: np.ndarray, selected: np.ndarray) -> list[dict]:
        counts = self.tags.counts(mask, selected)
        rows = self.tag_rows
        return [
            {"value": rows[i][0], "description": rows[i][1], "kind": rows[i][2], "count": n}
            for i, n in _most_first(counts)
        ]

    def _person_counts(self, mask: np.ndarray, selected: np.ndarray, limit: int) -> list[dict]:
        counts = self.people.counts(mask, selected)
        named = np.count_nonzero(counts)
        if named > limit:
            # Only the people who can make the cut are sorted: those with at least the
            # ``limit``-th count.
            least = max(int(np.partition(counts, len(counts) - limit)[len(counts) - limit]), 1)
            candidates = np.flatnonzero(counts >= least)
        else:
            candidates = np.flatnonzero(counts)
        # Most cables first; of as many, the first stored (the lowest id, the lowest code).
        top = candidates[np.lexsort((candidates, -counts[candidates]))][:limit]
        # Shown by count, then name and slug in the database's order.
        shown = top[np.lexsort((self.person_rank[top], -counts[top]))]
        names = self.person_names
        return [
            {"value": names[code][0], "name": names[code][1], "count": count}
            for code, count in zip(shown.tolist(), counts[shown].tolist(), strict=True)
        ]


def _most_first(counts: np.ndarray) -> list[tuple[int, int]]:
    """(code, count) of the codes counted at least once, most first; ties in code order."""
    codes = np.flatnonzero(counts)
    order = codes[np.lexsort((codes, -counts[codes]))]
    return list(zip(order.tolist(), counts[order].tolist(), strict=True))


# --- building and keeping ---------------------------------------------------------------

_lock = threading.Lock()
_kept: dict[str, FacetIndex] = {}  # per database alias
_building: dict[str, threading.Thread] = {}


def ready(using: str = DEFAULT_DB_ALIAS) -> FacetIndex | None:
    """The index of the archive as it is now, or None while it is being built in another
    thread (the caller counts in SQL meanwhile). Inside a transaction, a missing or stale
    index is not built: another connection would not see what the transaction wrote (in
    tests, ``build()`` builds one on the test's own connection)."""
    from .models import ArchiveState

    version = ArchiveState.current()
    index = _kept.get(using)
    if index is not None and index.version == version:
        return index
    if not connections[using].in_atomic_block:
        build_aside(using)
    return None


def current(using: str = DEFAULT_DB_ALIAS) -> FacetIndex | None:
    """The index, when it is on (``settings.ARCHIVE_FACET_INDEX``) and ready."""
    return ready(using) if settings.ARCHIVE_FACET_INDEX else None


def build_aside(using: str = DEFAULT_DB_ALIAS, then: Callable[[], object] | None = None) -> None:
    """Build the index in a thread of its own, on a connection of its own (unless one is
    being built already): when a worker process starts (``archive_site/wsgi.py``), and when
    a page finds the archive changed. ``then`` is called in that thread once the index is
    kept (not when the build fails, nor when a build is running already)."""
    with _lock:
        if using not in _building:
            builder = threading.Thread(
                target=_building_aside, args=(using, then), name="facet-index", daemon=True
            )
            _building[using] = builder
            builder.start()


def _building_aside(using: str, then: Callable[[], object] | None) -> None:
    built = False
    try:
        build(using)
        built = True
    except Exception:  # noqa: BLE001 - the pages count in SQL; the next one tries again
        logger.exception("The facet index of %r could not be built", using)
    finally:
        with _lock:
            _building.pop(using, None)
        connections[using].close()  # this thread's own connection
    if built and then is not None:
        # After the close: what ``then`` sees of this thread is the index, not its
        # connection (``gc.freeze`` would keep that for the life of the process).
        then()


def wait(using: str = DEFAULT_DB_ALIAS, timeout: float | None = None) -> FacetIndex | None:
    """Wait for an index being built to be ready (benchmarks' warm-up, tests); the index
    kept then."""
    builder = _building.get(using)
    if builder is not None:
        builder.join(timeout)
    return _kept.get(using)


def forget() -> None:
    """Drop the kept indexes (tests)."""
    with _lock:
        _kept.clear()


def build(using: str = DEFAULT_DB_ALIAS) -> FacetIndex:
    """Build the index from one snapshot of the tables, and keep it."""
    from .models import ArchiveState, Cable, CablePerson, CableTag, Person, Tag

    started = time.perf_counter()
    connection = connections[using]
    own_transaction = not connection.in_atomic_block
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if own_transaction and connection.vendor == "postgresql":
            # One snapshot for every query below, the version included.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        version = ArchiveState.current()
        # Integers only (no Python object per cable): the year and month as the SQL facets
        # extract them (in the current time zone), the origin and classification as their
        # rank in the database's order of text (its collation: the order the SQL facets
        # break ties in), from 1: ranked among their few hundred distinct values, joined.
        table = Cable._meta.db_table
        cables = (
            Cable.objects.using(using)
            .order_by()
            .annotate(
                facet_year=ExtractYear("created"),
                facet_month=ExtractMonth("created"),
                # The order of ``CableQuerySet.newest_first`` (reference ids are unique: a
                # total order): a search's cables put in it here, not by a sort in SQL.
                newest_place=Window(RowNumber(), order_by=[F("created").desc(), F("reference_id")]),
            )
            .values_list(
                "id", "facet_year", "facet_month", "origin", "classification", "newest_place"
            )
        )
        sql, params = cables.query.sql_with_params()
        ranked = """(
            SELECT {column}, DENSE_RANK() OVER (ORDER BY {column}) AS value_rank
            FROM (SELECT DISTINCT {column} FROM {table}) AS distinct_values
        )"""
        columns = int_rows(
            cursor,
            f"""SELECT c.id, c.facet_year, c.facet_month, o.value_rank, k.value_rank,
                c.newest_place
            FROM ({sql}) AS c
            JOIN {ranked.format(column="origin", table=table)} AS o ON o.origin = c.origin
            JOIN {ranked.format(column="classification", table=table)} AS k
                ON k.classification = c.classification""",
            params,
            width=6,
        )
        origins = _database_order(cursor, table, "origin")
        classifications = _database_order(cursor, table, "classification")
        tag_rows = list(
            Tag.objects.using(using)
            .order_by("code")
            .values_list("id", "code", "description", "kind")
        )
        tag_links = int_rows(cursor, f"SELECT cable_id, tag_id FROM {CableTag._meta.db_table}")
        person_links = int_rows(
            cursor, f"SELECT cable_id, person_id FROM {CablePerson._meta.db_table}"
        )
        people_in_order = list(
            Person.objects.using(using).order_by("name", "slug").values_list("id", "slug", "name")
        )

    ids = columns[:, 0]
    cables_count = len(ids)
    row_of = np.full(int(ids.max()) + 1 if cables_count else 0, -1, dtype=np.int32)
    row_of[ids] = np.arange(cables_count, dtype=np.int32)
    tag_code = np.full(max((row[0] for row in tag_rows), default=0) + 1, -1, dtype=np.int32)
    tag_code[[row[0] for row in tag_rows]] = np.arange(len(tag_rows), dtype=np.int32)
    person_ids = np.unique(person_links[:, 1])
    # The people linked to a cable (those with a code), by code, and their places in order.
    code_of = {person_id: code for code, person_id in enumerate(person_ids.tolist())}
    person_names: list[tuple[str, str]] = [("", "")] * len(person_ids)
    person_rank = np.zeros(len(person_ids), dtype=np.int32)
    for place, (person_id, slug, name) in enumerate(people_in_order):
        code = code_of.get(person_id)
        if code is not None:
            person_names[code] = (slug, name)
            person_rank[code] = place
    index = FacetIndex(
        version=version,
        ids=ids,
        row_of=row_of,
        year=columns[:, 1].astype(np.int32),
        month=columns[:, 2].astype(np.int8),
        newest=(columns[:, 5] - 1).astype(np.int32),
        origin=(columns[:, 3] - 1).astype(np.int32),
        origins=tuple(origins),
        classification=(columns[:, 4] - 1).astype(np.int32),
        classifications=tuple(classifications),
        tags=Links.of(
            row_of[tag_links[:, 0]], tag_code[tag_links[:, 1]], cables_count, len(tag_rows)
        ),
        tag_rows=tuple(tuple(row[1:]) for row in tag_rows),
        people=Links.of(
            row_of[person_links[:, 0]],
            np.searchsorted(person_ids, person_links[:, 1]),
            cables_count,
            len(person_ids),
        ),
        person_ids=person_ids,
        person_names=tuple(person_names),
        person_rank=person_rank,
    )
    # Made here, not by the first page that needs them (a cable's similar cables, a
    # selection by tag or person, the counts of a large selection): ~0.3 s at full size.
    for links in (index.tags, index.people):
        links.by_code  # noqa: B018
        links.lengths  # noqa: B018
    with _lock:
        _kept[using] = index
    logger.info(
        "Facet index built: archive version %d, %d cables, %d tag and %d person links, %.1f s",
        version,
        index.cables,
        len(index.tags.rows),
        len(index.people.rows),
        time.perf_counter() - started,
    )
    return index


def _database_order(cursor, table: str, column: str) -> list[str]:
    """The distinct values of a column in the database's order of text (its collation: the
    order the SQL facets break ties in)."""
    cursor.execute(f"SELECT DISTINCT {column} FROM {table} ORDER BY {column}")
    return [value for (value,) in cursor.fetchall()]


def int_rows(cursor, sql: str, params: Sequence = (), width: int = 2) -> np.ndarray:
    """The rows of a query of ``width`` integer columns, as an (n, width) int64 array.

    On PostgreSQL the rows come as one binary value, every integer's 8 bytes big-endian,
    read straight into numpy: two million rows in about half a second and no Python object
    per row, where fetching tuples (or a COPY, a message per row) takes seconds and
    hundreds of megabytes that the worker process then keeps."""
    if cursor.db.vendor != "postgresql":
        cursor.execute(sql, params)
        return np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, width)
    names = [f"c{i}" for i in range(width)]
    packed = " || ".join(f"int8send({name}::int8)" for name in names)
    aggregated = f"SELECT string_agg({packed}, ''::bytea) FROM ({sql}) AS r({', '.join(names)})"
    # A cursor of psycopg's own on the same connection (and transaction): Django's binds
    # parameters on the client, which rules out binary results (bytea as text is hex:
    # twice the size, and libpq keeps a buffer of the largest message for the
    # connection's life, which is why the index is built on a connection of its own).
    with psycopg.Cursor(cursor.cursor.connection) as raw:
        raw.execute(aggregated, params, binary=True)
        (data,) = raw.fetchone()
    return np.frombuffer(data or b"", dtype=">i8").astype(np.int64).reshape(-1, width)
