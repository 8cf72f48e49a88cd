"""What a cable cites and what cites it: the REF list resolved (links with the cited cable's
subject and date, missing cables listed), "Referenced by", links from ``(Ref A)`` and
``reftel`` in the text, and the thread of cables citing each other."""

import re

import pytest
from django.db import connection
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from cables.reflinks import LIST, Target, link_references
from cables.search import Highlighter, parse_query

pytestmark = pytest.mark.django_db

IN_ARCHIVE = Target(url="/cables/06ALMATY2404/", title="A MEETING (2006-07-07)")
MISSING = Target(title="06ALMATY2532 (not in the archive)", missing=True)
LETTERS = {"A": MISSING, "C": IN_ARCHIVE}

LINK_C = '<a class="ref-inline" href="/cables/06ALMATY2404/" title="A MEETING (2006-07-07)">'
MISSING_A = (
    '<span class="ref-inline ref-inline--missing" title="06ALMATY2532 (not in the archive)">'
)


def section(content: str, title_id: str) -> str:
    return re.search(rf"<section[^>]*{title_id}.*?</section>", content, re.S).group(0)


# --- link_references: escaped text, our links around the tokens ------------------------


@pytest.mark.parametrize(
    "text, html",
    [
        ("the media law (Ref C) would", f"the media law ({LINK_C}Ref C</a>) would"),
        ("as in (ref c), he said", f"as in ({LINK_C}ref c</a>), he said"),
        ("REF C. Then", f"{LINK_C}REF C</a>. Then"),
        ("see REFTEL C", f"see {LINK_C}REFTEL C</a>"),
        ("REFS A AND C", f"{MISSING_A}REFS A</span> AND {LINK_C}C</a>"),
        ("refs A, B, and C", f"{MISSING_A}refs A</span>, B, and {LINK_C}C</a>"),
        ("REF B alone", "REF B alone"),  # no such letter in the REF block
        ("REF a meeting", "REF a meeting"),  # a word after a capital keyword
        ("REFERENCE C and PREFC", "REFERENCE C and PREFC"),
        ("Ref Charlie", "Ref Charlie"),
    ],
)
def test_ref_letters_link_to_the_cable_they_name(text, html):
    assert link_references(text, LETTERS) == html


def test_hostile_text_is_escaped_around_and_inside_the_links():
    text = "<script>alert('x')</script> (Ref C) <img src=x onerror=alert(1)> & REF A\"><b>"
    html = link_references(text, LETTERS, LIST)
    assert html == (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; "
        f"({LINK_C}Ref C</a>) &lt;img src=x onerror=alert(1)&gt; &amp; "
        f"{MISSING_A}REF A</span>&quot;&gt;&lt;b&gt;"
    )
    assert "<script" not in html and "<img" not in html and "<b>" not in html


def test_link_titles_are_escaped_and_on_one_line():
    target = Target(url="/cables/X1/", title='"><script>x</script>\nline two')
    assert link_references("Ref A", {"A": target}) == (
        '<a class="ref-inline" href="/cables/X1/" '
        'title="&quot;&gt;&lt;script&gt;x&lt;/script&gt; line two">Ref A</a>'
    )


def test_reftel_links_to_the_single_reference_or_to_the_list():
    assert link_references("in reftel, he", {}, IN_ARCHIVE) == f"in {LINK_C}reftel</a>, he"
    assert link_references("(REFTELS) said", {}, LIST) == (
        '(<a class="ref-inline" href="#references" title="See the references">REFTELS</a>) said'
    )
    assert link_references("(reftel) <i>", {}, None) == "(reftel) &lt;i&gt;"
    # A bare REF is not reftel.
    assert link_references("REF: A. ALMATY 2532", {}, LIST) == "REF: A. ALMATY 2532"


def test_search_highlighting_and_reference_links_combine_and_stay_escaped():
    highlighter = Highlighter(parse_query("media"))
    html = link_references("<media> law (Ref C)", LETTERS, render=highlighter.html)
    assert html == f"&lt;<mark>media</mark>&gt; law ({LINK_C}Ref C</a>)"


# --- the cable page and its JSON, on the seed cables --------------------------------------


