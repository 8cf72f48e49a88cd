"""Browsing /cables/: filters, facets and their counts, chips, pagination, bad input, and
the home page."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

pytestmark = pytest.mark.django_db

ROW_ID = re.compile(r'class="cable-row__id" href="/cables/([^"/]+)/"')
CHIP = re.compile(
    r'<a class="chip[^"]*" href="([^"]*)"[^>]*>\s*<span class="chip__label">([^<]*)</span>\s*([^<]*?)\s*<'
)


def ids(response) -> list[str]:
    """The cable ids listed on a /cables/ page, in page order."""
    return ROW_ID.findall(response.content.decode())


def chips(response) -> dict[str, str]:
    """Selected-filter chips as {"Tag: KZ": remove-link}."""
    found = CHIP.findall(response.content.decode())
    return {
        f"{html.unescape(label)} {html.unescape(value)}": html.unescape(url)
        for url, label, value in found
    }


def facet_links(response, facet: str) -> dict[str, tuple[str, int]]:
    """A facet's values as {label: (link, count)}."""
    content = response.content.decode()
    section = re.search(rf'<section class="facet facet--{facet}".*?</section>', content, flags=re.S)
    assert section, f"no {facet} facet on the page"
    items = re.findall(
        r'<a href="([^"]*)"[^>]*>.*?<span class="facet__label">([^<]*)</span>.*?'
        r'<span class="count">(\d+)</span>',
        section.group(0),
        flags=re.S,
    )
    return {html.unescape(label): (html.unescape(url), int(count)) for url, label, count in items}


@pytest.fixture
def archive(make_cable):
    """Five cables over three years, two posts and three classifications."""
    make_cable(
        "06ALMATY100",
        "2006-08-05 01:16",
        classification="CONFIDENTIAL",
        origin="US Office Almaty",
        subject="AMBASSADOR MEETS PA HEAD",
        tags=[("KZ", "Kazakhstan"), ("PREL", "External Political Relations")],
    )
    make_cable(
        "06ALMATY200",
        "2006-03-10 09:00",
        classification="UNCLASSIFIED",
        origin="US Office Almaty",
        tags=["KZ", ("PGOV", "Internal Governmental Affairs")],
    )
    make_cable(
        "05ASTANA300",
        "2005-12-31 23:30",
        classification="SECRET",
        origin="Embassy Astana",
        tags=["KZ", "PREL", "PGOV"],
    )
    make_cable(
        "07MOSCOW400",
        "2007-01-01 00:00",
        classification="CONFIDENTIAL",
        origin="Embassy Moscow",
        tags=[("RS", "Russia"), "PREL"],
    )
    make_cable(
        "06MOSCOW500",
        "2006-08-20 12:00",
        classification="UNCLASSIFIED",
        origin="Embassy Moscow",
        subject="",
        tags=["RS"],
    )


# --- the list ---------------------------------------------------------------------------


def test_the_list_shows_every_cable_newest_first(client, archive):
    response = client.get("/cables/")
    assert response.status_code == 200
    assert ids(response) == [
        "07MOSCOW400",
        "06MOSCOW500",
        "06ALMATY100",
        "06ALMATY200",
        "05ASTANA300",
    ]
    assertContains(response, "<strong>5</strong> cables")


def test_each_row_shows_id_date_classification_origin_subject_and_tags(client, archive):
    response = client.get("/cables/")
    content = response.content.decode()
    row = re.search(
        r'<li class="cable-row">(?:(?!</li>\s*<li class="cable-row">).)*?06ALMATY100.*?</ul>',
        content,
        re.S,
    ).group(0)
    assert 'href="/cables/06ALMATY100/"' in row
    assert "2006-08-05" in row
    assert "CONFIDENTIAL" in row
    assert "US Office Almaty" in row
    assert "AMBASSADOR MEETS PA HEAD" in row
    assert row.index(">KZ<") < row.index(">PREL<")


def test_a_cable_without_subject_gets_a_placeholder(client, archive):
    response = client.get("/cables/?origin=Embassy+Moscow&year=2006")
    assert ids(response) == ["06MOSCOW500"]
    assertContains(response, "(no subject)")


def test_an_empty_archive_lists_nothing_without_error(client, db):
    response = client.get("/cables/")
    assert response.status_code == 200
    assert ids(response) == []
    assertContains(response, "No cables match this selection.")


# --- filters -----------------------------------------------------------------------------


def test_one_tag_keeps_the_cables_carrying_it(client, archive):
    response = client.get("/cables/?tag=KZ")
    assert ids(response) == ["06ALMATY100", "06ALMATY200", "05ASTANA300"]


