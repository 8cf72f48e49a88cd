"""The timeline on /cables/: the selection's cables per year (per month within one year),
an SVG bar chart drawn on the server, each bar a link narrowing the list."""

import html
import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from cables.views import _cables_phrase

pytestmark = pytest.mark.django_db

BAR = re.compile(r'<a class="timeline__link( is-selected)?" href="([^"]*)" aria-label="([^"]*)">')


def bars(response) -> dict[str, str]:
    """The timeline's linked bars as {aria-label: link}."""
    return {
        html.unescape(label): html.unescape(url)
        for _, url, label in BAR.findall(response.content.decode())
    }


def test_the_timeline_has_a_linked_bar_per_year_of_the_seeds(client, imported_seeds):
    response = client.get("/cables/")
    assert bars(response) == {
        "2005: 2 cables": "/cables/?year=2005",
        "2006: 3 cables": "/cables/?year=2006",
    }
    assertContains(response, '<title id="timeline-title">Cables per year</title>')
    assertContains(
        response,
        '<desc id="timeline-desc">A bar chart of the 5 cables of this selection, 2005 to 2006; '
        "the most, 3, in 2006. Each bar links to its part of the list.</desc>",
    )
    assertContains(response, 'aria-labelledby="timeline-title timeline-desc"')


def test_one_year_selected_shows_its_twelve_months_and_links_the_months_with_cables(
    client, imported_seeds
):
    response = client.get("/cables/?year=2006")
    assert bars(response) == {
        "July 2006: 1 cable": "/cables/?year=2006&month=7",
        "August 2006: 1 cable": "/cables/?year=2006&month=8",
        "September 2006: 1 cable": "/cables/?year=2006&month=9",
    }
    assertContains(response, '<title id="timeline-title">Cables per month, 2006</title>')
    # Twelve labels, the empty months drawn without a link.
    assert re.findall(r'<text class="timeline__tick"[^>]*>(\w+)</text>', response.content.decode()) == [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]  # fmt: skip


def test_a_selected_bar_links_back_out_of_its_month_the_others_replace_it(client, imported_seeds):
    response = client.get("/cables/?tag=KZ&year=2006&month=8")
    assert bars(response) == {
        "July 2006: 1 cable": "/cables/?tag=KZ&year=2006&month=7",
        "August 2006: 1 cable (selected; remove)": "/cables/?tag=KZ&year=2006",
        "September 2006: 1 cable": "/cables/?tag=KZ&year=2006&month=9",
    }
    assertContains(response, 'class="timeline__link is-selected"', count=1)


def test_clicking_a_year_keeps_the_other_filters_and_drops_the_page(client, make_cable):
    for i in range(3):
        make_cable(f"05A{i}", "2005-05-05", tags=["KZ"])
    make_cable("03A", "2003-01-01", tags=["KZ"])
    response = client.get("/cables/?tag=KZ")
    # Every year from the first to the last: the empty 2004 is drawn, not linked.
    assert bars(response) == {
        "2003: 1 cable": "/cables/?tag=KZ&year=2003",
        "2005: 3 cables": "/cables/?tag=KZ&year=2005",
    }
    ticks = re.findall(r'<text class="timeline__tick"[^>]*>(\d+)</text>', response.content.decode())
    assert ticks == ["2003", "2004", "2005"]


def test_bars_are_as_tall_as_their_counts(client, make_cable):
    make_cable("05A", "2005-05-05")
    for i in range(4):
        make_cable(f"06A{i}", "2006-05-05")
    content = client.get("/cables/").content.decode()
    heights = re.findall(r'<rect class="timeline__bar" x="[^"]*" y="([^"]*)" width="[^"]*" '
                         r'height="([^"]*)"', content)  # fmt: skip
    # The bars stand on a line 102 units down, the busiest 88 high (room for its count
    # above it), one of four cables a quarter of that; each bar's count above it.
    assert heights == [("80.0", "22.0"), ("14.0", "88.0")]
    counts = re.findall(r'<text class="timeline__count"[^>]*>([^<]*)</text>', content)
    assert counts == ["1", "4"]
    # Two bars are not slabs: 56 units wide at most.
    assert re.findall(r'class="timeline__bar" x="[^"]*" y="[^"]*" width="([^"]*)"', content) == [
        "56.0",
        "56.0",
    ]


def test_a_long_timeline_labels_every_few_years_and_leaves_the_counts_to_the_links(
    client, make_cable
):
    for year in range(1966, 2011):
        make_cable(f"{year}A", f"{year}-06-01")
    content = client.get("/cables/").content.decode()
    ticks = re.findall(r'<text class="timeline__tick"[^>]*>(\d+)</text>', content)
    assert ticks == [str(year) for year in range(1966, 2011, 4)]
    assert "timeline__count" not in content
    assert 'aria-label="1966: 1 cable"' in content


def test_counts_are_written_with_thousands_separators():
    assert _cables_phrase(1234) == "1,234 cables"
    assert _cables_phrase(1) == "1 cable"


def test_several_years_selected_show_the_years_with_the_selected_ones_marked(
    client, imported_seeds
):
    response = client.get("/cables/?year=2005&year=2006")
    assert bars(response) == {
        "2005: 2 cables (selected; remove)": "/cables/?year=2006",
        "2006: 3 cables (selected; remove)": "/cables/?year=2005",
    }


def test_no_timeline_without_cables(client, imported_seeds):
    assertNotContains(client.get("/cables/?tag=NOSUCH"), "timeline__chart")


def test_the_timeline_costs_no_query(client, imported_seeds, django_assert_max_num_queries):
    # count, page, tags of the page, then the facets: year, tag, origin, classification,
    # person (year, origin and classification in one query on PostgreSQL). As before.
    with django_assert_max_num_queries(8):
        client.get("/cables/")
    # With one year: the months, counted for the month facet already.
    with django_assert_max_num_queries(10):
        client.get("/cables/?year=2006")


def test_with_a_month_chosen_the_other_months_stay_on_the_timeline(
    client, imported_seeds, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = client.get("/cables/?year=2006&month=8")
    assert bars(response) == {
        "July 2006: 1 cable": "/cables/?year=2006&month=7",
        "August 2006: 1 cable (selected; remove)": "/cables/?year=2006",
        "September 2006: 1 cable": "/cables/?year=2006&month=9",
    }
