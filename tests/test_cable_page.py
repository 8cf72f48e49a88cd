"""One cable's page, /cables/<ID>/: metadata, tags, people it went to, what it cites and
what cites it, and its paragraphs with their anchors."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from cables.models import Mention, Person

pytestmark = pytest.mark.django_db

CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "site.css"


@pytest.fixture
def cable(make_cable):
    """A confidential cable with everything a cable page shows, cited by two others."""
    make_cable("06ALMATY2404", "2006-07-07 06:53", subject="EARLIER MEETING")
    cable = make_cable(
        "06ALMATY2803",
        "2006-08-05 01:16",
        classification="CONFIDENTIAL",
        origin="US Office Almaty",
        subject="KAZAKHSTAN: AMBASSADOR'S AUGUST 1 MEETING",
        classified_by="John Ordway",
        classification_reasons="1.4(b), 1.4(d)",
        declassify_on="2016-08-04",
        signer="ORDWAY",
        header="VZCZCXRO1435\nPP RUEHDBU\nFM AMEMBASSY ALMATY",
        tags=[("PREL", "External Political Relations"), ("KZ", "Kazakhstan")],
        recipients=[
            {
                "kind": "action",
                "name": "SECSTATE WASHDC",
                "route": "RUEHC",
                "precedence": "PRIORITY",
            },
            ("info", "AMEMBASSY KABUL"),
        ],
        references=[
            {"letter": "A", "text": "ALMATY 2532", "cited_id": "06ALMATY2532"},
            {"letter": "B", "text": "ALMATY 2404", "cited_id": "06ALMATY2404"},
            {"letter": "C", "text": "STATE TELCON OF JULY 3", "cited_id": ""},
        ],
        sources=[("fixtures/seeds/000_c2cf8323adc86661.txt", "text/labelled-columns")],
        paragraphs=[
            {"marking": "SBU", "text": "Summary: the meeting went well. End summary."},
            {"marking": "SBU", "heading": "Nazarbayev Visit", "text": "Planning is on track."},
            {
                "marking": "C",
                "heading": "Nazarbayev Visit",
                "text": "First block.\n\nSecond block:\n- item one\n- item two",
            },
            {"marking": "C", "heading": "Codel Lugar", "text": "Senator Lugar will visit."},
            {"number": None, "marking": "", "text": "ORDWAY"},
        ],
    )
    make_cable(
        "06ALMATY3273",
        "2006-09-18 06:45",
        subject="LATER CABLE",
        references=[{"letter": "A", "text": "ALMATY 2803", "cited_id": "06ALMATY2803"}],
    )
    make_cable(
        "06ALMATY2900",
        "2006-08-20 10:00",
        subject="MIDDLE CABLE",
        references=[
            {"letter": "A", "text": "ALMATY 2803", "cited_id": "06ALMATY2803"},
            {"letter": "B", "text": "ALMATY 2803 again", "cited_id": "06ALMATY2803"},
        ],
    )
    return cable


def get(client, reference_id="06ALMATY2803"):
    response = client.get(f"/cables/{reference_id}/")
    assert response.status_code == 200
    return response


def test_the_metadata_block_shows_every_field(client, cable):
    response = get(client)
    content = response.content.decode()
    metadata = re.search(r'<dl class="metadata__list">.*?</dl>', content, re.S).group(0)
    for expected in [
        "06ALMATY2803",
        "2006-08-05 01:16 UTC",
        "CONFIDENTIAL",
        "US Office Almaty",
        "KAZAKHSTAN: AMBASSADOR&#x27;S AUGUST 1 MEETING",
        "John Ordway",
        "1.4(b), 1.4(d)",
        "2016-08-04",
        "ORDWAY",
    ]:
        assert expected in metadata, expected
    assert '<time datetime="2006-08-05T01:16:00Z">' in metadata


def test_a_complete_cable_has_no_partial_notice(client, cable):
    assertNotContains(get(client), "This is a partial extract or truncated text")


def test_a_partial_cable_says_so(client, make_cable):
    make_cable("06ALMATY1", partial=True)
    assertContains(get(client, "06ALMATY1"), "This is a partial extract or truncated text")


def test_tags_are_listed_in_order_with_descriptions_and_links(client, cable):
    content = get(client).content.decode()
    assert (
        '<a class="tag" href="/cables/?tag=PREL">PREL</a> '
        '<span class="tag-defs__desc">External Political Relations</span>'
    ) in content
    assert '<a class="tag" href="/cables/?tag=KZ">KZ</a>' in content
    assert content.index("?tag=PREL") < content.index("?tag=KZ")


def test_recipients_are_split_into_action_and_info(client, cable):
    content = get(client).content.decode()
    section = re.search(r"<section[^>]*recipients-title.*?</section>", content, re.S).group(0)
    action, info = section.split("<h3>Info</h3>")
    assert "SECSTATE WASHDC" in action and "PRIORITY" in action
    assert "AMEMBASSY KABUL" in info and "SECSTATE" not in info


def test_a_reference_to_a_cable_in_the_archive_links_to_it(client, cable):
    assertContains(
        get(client),
        '<a href="/cables/06ALMATY2404/" title="EARLIER MEETING (2006-07-07)">06ALMATY2404</a>',
    )


def test_a_reference_to_a_missing_cable_is_shown_unlinked_and_marked(client, cable):
    response = get(client)
    assertNotContains(response, 'href="/cables/06ALMATY2532/"')
    assertContains(response, '<span class="ref-missing">06ALMATY2532</span>')
    assertContains(response, "ALMATY 2532 · not in the archive")


def test_a_reference_that_is_not_a_cable_is_shown_as_text(client, cable):
    assertContains(get(client), '<span class="ref-text">STATE TELCON OF JULY 3</span>')


def test_referenced_by_lists_citing_cables_once_newest_first(client, cable):
    content = get(client).content.decode()
    section = re.search(r"<section[^>]*referenced-by-title.*?</section>", content, re.S).group(0)
    assert re.findall(r'href="/cables/([^/]+)/"', section) == ["06ALMATY3273", "06ALMATY2900"]


def test_a_cable_nobody_cites_has_no_referenced_by_section(client, cable):
    assertNotContains(get(client, "06ALMATY3273"), "Referenced by")


def test_sources_show_path_and_format(client, cable):
    assertContains(
        get(client),
        "<code>fixtures/seeds/000_c2cf8323adc86661.txt</code> "
        '<span class="muted">(text/labelled-columns)</span>',
    )


def test_people_named_are_listed(client, cable, mention):
    person = Person.objects.create(name="John Ordway", slug="john-ordway")
    mention(person, cable, Mention.CLASSIFIED_BY)
    assertContains(
        get(client),
        '<a href="/people/john-ordway/">John Ordway</a> <span class="muted">classified_by</span>',
    )


def test_the_routing_header_is_folded_in_a_details_element(client, cable):
    content = get(client).content.decode()
    details = re.search(r"<details[^>]*>.*?</details>", content, re.S).group(0)
    assert details.startswith('<details class="routing">')  # no "open" attribute
    assert "<summary>Routing header</summary>" in details
    assert "VZCZCXRO1435\nPP RUEHDBU\nFM AMEMBASSY ALMATY" in details


def test_paragraphs_carry_their_anchor_as_id_in_order(client, cable):
    content = get(client).content.decode()
    assert re.findall(r'<div class="para" id="([^"]+)">', content) == ["p1", "p2", "p3", "p4", "u1"]


def test_each_paragraph_links_to_itself(client, cable):
    response = get(client)
    for n in range(1, 5):
        assertContains(
            response, f'<a class="para__link" href="#p{n}" title="Link to this paragraph">¶{n}</a>'
        )
    assertContains(
        response, '<a class="para__link" href="#u1" title="Link to this paragraph">¶</a>'
    )


def test_a_paragraph_shows_its_marking(client, cable):
    content = get(client).content.decode()
    p3 = re.search(r'<div class="para" id="p3">.*?</div>\s*</div>', content, re.S).group(0)
    assert '<span class="para__marking">(C)</span> First block.' in p3
    u1 = re.search(r'<div class="para" id="u1">.*?</div>\s*</div>', content, re.S).group(0)
    assert "para__marking" not in u1


def test_a_heading_is_shown_once_where_it_changes(client, cable):
    content = get(client).content.decode()
    headings = re.findall(r'<h3 class="cable-text__heading">([^<]*)</h3>', content)
    assert headings == ["Nazarbayev Visit", "Codel Lugar"]
    assert content.index("Nazarbayev Visit</h3>") < content.index('id="p2"')
    assert content.index('id="p3"') < content.index("Codel Lugar</h3>") < content.index('id="p4"')


def test_blocks_become_paragraphs_and_single_newlines_line_breaks(client, cable):
    response = get(client)
    content = response.content.decode()
    p3 = re.search(r'<div class="para" id="p3">.*?</div>\s*</div>', content, re.S).group(0)
    assertInHTML("<p>Second block:<br>- item one<br>- item two</p>", p3)
    assert p3.count("<p>") == 2


def test_cable_text_and_subject_are_escaped(client, make_cable):
    make_cable(
        "06EVIL1",
        subject='<script>alert("subject")</script>',
        summary="<b>bold</b>",
        paragraphs=[
            {
                "text": "<script>alert('text')</script>\n\n<img src=x onerror=alert(1)>",
                "heading": "<i>heading</i>",
                "marking": "<C>",
            }
        ],
        header="<iframe>",
        tags=[("EVIL", "<script>tag</script>")],
    )
    response = get(client, "06EVIL1")
    content = response.content.decode()
    assert "<script>alert" not in content
    assert "<img src=x" not in content
    assert "<iframe>" not in content
    assert "<i>heading</i>" not in content
    assert "<script>tag</script>" not in content
    assert "&lt;script&gt;alert(&quot;subject&quot;)&lt;/script&gt;" in content
    assert "&lt;script&gt;alert(&#x27;text&#x27;)&lt;/script&gt;" in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content


def test_target_paragraphs_are_highlighted_with_css_only(client, cable):
    css = CSS.read_text()
    assert ".para:target" in css
    assert "scroll-margin-top" in css


def test_the_page_links_its_json_twin(client, cable):
    assertContains(get(client), 'href="/cables/06ALMATY2803.json"')


def test_an_unknown_id_is_a_404(client, cable):
    response = client.get("/cables/06NOWHERE1/")
    assert response.status_code == 404
    assertContains(response, "Not found", status_code=404)


def test_a_lower_case_id_redirects_permanently_to_the_canonical_one(client, cable):
    response = client.get("/cables/06almaty2803/")
    assert response.status_code == 301
    assert response["Location"] == "/cables/06ALMATY2803/"
    response = client.get("/cables/06Almaty2803.json")
    assert response.status_code == 301
    assert response["Location"] == "/cables/06ALMATY2803.json"


def test_a_lower_case_id_of_no_cable_is_a_404(client, cable):
    assert client.get("/cables/06nowhere1/").status_code == 404


def test_the_cable_page_runs_a_constant_number_of_queries(
    client, make_cable, django_assert_max_num_queries
):
    # Two cables of the same shape (each cites a cable in the archive and is cited), one
    # small, one big: the same queries. The budget: the cable, its seven relations, the
    # previous and next cable of its origin, one query per step of the thread after the
    # first, each way (here one step each way finds nothing further), and the similar
    # cables (one query). (On PostgreSQL the cable, its relations and neighbours are one
    # statement, prepared by a session's first page: both pages are fetched once first.)
    make_cable("06SMALL1", paragraphs=["one"], tags=["KZ"])
    make_cable("06SMALL2", paragraphs=["one"], tags=["KZ"], references=["06SMALL1"])
    make_cable("06SMALLCITE", references=["06SMALL2"])
    make_cable(
        "06BIG1",
        paragraphs=[f"Paragraph {n}." for n in range(1, 60)],
        tags=[f"T{n}" for n in range(20)],
        references=["06SMALL1", *[f"06GONE{n}" for n in range(1, 20)]],
        recipients=[("info", f"POST {n}") for n in range(30)],
    )
    for n in range(10):
        make_cable(f"06CITE{n}", references=["06BIG1"])
    get(client, "06SMALL2")
    get(client, "06BIG1")
    with CaptureQueriesContext(connection) as small:
        get(client, "06SMALL2")
    with django_assert_max_num_queries(13):
        get(client, "06BIG1")
    with CaptureQueriesContext(connection) as big:
        get(client, "06BIG1")
    assert len(big) == len(small)


def test_a_seed_cable_page_shows_its_paragraphs(client, imported_seeds):
    response = get(client)
    assertContains(response, '<div class="para" id="p6">')
    assertContains(
        response, '<a class="para__link" href="#p6" title="Link to this paragraph">¶6</a>'
    )
    assertContains(response, '<h3 class="cable-text__heading">Codel Lugar</h3>', count=1)
    assertContains(
        response,
        '<a href="/cables/06ALMATY2404/" title="KAZAKHSTAN: AMBASSADOR DISCUSSES DEMOCRATIC '
        'DEVELOPMENT WITH PA DEPUTY HEAD ASHIMBAYEV (2006-07-07)">06ALMATY2404</a>',
    )
