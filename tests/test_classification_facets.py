"""The classification in two parts: its level (UNCLASSIFIED, CONFIDENTIAL, SECRET) and its
caveats (NOFORN, FOR OFFICIAL USE ONLY), stored, filtered (``level=``, ``caveat=``) and
counted as two facets of /cables/ and /cables.json."""

import importlib
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains

from cables.models import Cable, CableCaveat, split_classification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "classification, level, caveats",
    [
        ("CONFIDENTIAL//NOFORN", "CONFIDENTIAL", ["NOFORN"]),
        ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "UNCLASSIFIED", ["FOR OFFICIAL USE ONLY"]),
        ("SECRET", "SECRET", []),
        ("SECRET//NOFORN//ORCON//NOFORN", "SECRET", ["NOFORN", "ORCON"]),
        ("", "", []),
    ],
)
def test_a_classification_splits_into_level_and_caveats(classification, level, caveats):
    assert split_classification(classification) == (level, caveats)


def caveats_of(reference_id: str) -> list[str]:
    return list(
        CableCaveat.objects.filter(cable__reference_id=reference_id)
        .order_by("position")
        .values_list("caveat", flat=True)
    )


def test_saving_a_cable_stores_its_level_and_caveats(make_cable):
    cable = make_cable("06S1", classification="SECRET//NOFORN")
    assert Cable.objects.get(pk=cable.pk).level == "SECRET"
    assert caveats_of("06S1") == ["NOFORN"]
    cable.classification = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    cable.save()
    assert Cable.objects.get(pk=cable.pk).level == "UNCLASSIFIED"
    assert caveats_of("06S1") == ["FOR OFFICIAL USE ONLY"]
    cable.classification = "CONFIDENTIAL"
    cable.save(update_fields=["classification"])
    assert Cable.objects.get(pk=cable.pk).level == "CONFIDENTIAL"
    assert caveats_of("06S1") == []


def test_the_import_stores_levels_and_caveats_of_the_seeds(imported_seeds):
    assert dict(Cable.objects.values_list("reference_id", "level")) == {
        "05ALMATY538": "CONFIDENTIAL",
        "05ALMATY956": "UNCLASSIFIED",
        "06ALMATY2404": "UNCLASSIFIED",
        "06ALMATY2803": "CONFIDENTIAL",
        "06ALMATY3273": "UNCLASSIFIED",
    }
    assert sorted(CableCaveat.objects.values_list("cable__reference_id", "caveat")) == [
        ("05ALMATY956", "FOR OFFICIAL USE ONLY"),
        ("06ALMATY2404", "FOR OFFICIAL USE ONLY"),
        ("06ALMATY3273", "FOR OFFICIAL USE ONLY"),
    ]


def test_the_migration_fills_levels_and_caveats_of_cables_stored_before(make_cable):
    make_cable("06S1", classification="SECRET//NOFORN")
    make_cable("06U1", classification="UNCLASSIFIED")
    Cable.objects.update(level="")
    CableCaveat.objects.all().delete()
    migration = importlib.import_module("cables.migrations.0005_tag_kinds_classification_levels")
    migration.fill_levels_and_caveats(apps, None)
    assert dict(Cable.objects.values_list("reference_id", "level")) == {
        "06S1": "SECRET",
        "06U1": "UNCLASSIFIED",
    }
    assert caveats_of("06S1") == ["NOFORN"]
    assert caveats_of("06U1") == []


@pytest.fixture
def archive(make_cable):
    make_cable("06S1", "2006-01-01", classification="SECRET//NOFORN", tags=["KZ"])
    make_cable("06S2", "2006-01-02", classification="SECRET", tags=["KZ"])
    make_cable("06C1", "2006-01-03", classification="CONFIDENTIAL//NOFORN")
    make_cable("06C2", "2006-01-04", classification="CONFIDENTIAL", tags=["KZ"])
    make_cable("06U1", "2006-01-05", classification="UNCLASSIFIED//FOR OFFICIAL USE ONLY")
    make_cable("06U2", "2006-01-06", classification="UNCLASSIFIED")


def ids(response) -> list[str]:
    return re.findall(r'class="cable-row__id" href="/cables/([^/]+)/"', response.content.decode())


def test_level_keeps_the_cables_of_any_of_the_levels(client, archive):
    assert ids(client.get("/cables/?level=SECRET")) == ["06S2", "06S1"]
    assert ids(client.get("/cables/?level=SECRET&level=UNCLASSIFIED")) == [
        "06U2",
        "06U1",
        "06S2",
        "06S1",
    ]


