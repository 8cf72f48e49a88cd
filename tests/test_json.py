"""The JSON twins: /cables.json (same selection as /cables/) and /cables/<ID>.json."""

import re

import pytest

from cables.models import Mention, Person

pytestmark = pytest.mark.django_db

ROW_ID = re.compile(r'class="cable-row__id" href="/cables/([^"/]+)/"')


@pytest.fixture
def archive(make_cable):
    make_cable(
        "06ALMATY100",
        "2006-08-05 01:16",
        classification="CONFIDENTIAL",
        subject="FIRST",
        tags=["KZ", "PREL"],
        partial=True,
    )
    make_cable("06ALMATY200", "2006-03-10 09:00", tags=["KZ", "PGOV"])
    make_cable("05ASTANA300", "2005-12-31 23:30", origin="Embassy Astana", tags=["KZ", "PREL"])
    make_cable("07MOSCOW400", "2007-01-01 00:00", origin="Embassy Moscow", tags=["RS"])


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_the_list_json_has_the_documented_shape(client, archive):
    data = get_json(client, "/cables.json")
    assert set(data) == {
        "count",
        "description",
        "page",
        "num_pages",
        "next",
        "previous",
        "results",
        "facets",
    }
    assert (data["count"], data["page"], data["num_pages"]) == (4, 1, 1)
    assert data["next"] is None and data["previous"] is None
    assert set(data["facets"]) == {
        "year",
        "tag",
        "origin",
        "classification",
        "level",
        "caveat",
        "person",
    }
    assert data["facets"]["year"] == [
        {"value": 2007, "count": 1},
        {"value": 2006, "count": 2},
        {"value": 2005, "count": 1},
    ]


def test_a_result_is_a_cable_summary(client, archive):
    data = get_json(client, "/cables.json?tag=PREL&year=2006")
    assert data["results"] == [
        {
            "id": "06ALMATY100",
            "url": "/cables/06ALMATY100/",
            "json_url": "/cables/06ALMATY100.json",
            "created": "2006-08-05T01:16:00Z",
            "created_precision": "minute",
            "classification": "CONFIDENTIAL",
            "origin": "US Office Almaty",
            "subject": "FIRST",
            "tags": ["KZ", "PREL"],
            "partial": True,
        }
    ]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "tag=KZ",
        "tag=KZ&tag=PREL",
        "year=2005&year=2007",
        "year=2006&month=3",
        "origin=Embassy+Astana&origin=Embassy+Moscow",
        "classification=CONFIDENTIAL",
        "date_from=2006-01-01&date_to=2006-08-05",
        "tag=NOSUCH",
    ],
)
def test_the_json_selects_the_same_cables_as_the_page(client, archive, query):
    page = client.get(f"/cables/?{query}")
    data = get_json(client, f"/cables.json?{query}")
    assert [r["id"] for r in data["results"]] == ROW_ID.findall(page.content.decode())
    assert data["count"] == page.context["count"]


def test_json_facets_count_the_selection(client, archive):
    facets = get_json(client, "/cables.json?tag=PREL")["facets"]
    assert facets["tag"] == [
        {"value": "KZ", "description": "", "kind": "", "count": 2},
        {"value": "PREL", "description": "", "kind": "", "count": 2},
    ]
    assert facets["year"] == [{"value": 2006, "count": 1}, {"value": 2005, "count": 1}]
    assert facets["origin"] == [
        {"value": "Embassy Astana", "count": 1},
        {"value": "US Office Almaty", "count": 1},
    ]
    assert facets["classification"] == [
        {"value": "CONFIDENTIAL", "count": 1},
        {"value": "UNCLASSIFIED", "count": 1},
    ]


def test_json_has_months_when_one_year_is_selected(client, archive):
    facets = get_json(client, "/cables.json?year=2006")["facets"]
    assert facets["month"] == [{"value": 3, "count": 1}, {"value": 8, "count": 1}]
    assert "month" not in get_json(client, "/cables.json?year=2006&year=2005")["facets"]


