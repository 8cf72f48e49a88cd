"""Pages of the archive: home, the filtered list of cables, one cable; and their JSON twins.

The views are thin: the selection is read and validated by ``CableFilter`` (the search
``q`` and ``sort`` included), facets come from ``CableQuerySet.facet_counts``, search
snippets and hits from ``cables.search``, and cables become dicts in ``serializers``.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import lru_cache, partial
from html import escape as html_escape
from typing import Any

from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Count, Max, Min, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from . import facet_index, search, serializers
from .aside import aside
from .cache import archive_key, keep, read
from .diff import differs, word_diff
from .filters import (
    EXCLUDE_PARAMS,
    FILTER_PARAMS,
    PARAM_LABELS,
    SORT_CHOICES,
    CableFilter,
    PersonIndexFilter,
    SearchForm,
    TagIndexFilter,
    ToggleLinks,
    html_query,
    month_name,
    query_page,
    query_replace,
    query_toggle,
    query_without,
)
from .models import (
    ArchiveState,
    Cable,
    CableCaveat,
    CableQuerySet,
    Mention,
    Paragraph,
    Person,
    Recipient,
    Reference,
    Tag,
)
from .paths import cable_path, route_path, tagged_list_path
from .prepared import Prepared, Together
from .reflinks import LIST, Target, link_references
from .templatetags.cable_text import text_blocks

# How many values of a facet are shown before the rest fold into "more".
FACET_VISIBLE = 10
# The most values a facet lists at all; a narrower selection shows the rest.
FACET_LIMIT = 250
HOME_TOP = 10
# The longest search a chip (and the page title) repeats in full.
CHIP_QUERY_LENGTH = 80


def page_size() -> int:
    return max(1, int(getattr(settings, "CABLES_PAGE_SIZE", 50)))


# --- the selection shared by /cables/ and /cables.json --------------------------------


@dataclass
class Selection:
    filterset: CableFilter
    page: Page | None
    cables: list[Cable]
    facets: dict[str, list[dict[str, Any]]]
    notices: list[str] = field(default_factory=list)
    query: search.ParsedQuery = field(default_factory=search.ParsedQuery)
    # With a full-text search: the best paragraphs of each cable on the page, by cable id,
    # and how many paragraphs have hits in the whole selection.
    snippets: dict[int, list[search.Snippet]] = field(default_factory=dict)
    matching_paragraphs: int | None = None
    # A reference id typed alone that names exactly one cable: go there.
    redirect_to: Cable | None = None


def selection_errors(filterset: CableFilter) -> dict[str, list[str]]:
    """The invalid parameters and what is wrong with each, as plain strings."""
    return {name: list(messages) for name, messages in filterset.errors.items()}


def _get_page(paginator: Paginator, raw: str | None) -> Page:
    """Page ``raw`` of the results; "last" is the last page. Anything else that is not a
    page number of this selection (junk, 0, past the end) is a 404."""
    number: str | int = raw or 1
    if raw == "last":
        number = paginator.num_pages
    try:
        return paginator.page(number)
    except InvalidPage as error:
        raise Http404(f"No such page: {raw}") from error


def _unknown_values(filterset: CableFilter) -> list[str]:
    """Why an empty result is empty, when a tag, origin or classification is not in the
    archive at all (checked only when nothing matched)."""
    cleaned = filterset.cleaned
    notices = []
    tags = cleaned.get("tag") or []
    if tags:
        known = set(Tag.objects.filter(code__in=tags).values_list("code", flat=True))
        notices += [f"No cable in the archive has the tag “{t}”." for t in tags if t not in known]
    slugs = cleaned.get("person") or []
    if slugs:
        known = set(Person.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        notices += [
            f"No person in the archive has the slug “{s}”." for s in slugs if s not in known
        ]
    caveats = cleaned.get("caveat") or []
    if caveats:
        known = set(
            CableCaveat.objects.filter(caveat__in=caveats)
            .order_by()
            .values_list("caveat", flat=True)
            .distinct()
        )
        notices += [
            f"No cable in the archive has the caveat “{c}”." for c in caveats if c not in known
        ]
    for name, what in (
        ("origin", "origin"),
        ("classification", "classification"),
        ("level", "classification level"),
    ):
        values = cleaned.get(name) or []
        if values:
            # One probe of the column's index per value (a DISTINCT over the values read
            # every row holding them: 170 ms for a common classification at full size).
            known = {v for v in values if Cable.objects.filter(**{name: v}).exists()}
            notices += [
                f"No cable in the archive has the {what} “{v}”." for v in values if v not in known
            ]
    return notices


ANY_OF_FACETS = ("year", "origin", "classification", "level", "caveat")

# A list page's facets, counted in three parts that may run side by side (``aside``): the
# cable's columns (one query; level and caveat come from the classification counts), the
# tags, the people. Each is a few tens of milliseconds for a search of a common word.
FACET_PARTS = (("year", "origin", "classification", "level", "caveat"), ("tag",), ("person",))


class FacetCounts:
    """The facet counts of a list page, started as soon as its selection is known and
    collected when the page needs them; with ``aside``, on other database connections
    while the request reads its page of cables and their snippets.

    With ``settings.ARCHIVE_SELECTION_CACHE``, kept in the page cache under the archive's
    version and the selection (``selection_params``): another page or order of the same
    selection reads them from there and counts nothing."""

    def __init__(self, query: search.ParsedQuery, params: QueryDict) -> None:
        # The page's search, parsed and looked up once: the wider selections below have
        # the same (only a facet's own values differ), and take its cables from it.
        self.query = query
        self.parts: list[Future[dict[str, list[dict]]]] = []
        self.key = None
        self.cached = None
        made_by = selection_params(params)
        # (The whole archive's counts are kept by ``facet_counts`` itself, for every page.)
        if settings.ARCHIVE_SELECTION_CACHE and made_by:
            digest = hashlib.sha256(json.dumps(made_by).encode()).hexdigest()
            self.key = archive_key("facets-of", ArchiveState.current(), digest)
            self.cached = read(self.key)
        # Counted over a wider selection ("any of" facets, months): these win.
        self.wider: list[Future[dict[str, list[dict]]]] = []

    def count(self, cables: QuerySet[Cable]) -> None:
        if self.cached is not None:
            return
        if not cables.query.where or facet_index.current() is not None:
            # The whole archive (kept counts and the page cache), or counted from the
            # facet index (milliseconds): one task.
            self.parts.append(aside(cables.facet_counts))
            return
        for part in FACET_PARTS:
            self.parts.append(aside(partial(cables.facet_counts, part)))

    def count_with(self, params: QueryDict, name: str) -> None:
        """The facet ``name`` counted over the selection ``params`` make (the filter too
        built in the worker thread: with a search, it looks the cables up)."""

        def counts() -> dict[str, list[dict]]:
            return self._selection(params).facet_counts((name,))

        if self.cached is None:
            self.wider.append(aside(counts))

    def _selection(self, params: QueryDict) -> QuerySet[Cable]:
        filterset = CableFilter(params, queryset=Cable.objects.all())
        filterset.search_query = self.query  # the same q: its lookup is reused
        cables = filterset.qs
        if not cables.query.where or facet_index.current() is None:
            return cables  # (the whole archive: its kept counts)
        # Counted by the index: the selection's ids, selected by it too where it can.
        return search.engine().pinned(cables, filterset.cleaned)[0]

    def count_months(self, year: int, cables: QuerySet[Cable] | QueryDict) -> None:
        """The months of ``year`` in a selection: a queryset, or the parameters making it."""

        def counts() -> dict[str, list[dict]]:
            selection = cables
            if not isinstance(selection, QuerySet):
                selection = self._selection(selection)
            return {"month": selection.month_counts(year)}

        if self.cached is None:
            self.parts.append(aside(counts))

    def result(self) -> dict[str, list[dict]]:
        if self.cached is not None:
            return self.cached
        counts: dict[str, list[dict]] = {}
        for part in self.parts + self.wider:
            counts |= part.result()
        counts = {name: counts[name] for name in CableQuerySet.FACETS if name in counts} | counts
        if self.key is not None:
            keep(self.key, counts)
        return counts


def selection_params(params: QueryDict) -> list[tuple[str, list[str]]]:
    """What makes a selection of /cables/: its parameters but the page and the order, each
    name's values in any order (they are "any of" each other)."""
    return sorted(
        (name, sorted(values)) for name, values in params.lists() if name not in ("page", "sort")
    )