def test_several_tags_keep_only_cables_carrying_all_of_them(client, archive):
    response = client.get("/cables/?tag=KZ&tag=PREL")
    assert ids(response) == ["06ALMATY100", "05ASTANA300"]
    response = client.get("/cables/?tag=KZ&tag=PREL&tag=PGOV")
    assert ids(response) == ["05ASTANA300"]


def test_tags_match_their_exact_code(client, archive):
    response = client.get("/cables/?tag=K")
    assert ids(response) == []


def test_repeated_years_mean_any_of_them(client, archive):
    response = client.get("/cables/?year=2005&year=2007")
    assert ids(response) == ["07MOSCOW400", "05ASTANA300"]


def test_a_year_is_a_utc_calendar_year(client, archive):
    # 23:30 UTC on 31 December 2005 and 00:00 UTC on 1 January 2007 are on the edges.
    assert ids(client.get("/cables/?year=2005")) == ["05ASTANA300"]
    assert ids(client.get("/cables/?year=2007")) == ["07MOSCOW400"]


def test_classification_filter_and_repeated_classifications(client, archive):
    assert ids(client.get("/cables/?classification=CONFIDENTIAL")) == [
        "07MOSCOW400",
        "06ALMATY100",
    ]
    assert ids(client.get("/cables/?classification=SECRET&classification=UNCLASSIFIED")) == [
        "06MOSCOW500",
        "06ALMATY200",
        "05ASTANA300",
    ]


def test_origin_filter_takes_the_plain_name(client, archive):
    assert ids(client.get("/cables/?origin=Embassy+Moscow")) == ["07MOSCOW400", "06MOSCOW500"]
    assert ids(client.get("/cables/", {"origin": "US Office Almaty"})) == [
        "06ALMATY100",
        "06ALMATY200",
    ]


def test_date_range_is_inclusive_on_both_ends(client, archive):
    response = client.get("/cables/?date_from=2006-03-10&date_to=2006-08-05")
    assert ids(response) == ["06ALMATY100", "06ALMATY200"]


def test_date_to_includes_the_whole_last_day_in_utc(client, archive):
    assert ids(client.get("/cables/?date_to=2005-12-31")) == ["05ASTANA300"]
    assert ids(client.get("/cables/?date_from=2007-01-01")) == ["07MOSCOW400"]
    assert ids(client.get("/cables/?date_from=2006-01-01&date_to=2006-12-31")) == [
        "06MOSCOW500",
        "06ALMATY100",
        "06ALMATY200",
    ]


def test_month_within_one_year(client, archive):
    assert ids(client.get("/cables/?year=2006&month=8")) == ["06MOSCOW500", "06ALMATY100"]
    assert ids(client.get("/cables/?year=2006&month=3&month=8")) == [
        "06MOSCOW500",
        "06ALMATY100",
        "06ALMATY200",
    ]


def test_filters_of_different_kinds_combine(client, archive):
    response = client.get("/cables/?tag=PREL&classification=CONFIDENTIAL&year=2006")
    assert ids(response) == ["06ALMATY100"]
    response = client.get("/cables/?tag=KZ&origin=US+Office+Almaty&date_from=2006-04-01")
    assert ids(response) == ["06ALMATY100"]


def test_unknown_tag_or_origin_gives_an_empty_list_with_a_message(client, archive):
    response = client.get("/cables/?tag=NOSUCH")
    assert response.status_code == 200
    assert ids(response) == []
    assertContains(response, "No cable in the archive has the tag “NOSUCH”.")
    response = client.get("/cables/?origin=Atlantis")
    assert ids(response) == []
    assertContains(response, "No cable in the archive has the origin “Atlantis”.")
    # Of several values, only the unknown one is named.
    response = client.get("/cables/?origin=Atlantis&origin=US+Office+Almaty&tag=RS")
    assert ids(response) == []
    assertContains(response, "No cable in the archive has the origin “Atlantis”.")
    assertNotContains(response, "has the origin “US Office Almaty”")


def test_known_values_that_match_nothing_together_give_no_unknown_value_message(client, archive):
    response = client.get("/cables/?tag=RS&origin=US+Office+Almaty")
    assert ids(response) == []
    assertContains(response, "No cables match this selection.")
    assertNotContains(response, "No cable in the archive has")


# --- facets --------------------------------------------------------------------------------


