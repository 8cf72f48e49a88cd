"""The facet index (cables/facet_index.py): every cable's facet values in memory, counting a
selection's facets exactly as SQL does, rebuilt when the archive changes."""

import dataclasses
import json
import random
from collections import Counter

import pytest
from django.db import connection
from django.http import QueryDict

from cables import facet_index, search
from cables.filters import CableFilter
from cables.importer import import_paths
from cables.models import ArchiveState, Cable, CablePerson, CableQuerySet, Person

from .conftest import FIXTURES, SEEDS


@pytest.fixture(autouse=True)
def no_index_kept():
    facet_index.forget()
    yield
    facet_index.forget()


@pytest.fixture
def real_archive(db):
    """The seeds, the real corpus samples of cablegate pages and cables.csv rows and the
    people fixtures: some
    thirty cables over many years, their tags and the people they name."""
    report = import_paths(
        [
            SEEDS,
            FIXTURES / "corpus" / "html",
            FIXTURES / "corpus" / "csv",
            FIXTURES / "people" / "sources",
        ]
    )
    assert report.failures == [], report.failures
    assert Cable.objects.count() >= 25
    return report


def sql_counts(ids, names=CableQuerySet.FACETS, settings=None):
    settings.ARCHIVE_FACET_INDEX = False
    return Cable.objects.filter(pk__in=list(ids)).facet_counts(names)


