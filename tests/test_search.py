"""Full-text search: /cables/?q=, its JSON twin and the cable page's highlights.

Every test here runs unchanged on SQLite (FTS5) and on PostgreSQL (tsvector): the two
engines must give the same answers."""

import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from cables.models import Cable, Paragraph
from cables.search import engine, parse_query

pytestmark = pytest.mark.django_db

ROW_ID = re.compile(r'class="cable-row__id" href="/cables/([^"/]+)/"')
SNIPPET = re.compile(r'<a class="snippet" href="([^"]*)">(.*?)</a>', re.S)


def ids(response) -> list[str]:
    """The cable ids listed on a /cables/ page, in page order."""
    return ROW_ID.findall(response.content.decode())


def search(client, q: str, **params) -> list[str]:
    response = client.get("/cables/", {"q": q, **params})
    assert response.status_code == 200, response.status_code
    return ids(response)


def row(response, reference_id: str) -> str:
    """The HTML of one result row."""
    content = response.content.decode()
    start = content.index(f'href="/cables/{reference_id}/"')
    end = content.find('<li class="cable-row">', start)
    return content[start : end if end != -1 else len(content)]


def snippets(response, reference_id: str) -> list[tuple[str, str]]:
    """A result's snippets as (link, html)."""
    return [
        (html.unescape(url), text) for url, text in SNIPPET.findall(row(response, reference_id))
    ]


@pytest.fixture
def archive(make_searchable):
    make_searchable(
        "06ALMATY100",
        "2006-08-05 01:16",
        classification="CONFIDENTIAL",
        origin="US Office Almaty",
        subject="KAZAKHSTAN: URANIUM MINING TALKS",
        tags=["KZ", "ENRG"],
        paragraphs=[
            "Summary: the ambassador met the energy minister. End summary.",
            "Kazatomprom expects its production to double by 2010.",
            "Human rights groups were not consulted about the new mines.",
        ],
    )
    make_searchable(
        "06ALMATY200",
        "2006-09-01 10:00",
        classification="UNCLASSIFIED",
        origin="US Office Almaty",
        subject="KAZAKHSTAN: ELECTION OBSERVERS",
        tags=["KZ", "PGOV"],
        paragraphs=[
            "Observers discussed human rights and press freedom.",
            "The observers spoke to party leaders.",
            "Uranium exports were mentioned in passing.",
            "Uranium again: uranium prices rose, and uranium sales.",
        ],
    )
    make_searchable(
        "07MOSCOW300",
        "2007-01-10 12:00",
        classification="SECRET",
        origin="Embassy Moscow",
        subject="RUSSIA: GAS PIPELINE TO CHINA",
        tags=["RS", "ENRG"],
        paragraphs=[
            "Gazprom plans a pipeline to China.",
            "Caviar was served at the meetings.",
            '<script>alert("pipeline")</script> Pipeline & gas <b>bold</b>',
        ],
    )
    make_searchable(
        "05ASTANA400",
        "2005-03-03 08:00",
        classification="CONFIDENTIAL",
        origin="Embassy Astana",
        subject="KAZAKHSTAN: OIL PIPELINE",
        tags=["KZ", "ENRG"],
        paragraphs=[
            "The oil pipeline avoids Russia.",
            "Meetings with the oil minister continued.",
        ],
    )
    make_searchable(
        "08ASTANA500",
        "2008-02-02 09:00",
        classification="UNCLASSIFIED",
        origin="Embassy Astana",
        subject="KAZAKHSTAN: A SPEECH",
        tags=["KZ"],
        paragraphs=["He spoke of the rights of every human being."],
    )


# --- the query syntax -------------------------------------------------------------------------


def test_every_word_must_match_somewhere_in_the_cable(client, archive):
    assert search(client, "uranium exports") == ["06ALMATY200"]
    # One word in the subject, the other in a paragraph: the cable matches as a whole.
    assert search(client, "kazakhstan kazatomprom") == ["06ALMATY100"]
    assert search(client, "uranium caviar") == []


def test_a_quoted_phrase_matches_only_those_words_in_that_order(client, archive):
    words = search(client, "human rights", sort="oldest")
    assert words == ["06ALMATY100", "06ALMATY200", "08ASTANA500"]
    phrase = search(client, '"human rights"', sort="oldest")
    assert phrase == ["06ALMATY100", "06ALMATY200"]


def test_a_phrase_is_found_in_the_subject_in_a_paragraph_with_or_and_less_exclusions(
    client, archive
):
    # In the subject only; in a paragraph only; in both.
    assert search(client, '"election observers"') == ["06ALMATY200"]
    assert search(client, '"press freedom"') == ["06ALMATY200"]
    assert search(client, '"oil pipeline"') == ["05ASTANA400"]
    # A phrase or a word; a phrase without the cables holding an excluded word or phrase.
    assert search(client, '"press freedom" OR caviar', sort="newest") == [
        "07MOSCOW300",
        "06ALMATY200",
    ]
    assert search(client, '"human rights" -observers') == ["06ALMATY100"]
    assert search(client, '"human rights" -"press freedom"') == ["06ALMATY100"]
    assert search(client, '"human rights" -"rights groups"') == ["06ALMATY200"]
    # Each paragraph with the phrase counts once towards the matching paragraphs.
    response = client.get("/cables.json", {"q": '"human rights"'})
    assert response.json()["matching_paragraphs"] == 2


