"""The archive's data: cables, their paragraphs, and what they name and cite."""

from __future__ import annotations

import functools
import secrets
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import Count, F, Func, Q
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.db.models.lookups import GreaterThan, LessThan
from django.utils.text import slugify

from .paths import cable_path, person_path, tag_path
from .prepared import Prepared
from .search import ParsedQuery, parse_query
from .search import engine as search_engine
from .search.fields import SearchGinIndex, SearchVectorField, UnindexedIndex
from .search.query import ReferenceGuess

# --- classification: a level and its caveats ----------------------------------------------

# The levels from the least to the most restricted (the order of the level facet).
LEVEL_ORDER = ("UNCLASSIFIED", "LIMITED OFFICIAL USE", "CONFIDENTIAL", "SECRET", "TOP SECRET")


def split_classification(classification: str) -> tuple[str, list[str]]:
    """``CONFIDENTIAL//NOFORN`` -> ("CONFIDENTIAL", ["NOFORN"]);
    ``UNCLASSIFIED//FOR OFFICIAL USE ONLY`` -> ("UNCLASSIFIED", ["FOR OFFICIAL USE ONLY"]);
    ``SECRET`` -> ("SECRET", []). Caveats keep their order, once each."""
    level, *rest = [part.strip() for part in (classification or "").split("//")]
    caveats: list[str] = []
    for caveat in rest:
        if caveat and caveat not in caveats:
            caveats.append(caveat)
    return level, caveats


def _level_key(row: dict) -> tuple:
    value = row["value"]
    known = value in LEVEL_ORDER
    return (not known, LEVEL_ORDER.index(value) if known else -row["count"], value)


def derived_counts(classification_rows: list[dict], facet: str) -> list[dict]:
    """The level or caveat facet from the classification facet's counts: a cable has one
    classification, its level and caveats are parts of it (``split_classification``, the
    same function that fills ``Cable.level`` and ``CableCaveat``), so the sums are exact
    and cost no query. Levels in the order of ``LEVEL_ORDER``, caveats most used first."""
    totals: dict[str, int] = {}
    for row in classification_rows:
        level, caveats = split_classification(row["value"])
        for value in [level] if facet == "level" else caveats:
            if value:
                totals[value] = totals.get(value, 0) + row["count"]
    rows = [{"value": value, "count": count} for value, count in totals.items()]
    if facet == "level":
        return sorted(rows, key=_level_key)
    return sorted(rows, key=lambda r: (-r["count"], r["value"]))


def refresh_cable_counts(queryset: models.QuerySet, rows: type[models.Model], key: str) -> int:
    """Set the ``cable_count`` of each object of ``queryset`` to its number of ``rows``
    (one per cable: CableTag, CablePerson) whose ``key`` is the object, in one statement
    that writes only the counts that differ; returns how many changed."""
    counted = Coalesce(
        models.Subquery(
            rows.objects.filter(**{key: models.OuterRef("pk")})
            .order_by()
            .values(key)
            .annotate(n=Count("*"))
            .values("n"),
            output_field=models.IntegerField(),
        ),
        0,
    )
    return (
        queryset.alias(counted=counted)
        .exclude(cable_count=F("counted"))
        .update(cable_count=counted)
    )


class TagQuerySet(models.QuerySet):
    def with_counts(self) -> TagQuerySet:
        """Tags carried by at least one cable, annotated ``count`` (``cable_count``), most
        used first."""
        return (
            self.filter(cable_count__gt=0)
            .annotate(count=F("cable_count"))
            .order_by("-cable_count", "code")
        )

    def refresh_cable_counts(self) -> int:
        """Set ``cable_count`` of these tags from their cabletag rows (one per cable and
        tag); returns how many tags changed."""
        return refresh_cable_counts(self, CableTag, "tag")


