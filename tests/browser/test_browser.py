"""The archive in a real browser (issue 7): Chromium, driven by Playwright, against the live
server holding the five seed cables. Each test is one step a reader takes."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def result_count(page) -> int:
    """The number of cables the list page says it shows ("3 cables, newest first.")."""
    text = page.locator(".results-count").inner_text()
    match = re.match(r"\s*([\d,]+) cables?\b", text)
    assert match, f"no count in {text!r}"
    return int(match.group(1).replace(",", ""))


def facet_value(page, facet: str, label: str):
    """The link of one facet value, found by its label."""
    return page.locator(f".facet--{facet} .facet__value").filter(
        has=page.locator(".facet__label", has_text=re.compile(rf"^{re.escape(label)}$"))
    )


def facet_count(page, facet: str, label: str) -> int:
    return int(facet_value(page, facet, label).locator(".count").inner_text())


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def is_target(page, selector: str) -> bool:
    return page.locator(selector).evaluate("el => el.matches(':target')")


def test_home_page(page, screenshot):
    page.goto("/")
    expect(page).to_have_title("Cable archive")
    expect(page.locator("h1")).to_have_text("US diplomatic cables")
    expect(page.locator(".lead")).to_contain_text("5 cables")
    classifications = page.locator("section[aria-labelledby=by-classification] li")
    expect(classifications).to_have_count(2)
    expect(page.locator(".tag-cloud .tag", has_text="KZ")).to_be_visible()
    screenshot(page, "home")

    page.get_by_role("link", name="Browse all cables").click()
    expect(page).to_have_url(re.compile(r"/cables/$"))
    expect(page.locator("h1")).to_have_text("All cables")
    assert result_count(page) == 5
    expect(page.locator(".cable-row")).to_have_count(5)


def test_tag_facet_then_classification_change_the_counts(page, screenshot):
    page.goto("/cables/")
    assert result_count(page) == 5
    screenshot(page, "browse")
    # What the facets promise before anything is picked.
    assert facet_count(page, "tag", "PHUM") == 3
    assert facet_count(page, "classification", "CONFIDENTIAL") == 2
    assert facet_count(page, "year", "2006") == 3
    # A tag's description does not push its count onto a line of its own.
    kz = facet_value(page, "tag", "KZ")
    expect(kz.locator(".facet__desc")).to_have_text("Kazakhstan")
    label_box = kz.locator(".facet__label").bounding_box()
    count_box = kz.locator(".count").bounding_box()
    assert abs(label_box["y"] - count_box["y"]) < label_box["height"] / 2
    assert count_box["x"] > label_box["x"] + label_box["width"]

    facet_value(page, "tag", "PHUM").locator("a:not(.facet__exclude)").click()
    expect(page.locator("h1")).to_have_text("Selected cables")
    assert query(page)["tag"] == ["PHUM"]
    assert result_count(page) == 3
    expect(page.locator(".cable-row")).to_have_count(3)
    for row in page.locator(".cable-row").all():
        expect(row.locator(".tag-list .tag", has_text=re.compile(r"^PHUM$"))).to_have_count(1)
    expect(facet_value(page, "tag", "PHUM")).to_have_class(re.compile(r"\bis-selected\b"))
    expect(page.locator(".chips .chip")).to_have_count(1)
    expect(page.locator(".chips .chip")).to_contain_text("PHUM")
    # The other facets now count within the selection.
    assert facet_count(page, "year", "2006") == 2
    assert facet_count(page, "classification", "CONFIDENTIAL") == 2
    assert facet_count(page, "classification", "UNCLASSIFIED//FOR OFFICIAL USE ONLY") == 1

    facet_value(page, "classification", "CONFIDENTIAL").locator("a:not(.facet__exclude)").click()
    assert query(page)["tag"] == ["PHUM"]
    assert query(page)["classification"] == ["CONFIDENTIAL"]
    assert result_count(page) == 2
    rows = page.locator(".cable-row")
    expect(rows).to_have_count(2)
    expect(rows.locator(".cable-row__id")).to_have_text(["06ALMATY2803", "05ALMATY538"])
    expect(rows.locator(".classification")).to_have_text(["CONFIDENTIAL", "CONFIDENTIAL"])
    expect(page.locator(".chips .chip")).to_have_count(2)
    assert facet_count(page, "year", "2006") == 1
    assert facet_count(page, "year", "2005") == 1
    screenshot(page, "browse-filtered")

    # Removing the tag's chip keeps the classification: back to the two CONFIDENTIAL cables.
    page.locator(".chips .chip", has_text="PHUM").click()
    assert "tag" not in query(page)
    assert result_count(page) == 2
    page.get_by_role("link", name="Clear all").click()
    assert result_count(page) == 5


def test_search_a_phrase_and_follow_a_snippet_to_its_paragraph(page, screenshot):
    page.goto("/")
    box = page.get_by_role("searchbox", name="Search all cables")
    box.fill('"democratic reform"')
    box.press("Enter")
    expect(page.locator("h1")).to_have_text("Search results")
    assert query(page)["q"] == ['"democratic reform"']
    assert result_count(page) == 2
    expect(page.locator(".results-count")).to_contain_text("matching paragraphs")
    # Each snippet holds the phrase, its words marked (PostgreSQL marks them one by one,
    # SQLite the phrase whole).
    snippets = page.locator("a.snippet")
    assert snippets.count() >= 2
    for snippet in snippets.all():
        assert "democratic reform" in snippet.inner_text().lower()
        marked = " ".join(snippet.locator("mark").all_inner_texts()).lower()
        assert "democratic" in marked and "reform" in marked
    screenshot(page, "search")

    snippet = page.locator(".cable-row").first.locator("a.snippet").first
    href = snippet.get_attribute("href")
    cable_id, anchor = re.fullmatch(r"/cables/(\w+)/\?q=[^#]+#(p\d+)", href).groups()
    snippet.click()
    expect(page).to_have_url(re.compile(rf"/cables/{cable_id}/\?q=.+#{anchor}$"))
    expect(page.locator("h1 .cable__id")).to_have_text(cable_id)
    paragraph = page.locator(f"#{anchor}")
    expect(paragraph).to_be_in_viewport()
    assert is_target(page, f"#{anchor}")
    # Highlighted: the :target style (a background) and the search hit's mark.
    background = paragraph.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
    other = page.locator(".para:not(:target)").first
    assert other.evaluate("el => getComputedStyle(el).backgroundColor") != background
    expect(paragraph).to_have_class(re.compile(r"\bpara--hit\b"))
    expect(paragraph.locator("mark").first).to_have_text(re.compile("^democratic", re.I))
    expect(paragraph).to_contain_text(re.compile("democratic reform", re.I))

    # The keys n and p go from hit to hit (cable.js).
    hits = page.locator(".search-hits__list a")
    anchors = [a.removeprefix("#") for a in hits.evaluate_all("l => l.map(a => a.hash)")]
    assert anchor in anchors and len(anchors) > 1
    position = anchors.index(anchor)
    page.locator("body").press("n")
    following = anchors[min(position + 1, len(anchors) - 1)]
    expect(page).to_have_url(re.compile(rf"#{following}$"))
    assert is_target(page, f"#{following}")
    page.locator("body").press("p")
    expect(page).to_have_url(re.compile(rf"#{anchor}$"))


def test_copy_a_paragraph_link(page, screenshot):
    page.goto("/cables/06ALMATY2803/")
    expect(page.locator("h1 .cable__id")).to_have_text("06ALMATY2803")
    screenshot(page, "cable")

    paragraph = page.locator("#p6")
    paragraph.locator("details.para__cite summary").click()
    button = paragraph.locator(".para__permalink button.para__copy")
    expect(button).to_have_text("Copy link")
    expect(button).to_be_visible()  # shown by cable.js when the clipboard can be written
    expected = button.get_attribute("data-copy")
    assert expected == f"{page.url.split('#')[0]}#p6"
    button.click()
    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == expected
    expect(button).to_have_text("Copy link", timeout=5_000)

    citation = paragraph.get_by_role("button", name="Copy citation")
    expect(citation).to_be_visible()
    citation.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "06ALMATY2803" in copied and expected in copied

    # The ¶ link itself goes to the paragraph and copies its permalink too.
    page.evaluate("navigator.clipboard.writeText('')")
    page.locator("#p3 a.para__link").click()
    expect(page).to_have_url(re.compile(r"/cables/06ALMATY2803/#p3$"))
    assert is_target(page, "#p3")
    page.wait_for_function(
        "expected => navigator.clipboard.readText().then(t => t === expected)",
        arg=page.url,
    )


def test_follow_a_reference_to_another_cable(page):
    page.goto("/cables/06ALMATY2803/")
    references = page.locator("#references")
    expect(references.locator(".ref-missing").first).to_be_visible()
    link = references.get_by_role("link", name="06ALMATY2404")
    expect(link).to_have_attribute("title", re.compile("ASHIMBAYEV"))
    link.click()
    expect(page).to_have_url(re.compile(r"/cables/06ALMATY2404/$"))
    expect(page.locator("h1 .cable__id")).to_have_text("06ALMATY2404")
    expect(page.locator("h1 .cable__subject")).to_contain_text("ASHIMBAYEV")
    # ... which lists the citing cable under "Referenced by", and leads back to it.
    cited_by = page.locator("section[aria-labelledby=referenced-by-title]")
    cited_by.get_by_role("link", name="06ALMATY2803").click()
    expect(page).to_have_url(re.compile(r"/cables/06ALMATY2803/$"))


def test_open_a_person(page, screenshot):
    page.goto("/cables/06ALMATY2803/")
    people = page.locator("section[aria-labelledby=people-title]")
    people.get_by_role("link", name="Adylbek Dzhaksybekov").click()
    expect(page).to_have_url(re.compile(r"/people/adylbek-dzhaksybekov/$"))
    expect(page.locator("h1")).to_have_text("Adylbek Dzhaksybekov")
    expect(page.locator(".cable-row__id")).to_have_text(["06ALMATY3273", "06ALMATY2803"])
    screenshot(page, "person")

    # A paragraph naming them leads to that paragraph, highlighted.
    snippet = page.locator(".cable-row").nth(1).locator("a.snippet").first
    anchor = snippet.get_attribute("href").split("#")[1]
    name = snippet.locator("mark").inner_text()
    snippet.click()
    expect(page).to_have_url(re.compile(rf"/cables/06ALMATY2803/#{anchor}$"))
    assert is_target(page, f"#{anchor}")
    expect(page.locator(f"#{anchor}")).to_contain_text(name)

    # The People list, from the navigation, filters by name.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(page).to_have_url(re.compile(r"/people/$"))
    expect(page.get_by_role("link", name="Adylbek Dzhaksybekov")).to_be_visible()
