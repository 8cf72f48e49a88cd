"""The selection in one plain sentence above the results (and as ``description`` in the
JSON), built from the valid parameters and escaped on the page."""

import pytest
from django.http import QueryDict
from pytest_django.asserts import assertContains, assertNotContains

from cables.filters import CableFilter
from cables.models import Cable

pytestmark = pytest.mark.django_db


def describe(query: str, names: dict[str, str] | None = None) -> str:
    return CableFilter(QueryDict(query), queryset=Cable.objects.none()).describe(names)


@pytest.mark.parametrize(
    ("query", "sentence"),
    [
        ("", "All cables."),
        (
            "classification=CONFIDENTIAL&origin=US+Office+Almaty&tag=KZ&year=2006",
            "Confidential cables from US Office Almaty tagged KZ, 2006.",
        ),
        ("tag=KZ&tag=PREL&exclude_tag=AF", "Cables tagged KZ and PREL, not tagged AF."),
        ("q=uranium&year=2006&month=8&month=3", "Cables matching “uranium”, March or August 2006."),
        (
            "level=SECRET&level=CONFIDENTIAL&caveat=NOFORN",
            "Secret or confidential cables marked NOFORN.",
        ),
        ("classification=SECRET//NOFORN", "SECRET//NOFORN cables."),
        (
            "origin=Embassy+Moscow&origin=Embassy+Astana&date_from=2006-01-01&date_to=2006-06-30",
            "Cables from Embassy Moscow or Embassy Astana, sent 2006-01-01 to 2006-06-30.",
        ),
        ("date_from=2006-01-01", "Cables, sent on or after 2006-01-01."),
        ("year=2006&year=2004&year=2005", "Cables, 2004, 2005 or 2006."),
        (
            "exclude_origin=Embassy+Moscow&exclude_year=2005&exclude_year=2004"
            "&exclude_level=SECRET&exclude_caveat=NOFORN&exclude_classification=CONFIDENTIAL",
            "Cables, not secret, not classified CONFIDENTIAL, not from Embassy Moscow, "
            "not marked NOFORN, not from 2004 or 2005.",
        ),
        # Invalid values are left out, as they are of the selection.
        ("year=abc&tag=KZ", "Cables tagged KZ."),
        # A month without exactly one year selects nothing by month.
        ("month=3&year=2005&year=2006", "Cables, 2005 or 2006."),
    ],
)
def test_the_sentence_reads_the_selection(query, sentence):
    assert describe(query) == sentence


def test_people_are_named_by_their_names_when_known():
    names = {"john-ordway": "John Ordway", "putin": "Putin"}
    assert (
        describe("person=john-ordway&person=nobody&exclude_person=putin&tag=KZ", names)
        == "Cables tagged KZ naming John Ordway and nobody, not naming Putin."
    )


def test_the_list_page_shows_the_sentence_with_the_peoples_names(client, imported_seeds):
    response = client.get("/cables/?person=john-ordway&level=CONFIDENTIAL&exclude_year=2005")
    assertContains(
        response,
        '<p class="selection-sentence">Confidential cables naming John Ordway, not from 2005.</p>',
    )
    data = client.get("/cables.json?person=john-ordway&level=CONFIDENTIAL").json()
    assert data["description"] == "Confidential cables naming John Ordway."


def test_the_sentence_is_escaped(client, imported_seeds):
    response = client.get("/cables/", {"tag": "<script>alert(1)</script>", "q": '"<b>x</b>"'})
    assertContains(
        response,
        '<p class="selection-sentence">Cables tagged &lt;script&gt;alert(1)&lt;/script&gt; '
        "matching “&quot;&lt;b&gt;x&lt;/b&gt;&quot;”.</p>",
    )
    assertNotContains(response, "<script>alert(1)")
    assertNotContains(response, "<b>x</b>")