def test_or_matches_either_word(client, archive):
    assert search(client, "caviar OR kazatomprom", sort="newest") == ["07MOSCOW300", "06ALMATY100"]
    # OR binds tighter than the implicit AND.
    assert search(client, "kazakhstan caviar OR kazatomprom") == ["06ALMATY100"]
    # Lower-case "or" is a word (a very common one), not an operator.
    assert search(client, "caviar or kazatomprom") == []


def test_a_minus_excludes_every_cable_containing_the_word_or_phrase(client, archive):
    assert search(client, "pipeline -china") == ["05ASTANA400"]
    assert search(client, 'kazakhstan -"human rights"', sort="newest") == [
        "08ASTANA500",
        "05ASTANA400",
    ]
    # A hyphen inside a word is not an exclusion.
    assert search(client, "kazakhstan -pipeline", sort="oldest") == [
        "06ALMATY100",
        "06ALMATY200",
        "08ASTANA500",
    ]


def test_words_are_matched_by_their_stem_and_case_does_not_matter(client, archive):
    assert search(client, "MEETING", sort="newest") == ["07MOSCOW300", "05ASTANA400"]
    assert search(client, "observer") == ["06ALMATY200"]


def test_the_subject_is_searched_too(client, archive):
    assert search(client, "election") == ["06ALMATY200"]


# --- ranking and order ------------------------------------------------------------------------


def test_a_subject_hit_ranks_above_hits_in_the_text_only(client, archive):
    # 06ALMATY100 has "uranium" only in its subject; 06ALMATY200, newer, four times in
    # its text.
    assert search(client, "uranium") == ["06ALMATY100", "06ALMATY200"]
    assert search(client, "uranium", sort="relevance") == ["06ALMATY100", "06ALMATY200"]


def test_among_text_hits_more_paragraphs_about_it_rank_higher(client, make_searchable):
    make_searchable(
        "09ROME1",
        "2009-01-01 10:00",
        subject="WEEKLY REPORT",
        paragraphs=["Sturgeon were seen.", "Nothing else.", "No more.", "The end."],
    )
    make_searchable(
        "08ROME2",
        "2008-01-01 10:00",
        subject="FISHERIES",
        paragraphs=["Sturgeon stocks.", "Sturgeon quotas.", "Sturgeon prices.", "The end."],
    )
    assert search(client, "sturgeon") == ["08ROME2", "09ROME1"]


@pytest.mark.parametrize(
    "q",
    ["kazakhstan", "uranium", "election", "caviar OR kazatomprom", "pipeline -china", "human"],
)
def test_the_page_finds_the_cables_the_queryset_api_finds(client, archive, imported_seeds, q):
    # On PostgreSQL the page finds a one-group search's cables from their paragraphs and
    # titles, the queryset API from the whole cable's vector: the same cables either way.
    found = set(Cable.objects.search(q).values_list("reference_id", flat=True))
    assert found
    assert set(search(client, q, sort="newest")) == found


def test_a_word_the_parser_splits_is_found_as_the_queryset_api_finds_it(client, make_searchable):
    # PostgreSQL reads "uranium½kazatomprom" as 'uranium' & 'kazatomprom': one in the
    # subject and one in the text still make a match (from the parts, they would not).
    make_searchable("06ALMATY100", subject="URANIUM TALKS", paragraphs=["Kazatomprom met."])
    q = "uranium½kazatomprom"
    found = list(Cable.objects.search(q).values_list("reference_id", flat=True))
    assert search(client, q) == found
    if connection.vendor == "postgresql":
        assert found == ["06ALMATY100"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner settings")
def test_a_search_inside_a_transaction_leaves_the_planner_settings_as_they_were(client, archive):
    def settings() -> tuple[str, ...]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'),"
                " current_setting('jit'), current_setting('work_mem')"
            )
            return cursor.fetchone()

    before = settings()
    assert connection.in_atomic_block  # (the test's own transaction)
    assert search(client, "uranium") and search(client, '"human rights" -observers')
    assert settings() == before


def test_the_queryset_api_ranks_like_the_page(client, archive):
    ranked = Cable.objects.search("uranium").by_relevance("uranium")
    assert list(ranked.values_list("reference_id", flat=True)) == search(client, "uranium")
    assert all(cable.search_rank > 0 for cable in ranked)


def test_results_can_be_sorted_by_date_either_way(client, archive):
    assert search(client, "uranium", sort="newest") == ["06ALMATY200", "06ALMATY100"]
    assert search(client, "uranium", sort="oldest") == ["06ALMATY100", "06ALMATY200"]