def select_cables(request: HttpRequest) -> Selection:
    """Filter (and search), count facets and paginate ``/cables/`` (and its JSON twin).

    A fixed number of queries whatever the page size: count, page, tags of the page,
    one per facet (plus months within a single year); with a search, the snippets of the
    page and the count of paragraphs with hits; with a query shaped like a reference id,
    the lookup of that id.
    """
    filterset = CableFilter(request.GET, queryset=Cable.objects.all())
    query = filterset.search_query
    if len(filterset.reference_matches) == 1:
        (reference_id,) = filterset.reference_matches
        cable = serializers.summary_queryset(Cable.objects.filter(reference_id=reference_id))
        return Selection(
            filterset=filterset,
            page=None,
            cables=[],
            facets={},
            query=query,
            redirect_to=cable.get(),
        )
    engine = search.engine()
    if filterset.searching:
        engine.expect_results(query, filterset.sort_order)
    queryset = filterset.qs
    matching_paragraphs = None
    count = None  # the selection's size, where it came for free
    facets = FacetCounts(query, request.GET)
    # "Any of" facets keep offering their other values: each is counted over the selection
    # made by every other parameter (one more query per such facet in use).
    for name in ANY_OF_FACETS:
        if filterset.cleaned.get(name):
            others = request.GET.copy()
            others.pop(name)
            if name == "year":
                others.pop("month", None)
            facets.count_with(others, name)
    if filterset.searching:
        results = engine.results(
            queryset,
            query,
            filterset.sort_order,
            prepare=serializers.summary_queryset,
            narrowed=filterset.filtered_besides_search,
            on_selection=facets.count,
            cleaned=filterset.cleaned,
        )
        queryset, ordered = results.cables, results.ordered
        matching_paragraphs = results.matching_paragraphs
    else:
        if filterset.filtered_besides_search:
            queryset, count = engine.pinned(queryset, filterset.cleaned)
        elif not queryset.query.where and (index := facet_index.current()) is not None:
            # The whole archive: as many cables as the index of its version holds (counting
            # them in SQL reads the whole table: ~50 ms at full size, for every page).
            count = index.cables
        facets.count(queryset)
        ordered = engine.in_order(queryset, filterset.sort_order, serializers.summary_queryset)
        if ordered is None:
            ordered = serializers.summary_queryset(filterset.sorted(queryset))
    if count is None:
        paginator = Paginator(ordered, page_size())
    else:
        paginator = CountedPaginator(ordered, page_size(), count)
    page = _get_page(paginator, request.GET.get("page"))
    cables = list(page.object_list)
    year = filterset.selected_year()
    if year is not None:
        # Months are "any of" as well: with months chosen, the other months of the year are
        # counted too (the same one query, over the selection without its months), so the
        # facet and the timeline keep offering them.
        months_of: QuerySet[Cable] | QueryDict = queryset
        if filterset.cleaned.get("month"):
            months_of = request.GET.copy()
            months_of.pop("month")
        facets.count_months(year, months_of)
    notices = list(query.notices)
    if len(filterset.reference_matches) > 1:
        notices.append(
            f"{len(filterset.reference_matches)} cables of different years are numbered "
            f"{query.reference}: choose one."
        )
    if paginator.count == 0:
        notices += _unknown_values(filterset)
    selection = Selection(
        filterset=filterset,
        page=page,
        cables=cables,
        facets={},
        notices=notices,
        query=query,
    )
    if filterset.sort_order == "cited" and any(not hasattr(c, "cited_count") for c in cables):
        # The page read by id (a search on PostgreSQL): its counts in one more query.
        counts = dict(
            Cable.objects.filter(id__in=[cable.id for cable in cables])
            .with_cited_count()
            .values_list("id", "cited_count")
        )
        for cable in cables:
            cable.cited_count = counts.get(cable.id, 0)
    if filterset.searching:
        selection.snippets = engine.snippets([cable.id for cable in cables], query)
        if matching_paragraphs is None:
            paragraphs = Paragraph.objects.all()
            if filterset.filtered_besides_search or not query.hits_imply_match:
                # Else every paragraph with a hit is in the selection: no join needed.
                paragraphs = paragraphs.filter(cable__in=queryset.values("id"))
            matching_paragraphs = engine.paragraphs_with_hits(paragraphs, query).count()
        selection.matching_paragraphs = matching_paragraphs
    selection.facets = facets.result()
    return selection


def _search_url(cable: Cable, query: search.ParsedQuery, anchor: str = "") -> str:
    """The cable page with the search's words highlighted, at one paragraph."""
    url = cable.get_absolute_url()
    if query.searchable:
        url += "?" + urlencode({"q": query.raw.strip()})
    return f"{url}#{anchor}" if anchor else url


def _result_snippets(cable: Cable, selection: Selection) -> list[dict[str, Any]]:
    """A result's best paragraphs: anchor, link to the paragraph (words highlighted) and
    the excerpt as safe HTML (escaped, hits in <mark>)."""
    snippets = selection.snippets.get(cable.id, [])
    if not snippets:
        return []
    url = _search_url(cable, selection.query)
    return [
        {
            "anchor": snippet.anchor,
            "label": _paragraph_label(snippet.anchor),
            "url": f"{url}#{snippet.anchor}",
            "html": snippet.html,
        }
        for snippet in snippets
    ]


def _paragraph_label(anchor: str) -> str:
    """How a paragraph is named to a reader: "3" for p3, "3-2" for p3-2, "" for the
    unnumbered u1, u2..."""
    if not anchor.startswith("p"):
        return ""
    return anchor[1:]


# --- HTML helpers -----------------------------------------------------------------------


FACET_ORDER = [
    ("year", "Year"),
    ("month", "Month"),
    ("tag", "Tags"),
    ("person", "People"),
    ("origin", "Origin"),
    ("classification", "Classification"),
    ("level", "Level"),
    ("caveat", "Caveat"),
]


def _splits(rows: list[dict], total: int) -> bool:
    """Whether choosing a value of a facet would narrow the selection: some value is held
    by some of its cables but not all (a facet whose every value holds every cable, or
    with no value at all, cannot narrow it)."""
    return any(0 < row["count"] < total for row in rows)


def _facet_blocks(
    request: HttpRequest, facets: dict[str, list[dict]], total: int | None = None
) -> list[dict[str, Any]]:
    """Facets as the template shows them: each value with its count, the link that adds
    it to the selection (or removes it, when selected) and the link that leaves its cables
    out (``exclude_<facet>``).

    The order: the fixed order of ``FACET_ORDER`` (when, what about, who, where from, how
    secret), except that the facets that cannot narrow the selection (``_splits``: every
    cable has the same origin, say) and have no value selected go last. With ``total``
    unknown, the fixed order alone."""
    path = html_escape(request.path)
    links = ToggleLinks(request.GET)
    blocks = []
    for name, label in FACET_ORDER:
        if name not in facets:
            continue
        selected = set(request.GET.getlist(name))
        exclude = EXCLUDE_PARAMS.get(name)
        values = []
        for row in facets[name][:FACET_LIMIT]:
            value = row["value"]
            item = {
                "value": value,
                "label": month_name(value) if name == "month" else row.get("name") or str(value),
                "title": row.get("description", ""),
                "count": row["count"],
                "selected": str(value) in selected,
                # Escaped for HTML already (``_facet_value_html``).
                "href": path + html_query(links.toggle(name, value)),
                "exclude_href": path + html_query(links.toggle(exclude, value)) if exclude else "",
            }
            item["html"] = _facet_value_html(item)
            values.append(item)
        top = [v for i, v in enumerate(values) if i < FACET_VISIBLE or v["selected"]]
        more = [v for i, v in enumerate(values) if i >= FACET_VISIBLE and not v["selected"]]
        useful = total is None or bool(selected) or _splits(facets[name], total)
        blocks.append(
            {
                "name": name,
                "label": label,
                "top": top,
                "more": more,
                # Joined here: the template output hundreds of values one by one (~8 ms).
                "top_html": mark_safe("".join(item["html"] for item in top)),  # noqa: S308 - each escaped by _facet_value_html
                "more_html": mark_safe("".join(item["html"] for item in more)),  # noqa: S308 - as above
                "hidden": max(0, len(facets[name]) - FACET_LIMIT),
                "useful": useful,
            }
        )
    # sorted() is stable: the useful facets in the fixed order, then the others.
    return sorted(blocks, key=lambda block: not block["useful"])


