"""Each paragraph's permalink, copy control and ready-to-paste citation; the previous and next
cable from the same origin."""

import re
from pathlib import Path

import pytest
from pytest_django.asserts import assertContains, assertNotContains

pytestmark = pytest.mark.django_db

JS = Path(__file__).resolve().parent.parent / "static" / "js" / "cable.js"


@pytest.fixture
def cable(make_cable):
    return make_cable(
        "06ALMATY2803",
        "2006-08-05 01:16",
        classification="CONFIDENTIAL//NOFORN",
        paragraphs=["First.", "Second <b>bold</b>.", {"number": None, "text": "SIGNED"}],
    )


def paragraph(content: str, anchor: str) -> str:
    return re.search(rf'<div class="para" id="{anchor}">.*?</div>\s*</div>', content, re.S).group(0)


def test_each_paragraph_shows_its_permalink_as_a_link(client, cable):
    content = client.get("/cables/06ALMATY2803/").content.decode()
    p2 = paragraph(content, "p2")
    assert (
        '<a href="http://testserver/cables/06ALMATY2803/#p2">'
        "http://testserver/cables/06ALMATY2803/#p2</a>"
    ) in p2
    assert '<a class="para__link" href="#p2" title="Link to this paragraph">¶2</a>' in p2


def test_each_paragraph_has_a_citation_ready_to_paste_in_a_details(client, cable):
    content = client.get("/cables/06ALMATY2803/").content.decode()
    p2 = paragraph(content, "p2")
    details = re.search(r'<details class="para__cite">.*?</details>', p2, re.S).group(0)
    assert "<summary>Cite</summary>" in details
    assert (
        '<p class="para__citation"><code>06ALMATY2803 (2006-08-05, CONFIDENTIAL//NOFORN), '
        "para. 2, http://testserver/cables/06ALMATY2803/#p2</code>"
    ) in details
    u1 = paragraph(content, "u1")
    assert "06ALMATY2803 (2006-08-05, CONFIDENTIAL//NOFORN), unnumbered para. 1, " in u1


def test_copy_buttons_are_hidden_until_the_script_can_copy(client, cable):
    content = client.get("/cables/06ALMATY2803/").content.decode()
    p1 = paragraph(content, "p1")
    assert (
        '<button class="para__copy" type="button" '
        'data-copy="http://testserver/cables/06ALMATY2803/#p1" hidden>Copy link</button>'
    ) in p1
    assert (
        '<button class="para__copy" type="button" data-copy="06ALMATY2803 (2006-08-05, '
        'CONFIDENTIAL//NOFORN), para. 1, http://testserver/cables/06ALMATY2803/#p1" '
        "hidden>Copy citation</button>"
    ) in p1
    script = JS.read_text()
    assert 'querySelectorAll("button.para__copy")' in script
    assert "button.hidden = false" in script
    assert 'getAttribute("data-copy")' in script


def test_paragraph_text_stays_escaped(client, cable):
    content = client.get("/cables/06ALMATY2803/").content.decode()
    assert "Second &lt;b&gt;bold&lt;/b&gt;." in paragraph(content, "p2")


def test_the_cable_json_gives_each_paragraph_its_citation(client, cable):
    data = client.get("/cables/06ALMATY2803.json").json()
    assert [p["citation"] for p in data["paragraphs"]] == [
        "06ALMATY2803 (2006-08-05, CONFIDENTIAL//NOFORN), para. 1, "
        "http://testserver/cables/06ALMATY2803/#p1",
        "06ALMATY2803 (2006-08-05, CONFIDENTIAL//NOFORN), para. 2, "
        "http://testserver/cables/06ALMATY2803/#p2",
        "06ALMATY2803 (2006-08-05, CONFIDENTIAL//NOFORN), unnumbered para. 1, "
        "http://testserver/cables/06ALMATY2803/#u1",
    ]


def test_a_seed_paragraph_citation(client, imported_seeds):
    data = client.get("/cables/06ALMATY2803.json").json()
    assert data["paragraphs"][5]["citation"] == (
        "06ALMATY2803 (2006-08-05, CONFIDENTIAL), para. 6, "
        "http://testserver/cables/06ALMATY2803/#p6"
    )


# --- previous and next cable from the same origin -----------------------------------------


def origin_nav(client, reference_id: str) -> list[tuple[str, str]]:
    content = client.get(f"/cables/{reference_id}/").content.decode()
    nav = re.search(r'<nav class="cable-section origin-nav".*?</nav>', content, re.S)
    if nav is None:
        return []
    return re.findall(r'<a href="/cables/([^/]+)/" rel="(prev|next)">', nav.group(0))


def test_previous_and_next_follow_the_created_time_within_the_origin(client, make_cable):
    make_cable("06A1", "2006-01-01 10:00")
    make_cable("06A3", "2006-01-03 10:00")
    make_cable("06A2", "2006-01-02 10:00")
    make_cable("06X1", "2006-01-02 12:00", origin="Embassy Astana")
    assert origin_nav(client, "06A2") == [("06A1", "prev"), ("06A3", "next")]
    assert origin_nav(client, "06A1") == [("06A2", "next")]
    assert origin_nav(client, "06A3") == [("06A2", "prev")]
    assert origin_nav(client, "06X1") == []


def test_ties_in_created_time_go_by_reference_id(client, make_cable):
    for reference_id in ("06B2", "06B1", "06B3"):
        make_cable(reference_id, "2006-01-01 10:00")
    assert origin_nav(client, "06B1") == [("06B2", "next")]
    assert origin_nav(client, "06B2") == [("06B1", "prev"), ("06B3", "next")]
    assert origin_nav(client, "06B3") == [("06B2", "prev")]


def test_the_origin_navigation_names_the_origin_and_the_neighbours(client, imported_seeds):
    response = client.get("/cables/06ALMATY2803/")
    assertContains(response, '<h2 id="origin-nav-title">From US Office Almaty</h2>')
    assertContains(
        response,
        '← Previous: <a href="/cables/06ALMATY2404/" rel="prev">06ALMATY2404</a> '
        '<span class="muted">2006-07-07 · ',
    )
    assertContains(
        response,
        'Next →: <a href="/cables/06ALMATY3273/" rel="next">06ALMATY3273</a> '
        '<span class="muted">2006-09-18 · ',
    )
    assertNotContains(client.get("/cables/05ALMATY538/"), 'rel="prev"')


def test_before_and_after_take_plain_values(make_cable):
    from datetime import UTC, datetime

    from cables.models import Cable

    for reference_id in ("06B1", "06B2", "06B3"):
        make_cable(reference_id, "2006-01-01 10:00")
    same_time = datetime(2006, 1, 1, 10, 0, tzinfo=UTC)
    before = Cable.objects.before(same_time, "06B2")
    after = Cable.objects.after(same_time, "06B2")
    assert [c.reference_id for c in before] == ["06B1"]
    assert [c.reference_id for c in after] == ["06B3"]
