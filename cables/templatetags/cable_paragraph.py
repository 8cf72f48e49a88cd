"""A paragraph of a cable page, rendered in Python rather than by a template include: the
include cost ~0.5 ms a paragraph (a long cable has 30 of them; the page's first view should
take under 30 ms in all), this ~20 us. ``paragraph.html_blocks`` are HTML escaped by
``cables.views._paragraph_html`` (references linked, search words marked); every other piece
of text is escaped here."""

from __future__ import annotations

from html import escape

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString, mark_safe

from cables.models import Paragraph

register = template.Library()


@register.simple_tag
def cable_paragraph(paragraph: Paragraph, hit_count: int = 0) -> SafeString:
    """``<div class="para" id="p3">``: the paragraph's link, its blocks (the marking before
    the first), with a search its place among the hits (``hit_count``: how many) and links to
    the previous and next hit, and its permalink and citation to copy."""
    anchor = escape(paragraph.anchor)
    hit = getattr(paragraph, "search_hit", False)
    marking = (
        f'<span class="para__marking">({escape(paragraph.marking)})</span>'
        if paragraph.marking
        else ""
    )
    blocks = [
        f"<p>{marking + ' ' if i == 0 and marking else ''}{linebreaksbr(block)}</p>"
        for i, block in enumerate(paragraph.html_blocks)
    ]
    if not blocks and marking:
        blocks.append(f"<p>{marking}</p>")
    hit_links = ""
    if hit:
        previous = (
            f'<a class="para__hit-link" href="#{escape(paragraph.previous_hit)}" '
            'data-hit="previous">← Previous hit</a>'
            if paragraph.previous_hit
            else ""
        )
        following = (
            f'<a class="para__hit-link" href="#{escape(paragraph.next_hit)}" '
            'data-hit="next">Next hit →</a>'
            if paragraph.next_hit
            else ""
        )
        hit_links = (
            '\n    <p class="para__hits">'
            f'<span class="para__hit-number">Hit {paragraph.hit_number} of {hit_count}</span>'
            f"{previous}{following}</p>"
        )
    permalink = escape(paragraph.permalink)
    citation = escape(paragraph.citation)
    number = "" if paragraph.number is None else escape(str(paragraph.number))
    return mark_safe(  # noqa: S308 - every piece of cable text is escaped
        f'<div class="para{" para--hit" if hit else ""}" id="{anchor}">\n'
        f'  <a class="para__link" href="#{anchor}" title="Link to this paragraph">¶{number}</a>\n'
        f'  <div class="para__body">\n    {"".join(blocks)}{hit_links}\n'
        '    <details class="para__cite">\n'
        "      <summary>Cite</summary>\n"
        f'      <p class="para__permalink"><a href="{permalink}">{permalink}</a>\n'
        f'        <button class="para__copy" type="button" data-copy="{permalink}" hidden>'
        "Copy link</button></p>\n"
        f'      <p class="para__citation"><code>{citation}</code>\n'
        f'        <button class="para__copy" type="button" data-copy="{citation}" hidden>'
        "Copy citation</button></p>\n"
        "    </details>\n"
        "  </div>\n"
        "</div>"
    )