@lru_cache(maxsize=16384)
def _escaped(text: str) -> str:
    """``html.escape``, kept: the same labels and descriptions come back on every page."""
    return html_escape(text)


def _facet_value_html(item: dict[str, Any]) -> SafeString:
    """One value of a facet as a list item, rendered here rather than by a template include:
    a search page lists several hundred values, and the template engine took most of the
    page's Python time over them. Every piece of text is escaped here (the standard
    library's ``html.escape``, which Django's ``escape`` wraps at three times the cost)."""
    selected = item["selected"]
    title = _escaped(item["title"] or "")
    label = _escaped(item["label"])
    title_attribute = f' title="{title}"' if title else ""
    description = f' <span class="facet__desc">{title}</span>' if title else ""
    exclude = ""
    if item["exclude_href"] and not selected:
        exclude = (
            f'  <a class="facet__exclude" href="{item["exclude_href"]}" '
            f'title="Leave out these cables" aria-label="Exclude {label}">−</a>\n'
        )
    return SafeString(  # the hrefs come escaped; the title and label are escaped here
        f'<li class="facet__value{" is-selected" if selected else ""}">\n'
        f'  <a href="{item["href"]}"{title_attribute}'
        f"{' aria-current="true"' if selected else ''}>\n"
        f'    <span class="facet__check" aria-hidden="true">{"✓" if selected else ""}</span>\n'
        f'    <span class="facet__label">{label}</span>{description}'
        f"{'<span class="visually-hidden"> (selected; remove)</span>' if selected else ''}\n"
        f'    <span class="count">{int(item["count"])}</span>\n  </a>\n{exclude}</li>\n'
    )


# --- the timeline: the selection's cables per year (or month), as an SVG bar chart -----------

# The chart's drawing area, in SVG user units (it scales to the width of the page): room
# for the counts above the bars and the labels below them.
TIMELINE_WIDTH, TIMELINE_HEIGHT, TIMELINE_LABELS, TIMELINE_TOP = 640, 120, 18, 14
# The most labels under the bars (every nth year is labelled beyond this); with at most
# this many bars, each shows its count above it.
TIMELINE_TICKS = 12
TIMELINE_COUNTED = 24
# The widest bar (a few years would otherwise be slabs).
TIMELINE_BAR = 56


def _cables_phrase(count: int) -> str:
    return f"{count:,} cable{'' if count == 1 else 's'}"