def test_a_cited_cable_in_the_archive_links_with_its_subject_and_date(client, imported_seeds):
    content = client.get("/cables/06ALMATY2803/").content.decode()
    references = section(content, "references-title")
    assert (
        '<a href="/cables/06ALMATY2404/" title="KAZAKHSTAN: AMBASSADOR DISCUSSES DEMOCRATIC '
        'DEVELOPMENT WITH PA DEPUTY HEAD ASHIMBAYEV (2006-07-07)">06ALMATY2404</a>'
    ) in references


def test_cited_cables_not_in_the_archive_are_unlinked_and_listed_as_missing(client, imported_seeds):
    content = client.get("/cables/06ALMATY2803/").content.decode()
    references = section(content, "references-title")
    assert 'href="/cables/06ALMATY2532/"' not in references
    assert '<span class="ref-missing">06ALMATY2532</span>' in references
    assert (
        '<p class="ref-missing-list muted">Not in the archive: '
        '<span class="ref-missing">06ALMATY2532</span>, '
        '<span class="ref-missing">06ALMATY2464</span></p>'
    ) in references


def test_ref_letters_in_the_seed_text_link_or_are_marked_missing(client, imported_seeds):
    response = client.get("/cables/06ALMATY2803/")
    assertContains(
        response,
        'Maulen Ashimbayev (<a class="ref-inline" href="/cables/06ALMATY2404/" '
        'title="KAZAKHSTAN: AMBASSADOR DISCUSSES DEMOCRATIC DEVELOPMENT WITH PA DEPUTY HEAD '
        'ASHIMBAYEV (2006-07-07)">Ref C</a>),the Ambassador',
    )
    assertContains(
        response,
        'media law (<span class="ref-inline ref-inline--missing" '
        'title="06ALMATY2532 (not in the archive)">Ref A</span>) would',
    )
    assertContains(
        response,
        'Almaty (<span class="ref-inline ref-inline--missing" '
        'title="06ALMATY2464 (not in the archive)">Ref B</span>) was',
    )


def test_reftel_with_one_reference_names_it(client, imported_seeds):
    # 06ALMATY2404 cites ALMATY 1418 alone, which is not in the archive.
    assertContains(
        client.get("/cables/06ALMATY2404/"),
        'conversation (<span class="ref-inline ref-inline--missing" '
        'title="06ALMATY1418 (not in the archive)">reftel</span>)',
    )


def test_reftels_with_several_references_link_to_the_list(client, imported_seeds):
    response = client.get("/cables/05ALMATY538/")
    assertContains(
        response,
        '(<a class="ref-inline" href="#references" title="See the references">reftels</a>)',
    )
    assertContains(response, '<section class="cable-section" id="references"')


def test_referenced_by_on_a_seed_cable(client, imported_seeds):
    content = client.get("/cables/06ALMATY2404/").content.decode()
    cited_by = section(content, "referenced-by-title")
    assert re.findall(r'href="/cables/([^/]+)/"', cited_by) == ["06ALMATY2803"]


def test_the_cable_json_lists_referenced_by_and_missing_references(client, imported_seeds):
    data = client.get("/cables/06ALMATY2404.json").json()
    assert data["referenced_by"] == [
        {
            "id": "06ALMATY2803",
            "url": "/cables/06ALMATY2803/",
            "created": "2006-08-05T01:16:00Z",
            "subject": "KAZAKHSTAN: AMBASSADOR'S AUGUST 1 MEETING WITH PA HEAD DZHAKSYBEKOV",
        }
    ]
    assert data["missing_references"] == ["06ALMATY1418"]
    data = client.get("/cables/06ALMATY2803.json").json()
    assert data["missing_references"] == ["06ALMATY2532", "06ALMATY2464"]
    assert [(r["cited_id"], r["missing"], r["url"]) for r in data["references_detail"]] == [
        ("06ALMATY2532", True, None),
        ("06ALMATY2464", True, None),
        ("06ALMATY2404", False, "/cables/06ALMATY2404/"),
    ]
    assert data["referenced_by"] == []


