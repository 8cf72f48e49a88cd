"""Exports of any /cables/ selection: ``/cables.csv`` and ``/cables.jsonl`` (streamed, every
matching cable up to CABLES_EXPORT_LIMIT) and ``/cables.atom`` (the newest 50)."""

import csv
import io
import json
from xml.etree import ElementTree

import pytest
from pytest_django.asserts import assertContains

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def content(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def csv_rows(client, query: str = "") -> list[list[str]]:
    response = client.get(f"/cables.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(content(response))))


def test_the_csv_holds_every_cable_of_the_selection_in_the_lists_order(client, imported_seeds):
    rows = csv_rows(client)
    assert rows[0] == [
        "id", "url", "created", "classification", "origin", "subject", "tags", "partial",
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == [
        "06ALMATY3273", "06ALMATY2803", "06ALMATY2404", "05ALMATY956", "05ALMATY538",
    ]  # fmt: skip
    assert rows[2] == [
        "06ALMATY2803",
        "http://testserver/cables/06ALMATY2803/",
        "2006-08-05T01:16:00Z",
        "CONFIDENTIAL",
        "US Office Almaty",
        "KAZAKHSTAN: AMBASSADOR'S AUGUST 1 MEETING WITH PA HEAD DZHAKSYBEKOV",
        "PREL PGOV PHUM KZ",  # in the cable's order
        "false",
    ]


def test_the_exports_take_the_lists_parameters(client, imported_seeds):
    rows = csv_rows(client, "?tag=PHUM&exclude_year=2005&sort=oldest&page=2")
    assert [row[0] for row in rows[1:]] == ["06ALMATY2404", "06ALMATY2803"]


def test_the_csv_is_a_download(client, imported_seeds):
    response = client.get("/cables.csv?tag=KZ")
    assert response["Content-Disposition"] == 'attachment; filename="cables.csv"'
    assert response["X-Export-Limit"] == "100000"


def test_json_lines_hold_one_summary_a_line(client, imported_seeds):
    response = client.get("/cables.jsonl?year=2005")
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    lines = [json.loads(line) for line in content(response).splitlines()]
    assert [line["id"] for line in lines] == ["05ALMATY956", "05ALMATY538"]
    assert lines[1] == {
        "id": "05ALMATY538",
        "url": "http://testserver/cables/05ALMATY538/",
        "json_url": "http://testserver/cables/05ALMATY538.json",
        "created": "2005-02-10T07:16:00Z",
        "created_precision": "minute",
        "classification": "CONFIDENTIAL",
        "origin": "US Office Almaty",
        "subject": "KAZAKHSTAN: EUR DAS KENNEDY'S MEETING WITH FM TOKAYEV",
        "tags": ["KZ", "PGOV", "PHUM", "PREL"],
        "partial": True,
    }


def test_an_export_stops_at_the_configured_cap(client, imported_seeds, settings):
    settings.CABLES_EXPORT_LIMIT = 2
    rows = csv_rows(client)
    assert [row[0] for row in rows[1:]] == ["06ALMATY3273", "06ALMATY2803"]
    response = client.get("/cables.jsonl")
    assert response["X-Export-Limit"] == "2"
    assert len(content(response).splitlines()) == 2


def test_an_export_follows_a_search(client, imported_seeds):
    rows = csv_rows(client, "?q=election&sort=oldest")
    assert [row[0] for row in rows[1:]] == [
        "05ALMATY538", "05ALMATY956", "06ALMATY2404", "06ALMATY3273",
    ]  # fmt: skip
    # By relevance: the same cables.
    rows = csv_rows(client, "?q=election")
    assert sorted(row[0] for row in rows[1:]) == [
        "05ALMATY538", "05ALMATY956", "06ALMATY2404", "06ALMATY3273",
    ]  # fmt: skip


def test_a_bad_parameter_is_a_400_in_plain_text(client, imported_seeds):
    for url in ("/cables.csv?year=abc", "/cables.jsonl?year=abc", "/cables.atom?year=abc"):
        response = client.get(url)
        assert response.status_code == 400
        assert response.content.decode() == "Year: “abc”: Enter a year such as 2006.\n"


def test_an_export_reads_the_cables_in_chunks(client, make_cable, django_assert_max_num_queries):
    for i in range(30):
        make_cable(f"06MANY{i:02d}", tags=["KZ", f"T{i}"])
    # The cables, and their tags per chunk of 2,000.
    with django_assert_max_num_queries(2):
        rows = csv_rows(client, "?tag=KZ")
    assert len(rows) == 31


def atom(client, query: str = "") -> ElementTree.Element:
    response = client.get(f"/cables.atom{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ElementTree.fromstring(response.content)


def test_the_atom_feed_holds_the_newest_cables_of_the_selection(client, imported_seeds):
    feed = atom(client, "?tag=PHUM&sort=oldest")
    assert feed.findtext(f"{ATOM}title") == "Cable archive: Cables tagged PHUM."
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == (
        "http://testserver/cables/?tag=PHUM&sort=oldest"
    )
    entries = feed.findall(f"{ATOM}entry")
    # Newest first whatever the list's order.
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        "http://testserver/cables/06ALMATY2803/",
        "http://testserver/cables/06ALMATY2404/",
        "http://testserver/cables/05ALMATY538/",
    ]
    first = entries[0]
    assert first.findtext(f"{ATOM}title").startswith("06ALMATY2803: KAZAKHSTAN: AMBASSADOR")
    assert first.findtext(f"{ATOM}updated") == "2006-08-05T01:16:00+00:00"
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "US Office Almaty"
    assert [c.get("term") for c in first.findall(f"{ATOM}category")] == [
        "CONFIDENTIAL", "PREL", "PGOV", "PHUM", "KZ",
    ]  # fmt: skip


def test_the_feed_escapes_the_cable_text_into_its_html_summaries(client, make_cable):
    make_cable("06X1", summary="<script>alert(1)</script> & more")
    entry = atom(client).find(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # Read as HTML, the summary is the text itself, not markup.
    assert summary.text == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"


def test_the_feed_stops_at_fifty(client, make_cable):
    for i in range(55):
        make_cable(f"06F{i:02d}", f"2006-01-{1 + i % 28:02d}")
    assert len(atom(client).findall(f"{ATOM}entry")) == 50


def test_the_list_page_links_its_exports(client, imported_seeds):
    response = client.get("/cables/?tag=KZ&page=1")
    assertContains(response, '<a href="/cables.csv?tag=KZ" download>CSV</a>')
    assertContains(response, '<a href="/cables.jsonl?tag=KZ" download>JSON Lines</a>')
    assertContains(response, '<a href="/cables.atom?tag=KZ">Atom feed</a>')
    assertContains(
        response,
        '<link rel="alternate" type="application/atom+xml" href="/cables.atom?tag=KZ" '
        'title="Cables tagged KZ.">',
    )


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_defused(client, make_cable):
    make_cable("06X1", subject='=HYPERLINK("http://evil","click")', origin="@Post")
    make_cable("06X2", "2006-01-01", subject="- dash first", tags=["KZ"])
    rows = csv_rows(client)
    assert rows[1][3:7] == ["UNCLASSIFIED", "'@Post", '\'=HYPERLINK("http://evil","click")', ""]
    assert rows[2][5:7] == ["'- dash first", "KZ"]
    # The JSON Lines keep the text as it is.
    first = json.loads(content(client.get("/cables.jsonl")).splitlines()[0])
    assert first["subject"] == '=HYPERLINK("http://evil","click")'
