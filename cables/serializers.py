"""Cables as plain, JSON-ready dicts: the JSON views and ``export_cables`` share these.

Both functions read only what the querysets below prefetch, so serialising a page of
cables costs a fixed number of queries, whatever its length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import batched
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS
from django.db.models import F, Prefetch, QuerySet
from django.db.models.query import ModelIterable
from django.urls import reverse

from .models import (
    Cable,
    CableTag,
    Mention,
    Paragraph,
    Recipient,
    Reference,
    Source,
    split_classification,
)
from .prepared import Placeholder, Prepared, Together

# The fields ``cable_summary`` and the list page read; the long texts (header, body) are
# left in the database.
SUMMARY_FIELDS = (
    "reference_id",
    "created",
    "created_precision",
    "classification",
    "origin",
    "subject",
    "partial",
)


# A cable's mentions: by person, then role, then paragraph in the cable's order.
MENTION_ORDER = ("person__name", "person__slug", "role", "paragraph__position", "id")


def summary_queryset(queryset: QuerySet[Cable]) -> QuerySet[Cable]:
    """What ``cable_summary`` and the lists of cables need: its fields, and its TAGS as
    ``tag_labels`` (``TaggedCables``: one more query per page, or per chunk of a stream)."""
    queryset = queryset.only(*SUMMARY_FIELDS)
    queryset._iterable_class = TaggedCables
    return queryset


class TagLabel(NamedTuple):
    """One of a cable's TAGS as a list of cables shows it."""

    code: str
    description: str


class TaggedCables(ModelIterable):
    """The cables of a queryset, each with its TAGS in its own order as ``tag_labels``,
    read for each chunk of cables by one query of plain rows (``with_tags``).

    A list page's 50 cables name some 500 TAGS: prefetched as CableTag and Tag instances
    they took ~25 ms (at full size, for a page of PREL), as rows ~2 ms beside the query.
    Set as the queryset's iterable (as ``values()`` sets its own), so that slicing,
    pagination and ``iterator()`` keep it."""

    def __iter__(self) -> Iterator[Cable]:
        for chunk in batched(super().__iter__(), max(self.chunk_size, TAGGED_CHUNK)):
            yield from with_tags(chunk, self.queryset.db)


# Cables given their tags at a time, at least (a streamed export reads larger chunks).
TAGGED_CHUNK = 500


def with_tags[C: Sequence[Cable]](cables: C, using: str = DEFAULT_DB_ALIAS) -> C:
    """Set each cable's ``tag_labels``: its TAGS in its own order (one query for all, on
    the database ``using`` the cables came from)."""
    by_cable: dict[int, list[TagLabel]] = {cable.pk: [] for cable in cables}
    if by_cable:
        rows = (
            CableTag.objects.using(using)
            .filter(cable_id__in=list(by_cable))
            .order_by("position", "id")
            .values_list("cable_id", "tag__code", "tag__description")
        )
        for cable_id, code, description in rows:
            by_cable[cable_id].append(TagLabel(code, description))
    for cable in cables:
        cable.tag_labels = by_cable[cable.pk]
    return cables


@dataclass(frozen=True)
class DetailRelation:
    """One of a cable's relations as its page and its JSON read it: set on the cable as
    ``attr``, a list in the given order, with the related objects named in ``related``
    (their fields, or ``None`` for all) read in the same query."""

    attr: str
    relation: str  # the relation's name on Cable
    key: str  # the field of the related rows naming the cable
    queryset: Callable[[], QuerySet]
    related: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    only: tuple[str, ...] = ()  # the fields read of the rows themselves (empty: all)

    def prefetch(self) -> Prefetch:
        """The same rows and fields as ``prepared``, for many cables at once."""
        queryset = self.queryset()
        if self.related:
            queryset = queryset.select_related(*self.related)
        if self.only or any(fields is not None for fields in self.related.values()):
            model = queryset.model
            read = list(self.only or _field_names(model))
            for name, fields in self.related.items():
                related = model._meta.get_field(name).related_model
                read += [f"{name}__{f}" for f in fields or _field_names(related)]
            queryset = queryset.only(*read)
        return Prefetch(self.relation, queryset=queryset, to_attr=self.attr)

    @property
    def back(self):
        """The field of each row naming the cable: a prefetch leaves it set to the cable."""
        return self.queryset().model._meta.get_field(self.key.removesuffix("_id"))

    def prepared(self) -> Prepared:
        def build(cable_id: int) -> QuerySet:
            queryset = self.queryset().filter(**{self.key: cable_id})
            return queryset.only(*self.only) if self.only else queryset

        return Prepared(build, related=self.related)