def test_the_page_offers_the_other_orders(client, archive):
    response = client.get("/cables/?q=uranium")
    assertContains(response, "most relevant first.")
    assertContains(response, '<a href="/cables/?q=uranium&amp;sort=newest">Newest first</a>')
    assertContains(response, '<a href="/cables/?q=uranium&amp;sort=oldest">Oldest first</a>')
    # Without a search there is no relevance to sort by.
    assertNotContains(client.get("/cables/"), "Most relevant first")


def test_pages_of_results_keep_the_search_and_its_order(client, archive, settings):
    settings.CABLES_PAGE_SIZE = 1
    response = client.get("/cables/?q=uranium")
    assert ids(response) == ["06ALMATY100"]
    assertContains(response, '<a href="/cables/?q=uranium&amp;page=2" rel="next">Next →</a>')
    assert ids(client.get("/cables/?q=uranium&page=2")) == ["06ALMATY200"]
    response = client.get("/cables/?q=uranium&sort=oldest&page=2")
    assert ids(response) == ["06ALMATY200"]
    assertContains(response, 'rel="prev">← Older</a>')


def test_an_unknown_sort_is_an_invalid_parameter(client, archive):
    response = client.get("/cables/?q=uranium&sort=random")
    assert response.status_code == 400
    assertContains(response, "Sort: Choose relevance, newest, oldest or cited.", status_code=400)


# --- counts and snippets ----------------------------------------------------------------------


def test_the_page_counts_matching_cables_and_matching_paragraphs(client, archive):
    response = client.get("/cables/?q=uranium")
    # Three paragraphs of 06ALMATY200 mention uranium; 06ALMATY100 only in its subject.
    assertContains(
        response, "<strong>2</strong> cables with <strong>2</strong> matching paragraphs"
    )
    response = client.get("/cables/?q=pipeline")
    assertContains(
        response, "<strong>2</strong> cables with <strong>3</strong> matching paragraphs"
    )


def test_matching_paragraphs_count_only_the_selected_cables(client, archive):
    # "rights" is in paragraphs of three cables; the tag keeps two of them.
    response = client.get("/cables/?q=rights&tag=ENRG")
    assertContains(response, "<strong>1</strong> cable with <strong>1</strong> matching paragraph,")
    # An excluded word removes the paragraphs of the cables it removes.
    response = client.get("/cables/?q=rights -kazatomprom")
    assertContains(
        response, "<strong>2</strong> cables with <strong>2</strong> matching paragraphs"
    )


def test_each_result_shows_its_best_paragraphs_with_the_words_marked(client, archive):
    response = client.get("/cables/?q=uranium")
    found = snippets(response, "06ALMATY200")
    # The paragraph with the most hits first.
    assert [url for url, _ in found] == [
        "/cables/06ALMATY200/?q=uranium#p4",
        "/cables/06ALMATY200/?q=uranium#p3",
    ]
    assert "<mark>Uranium</mark> again" in found[0][1]
    assert found[0][1].count("<mark>") == 3
    assert '<span class="snippet__para">¶4</span>' in found[0][1]
    # A cable whose only hit is its subject has no paragraph to show, but a marked subject.
    assert snippets(response, "06ALMATY100") == []
    assert "KAZAKHSTAN: <mark>URANIUM</mark> MINING TALKS" in row(response, "06ALMATY100")


def test_a_result_shows_at_most_three_snippets(client, make_searchable):
    make_searchable(
        "09PARIS1",
        paragraphs=[f"Paragraph {n} about cheese." for n in range(1, 7)],
    )
    response = client.get("/cables/?q=cheese")
    found = snippets(response, "09PARIS1")
    assert len(found) == 3
    assert all(url.startswith("/cables/09PARIS1/?q=cheese#p") for url, _ in found)
    assertContains(response, "with <strong>6</strong> matching paragraphs")


def test_snippets_escape_the_cable_text(client, archive):
    response = client.get("/cables/?q=pipeline")
    found = dict(snippets(response, "07MOSCOW300"))
    text = found["/cables/07MOSCOW300/?q=pipeline#p3"]
    # (PostgreSQL's ts_headline leaves markup-like tokens out of the excerpt, FTS5 keeps
    # them: either way nothing of the cable's text reaches the page unescaped.)
    assert "<mark>Pipeline</mark> &amp; gas" in text
    assert "alert(&quot;" in text
    assert "<script" not in text and "<b>" not in text
    assertNotContains(response, "<script>alert")
    assertNotContains(response, "<b>bold</b>")


def test_snippet_links_carry_the_query_and_the_paragraph_anchor(client, archive):
    response = client.get("/cables/", {"q": '"human rights" observers'})
    (link, _), *_ = snippets(response, "06ALMATY200")
    assert link == "/cables/06ALMATY200/?q=%22human+rights%22+observers#p1"
    assert client.get(link.split("#")[0]).status_code == 200


# --- facets ----------------------------------------------------------------------------------