def test_referenced_by_is_newest_first_and_once_per_citing_cable(client, make_cable):
    make_cable("06A1", "2006-01-01")
    make_cable("06B1", "2006-02-01", references=["06A1", "06A1"])
    make_cable("06C1", "2006-03-01", references=["06A1"])
    data = client.get("/cables/06A1.json").json()
    assert [c["id"] for c in data["referenced_by"]] == ["06C1", "06B1"]


# --- the thread -----------------------------------------------------------------------------


@pytest.fixture
def chain(make_cable):
    """06T1 <- 06T2 <- 06T3 <- 06T4 <- 06T5 <- 06T6 (each cites the one before), and 06T9
    also cites 06T3."""
    make_cable("06T1", "2006-01-01", subject="ONE")
    for n in range(2, 7):
        make_cable(f"06T{n}", f"2006-01-0{n}", references=[f"06T{n - 1}"])
    make_cable("06T9", "2006-01-09", references=["06T3"])


def thread_ids(content: str) -> tuple[list[str], list[str]]:
    thread = section(content, "thread-title")
    cites, _, cited_by = thread.partition('class="thread__self"')
    return (
        re.findall(r'href="/cables/([^/]+)/"', cites),
        re.findall(r'href="/cables/([^/]+)/"', cited_by),
    )


def test_the_thread_shows_a_few_steps_each_way(client, chain):
    content = client.get("/cables/06T4/").content.decode()
    assert thread_ids(content) == (["06T3", "06T2", "06T1"], ["06T5", "06T6"])
    # Step by step: each cable under the one that cites (or is cited by) it.
    thread = section(content, "thread-title")
    nested = re.sub(r"\s+", " ", re.sub(r"<span.*?</span>", "", thread))
    assert (
        '<a href="/cables/06T3/">06T3</a> <ul class="thread__list"> '
        '<li><a href="/cables/06T2/">06T2</a> <ul class="thread__list"> '
        '<li><a href="/cables/06T1/">06T1</a>'
    ) in nested


def test_the_thread_stops_after_three_steps(client, chain):
    content = client.get("/cables/06T6/").content.decode()
    assert thread_ids(content) == (["06T5", "06T4", "06T3"], [])
    content = client.get("/cables/06T1/").content.decode()
    # 06T2 <- 06T3 <- 06T4 and 06T9 (both cite 06T3), newest first; 06T5 is four steps away.
    assert thread_ids(content) == ([], ["06T2", "06T3", "06T9", "06T4"])


def test_a_thread_of_one_step_is_left_to_the_reference_lists(client, make_cable):
    make_cable("06A1", "2006-01-01")
    make_cable("06B1", "2006-02-01", references=["06A1"])
    assertNotContains(client.get("/cables/06B1/"), "thread-title")


def test_a_citation_loop_shows_each_cable_once(client, make_cable):
    from cables.models import Reference

    make_cable("06L1", "2006-01-01", references=["06L3"])  # not in the archive yet
    make_cable("06L2", "2006-01-02", references=["06L1"])
    last = make_cable("06L3", "2006-01-03", references=["06L2"])
    Reference.objects.filter(cited_id="06L3").update(target=last)
    content = client.get("/cables/06L2/").content.decode()
    assert thread_ids(content) == (["06L1", "06L3"], ["06L3", "06L1"])


def test_the_thread_costs_one_query_per_step(client, chain, django_assert_num_queries):
    # The cable, 7 relations, previous and next of its origin (one statement on PostgreSQL,
    # prepared by the first fetch), then steps 2 and 3 each way (step 1 comes from the
    # references and "referenced by" already read).
    client.get("/cables/06T4/")
    cable_and_relations = 1 if connection.vendor == "postgresql" else 10
    with django_assert_num_queries(cable_and_relations + 4):
        client.get("/cables/06T4/")


def test_subjects_in_the_thread_are_escaped(client, make_cable):
    make_cable("06X1", "2006-01-01", subject="<script>x</script>")
    make_cable("06X2", "2006-01-02", references=["06X1"])
    make_cable("06X3", "2006-01-03", references=["06X2"])
    content = client.get("/cables/06X3/").content.decode()
    assert escape("<script>x</script>") in section(content, "thread-title")
    assert "<script>x" not in content