def test_facets_count_the_whole_archive_without_filters(client, archive):
    response = client.get("/cables/")
    years = facet_links(response, "year")
    assert {label: count for label, (_, count) in years.items()} == {
        "2007": 1,
        "2006": 3,
        "2005": 1,
    }
    tags = facet_links(response, "tag")
    assert {label: count for label, (_, count) in tags.items()} == {
        "KZ": 3,
        "PREL": 3,
        "PGOV": 2,
        "RS": 2,
    }
    assert facet_links(response, "origin")["Embassy Moscow"][1] == 2
    assert facet_links(response, "classification")["UNCLASSIFIED"][1] == 2


def test_facet_counts_follow_the_selection(client, archive):
    response = client.get("/cables/?tag=RS")
    years = {label: count for label, (_, count) in facet_links(response, "year").items()}
    assert years == {"2007": 1, "2006": 1}
    tags = {label: count for label, (_, count) in facet_links(response, "tag").items()}
    assert tags == {"RS": 2, "PREL": 1}
    origins = {label: count for label, (_, count) in facet_links(response, "origin").items()}
    assert origins == {"Embassy Moscow": 2}
    classes = facet_links(response, "classification")
    assert {label: count for label, (_, count) in classes.items()} == {
        "CONFIDENTIAL": 1,
        "UNCLASSIFIED": 1,
    }


def test_an_any_of_facet_keeps_offering_its_other_values_once_one_is_chosen(client, archive):
    response = client.get("/cables/?year=2006&tag=KZ")
    years = facet_links(response, "year")
    # Counted over tag=KZ alone, so that another year can be added ("any of").
    assert {label: count for label, (_, count) in years.items()} == {"2006": 2, "2005": 1}
    assert years["2005"][0] == "/cables/?year=2006&year=2005&tag=KZ"
    assert years["2006"][0] == "/cables/?tag=KZ"
    # The other facets are still counted over the whole selection (2006 and KZ).
    origins = {label: count for label, (_, count) in facet_links(response, "origin").items()}
    assert origins == {"US Office Almaty": 2}
    classes = facet_links(
        client.get("/cables/?classification=SECRET&classification=CONFIDENTIAL"),
        "classification",
    )
    assert {label: count for label, (_, count) in classes.items()} == {
        "CONFIDENTIAL": 2,
        "UNCLASSIFIED": 2,
        "SECRET": 1,
    }


def test_months_are_offered_only_when_exactly_one_year_is_selected(client, archive):
    assertNotContains(client.get("/cables/"), "facet--month")
    assertNotContains(client.get("/cables/?year=2006&year=2005"), "facet--month")
    response = client.get("/cables/?year=2006")
    months = facet_links(response, "month")
    assert {label: count for label, (_, count) in months.items()} == {"March": 1, "August": 2}
    assert months["August"][0] == "/cables/?year=2006&month=8"


def test_facet_values_link_to_the_selection_with_that_value_added(client, archive):
    response = client.get("/cables/?tag=KZ")
    tags = facet_links(response, "tag")
    assert tags["PREL"][0] == "/cables/?tag=KZ&tag=PREL"
    origins = facet_links(response, "origin")
    assert origins["Embassy Astana"][0] == "/cables/?tag=KZ&origin=Embassy+Astana"


def test_a_selected_facet_value_links_to_the_selection_without_it(client, archive):
    response = client.get("/cables/?tag=KZ&tag=PREL")
    tags = facet_links(response, "tag")
    assert tags["KZ"][0] == "/cables/?tag=PREL"
    assert tags["PREL"][0] == "/cables/?tag=KZ"
    assertContains(response, 'aria-current="true"', count=2)


def test_facet_links_start_again_from_the_first_page(client, archive, settings):
    settings.CABLES_PAGE_SIZE = 2
    response = client.get("/cables/?page=2")
    assert facet_links(response, "year")["2006"][0] == "/cables/?year=2006"


# --- chips ----------------------------------------------------------------------------------


def test_each_selected_value_shows_as_a_chip_that_removes_only_it(client, archive):
    response = client.get(
        "/cables/?tag=KZ&tag=PREL&year=2006&classification=CONFIDENTIAL&origin=US+Office+Almaty"
    )
    assert chips(response) == {
        "Tag: KZ": "/cables/?tag=PREL&year=2006&classification=CONFIDENTIAL&origin=US+Office+Almaty",
        "Tag: PREL": "/cables/?tag=KZ&year=2006&classification=CONFIDENTIAL&origin=US+Office+Almaty",
        "Classification: CONFIDENTIAL": "/cables/?tag=KZ&tag=PREL&year=2006&origin=US+Office+Almaty",
        "Origin: US Office Almaty": "/cables/?tag=KZ&tag=PREL&year=2006&classification=CONFIDENTIAL",
        "Year: 2006": "/cables/?tag=KZ&tag=PREL&classification=CONFIDENTIAL&origin=US+Office+Almaty",
    }