def _timeline(
    request: HttpRequest, filterset: CableFilter, facets: dict[str, list[dict]]
) -> dict[str, Any] | None:
    """The bars of the timeline, from the year facet (every year from the first to the
    last of the selection, empty years included) or, with one year selected, from the
    month facet (its twelve months): no query of its own. Each bar with cables links to
    the list narrowed to its year or month (a selected one: back out of it)."""
    year = filterset.selected_year()
    if year is not None and "month" in facets:
        name = "month"
        counts = {row["value"]: row["count"] for row in facets["month"]}
        keys = list(range(1, 13))
        selected = set(filterset.cleaned.get("month") or [])

        def label(key: int) -> str:
            return f"{month_name(key)} {year}"

        def tick(key: int) -> str:
            return month_name(key)[:3]

        title = f"Cables per month, {year}"
    else:
        name = "year"
        counts = {row["value"]: row["count"] for row in facets.get("year", [])}
        if not counts:
            return None
        keys = list(range(min(counts), max(counts) + 1))
        selected = set(filterset.cleaned.get("year") or [])
        label = str

        def tick(key: int) -> str:
            step = -(-len(keys) // TIMELINE_TICKS)  # ceiling
            return str(key) if (key - keys[0]) % step == 0 else ""

        title = "Cables per year"
    total, highest = sum(counts.values()), max(counts.values(), default=0)
    if not highest:
        return None
    slot = TIMELINE_WIDTH / len(keys)
    bar_width = min(slot * 0.8, TIMELINE_BAR)
    plot = TIMELINE_HEIGHT - TIMELINE_LABELS
    show_counts = len(keys) <= TIMELINE_COUNTED
    bars = []
    for i, key in enumerate(keys):
        count = counts.get(key, 0)
        height = (plot - TIMELINE_TOP) * count / highest
        if count:
            height = max(height, 1.0)  # a bar of one cable among thousands stays visible
        is_selected = key in selected
        if is_selected:
            url = request.path + query_toggle(request.GET, name, key)
        else:
            url = request.path + query_replace(request.GET, name, key)
        bars.append(
            {
                "key": key,
                "label": f"{label(key)}: {_cables_phrase(count)}",
                "count": count,
                "url": url if count else "",
                "selected": is_selected,
                "slot_x": f"{i * slot:.1f}",
                "slot_width": f"{slot:.1f}",
                "x": f"{i * slot + (slot - bar_width) / 2:.1f}",
                "width": f"{bar_width:.1f}",
                "y": f"{plot - height:.1f}",
                "count_y": f"{plot - height - 3:.1f}",
                "count_text": f"{count:,}" if show_counts and count else "",
                "height": f"{height:.1f}",
                "center": f"{i * slot + slot / 2:.1f}",
                "tick": tick(key),
            }
        )
    busiest = max(keys, key=lambda key: counts.get(key, 0))
    span = f"{label(keys[0])} to {label(keys[-1])}"
    return {
        "name": name,
        "title": title,
        "desc": (
            f"A bar chart of the {_cables_phrase(total)} of this selection, {span}; the most, "
            f"{counts[busiest]:,}, in {label(busiest)}. Each bar links to its part of the list."
        ),
        "bars": bars,
        "width": TIMELINE_WIDTH,
        "height": TIMELINE_HEIGHT,
        "plot": plot,
        "label_y": TIMELINE_HEIGHT - 4,
    }


def _chips(
    request: HttpRequest, filterset: CableFilter, names: dict[str, dict[str, str]] | None = None
) -> list[dict[str, Any]]:
    """One removable chip per selected value, invalid ones included (so they can go);
    ``names`` shows a value by its name (``{"person": {slug: name}}``)."""
    names = names or {}
    errors = filterset.errors
    chips = []
    for name in FILTER_PARAMS:
        seen = set()
        for raw in request.GET.getlist(name):
            if not raw.strip() or raw in seen:
                continue
            seen.add(raw)
            label = raw
            # isdecimal, not isdigit: "²" is a digit int() refuses; and a short one, as int()
            # refuses a number of more than 4300 digits.
            if name == "month" and raw.isdecimal() and len(raw) <= 2 and 1 <= int(raw) <= 12:
                label = month_name(int(raw))
            label = names.get(name.removeprefix("exclude_"), {}).get(raw.strip(), label)
            if name == "q" and len(raw) > CHIP_QUERY_LENGTH:
                label = raw[: CHIP_QUERY_LENGTH - 1].rstrip() + "…"
            # A whole parameter is ignored when it has an error; mark the values at fault
            # (messages about one value start with it in quotes) or, else, all of them.
            messages = errors.get(name, [])
            specific = [m for m in messages if m.startswith("“")]
            invalid = bool(messages) and (
                not specific or any(m.startswith(f"“{raw.strip()}”") for m in specific)
            )
            chips.append(
                {
                    "name": name,
                    "label": PARAM_LABELS[name],
                    "value": label,
                    "invalid": invalid,
                    "excluded": name.startswith("exclude_"),
                    "url": request.path + query_without(request.GET, name, raw),
                }
            )
    return chips


# What the previous and next pages hold, in each order.
PAGE_LABELS = {
    "newest": ("← Newer", "Older →"),
    "oldest": ("← Older", "Newer →"),
    "relevance": ("← Previous", "Next →"),
    "cited": ("← More cited", "Less cited →"),
}


def _page_links(request: HttpRequest, page: Page, sort: str = "newest") -> dict[str, Any]:
    path = request.path
    previous_label, next_label = PAGE_LABELS[sort]

    def url(number: int) -> str:
        return path + query_page(request.GET, number)

    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return {
        "previous_label": previous_label,
        "next_label": next_label,
        "previous": url(page.previous_page_number()) if page.has_previous() else None,
        "next": url(page.next_page_number()) if page.has_next() else None,
        "pages": [
            {"number": n, "url": url(n), "current": n == page.number}
            if isinstance(n, int)
            else {"ellipsis": True}
            for n in numbers
        ],
    }


# --- views ------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    """What is in the archive, with ways into it."""
    totals = Cable.objects.aggregate(
        count=Count("id"), earliest=Min("created"), latest=Max("created")
    )
    context: dict[str, Any] = {"totals": totals}
    if totals["count"]:
        facets = Cable.objects.all().facet_counts()
        list_url = reverse("cables:list")

        def linked(name: str, rows: list[dict], limit: int | None = None) -> list[dict]:
            return [
                {**row, "url": list_url + query_toggle(QueryDict(), name, row["value"])}
                for row in rows[:limit]
            ]

        context.update(
            years=linked("year", sorted(facets["year"], key=lambda r: r["value"])),
            classifications=linked("classification", facets["classification"]),
            origins=linked("origin", facets["origin"], HOME_TOP),
            origin_count=len(facets["origin"]),
            tags=linked("tag", facets["tag"], HOME_TOP * 2),
            tag_count=len(facets["tag"]),
            people=[
                {**row, "url": reverse("cables:person", args=[row["value"]])}
                for row in facets["person"][:HOME_TOP]
            ],
        )
    return render(request, "cables/home.html", context)


SORT_LABELS = dict(SORT_CHOICES)


def _sort_links(request: HttpRequest, filterset: CableFilter) -> list[dict[str, Any]]:
    """The orders a reader can switch to (relevance only with a search)."""
    return [
        {
            "value": value,
            "label": label,
            "current": value == filterset.sort_order,
            "url": request.path + query_replace(request.GET, "sort", value),
        }
        for value, label in SORT_CHOICES
        if value != "relevance" or filterset.searching
    ]


def _person_names(filterset: CableFilter, selection: Selection) -> dict[str, str]:
    """The names of the people selected (``?person=``), for their chips: from the person
    facet, where a selected person is (they are named by every cable of the selection);
    the others (an empty selection, an unknown slug) looked up in one query."""
    slugs = [
        *(filterset.cleaned.get("person") or []),
        *(filterset.cleaned.get("exclude_person") or []),
    ]
    names = {row["value"]: row["name"] for row in selection.facets.get("person", [])}
    missing = [slug for slug in slugs if slug not in names]
    if missing:
        names |= dict(Person.objects.filter(slug__in=missing).values_list("slug", "name"))
    return names


def cable_list(request: HttpRequest) -> HttpResponse:
    """``/cables/``: the selection (a search, or all cables), with facets; 400 if a
    parameter is bad. A reference id typed alone as the search goes to that cable."""
    selection = select_cables(request)
    if selection.redirect_to is not None:
        return HttpResponseRedirect(selection.redirect_to.get_absolute_url())
    filterset = selection.filterset
    query = selection.query
    highlighter = search.Highlighter(query) if filterset.searching else None
    for cable in selection.cables:
        cable.search_snippets = _result_snippets(cable, selection)
        cable.subject_html = highlighter.html(cable.subject) if highlighter else None
    person_names = _person_names(filterset, selection)
    count = selection.page.paginator.count
    exports = query_page(request.GET, 1)
    context = {
        "page_obj": selection.page,
        "cables": selection.cables,
        "count": count,
        "description": filterset.describe(person_names),
        "timeline": _timeline(request, filterset, selection.facets),
        "facets": _facet_blocks(request, selection.facets, count),
        "chips": _chips(request, filterset, {"person": person_names}),
        "errors": filterset.error_messages(),
        "notices": selection.notices,
        "pagination": _page_links(request, selection.page, filterset.sort_order),
        "json_url": reverse("cables:list_json") + query_page(request.GET, selection.page.number),
        "csv_url": reverse("cables:list_csv") + exports,
        "jsonl_url": reverse("cables:list_jsonl") + exports,
        "atom_url": reverse("cables:list_atom") + exports,
        "export_limit": export_limit(),
        "query": query,
        "q": query.raw.strip(),
        "searching": filterset.searching,
        "matching_paragraphs": selection.matching_paragraphs,
        "sort": filterset.sort_order,
        "sort_label": SORT_LABELS[filterset.sort_order],
        "sort_links": _sort_links(request, filterset),
        # The search form on the list keeps the other parameters of the selection.
        "search_hidden": [
            (name, value)
            for name, values in request.GET.lists()
            if name not in ("q", "page")
            for value in values
        ],
        "search_within": filterset.filtered_besides_search,
    }
    return render(request, "cables/list.html", context, status=400 if context["errors"] else 200)


def cable_list_json(request: HttpRequest) -> JsonResponse:
    """``/cables.json``: the same selection as ``/cables/``, as JSON; with a search, each
    result carries its best paragraphs as ``snippets``."""
    filterset = CableFilter(request.GET, queryset=Cable.objects.none())
    if filterset.errors:
        return JsonResponse({"errors": dict(selection_errors(filterset))}, status=400)
    try:
        selection = select_cables(request)
    except Http404:
        return JsonResponse({"errors": {"page": ["No such page of results."]}}, status=404)
    query = selection.query
    search_part: dict[str, Any] = {}
    if query.given:
        search_part = {
            "query": query.raw.strip(),
            "understood_as": str(query),
            "notices": selection.notices,
            "matching_paragraphs": selection.matching_paragraphs,
            "sort": selection.filterset.sort_order,
        }
    if selection.redirect_to is not None:
        # A reference id typed alone: the cable it names, and where the page would go.
        cable = selection.redirect_to
        return JsonResponse(
            {
                "count": 1,
                "page": 1,
                "num_pages": 1,
                "next": None,
                "previous": None,
                "redirect": cable.get_absolute_url(),
                **search_part,
                "results": [serializers.cable_summary(cable) | {"snippets": []}],
                "facets": {},
            }
        )
    page = selection.page
    path = request.path

    def result(cable: Cable) -> dict[str, Any]:
        summary = serializers.cable_summary(cable)
        if hasattr(cable, "cited_count"):
            summary["cited_by_count"] = cable.cited_count
        if selection.filterset.searching:
            summary["snippets"] = [
                {"anchor": s["anchor"], "url": s["url"], "html": str(s["html"])}
                for s in _result_snippets(cable, selection)
            ]
        return summary

    return JsonResponse(
        {
            "count": page.paginator.count,
            "description": selection.filterset.describe(
                _person_names(selection.filterset, selection)
            ),
            "page": page.number,
            "num_pages": page.paginator.num_pages,
            "next": path + query_page(request.GET, page.next_page_number())
            if page.has_next()
            else None,
            "previous": path + query_page(request.GET, page.previous_page_number())
            if page.has_previous()
            else None,
            **search_part,
            "results": [result(cable) for cable in selection.cables],
            "facets": {
                name: [_json_facet_row(name, row) for row in rows]
                for name, rows in selection.facets.items()
            },
        }
    )


# --- exports of a selection: CSV, JSON Lines, Atom -----------------------------------------

# Rows read from the database at a time by a streamed export.
EXPORT_CHUNK = 2000
# The newest cables of the selection an Atom feed holds.
FEED_SIZE = 50
CSV_COLUMNS = ("id", "url", "created", "classification", "origin", "subject", "tags", "partial")


def export_limit() -> int:
    """The most rows an export streams (``CABLES_EXPORT_LIMIT``, 100,000 by default)."""
    return max(1, int(getattr(settings, "CABLES_EXPORT_LIMIT", 100_000)))


def _export_selection(request: HttpRequest) -> CableFilter:
    """The selection of ``/cables/`` for an export (its page number ignored)."""
    return CableFilter(request.GET, queryset=Cable.objects.all())


def _export_errors(filterset: CableFilter) -> HttpResponse:
    """A bad parameter: 400, the messages as plain text."""
    return HttpResponse(
        "\n".join(filterset.error_messages()) + "\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def _export_rows(request: HttpRequest, filterset: CableFilter) -> Iterator[dict[str, Any]]:
    """Every cable of the selection in the list's order, up to ``export_limit()``, as the
    JSON's summary with absolute URLs; read ``EXPORT_CHUNK`` at a time (one query for
    the cables and one for their tags per chunk)."""
    ordered = serializers.summary_queryset(filterset.sorted(filterset.qs))[: export_limit()]
    base_url = request.build_absolute_uri("/").rstrip("/")
    for cable in ordered.iterator(chunk_size=EXPORT_CHUNK):
        row = serializers.cable_summary(cable)
        row["url"] = base_url + row["url"]
        row["json_url"] = base_url + row["json_url"]
        yield row


class _Echo:
    """A file-like object that hands back what is written (``csv.writer`` into a stream)."""

    def write(self, value: str) -> str:
        return value


def _download(stream: Iterator[str], content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Export-Limit"] = str(export_limit())
    return response


# A spreadsheet reads a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """A text cell of an export, kept from being run as a formula by a spreadsheet (the
    cables' text is not ours): a leading ``=``, ``+``, ``-``, ``@``, tab or return gets an
    apostrophe before it (OWASP's advice on CSV injection)."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def cable_list_csv(request: HttpRequest) -> HttpResponse:
    """``/cables.csv?...``: every cable of the ``/cables/`` selection (up to
    ``export_limit()``), streamed as CSV: id, url, created, classification, origin,
    subject, tags (separated by spaces), partial; text cells through ``csv_text``."""
    filterset = _export_selection(request)
    if filterset.errors:
        return _export_errors(filterset)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(CSV_COLUMNS)
        for row in _export_rows(request, filterset):
            yield writer.writerow(
                [
                    *(row[name] for name in CSV_COLUMNS[:3]),
                    *(csv_text(row[name]) for name in CSV_COLUMNS[3:6]),
                    csv_text(" ".join(row["tags"])),
                    "true" if row["partial"] else "false",
                ]
            )

    return _download(lines(), "text/csv; charset=utf-8", "cables.csv")


def cable_list_jsonl(request: HttpRequest) -> HttpResponse:
    """``/cables.jsonl?...``: the same cables as ``/cables.csv``, one JSON object a line
    (the shape of a ``/cables.json`` result, with absolute URLs)."""
    filterset = _export_selection(request)
    if filterset.errors:
        return _export_errors(filterset)
    lines = (json.dumps(row, ensure_ascii=False) + "\n" for row in _export_rows(request, filterset))
    return _download(lines, "application/x-ndjson; charset=utf-8", "cables.jsonl")


def cable_list_atom(request: HttpRequest) -> HttpResponse:
    """``/cables.atom?...``: the newest ``FEED_SIZE`` cables of the selection as an Atom
    feed (subject as title, summary as an escaped text, tags as categories)."""
    filterset = _export_selection(request)
    if filterset.errors:
        return _export_errors(filterset)
    names = dict(
        Person.objects.filter(
            slug__in=[
                *(filterset.cleaned.get("person") or []),
                *(filterset.cleaned.get("exclude_person") or []),
            ]
        ).values_list("slug", "name")
    )
    query = query_page(request.GET, 1)
    feed = Atom1Feed(
        title=f"Cable archive: {filterset.describe(names)}",
        link=request.build_absolute_uri(reverse("cables:list") + query),
        feed_url=request.build_absolute_uri(reverse("cables:list_atom") + query),
        description=filterset.describe(names),
        language="en",
    )
    selection = filterset.qs
    if filterset.filtered_besides_search:
        selection, _ = _pinned(selection, filterset.cleaned)
    cables = _newest_first(selection, ("summary",))[:FEED_SIZE]
    for cable in cables:
        url = request.build_absolute_uri(cable.get_absolute_url())
        subject = " ".join(cable.subject.split()) or "(no subject)"
        feed.add_item(
            title=f"{cable.reference_id}: {subject}",
            link=url,
            unique_id=url,
            # The feed says its summaries are HTML: the cable's text is escaped into it.
            description=escape(cable.summary or cable.subject),
            pubdate=cable.created,
            updateddate=cable.created,
            author_name=cable.origin,
            categories=[cable.classification, *serializers.tag_codes(cable)],
        )
    return HttpResponse(
        feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8"
    )


def _pinned(cables: QuerySet[Cable], cleaned: dict[str, Any]) -> tuple[QuerySet[Cable], int | None]:
    """A selection made by the list's parameters ``cleaned`` (a tag, a person, origins...)
    looked up once by the facet index, as the list does (``pinned``), and its number of
    cables; as it is (and None) while the index is not ready: looking its ids up in SQL
    would cost more than it saves."""
    if facet_index.current() is None:
        return cables, None
    return search.engine().pinned(cables, cleaned)


def _newest_first(cables: QuerySet[Cable], more_fields: tuple[str, ...] = ()) -> Sequence[Cable]:
    """A selection's cables newest first, with what ``summary_queryset`` reads (and
    ``more_fields``): put in order by the facet index when it is pinned (``_pinned``) and
    the index ready, as the list does (PostgreSQL sorting PREL's 133,000 cables by date
    for a feed of 50: 1.3 s at full size), else in SQL."""

    def prepare(selection: QuerySet[Cable]) -> QuerySet[Cable]:
        return serializers.summary_queryset(selection).only(
            *serializers.SUMMARY_FIELDS, *more_fields
        )

    ordered = search.engine().in_order(cables, "newest", prepare)
    return ordered if ordered is not None else prepare(cables.newest_first())


def _json_facet_row(name: str, row: dict[str, Any]) -> dict[str, Any]:
    """A facet value in the JSON: value and count; a tag also its description and kind, a
    person (value: the slug) their name."""
    if name == "person":
        return {"value": row["value"], "name": row["name"], "count": row["count"]}
    if name == "tag":
        return {
            "value": row["value"],
            "description": row.get("description", ""),
            "kind": row.get("kind", ""),
            "count": row["count"],
        }
    return {"value": row["value"], "count": row["count"]}


def _find_cable(reference_id: str, statement: Together | None = None) -> Cable | str:
    """The cable with this id (read by ``statement``, from ``serializers.detail_statement``),
    or the canonical (upper-case) id to redirect to."""
    cable = serializers.detail_cable(reference_id, statement=statement)
    if cable is not None:
        return cable
    canonical = reference_id.upper()
    if canonical != reference_id and Cable.objects.filter(reference_id=canonical).exists():
        return canonical
    raise Http404(f"No cable {reference_id} in the archive.")


def _search_hits(cable: Cable, paragraphs: list[Paragraph], query: search.ParsedQuery):
    """Mark the search's words in the cable page, and link its paragraphs with hits to each
    other (previous/next hit), all without JavaScript. One query: which paragraphs have
    hits, as the search engine sees them (stemming included)."""
    highlighter = search.Highlighter(query)
    hit_ids = set(
        search.engine()
        .paragraphs_with_hits(Paragraph.objects.filter(cable=cable), query)
        .values_list("id", flat=True)
    )
    hits = [p for p in paragraphs if p.id in hit_ids]
    for paragraph in paragraphs:
        paragraph.search_hit = paragraph.id in hit_ids
    for i, paragraph in enumerate(hits):
        paragraph.hit_number = i + 1
        paragraph.previous_hit = hits[i - 1].anchor if i > 0 else None
        paragraph.next_hit = hits[i + 1].anchor if i + 1 < len(hits) else None
    return {
        "query": query,
        "q": query.raw.strip(),
        "hits": hits,
        "subject_html": highlighter.html(cable.subject),
        "search_url": reverse("cables:list") + "?" + urlencode({"q": query.raw.strip()}),
        "highlighter": highlighter,
    }


# --- references: in the text, and the thread of cables citing each other --------------------

# How many steps the thread goes each way, and the most cables it shows per step.
THREAD_STEPS = 3
THREAD_WIDTH = 20


def _reference_targets(references: list[Reference]) -> tuple[dict[str, Target], Target | None]:
    """What each REF letter names on the page, and what ``reftel`` names: the one reference
    when there is one, else the references list."""

    def target(ref: Reference) -> Target | None:
        if ref.target_id is not None:
            return Target(
                url=cable_path(ref.target_reference_id),
                title=serializers.reference_title(ref),
            )
        if ref.cited_id:
            return Target(title=f"{ref.cited_id} (not in the archive)", missing=True)
        return None

    letters = {}
    for ref in references:
        found = target(ref)
        if ref.letter and found is not None:
            letters.setdefault(ref.letter.upper(), found)
    if len(references) == 1:
        reftel = target(references[0])
    else:
        reftel = LIST if references else None
    return letters, reftel


def _paragraph_html(
    cable: Cable, paragraphs: list[Paragraph], request: HttpRequest, highlighter=None
) -> None:
    """Give each paragraph its blocks as HTML (escaped; references linked; with a search,
    its words marked), its permalink and its citation."""
    letters, reftel = _reference_targets(serializers.cable_references(cable))
    render = highlighter.html if highlighter is not None else escape
    cable_url = request.build_absolute_uri(cable.get_absolute_url())
    for paragraph in paragraphs:
        paragraph.html_blocks = [
            link_references(block, letters, reftel, render) for block in text_blocks(paragraph.text)
        ]
        paragraph.permalink = f"{cable_url}#{paragraph.anchor}"
        paragraph.citation = serializers.paragraph_citation(cable, paragraph, paragraph.permalink)


@dataclass
class ThreadNode:
    reference_id: str
    created: Any
    subject: str
    children: list[ThreadNode] = field(default_factory=list)

    def get_absolute_url(self) -> str:
        return cable_path(self.reference_id)


def _thread_side(cable: Cable, first: list[dict], next_step) -> tuple[list[ThreadNode], int]:
    """One side of the thread as a tree: the first step's cables, then the cables each of
    them cites (or that cite it), up to ``THREAD_STEPS`` steps; each cable once, at its
    nearest step; at most ``THREAD_WIDTH`` cables per step (the number left out is
    returned). One query per step after the first."""
    seen = {cable.id}
    nodes: dict[int, ThreadNode] = {}
    roots: list[ThreadNode] = []
    left_out: set[int] = set()
    rows, frontier = first, []
    for step in range(1, THREAD_STEPS + 1):
        if step > 1:
            if not frontier:
                break
            rows = next_step(frontier)
        frontier = []
        for row in rows:
            if row["id"] in seen:
                continue
            if len(frontier) >= THREAD_WIDTH:
                left_out.add(row["id"])
                continue
            seen.add(row["id"])
            node = ThreadNode(row["reference_id"], row["created"], row["subject"])
            nodes[row["id"]] = node
            if step == 1:
                roots.append(node)
            else:
                nodes[row["from_id"]].children.append(node)
            frontier.append(row["id"])
    return roots, len(left_out - seen)


def _thread(cable: Cable, references: list[Reference], citing: list[Cable]) -> dict[str, Any]:
    """The chain of cables this one cites, and that cite it, a few steps each way."""
    cited = [
        {
            "from_id": cable.id,
            "id": ref.target_id,
            "reference_id": ref.target_reference_id,
            "created": ref.target_created,
            "subject": ref.target_subject,
        }
        for ref in references
        if ref.target_id is not None
    ]
    citers = [
        {
            "from_id": cable.id,
            "id": other.id,
            "reference_id": other.reference_id,
            "created": other.created,
            "subject": other.subject,
        }
        for other in citing
    ]
    cites, cites_left_out = _thread_side(cable, cited, Reference.objects.cited_from)
    cited_by, cited_by_left_out = _thread_side(cable, citers, Reference.objects.citing)
    deep = any(node.children for node in cites + cited_by)
    return {
        "cites": cites,
        "cited_by": cited_by,
        "cites_left_out": cites_left_out,
        "cited_by_left_out": cited_by_left_out,
        # Shown when it goes further than the references and "referenced by" lists.
        "deep": deep,
        "steps": THREAD_STEPS,
    }


def _prepared_origin_neighbour(older: bool) -> Prepared:
    """The cable from the same origin just before (or after) a cable, by its id (by created
    time, ties by reference id)."""
    return Prepared(
        lambda cable_id: Cable.objects.only(
            "reference_id", "created", "subject", "origin"
        ).origin_neighbour(cable_id, older)
    )


# A cable page's cable, its relations and the previous and next cables from its origin.
_CABLE_PAGE = serializers.detail_statement(
    previous_from_origin=_prepared_origin_neighbour(older=True),
    next_from_origin=_prepared_origin_neighbour(older=False),
)


def cable_detail(request: HttpRequest, reference_id: str) -> HttpResponse:
    """``/cables/<ID>/``: one cable, its metadata, references and paragraphs; with ``?q=``,
    the search's words highlighted and its paragraphs with hits linked to each other."""
    found = _find_cable(reference_id, _CABLE_PAGE)
    if isinstance(found, str):
        url = reverse("cables:detail", args=[found])
        if request.GET:
            url += "?" + request.GET.urlencode()
        return HttpResponsePermanentRedirect(url)
    cable = found
    referenced_by = serializers.referenced_by(cable)
    references = cable.ordered_references
    for ref in references:
        ref.missing = serializers.is_missing(ref)
        ref.title = serializers.reference_title(ref) if ref.target_id is not None else ""
    recipients = cable.ordered_recipients
    list_path = route_path("cables:list")
    context = {
        "cable": cable,
        "caveats": cable.caveats,
        "tags": [_tag_definition(cabletag.tag, list_path) for cabletag in cable.ordered_cabletags],
        "paragraphs": cable.ordered_paragraphs,
        "references": references,
        "missing_references": [ref.cited_id for ref in references if ref.missing],
        "referenced_by": referenced_by,
        "thread": _thread(cable, references, referenced_by),
        "previous_cable": next(iter(cable.previous_from_origin), None),
        "next_cable": next(iter(cable.next_from_origin), None),
        "action_recipients": [r for r in recipients if r.kind == Recipient.ACTION],
        "info_recipients": [r for r in recipients if r.kind != Recipient.ACTION],
        "people": serializers.people(cable),
        "sources": cable.ordered_sources,
        "versions": _versions(cable, cable.ordered_sources),
        "similar": _similar(cable),
    }
    query = SearchForm(request.GET).query
    highlighter = None
    if query.searchable:
        context["search"] = _search_hits(cable, cable.ordered_paragraphs, query)
        highlighter = context["search"]["highlighter"]
    _paragraph_html(cable, cable.ordered_paragraphs, request, highlighter)
    return render(request, "cables/detail.html", context)


def _tag_definition(tag: Tag, list_path: str) -> dict[str, str]:
    """A tag as the cable page defines it: the list (at ``list_path``) narrowed to it, its
    page, its kind (worked out here: in the template, ~0.25 ms a tag)."""
    return {
        "code": tag.code,
        "description": tag.description,
        "list_url": tagged_list_path(list_path, tag.code),
        "url": tag.get_absolute_url(),
        "kind": (tag.get_kind_display() or "about").lower(),
    }


def _similar(cable: Cable) -> list[Cable]:
    """The cables most like this one (``CableQuerySet.similar_to``: TAGS shared, same
    origin), one query."""
    return Cable.objects.similar_to(cable)


def _versions(cable: Cable, sources: list) -> list[dict[str, Any]]:
    """Each source's version of the text, with a word diff against the shown one."""
    versions = []
    for source in sources:
        body = source.body if source.body or source.shown else ""
        changed = not source.shown and differs(cable.body, body)
        versions.append(
            {
                "source": source,
                "words": len(body.split()),
                "segments": word_diff(cable.body, body) if changed else [],
            }
        )
    return versions


def cable_detail_json(request: HttpRequest, reference_id: str) -> HttpResponse:
    """``/cables/<ID>.json``: the whole cable as JSON."""
    try:
        found = _find_cable(reference_id)
    except Http404:
        return JsonResponse(
            {"errors": {"id": [f"No cable {reference_id} in the archive."]}},
            status=404,
        )
    if isinstance(found, str):
        return HttpResponsePermanentRedirect(reverse("cables:detail_json", args=[found]))
    base_url = request.build_absolute_uri("/").rstrip("/")
    return JsonResponse(serializers.cable_detail(found, base_url))


# --- /tags/ and /origins/: what the archive's cables are about and where they come from --------

# How many of the newest cables a tag or origin page lists.
LATEST = 10
# How many tags an origin page lists.
ORIGIN_TAGS = 15


def _cables_url(**params: Any) -> str:
    """``/cables/?tag=KZ&year=2006``: a selection of the list (values may be lists)."""
    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, [str(v) for v in (value if isinstance(value, list) else [value])])
    return reverse("cables:list") + "?" + query.urlencode()


def _years(cables, **params: Any) -> list[dict[str, Any]]:
    """Cables per year, oldest first, each linked to its part of the list."""
    return [
        {**row, "url": _cables_url(**params, year=row["value"])} for row in cables.year_counts()
    ]


def _years_json(years: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cables per year (``_years``) as the JSON twins give them."""
    return [{"year": y["value"], "count": y["count"], "cables_url": y["url"]} for y in years]


def _tag_row(tag: Tag) -> dict[str, Any]:
    return {
        "code": tag.code,
        "description": tag.description,
        "kind": tag.kind,
        "count": tag.count,
        "url": tag.get_absolute_url(),
        "json_url": tag.get_json_url(),
        "cables_url": _cables_url(tag=tag.code),
    }


def _tag_index(request: HttpRequest) -> tuple[TagIndexFilter, list[dict[str, Any]]]:
    filterset = TagIndexFilter(request.GET, queryset=Tag.objects.with_counts())
    rows = [_tag_row(tag) for tag in filterset.qs] if filterset.is_valid() else []
    return filterset, rows


def tag_list(request: HttpRequest) -> HttpResponse:
    """``/tags/``: every TAGS code the cables carry, with its description, kind and count of
    cables, most used first; ``?kind=`` keeps one kind. One query."""
    filterset, rows = _tag_index(request)
    kind = filterset.form.cleaned_data.get("kind") if filterset.is_valid() else ""
    kinds = [
        {
            "value": value,
            "label": label,
            "current": value == kind,
            "url": reverse("cables:tags") + "?" + urlencode({"kind": value}),
        }
        for value, label in Tag.KIND_CHOICES
    ]
    context = {
        "tags": rows,
        "kind": kind,
        "kind_label": dict(Tag.KIND_CHOICES).get(kind, ""),
        "kinds": kinds,
        "errors": [m for messages in filterset.errors.values() for m in messages],
        "json_url": reverse("cables:tags_json") + query_page(request.GET, 1),
    }
    return render(
        request, "cables/tag_list.html", context, status=400 if context["errors"] else 200
    )


def tag_list_json(request: HttpRequest) -> JsonResponse:
    """``/tags.json``: the same list as ``/tags/``."""
    filterset, rows = _tag_index(request)
    if filterset.errors:
        return JsonResponse({"errors": selection_errors(filterset)}, status=400)
    return JsonResponse({"count": len(rows), "results": rows})


def _tag_page(code: str) -> dict[str, Any]:
    """A tag with its count, cables per year and latest cables (five queries)."""
    if "\x00" in code:  # no tag has one, and PostgreSQL refuses it in a query
        raise Http404(f"No tag {code} in the archive.")
    try:
        tag = Tag.objects.get(code=code)
    except Tag.DoesNotExist as error:
        raise Http404(f"No tag {code} in the archive.") from error
    cables, count = _pinned(
        Cable.objects.filter(id__in=tag.cabletag_set.values("cable_id")), {"tag": [tag.code]}
    )
    tag.count = count if count is not None else cables.count()
    latest = list(_newest_first(cables)[:LATEST])
    return {
        "tag": tag,
        "row": _tag_row(tag),
        "kind_label": tag.get_kind_display(),
        "years": _years(cables, tag=tag.code),
        "latest": latest,
    }


def tag_detail(request: HttpRequest, code: str) -> HttpResponse:
    """``/tags/<CODE>/``: what a tag stands for, how many cables carry it, in which years,
    the latest of them, and the way into the list."""
    return render(request, "cables/tag_detail.html", _tag_page(code))


def tag_detail_json(request: HttpRequest, code: str) -> JsonResponse:
    try:
        page = _tag_page(code)
    except Http404:
        return JsonResponse({"errors": {"code": [f"No tag {code} in the archive."]}}, status=404)
    return JsonResponse(
        {
            **page["row"],
            "years": _years_json(page["years"]),
            "latest": [serializers.cable_summary(cable) for cable in page["latest"]],
        }
    )


def _origin_rows() -> list[dict[str, Any]]:
    """Every origin with its count, most cables first (one query)."""
    return [
        {
            "name": row["value"],
            "slug": row["slug"],
            "count": row["count"],
            "url": reverse("cables:origin", args=[row["slug"]]),
            "json_url": reverse("cables:origin_json", args=[row["slug"]]),
            "cables_url": _cables_url(origin=row["value"]),
        }
        for row in Cable.objects.origin_counts()
    ]


def origin_list(request: HttpRequest) -> HttpResponse:
    """``/origins/``: every post and office the cables come from, with its count. One query."""
    return render(request, "cables/origin_list.html", {"origins": _origin_rows()})


def origin_list_json(request: HttpRequest) -> JsonResponse:
    rows = _origin_rows()
    return JsonResponse({"count": len(rows), "results": rows})


def _origin_page(slug: str) -> dict[str, Any]:
    """An origin (the names its slug stands for), its count, cables per year, latest cables
    and most used tags (five queries)."""
    rows = [row for row in _origin_rows() if row["slug"] == slug]
    if not rows:
        raise Http404(f"No origin {slug} in the archive.")
    names = [row["name"] for row in rows]
    cables, _ = _pinned(Cable.objects.filter(origin__in=names), {"origin": names})
    latest = list(_newest_first(cables)[:LATEST])
    tags = cables.facet_counts(("tag",))["tag"][:ORIGIN_TAGS]
    return {
        "name": names[0],
        "names": names,
        "slug": slug,
        "count": sum(row["count"] for row in rows),
        "url": reverse("cables:origin", args=[slug]),
        "cables_url": _cables_url(origin=names),
        "years": _years(cables, origin=names),
        "latest": latest,
        "tags": [{**tag, "url": reverse("cables:tag", args=[tag["value"]])} for tag in tags],
    }


def origin_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """``/origins/<slug>/``: one post's cables: count, years, latest, most used tags."""
    return render(request, "cables/origin_detail.html", _origin_page(slug))


def origin_detail_json(request: HttpRequest, slug: str) -> JsonResponse:
    try:
        page = _origin_page(slug)
    except Http404:
        return JsonResponse({"errors": {"slug": [f"No origin {slug} in the archive."]}}, status=404)
    return JsonResponse(
        {
            "name": page["name"],
            "names": page["names"],
            "slug": page["slug"],
            "count": page["count"],
            "url": page["url"],
            "cables_url": page["cables_url"],
            "years": _years_json(page["years"]),
            "tags": [
                {"code": t["value"], "description": t["description"], "count": t["count"]}
                for t in page["tags"]
            ],
            "latest": [serializers.cable_summary(cable) for cable in page["latest"]],
        }
    )


# --- /people/: the people the cables name ------------------------------------------------------

# How many titles and other spellings a row of /people/ shows.
PEOPLE_ROW_TITLES = 2
PEOPLE_ROW_SPELLINGS = 3
ROLE_ORDER = (Mention.SIGNER, Mention.CLASSIFIED_BY, Mention.NAMED)


class CountedPaginator(Paginator):
    """A paginator told its count (already known), so it does not count again."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # ``count`` is a cached_property


def _person_row(person: Person) -> dict[str, Any]:
    """A person of ``/people/`` (annotated ``count``)."""
    return {
        "name": person.name,
        "slug": person.slug,
        "titles": list(person.titles or []),
        "aliases": list(person.aliases or []),
        "count": person.count,
        "url": person.get_absolute_url(),
        "json_url": person.get_json_url(),
        "cables_url": _cables_url(person=person.slug),
    }


def _people_index(request: HttpRequest) -> tuple[PersonIndexFilter, Page | None]:
    """The people (``?name=`` filtered), a page of them; no page when the filter is bad.
    Two queries: the count and the page."""
    filterset = PersonIndexFilter(request.GET, queryset=Person.objects.with_counts())
    if not filterset.is_valid():
        return filterset, None
    page = _get_page(Paginator(filterset.qs, page_size()), request.GET.get("page"))
    return filterset, page


def people_list(request: HttpRequest) -> HttpResponse:
    """``/people/``: the people the cables name, most cables first, paginated; ``?name=``
    keeps those whose name or a spelling of it contains the text."""
    filterset, page = _people_index(request)
    errors = [m for messages in filterset.errors.values() for m in messages]
    rows = []
    if page is not None:
        for person in page.object_list:
            row = _person_row(person)
            spellings = person.other_spellings
            row["short_titles"] = row["titles"][:PEOPLE_ROW_TITLES]
            row["more_titles"] = len(row["titles"][PEOPLE_ROW_TITLES:])
            row["short_spellings"] = spellings[:PEOPLE_ROW_SPELLINGS]
            row["more_spellings"] = len(spellings[PEOPLE_ROW_SPELLINGS:])
            rows.append(row)
    context = {
        "people": rows,
        "page_obj": page,
        "count": page.paginator.count if page is not None else 0,
        "pagination": _page_links(request, page) if page is not None else None,
        "name": (request.GET.get("name") or "").strip(),
        "errors": errors,
        "json_url": reverse("cables:people_json") + query_page(request.GET, 1),
    }
    return render(request, "cables/people_list.html", context, status=400 if errors else 200)


def _json_page_links(request: HttpRequest, page: Page) -> dict[str, Any]:
    path = request.path
    return {
        "page": page.number,
        "num_pages": page.paginator.num_pages,
        "next": path + query_page(request.GET, page.next_page_number())
        if page.has_next()
        else None,
        "previous": path + query_page(request.GET, page.previous_page_number())
        if page.has_previous()
        else None,
    }


def people_list_json(request: HttpRequest) -> JsonResponse:
    """``/people.json``: the same list as ``/people/``."""
    try:
        filterset, page = _people_index(request)
    except Http404:
        return JsonResponse({"errors": {"page": ["No such page of people."]}}, status=404)
    if page is None:
        return JsonResponse({"errors": selection_errors(filterset)}, status=400)
    return JsonResponse(
        {
            "count": page.paginator.count,
            **_json_page_links(request, page),
            "results": [_person_row(person) for person in page.object_list],
        }
    )


def _paragraph_mark(anchor: str) -> str:
    """``¶6`` for p6, ``¶3-2`` for p3-2, ``unnumbered ¶1`` for u1."""
    label = _paragraph_label(anchor)
    return f"¶{label}" if label else f"unnumbered ¶{anchor[1:]}"


def _person_page(request: HttpRequest, slug: str) -> dict[str, Any]:
    """A person, their roles counted, their cables per year and a page of their cables,
    newest first, each with its roles and the paragraphs naming them. Six queries: the
    person, the counts, the years, the page, its tags, the mentions of the page."""
    try:
        person = Person.objects.get(slug=slug)
    except Person.DoesNotExist as error:
        raise Http404(f"No person {slug} in the archive.") from error
    counts = person.mentions.role_counts()
    cables, _ = _pinned(Cable.objects.naming(person), {"person": [person.slug]})
    ordered = _newest_first(cables)
    page = _get_page(
        CountedPaginator(ordered, page_size(), counts["cables"]), request.GET.get("page")
    )
    page_cables = list(page.object_list)
    mentions = (
        person.mentions.filter(cable_id__in=[cable.id for cable in page_cables])
        .select_related("paragraph")
        .only("cable_id", "role", "paragraph__anchor", "paragraph__text")
        .order_by("cable_id", "paragraph__position", "id")
    )
    spellings = [person.name, *(person.aliases or [])]
    roles: dict[int, set[str]] = {cable.id: set() for cable in page_cables}
    paragraphs: dict[int, list[dict[str, Any]]] = {cable.id: [] for cable in page_cables}
    urls = {cable.id: cable.get_absolute_url() for cable in page_cables}
    for mention in mentions:
        roles[mention.cable_id].add(mention.role)
        paragraph = mention.paragraph
        if paragraph is not None:
            paragraphs[mention.cable_id].append(
                {
                    "anchor": paragraph.anchor,
                    "label": _paragraph_mark(paragraph.anchor),
                    "url": f"{urls[mention.cable_id]}#{paragraph.anchor}",
                    "excerpt": serializers.name_excerpt(paragraph.text, spellings),
                }
            )
    for cable in page_cables:
        cable.person_roles = [role for role in ROLE_ORDER if role in roles[cable.id]]
        cable.person_paragraphs = paragraphs[cable.id]
    return {
        "person": person,
        "other_spellings": person.other_spellings,
        "counts": counts,
        "cables_url": _cables_url(person=person.slug),
        "years": _years(cables, person=person.slug),
        "page_obj": page,
        "cables": page_cables,
        "pagination": _page_links(request, page),
    }


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """``/people/<slug>/``: who a person is (spellings, titles), how the cables name them,
    in which years, and their cables with the paragraphs naming them."""
    return render(request, "cables/person_detail.html", _person_page(request, slug))


def person_detail_json(request: HttpRequest, slug: str) -> JsonResponse:
    try:
        page = _person_page(request, slug)
    except Http404:
        if not Person.objects.filter(slug=slug).exists():
            return JsonResponse(
                {"errors": {"slug": [f"No person {slug} in the archive."]}}, status=404
            )
        return JsonResponse({"errors": {"page": ["No such page of cables."]}}, status=404)
    person = page["person"]
    counts = page["counts"]
    return JsonResponse(
        {
            "name": person.name,
            "slug": person.slug,
            "url": person.get_absolute_url(),
            "json_url": person.get_json_url(),
            "cables_url": page["cables_url"],
            "aliases": list(person.aliases or []),
            "titles": list(person.titles or []),
            "counts": {
                "cables": counts["cables"],
                "signed": counts["signed"],
                "classified_by": counts["classified"],
                "paragraphs": counts["paragraphs"],
            },
            "years": _years_json(page["years"]),
            "count": counts["cables"],
            **_json_page_links(request, page["page_obj"]),
            "cables": [
                {
                    **serializers.cable_summary(cable),
                    "roles": cable.person_roles,
                    "paragraphs": [
                        {
                            "anchor": p["anchor"],
                            "url": p["url"],
                            "excerpt": serializers.excerpt_text(p["excerpt"]),
                        }
                        for p in cable.person_paragraphs
                    ],
                }
                for cable in page["cables"]
            ],
        }
    )