def test_json_pages_link_to_each_other(client, archive, settings):
    settings.CABLES_PAGE_SIZE = 3
    first = get_json(client, "/cables.json?tag=KZ&tag=PREL&year=2006&year=2005")
    assert first["count"] == 2 and first["num_pages"] == 1
    first = get_json(client, "/cables.json")
    assert (first["page"], first["num_pages"], first["previous"]) == (1, 2, None)
    assert first["next"] == "/cables.json?page=2"
    second = get_json(client, first["next"])
    assert second["page"] == 2 and second["next"] is None
    assert second["previous"] == "/cables.json"
    assert [r["id"] for r in first["results"] + second["results"]] == [
        "07MOSCOW400",
        "06ALMATY100",
        "06ALMATY200",
        "05ASTANA300",
    ]


def test_json_next_link_keeps_the_selection(client, archive, settings):
    settings.CABLES_PAGE_SIZE = 1
    data = get_json(client, "/cables.json?tag=KZ")
    assert data["next"] == "/cables.json?tag=KZ&page=2"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=abc", "year"),
        ("month=5", "month"),
        ("year=2006&month=0", "month"),
        ("date_from=2006-02-30", "date_from"),
        ("date_to=tomorrow", "date_to"),
    ],
)
def test_bad_parameters_give_400_with_an_errors_object(client, archive, query, field):
    data = get_json(client, f"/cables.json?{query}", status=400)
    assert list(data) == ["errors"]
    assert field in data["errors"]
    assert all(isinstance(message, str) for message in data["errors"][field])


def test_a_page_past_the_end_is_a_json_404(client, archive):
    data = get_json(client, "/cables.json?page=9", status=404)
    assert "page" in data["errors"]


def test_list_json_runs_a_constant_number_of_queries(
    client, make_cable, django_assert_max_num_queries
):
    for i in range(30):
        make_cable(f"06MANY{i}", tags=["KZ", f"T{i}"])
    with django_assert_max_num_queries(8):
        data = get_json(client, "/cables.json?tag=KZ")
    assert data["count"] == 30


# --- /cables/<ID>.json ---------------------------------------------------------------------


@pytest.fixture
def full_cable(make_cable, mention):
    make_cable("06ALMATY2404", "2006-07-07 06:53")
    cable = make_cable(
        "06ALMATY2803",
        "2006-08-05 01:16",
        classification="CONFIDENTIAL",
        subject="A MEETING",
        summary="It went well.",
        keywords=["DEMOCRACY"],
        classified_by="John Ordway",
        classification_reasons="1.4(b), 1.4(d)",
        declassify_on="2016-08-04",
        signer="ORDWAY",
        header="FM AMEMBASSY ALMATY",
        tags=["PREL", "KZ"],
        references=[
            {"letter": "A", "text": "ALMATY 2532", "cited_id": "06ALMATY2532"},
            {"letter": "B", "text": "ALMATY 2404", "cited_id": "06ALMATY2404"},
            {"letter": "C", "text": "STATE TELCON", "cited_id": ""},
        ],
        recipients=[
            {
                "kind": "action",
                "name": "SECSTATE WASHDC",
                "route": "RUEHC",
                "precedence": "PRIORITY",
            },
        ],
        paragraphs=[
            {"marking": "SBU", "text": "Summary."},
            {"marking": "C", "heading": "Visit", "text": "One.\n\nTwo."},
            {"number": None, "text": "ORDWAY"},
        ],
        sources=[("seeds/000.txt", "text/labelled-columns")],
    )
    person = Person.objects.create(name="John Ordway", slug="john-ordway")
    mention(person, cable, Mention.CLASSIFIED_BY)
    mention(person, cable, Mention.SIGNER)
    return cable