def test_chip_links_lead_to_the_narrower_selection(client, archive):
    response = client.get("/cables/?tag=KZ&tag=PREL")
    link = chips(response)["Tag: PREL"]
    assert ids(client.get(link)) == ["06ALMATY100", "06ALMATY200", "05ASTANA300"]


def test_month_and_date_chips_are_labelled_and_removable(client, archive):
    response = client.get("/cables/?year=2006&month=8&date_from=2006-01-01")
    found = chips(response)
    assert found["Month: August"] == "/cables/?year=2006&date_from=2006-01-01"
    assert found["From: 2006-01-01"] == "/cables/?year=2006&month=8"
    # Removing the only year removes its month too: a month needs one year.
    assert found["Year: 2006"] == "/cables/?date_from=2006-01-01"


def test_no_chips_and_no_clear_link_without_filters(client, archive):
    response = client.get("/cables/")
    assert chips(response) == {}
    assertNotContains(response, "Clear all")


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=abc", "Year: “abc”: Enter a year such as 2006."),
        ("year=2006&year=x1", "Year: “x1”: Enter a year such as 2006."),
        ("year=99999", "Year: “99999”"),
        ("year=2006&month=13", "Month: “13”"),
        ("year=2006&month=aug", "Month: “aug”: Enter a month number, 1-12."),
        ("month=8", "Month: Choose exactly one year to filter by month."),
        ("year=2005&year=2006&month=8", "Month: Choose exactly one year to filter by month."),
        ("date_from=2006-13-01", "From: Enter a date as YYYY-MM-DD."),
        ("date_to=yesterday", "To: Enter a date as YYYY-MM-DD."),
        ("date_from=06/08/2006", "From: Enter a date as YYYY-MM-DD."),
        ("date_from=2006-09-01&date_to=2006-01-01", "To: The end date is before the start date."),
    ],
)
def test_invalid_values_give_a_400_page_that_says_what_is_wrong(client, archive, query, message):
    response = client.get(f"/cables/?{query}")
    assert response.status_code == 400
    assertContains(response, "Some parameters are not valid and were ignored", status_code=400)
    assertContains(response, html.escape(message, quote=False), status_code=400)
    assertContains(response, "cable-row__id", status_code=400)


def test_an_invalid_value_is_ignored_and_the_valid_ones_still_apply(client, archive):
    response = client.get("/cables/?tag=RS&date_from=nonsense")
    assert response.status_code == 400
    assert ids(response) == ["07MOSCOW400", "06MOSCOW500"]
    assert chips(response)["From: nonsense"] == "/cables/?tag=RS"
    assertContains(
        response,
        '<a class="chip chip--invalid" href="/cables/?tag=RS"',
        count=1,
        status_code=400,
    )


@pytest.mark.parametrize(
    "query",
    [
        "tag=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "origin=%27%3B+DROP+TABLE+cables_cable%3B--",
        "classification=" + "X" * 500,
        "tag=",
        "year=&month=",
        "year=%00",
        "date_from=%EF%BF%BF",
        "unknown=1",
        "tag=KZ&tag=KZ",
    ],
)
def test_odd_input_never_breaks_the_page(client, archive, query):
    response = client.get(f"/cables/?{query}")
    assert response.status_code in (200, 400)
    assertNotContains(response, "<script>alert(1)</script>", status_code=response.status_code)


def test_a_repeated_value_counts_once(client, archive):
    response = client.get("/cables/?tag=KZ&tag=KZ")
    assert ids(response) == ["06ALMATY100", "06ALMATY200", "05ASTANA300"]
    assert list(chips(response)) == ["Tag: KZ"]


# --- pagination ------------------------------------------------------------------------------


def test_pages_hold_the_configured_number_of_cables(client, archive, settings):
    settings.CABLES_PAGE_SIZE = 2
    assert ids(client.get("/cables/")) == ["07MOSCOW400", "06MOSCOW500"]
    assert ids(client.get("/cables/?page=2")) == ["06ALMATY100", "06ALMATY200"]
    assert ids(client.get("/cables/?page=3")) == ["05ASTANA300"]
    assert ids(client.get("/cables/?page=last")) == ["05ASTANA300"]