def _field_names(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields]


DETAIL_RELATIONS = (
    # Its TAGS in its own order (the lists of cables read theirs as rows: ``with_tags``).
    DetailRelation(
        "ordered_cabletags",
        "cabletag_set",
        "cable_id",
        lambda: CableTag.objects.order_by("position", "id"),
        related={"tag": None},
    ),
    DetailRelation(
        "ordered_paragraphs",
        "paragraphs",
        "cable_id",
        lambda: Paragraph.objects.order_by("position", "id"),
    ),
    # The cited cable's id, subject and date, for its link and the link's title, without
    # loading the whole cable.
    DetailRelation(
        "ordered_references",
        "references",
        "cable_id",
        lambda: Reference.objects.annotate(
            target_reference_id=F("target__reference_id"),
            target_subject=F("target__subject"),
            target_created=F("target__created"),
        ).order_by("position", "id"),
    ),
    # The cables citing this one, newest first (``referenced_by``).
    DetailRelation(
        "citing_references",
        "cited_by",
        "target_id",
        lambda: Reference.objects.order_by("-cable__created", "cable__reference_id", "id"),
        related={"cable": ("reference_id", "created", "subject")},
        only=("id", "target_id", "cable_id"),
    ),
    DetailRelation(
        "ordered_recipients",
        "recipients",
        "cable_id",
        lambda: Recipient.objects.order_by("position", "id"),
    ),
    # The anchor of the paragraph naming the person, without the paragraph's text.
    DetailRelation(
        "ordered_mentions",
        "mentions",
        "cable_id",
        lambda: Mention.objects.annotate(paragraph_anchor=F("paragraph__anchor")).order_by(
            *MENTION_ORDER
        ),
        # (a person's spellings and titles, JSON read for each mention, are not shown)
        related={"person": ("name", "slug")},
    ),
    DetailRelation(
        "ordered_sources",
        "sources",
        "cable_id",
        lambda: Source.objects.order_by("imported", "id"),
    ),
)


def detail_queryset(queryset: QuerySet[Cable]) -> QuerySet[Cable]:
    """What ``cable_detail`` and the cable page need, in one query per relation."""
    return queryset.prefetch_related(*(relation.prefetch() for relation in DETAIL_RELATIONS))


_CABLE_BY_ID = Prepared(
    lambda reference_id: Cable.objects.filter(reference_id=reference_id).order_by(),
    Placeholder.TEXT,
)
_DETAIL_PREPARED = tuple(
    (relation, relation.back, relation.prepared()) for relation in DETAIL_RELATIONS
)


def detail_statement(**more: Prepared) -> Together:
    """The statement reading a cable by its id with what ``detail_queryset`` prefetches,
    and any ``more`` queries given the cable's primary key (set on it by their names)."""
    relations = {relation.attr: prepared for relation, _, prepared in _DETAIL_PREPARED}
    return Together(_CABLE_BY_ID, relations | more)


_CABLE_DETAIL = detail_statement()


def detail_cable(
    reference_id: str, using: str = DEFAULT_DB_ALIAS, statement: Together | None = None
) -> Cable | None:
    """The cable with this id and what ``detail_queryset`` prefetches, the same objects in
    the same order, by queries compiled once (``cables.prepared``), one statement on
    PostgreSQL: one cable's page reads them in ~5 ms where the prefetches took ~18 (full
    size). ``statement`` (made by ``detail_statement``) may read more."""
    found = (statement or _CABLE_DETAIL)(reference_id, using=using)
    if not found:
        return None
    cable, parts = found[0]
    for relation, back, _ in _DETAIL_PREPARED:
        rows = parts.pop(relation.attr)
        for row in rows:
            back.set_cached_value(row, cable)
        setattr(cable, relation.attr, rows)
    for name, rows in parts.items():
        setattr(cable, name, rows)
    return cable