def test_cable_json_has_every_field(client, full_cable):
    data = get_json(client, "/cables/06ALMATY2803.json")
    assert data == {
        "id": "06ALMATY2803",
        "url": "/cables/06ALMATY2803/",
        "json_url": "/cables/06ALMATY2803.json",
        "created": "2006-08-05T01:16:00Z",
        "created_precision": "minute",
        "classification": "CONFIDENTIAL",
        "level": "CONFIDENTIAL",
        "caveats": [],
        "origin": "US Office Almaty",
        "subject": "A MEETING",
        "summary": "It went well.",
        "tags": ["PREL", "KZ"],
        "keywords": ["DEMOCRACY"],
        "references": ["06ALMATY2532", "06ALMATY2404"],
        "references_detail": [
            {
                "letter": "A",
                "text": "ALMATY 2532",
                "kind": "cable",
                "cited_id": "06ALMATY2532",
                "in_archive": False,
                "missing": True,
                "url": None,
            },
            {
                "letter": "B",
                "text": "ALMATY 2404",
                "kind": "cable",
                "cited_id": "06ALMATY2404",
                "in_archive": True,
                "missing": False,
                "url": "/cables/06ALMATY2404/",
            },
            {
                "letter": "C",
                "text": "STATE TELCON",
                "kind": "cable",
                "cited_id": "",
                "in_archive": False,
                "missing": False,
                "url": None,
            },
        ],
        "missing_references": ["06ALMATY2532"],
        "referenced_by": [],
        "recipients": [
            {
                "kind": "action",
                "name": "SECSTATE WASHDC",
                "route": "RUEHC",
                "precedence": "PRIORITY",
            }
        ],
        "classified_by": "John Ordway",
        "classification_reasons": "1.4(b), 1.4(d)",
        "declassify_on": "2016-08-04",
        "signer": "ORDWAY",
        "partial": False,
        "header": "FM AMEMBASSY ALMATY",
        "paragraphs": [
            {
                "number": 1,
                "anchor": "p1",
                "marking": "SBU",
                "heading": "",
                "text": "Summary.",
                "url": "/cables/06ALMATY2803/#p1",
                "citation": "06ALMATY2803 (2006-08-05, CONFIDENTIAL), para. 1, "
                "http://testserver/cables/06ALMATY2803/#p1",
            },
            {
                "number": 2,
                "anchor": "p2",
                "marking": "C",
                "heading": "Visit",
                "text": "One.\n\nTwo.",
                "url": "/cables/06ALMATY2803/#p2",
                "citation": "06ALMATY2803 (2006-08-05, CONFIDENTIAL), para. 2, "
                "http://testserver/cables/06ALMATY2803/#p2",
            },
            {
                "number": None,
                "anchor": "u1",
                "marking": "",
                "heading": "",
                "text": "ORDWAY",
                "url": "/cables/06ALMATY2803/#u1",
                "citation": "06ALMATY2803 (2006-08-05, CONFIDENTIAL), unnumbered para. 1, "
                "http://testserver/cables/06ALMATY2803/#u1",
            },
        ],
        "people": [
            {
                "name": "John Ordway",
                "slug": "john-ordway",
                "role": "classified_by",
                "url": "/people/john-ordway/",
                "paragraphs": [],
            },
            {
                "name": "John Ordway",
                "slug": "john-ordway",
                "role": "signer",
                "url": "/people/john-ordway/",
                "paragraphs": [],
            },
        ],
        "sources": [
            {
                "path": "seeds/000.txt",
                "format": "text/labelled-columns",
                "shown": False,
                "created": None,
                "partial": False,
            }
        ],
    }


def test_cable_json_keeps_untrusted_text_as_plain_strings(client, make_cable):
    make_cable("06EVIL1", subject="<script>x</script>", paragraphs=["<b>&amp;</b>"])
    data = get_json(client, "/cables/06EVIL1.json")
    assert data["subject"] == "<script>x</script>"
    assert data["paragraphs"][0]["text"] == "<b>&amp;</b>"


def test_cable_json_of_an_unknown_id_is_a_json_404(client, full_cable):
    data = get_json(client, "/cables/06NOWHERE1.json", status=404)
    assert "id" in data["errors"]


def test_cable_json_runs_a_constant_number_of_queries(
    client, full_cable, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        get_json(client, "/cables/06ALMATY2803.json")


def test_a_seed_cable_as_json(client, imported_seeds):
    data = get_json(client, "/cables/06ALMATY2803.json")
    assert data["tags"] == ["PREL", "PGOV", "PHUM", "KZ"]
    assert data["references"] == ["06ALMATY2532", "06ALMATY2464", "06ALMATY2404"]
    assert [r["in_archive"] for r in data["references_detail"]] == [False, False, True]
    assert [p["anchor"] for p in data["paragraphs"]] == [f"p{n}" for n in range(1, 9)]
    assert data["paragraphs"][5]["url"] == "/cables/06ALMATY2803/#p6"