class Tag(models.Model):
    """A TAGS code (PREL, KZ, ...), what it stands for and what kind of code it is (see
    ``cables.glossary``)."""

    SUBJECT, COUNTRY, PROGRAM, ORGANISATION = "subject", "country", "program", "organisation"
    KIND_CHOICES = [
        (SUBJECT, "Subject"),
        (COUNTRY, "Country"),
        (PROGRAM, "Program"),
        (ORGANISATION, "Organisation"),
    ]

    code = models.CharField(max_length=32, unique=True)
    description = models.CharField(max_length=200, blank=True)
    kind = models.CharField(
        max_length=16, choices=KIND_CHOICES, blank=True, help_text="Blank: not a known kind."
    )
    cable_count = models.PositiveIntegerField(
        default=0,
        help_text="The cables carrying it: set by each import (TagQuerySet.refresh_cable_counts).",
    )

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        indexes = [
            # /tags/ and the tag facet of the whole archive: WHERE cable_count > 0
            # ORDER BY cable_count DESC, code.
            models.Index(fields=["-cable_count", "code"], name="tag_count_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return tag_path(self.code)

    def get_json_url(self) -> str:
        return tag_path(self.code, "cables:tag_json")


class PersonQuerySet(models.QuerySet):
    def with_counts(self) -> PersonQuerySet:
        """People named by at least one cable, annotated ``count`` (their distinct cables,
        ``cable_count``), most cables first (``/people/``, index person_count_idx)."""
        return (
            self.filter(cable_count__gt=0)
            .annotate(count=F("cable_count"))
            .order_by("-cable_count", "name", "slug")
        )

    def refresh_cable_counts(self) -> int:
        """Set ``cable_count`` of these people from their ``CablePerson`` rows; returns how
        many people changed (cableperson_person_post_idx: about a second for 300,000 people)."""
        return refresh_cable_counts(self, CablePerson, "person")

    def named_like(self, text: str) -> PersonQuerySet:
        """People whose name, or one of their spellings, contains ``text`` (any case)."""
        return self.filter(Q(name__icontains=text) | Q(aliases__icontains=text))


class Person(models.Model):
    """A human the cables name. One person for one human: the import joins spelling variants
    and a surname alone to the person they name (see ``cables.parser.people``)."""

    name = models.CharField(max_length=200, help_text="The fullest form seen, proper case.")
    slug = models.SlugField(max_length=200, unique=True)
    # "ordway j": folded surname and first initial (parser.people.person_key); a surname
    # alone ("ordway") is a person only at one post, named in ``scope``.
    key = models.CharField(max_length=200, blank=True)
    surname_key = models.CharField(max_length=200, blank=True)
    scope = models.CharField(
        max_length=128, blank=True, help_text="For a surname alone: the origin it was seen at."
    )
    aliases = models.JSONField(default=list, blank=True, help_text="Every spelling seen.")
    titles = models.JSONField(default=list, blank=True, help_text='"FM", "A/S", "head", ...')
    cable_count = models.PositiveIntegerField(
        default=0,
        help_text="The cables naming them, in any role: set by each import "
        "(PersonQuerySet.refresh_cable_counts) from CablePerson.",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [
            # The import joining a name to a person: WHERE key IN (...) [AND scope = ...].
            models.Index(fields=["key", "scope"], name="person_key_idx"),
            # A surname alone joining a full name: WHERE surname_key IN (...) AND scope = ''.
            models.Index(fields=["surname_key"], name="person_surname_idx"),
            # The person facet of the whole archive: WHERE cable_count > 0 ORDER BY
            # cable_count DESC, id LIMIT 100; and /people/, ORDER BY cable_count DESC, name,
            # slug (PostgreSQL sorts the ties it reads, an incremental sort).
            models.Index(fields=["-cable_count", "id"], name="person_count_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return person_path(self.slug)

    def get_json_url(self) -> str:
        return person_path(self.slug, "cables:person_json")

    @property
    def other_spellings(self) -> list[str]:
        """The spellings seen other than the name itself (case aside), once each."""
        seen = {self.name.casefold()}
        others = []
        for alias in self.aliases or []:
            if alias.casefold() not in seen:
                seen.add(alias.casefold())
                others.append(alias)
        return others

    @staticmethod
    def slug_for(name: str) -> str:
        return slugify(name)[:200] or "person"


def _expressions(*values) -> list:
    """Values as expressions (a ``Func`` reads a text as a field's name)."""
    return [v if hasattr(v, "resolve_expression") else models.Value(v) for v in values]


class Row(Func):
    """``(a, b)``: values compared as a row, ``(created, reference_id) < (%s, %s)``, which
    PostgreSQL reads as one range of an index on those columns (the same comparison spelt
    ``created < %s OR (created = %s AND reference_id < %s)`` is an index range on
    ``created`` alone and a filter on each row of the range: every cable of the same day
    fetched from the table). SQLite compares rows alike."""

    function = ""
    output_field = models.Field()


class CableQuerySet(models.QuerySet):
    def newest_first(self) -> CableQuerySet:
        return self.order_by("-created", "reference_id")

    def oldest_first(self) -> CableQuerySet:
        return self.order_by("created", "reference_id")

    # --- full-text search (cables.search: PostgreSQL or SQLite FTS5) -----------------------

    def search(self, query: str | ParsedQuery) -> CableQuerySet:
        """The cables matching a search: every word (or OR group, or phrase) somewhere in
        the subject, summary or text, and no excluded word. A query with nothing to look for
        matches no cable. (On PostgreSQL the matching is done at once and the queryset holds
        the ids: see ``cables.search.postgres``.)"""
        query = parse_query(query) if isinstance(query, str) else query
        if not query.searchable:
            return self.none()
        return search_engine().filter(self, query)

    def by_relevance(self, query: str | ParsedQuery) -> CableQuerySet:
        """Most relevant first (annotated ``search_rank``): subject hits above summary hits
        above text hits; ties newest first."""
        query = parse_query(query) if isinstance(query, str) else query
        if not query.searchable:
            return self.newest_first()
        return (
            search_engine()
            .rank(self, query)
            .order_by(models.F("search_rank").desc(nulls_last=True), "-created", "reference_id")
        )

    def sorted_by(self, sort: str, query: ParsedQuery | None = None) -> CableQuerySet:
        """``relevance`` (with a query), ``newest``, ``oldest`` or ``cited``."""
        if sort == "relevance" and query is not None and query.searchable:
            return self.by_relevance(query)
        if sort == "oldest":
            return self.oldest_first()
        if sort == "cited":
            return self.most_cited_first()
        return self.newest_first()

    def with_cited_count(self) -> CableQuerySet:
        """Annotated ``cited_count``: how many cables of the archive cite each one (a cable
        citing it in two REF lines counts once). A correlated subquery per cable on the
        index of ``Reference.target`` (Django's index of the foreign key,
        ``reference_target_id``), rather than a join and GROUP BY of the whole selection:
        the selection's own query (and its ``only()``) stay as they are."""
        citing = (
            Reference.objects.filter(target=models.OuterRef("pk"))
            .order_by()
            .values("target")
            .annotate(n=Count("cable", distinct=True))
            .values("n")
        )
        return self.annotate(
            cited_count=Coalesce(models.Subquery(citing, output_field=models.IntegerField()), 0)
        )

    def most_cited_first(self) -> CableQuerySet:
        """The most cited first (``with_cited_count``); ties newest first."""
        return self.with_cited_count().order_by("-cited_count", "-created", "reference_id")

    # How many similar cables a cable page lists.
    SIMILAR_LIMIT = 5

    # The most common of a cable's TAGS left out of the search for similar cables.
    SIMILAR_COMMON_TAGS = 2

    def similar_to(self, cable: Cable, limit: int = SIMILAR_LIMIT) -> list[Cable]:
        """The cables most like ``cable`` by their metadata, in one query: the cables sharing
        at least one of its TAGS, scored by the number of TAGS shared, plus one when they
        come from the same origin; ties newest first. A cable without TAGS has none (the
        previous and next cables from its origin are on its page already). Cables of the
        whole archive, whatever this queryset's filters, read with the fields a list of
        them shows (id, date, origin, subject) and annotated ``shared_tags`` and
        ``similarity``.

        Exact, without counting every cable that shares a common tag (PREL: a cable in
        ten): the candidates are the cables sharing one of its rarer tags (all but the
        ``SIMILAR_COMMON_TAGS`` most used, by ``Tag.cable_count``), scored on all its tags
        (cabletag_tag_cable_idx, cabletag_unique). Any other cable shares only common tags,
        so scores at most their number plus one: when the candidates' last of ``limit``
        scores more, they are the answer; else every cable sharing a tag is scored, in the
        same statement.

        With the facet index on and ready, the same cables are scored by it in memory
        (``FacetIndex.similar``: milliseconds where this statement takes hundreds at the
        release's full size) and read by their ids."""
        from . import facet_index

        index = facet_index.current(self.db)
        found = index.similar(cable.pk, limit) if index is not None else None
        if found is not None:
            return self._similar_read(found)
        if hasattr(cable, "ordered_cabletags"):
            tag_rows = [(ct.tag_id, ct.tag.cable_count) for ct in cable.ordered_cabletags]
        else:
            tag_rows = list(cable.cabletag_set.values_list("tag_id", "tag__cable_count"))
        if not tag_rows:
            return []
        by_use = sorted(tag_rows, key=lambda row: (-row[1], row[0]))
        common = min(self.SIMILAR_COMMON_TAGS, len(by_use) - 1)
        every = ", ".join(str(int(tag_id)) for tag_id, _ in by_use)
        rarer = ", ".join(str(int(tag_id)) for tag_id, _ in by_use[common:])
        cables, links = Cable._meta.db_table, CableTag._meta.db_table
        scored = f"""
            SELECT c.id, c.reference_id, c.created, c.origin, c.subject, scored.shared_tags,
                   scored.shared_tags + CASE WHEN c.origin = %s THEN 1 ELSE 0 END AS similarity
            FROM (
                SELECT cable_id, COUNT(*) AS shared_tags FROM {links}
                WHERE tag_id IN ({every}) AND cable_id <> %s {{candidates}}
                GROUP BY cable_id
            ) AS scored
            JOIN {cables} AS c ON c.id = scored.cable_id
            ORDER BY similarity DESC, c.created DESC, c.reference_id
            LIMIT {int(limit)}
        """
        rare_only = scored.format(
            candidates=f"AND cable_id IN (SELECT cable_id FROM {links} WHERE tag_id IN ({rarer}))"
        )
        sql = f"""
            WITH rare AS ({rare_only}),
            exact AS (
                SELECT {common} = 0 OR (
                    (SELECT COUNT(*) FROM rare) = {int(limit)}
                    AND (SELECT MIN(similarity) FROM rare) > {common + 1}
                ) AS yes
            )
            SELECT * FROM rare WHERE (SELECT yes FROM exact)
            UNION ALL
            SELECT * FROM ({scored.format(candidates="")}) AS every_cable
            WHERE NOT (SELECT yes FROM exact)
            ORDER BY similarity DESC, created DESC, reference_id
        """
        params = (cable.origin, cable.pk, cable.origin, cable.pk)
        return list(self.model.objects.raw(sql, params))

    def _similar_read(self, found: list[tuple[int, int, int]]) -> list[Cable]:
        """The cables of ``FacetIndex.similar``'s (id, shared, similarity), in its order,
        with the fields and annotations ``similar_to`` gives them."""
        if not found:
            return []
        ids = [cable_id for cable_id, _, _ in found]
        # A statement compiled once takes a fixed number of ids: a page's full list of
        # similar cables; a shorter one (few cables share a tag) by the ORM.
        if len(ids) == self.SIMILAR_LIMIT:
            by_id = {cable.pk: cable for cable in _similar_page(*ids, using=self.db)}
        else:
            by_id = self.model.objects.only(*SIMILAR_FIELDS).in_bulk(ids)
        cables = []
        for cable_id, shared, similarity in found:
            other = by_id.get(cable_id)
            if other is None:  # deleted since the index was built
                continue
            other.shared_tags, other.similarity = shared, similarity
            cables.append(other)
        return cables

    def with_reference(self, guess: ReferenceGuess) -> CableQuerySet:
        """The cables a reference id typed alone may stand for (``ALMATY 2803``: the cables
        numbered 2803 from ALMATY, whatever their year), newest first."""
        return self.filter(reference_id__in=guess.candidates()).newest_first()

    def naming(self, person: Person | str) -> CableQuerySet:
        """The cables that name a person (a Person or a slug), in any role (a subquery: a
        cable naming them in several paragraphs is still one row)."""
        links = CablePerson.objects.all()
        if isinstance(person, Person):
            links = links.filter(person=person)
        else:
            links = links.filter(person__slug=person)
        return self.filter(id__in=links.values("cable_id"))

    FACETS = ("year", "tag", "origin", "classification", "level", "caveat", "person")

    # The facets that are columns of the cable (the year of one).
    COLUMN_FACETS = ("year", "origin", "classification")
    # The facets counted from the classification facet's counts (``derived_counts``).
    DERIVED_FACETS = ("level", "caveat")

    def facet_counts(self, names: tuple[str, ...] = FACETS) -> dict[str, list[dict]]:
        """Counts per value of each named facet, for the cables in this queryset.

        One GROUP BY query per facet; on PostgreSQL one query for year, origin and
        classification together (GROUPING SETS: the selection is read once, not three
        times, which is a good part of a broad search's time). Level and caveat come from
        the classification counts, without a query of their own.

        The whole archive's counts (no filter: ``/cables/`` and the home page, the pages
        most seen) are kept in the page cache under the archive's version while
        ``settings.ARCHIVE_PAGE_CACHE`` is on: one primary-key lookup instead of counting
        every cable again until an import changes them."""
        if settings.ARCHIVE_PAGE_CACHE and not self.query.where and not self.query.is_sliced:
            from .cache import archive_key, keep, read

            key = archive_key("facets", ArchiveState.current(), ",".join(names))
            counts = read(key)
            if counts is None:
                counts = self._facet_counts(names)
                keep(key, counts)
            return counts
        index = self._facet_index()
        if index is not None:
            return index.counts(self._selected_ids(), names)
        return self._facet_counts(names)

    def _facet_index(self):
        """The facet index (``cables.facet_index``) for a selection, when it is on and
        ready; None for the whole archive (its counts are kept already)."""
        if not self.query.where or self.query.is_sliced:
            return None
        from . import facet_index

        return facet_index.current(self.db)

    @staticmethod
    def _id_list(cables: CableQuerySet):
        """The list of ids a selection is made of when it is one and nothing else (a
        search's or a pinned selection's ``IdIn`` expression), else None."""
        where = cables.query.where
        if len(where.children) != 1 or where.negated or cables.query.is_sliced:
            return None
        (condition,) = where.children
        id_list = getattr(condition, "lhs", None)
        if hasattr(id_list, "ids") and condition.lookup_name == "exact" and condition.rhs is True:
            return id_list
        return None

    @classmethod
    def _ids_of(cls, cables: CableQuerySet) -> list[int] | None:
        """The ids of a selection that is a list of ids (``_id_list``), else None."""
        id_list = cls._id_list(cables)
        return id_list.ids if id_list is not None else None

    def _selected_ids(self) -> list[int]:
        """The ids of this selection's cables: a search's list of ids as it is, else read
        (one query)."""
        ids = self._ids_of(self)
        if ids is not None:
            return ids
        try:
            sql, params = self.order_by().values("id").query.sql_with_params()
        except EmptyResultSet:  # filter(pk__in=[])
            return []
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)
            return [id_ for (id_,) in cursor.fetchall()]

    def _facet_counts(self, names: tuple[str, ...]) -> dict[str, list[dict]]:
        counted = [name for name in names if name not in self.DERIVED_FACETS]
        if any(name in self.DERIVED_FACETS for name in names) and "classification" not in counted:
            counted.append("classification")
        columns = [name for name in counted if name in self.COLUMN_FACETS]
        counts = {}
        if len(columns) > 1 and connections[self.db].vendor == "postgresql":
            counts = self._column_counts()
        for name in counted:
            if name not in counts:
                counts[name] = getattr(self, f"_{name}_counts")()
        for name in self.DERIVED_FACETS:
            if name in names:
                counts[name] = derived_counts(counts["classification"], name)
        return {name: counts[name] for name in names}

    def _column_counts(self) -> dict[str, list[dict]]:
        """Year, origin and classification counts in one query, each set in the order of
        ``_year_counts`` and ``_field_counts``."""
        selection = (
            self.order_by()
            .annotate(facet_year=ExtractYear("created"))
            .values("facet_year", "origin", "classification")
        )
        counts: dict[str, list[dict]] = {"year": [], "origin": [], "classification": []}
        try:
            sql, params = selection.query.sql_with_params()
        except EmptyResultSet:  # filter(pk__in=[]): nothing to count
            return counts
        # GROUPING(...) is 3 for the year set (origin and classification rolled up), 5 for
        # origin, 6 for classification.
        grouped = f"""
            SELECT facet_year, origin, classification,
                   GROUPING(facet_year, origin, classification) AS facet, COUNT(*) AS n
            FROM ({sql}) AS selection
            GROUP BY GROUPING SETS ((facet_year), (origin), (classification))
            ORDER BY facet, CASE WHEN GROUPING(facet_year, origin, classification) = 3
                                 THEN facet_year END DESC,
                     n DESC, origin, classification
        """
        with connections[self.db].cursor() as cursor:
            cursor.execute(grouped, params)
            for year, origin, classification, facet, count in cursor.fetchall():
                name, value = {3: ("year", year), 5: ("origin", origin)}.get(
                    facet, ("classification", classification)
                )
                counts[name].append(
                    {"value": int(value) if name == "year" else value, "count": count}
                )
        return counts

    def _year_counts(self) -> list[dict]:
        rows = (
            self.order_by()
            .annotate(year=ExtractYear("created"))
            .values("year")
            .annotate(count=Count("id"))
            .order_by("-year")
        )
        return [{"value": r["year"], "count": r["count"]} for r in rows]

    def _holds(self, column: str, ids: str | None = None) -> tuple[str, tuple]:
        """SQL true where ``column`` is the id of a cable of this selection, and its
        parameters: ``column IN (<the selection's ids>)``; for a search's selection, its
        list of ids itself (``IdIn`` alone: ``column = ANY(<ids>)``), which spares each
        facet reading the cables' primary key once per id (10 of 28 ms for a word in
        10,000 cables). ``ids``: ``_id_array()``, when the caller has it already."""
        ids = ids if ids is not None else self._id_array()
        if ids is not None:
            return f"{column} = ANY(%s::bigint[])", (ids,)
        selection, params = self.order_by().values("id").query.sql_with_params()
        return f"{column} IN ({selection})", tuple(params)

    def _id_array(self) -> str | None:
        """The array literal of ids when this selection is a list of ids (``_id_list``),
        else None."""
        id_list = self._id_list(self)
        return id_list.ids_array if id_list is not None else None

    def _tag_counts(self) -> list[dict]:
        """Counted per tag id first, then named: the cabletag rows of the selection are
        grouped by an integer, and only the few hundred groups are joined to their tags.
        (One cabletag row per cable and tag, cabletag_unique: no DISTINCT needed.) For the
        whole archive, the counts the import keeps (``Tag.cable_count``, tag_count_idx)."""
        if not self.query.where and not self.query.is_sliced:
            tags = Tag.objects.with_counts().values_list("code", "description", "kind", "count")
            return [
                {"value": code, "description": desc, "kind": kind, "count": n}
                for code, desc, kind, n in tags
            ]
        try:
            holds, params = self._holds("cable_id")
        except EmptyResultSet:  # filter(pk__in=[]): no tag
            return []
        counted = f"""
            SELECT tag.code, tag.description, tag.kind, counted.n
            FROM (
                SELECT tag_id, COUNT(*) AS n FROM {CableTag._meta.db_table}
                WHERE {holds} GROUP BY tag_id
            ) AS counted
            JOIN {Tag._meta.db_table} AS tag ON tag.id = counted.tag_id
            ORDER BY counted.n DESC, tag.code
        """
        with connections[self.db].cursor() as cursor:
            cursor.execute(counted, params)
            rows = cursor.fetchall()
        return [
            {"value": code, "description": desc, "kind": kind, "count": n}
            for code, desc, kind, n in rows
        ]

    # The most people the person facet lists: the top of a selection, not all of them.
    PERSON_FACET_LIMIT = 100
    # The people counted first for a selection: those named by most cables in the archive.
    PERSON_FACET_LEADERS = 1000
    # About how many people a cable names (138,271 CablePerson rows for 16,311 cables on the
    # shared corpus): what a selection's own rows are reckoned at.
    LINKS_PER_CABLE = 8

    def _person_counts(self) -> list[dict]:
        """The people the selection's cables name, by number of cables, the top
        ``PERSON_FACET_LIMIT`` (of people named by as many cables, the first stored make
        the cut), exactly.

        For the whole archive, the counts the import keeps (``Person.cable_count``, index
        person_count_idx). For a selection, its ``CablePerson`` rows counted per person, in
        one statement. A large selection first counts only the ``PERSON_FACET_LEADERS``
        people named by most cables in the archive (their rows from cableperson_person_post_idx:
        a third of the rows on the shared corpus, where a search for a common word has two
        thirds). No one else can be named by more of the selection's cables than by the
        archive's, so when the 100th of those counts is above the archive count of the
        first person left out, that top 100 is exact and is kept. Else, and for a selection
        with fewer rows than the leaders, every row of the selection is counted
        (cableperson_unique). Only the top groups are joined to the people."""
        limit, leaders = int(self.PERSON_FACET_LIMIT), int(self.PERSON_FACET_LEADERS)
        per_cable = int(self.LINKS_PER_CABLE)
        if not self.query.where and not self.query.is_sliced:
            # The same cut as below (most cables, then first stored), the same order.
            top = Person.objects.filter(cable_count__gt=0).order_by("-cable_count", "id")
            rows = (
                Person.objects.filter(pk__in=top.values("pk")[:limit])
                .order_by("-cable_count", "name", "slug")
                .values_list("slug", "name", "cable_count")
            )
            return [{"value": slug, "name": name, "count": n} for slug, name, n in rows]
        links, people = CablePerson._meta.db_table, Person._meta.db_table
        ids = self._id_array()
        if ids is not None:
            # A list of ids (PostgreSQL): the ids once, as a set the two counts below join
            # against (an array constant in each made PostgreSQL estimate each of its
            # thousands of elements, twice: 14 of 48 ms for "government" on the shared
            # corpus). With the selection's share of the archive known, the leaders are
            # counted first when its 100th count is likely (x 1.2) to beat the first person
            # left out, which makes their count exact: counting every row of a selection
            # means grouping thousands of people (27,000 for "economic", 4,900 cables of
            # the shared corpus: 95 ms, where the leaders take 35).
            first_cte = "chosen AS MATERIALIZED (SELECT unnest(%s::bigint[]) AS id),"
            holds, params, statement_params = "cable_id IN (SELECT id FROM chosen)", (), (ids,)
            worth = f"""worth AS (
                SELECT (SELECT COUNT(*) FROM chosen) * COALESCE((
                    SELECT cable_count FROM {people} WHERE cable_count > 0
                    ORDER BY cable_count DESC, id LIMIT 1 OFFSET {limit - 1}
                ), 0) > 1.2 * (SELECT most FROM bound) * GREATEST(
                    (SELECT reltuples FROM pg_class WHERE oid = '{Cable._meta.db_table}'::regclass),
                    1
                ) AS yes
            )"""
        else:
            try:
                holds, params = self._holds("cable_id")
            except EmptyResultSet:  # filter(pk__in=[]): nobody
                return []
            chosen, _ = self._holds("chosen.id")
            # The leaders are counted first when the selection has more rows than they
            # have, at about LINKS_PER_CABLE people a cable (else its own rows are fewer to
            # count): its cables counted only as far as that.
            first_cte = ""
            statement_params = params  # the selection's size, in ``worth``
            worth = f"""worth AS (
                SELECT (
                    SELECT COUNT(*) FROM (
                        SELECT 1 FROM {Cable._meta.db_table} AS chosen WHERE {chosen}
                        LIMIT (SELECT n / {per_cable} + 1 FROM leader_rows)
                    ) AS enough
                ) * {per_cable} > (SELECT n FROM leader_rows) AS yes
            )"""
        if connections[self.db].vendor == "postgresql":
            # Each leader's rows read from the index, where PostgreSQL would read the whole
            # table and hash it: LATERAL, with OFFSET 0 to keep it from being flattened.
            leaders_rows = f"""CROSS JOIN LATERAL (
                SELECT cable_id FROM {links} WHERE person_id = leader.id OFFSET 0
            ) AS link"""
        else:  # SQLite joins in nested loops, on the index.
            leaders_rows = f"JOIN {links} AS link ON link.person_id = leader.id"
        counted = f"""
            WITH {first_cte}
            leader AS (
                SELECT id, cable_count FROM {people} WHERE cable_count > 0
                ORDER BY cable_count DESC, id LIMIT {leaders}
            ),
            leader_rows AS (SELECT COALESCE(SUM(cable_count), 0) AS n FROM leader),
            bound AS (
                SELECT COALESCE(MAX(cable_count), 0) AS most FROM (
                    SELECT cable_count FROM {people} WHERE cable_count > 0
                    ORDER BY cable_count DESC, id LIMIT 1 OFFSET {leaders}
                ) AS first_left_out
            ),
            {worth},
            leader_links AS MATERIALIZED (
                SELECT leader.id AS person_id, link.cable_id
                FROM leader {leaders_rows}
                WHERE (SELECT yes FROM worth)
            ),
            leaders_counted AS (
                SELECT person_id, COUNT(*) AS n FROM leader_links
                WHERE {holds}
                GROUP BY person_id ORDER BY n DESC, person_id LIMIT {limit}
            ),
            exact AS (
                SELECT (SELECT yes FROM worth) AND (
                    (SELECT most FROM bound) = 0 OR (
                        (SELECT COUNT(*) FROM leaders_counted) = {limit}
                        AND (SELECT MIN(n) FROM leaders_counted) > (SELECT most FROM bound)
                    )
                ) AS yes
            ),
            counted AS (
                SELECT person_id, n FROM leaders_counted WHERE (SELECT yes FROM exact)
                UNION ALL
                SELECT person_id, n FROM (
                    SELECT person_id, COUNT(*) AS n FROM {links}
                    WHERE {holds} GROUP BY person_id
                    ORDER BY n DESC, person_id LIMIT {limit}
                ) AS every_row WHERE NOT (SELECT yes FROM exact)
            )
            SELECT person.slug, person.name, counted.n
            FROM counted JOIN {people} AS person ON person.id = counted.person_id
            ORDER BY counted.n DESC, person.name, person.slug
        """
        with connections[self.db].cursor() as cursor:
            cursor.execute(counted, (*statement_params, *params, *params))
            rows = cursor.fetchall()
        return [{"value": slug, "name": name, "count": n} for slug, name, n in rows]

    def _origin_counts(self) -> list[dict]:
        return self._field_counts("origin")

    def _classification_counts(self) -> list[dict]:
        return self._field_counts("classification")

    def month_counts(self, year: int) -> list[dict]:
        index = self._facet_index()
        if index is not None:
            return index.month_counts(self._selected_ids(), year)
        rows = (
            self.filter(created__year=year)
            .order_by()
            .annotate(month=ExtractMonth("created"))
            .values("month")
            .annotate(count=Count("id"))
            .order_by("month")
        )
        return [{"value": r["month"], "count": r["count"]} for r in rows]

    def _field_counts(self, field: str) -> list[dict]:
        rows = self.order_by().values(field).annotate(count=Count("id")).order_by("-count", field)
        return [{"value": r[field], "count": r["count"]} for r in rows]

    # --- tag and origin pages ---------------------------------------------------------------

    def year_counts(self) -> list[dict]:
        """Cables per year, oldest year first (the year facet's counts: from the facet
        index, for a selection it can count)."""
        return sorted(self.facet_counts(("year",))["year"], key=lambda row: row["value"])

    def origin_counts(self) -> list[dict]:
        """Each origin with its count of cables and the slug of its page, most cables first:
        the origin facet's counts (for the whole archive, kept in the page cache until the
        next import: /origins/ and an origin's page counted every cable at each view, 0.2
        s at full size; one GROUP BY on the origin index without the cache)."""
        counted = self.facet_counts(("origin",))["origin"]
        return [{**row, "slug": origin_slug(row["value"])} for row in counted]

    # --- the cables around one cable ---------------------------------------------------------

    # ``created__lte`` (``__gte``) repeats what the OR says, for PostgreSQL: a bound on the
    # (origin, created, reference_id) index, which the OR alone is not. Without it, the
    # previous cable of a busy origin was found by reading its cables from the newest
    # back (83 ms for a 2004 cable of Embassy Madrid at full size; 0.2 ms with it).

    def before(self, created, reference_id) -> CableQuerySet:
        """Cables sent before the one sent at ``created`` with ``reference_id`` (values or
        expressions; ties by reference id), newest first."""
        here = Row(F("created"), F("reference_id"))
        return self.filter(LessThan(here, Row(*_expressions(created, reference_id)))).order_by(
            "-created", "-reference_id"
        )

    def after(self, created, reference_id) -> CableQuerySet:
        """Cables sent after the one sent at ``created`` with ``reference_id`` (values or
        expressions; ties by reference id), oldest first."""
        here = Row(F("created"), F("reference_id"))
        return self.filter(GreaterThan(here, Row(*_expressions(created, reference_id)))).order_by(
            "created", "reference_id"
        )

    def origin_neighbour(self, cable_id, older: bool) -> CableQuerySet:
        """The cable from the same origin just before (``older``) or after the cable with
        this id, as a one-row queryset: that cable's origin, time and reference id are read
        by subqueries, so the statement takes the id alone (a ``Prepared`` query compiles
        it once) and runs on the (origin, created, reference_id) index."""
        this = self.model.objects.filter(pk=cable_id).order_by()
        created, reference_id, origin = (
            models.Subquery(this.values(name)[:1]) for name in ("created", "reference_id", "origin")
        )
        same_origin = self.filter(origin=origin)
        side = same_origin.before if older else same_origin.after
        return side(created, reference_id)[:1]


def origin_slug(origin: str) -> str:
    """``US Office Almaty`` -> ``us-office-almaty``: the origin's page, ``/origins/<slug>/``."""
    return slugify(origin) or "unknown"


class CableManager(models.Manager.from_queryset(CableQuerySet)):
    def get_queryset(self) -> CableQuerySet:
        # The search vectors are only read by the database (one is as big as the text).
        return super().get_queryset().defer("search_vector", "title_vector")


class Cable(models.Model):
    reference_id = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(help_text="When the cable was sent, in UTC.")
    MINUTE, HOUR, DAY = "minute", "hour", "day"
    PRECISION_CHOICES = [(MINUTE, "to the minute"), (HOUR, "to the hour"), (DAY, "to the day")]
    created_precision = models.CharField(
        max_length=8,
        choices=PRECISION_CHOICES,
        default=MINUTE,
        help_text="How much of the time is known: some mirrors print wrong minutes, and no "
        "date-time group is left to correct them.",
    )
    classification = models.CharField(max_length=64)
    level = models.CharField(
        max_length=32,
        blank=True,
        editable=False,
        help_text="The classification's level (CONFIDENTIAL of CONFIDENTIAL//NOFORN); kept in "
        "step with the classification by save().",
    )
    origin = models.CharField(max_length=128)
    subject = models.TextField(blank=True)
    subject_marking = models.CharField(max_length=32, blank=True, help_text='"(C)", "(SBU)"...')
    summary = models.TextField(blank=True)
    keywords = models.JSONField(
        default=list, blank=True, help_text="Free-text words on the TAGS line."
    )
    classified_by = models.CharField(max_length=200, blank=True)
    classification_reasons = models.CharField(max_length=200, blank=True)
    declassify_on = models.CharField(
        max_length=128,
        blank=True,
        help_text='"2016-08-04", or as written ("1.6 TEN YEARS AFTER ...")',
    )
    signer = models.CharField(max_length=200, blank=True)
    header = models.TextField(blank=True, help_text="The routing header, as sent.")
    body = models.TextField(blank=True, help_text="The cable text, cleaned of mirror clutter.")
    partial = models.BooleanField(
        default=False, help_text="An extract, or text cut off before its end."
    )
    tags = models.ManyToManyField(Tag, through="CableTag", related_name="cables")
    content_hash = models.CharField(
        max_length=64,
        help_text="Hash of the parsed fields; an import that finds it unchanged writes nothing.",
    )
    first_imported = models.DateTimeField(auto_now_add=True)
    last_changed = models.DateTimeField(auto_now=True)
    search_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text="PostgreSQL: subject (weight A), summary (B) and paragraph text (D), "
        "english config; filled by the importer. Unused on SQLite (FTS5 table cable_fts).",
    )
    title_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text="PostgreSQL: subject (weight A) and summary (B) alone, small enough to stay "
        "in the row: ranks without reading whole cables. Unused on SQLite.",
    )

    objects = CableManager()

    class Meta:
        ordering = ["-created", "reference_id"]
        indexes = [
            # /cables/ lists newest first and filters by year/month and date ranges.
            models.Index(fields=["-created"], name="cable_created_idx"),
            # Origin facet and filter, /origins/; the previous and next cable from the same
            # post on a cable page: WHERE origin = %s AND (created, reference_id) < or > the
            # cable's, ORDER BY created, reference_id LIMIT 1.
            models.Index(
                fields=["origin", "created", "reference_id"], name="cable_origin_created_ref_idx"
            ),
            # Classification facet and filter.
            models.Index(fields=["classification", "created"], name="cable_class_created_idx"),
            # ?level= filter on /cables/: WHERE level IN (...), newest first.
            models.Index(fields=["level", "created"], name="cable_level_created_idx"),
            # /cables/?q=: WHERE search_vector @@ <tsquery> (a GIN index on PostgreSQL only).
            SearchGinIndex(fields=["search_vector"], name="cable_search_idx"),
            # /cables/?q="a phrase": the cables whose subject or summary has it, WHERE
            # title_vector @@ <tsquery> (the paragraphs' index finds the rest; see
            # PostgresEngine.filter).
            SearchGinIndex(fields=["title_vector"], name="cable_title_search_idx"),
            # Cables written but not yet indexed for search (SearchEngine.unindexed, after
            # every import): WHERE search_vector IS NULL.
            UnindexedIndex(
                fields=["id"], condition=Q(search_vector__isnull=True), name="cable_unindexed_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.reference_id

    def save(self, *args, **kwargs) -> None:
        """Saves the level and caveats of the classification with it (a classification saved
        by ``update_fields`` without it leaves them alone)."""
        update_fields = kwargs.get("update_fields")
        writes_classification = update_fields is None or "classification" in update_fields
        adding = self._state.adding
        if writes_classification:
            self.level, caveats = split_classification(self.classification)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "level"}
        super().save(*args, **kwargs)
        if writes_classification:
            self._save_caveats(caveats, adding)

    def get_absolute_url(self) -> str:
        return cable_path(self.reference_id)

    def get_json_url(self) -> str:
        return cable_path(self.reference_id, "cables:detail_json")

    def _save_caveats(self, caveats: list[str], adding: bool) -> None:
        if not adding:
            stored = list(
                CableCaveat.objects.filter(cable=self)
                .order_by("position")
                .values_list("caveat", flat=True)
            )
            if stored == caveats:
                return
            CableCaveat.objects.filter(cable=self).delete()
        CableCaveat.objects.bulk_create(
            CableCaveat(cable=self, caveat=caveat, position=i)
            for i, caveat in enumerate(caveats, 1)
        )

    @property
    def caveats(self) -> list[str]:
        """NOFORN, FOR OFFICIAL USE ONLY, ...: the classification's caveats (as stored in
        ``CableCaveat``; read from the classification, which they are parts of)."""
        return split_classification(self.classification)[1]

    @property
    def origin_slug(self) -> str:
        return origin_slug(self.origin)


class CableCaveat(models.Model):
    """A caveat of a cable's classification (NOFORN, FOR OFFICIAL USE ONLY, ...), written by
    ``Cable.save``."""

    # (no index of its own: cablecaveat_unique begins with cable_id)
    cable = models.ForeignKey(
        Cable, on_delete=models.CASCADE, related_name="caveat_rows", db_index=False
    )
    caveat = models.CharField(max_length=64)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["cable", "position"]
        constraints = [
            models.UniqueConstraint(fields=["cable", "caveat"], name="cablecaveat_unique"),
        ]
        indexes = [
            # ?caveat= filter on /cables/: cable_id IN (SELECT cable_id ... WHERE caveat IN ...).
            models.Index(fields=["caveat", "cable"], name="cablecaveat_caveat_cable_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.cable_id} {self.caveat}"


class CableTag(models.Model):
    """A cable's TAGS, in the order the cable lists them."""

    # (no indexes of their own: cabletag_unique begins with cable_id, cabletag_tag_cable_idx
    # with tag_id; each more would be written for every TAG of every cable imported)
    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, db_index=False)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, db_index=False)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["cable", "tag"], name="cabletag_unique"),
        ]
        indexes = [
            # Tag facet counts and ?tag= filters join from the tag side.
            models.Index(fields=["tag", "cable"], name="cabletag_tag_cable_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.cable_id} {self.tag_id}"


# The fields a cable page's list of similar cables shows.
SIMILAR_FIELDS = ("reference_id", "created", "origin", "subject")
_similar_page = Prepared(
    lambda *ids: Cable.objects.only(*SIMILAR_FIELDS).filter(pk__in=ids).order_by(),
    values=CableQuerySet.SIMILAR_LIMIT,
)


class Paragraph(models.Model):
    # (no index of its own: paragraph_position_unique begins with cable_id)
    cable = models.ForeignKey(
        Cable, on_delete=models.CASCADE, related_name="paragraphs", db_index=False
    )
    position = models.PositiveIntegerField()
    number = models.PositiveIntegerField(null=True, blank=True)
    marking = models.CharField(max_length=64, blank=True)
    heading = models.CharField(max_length=300, blank=True)
    anchor = models.CharField(
        max_length=32, help_text="Fragment id on the cable page: pN for paragraph N."
    )
    text = models.TextField()

    class Meta:
        ordering = ["cable", "position"]
        constraints = [
            models.UniqueConstraint(fields=["cable", "position"], name="paragraph_position_unique"),
            models.UniqueConstraint(fields=["cable", "anchor"], name="paragraph_anchor_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cable_id} {self.anchor}"

    def get_absolute_url(self) -> str:
        """The paragraph's permalink: the cable page scrolled to this paragraph."""
        return f"{self.cable.get_absolute_url()}#{self.anchor}"

    @staticmethod
    def anchors_for(numbers: list[int | None]) -> list[str]:
        """Stable, unique fragment ids: pN for numbered paragraph N, pN-2 for a repeated
        number, and u1, u2, ... for unnumbered paragraphs in order."""
        anchors, seen, unnumbered = [], set(), 0
        for number in numbers:
            if number is None:
                unnumbered += 1
                anchor = f"u{unnumbered}"
            else:
                anchor, k = f"p{number}", 1
                while anchor in seen:
                    k += 1
                    anchor = f"p{number}-{k}"
            seen.add(anchor)
            anchors.append(anchor)
        return anchors


class ParagraphVector(models.Model):
    """A paragraph's search vector (PostgreSQL; on SQLite the FTS5 table paragraph_fts does
    this job and this table stays empty).

    A table of its own: counting the paragraphs with hits of thousands of cables reads
    vectors and ids, not the paragraphs' text as well; and its rows are written once, by
    ``cables.search.index_cable`` (the importer calls it) with one INSERT ... SELECT per
    cable, rather than by an UPDATE of every paragraph just written (a dead copy of each).
    Rows go with their paragraph."""

    paragraph = models.OneToOneField(
        Paragraph, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="+")
    search_vector = SearchVectorField(help_text="The text, english config.")

    class Meta:
        indexes = [
            # Paragraphs with hits (count, ranking, snippets, cable page): WHERE
            # search_vector @@ <tsquery> (a GIN index on PostgreSQL only).
            SearchGinIndex(fields=["search_vector"], name="paragraph_search_idx"),
        ]

    def __str__(self) -> str:
        return str(self.paragraph_id)


class WordCounts(models.Model):
    """What a search for one frequent word counts, kept by the import (PostgreSQL): the
    paragraphs with hits of each cable that has some, and the rank of each subject and
    summary that holds the word (``cables.search.postgres``: ``keep_word_counts``).

    Counting them at a word's first search visits every paragraph row that has it: 0.7-1.1
    s for "government" at full size (375,000 paragraphs); read from here, a few
    milliseconds. Rows belong to one version of the archive (``ArchiveState``) and one way
    of ranking (``recipe``): any other is stale, never read, and dropped at the next
    keeping. Arrays as bytes (ids in 32 bits, counts in 16, ranks as ``real``)."""

    # The word's tsquery as PostgreSQL prints it ('govern'): what plainto_tsquery makes
    # of "government" or "governments", compared as text.
    query = models.TextField()
    archive_version = models.PositiveBigIntegerField()
    recipe = models.TextField(help_text="The text search config and rank weights used.")
    paragraph_cables = models.BinaryField()
    paragraph_hits = models.BinaryField()
    title_cables = models.BinaryField()
    title_ranks = models.BinaryField()

    class Meta:
        constraints = [
            # A search's lookup: WHERE query = ... AND archive_version = ... (one row).
            models.UniqueConstraint(
                fields=["query", "archive_version", "recipe"], name="word_counts_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.query} (archive version {self.archive_version})"


class ReferenceQuerySet(models.QuerySet):
    """The steps of a cable page's thread. Each is a query of a few cables' ids, by a
    statement compiled once for each number of ids (``Prepared``; at most ``THREAD_WIDTH``
    of them): the ORM spent ~2 ms building each, PostgreSQL 0.1 running it. Of every
    reference, whatever this queryset's filters."""

    def cited_from(self, cable_ids) -> list[dict]:
        """The cables in the archive that the given cables cite: one row per citation, with
        the citing cable's id (``from_id``) and the cited cable's summary, in REF order."""
        return self._step("cited_from", cable_ids)

    def citing(self, cable_ids) -> list[dict]:
        """The cables that cite the given cables: one row per citation, with the cited
        cable's id (``from_id``) and the citing cable's summary, newest first."""
        return self._step("citing", cable_ids)

    def _step(self, side: str, cable_ids) -> list[dict]:
        given, other, _, _ = _THREAD_SIDES[side]
        return [
            {
                "from_id": getattr(ref, f"{given}_id"),
                "id": getattr(ref, f"{other}_id"),
                "reference_id": getattr(ref, f"{other}_reference_id"),
                "created": getattr(ref, f"{other}_created"),
                "subject": getattr(ref, f"{other}_subject"),
            }
            for ref in _thread_step(side, len(cable_ids))(*cable_ids, using=self.db)
        ]


# What the thread shows of each cable in it.
THREAD_FIELDS = ("reference_id", "created", "subject")
# Each side of the thread: the end of a reference the given ids are, the end whose cables
# are listed, any more condition, the order.
_THREAD_SIDES = {
    "cited_from": ("cable", "target", {"target__isnull": False}, ("cable_id", "position", "id")),
    "citing": ("target", "cable", {}, ("-cable__created", "cable__reference_id", "id")),
}


@functools.lru_cache(maxsize=64)
def _thread_step(side: str, count: int) -> Prepared:
    given, other, condition, order = _THREAD_SIDES[side]
    return Prepared(
        lambda *ids: (
            Reference.objects.filter(**{f"{given}_id__in": ids}, **condition)
            .only("cable_id", "target_id")
            .annotate(**{f"{other}_{name}": F(f"{other}__{name}") for name in THREAD_FIELDS})
            .order_by(*order)
        ),
        values=count,
    )


class Reference(models.Model):
    """A REF line item: which cable (or other document) a cable cites."""

    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveSmallIntegerField()
    letter = models.CharField(max_length=8, blank=True)
    text = models.CharField(max_length=500)
    cited_id = models.CharField(max_length=64, blank=True)
    kind = models.CharField(
        max_length=16, default="cable", help_text='"cable", "email", "telcon", "memo", ...'
    )
    target = models.ForeignKey(
        Cable, null=True, blank=True, on_delete=models.SET_NULL, related_name="cited_by"
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["cable", "position"]
        indexes = [
            # Resolving references when the cited cable arrives later: WHERE cited_id = %s.
            models.Index(fields=["cited_id"], name="reference_cited_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.cable_id} -> {self.cited_id or self.text}"


class Recipient(models.Model):
    ACTION, INFO = "action", "info"
    KIND_CHOICES = [(ACTION, "Action"), (INFO, "Info")]

    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="recipients")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=KIND_CHOICES)
    name = models.CharField(max_length=300)
    route = models.CharField(max_length=32, blank=True)
    precedence = models.CharField(max_length=32, blank=True)
    mcn = models.CharField(max_length=16, blank=True, help_text="Message centre number.")

    class Meta:
        ordering = ["cable", "position"]

    def __str__(self) -> str:
        return self.name


class MentionQuerySet(models.QuerySet):
    def role_counts(self) -> dict[str, int]:
        """In one query: the distinct cables of these mentions, those signed, those
        classified, and the paragraphs naming (``/people/<slug>/``)."""
        return self.aggregate(
            cables=Count("cable", distinct=True),
            signed=Count("cable", distinct=True, filter=Q(role=Mention.SIGNER)),
            classified=Count("cable", distinct=True, filter=Q(role=Mention.CLASSIFIED_BY)),
            paragraphs=Count("paragraph", distinct=True),
        )


class Mention(models.Model):
    """A person named by a cable: as its signer, its classifying official, or in a paragraph."""

    SIGNER, CLASSIFIED_BY, NAMED = "signer", "classified_by", "named"
    ROLE_CHOICES = [(SIGNER, "Signer"), (CLASSIFIED_BY, "Classified by"), (NAMED, "Named")]

    # (no index of its own: mention_person_cable_idx begins with person_id)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="mentions", db_index=False
    )
    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="mentions")
    paragraph = models.ForeignKey(
        Paragraph, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions"
    )
    role = models.CharField(max_length=16, choices=ROLE_CHOICES)

    objects = MentionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "cable", "role"],
                condition=Q(paragraph__isnull=True),
                name="mention_unique_cable_role",
            ),
            models.UniqueConstraint(
                fields=["person", "paragraph"],
                condition=Q(paragraph__isnull=False),
                name="mention_unique_paragraph",
            ),
        ]
        indexes = [
            # A person's cables: WHERE person_id = %s.
            models.Index(fields=["person", "cable"], name="mention_person_cable_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.cable_id} ({self.role})"


class CablePerson(models.Model):
    """A person a cable names, once per cable whatever their roles and paragraphs (the
    mentions say which): what the person facet counts and the person filter looks up,
    a third of the mention rows. Written by the import with the mentions."""

    # No index of their own: cableperson_unique and cableperson_person_post_idx lead with them.
    cable = models.ForeignKey(
        Cable, on_delete=models.CASCADE, related_name="person_links", db_index=False
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="cable_links", db_index=False
    )
    # The cable's origin, copied (the cable's fields are only ever set by an import, which
    # writes the links again): whether a person is named by cables of a post is then one
    # look in an index, not a walk through every cable naming them (the import asks it of
    # the full names a surname written alone may mean: 251 ms a batch late in the release).
    origin = models.CharField(max_length=128)

    class Meta:
        constraints = [
            # Also the person facet's index: WHERE cable_id IN (<selection>) GROUP BY
            # person_id, read from the index alone.
            models.UniqueConstraint(fields=["cable", "person"], name="cableperson_unique"),
        ]
        indexes = [
            # A person's cables (person=, /people/<slug>/), their count per person
            # (refresh_cable_counts): WHERE person_id = %s; and whether cables of a post
            # name them (importer._PersonIndex): WHERE person_id = %s AND origin = %s.
            models.Index(fields=["person", "origin", "cable"], name="cableperson_person_post_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.cable_id}"


class Source(models.Model):
    """A file (or archive member, or CSV row) a cable was read from."""

    # (no index of its own: source_cable_path_unique begins with cable_id)
    cable = models.ForeignKey(
        Cable, on_delete=models.CASCADE, related_name="sources", db_index=False
    )
    path = models.TextField(help_text="File path, archive member or row it came from.")
    format = models.CharField(max_length=64)
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the record's text.")
    import_version = models.CharField(
        max_length=16,
        blank=True,
        help_text="The version of the readers, parser and importer that stored it "
        "(importer.import_version): a re-import skips a record read before by the same code.",
    )
    shown = models.BooleanField(
        default=False, help_text="The source whose text the archive shows for the cable."
    )
    # This source's version of the cable, kept so that a reader can see what differs.
    created = models.DateTimeField(null=True, blank=True)
    subject = models.TextField(blank=True)
    body = models.TextField(blank=True)
    partial = models.BooleanField(default=False)
    imported = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["imported", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cable", "path"], name="source_cable_path_unique"),
        ]
        indexes = [
            # A re-import skipping what it stored before: WHERE path IN (<a chunk's records>).
            models.Index(fields=["path"], name="source_path_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.path} ({self.format})"


# What a request has read once (``ArchiveState.current``): set while Django handles a
# request (``cables.apps``: the request_started and request_finished signals), None outside.
_request_memo: ContextVar[dict | None] = ContextVar("archive_request_memo", default=None)


def start_request_memo(**kwargs) -> None:
    _request_memo.set({})


def end_request_memo(**kwargs) -> None:
    _request_memo.set(None)


class ArchiveState(models.Model):
    """One row: a number every import that stores or changes a cable raises. Pages cached
    under it (``cables.cache``) are never served once it has moved on."""

    version = models.PositiveBigIntegerField(default=0)
    changed = models.DateTimeField(auto_now=True)

    ROW = 1
    # (a trillion first versions, each raised by an import: far from the field's limit)
    FIRST_VERSIONS = 2**40

    def __str__(self) -> str:
        return f"archive version {self.version}"

    @classmethod
    def current(cls) -> int:
        """The version now: a primary-key lookup, read by every cached page served (plain
        SQL: the ORM's building of the statement was two thirds of its 0.74 ms); read once
        per request (the page cache's key, the facet index, a search's kept counts all ask
        for it), so that a request sees one version throughout."""
        memo = _request_memo.get()
        if memo is not None and "version" in memo:
            return memo["version"]
        with connections[cls.objects.db].cursor() as cursor:
            cursor.execute(f"SELECT version FROM {cls._meta.db_table} WHERE id = %s", [cls.ROW])
            row = cursor.fetchone()
        version = row[0] if row else 0
        if memo is not None:
            memo["version"] = version
        return version

    @classmethod
    def bump(cls) -> None:
        """Raise the version: every page cached before is stale from now on."""
        if (memo := _request_memo.get()) is not None:
            memo.pop("version", None)
        if not cls.objects.filter(pk=cls.ROW).update(version=F("version") + 1):
            # An archive's first version is drawn at random, not 1: a database dropped and
            # made again where it was (the same page cache, the same key prefix) never
            # meets the numbers of the pages the one before it left there.
            first = secrets.randbelow(cls.FIRST_VERSIONS) + 1
            cls.objects.get_or_create(pk=cls.ROW, defaults={"version": first})
