"""A cable's row in a list of cables (id, date, classification, origin, subject, best
paragraphs, TAGS), rendered in Python rather than by template includes: a list page shows
50 cables, and the template engine took ~30 ms a page over their rows (a third of a browse
page's Python time), these tags ~3 ms. Every piece of cable text is escaped here
(``html.escape``: Django's ``escape`` and ``format_html`` wrap it at several times the
cost); HTML made elsewhere (a subject's or paragraph's hits marked) goes through
``conditional_escape``, so that only what is marked safe is kept as it is."""

from __future__ import annotations

from datetime import UTC
from functools import lru_cache
from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from cables.models import Cable
from cables.paths import tag_path, tagged_list_path

register = template.Library()


@lru_cache(maxsize=64)
def _class_slug(classification: str) -> str:
    return slugify(classification)


@register.simple_tag
def cable_row_meta(cable: Cable) -> SafeString:
    """``<a>`` the id (to the cable page), ``<time>`` the date, the classification and the
    origin, and a "partial" badge for an extract (inside the row's ``.cable-row__meta``)."""
    created = cable.created.astimezone(UTC)
    classification = escape(cable.classification)
    badge = (
        '<span class="badge" title="This is a partial extract or truncated text">partial</span>\n'
        if cable.partial
        else ""
    )
    return mark_safe(  # noqa: S308 - every piece of cable text is escaped
        f'<a class="cable-row__id" href="{escape(cable.get_absolute_url())}">'
        f"{escape(cable.reference_id)}</a>\n"
        f'<time datetime="{created:%Y-%m-%dT%H:%M:%SZ}">{created:%Y-%m-%d}</time>\n'
        f'<span class="classification classification--{escape(_class_slug(cable.classification))}">'
        f"{classification}</span>\n"
        f'<span class="cable-row__origin">{escape(cable.origin)}</span>\n{badge}'
    )


@register.simple_tag
def cable_tags(cable: Cable, list_url: str = "") -> SafeString:
    """The cable's TAGS in its own order (``tag_labels``, read by ``summary_queryset``),
    each linking to its tag page, or with ``list_url`` to that list narrowed to the tag."""
    tags = cable.tag_labels
    if not tags:
        return mark_safe("")
    items = []
    for tag in tags:
        url = tagged_list_path(list_url, tag.code) if list_url else tag_path(tag.code)
        title = f' title="{escape(tag.description)}"' if tag.description else ""
        items.append(f'<li><a class="tag" href="{escape(url)}"{title}>{escape(tag.code)}</a></li>')
    return mark_safe(  # noqa: S308 - every piece of cable text is escaped
        f'<ul class="tag-list" aria-label="Tags">\n    {"".join(items)}\n  </ul>\n'
    )


@register.simple_tag
def cable_row(cable: Cable, list_url: str, sort: str) -> SafeString:
    """The whole ``<li>`` of a cable in the list of /cables/: ``cable_row_meta``, how often
    it is cited (when the list is in that order), its subject (``subject_html``: the
    search's hits marked), its best paragraphs (``search_snippets``), and ``cable_tags``
    narrowing ``list_url``."""
    cited = ""
    if sort == "cited":
        cited = (
            f'<span class="cable-row__cited">cited by '
            f"{int(getattr(cable, 'cited_count', 0) or 0):,}</span>"
        )
    subject_html = getattr(cable, "subject_html", None)
    if subject_html:
        subject = conditional_escape(subject_html)
    elif cable.subject:
        subject = escape(cable.subject)
    else:
        subject = '<span class="placeholder">(no subject)</span>'
    snippets = ""
    if found := getattr(cable, "search_snippets", None):
        items = "".join(
            f'<li><a class="snippet" href="{escape(snippet["url"])}">'
            f'<span class="snippet__para">¶{escape(snippet["label"])}</span> '
            f"{conditional_escape(snippet['html'])}</a></li>"
            for snippet in found
        )
        snippets = f'<ul class="snippets" aria-label="Best matching paragraphs">{items}</ul>\n'
    return mark_safe(  # noqa: S308 - every piece of cable text is escaped
        f'<li class="cable-row">\n<div class="cable-row__meta">\n{cable_row_meta(cable)}{cited}'
        f'</div>\n<p class="cable-row__subject">{subject}</p>\n{snippets}'
        f"{cable_tags(cable, list_url)}</li>\n"
    )