def facet_counts(response, facet: str) -> dict[str, int]:
    content = response.content.decode()
    section = re.search(rf'<section class="facet facet--{facet}".*?</section>', content, flags=re.S)
    assert section, f"no {facet} facet"
    items = re.findall(
        r'<span class="facet__label">([^<]*)</span>.*?<span class="count">(\d+)</span>',
        section.group(0),
        flags=re.S,
    )
    return {html.unescape(label): int(count) for label, count in items}


def test_facet_counts_follow_the_search(client, archive):
    response = client.get("/cables/?q=kazakhstan")
    assert facet_counts(response, "tag") == {"KZ": 4, "ENRG": 2, "PGOV": 1}
    assert facet_counts(response, "origin") == {"US Office Almaty": 2, "Embassy Astana": 2}
    assert facet_counts(response, "year") == {"2008": 1, "2006": 2, "2005": 1}


def test_the_search_follows_the_facets(client, archive):
    assert search(client, "pipeline", tag="KZ") == ["05ASTANA400"]
    response = client.get("/cables/?q=kazakhstan&tag=ENRG&sort=newest")
    assert ids(response) == ["06ALMATY100", "05ASTANA400"]
    assert facet_counts(response, "classification") == {"CONFIDENTIAL": 2}
    # Facet links keep the search.
    assertContains(
        response, 'href="/cables/?q=kazakhstan&amp;tag=ENRG&amp;sort=newest&amp;year=2006"'
    )


def test_an_any_of_facet_is_counted_over_the_search(client, archive):
    response = client.get("/cables/?q=kazakhstan&year=2006")
    assert facet_counts(response, "year") == {"2008": 1, "2006": 2, "2005": 1}
    assert facet_counts(response, "tag") == {"KZ": 2, "ENRG": 1, "PGOV": 1}


def test_the_search_is_a_removable_chip_and_the_form_keeps_the_filters(client, archive):
    response = client.get("/cables/?q=kazakhstan&tag=ENRG")
    assertContains(response, '<a class="chip" href="/cables/?tag=ENRG"')
    assertContains(response, '<span class="chip__label">Search:</span> kazakhstan')
    form = re.search(r'<form class="search-form".*?</form>', response.content.decode(), re.S)
    assert '<input type="hidden" name="tag" value="ENRG">' in form.group(0)
    assert 'name="q" value="kazakhstan"' in form.group(0)


def test_a_long_search_is_shortened_in_its_chip_and_title(client, archive):
    q = "uranium " + "x" * 200
    response = client.get("/cables/", {"q": q})
    content = response.content.decode()
    chip = re.search(r'<span class="chip__label">Search:</span>([^<]*)<', content).group(1)
    assert chip.strip().endswith("…") and len(chip.strip()) <= 80
    assert "x" * 100 not in re.search(r"<title>(.*?)</title>", content, re.S).group(1)


def test_every_page_has_a_search_box(client, archive):
    for url in ("/", "/cables/", "/cables/06ALMATY100/"):
        response = client.get(url)
        assertContains(
            response, '<form class="site-search" role="search" method="get" action="/cables/">'
        )
        assertContains(response, '<label class="visually-hidden" for="site-search-q">')


# --- reference ids ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q", ["06ALMATY100", "06almaty100", " 06ALMATY100 ", "ALMATY 100", "almaty 0100"]
)
def test_a_reference_id_typed_alone_goes_to_that_cable(client, archive, q):
    response = client.get("/cables/", {"q": q})
    assert response.status_code == 302
    assert response["Location"] == "/cables/06ALMATY100/"


def test_a_station_and_serial_shared_by_several_years_lists_those_cables(
    client, archive, make_searchable
):
    make_searchable("07ALMATY100", "2007-05-05 10:00", subject="ANOTHER CABLE")
    response = client.get("/cables/", {"q": "ALMATY 100"})
    assert response.status_code == 200
    assert ids(response) == ["07ALMATY100", "06ALMATY100"]
    assertContains(response, "2 cables of different years are numbered ALMATY 100: choose one.")
    # With its year it is one cable again.
    assert client.get("/cables/", {"q": "07ALMATY100"})["Location"] == "/cables/07ALMATY100/"


def test_a_reference_id_of_no_cable_is_searched_as_words(client, archive):
    response = client.get("/cables/", {"q": "ALMATY 999"})
    assert response.status_code == 200
    assert ids(response) == []


def test_the_json_of_a_reference_id_names_the_cable_and_where_to_go(client, archive):
    data = client.get("/cables.json", {"q": "06almaty100"}).json()
    assert data["redirect"] == "/cables/06ALMATY100/"
    assert [r["id"] for r in data["results"]] == ["06ALMATY100"]
    assert data["count"] == 1


