"""The facets of /cables/: "Show all" for long facets with a filter box (shown by
facets.js), the facets that can narrow the selection first; and the page's assets: no
inline script or style, print and narrow-screen rules, visible keyboard focus."""

import re
from pathlib import Path

import pytest
from pytest_django.asserts import assertContains

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
CSS = (ROOT / "static" / "css" / "site.css").read_text()


def facet_names(response) -> list[str]:
    return re.findall(r'<section class="facet facet--(\w+)"', response.content.decode())


def test_a_long_facet_folds_its_tail_under_show_all_with_a_filter_box(client, make_cable):
    for i in range(14):
        make_cable(f"06T{i:02d}", tags=[f"T{i:02d}"])
    response = client.get("/cables/")
    content = response.content.decode()
    tag = re.search(r'<section class="facet facet--tag".*?</section>', content, re.S).group(0)
    assert "<summary>Show all (4 more)</summary>" in tag
    assert (
        '<input class="facet__filter" type="search" hidden placeholder="Filter tags" '
        'aria-label="Filter the tags listed" aria-controls="facet-tag-values" autocomplete="off">'
    ) in tag
    assert len(re.findall(r'class="facet__value"', tag)) == 14
    # A short facet has neither.
    origin = re.search(r'<section class="facet facet--origin".*?</section>', content, re.S)
    assert "facet__filter" not in origin.group(0)
    assertContains(response, '<script src="/static/js/facets.js" defer></script>')


def test_facets_that_cannot_narrow_the_selection_go_last(client, imported_seeds):
    # Every seed comes from US Office Almaty: the origin facet cannot narrow the list.
    response = client.get("/cables/")
    assert facet_names(response) == [
        "year", "tag", "person", "classification", "level", "caveat", "origin",
    ]  # fmt: skip
    assertContains(response, '<section class="facet facet--origin" data-narrows="no"')
    # One year chosen: the year facet (offering the other) stays in its place.
    assert facet_names(client.get("/cables/?year=2006"))[:2] == ["year", "month"]


def test_templates_hold_no_inline_script_or_style():
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert " style=" not in text and "<style" not in text, path


def test_the_stylesheet_has_print_narrow_screen_and_focus_rules():
    assert ":focus-visible {" in CSS
    assert ".timeline__link:focus-visible .timeline__bar" in CSS
    print_rules = CSS[CSS.index("@media print") :]
    for hidden in (".facets", ".site-nav", ".export-links", ".facet__exclude", ".similar"):
        assert f"  {hidden}," in print_rules or f"  {hidden} {{" in print_rules, hidden
    # Facets below the results on a narrow screen: results first in the grid's areas.
    assert '"results"\n    "facets"' in CSS


@pytest.mark.parametrize(
    "query",
    [
        "",
        "page=3",
        "tag=PREL",
        "tag=PREL&tag=KZ&year=2006&month=8&page=2",
        "year=2006&year=2007&month=8",
        "q=a%20b&exclude_tag=PGOV&classification=SECRET",
        "month=8",
        "person=john-ordway&origin=Embassy%20Astana",
    ],
)
def test_the_facet_links_of_a_page_are_the_query_strings_toggled_one_by_one(query):
    """``ToggleLinks`` (the links of several hundred facet values) must give exactly what
    ``query_toggle`` gives for each."""
    from django.http import QueryDict

    from cables.filters import ToggleLinks, query_toggle

    params = QueryDict(query)
    links = ToggleLinks(params)
    for name in ("tag", "exclude_tag", "year", "month", "origin", "person", "level"):
        for value in ("PREL", "KZ", "2006", "8", "Embassy Astana", "john-ordway", "a&b=c"):
            assert links.toggle(name, value) == query_toggle(params, name, value), (name, value)


def test_facet_links_match_query_toggle_for_hostile_queries_and_need_only_their_ampersands_escaped():
    """Random queries (repeated and empty values, unknown keys, quotes, angle brackets,
    newlines, unicode, percent signs): ``ToggleLinks`` gives what ``query_toggle`` gives,
    and its query strings hold nothing but ``&`` that HTML would need escaped."""
    import random
    from html import escape
    from urllib.parse import urlencode

    from django.http import QueryDict

    from cables.filters import ToggleLinks, html_query, query_toggle

    pieces = ["PREL", "KZ", "", "a b", 'say "hi"', "<b>", "it's", "x\ny", "é€", "%41", "a&b=c", "+"]
    names = ["tag", "exclude_tag", "year", "month", "origin", "person", "q", "page", "wat<"]
    rng = random.Random(20261201)
    for _ in range(300):
        pairs = [(rng.choice(names), rng.choice(pieces)) for _ in range(rng.randint(0, 5))]
        params = QueryDict(urlencode(pairs))
        links = ToggleLinks(params)
        for _ in range(10):
            name, value = rng.choice(names[:6]), rng.choice(pieces)
            toggled = links.toggle(name, value)
            assert toggled == query_toggle(params, name, value), (pairs, name, value)
            assert html_query(toggled) == escape(toggled), toggled


def test_only_facet_values_are_kept_between_pages_never_a_requests_own_parameters():
    from django.http import QueryDict

    from cables.filters import ToggleLinks, _facet_pair

    _facet_pair.cache_clear()
    links = ToggleLinks(QueryDict("q=" + "a" * 4000 + "&tag=PREL&origin=Embassy+Astana"))
    assert links.toggle("tag", "KZ").startswith("?q=aaaa")
    links.toggle("person", "john-ordway")
    links.toggle("tag", "PREL")  # (removed: the request's own pairs, joined again)
    # The two facet values added; not q, tag=PREL or origin, which the request brought.
    assert _facet_pair.cache_info().currsize == 2