def test_caveat_keeps_the_cables_with_any_of_the_caveats(client, archive):
    assert ids(client.get("/cables/?caveat=NOFORN")) == ["06C1", "06S1"]
    assert ids(client.get("/cables/?caveat=NOFORN&caveat=FOR+OFFICIAL+USE+ONLY")) == [
        "06U1",
        "06C1",
        "06S1",
    ]


def test_level_caveat_and_the_old_classification_parameter_combine(client, archive):
    assert ids(client.get("/cables/?level=SECRET&caveat=NOFORN")) == ["06S1"]
    assert ids(client.get("/cables/?classification=CONFIDENTIAL")) == ["06C2"]
    assert ids(client.get("/cables/?classification=CONFIDENTIAL//NOFORN&tag=KZ")) == []


def test_the_json_facets_count_levels_in_order_and_caveats_by_use(client, archive):
    facets = client.get("/cables.json").json()["facets"]
    assert facets["level"] == [
        {"value": "UNCLASSIFIED", "count": 2},
        {"value": "CONFIDENTIAL", "count": 2},
        {"value": "SECRET", "count": 2},
    ]
    assert facets["caveat"] == [
        {"value": "NOFORN", "count": 2},
        {"value": "FOR OFFICIAL USE ONLY", "count": 1},
    ]


def test_the_facets_follow_the_selection_and_keep_offering_other_values(client, archive):
    facets = client.get("/cables.json?tag=KZ&level=SECRET").json()["facets"]
    # Level is counted without the level filter (any-of), the rest with it.
    assert facets["level"] == [
        {"value": "CONFIDENTIAL", "count": 1},
        {"value": "SECRET", "count": 2},
    ]
    assert facets["caveat"] == [{"value": "NOFORN", "count": 1}]
    facets = client.get("/cables.json?caveat=NOFORN").json()["facets"]
    assert facets["caveat"] == [
        {"value": "NOFORN", "count": 2},
        {"value": "FOR OFFICIAL USE ONLY", "count": 1},
    ]
    assert facets["level"] == [
        {"value": "CONFIDENTIAL", "count": 1},
        {"value": "SECRET", "count": 1},
    ]


def test_the_page_shows_both_facets_with_toggle_links(client, archive):
    response = client.get("/cables/?level=SECRET")
    content = response.content.decode()
    level = re.search(r'<section class="facet facet--level".*?</section>', content, re.S)
    caveat = re.search(r'<section class="facet facet--caveat".*?</section>', content, re.S)
    assert level and caveat
    assert 'href="/cables/?level=SECRET&amp;level=CONFIDENTIAL"' in level.group(0)
    assert 'href="/cables/" aria-current="true"' in level.group(0)
    assert 'href="/cables/?level=SECRET&amp;caveat=NOFORN"' in caveat.group(0)
    assertContains(response, '<span class="chip__label">Level:</span> SECRET')


def test_an_unknown_caveat_or_level_says_so(client, archive):
    response = client.get("/cables/?caveat=ORCON&level=TOP+SECRET")
    assertContains(response, "No cable in the archive has the caveat “ORCON”.")
    assertContains(response, "No cable in the archive has the classification level “TOP SECRET”.")


def test_the_cable_page_links_its_level_and_caveats(client, archive):
    response = client.get("/cables/06S1/")
    assertContains(
        response,
        'Level <a href="/cables/?level=SECRET">SECRET</a>; caveat '
        '<a href="/cables/?caveat=NOFORN">NOFORN</a>',
    )
    data = client.get("/cables/06S1.json").json()
    assert (data["level"], data["caveats"]) == ("SECRET", ["NOFORN"])


@pytest.mark.parametrize(
    "query", ["?level=SECRET", "?caveat=NOFORN", "?level=SECRET&caveat=NOFORN"]
)
def test_the_new_filters_keep_the_list_within_its_query_budget(
    client, make_cable, django_assert_max_num_queries, query
):
    make_cable("06S1", classification="SECRET//NOFORN", tags=["KZ"])
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cables/{query}")
    for i in range(30):
        make_cable(f"06M{i}", classification="SECRET//NOFORN", tags=["KZ", f"T{i}"])
    # count, page, tags of the page, year, tag, origin, classification (level and caveat
    # are counted from it), person, and one recount per any-of facet in use.
    with django_assert_max_num_queries(10):
        response = client.get(f"/cables/{query}")
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as many:
        client.get(f"/cables/{query}")
    assert len(many) == len(few)
