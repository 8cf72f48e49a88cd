"""A cable's row in a list of cables (id, date, classification, origin, TAGS), rendered in
Python rather than by two template includes: a list page shows 50 cables, and the template
engine took ~30 ms a page over their rows (a third of a browse page's Python time), this
~3 ms. Every piece of cable text is escaped here (``format_html``)."""

from __future__ import annotations

from datetime import UTC
from urllib.parse import quote

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from cables.models import Cable

register = template.Library()


@register.simple_tag
def cable_row_meta(cable: Cable) -> SafeString:
    """``<a>`` the id (to the cable page), ``<time>`` the date, the classification and the
    origin, and a "partial" badge for an extract (inside the row's ``.cable-row__meta``)."""
    created = cable.created.astimezone(UTC)
    html = format_html(
        '<a class="cable-row__id" href="{}">{}</a>\n'
        '<time datetime="{}">{}</time>\n'
        '<span class="classification classification--{}">{}</span>\n'
        '<span class="cable-row__origin">{}</span>\n',
        cable.get_absolute_url(),
        cable.reference_id,
        created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        created.strftime("%Y-%m-%d"),
        slugify(cable.classification),
        cable.classification,
        cable.origin,
    )
    if cable.partial:
        html += mark_safe(
            '<span class="badge" title="This is a partial extract or truncated text">'
            "partial</span>\n"
        )
    return html


@register.simple_tag
def cable_tags(cable: Cable, list_url: str = "") -> SafeString:
    """The cable's TAGS in its own order (prefetched ``ordered_cabletags``), each linking to
    its tag page, or with ``list_url`` to that list narrowed to the tag."""
    cabletags = cable.ordered_cabletags
    if not cabletags:
        return mark_safe("")
    items = format_html_join(
        "",
        '<li><a class="tag" href="{}"{}>{}</a></li>',
        (
            (
                f"{list_url}?tag={quote(ct.tag.code, safe='')}"
                if list_url
                else ct.tag.get_absolute_url(),
                format_html(' title="{}"', ct.tag.description) if ct.tag.description else "",
                ct.tag.code,
            )
            for ct in cabletags
        ),
    )
    return format_html('<ul class="tag-list" aria-label="Tags">\n    {}\n  </ul>\n', items)