def test_page_links_keep_the_selection(client, archive, settings):
    settings.CABLES_PAGE_SIZE = 1
    response = client.get("/cables/?tag=KZ")
    assertContains(response, 'href="/cables/?tag=KZ&amp;page=2" rel="next"')
    response = client.get("/cables/?tag=KZ&page=2")
    assertContains(response, 'href="/cables/?tag=KZ" rel="prev"')
    assertContains(response, 'href="/cables/?tag=KZ&amp;page=3" rel="next"')


@pytest.mark.parametrize("page", ["4", "0", "-1", "abc", "1.5", "99999999999999999999"])
def test_an_out_of_range_or_junk_page_is_a_404(client, archive, settings, page):
    settings.CABLES_PAGE_SIZE = 2
    response = client.get(f"/cables/?page={page}")
    assert response.status_code == 404


def test_the_first_page_of_an_empty_selection_exists(client, archive):
    assert client.get("/cables/?tag=NOSUCH&page=1").status_code == 200


# --- query budget ------------------------------------------------------------------------------


def make_many(make_cable, n: int) -> None:
    for i in range(n):
        make_cable(
            f"06TEST{i:04d}",
            f"2006-{1 + i % 12:02d}-{1 + i % 28:02d} 10:00",
            tags=["KZ", f"T{i % 5}", "PREL"],
            classification=["SECRET", "CONFIDENTIAL"][i % 2],
        )


@pytest.mark.parametrize("query", ["", "?tag=KZ&tag=PREL", "?year=2006&month=3", "?tag=NOSUCH"])
def test_the_list_runs_a_constant_number_of_queries(
    client, make_cable, django_assert_max_num_queries, query
):
    make_many(make_cable, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cables/{query}")
    make_many_more = 40
    for i in range(make_many_more):
        make_cable(f"07MORE{i:04d}", "2006-03-05 10:00", tags=["KZ", "PREL", f"M{i}"])
    with django_assert_max_num_queries(10):
        response = client.get(f"/cables/{query}")
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as many:
        client.get(f"/cables/{query}")
    assert len(many) == len(few)


# --- home page ------------------------------------------------------------------------------


def test_home_page_summarises_the_archive(client, archive):
    response = client.get("/")
    assert response.status_code == 200
    assertContains(response, "<strong>5 cables</strong>")
    assertContains(response, "31 December 2005")
    assertContains(response, "1 January 2007")
    assertContains(response, '<a href="/cables/?classification=CONFIDENTIAL">CONFIDENTIAL</a>')
    assertContains(response, '<a href="/cables/?origin=Embassy+Moscow">Embassy Moscow</a>')
    assertContains(response, 'href="/cables/?tag=KZ"')
    assertContains(response, 'href="/cables/">Browse all cables</a>')


def test_home_page_of_an_empty_archive_says_how_to_import(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assertContains(response, "The archive is empty")
    assertContains(response, "python manage.py import_cables PATH")


def test_home_page_runs_a_few_queries(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get("/")


def test_every_page_has_the_site_frame(client, archive):
    response = client.get("/cables/")
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert 'name="viewport"' in content
    assert "<main" in content and "<footer" in content
    assert '<a class="site-name" href="/">' in content
    assert 'href="/cables/" aria-current="page">Browse cables</a>' in content
    assert "http://" not in content and "https://" not in content  # no external assets


def test_seed_cables_can_be_browsed(client, imported_seeds):
    response = client.get("/cables/?tag=KZ&year=2006")
    assert ids(response) == ["06ALMATY3273", "06ALMATY2803", "06ALMATY2404"]
    response = client.get("/cables/?year=2005&classification=CONFIDENTIAL")
    assert ids(response) == ["05ALMATY538"]


def test_a_filtered_selection_pinned_to_its_ids_counts_the_same_facets(imported_seeds):
    """PostgreSQL hands a filtered list's cables on as their ids (one lookup); the page,
    its count and every facet must be what the filter itself gives."""
    from cables import search
    from cables.models import Cable

    for cables in (
        Cable.objects.filter(cabletag__tag__code="KZ"),
        Cable.objects.filter(created__year=2006).exclude(cabletag__tag__code="PREL"),
        Cable.objects.filter(origin="Nowhere"),
    ):
        pinned, count = search.engine().pinned(cables)
        assert count in (None, cables.count())
        assert sorted(pinned.values_list("reference_id", flat=True)) == sorted(
            cables.values_list("reference_id", flat=True)
        )
        assert pinned.facet_counts() == cables.facet_counts()