def iso_utc(moment: datetime | None) -> str | None:
    """``2006-08-05T01:16:00Z``: ISO 8601 in UTC, to the second."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def tag_codes(cable: Cable) -> list[str]:
    labels = getattr(cable, "tag_labels", None)
    if labels is not None:
        return [label.code for label in labels]
    cabletags = getattr(cable, "ordered_cabletags", None)
    if cabletags is None:
        cabletags = cable.cabletag_set.select_related("tag").order_by("position", "id")
    return [cabletag.tag.code for cabletag in cabletags]


def _ordered(cable: Cable, attr: str, relation: str, *order: str) -> list[Any]:
    """The prefetched list ``attr``, or else the relation queried in the same order."""
    items = getattr(cable, attr, None)
    if items is None:
        items = list(getattr(cable, relation).order_by(*order))
    return items


def cable_references(cable: Cable) -> list[Reference]:
    references = getattr(cable, "ordered_references", None)
    if references is None:
        references = list(
            cable.references.annotate(
                target_reference_id=F("target__reference_id"),
                target_subject=F("target__subject"),
                target_created=F("target__created"),
            ).order_by("position", "id")
        )
    return references


def referenced_by(cable: Cable) -> list[Cable]:
    """The cables that cite this one, once each, newest first."""
    citing = getattr(cable, "citing_references", None)
    if citing is None:
        citing = list(
            Reference.objects.filter(target=cable)
            .select_related("cable")
            .order_by("-cable__created", "cable__reference_id", "id")
        )
    seen: set[int] = set()
    cables = []
    for reference in citing:
        if reference.cable_id not in seen:
            seen.add(reference.cable_id)
            cables.append(reference.cable)
    return cables


def is_missing(reference: Reference) -> bool:
    """A cited cable that is not in the archive."""
    return bool(reference.cited_id) and reference.target_id is None


def reference_title(reference: Reference) -> str:
    """The link title of a cited cable in the archive: its subject and date."""
    date = reference.target_created.astimezone(UTC).strftime("%Y-%m-%d")
    subject = " ".join((reference.target_subject or "").split()) or "(no subject)"
    return f"{subject} ({date})"


def paragraph_label(anchor: str) -> str:
    """How a citation names a paragraph: "para. 6" (p6), "para. 3-2" (the second
    paragraph numbered 3), "unnumbered para. 1" (u1)."""
    if anchor.startswith("u"):
        return f"unnumbered para. {anchor[1:]}"
    return f"para. {anchor[1:]}"


def paragraph_citation(cable: Cable, paragraph: Paragraph, url: str) -> str:
    """A short citation to paste: ``06ALMATY2803 (2006-08-05, CONFIDENTIAL), para. 6,
    https://.../cables/06ALMATY2803/#p6``."""
    date = cable.created.astimezone(UTC).strftime("%Y-%m-%d")
    return (
        f"{cable.reference_id} ({date}, {cable.classification}), "
        f"{paragraph_label(paragraph.anchor)}, {url}"
    )


def cable_summary(cable: Cable) -> dict[str, Any]:
    """One row of the ``/cables.json`` results."""
    return {
        "id": cable.reference_id,
        "url": cable.get_absolute_url(),
        "json_url": cable.get_json_url(),
        "created": iso_utc(cable.created),
        "created_precision": cable.created_precision,
        "classification": cable.classification,
        "origin": cable.origin,
        "subject": cable.subject,
        "tags": tag_codes(cable),
        "partial": cable.partial,
    }


def paragraph_dict(
    paragraph: Paragraph, cable_url: str, cable: Cable | None = None, base_url: str = ""
) -> dict[str, Any]:
    url = f"{cable_url}#{paragraph.anchor}"
    data = {
        "number": paragraph.number,
        "anchor": paragraph.anchor,
        "marking": paragraph.marking,
        "heading": paragraph.heading,
        "text": paragraph.text,
        "url": url,
    }
    if cable is not None:
        data["citation"] = paragraph_citation(cable, paragraph, base_url + url)
    return data


def cable_link(cable: Cable) -> dict[str, Any]:
    """Another cable, as a cable's JSON names it."""
    return {
        "id": cable.reference_id,
        "url": cable.get_absolute_url(),
        "created": iso_utc(cable.created),
        "subject": cable.subject,
    }


def people(cable: Cable) -> list[dict[str, Any]]:
    """The people a cable names, once per person and role, with their page and (named) the
    anchors of the paragraphs naming them, in the cable's order."""
    mentions = getattr(cable, "ordered_mentions", None)
    if mentions is None:
        mentions = list(
            cable.mentions.select_related("person")
            .annotate(paragraph_anchor=F("paragraph__anchor"))
            .order_by(*MENTION_ORDER)
        )
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    for mention in mentions:
        key = (mention.person.slug, mention.role)
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = {
                "name": mention.person.name,
                "slug": mention.person.slug,
                "role": mention.role,
                "url": mention.person.get_absolute_url(),
                "paragraphs": [],
            }
        anchor = getattr(mention, "paragraph_anchor", None)
        if anchor and anchor not in entry["paragraphs"]:
            entry["paragraphs"].append(anchor)
    return list(entries.values())


