"""The people pages (/people/, /people/<slug>/ and their JSON twins), the ``person``
parameter and facet of /cables/, and the people of a cable page, on the five seed cables
(their people extracted at import by cables/parser/people.py)."""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from cables import search
from cables.models import Cable, CablePerson, CableQuerySet, Paragraph, Person
from cables.serializers import name_excerpt

pytestmark = pytest.mark.django_db


def get_json(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def ids(data: dict) -> list[str]:
    return [cable["id"] for cable in data["results"]]


# --- /people/ ------------------------------------------------------------------------------


def test_the_people_index_lists_people_most_cables_first(client, imported_seeds):
    data = get_json(client, "/people.json")
    assert (data["count"], data["page"], data["num_pages"]) == (32, 1, 1)
    assert data["next"] is None and data["previous"] is None
    assert [(row["slug"], row["count"]) for row in data["results"][:9]] == [
        ("nazarbayev", 5),
        ("j-mudge", 3),
        ("john-ordway", 3),
        ("adylbek-dzhaksybekov", 2),
        ("george-hw-bush", 2),
        ("kasymzhomart-tokayev", 2),
        ("maulen-ashimbayev", 2),
        ("putin", 2),
        ("aleksey-volkov", 1),
    ]
    assert data["results"][2] == {
        "name": "John Ordway",
        "slug": "john-ordway",
        "titles": ["Ambassador"],
        "aliases": ["John Ordway", "ORDWAY", "Ordway"],
        "count": 3,
        "url": "/people/john-ordway/",
        "json_url": "/people/john-ordway.json",
        "cables_url": "/cables/?person=john-ordway",
    }


def test_a_people_index_row_shows_titles_other_spellings_and_both_links(client, imported_seeds):
    response = client.get("/people/")
    assert response.status_code == 200
    assertContains(response, "<strong>32 people</strong>")
    assertContains(
        response,
        '<th scope="row"><a href="/people/adylbek-dzhaksybekov/">Adylbek Dzhaksybekov</a></th>\n'
        "          <td>head</td>\n"
        "          <td>Dzhaksybekov, Adilbek Dzhaksybekov</td>\n"
        '          <td class="num"><a href="/cables/?person=adylbek-dzhaksybekov" '
        'title="The cables naming Adylbek Dzhaksybekov">2</a></td>',
        html=False,
    )
    assertContains(response, '<link rel="alternate" type="application/json" href="/people.json">')


def test_the_name_filter_finds_a_name_or_any_spelling_of_it_in_any_case(client, imported_seeds):
    def slugs(query: str) -> list[str]:
        return [row["slug"] for row in get_json(client, f"/people.json?name={query}")["results"]]

    assert slugs("ordw") == ["john-ordway"]
    assert slugs("ORDWAY") == ["john-ordway"]
    # "Adilbek" is only one of his spellings.
    assert slugs("adilbek") == ["adylbek-dzhaksybekov"]
    assert slugs("nazarbay") == ["nazarbayev", "dariga-nazarbayeva"]
    assert slugs("zzz") == []
    response = client.get("/people/?name=tokayev")
    assertContains(response, "<strong>1 person</strong> named like “tokayev”")
    assertContains(response, 'name="name" value="tokayev"')


def test_a_hostile_name_filter_is_plain_text_and_never_an_error(client, imported_seeds):
    hostile = "<script>alert(1)</script>%_'\"; DROP TABLE cables_person;--"
    response = client.get("/people/", {"name": hostile})
    assert response.status_code == 200
    assertNotContains(response, "<script>alert(1)")
    assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
    assertContains(response, "No person in the archive is named like")
    # LIKE wildcards are matched literally.
    assert get_json(client, "/people.json?name=%25")["count"] == 0
    assert get_json(client, "/people.json?name=_")["count"] == 0
    assert Person.objects.count() == 32
    # Too long, or a NUL character: the filter is refused, not a server error.
    assert client.get("/people/", {"name": "x" * 201}).status_code == 400
    errors = get_json(client, "/people.json?name=" + "x" * 201, status=400)["errors"]
    assert list(errors) == ["name"]
    assert client.get("/people/?name=a%00b").status_code == 400


def test_the_people_index_is_paginated_like_the_cable_list(client, imported_seeds, settings):
    settings.CABLES_PAGE_SIZE = 10
    data = get_json(client, "/people.json?page=2")
    assert (data["count"], data["page"], data["num_pages"]) == (32, 2, 4)
    assert (data["previous"], data["next"]) == ("/people.json", "/people.json?page=3")
    # After the eight people in two cables or more, those in one, by name.
    assert [row["slug"] for row in data["results"][:2]] == ["aliyev", "c-kuchta-helbling"]
    response = client.get("/people/?page=2")
    assertContains(response, '<a href="/people/?page=3" rel="next">')
    assert client.get("/people/?page=5").status_code == 404
    assert client.get("/people/?page=junk").status_code == 404
    assert get_json(client, "/people.json?page=5", status=404)["errors"] == {
        "page": ["No such page of people."]
    }


def test_the_people_index_runs_two_queries_whatever_its_length(
    client, imported_seeds, django_assert_num_queries
):
    # The count and the page (each person's count of cables is part of the page's query).
    with django_assert_num_queries(2):
        client.get("/people/")
    with django_assert_num_queries(2):
        client.get("/people.json?name=a")


# --- /people/<slug>/ ----------------------------------------------------------------------


def test_a_person_page_shows_spellings_titles_and_roles(client, imported_seeds):
    response = client.get("/people/john-ordway/")
    assert response.status_code == 200
    assertContains(response, "<h1>John Ordway</h1>")
    assertContains(response, "<dt>Titles</dt><dd>Ambassador</dd>")
    assertContains(response, "<dt>Also written</dt><dd>ORDWAY</dd>")
    assertContains(response, "<dt>Cables</dt><dd><strong>3</strong></dd>")
    assertContains(response, "<dt>Signed</dt><dd>2 cables</dd>")
    assertContains(response, "<dt>Classified</dt><dd>2 cables</dd>")
    assertContains(response, "<dt>Named in</dt><dd>1 paragraph</dd>")
    assertContains(
        response,
        '<a class="button" href="/cables/?person=john-ordway">'
        "Browse the 3 cables naming John Ordway</a>",
    )
    # Cables per year, each a link into the list.
    assertContains(response, '<a href="/cables/?person=john-ordway&amp;year=2006">2006</a>')
    assertContains(response, '<a href="/cables/?person=john-ordway&amp;year=2005">2005</a>')


def test_a_person_page_lists_their_cables_and_the_paragraphs_naming_them(client, imported_seeds):
    content = client.get("/people/adylbek-dzhaksybekov/").content.decode()
    assert re.findall(r'class="cable-row__id" href="/cables/(\w+)/"', content) == [
        "06ALMATY3273",
        "06ALMATY2803",
    ]
    links = re.findall(r'<a class="snippet" href="/cables/06ALMATY2803/#(p\d+)">', content)
    assert links == ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"]
    assert (
        '<a class="snippet" href="/cables/06ALMATY2803/#p3"><span class="snippet__para">¶3'
        "</span> <mark>Dzhaksybekov</mark> said that Kazakhstan hoped to sign a WTO accession "
        "protocol with the U.S. as part of the visit."
    ) in content
    # The longest spelling wins where several start at the same place.
    assert "Presidential Administration head <mark>Adilbek Dzhaksybekov</mark>." in content


def test_the_person_json_has_counts_years_and_cables_with_their_paragraphs(client, imported_seeds):
    data = get_json(client, "/people/adylbek-dzhaksybekov.json")
    assert {k: v for k, v in data.items() if k != "cables"} == {
        "name": "Adylbek Dzhaksybekov",
        "slug": "adylbek-dzhaksybekov",
        "url": "/people/adylbek-dzhaksybekov/",
        "json_url": "/people/adylbek-dzhaksybekov.json",
        "cables_url": "/cables/?person=adylbek-dzhaksybekov",
        "aliases": [
            "Adylbek Dzhaksybekov",
            "Dzhaksybekov",
            "DZHAKSYBEKOV",
            "Adilbek Dzhaksybekov",
        ],
        "titles": ["head"],
        "counts": {"cables": 2, "signed": 0, "classified_by": 0, "paragraphs": 17},
        "years": [
            {
                "year": 2006,
                "count": 2,
                "cables_url": "/cables/?person=adylbek-dzhaksybekov&year=2006",
            }
        ],
        "count": 2,
        "page": 1,
        "num_pages": 1,
        "next": None,
        "previous": None,
    }
    first, second = data["cables"]
    assert (first["id"], first["roles"]) == ("06ALMATY3273", ["named"])
    assert second["id"] == "06ALMATY2803"
    assert [p["anchor"] for p in second["paragraphs"]] == [f"p{n}" for n in range(1, 9)]
    assert second["paragraphs"][2] == {
        "anchor": "p3",
        "url": "/cables/06ALMATY2803/#p3",
        "excerpt": "Dzhaksybekov said that Kazakhstan hoped to sign a WTO accession protocol "
        "with the U.S. as part of the visit. The Ambassador noted that much work remained "
        "to be done in the negotiations with USTR.…",
    }
    assert second["tags"] == ["PREL", "PGOV", "PHUM", "KZ"]


def test_a_signer_s_cables_carry_their_roles(client, imported_seeds):
    data = get_json(client, "/people/john-ordway.json")
    assert [
        (c["id"], c["roles"], [p["anchor"] for p in c["paragraphs"]]) for c in data["cables"]
    ] == [
        ("06ALMATY2803", ["signer", "classified_by"], []),
        ("06ALMATY2404", ["signer"], []),
        ("05ALMATY538", ["classified_by", "named"], ["p1"]),
    ]
    response = client.get("/people/john-ordway/")
    assertContains(response, '<span class="badge">signed</span>', count=2)
    assertContains(response, '<span class="badge">classified</span>', count=2)


def test_the_person_page_is_paginated_newest_first(client, imported_seeds, settings):
    settings.CABLES_PAGE_SIZE = 2
    data = get_json(client, "/people/nazarbayev.json?page=2")
    assert [c["id"] for c in data["cables"]] == ["06ALMATY2404", "05ALMATY956"]
    assert (data["count"], data["num_pages"], data["next"]) == (
        5,
        3,
        "/people/nazarbayev.json?page=3",
    )
    assert client.get("/people/nazarbayev/?page=4").status_code == 404
    assert get_json(client, "/people/nazarbayev.json?page=4", status=404)["errors"] == {
        "page": ["No such page of cables."]
    }


def test_an_unknown_person_is_a_404_not_an_error(client, imported_seeds):
    assert client.get("/people/nobody-at-all/").status_code == 404
    assert get_json(client, "/people/nobody-at-all.json", status=404) == {
        "errors": {"slug": ["No person nobody-at-all in the archive."]}
    }
    # Not a slug at all: no page matches.
    assert client.get("/people/%3Cscript%3E/").status_code == 404


def test_a_person_page_runs_a_fixed_number_of_queries(
    client, imported_seeds, make_cable, mention, django_assert_num_queries
):
    # The person, their counts, the years, the page of cables, its tags, the mentions of
    # the page (with their paragraphs): six, however many cables and paragraphs.
    with django_assert_num_queries(6):
        client.get("/people/adylbek-dzhaksybekov/")
    person = Person.objects.get(slug="adylbek-dzhaksybekov")
    for i in range(20):
        cable = make_cable(
            f"07MANY{i}", f"2007-01-{i + 1:02d}", tags=["KZ", f"M{i}"], paragraphs=["a", "b"]
        )
        for paragraph in cable.paragraphs.all():
            mention(person, cable, paragraph=paragraph)
    with django_assert_num_queries(6):
        response = client.get("/people/adylbek-dzhaksybekov/")
    assertContains(response, "<dt>Named in</dt><dd>57 paragraphs</dd>")
    with django_assert_num_queries(6):
        client.get("/people/adylbek-dzhaksybekov.json")


def test_excerpts_of_untrusted_text_are_escaped(client, make_cable, mention):
    cable = make_cable("06EVIL1", paragraphs=["<script>x</script> met <b>Smith</b> & co."])
    # The longest spelling found is marked: here the name with its tags, escaped.
    person = Person.objects.create(name="<b>Smith</b>", slug="smith", aliases=["Smith"])
    mention(person, cable, paragraph=Paragraph.objects.get(cable=cable))
    response = client.get("/people/smith/")
    assertNotContains(response, "<script>x")
    assertContains(
        response,
        "&lt;script&gt;x&lt;/script&gt; met <mark>&lt;b&gt;Smith&lt;/b&gt;</mark> &amp; co.",
    )
    assertContains(response, "<h1>&lt;b&gt;Smith&lt;/b&gt;</h1>")


def test_an_excerpt_is_cut_around_the_name():
    text = " ".join(f"word{n}" for n in range(100)) + " Ambassador Ordway said " + "x " * 200
    excerpt = name_excerpt(text, ["John Ordway", "ORDWAY"])
    assert excerpt["match"] == "Ordway"
    assert excerpt["before"].startswith("…") and excerpt["before"].endswith("Ambassador ")
    assert excerpt["after"].startswith(" said") and excerpt["after"].endswith("…")
    assert len(excerpt["before"] + excerpt["match"] + excerpt["after"]) <= 210
    # A name split over lines is found; without it, the paragraph's start.
    assert name_excerpt("met John\n  Ordway", ["John Ordway"])["match"] == "John Ordway"
    assert name_excerpt("Ordwayne came", ["Ordway"]) == {
        "before": "Ordwayne came",
        "match": "",
        "after": "",
    }
    assert name_excerpt("a " * 150, ["Ordway"])["before"].endswith("a…")


# --- ?person= and the people facet on /cables/ ---------------------------------------------


def test_the_person_parameter_selects_the_cables_naming_them(client, imported_seeds):
    # Signed 06ALMATY2803 and 06ALMATY2404; classified 05ALMATY538 (and named in it).
    data = get_json(client, "/cables.json?person=john-ordway")
    assert ids(data) == ["06ALMATY2803", "06ALMATY2404", "05ALMATY538"]
    assert data["count"] == 3


def test_several_people_must_all_be_named(client, imported_seeds):
    data = get_json(client, "/cables.json?person=john-ordway&person=adylbek-dzhaksybekov")
    assert ids(data) == ["06ALMATY2803"]
    data = get_json(client, "/cables.json?person=nazarbayev&person=karim-masimov")
    assert ids(data) == ["05ALMATY956"]
    # With the other parameters too (05ALMATY956 has no TAGS).
    data = get_json(client, "/cables.json?person=nazarbayev&person=kasymzhomart-tokayev&tag=KZ")
    assert ids(data) == ["06ALMATY2404", "05ALMATY538"]


def test_the_people_facet_counts_distinct_cables_of_the_selection(client, imported_seeds):
    facets = get_json(client, "/cables.json")["facets"]
    assert facets["person"][:4] == [
        {"value": "nazarbayev", "name": "Nazarbayev", "count": 5},
        {"value": "j-mudge", "name": "J. Mudge", "count": 3},
        {"value": "john-ordway", "name": "John Ordway", "count": 3},
        {"value": "adylbek-dzhaksybekov", "name": "Adylbek Dzhaksybekov", "count": 2},
    ]
    assert len(facets["person"]) == 32
    facets = get_json(client, "/cables.json?person=adylbek-dzhaksybekov")["facets"]
    assert facets["person"][:3] == [
        {"value": "adylbek-dzhaksybekov", "name": "Adylbek Dzhaksybekov", "count": 2},
        {"value": "george-hw-bush", "name": "George H.W. Bush", "count": 2},
        {"value": "nazarbayev", "name": "Nazarbayev", "count": 2},
    ]


def test_the_people_facet_lists_at_most_a_hundred_people(client, make_cable, mention):
    cable = make_cable("06CROWD1")
    for n in range(105):
        person = Person.objects.create(name=f"Person {n:03d}", slug=f"person-{n:03d}")
        mention(person, cable)
    assert Cable.objects.all().facet_counts(("person",))["person"][-1] == {
        "value": "person-099",
        "name": "Person 099",
        "count": 1,
    }
    assert len(get_json(client, "/cables.json")["facets"]["person"]) == 100
    # A selection counts its cables' rows; it cuts the ties at the same place.
    selected = Cable.objects.filter(reference_id="06CROWD1").facet_counts(("person",))
    assert selected == Cable.objects.all().facet_counts(("person",))


@pytest.mark.parametrize(("limit", "leaders"), [(100, 1000), (3, 2), (2, 5), (1, 1), (5, 40)])
def test_the_people_facet_of_a_selection_is_exact_whichever_way_it_is_counted(
    imported_seeds, monkeypatch, limit, leaders
):
    """Counting the archive's leading people first must give what counting every row
    gives: the top ``limit`` by cables of the selection, ties to the first stored."""
    monkeypatch.setattr(CableQuerySet, "PERSON_FACET_LIMIT", limit)
    monkeypatch.setattr(CableQuerySet, "PERSON_FACET_LEADERS", leaders)
    links = list(CablePerson.objects.values_list("cable_id", "person_id"))
    people = {p.pk: p for p in Person.objects.all()}
    everything = list(Cable.objects.values_list("pk", flat=True))
    for cables in (everything, everything[:3], everything[1:2], everything[2:], []):
        counts = Counter(person for cable, person in links if cable in cables)
        top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
        named = [(people[pk], n) for pk, n in top]
        expected = [
            {"value": p.slug, "name": p.name, "count": n}
            for p, n in sorted(named, key=lambda item: (-item[1], item[0].name, item[0].slug))
        ]
        selection = Cable.objects.filter(pk__in=cables)
        assert selection.facet_counts(("person",))["person"] == expected, cables
        # The same selection as a list of ids (PostgreSQL: how searches hand it on).
        pinned, _ = search.engine().pinned(selection)
        assert pinned.facet_counts(("person",))["person"] == expected, cables


def test_the_people_facet_of_the_whole_archive_reads_the_kept_counts(
    imported_seeds, django_assert_num_queries
):
    with django_assert_num_queries(1) as captured:
        whole = Cable.objects.all().facet_counts(("person",))["person"]
    assert "cableperson" not in captured.captured_queries[0]["sql"]
    # The same as counting every cable's rows.
    every = Cable.objects.filter(pk__in=Cable.objects.values("pk"))
    assert every.facet_counts(("person",))["person"] == whole
    assert whole[0] == {"value": "nazarbayev", "name": "Nazarbayev", "count": 5}


def test_the_people_facet_and_chips_show_names(client, imported_seeds):
    response = client.get("/cables/?person=john-ordway")
    assertContains(response, '<h3 class="facet__title" id="facet-person">People</h3>')
    assertContains(
        response,
        '<a href="/cables/?person=john-ordway&amp;person=nazarbayev">\n'
        '    <span class="facet__check" aria-hidden="true"></span>\n'
        '    <span class="facet__label">Nazarbayev</span>',
    )
    assertContains(response, '<span class="chip__label">Person:</span> John Ordway')
    assertContains(response, "<title>Cables: John Ordway – Cable archive</title>")


def test_an_unknown_person_slug_gives_a_notice_not_an_error(client, imported_seeds):
    response = client.get("/cables/", {"person": "nobody-at-all"})
    assert response.status_code == 200
    assertContains(response, "No person in the archive has the slug “nobody-at-all”.")
    assertContains(response, '<span class="chip__label">Person:</span> nobody-at-all')
    response = client.get("/cables/", {"person": "<script>x</script>"})
    assert response.status_code == 200
    assertNotContains(response, "<script>x")
    assertContains(response, "No person in the archive has the slug “&lt;script&gt;x")
    assert get_json(client, "/cables.json?person=nobody-at-all")["count"] == 0
    # A known person with nobody else: the chip still has the name.
    response = client.get("/cables/?person=john-ordway&person=karim-masimov")
    assertContains(response, '<span class="chip__label">Person:</span> John Ordway')
    assertContains(response, '<span class="chip__label">Person:</span> Karim Masimov')


@pytest.mark.parametrize("query", ["?person=p-one", "?person=p-one&person=p-two&tag=KZ"])
def test_the_list_with_people_runs_a_constant_number_of_queries(
    client, make_cable, mention, django_assert_max_num_queries, query
):
    one = Person.objects.create(name="P One", slug="p-one")
    two = Person.objects.create(name="P Two", slug="p-two")

    def make(reference_id: str) -> None:
        cable = make_cable(reference_id, tags=["KZ"], paragraphs=["a", "b"])
        for person in (one, two):
            for paragraph in cable.paragraphs.all():
                mention(person, cable, paragraph=paragraph)

    make("06FEW1")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cables/{query}")
    for i in range(30):
        make(f"06MANY{i}")
    # count, page, tags of the page, year, tag, origin, classification, person.
    with django_assert_max_num_queries(8):
        response = client.get(f"/cables/{query}")
    assert response.status_code == 200
    assert response.context["count"] == 31
    with CaptureQueriesContext(connection) as many:
        client.get(f"/cables/{query}")
    assert len(many) == len(few)


# --- the cable page, navigation, home ---------------------------------------------------------


def test_the_cable_page_links_people_to_their_pages_and_paragraphs(client, imported_seeds):
    response = client.get("/cables/06ALMATY2803/")
    assertContains(
        response,
        '<li><a href="/people/lugar/">Lugar</a> <span class="muted">named</span> '
        '<span class="person-paras"><a href="#p1">¶1</a> <a href="#p6">¶6</a></span></li>',
    )
    assertContains(
        response,
        '<li><a href="/people/john-ordway/">John Ordway</a> <span class="muted">signer</span></li>',
    )


def test_the_cable_json_people_carry_their_page_and_paragraph_anchors(client, imported_seeds):
    people = get_json(client, "/cables/06ALMATY2803.json")["people"]
    assert people[0] == {
        "name": "Adylbek Dzhaksybekov",
        "slug": "adylbek-dzhaksybekov",
        "role": "named",
        "url": "/people/adylbek-dzhaksybekov/",
        "paragraphs": ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"],
    }
    assert [(p["slug"], p["role"], p["paragraphs"]) for p in people[1:]] == [
        ("george-hw-bush", "named", ["p2"]),
        ("j-mudge", "named", []),
        ("john-ordway", "classified_by", []),
        ("john-ordway", "signer", []),
        ("lugar", "named", ["p1", "p6"]),
        ("maulen-ashimbayev", "named", ["p7"]),
        ("nazarbayev", "named", ["p1", "p2", "p4", "p6"]),
    ]


def test_people_are_in_the_navigation_and_on_the_home_page(client, imported_seeds):
    response = client.get("/people/")
    assertContains(response, '<a href="/people/" aria-current="page">People</a>')
    response = client.get("/")
    assertContains(response, '<a href="/people/">People</a>', count=2)  # header, footer
    assertContains(response, '<h2 id="top-people">People most named</h2>')
    assertContains(
        response, '<li><a href="/people/nazarbayev/">Nazarbayev</a> <span class="count">5</span>'
    )
    assertContains(response, '<a href="/people/">All the people the cables name</a>')
