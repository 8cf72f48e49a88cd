"""The short lists of a cable page's side (the cables citing it, the previous and next from
its origin, similar cables, the people it names), rendered in Python rather than by the
template's loops: each line cost the template engine ~0.1-0.25 ms (its variables, filters
and link), ~5 ms of a page's first view in all; these tags a few microseconds a line.
Every piece of text is escaped here (``html.escape``)."""

from __future__ import annotations

from datetime import UTC
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from cables.models import Cable

register = template.Library()


@register.simple_tag
def cable_line(cable: Cable, subject_chars: int, rel: str = "", note: str = "") -> SafeString:
    """``<a>`` the cable's id (to its page; ``rel`` given), then muted: its date, ``note``
    and its subject cut to ``subject_chars`` characters (as ``truncatechars``)."""
    created = cable.created.astimezone(UTC)
    rel_attribute = f' rel="{escape(rel)}"' if rel else ""
    details = [f"{created:%Y-%m-%d}"]
    if note:
        details.append(escape(note))
    if cable.subject:
        details.append(escape(Truncator(cable.subject).chars(subject_chars)))
    return mark_safe(  # noqa: S308 - every piece of text is escaped
        f'<a href="{escape(cable.get_absolute_url())}"{rel_attribute}>'
        f"{escape(cable.reference_id)}</a>"
        f' <span class="muted">{" · ".join(details)}</span>'
    )


@register.simple_tag
def similar_line(other: Cable, cable: Cable, subject_chars: int) -> SafeString:
    """A similar cable's line: what it shares with ``cable`` (TAGS, the origin) as its note."""
    shared = other.shared_tags
    note = f"{shared} tag{'' if shared == 1 else 's'} in common"
    if other.origin == cable.origin:
        note += ", same origin"
    return cable_line(other, subject_chars, note=note)


@register.simple_tag
def person_line(person: dict[str, Any]) -> SafeString:
    """``<a>`` a person's name (to their page), their role, and links to the paragraphs
    naming them (``¶3``, or ``unnumbered ¶2`` for an anchor ``u2``)."""
    line = (
        f'<a href="{escape(person["url"])}">{escape(person["name"])}</a>'
        f' <span class="muted">{escape(person["role"])}</span>'
    )
    if person["paragraphs"]:
        links = " ".join(
            f'<a href="#{escape(anchor)}">'
            f"{'' if anchor[:1] == 'p' else 'unnumbered '}¶{escape(anchor[1:])}</a>"
            for anchor in person["paragraphs"]
        )
        line += f' <span class="person-paras">{links}</span>'
    return mark_safe(line)  # noqa: S308 - every piece of text is escaped
