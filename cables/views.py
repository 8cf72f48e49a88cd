"""Pages of the archive: home, the filtered list of cables, one cable; and their JSON twins.

The views are thin: the selection is read and validated by ``CableFilter``, facets come
from ``CableQuerySet.facet_counts``, and cables become dicts in ``serializers``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Count, Max, Min
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import render
from django.urls import reverse

from . import serializers
from .diff import differs, word_diff
from .filters import (
    FILTER_PARAMS,
    PARAM_LABELS,
    CableFilter,
    month_name,
    query_page,
    query_toggle,
    query_without,
)
from .models import Cable, Recipient, Reference, Tag

# How many values of a facet are shown before the rest fold into "more".
FACET_VISIBLE = 10
# The most values a facet lists at all; a narrower selection shows the rest.
FACET_LIMIT = 250
HOME_TOP = 10


def page_size() -> int:
    return max(1, int(getattr(settings, "CABLES_PAGE_SIZE", 50)))


# --- the selection shared by /cables/ and /cables.json --------------------------------


@dataclass
class Selection:
    filterset: CableFilter
    page: Page
    cables: list[Cable]
    facets: dict[str, list[dict[str, Any]]]
    notices: list[str] = field(default_factory=list)


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
    for name, what in (("origin", "origin"), ("classification", "classification")):
        values = cleaned.get(name) or []
        if values:
            known = set(
                Cable.objects.filter(**{f"{name}__in": values})
                .order_by()
                .values_list(name, flat=True)
                .distinct()
            )
            notices += [
                f"No cable in the archive has the {what} “{v}”." for v in values if v not in known
            ]
    return notices


ANY_OF_FACETS = ("year", "origin", "classification")


def select_cables(request: HttpRequest) -> Selection:
    """Filter, count facets and paginate ``/cables/`` (and its JSON twin).

    A fixed number of queries whatever the page size: count, page, tags of the page,
    one per facet (plus months within a single year).
    """
    filterset = CableFilter(request.GET, queryset=Cable.objects.newest_first())
    queryset = filterset.qs
    paginator = Paginator(serializers.summary_queryset(queryset), page_size())
    page = _get_page(paginator, request.GET.get("page"))
    cables = list(page.object_list)
    facets = queryset.facet_counts()
    # "Any of" facets keep offering their other values: each is counted over the selection
    # made by every other parameter (one more query per such facet in use).
    for name in ANY_OF_FACETS:
        if filterset.cleaned.get(name):
            others = request.GET.copy()
            others.pop(name)
            if name == "year":
                others.pop("month", None)
            facets |= CableFilter(others, queryset=Cable.objects.all()).qs.facet_counts((name,))
    year = filterset.selected_year()
    if year is not None:
        facets["month"] = queryset.month_counts(year)
    notices = _unknown_values(filterset) if paginator.count == 0 else []
    return Selection(filterset=filterset, page=page, cables=cables, facets=facets, notices=notices)


# --- HTML helpers -----------------------------------------------------------------------


FACET_ORDER = [
    ("year", "Year"),
    ("month", "Month"),
    ("tag", "Tags"),
    ("origin", "Origin"),
    ("classification", "Classification"),
]


def _facet_blocks(request: HttpRequest, facets: dict[str, list[dict]]) -> list[dict[str, Any]]:
    """Facets as the template shows them: each value with its count and the link that adds
    it to the selection (or removes it, when selected)."""
    path = request.path
    blocks = []
    for name, label in FACET_ORDER:
        if name not in facets:
            continue
        selected = set(request.GET.getlist(name))
        values = []
        for row in facets[name][:FACET_LIMIT]:
            value = row["value"]
            values.append(
                {
                    "value": value,
                    "label": month_name(value) if name == "month" else str(value),
                    "title": row.get("description", ""),
                    "count": row["count"],
                    "selected": str(value) in selected,
                    "url": path + query_toggle(request.GET, name, value),
                }
            )
        top = [v for i, v in enumerate(values) if i < FACET_VISIBLE or v["selected"]]
        more = [v for i, v in enumerate(values) if i >= FACET_VISIBLE and not v["selected"]]
        blocks.append(
            {
                "name": name,
                "label": label,
                "top": top,
                "more": more,
                "hidden": max(0, len(facets[name]) - FACET_LIMIT),
            }
        )
    return blocks


def _chips(request: HttpRequest, filterset: CableFilter) -> list[dict[str, Any]]:
    """One removable chip per selected value, invalid ones included (so they can go)."""
    errors = filterset.errors
    chips = []
    for name in FILTER_PARAMS:
        seen = set()
        for raw in request.GET.getlist(name):
            if not raw.strip() or raw in seen:
                continue
            seen.add(raw)
            label = raw
            if name == "month" and raw.isdigit() and 1 <= int(raw) <= 12:
                label = month_name(int(raw))
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
                    "url": request.path + query_without(request.GET, name, raw),
                }
            )
    return chips


def _page_links(request: HttpRequest, page: Page) -> dict[str, Any]:
    path = request.path

    def url(number: int) -> str:
        return path + query_page(request.GET, number)

    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return {
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
        )
    return render(request, "cables/home.html", context)


def cable_list(request: HttpRequest) -> HttpResponse:
    """``/cables/``: the selection, newest first, with facets; 400 if a parameter is bad."""
    selection = select_cables(request)
    filterset = selection.filterset
    context = {
        "page_obj": selection.page,
        "cables": selection.cables,
        "count": selection.page.paginator.count,
        "facets": _facet_blocks(request, selection.facets),
        "chips": _chips(request, filterset),
        "errors": filterset.error_messages(),
        "notices": selection.notices,
        "pagination": _page_links(request, selection.page),
        "json_url": reverse("cables:list_json") + query_page(request.GET, selection.page.number),
    }
    return render(request, "cables/list.html", context, status=400 if context["errors"] else 200)


def cable_list_json(request: HttpRequest) -> JsonResponse:
    """``/cables.json``: the same selection as ``/cables/``, as JSON."""
    filterset = CableFilter(request.GET, queryset=Cable.objects.none())
    if filterset.errors:
        return JsonResponse({"errors": dict(selection_errors(filterset))}, status=400)
    try:
        selection = select_cables(request)
    except Http404:
        return JsonResponse({"errors": {"page": ["No such page of results."]}}, status=404)
    page = selection.page
    path = request.path
    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "num_pages": page.paginator.num_pages,
            "next": path + query_page(request.GET, page.next_page_number())
            if page.has_next()
            else None,
            "previous": path + query_page(request.GET, page.previous_page_number())
            if page.has_previous()
            else None,
            "results": [serializers.cable_summary(cable) for cable in selection.cables],
            "facets": {
                name: [{"value": row["value"], "count": row["count"]} for row in rows]
                for name, rows in selection.facets.items()
            },
        }
    )


def _find_cable(reference_id: str) -> Cable | str:
    """The cable with this id, or the canonical (upper-case) id to redirect to."""
    try:
        return serializers.detail_queryset(Cable.objects.all()).get(reference_id=reference_id)
    except Cable.DoesNotExist:
        pass
    canonical = reference_id.upper()
    if canonical != reference_id and Cable.objects.filter(reference_id=canonical).exists():
        return canonical
    raise Http404(f"No cable {reference_id} in the archive.")


def cable_detail(request: HttpRequest, reference_id: str) -> HttpResponse:
    """``/cables/<ID>/``: one cable, its metadata, references and paragraphs."""
    found = _find_cable(reference_id)
    if isinstance(found, str):
        return HttpResponsePermanentRedirect(reverse("cables:detail", args=[found]))
    cable = found
    referenced_by = (
        Cable.objects.filter(id__in=Reference.objects.filter(target=cable).values("cable_id"))
        .only("reference_id", "created", "classification", "origin", "subject")
        .newest_first()
    )
    recipients = cable.ordered_recipients
    context = {
        "cable": cable,
        "tags": [cabletag.tag for cabletag in cable.ordered_cabletags],
        "paragraphs": cable.ordered_paragraphs,
        "references": cable.ordered_references,
        "referenced_by": list(referenced_by),
        "action_recipients": [r for r in recipients if r.kind == Recipient.ACTION],
        "info_recipients": [r for r in recipients if r.kind != Recipient.ACTION],
        "people": serializers.people(cable),
        "sources": cable.ordered_sources,
        "versions": _versions(cable, cable.ordered_sources),
    }
    return render(request, "cables/detail.html", context)


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
    return JsonResponse(serializers.cable_detail(found))