# --- hostile and odd queries -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("OR", "Type some words to search."),
        ("-", "Type some words to search."),
        ('""', "Type some words to search."),
        ('OR - "" OR -- *', "Type some words to search."),
        ("the of and", "are too common to search for. Type some words to search."),
        ("-uranium", "a search cannot only exclude words"),
        ('"uranium mining', "A quote mark without its partner was ignored"),
        ('uranium "mining', "A quote mark without its partner was ignored"),
        ("uranium " * 2000, "only its beginning was used"),
        ('"the" OR "of"', "are too common to search for"),
        # Phrases of stop words only: PostgreSQL indexes none of their words.
        ("AT&T", "“at&t” is only words too common to search for. Type some words"),
        ('"to be or not to be"', "“to be or not to be” is only words too common"),
        (" ".join(f"word{n}" for n in range(40)), "Only the first 16 words and phrases"),
    ],
)
def test_an_unusable_query_gives_a_normal_page_with_a_message(client, archive, q, message):
    response = client.get("/cables/", {"q": q})
    assert response.status_code == 200
    assertContains(response, html.escape(message))


@pytest.mark.parametrize(
    "q",
    [
        "'; DROP TABLE cables_cable; --",
        "uranium') OR 1=1 --",
        "NEAR(uranium exports, 2)",
        "subject:uranium",
        "uranium*",
        "^uranium",
        "uranium AND OR NOT caviar",
        "(((uranium",
        "uranium & caviar | !pipeline <-> :*",
        "\\ \" ' ` $ % {} []",
        "urani\x00um",
        "ü é ß 中文 ☃ 🙂",
        "<script>alert(1)</script>",
        "%s %(q)s {0}",
    ],
)
def test_hostile_queries_are_searched_as_words_and_never_break_the_page(client, archive, q):
    response = client.get("/cables/", {"q": q})
    assert response.status_code == 200
    assertNotContains(response, "<script>alert(1)")
    assert Cable.objects.count() == 5
    data = client.get("/cables.json", {"q": q})
    assert data.status_code == 200
    assert Cable.objects.count() == 5


def test_a_query_made_of_fts5_or_tsquery_syntax_is_only_words(client, archive):
    # As operators, NOT would exclude 06ALMATY200 and subject: would look at subjects only.
    assert search(client, "uranium NOT exports") == ["06ALMATY200"]
    assert search(client, "subject:uranium") == []  # "subject" is a word to find too
    assert search(client, "NEAR(uranium exports)") == []  # and so is "near"
    assert search(client, "uranium*") == ["06ALMATY100", "06ALMATY200"]
    assert search(client, "uranium & !exports") == ["06ALMATY200"]


def test_an_empty_search_is_the_plain_list(client, archive):
    response = client.get("/cables/?q=")
    assert response.status_code == 200
    assert len(ids(response)) == 5
    assertNotContains(response, "Type some words")


def test_a_query_with_nothing_to_search_keeps_the_list_and_its_filters(client, archive):
    response = client.get("/cables/", {"q": "OR", "tag": "RS"})
    assert ids(response) == ["07MOSCOW300"]
    assertContains(response, "Type some words to search.")


# --- JSON ------------------------------------------------------------------------------------


def test_the_json_twin_returns_the_same_results_with_snippets(client, archive):
    page = client.get("/cables/", {"q": "uranium OR pipeline", "tag": "ENRG"})
    data = client.get("/cables.json", {"q": "uranium OR pipeline", "tag": "ENRG"}).json()
    assert [r["id"] for r in data["results"]] == ids(page)
    assert data["count"] == 3
    assert data["query"] == "uranium OR pipeline"
    assert data["sort"] == "relevance"
    assert data["matching_paragraphs"] == 3
    moscow = next(r for r in data["results"] if r["id"] == "07MOSCOW300")
    assert [s["anchor"] for s in moscow["snippets"]] == ["p3", "p1"] or [
        s["anchor"] for s in moscow["snippets"]
    ] == ["p1", "p3"]
    for snippet in moscow["snippets"]:
        assert snippet["url"] == f"/cables/07MOSCOW300/?q=uranium+OR+pipeline#{snippet['anchor']}"
        assert "<mark>" in snippet["html"]
        assert "<script>" not in snippet["html"]
    assert data["facets"]["tag"][0] == {
        "value": "ENRG",
        "description": "",
        "kind": "",
        "count": 3,
    }


def test_the_json_says_what_was_understood_and_why(client, archive):
    data = client.get("/cables.json", {"q": '"uranium exports -'}).json()
    assert data["understood_as"] == "uranium exports"
    assert any("quote mark" in notice for notice in data["notices"])
    assert [r["id"] for r in data["results"]] == ["06ALMATY200"]


def test_the_json_without_a_search_is_unchanged(client, archive):
    data = client.get("/cables.json").json()
    assert "matching_paragraphs" not in data
    assert "snippets" not in data["results"][0]


# --- the cable page --------------------------------------------------------------------------


