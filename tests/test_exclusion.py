"""Leaving values out: ``exclude_tag``, ``exclude_origin``, ``exclude_classification``,
``exclude_level``, ``exclude_caveat``, ``exclude_year`` and ``exclude_person`` on /cables/
and its JSON twin; struck chips; a "−" link by each facet value."""

import html
import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

pytestmark = pytest.mark.django_db

ROW_ID = re.compile(r'class="cable-row__id" href="/cables/([^"/]+)/"')


def ids(client, query: str) -> list[str]:
    response = client.get(f"/cables/{query}")
    assert response.status_code == 200
    return ROW_ID.findall(response.content.decode())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?exclude_tag=PHUM", ["06ALMATY3273", "05ALMATY956"]),
        ("?exclude_tag=PHUM&exclude_tag=AF", ["05ALMATY956"]),
        ("?tag=KZ&exclude_tag=AF", ["06ALMATY2803", "06ALMATY2404", "05ALMATY538"]),
        ("?exclude_origin=US+Office+Almaty", []),
        ("?exclude_classification=CONFIDENTIAL", ["06ALMATY3273", "06ALMATY2404", "05ALMATY956"]),
        ("?exclude_level=UNCLASSIFIED", ["06ALMATY2803", "05ALMATY538"]),
        ("?exclude_caveat=FOR+OFFICIAL+USE+ONLY", ["06ALMATY2803", "05ALMATY538"]),
        ("?exclude_year=2006", ["05ALMATY956", "05ALMATY538"]),
        ("?exclude_year=2005&exclude_year=2006", []),
        ("?exclude_person=putin", ["06ALMATY3273", "06ALMATY2803", "06ALMATY2404"]),
        ("?exclude_person=john-ordway", ["06ALMATY3273", "05ALMATY956"]),
        ("?person=nazarbayev&exclude_person=putin&exclude_year=2006", []),
        (
            "?exclude_tag=NOSUCH",
            ["06ALMATY3273", "06ALMATY2803", "06ALMATY2404", "05ALMATY956", "05ALMATY538"],
        ),  # fmt: skip
    ],
)
def test_each_exclusion_leaves_out_the_cables_with_any_of_its_values(
    client, imported_seeds, query, expected
):
    assert ids(client, query) == expected


def test_the_json_twin_honours_the_exclusions(client, imported_seeds):
    data = client.get("/cables.json?exclude_tag=PHUM&exclude_level=CONFIDENTIAL").json()
    assert data["count"] == 2
    assert [row["id"] for row in data["results"]] == ["06ALMATY3273", "05ALMATY956"]
    assert data["facets"]["level"] == [{"value": "UNCLASSIFIED", "count": 2}]
    assert data["description"] == "Cables, not confidential, not tagged PHUM."


def test_an_exclusion_is_a_struck_chip_that_can_be_removed(client, imported_seeds):
    response = client.get("/cables/?tag=KZ&exclude_tag=PREL&exclude_person=putin")
    content = response.content.decode()
    chip = re.search(r'<a class="chip chip--excluded" href="([^"]*)"[^>]*>(.*?)</a>', content, re.S)
    assert chip is not None
    assert html.unescape(chip.group(1)) == "/cables/?tag=KZ&exclude_person=putin"
    assert (
        '<span class="chip__label">Not tag:</span> <s class="chip__value">PREL</s>' in chip.group(2)
    )
    # An excluded person's chip shows their name.
    assertContains(
        response, '<span class="chip__label">Not person:</span> <s class="chip__value">Putin</s>'
    )


def test_each_facet_value_has_an_exclude_link_beside_its_include_link(client, imported_seeds):
    response = client.get("/cables/?tag=KZ")
    assertContains(
        response,
        '<a class="facet__exclude" href="/cables/?tag=KZ&amp;exclude_tag=PHUM" '
        'title="Leave out these cables" aria-label="Exclude PHUM">−</a>',
    )
    assertContains(response, 'href="/cables/?tag=KZ&amp;exclude_year=2005"')
    assertContains(response, 'href="/cables/?tag=KZ&amp;exclude_origin=US+Office+Almaty"')
    assertContains(response, 'href="/cables/?tag=KZ&amp;exclude_level=CONFIDENTIAL"')
    assertContains(response, 'href="/cables/?tag=KZ&amp;exclude_caveat=FOR+OFFICIAL+USE+ONLY"')
    assertContains(response, 'href="/cables/?tag=KZ&amp;exclude_person=nazarbayev"')
    # A selected value is removed by its own link, not excluded.
    assertNotContains(response, "exclude_tag=KZ")


def test_an_excluded_value_leaves_its_facet(client, imported_seeds):
    data = client.get("/cables.json?exclude_year=2005").json()
    assert data["facets"]["year"] == [{"value": 2006, "count": 3}]


def test_a_bad_excluded_year_is_an_invalid_parameter(client, imported_seeds):
    response = client.get("/cables/?exclude_year=abc")
    assertContains(response, "Not year: “abc”: Enter a year such as 2006.", status_code=400)
    assert client.get("/cables.json?exclude_year=abc").json() == {
        "errors": {"exclude_year": ["“abc”: Enter a year such as 2006."]}
    }


def test_exclusions_keep_the_list_within_its_query_budget(
    client, imported_seeds, django_assert_max_num_queries
):
    # The exclusions are subqueries of the selection: no query of their own. count, page,
    # tags of the page, year, tag, origin, classification, person.
    with django_assert_max_num_queries(8):
        client.get("/cables/?exclude_tag=PHUM&exclude_caveat=NOFORN&exclude_year=2005")


def test_the_page_title_says_what_is_left_out(client, imported_seeds):
    response = client.get("/cables/?tag=KZ&exclude_tag=AF")
    assertContains(response, "<title>Cables: KZ, not AF – Cable archive</title>")
