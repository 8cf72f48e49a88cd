"""A cable page's paragraphs, rendered by ``cable_paragraph`` (Python, not an include)."""

import re

from django.utils.safestring import mark_safe

from cables.models import Paragraph
from cables.templatetags.cable_paragraph import cable_paragraph


def _paragraph(**fields) -> Paragraph:
    paragraph = Paragraph(
        anchor=fields.pop("anchor", "p3"), number=fields.pop("number", 3), **fields
    )
    paragraph.html_blocks = [mark_safe("First line\nsecond line")]
    paragraph.permalink = "https://example.org/cables/06ALMATY1/#p3"
    paragraph.citation = "06ALMATY1, ¶3 (https://example.org/cables/06ALMATY1/#p3)"
    return paragraph


def test_a_paragraph_has_its_anchor_its_link_and_its_lines():
    html = cable_paragraph(_paragraph())
    assert '<div class="para" id="p3">' in html
    assert '<a class="para__link" href="#p3" title="Link to this paragraph">¶3</a>' in html
    assert "<p>First line<br>second line</p>" in html
    assert html.count("https://example.org/cables/06ALMATY1/#p3") == 5


def test_the_marking_comes_before_the_first_block_only():
    paragraph = _paragraph(marking="C")
    paragraph.html_blocks = [mark_safe("One."), mark_safe("Two.")]
    html = cable_paragraph(paragraph)
    assert '<p><span class="para__marking">(C)</span> One.</p><p>Two.</p>' in html


def test_a_marking_without_text_is_shown_alone():
    paragraph = _paragraph(marking="S/NF")
    paragraph.html_blocks = []
    assert '<p><span class="para__marking">(S/NF)</span></p>' in cable_paragraph(paragraph)


def test_an_unnumbered_paragraph_has_no_number():
    assert '">¶</a>' in cable_paragraph(_paragraph(number=None, anchor="u1"))


def test_text_not_marked_safe_and_the_marking_are_escaped():
    paragraph = _paragraph(marking='<b onclick="x">')
    paragraph.html_blocks = ["<script>alert(1)</script>"]
    html = cable_paragraph(paragraph)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b onclick" not in html and "(&lt;b onclick=&quot;x&quot;&gt;)" in html


def test_a_hit_links_to_the_previous_and_next_hits():
    paragraph = _paragraph()
    paragraph.search_hit, paragraph.hit_number = True, 2
    paragraph.previous_hit, paragraph.next_hit = "p1", "p5"
    html = cable_paragraph(paragraph, 3)
    assert '<div class="para para--hit" id="p3">' in html
    assert "Hit 2 of 3" in html
    links = re.findall(r'href="#(p\d)" data-hit="(\w+)"', html)
    assert links == [("p1", "previous"), ("p5", "next")]


def test_the_last_hit_has_no_next_link():
    paragraph = _paragraph()
    paragraph.search_hit, paragraph.hit_number = True, 1
    paragraph.previous_hit, paragraph.next_hit = None, None
    html = cable_paragraph(paragraph, 1)
    assert "data-hit" not in html and "Hit 1 of 1" in html


def test_every_piece_of_text_is_escaped_wherever_it_goes():
    hostile = '"><script>x</script>'
    paragraph = _paragraph(anchor=hostile, number=hostile, marking=hostile)
    paragraph.permalink = paragraph.citation = hostile
    paragraph.search_hit, paragraph.hit_number = True, 1
    paragraph.previous_hit = paragraph.next_hit = hostile
    html = cable_paragraph(paragraph, 2)
    assert "<script>" not in html and hostile not in html
    assert html.count("&quot;&gt;&lt;script&gt;x&lt;/script&gt;") == 11