def test_the_cable_page_marks_the_words_and_links_hit_to_hit(client, archive):
    response = client.get("/cables/06ALMATY200/?q=uranium")
    content = response.content.decode()
    assertContains(response, "2 paragraphs match “uranium”")
    assert content.count("<mark>") == 4
    assert "<mark>Uranium</mark> exports were mentioned" in content
    hits = re.findall(r'<ol class="search-hits__list">(.*?)</ol>', content, re.S)[0]
    assert re.findall(r'href="#(p\d+)"', hits) == ["p3", "p4"]
    p3 = re.search(r'<div class="para para--hit" id="p3">.*?</div>\s*</div>', content, re.S).group(
        0
    )
    assert "Hit 1 of 2" in p3
    assert 'href="#p4" data-hit="next"' in p3
    assert 'data-hit="previous"' not in p3
    p4 = re.search(r'<div class="para para--hit" id="p4">.*?</div>\s*</div>', content, re.S).group(
        0
    )
    assert 'href="#p3" data-hit="previous"' in p4
    assert 'data-hit="next"' not in p4
    assert '<div class="para" id="p1">' in content  # not a hit
    assertContains(response, 'href="/cables/?q=uranium">All results for “uranium”</a>')


def test_the_cable_page_marks_phrases_and_stems(client, archive):
    response = client.get("/cables/", {"q": '"human rights"'})
    link = snippets(response, "06ALMATY200")[0][0]
    page = client.get(link.split("#")[0]).content.decode()
    assert "<mark>human rights</mark> and press freedom" in page
    page = client.get("/cables/05ASTANA400/", {"q": "meeting"}).content.decode()
    assert "<mark>Meetings</mark> with the oil minister" in page


def test_the_cable_page_escapes_the_text_it_marks(client, archive):
    response = client.get("/cables/07MOSCOW300/?q=pipeline")
    content = response.content.decode()
    assert "&lt;script&gt;alert(&quot;<mark>pipeline</mark>&quot;)&lt;/script&gt;" in content
    assert "<script>alert" not in content
    assert "&lt;b&gt;bold&lt;/b&gt;" in content
    assert "GAS <mark>PIPELINE</mark> TO CHINA" in content  # the subject too


def test_the_cable_page_says_when_no_paragraph_matches(client, archive):
    response = client.get("/cables/06ALMATY100/?q=uranium")
    assertContains(response, "No paragraph matches “uranium”")
    assertContains(response, "<mark>URANIUM</mark>")  # in the subject


def test_the_cable_page_without_a_search_marks_nothing(client, archive):
    for url in ("/cables/06ALMATY200/", "/cables/06ALMATY200/?q=", "/cables/06ALMATY200/?q=OR"):
        response = client.get(url)
        assert response.status_code == 200
        assertNotContains(response, "<mark>")
        assertNotContains(response, "search-hits")


def test_a_lower_case_id_redirect_keeps_the_search(client, archive):
    response = client.get("/cables/06almaty200/?q=uranium")
    assert response.status_code == 301
    assert response["Location"] == "/cables/06ALMATY200/?q=uranium"


# --- query budget ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["?q=report", '?q="annual+report"&tag=KZ', "?q=report+-secret&year=2006"]
)
def test_a_search_runs_a_constant_number_of_queries(client, make_searchable, query):
    def make(prefix, n):
        for i in range(n):
            make_searchable(
                f"06{prefix}{i}",
                f"2006-{1 + i % 12:02d}-{1 + i % 28:02d} 10:00",
                subject=f"ANNUAL REPORT {i}",
                tags=["KZ", f"T{i % 5}"],
                paragraphs=["The annual report.", f"Another report, number {i}."],
            )

    def statements(captured) -> list[str]:
        # Savepoints are the test's transaction, not the page's work.
        return [
            q["sql"]
            for q in captured.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO SAVEPOINT"))
        ]

    make("FEW", 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/cables/{query}").status_code == 200
    make("MANY", 40)
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/cables/{query}")
    assert response.status_code == 200
    assert len(ids(response)) == 43
    assert len(statements(many)) == len(statements(few))
    assert len(statements(many)) <= 14, "\n".join(sql[:100] for sql in statements(many))


def test_the_cable_page_with_a_search_adds_one_query(client, archive):
    client.get("/cables/06ALMATY200/")  # (PostgreSQL prepares its statements once)
    with CaptureQueriesContext(connection) as plain:
        client.get("/cables/06ALMATY200/")
    with CaptureQueriesContext(connection) as searched:
        client.get("/cables/06ALMATY200/?q=uranium")
    assert len(searched) == len(plain) + 1


# --- the index follows the data --------------------------------------------------------------


def test_imported_cables_are_searchable(client, imported_seeds):
    response = client.get("/cables/?q=Dzhaksybekov")
    assert "06ALMATY2803" in ids(response)
    found = snippets(response, "06ALMATY2803")
    assert found and all(
        url.startswith("/cables/06ALMATY2803/?q=Dzhaksybekov#p") for url, _ in found
    )
    assert all("<mark>Dzhaksybekov</mark>" in text for _, text in found)


def test_a_reimported_cable_is_searched_in_its_new_text(client, db, seed_dir, tmp_path):
    from cables.importer import import_paths

    seed = seed_dir / "000_c2cf8323adc86661.txt"
    copy = tmp_path / "cable.txt"
    copy.write_bytes(seed.read_bytes())
    assert import_paths([copy]).new == 1
    assert search(client, "Kennebunkport") == ["06ALMATY2803"]
    copy.write_bytes(seed.read_bytes().replace(b"Kennebunkport", b"Walkerpoint"))
    assert import_paths([copy]).updated == 1
    assert search(client, "Kennebunkport") == []
    assert search(client, "Walkerpoint") == ["06ALMATY2803"]


def test_deleting_a_cable_removes_it_from_the_search(client, archive):
    Cable.objects.filter(reference_id="06ALMATY200").delete()
    assert search(client, "uranium") == ["06ALMATY100"]
    assertContains(client.get("/cables/?q=uranium"), "with <strong>0</strong> matching paragraphs")


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        ("a \x02<b>\x03 & c", "a <mark>&lt;b&gt;</mark> &amp; c"),
        ("\x03 stray \x03 close", " stray  close"),
        ("\x02 never closed <i>", "<mark> never closed &lt;i&gt;</mark>"),
        ("\x02a\x02b\x03c\x03", "<mark>ab</mark>c"),
    ],
)
def test_marked_snippets_are_escaped_and_their_marks_balanced(marked, expected):
    from cables.search import marked_html

    assert marked_html(marked) == expected


