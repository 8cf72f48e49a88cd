"""``sort=cited``: the cables most cited by others in the archive first."""

import re

import pytest
from pytest_django.asserts import assertContains

pytestmark = pytest.mark.django_db

ROW_ID = re.compile(r'class="cable-row__id" href="/cables/([^"/]+)/"')


def ids(response) -> list[str]:
    return ROW_ID.findall(response.content.decode())


@pytest.fixture
def cited(make_cable):
    make_cable("06A", "2006-01-01")
    make_cable("06B", "2006-02-01")
    make_cable("06C", "2006-03-01")
    # 06A is cited by three cables (one cites it twice: counted once), 06B by one.
    make_cable("06D", "2006-04-01", references=["06A", "06B"])
    make_cable("06E", "2006-05-01", references=["06A", {"cited_id": "06A", "text": "again"}])
    make_cable("06F", "2006-06-01", references=["06A", "06GONE"])


def test_the_most_cited_come_first_then_the_newest(client, cited):
    response = client.get("/cables/?sort=cited")
    assert ids(response) == ["06A", "06B", "06F", "06E", "06D", "06C"]
    assertContains(response, '<span class="cable-row__cited">cited by 3</span>', count=1)
    assertContains(response, '<span class="cable-row__cited">cited by 0</span>', count=4)
    assertContains(response, '<strong class="sort-links__current">Most cited first</strong>')


def test_the_json_twin_sorts_and_counts_the_same(client, cited):
    data = client.get("/cables.json?sort=cited").json()
    assert [(row["id"], row["cited_by_count"]) for row in data["results"]] == [
        ("06A", 3), ("06B", 1), ("06F", 0), ("06E", 0), ("06D", 0), ("06C", 0),
    ]  # fmt: skip


def test_the_list_links_the_cited_order(client, cited):
    assertContains(client.get("/cables/?year=2006"), 'href="/cables/?year=2006&amp;sort=cited"')


def test_a_search_can_be_sorted_by_citations(client, imported_seeds):
    # 06ALMATY2803 cites 06ALMATY2404, the only citation between the seeds.
    response = client.get("/cables/?q=ambassador&sort=cited")
    assert ids(response) == [
        "06ALMATY2404", "06ALMATY3273", "06ALMATY2803", "05ALMATY956", "05ALMATY538",
    ]  # fmt: skip
    assertContains(response, '<span class="cable-row__cited">cited by 1</span>', count=1)


def test_exports_follow_the_cited_order(client, cited):
    lines = b"".join(client.get("/cables.jsonl?sort=cited").streaming_content).splitlines()
    assert [line.split(b'"')[3].decode() for line in lines] == [
        "06A", "06B", "06F", "06E", "06D", "06C",
    ]  # fmt: skip


def test_the_cited_order_costs_no_extra_query(client, cited, django_assert_max_num_queries):
    # count, page (its counts a subquery of it), tags of the page, five facets.
    with django_assert_max_num_queries(8):
        client.get("/cables/?sort=cited")