def selections() -> dict[str, list[int]]:
    every = list(Cable.objects.order_by("pk").values_list("pk", flat=True))
    shuffled = random.Random(7).sample(every, len(every))
    kz = Cable.objects.filter(tags__code="KZ").values_list("pk", flat=True)
    almaty = Cable.objects.filter(origin__icontains="almaty").values_list("pk", flat=True)
    named = CablePerson.objects.values_list("cable_id", flat=True).distinct()
    return {
        "every cable": every,
        "none": [],
        "one": every[:1],
        "three": shuffled[:3],
        "half": shuffled[: len(every) // 2],
        "all but one": shuffled[1:],
        "a tag's": list(kz),
        "an origin's": list(almaty),
        "naming someone": list(named),
    }


def test_the_index_counts_every_facet_of_a_selection_as_sql_does(real_archive, settings):
    index = facet_index.build()
    for label, ids in selections().items():
        expected = sql_counts(ids, settings=settings)
        assert index.counts(ids, CableQuerySet.FACETS) == expected, label
        for year in {row["value"] for row in expected["year"]}:
            months = Cable.objects.filter(pk__in=ids).month_counts(year)
            assert index.month_counts(ids, year) == months, (label, year)


def test_the_counts_are_not_trivial(real_archive, settings):
    # (So that the comparison above compares something.)
    counts = facet_index.build().counts(selections()["every cable"], CableQuerySet.FACETS)
    assert len(counts["year"]) >= 5
    assert len(counts["origin"]) >= 5
    assert len(counts["tag"]) >= 20
    assert len(counts["person"]) >= 20
    assert counts["tag"][0]["count"] > 1 and counts["person"][0]["count"] > 1


@pytest.mark.parametrize("few_rows_share", [0, 1.01])
def test_a_selection_read_by_its_rows_or_by_a_mask_counts_the_same(
    real_archive, settings, monkeypatch, few_rows_share
):
    index = facet_index.build()
    monkeypatch.setattr(facet_index, "FEW_ROWS_SHARE", few_rows_share)
    for label, ids in selections().items():
        assert index.counts(ids, ("tag", "person")) == sql_counts(
            ids, ("tag", "person"), settings=settings
        ), label


@pytest.mark.parametrize("limit", [1, 2, 7])
def test_the_people_facet_cuts_ties_at_the_first_stored_as_sql_does(
    real_archive, settings, monkeypatch, limit
):
    monkeypatch.setattr(CableQuerySet, "PERSON_FACET_LIMIT", limit)
    links = list(CablePerson.objects.values_list("cable_id", "person_id"))
    people = {p.pk: p for p in Person.objects.all()}
    index = facet_index.build()
    for label, ids in selections().items():
        chosen = set(ids)
        counts = Counter(person for cable, person in links if cable in chosen)
        top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
        expected = [
            {"value": people[pk].slug, "name": people[pk].name, "count": n}
            for pk, n in sorted(top, key=lambda i: (-i[1], people[i[0]].name, people[i[0]].slug))
        ]
        assert index.counts(ids, ("person",))["person"] == expected, label


def test_ids_of_no_stored_cable_count_nothing(real_archive):
    index = facet_index.build()
    beyond = Cable.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    counts = index.counts([-1, beyond], CableQuerySet.FACETS)
    assert counts == {name: [] for name in CableQuerySet.FACETS}


def test_an_empty_archive_has_an_index_that_counts_nothing(db):
    index = facet_index.build()
    assert index.cables == 0
    assert index.counts([1, 2], ("year", "tag", "person")) == {"year": [], "tag": [], "person": []}


def test_a_selection_counts_from_the_index_when_it_is_on(real_archive, settings, monkeypatch):
    settings.ARCHIVE_FACET_INDEX = True
    index = facet_index.build()
    assert facet_index.current() is index
    # An index whose origins are all "X": what a count shows can only come from it.
    tampered = dataclasses.replace(index, origins=("X",) * len(index.origins))
    monkeypatch.setattr(facet_index, "ready", lambda using="default": tampered)
    kz = Cable.objects.filter(tags__code="KZ")
    assert {row["value"] for row in kz.facet_counts(("origin",))["origin"]} == {"X"}
    # The whole archive reads its kept counts, never the index.
    whole = Cable.objects.all().facet_counts(("origin",))["origin"]
    assert "X" not in {row["value"] for row in whole}
    settings.ARCHIVE_FACET_INDEX = False
    assert "X" not in {row["value"] for row in kz.facet_counts(("origin",))["origin"]}


def test_an_index_of_another_version_of_the_archive_is_never_used(
    real_archive, settings, make_cable
):
    settings.ARCHIVE_FACET_INDEX = True
    first = facet_index.build()
    assert facet_index.ready() is first  # kept while the archive is unchanged
    make_cable("09NEWPOST1", "2009-05-05", tags=["ZZNEW"], origin="Embassy Nowhere")
    ArchiveState.bump()  # as the import does
    # Stale: not used, and not built again inside this transaction (a thread's connection
    # would not see the new cable); the facets are counted in SQL meanwhile.
    assert facet_index.ready() is None
    newest = Cable.objects.filter(reference_id="09NEWPOST1")
    expected = {
        "tag": [{"value": "ZZNEW", "description": "", "kind": "", "count": 1}],
        "origin": [{"value": "Embassy Nowhere", "count": 1}],
    }
    assert newest.facet_counts(("tag", "origin")) == expected
    again = facet_index.build()
    assert facet_index.ready() is again and again.version == ArchiveState.current()
    assert newest.facet_counts(("tag", "origin")) == {
        "tag": [{"value": "ZZNEW", "description": "", "kind": "", "count": 1}],
        "origin": [{"value": "Embassy Nowhere", "count": 1}],
    }


def test_outside_a_transaction_the_index_is_built_aside_and_sql_counts_meanwhile(
    transactional_db, make_cable, settings
):
    settings.ARCHIVE_FACET_INDEX = True
    make_cable("06ALMATY100", "2006-08-05 01:16", tags=["KZ"])
    make_cable("06ALMATY200", "2006-09-05 01:16", tags=["KZ", "PREL"])
    ArchiveState.bump()
    assert not connection.in_atomic_block
    assert facet_index.ready() is None  # being built, in a thread of its own
    selection = Cable.objects.filter(tags__code="KZ")
    counted_in_sql = selection.facet_counts(("tag",))
    index = facet_index.wait(timeout=60)
    assert index is not None and index.version == ArchiveState.current()
    assert facet_index.ready() is index
    assert selection.facet_counts(("tag",)) == counted_in_sql
    assert [(row["value"], row["count"]) for row in counted_in_sql["tag"]] == [
        ("KZ", 2),
        ("PREL", 1),
    ]


def test_what_follows_a_build_aside_runs_once_the_index_is_kept(transactional_db, make_cable):
    # (The WSGI application freezes the objects the process holds then: gc.freeze.)
    make_cable("06ALMATY100", "2006-08-05 01:16", tags=["KZ"])
    ArchiveState.bump()
    kept_then = []
    facet_index.build_aside(then=lambda: kept_then.append(facet_index._kept.get("default")))
    index = facet_index.wait(timeout=60)
    assert index is not None and index.version == ArchiveState.current()
    assert kept_then == [index]


def test_nothing_follows_a_build_aside_that_fails(transactional_db, monkeypatch, caplog):
    def broken(using):
        raise RuntimeError("no database")

    monkeypatch.setattr(facet_index, "build", broken)
    followed = []
    facet_index.build_aside(then=lambda: followed.append(True))
    assert facet_index.wait(timeout=60) is None
    assert followed == []
    assert "could not be built" in caplog.text


LIST_PAGES = [
    "",  # the whole archive: its count from the index
    "page=2",
    "sort=oldest&page=3",
    "q=ambassador",
    "q=government&tag=KZ",
    "q=%22human+rights%22",
    "tag=KZ",
    "tag=PREL&tag=PGOV",
    "year=2006",
    "year=2006&month=8&month=3",
    "origin=US+Office+Almaty&classification=CONFIDENTIAL",
    "q=nazarbayev&year=2006",
    "q=government&tag=KZ&sort=oldest",
    "q=embassy&exclude_tag=PREL&sort=newest",
    "q=minister+OR+embassy&sort=newest",
    "q=%22prime+minister%22&sort=newest",  # (found from its parts: put in order later)
    "q=government&sort=oldest",
    "exclude_tag=KZ",
]


def test_list_pages_show_the_same_facets_and_results_with_the_index_as_without(
    real_archive, client, settings
):
    # (One archive for all the pages: importing it is most of a test's time.)
    settings.CABLES_PAGE_SIZE = 10  # (pages of the whole archive)

    def page(params: str) -> dict:
        return json.loads(client.get(f"/cables.json?{params}").content)

    in_sql = {}
    settings.ARCHIVE_FACET_INDEX = False
    for params in LIST_PAGES:
        in_sql[params] = page(params)
    settings.ARCHIVE_FACET_INDEX = True
    facet_index.build()
    for params in LIST_PAGES:
        indexed = page(params)
        assert facet_index.ready() is not None
        assert indexed["count"] == in_sql[params]["count"] > 0, params
        assert indexed["facets"] == in_sql[params]["facets"], params
        assert indexed["results"] == in_sql[params]["results"], params
        assert client.get(f"/cables/?{params}").status_code == 200
    # The feeds too: the newest 50 of a selection, put in order by the index.
    for params in LIST_PAGES:
        settings.ARCHIVE_FACET_INDEX = False
        in_sql = client.get(f"/cables.atom?{params}").content
        settings.ARCHIVE_FACET_INDEX = True
        assert client.get(f"/cables.atom?{params}").content == in_sql, params
        assert in_sql.count(b"<entry>") > 0, params


def test_tag_origin_and_person_pages_are_the_same_with_the_index_as_without(
    real_archive, client, settings
):
    def get(url: str) -> dict:
        response = client.get(url)
        assert response.status_code == 200, url
        return json.loads(response.content)

    settings.CABLES_PAGE_SIZE = 2  # (a person's second page)
    tags = [row["code"] for row in get("/tags.json")["results"][:3]]
    origins = [row["slug"] for row in get("/origins.json")["results"][:3]]
    people = [row["slug"] for row in get("/people.json")["results"][:3]]
    urls = [f"/tags/{code}.json" for code in tags] + [f"/origins/{slug}.json" for slug in origins]
    urls += [f"/people/{slug}.json" for slug in people] + [f"/people/{people[0]}.json?page=2"]
    settings.ARCHIVE_FACET_INDEX = False
    in_sql = {url: get(url) for url in urls}
    settings.ARCHIVE_FACET_INDEX = True
    facet_index.build()
    for url in urls:
        assert get(url) == in_sql[url], url
        assert facet_index.ready() is not None
    # (Pages with cables and years to compare.)
    assert all(in_sql[url].get("latest") or in_sql[url].get("cables") for url in urls)
    assert all(in_sql[url]["years"] for url in urls)


def test_a_search_counts_its_facets_over_its_own_cables(real_archive, settings):
    settings.ARCHIVE_FACET_INDEX = True
    index = facet_index.build()
    query = search.parse_query("government")
    found = Cable.objects.search(query)
    ids = list(found.values_list("pk", flat=True))
    assert 0 < len(ids) < Cable.objects.count()
    assert found.facet_counts(("year", "tag")) == index.counts(ids, ("year", "tag"))
    assert sum(row["count"] for row in found.facet_counts(("year",))["year"]) == len(ids)


def test_the_index_puts_cables_newest_first_as_sql_does(real_archive, make_cable):
    # Two cables sent at the same minute: ties in reference id order.
    make_cable("06ZZTIE2", "2006-08-05 01:16")
    make_cable("06ZZTIE1", "2006-08-05 01:16")
    index = facet_index.build()
    every = list(Cable.objects.newest_first().values_list("pk", flat=True))
    for label, ids in selections().items():
        expected = [pk for pk in every if pk in set(ids)]
        assert index.newest_first(random.Random(3).sample(ids, len(ids))).tolist() == expected, (
            label
        )
    assert index.newest_first([every[0], -5]) is None  # a cable it does not hold


def filter_params() -> list[str]:
    """Selections of every kind the index selects by, from the archive's own values."""
    counts = Cable.objects.filter(pk__in=Cable.objects.values("pk")).facet_counts()
    tags = [row["value"] for row in counts["tag"]]
    origins = [row["value"] for row in counts["origin"]]
    classes = [row["value"] for row in counts["classification"]]
    years = [row["value"] for row in counts["year"]]
    people = [row["value"] for row in counts["person"]]
    levels = [row["value"] for row in counts["level"]]
    caveats = [row["value"] for row in counts["caveat"]]
    month = Cable.objects.filter(created__year=years[0]).values_list("created", flat=True)[0]
    return [
        f"tag={tags[0]}",
        f"tag={tags[0]}&tag={tags[1]}",
        f"tag={tags[0]}&exclude_tag={tags[1]}&exclude_tag={tags[2]}",
        "tag=NOSUCHTAG",
        "exclude_tag=NOSUCHTAG",
        f"origin={origins[0]}&origin={origins[1]}",
        f"exclude_origin={origins[0]}&classification={classes[0]}",
        f"exclude_classification={classes[0]}&exclude_classification={classes[1]}",
        f"level={levels[0]}",
        f"exclude_level={levels[0]}&caveat={caveats[0]}",
        f"exclude_caveat={caveats[0]}",
        f"year={years[0]}&year={years[1]}",
        f"exclude_year={years[0]}&tag={tags[0]}",
        f"year={years[0]}&month={month.month}",
        f"person={people[0]}",
        f"person={people[0]}&person={people[1]}",
        f"exclude_person={people[0]}&tag={tags[0]}",
        "person=no-such-person",
        "exclude_person=no-such-person",
        f"tag={tags[0]}&year={years[0]}&classification={classes[0]}&person={people[0]}",
    ]


def test_the_index_selects_the_cables_each_filter_selects(real_archive):
    index = facet_index.build()
    for params in filter_params():
        filterset = CableFilter(QueryDict(params), queryset=Cable.objects.all())
        assert not filterset.errors, params
        expected = sorted(filterset.qs.values_list("pk", flat=True))
        assert sorted(index.select(filterset.cleaned).tolist()) == expected, params


@pytest.mark.parametrize(
    ("params", "selected_by_the_index"),
    [
        ("", False),  # the whole archive: its kept counts, its own pages
        ("tag=KZ&sort=oldest", True),  # (an order is not a filter)
        ("tag=KZ&q=government", False),  # a search
        ("tag=KZ&date_from=2006-01-01", False),  # dates
    ],
)
def test_the_index_leaves_to_sql_what_it_cannot_select(real_archive, params, selected_by_the_index):
    index = facet_index.build()
    filterset = CableFilter(QueryDict(params), queryset=Cable.objects.all())
    assert (index.select(filterset.cleaned) is not None) == selected_by_the_index


def test_a_reference_id_of_several_cables_lists_only_them_with_the_index(
    make_cable, client, settings
):
    make_cable("05ALMATY100", "2005-08-05")
    make_cable("06ALMATY100", "2006-08-05")
    make_cable("06ALMATY200", "2006-09-05")
    settings.ARCHIVE_FACET_INDEX = True
    assert facet_index.build().cables == 3
    listing = json.loads(client.get("/cables.json?q=ALMATY+100").content)
    assert listing["count"] == 2  # not the archive's 3
    assert sorted(r["id"] for r in listing["results"]) == ["05ALMATY100", "06ALMATY100"]


def test_the_index_finds_the_similar_cables_sql_finds(real_archive, make_cable, settings):
    pool = ["PREL", "PGOV", "KZ", "ECON", "RS", "KDEM"]
    for n in range(30):  # ties of score and of date, so the order's every rule counts
        tags = [tag for i, tag in enumerate(pool) if (n * (i + 3)) % (i + 2) != 1]
        make_cable(f"06C{n}", f"2006-{n % 5 + 1:02d}-01", tags=tags, origin="Embassy Astana")
    index = facet_index.build()
    settings.ARCHIVE_FACET_INDEX = False
    cables = list(Cable.objects.all())

    def similar(cable, limit=5):
        found = Cable.objects.similar_to(cable, limit)
        return [(o.reference_id, o.shared_tags, o.similarity, o.subject) for o in found]

    expected = {cable.pk: similar(cable) for cable in cables}
    assert sum(len(found) == 5 for found in expected.values()) > 30
    settings.ARCHIVE_FACET_INDEX = True
    assert facet_index.current() is index
    for cable in cables:
        assert similar(cable) == expected[cable.pk], cable.reference_id
    cable = cables[-1]
    for limit in (1, 2, 50):
        from_index = similar(cable, limit)
        settings.ARCHIVE_FACET_INDEX = False
        assert from_index == similar(cable, limit)
        settings.ARCHIVE_FACET_INDEX = True
    assert index.similar(max(c.pk for c in cables) + 1, 5) is None