def test_the_engine_is_chosen_by_the_database(db):
    assert engine().vendor == connection.vendor


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 triggers")
def test_sqlite_triggers_dropped_by_a_table_rebuild_are_put_back(client, archive):
    from cables.search.sqlite import TRIGGERS, repair_schema

    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    Paragraph.objects.filter(text__contains="Caviar").update(text="Sturgeon was served.")
    assert repair_schema() is True  # triggers back, index rebuilt
    assert search(client, "sturgeon") == ["07MOSCOW300"]
    assert search(client, "caviar") == []
    assert repair_schema() is False  # nothing missing any more
    # A trigger of an older definition is replaced too.
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER paragraph_fts_update")
        cursor.execute(
            "CREATE TRIGGER paragraph_fts_update AFTER UPDATE ON cables_paragraph BEGIN SELECT 1; END"
        )
    assert repair_schema() is True
    assert repair_schema() is False
    Paragraph.objects.filter(text__contains="Sturgeon").update(text="Blini were served.")
    assert search(client, "blini") == ["07MOSCOW300"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 triggers")
@pytest.mark.django_db(transaction=True)
def test_sqlite_table_rebuilds_by_migrations_keep_the_search_working(client, make_searchable):
    from cables.search.sqlite import repair_schema

    make_searchable("06ALMATY100", subject="FIRST", paragraphs=["Uranium exports."])
    # What Django does on SQLite to alter a table: copy, drop, rename. No trigger may stand
    # in the way, and the triggers of the rebuilt tables go with them...
    with connection.schema_editor() as editor:
        editor._remake_table(Cable)
        editor._remake_table(Paragraph)
    # ... until ``migrate`` puts them back (its post_migrate handler).
    assert repair_schema() is True
    make_searchable("07ALMATY2", "2007-01-01", subject="SECOND", paragraphs=["Uranium again."])
    assert search(client, "uranium", sort="newest") == ["07ALMATY2", "06ALMATY100"]
    assert search(client, "second") == ["07ALMATY2"]


# --- the parsed query ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "understood"),
    [
        ("Uranium  EXPORTS", "uranium exports"),
        ('"human rights" china', '"human rights" china'),
        ("oil OR gas pipeline", "oil OR gas pipeline"),
        ("oil OR gas OR coal", "oil OR gas OR coal"),
        ("OR oil OR", "oil"),
        ('pipeline -china -"human rights"', 'pipeline -china -"human rights"'),
        ("al-Qaida U.S.", '"al-qaida" "u.s."'),
        ("the pipeline of", "pipeline"),
        ('"of the"', ""),  # stop words only (a notice says so)
        ('"of the people"', '"of the people"'),
        ("pipeline pipeline", "pipeline"),
        ("cables_cable; DROP", '"cables_cable" drop'),
        ("NEAR(uranium subject:mines)", "near uranium subject mines"),
        ('"unbalanced quote', "unbalanced quote"),
        ("--", ""),
    ],
)
def test_queries_are_parsed_into_words_phrases_or_groups_and_exclusions(raw, understood):
    assert str(parse_query(raw)) == understood


@pytest.mark.parametrize(
    ("raw", "source"),
    [
        ("U.S.", "u.s."),
        ("9/11", "9/11"),
        ('"U.S. policy"', "u.s. policy"),
        ('"Human  Rights"', ""),  # only spaces and case: the words say it all
        ("uranium", ""),
        ('"end summary."', ""),  # punctuation at an end only: the words say it all
        ("u.s.", "u.s."),
        ("x" * 70 + ".y", ""),  # a word cut short: the text would say more than the atom
    ],
)
def test_a_phrase_keeps_the_text_it_was_read_from(raw, source):
    (atom,) = parse_query(raw).positive_atoms()
    assert atom.source == source


def test_a_phrase_typed_with_dots_is_not_the_phrase_of_its_words():
    # PostgreSQL reads U.S. as 'u.s' and "u s" as 'u': both are looked for.
    assert len(parse_query('U.S. "u s"').positive_atoms()) == 2
    assert len(parse_query('U.S. OR "u s"').groups[0]) == 2
    assert len(parse_query("U.S. u.s.").positive_atoms()) == 1


