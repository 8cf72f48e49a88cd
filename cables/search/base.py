"""The interface both search engines implement; views and querysets only use this."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from django.utils.safestring import SafeString

from .query import ParsedQuery

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cables.models import Cable, Paragraph

# Relevance: how much a hit in each part of a cable counts. A subject hit outweighs any
# number of hits in the text on both engines (see the engines for how each applies them).
SUBJECT_WEIGHT = 1.0
SUMMARY_WEIGHT = 0.4
TEXT_WEIGHT = 0.1

SNIPPETS_PER_CABLE = 3
SNIPPET_WORDS = 32


@dataclass(frozen=True)
class Snippet:
    """A matching paragraph of a cable: its anchor and a short excerpt with the hits marked."""

    cable_id: int
    anchor: str
    position: int
    html: SafeString  # escaped text with <mark>…</mark> around the hits
    text: str  # the same excerpt as plain text


class OrderedIds(Sequence):
    """A selection already matched and ordered, as the ids of its cables: what a Paginator
    pages through. Each page's cables are fetched by id and put in the order of the ids.

    The ids may be a numpy array, and best are when there are many: a list of 130,000
    Python ints is walked by every garbage collection of the young objects while the page
    is made (five or six a page: ~1 ms each at that size)."""

    def __init__(
        self, ids: Sequence[int] | np.ndarray, fetch: Callable[[list[int]], Iterable[Cable]]
    ) -> None:
        # ``fetch``: the cables with these ids, in any order.
        self.ids = ids
        self.fetch = fetch

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = self.ids[index]
        if isinstance(ids, np.ndarray):
            ids = ids.tolist()
        found = {cable.id: cable for cable in self.fetch(ids)}
        return [found[i] for i in ids if i in found]


@dataclass
class SearchResults:
    cables: QuerySet[Cable]  # the matching cables (facets, counts)
    ordered: Sequence[Cable] | QuerySet[Cable]  # the same, in order, for the paginator
    # The number of paragraphs with hits in the selection, when it came with the ordering.
    matching_paragraphs: int | None = None


class SearchEngine(ABC):
    """Full-text search over cables (subject, summary and paragraph text as one document)
    and over single paragraphs (for snippets, hit counts and the cable page).

    A cable matches when every group of the query (one word, phrase, or an OR of them) is
    somewhere in it, and no excluded word or phrase is. A paragraph *has a hit* when it
    contains any of the words or phrases looked for."""

    vendor: str

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
        """A search page's selection: ``cables`` (the search, and other filters if
        ``narrowed``) in the order ``sort`` (relevance, newest, oldest),
        ready to page through (``prepare`` gives the fields and prefetches a page needs),
        and the cables again as a queryset for the facets.

        ``on_selection``: called with that queryset as soon as it is known, before the
        ordering's work, so that the facets can be counted meanwhile (``cables.aside``).
        ``cleaned``: the page's valid parameters, which made ``cables`` (an engine may
        select by them some other way).

        By default the ordered queryset itself; an engine may instead hand on the ids,
        where that is cheaper."""
        if on_selection is not None:
            on_selection(cables)
        return SearchResults(cables=cables, ordered=prepare(cables.sorted_by(sort, query)))

    def expect_results(self, query: ParsedQuery, sort: str) -> None:
        """Told before ``filter`` when ``results`` will follow for the same query, in the
        order ``sort`` (an engine may start work ``results`` needs). Here, nothing."""
        return None

    def pinned(
        self, cables: QuerySet[Cable], cleaned: dict[str, Any] | None = None
    ) -> tuple[QuerySet[Cable], int | None]:
        """The selection to count facets over, and its number of cables where that came
        for free (else None); ``cleaned``: the valid parameters that made ``cables``. Here,
        ``cables`` as they are."""
        return cables, None

    def in_order(
        self,
        cables: QuerySet[Cable],
        sort: str,
        prepare: Callable[[QuerySet[Cable]], QuerySet[Cable]],
    ) -> Sequence[Cable] | None:
        """``cables`` (a selection from ``pinned``) in the order ``sort``, for a
        paginator, where the engine has a faster way than SQL's ORDER BY; else None."""
        return None

    @abstractmethod
    def filter(self, cables: QuerySet[Cable], query: ParsedQuery) -> QuerySet[Cable]:
        """The cables that match ``query`` (no ordering, no annotation)."""

    @abstractmethod
    def rank(self, cables: QuerySet[Cable], query: ParsedQuery) -> QuerySet[Cable]:
        """``cables`` annotated with ``search_rank``, higher is more relevant."""

    @abstractmethod
    def paragraphs_with_hits(
        self, paragraphs: QuerySet[Paragraph], query: ParsedQuery
    ) -> QuerySet[Paragraph]:
        """The paragraphs among ``paragraphs`` that contain a word or phrase looked for."""

    @abstractmethod
    def snippets(
        self, cable_ids: Iterable[int], query: ParsedQuery, per_cable: int = SNIPPETS_PER_CABLE
    ) -> dict[int, list[Snippet]]:
        """The best ``per_cable`` paragraphs with hits of each cable, best first. One query."""

    @abstractmethod
    def index_cable(self, cable_id: int) -> None:
        """Bring the search index up to date after a cable's rows were written."""

    @abstractmethod
    def index_cables(self, cable_ids: list[int]) -> None:
        """The same for a batch of cables, in a few set-based statements."""

    def unindexed(self) -> list[int]:
        """Cables whose rows were written but not indexed (an import stopped between the
        two, as imports before the vectors were written with the rows could); none where
        the rows index themselves."""
        return []

    def keep_word_counts(
        self,
        min_paragraphs: int | None = None,
        on_word: Callable[[str, int], None] | None = None,
        min_phrase_paragraphs: int | None = None,
    ) -> int:
        """Count what a search for each of the archive's frequent words and two-word
        phrases counts, and keep it for this version of the archive (the import's last
        step); the number counted. Nothing is kept on SQLite, the embedded database of
        small archives (its searches count as they go)."""
        return 0

    @abstractmethod
    def rebuild(self) -> None:
        """Index every cable and paragraph again from scratch."""