def cable_detail(cable: Cable, base_url: str = "") -> dict[str, Any]:
    """The whole cable: ``/cables/<ID>.json`` and one line of ``export_cables``.

    ``base_url`` (``https://host``) makes the paragraphs' citations absolute; without it
    they hold the site-relative URL."""
    url = cable.get_absolute_url()
    references = cable_references(cable)
    level, caveats = split_classification(cable.classification)
    return {
        "id": cable.reference_id,
        "url": url,
        "json_url": cable.get_json_url(),
        "created": iso_utc(cable.created),
        "created_precision": cable.created_precision,
        "classification": cable.classification,
        "level": level,
        "caveats": caveats,
        "origin": cable.origin,
        "subject": cable.subject,
        "summary": cable.summary,
        "tags": tag_codes(cable),
        "keywords": list(cable.keywords or []),
        "references": [ref.cited_id for ref in references if ref.cited_id],
        "references_detail": [
            {
                "letter": ref.letter,
                "text": ref.text,
                "kind": ref.kind,
                "cited_id": ref.cited_id,
                "in_archive": ref.target_id is not None,
                "missing": is_missing(ref),
                "url": reverse("cables:detail", args=[ref.target_reference_id])
                if ref.target_id is not None
                else None,
            }
            for ref in references
        ],
        "missing_references": [ref.cited_id for ref in references if is_missing(ref)],
        "referenced_by": [cable_link(other) for other in referenced_by(cable)],
        "recipients": [
            {
                "kind": recipient.kind,
                "name": recipient.name,
                "route": recipient.route,
                "precedence": recipient.precedence,
            }
            for recipient in _ordered(cable, "ordered_recipients", "recipients", "position", "id")
        ],
        "classified_by": cable.classified_by,
        "classification_reasons": cable.classification_reasons,
        "declassify_on": cable.declassify_on,
        "signer": cable.signer,
        "partial": cable.partial,
        "header": cable.header,
        "paragraphs": [
            paragraph_dict(paragraph, url, cable, base_url)
            for paragraph in _ordered(cable, "ordered_paragraphs", "paragraphs", "position", "id")
        ],
        "people": people(cable),
        "sources": [
            {
                "path": source.path,
                "format": source.format,
                "shown": source.shown,
                "created": iso_utc(source.created),
                "partial": source.partial,
            }
            for source in _ordered(cable, "ordered_sources", "sources", "imported", "id")
        ],
    }


# --- a person's paragraphs ------------------------------------------------------------------

# About how long an excerpt of a paragraph naming a person is, and how much of it comes
# before the name.
EXCERPT_LENGTH = 200
EXCERPT_BEFORE = 70


def name_excerpt(text: str, spellings: list[str]) -> dict[str, str]:
    """A short excerpt of a paragraph around the first spelling of a name found in it (any
    case, whole words): ``{"before", "match", "after"}``, plain text (an ellipsis where it
    is cut; whitespace folded). Without any spelling in it, the paragraph's start."""
    text = " ".join(text.split())
    found = None
    for spelling in sorted({s for s in spellings if s.strip()}, key=len, reverse=True):
        pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, spelling.split())) + r"(?!\w)"
        match = re.search(pattern, text, re.IGNORECASE)
        if match and (found is None or match.start() < found.start()):
            found = match
    if found is None:
        cut = _cut_end(text, EXCERPT_LENGTH)
        return {"before": cut, "match": "", "after": ""}
    start, end = found.start(), found.end()
    room = max(0, EXCERPT_LENGTH - (end - start))
    before = text[:start]
    if len(before) > EXCERPT_BEFORE:
        before = "…" + before[-EXCERPT_BEFORE:].split(" ", 1)[-1]
    after = _cut_end(text[end:], max(0, room - len(before)))
    return {"before": before, "match": text[start:end], "after": after}


def _cut_end(text: str, length: int) -> str:
    """``text`` cut to about ``length`` characters at a space, with an ellipsis if cut."""
    if len(text) <= length:
        return text
    cut = text[:length]
    if " " in cut[1:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut + "…"


def excerpt_text(excerpt: dict[str, str]) -> str:
    return excerpt["before"] + excerpt["match"] + excerpt["after"]