@pytest.mark.parametrize("raw", ["U.S.", '"U.S. policy" -9/11', "al-Qaida OR u.n.", '"u s"'])
def test_the_query_as_understood_reads_back_as_the_same_query(raw):
    understood = parse_query(raw)
    again = parse_query(str(understood))
    assert (again.groups, again.excluded) == (understood.groups, understood.excluded)
    assert [a.source for a in again.positive_atoms()] == [
        a.source for a in understood.positive_atoms()
    ]


@pytest.fixture
def abbreviations(make_searchable):
    make_searchable("06ALMATY100", "2006-08-05 10:00", paragraphs=["U.S. officials met."])
    make_searchable("06ALMATY200", "2006-08-06 10:00", paragraphs=["U Thant spoke."])
    make_searchable("06ALMATY300", "2006-08-07 10:00", paragraphs=["The U.N. envoy left."])
    make_searchable("06ALMATY400", "2006-08-08 10:00", paragraphs=["Since 9/11 attacks."])
    make_searchable("06ALMATY500", "2006-08-09 10:00", paragraphs=["The al Qaida cell."])
    make_searchable("06ALMATY600", "2006-08-10 10:00", paragraphs=["Bosnia and Herzegovina."])
    make_searchable("06ALMATY700", "2006-08-11 10:00", paragraphs=["Face to face talks."])


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("U.S.", ["06ALMATY100"]),  # PostgreSQL keeps it whole ('u.s'); "U" alone is not it
        ('"U.S. officials met"', ["06ALMATY100"]),
        ('"U.S. officials"', ["06ALMATY100"]),
        ("U.N.", ["06ALMATY300"]),
        ("9/11", ["06ALMATY400"]),
        ("al-Qaida", ["06ALMATY500"]),  # written apart: the words still find it
        ("Bosnia-and-Herzegovina", ["06ALMATY600"]),  # a stop word between: the same
        ("face-to-face", ["06ALMATY700"]),
    ],
)
def test_abbreviations_and_numbers_with_dots_or_slashes_are_found(client, abbreviations, q, found):
    assert search(client, q) == found


def test_a_search_kept_for_its_words_is_never_served_for_words_typed_otherwise(
    client, abbreviations, settings, monkeypatch, tmp_path
):
    # "U.S." and '"u s"' are different searches on PostgreSQL ('u.s', 'u'): counts kept in
    # the page cache for one are never read for the other.
    from cables.search import postgres

    fresh = {q: search(client, q) for q in ["U.S.", '"u s"']}
    settings.ARCHIVE_SELECTION_CACHE = True
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": str(tmp_path / "pages")}
    }
    monkeypatch.setattr(postgres, "SHARED_COUNTS_MIN", 1)
    for q in ["U.S.", '"u s"', "U.S."]:
        assert search(client, q) == fresh[q], q


def test_a_reference_id_is_recognised_only_when_typed_alone():
    assert parse_query("06ALMATY2803").reference.candidates() == ["06ALMATY2803"]
    guess = parse_query("ALMATY 002803").reference
    assert "06ALMATY2803" in guess.candidates() and "99ALMATY2803" in guess.candidates()
    assert parse_query("SAN JOSE 123").reference.station == "SANJOSE"
    assert parse_query("ALMATY 2803 visit").reference is None
    assert parse_query("uranium").reference is None


def test_the_json_of_a_search_is_plain_json(client, archive):
    response = client.get("/cables.json", {"q": "pipeline"})
    assert response["Content-Type"] == "application/json"
    json.loads(response.content)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search vectors")
def test_a_cables_search_vector_is_its_title_and_its_paragraphs_end_to_end(imported_seeds):
    """The text's vector is made of the paragraphs' vectors (not by parsing the text again):
    in the paragraphs' order, with the words of the text as one, after the title's."""
    from cables.search.postgres import ENGINE

    def vectors_as_expected() -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute("""
                SELECT c.reference_id,
                    c.title_vector = setweight(to_tsvector('english', c.subject), 'A')
                        || setweight(to_tsvector('english', c.summary), 'B'),
                    c.search_vector = c.title_vector || setweight(
                        cables_tsvector_agg(to_tsvector('english', p.text) ORDER BY p.position),
                        'D'),
                    strip(c.search_vector) = strip(to_tsvector('english', c.subject || ' '
                        || c.summary || ' ' || string_agg(p.text, ' ' ORDER BY p.position)))
                FROM cables_cable AS c JOIN cables_paragraph AS p ON p.cable_id = c.id
                GROUP BY c.id ORDER BY c.reference_id""")
            return cursor.fetchall()

    expected = [
        (cable.reference_id, True, True, True) for cable in Cable.objects.order_by("reference_id")
    ]
    assert vectors_as_expected() == expected
    Cable.objects.update(search_vector=None, title_vector=None)
    ENGINE.rebuild()
    assert vectors_as_expected() == expected
