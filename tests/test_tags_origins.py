"""The TAGS glossary (cables/fixtures/tags.tsv: code, kind, description), and the /tags/ and
/origins/ pages with their JSON twins."""

import importlib
import re
from datetime import datetime

import pytest
from django.apps import apps
from pytest_django.asserts import assertContains

from cables.glossary import describe, kind_by_shape, parse_glossary, tag_glossary
from cables.models import Tag

pytestmark = pytest.mark.django_db


# --- the glossary -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, description, kind",
    [
        ("KZ", "Kazakhstan", "country"),
        ("UK", "United Kingdom", "country"),
        ("IZ", "Iraq", "country"),
        ("SR", "Serbia", "country"),
        ("PREL", "External Political Relations", "subject"),
        ("KDEM", "Democratization", "program"),
        ("KNNP", "Nuclear Nonproliferation", "program"),
        ("UN", "United Nations", "organisation"),
        ("NATO", "North Atlantic Treaty Organization", "organisation"),
        ("EUN", "European Union", "organisation"),
        ("IAEA", "International Atomic Energy Agency", "organisation"),
        ("OSCE", "Organization for Security and Cooperation in Europe", "organisation"),
        # Used by cables, meaning not known for sure: listed blank.
        ("AU", "", "country"),
        # Not listed: the kind from the shape alone.
        ("QQ", "", "country"),
        ("KQQQ", "", "program"),
        ("PQQQ", "", "subject"),
        ("CLINTON, HILLARY", "", ""),
    ],
)
def test_the_glossary_describes_codes_with_their_kind(code, description, kind):
    assert describe(code) == (description, kind)


def test_every_glossary_row_has_a_known_kind_and_codes_are_unique():
    glossary = tag_glossary()
    assert len(glossary) > 300
    assert {entry.kind for entry in glossary.values()} == {
        "subject",
        "country",
        "program",
        "organisation",
    }
    for code, entry in glossary.items():
        if entry.kind == "country":
            assert re.fullmatch(r"[A-Z]{2}", code), code
        if entry.kind == "program":
            assert code.startswith("K") or code == "AGOA", code


def test_the_glossary_file_format():
    text = "# comment\nKZ\tcountry\tKazakhstan\nXX\tcountry\n\nPREL\tsubject\tExternal\n"
    glossary = parse_glossary(text)
    assert [(e.code, e.kind, e.description) for e in glossary.values()] == [
        ("KZ", "country", "Kazakhstan"),
        ("XX", "country", ""),
        ("PREL", "subject", "External"),
    ]
    assert kind_by_shape("ABCDE") == ""


def test_the_import_gives_tags_their_description_and_kind(imported_seeds):
    assert list(Tag.objects.order_by("code").values_list("code", "kind", "description")) == [
        ("AF", "country", "Afghanistan"),
        ("ETRD", "subject", "Foreign Trade"),
        ("KDEM", "program", "Democratization"),
        ("KZ", "country", "Kazakhstan"),
        ("MOPS", "subject", "Military Operations"),
        ("PGOV", "subject", "Internal Governmental Affairs"),
        ("PHUM", "subject", "Human Rights"),
        ("PREL", "subject", "External Political Relations"),
    ]


def test_a_new_import_corrects_tags_stored_without_the_glossary(db, seed_dir):
    from cables.importer import import_paths

    Tag.objects.create(code="KZ", description="", kind="")
    Tag.objects.create(code="PREL", description="Hand-written", kind="")
    import_paths([seed_dir])
    assert list(
        Tag.objects.filter(code__in=["KZ", "PREL"]).values_list("code", "kind", "description")
    ) == [("KZ", "country", "Kazakhstan"), ("PREL", "subject", "External Political Relations")]


def test_the_migration_fills_kinds_and_descriptions_of_tags_stored_before(make_cable):
    make_cable("06A1", tags=["KZ", "KDEM", ("ZZ", "Kept by hand"), "CLINTON, HILLARY"])
    Tag.objects.filter(code__in=["KZ", "KDEM"]).update(description="", kind="")
    migration = importlib.import_module("cables.migrations.0005_tag_kinds_classification_levels")
    migration.fill_tag_kinds(apps, None)
    assert list(Tag.objects.order_by("code").values_list("code", "kind", "description")) == [
        ("CLINTON, HILLARY", "", ""),
        ("KDEM", "program", "Democratization"),
        ("KZ", "country", "Kazakhstan"),
        ("ZZ", "country", "Kept by hand"),
    ]


# --- /tags/ ------------------------------------------------------------------------------


@pytest.fixture
def archive(make_cable):
    tags = {
        "KZ": ("KZ", "Kazakhstan"),
        "PREL": ("PREL", "External Political Relations"),
    }
    make_cable("05ALMATY1", "2005-03-01", tags=[tags["KZ"]], origin="US Office Almaty")
    make_cable(
        "06ALMATY1", "2006-01-01", tags=[tags["KZ"], tags["PREL"]], origin="US Office Almaty"
    )
    make_cable("06ASTANA1", "2006-02-01", tags=[tags["KZ"]], origin="Embassy Astana")
    make_cable("06MOSCOW1", "2006-03-01", tags=[tags["PREL"], "ODD"], origin="Embassy Moscow")
    Tag.objects.filter(code="KZ").update(kind="country")
    Tag.objects.filter(code="PREL").update(kind="subject")
    Tag.objects.create(code="UNUSED", kind="subject")


def test_the_tag_index_lists_used_tags_most_used_first(client, archive):
    response = client.get("/tags/")
    content = response.content.decode()
    rows = re.findall(
        r'<a class="tag" href="/tags/([^/]+)/">.*?</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*'
        r'<td class="num"><a href="([^"]+)">(\d+)</a>',
        content,
        re.S,
    )
    assert rows == [
        ("KZ", "Kazakhstan", "country", "/cables/?tag=KZ", "3"),
        ("PREL", "External Political Relations", "subject", "/cables/?tag=PREL", "2"),
        ("ODD", '<span class="placeholder">not known</span>', "—", "/cables/?tag=ODD", "1"),
    ]
    assertContains(response, "<strong>3 tags</strong>")


def test_the_tag_index_keeps_one_kind(client, archive):
    data = client.get("/tags.json?kind=country").json()
    assert data == {
        "count": 1,
        "results": [
            {
                "code": "KZ",
                "description": "Kazakhstan",
                "kind": "country",
                "count": 3,
                "url": "/tags/KZ/",
                "json_url": "/tags/KZ.json",
                "cables_url": "/cables/?tag=KZ",
            }
        ],
    }
    response = client.get("/tags/?kind=country")
    assertContains(response, "<h1>Country tags</h1>")
    assertContains(response, '<a href="/tags/?kind=country" aria-current="page">Country</a>')


def test_an_unknown_kind_is_a_400(client, archive):
    assert client.get("/tags/?kind=planet").status_code == 400
    response = client.get("/tags.json?kind=planet")
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]


def test_a_tag_page_shows_description_kind_count_years_and_latest(client, archive):
    response = client.get("/tags/KZ/")
    assertContains(response, '<span class="tag tag--large">KZ</span> Kazakhstan</h1>')
    assertContains(response, '<dt>Kind</dt><dd><a href="/tags/?kind=country">Country</a></dd>')
    assertContains(response, "<dt>Cables</dt><dd><strong>3</strong></dd>")
    assertContains(response, '<a class="button" href="/cables/?tag=KZ">')
    content = response.content.decode()
    years = re.search(r'<ul class="count-list year-counts">.*?</ul>', content, re.S).group(0)
    assert re.findall(r'<a href="([^"]+)">(\d+)</a> <span class="count">(\d+)', years) == [
        ("/cables/?tag=KZ&amp;year=2005", "2005", "1"),
        ("/cables/?tag=KZ&amp;year=2006", "2006", "2"),
    ]
    latest = re.findall(r'class="cable-row__id" href="/cables/([^/]+)/"', content)
    assert latest == ["06ASTANA1", "06ALMATY1", "05ALMATY1"]


def test_a_tag_page_json(client, archive):
    data = client.get("/tags/KZ.json").json()
    assert {k: v for k, v in data.items() if k != "latest"} == {
        "code": "KZ",
        "description": "Kazakhstan",
        "kind": "country",
        "count": 3,
        "url": "/tags/KZ/",
        "json_url": "/tags/KZ.json",
        "cables_url": "/cables/?tag=KZ",
        "years": [
            {"year": 2005, "count": 1, "cables_url": "/cables/?tag=KZ&year=2005"},
            {"year": 2006, "count": 2, "cables_url": "/cables/?tag=KZ&year=2006"},
        ],
    }
    assert [c["id"] for c in data["latest"]] == ["06ASTANA1", "06ALMATY1", "05ALMATY1"]
    assert data["latest"][0]["tags"] == ["KZ"]


def test_an_unknown_tag_is_a_404(client, archive):
    assert client.get("/tags/NOPE/").status_code == 404
    response = client.get("/tags/NOPE.json")
    assert response.status_code == 404
    assert "code" in response.json()["errors"]


def test_a_tag_with_spaces_and_commas_has_a_page(client, make_cable):
    make_cable("06A1", tags=["CLINTON, HILLARY"])
    response = client.get("/tags/CLINTON,%20HILLARY/")
    assert response.status_code == 200
    assertContains(response, "CLINTON, HILLARY")


def test_descriptions_appear_beside_codes_on_cable_pages_and_in_the_tag_facet(client, archive):
    content = client.get("/cables/").content.decode()
    facet = re.search(r'<section class="facet facet--tag".*?</section>', content, re.S).group(0)
    assert (
        '<span class="facet__label">KZ</span> <span class="facet__desc">Kazakhstan</span>'
    ) in facet
    response = client.get("/cables/06ALMATY1/")
    assertContains(
        response,
        '<a class="tag" href="/cables/?tag=KZ">KZ</a> <span class="tag-defs__desc">Kazakhstan'
        '</span> <a class="tag-defs__about" href="/tags/KZ/" title="About KZ">country</a>',
    )


def test_tag_pages_run_a_fixed_number_of_queries(
    client, make_cable, archive, django_assert_num_queries
):
    for i in range(20):
        make_cable(f"07MANY{i}", f"2007-01-{i + 1:02d}", tags=["KZ", f"M{i}"])
    with django_assert_num_queries(1):
        client.get("/tags/")
    with django_assert_num_queries(1):
        client.get("/tags.json")
    # The tag, the count, the years, the latest cables and their tags.
    with django_assert_num_queries(5):
        client.get("/tags/KZ/")
    with django_assert_num_queries(5):
        client.get("/tags/KZ.json")


# --- /origins/ ---------------------------------------------------------------------------


def test_the_origin_index_lists_origins_most_cables_first(client, archive):
    data = client.get("/origins.json").json()
    assert data == {
        "count": 3,
        "results": [
            {
                "name": "US Office Almaty",
                "slug": "us-office-almaty",
                "count": 2,
                "url": "/origins/us-office-almaty/",
                "json_url": "/origins/us-office-almaty.json",
                "cables_url": "/cables/?origin=US+Office+Almaty",
            },
            {
                "name": "Embassy Astana",
                "slug": "embassy-astana",
                "count": 1,
                "url": "/origins/embassy-astana/",
                "json_url": "/origins/embassy-astana.json",
                "cables_url": "/cables/?origin=Embassy+Astana",
            },
            {
                "name": "Embassy Moscow",
                "slug": "embassy-moscow",
                "count": 1,
                "url": "/origins/embassy-moscow/",
                "json_url": "/origins/embassy-moscow.json",
                "cables_url": "/cables/?origin=Embassy+Moscow",
            },
        ],
    }
    response = client.get("/origins/")
    assertContains(
        response,
        '<th scope="row"><a href="/origins/us-office-almaty/">US Office Almaty</a></th>\n'
        '          <td class="num"><a href="/cables/?origin=US+Office+Almaty">2</a></td>',
    )


def test_an_origin_page_shows_count_years_tags_and_latest(client, archive):
    response = client.get("/origins/us-office-almaty/")
    assertContains(response, "<h1>US Office Almaty</h1>")
    assertContains(response, "<dt>Cables</dt><dd><strong>2</strong></dd>")
    assertContains(response, '<a class="button" href="/cables/?origin=US+Office+Almaty">')
    data = client.get("/origins/us-office-almaty.json").json()
    assert {k: v for k, v in data.items() if k != "latest"} == {
        "name": "US Office Almaty",
        "names": ["US Office Almaty"],
        "slug": "us-office-almaty",
        "count": 2,
        "url": "/origins/us-office-almaty/",
        "cables_url": "/cables/?origin=US+Office+Almaty",
        "years": [
            {"year": 2005, "count": 1, "cables_url": "/cables/?origin=US+Office+Almaty&year=2005"},
            {"year": 2006, "count": 1, "cables_url": "/cables/?origin=US+Office+Almaty&year=2006"},
        ],
        "tags": [
            {"code": "KZ", "description": "Kazakhstan", "count": 2},
            {"code": "PREL", "description": "External Political Relations", "count": 1},
        ],
    }
    assert [c["id"] for c in data["latest"]] == ["06ALMATY1", "05ALMATY1"]


def test_spellings_of_one_post_share_its_page(client, make_cable):
    make_cable("06SANAA1", "2006-01-01", origin="Embassy Sanaa")
    make_cable("06SANAA2", "2006-01-02", origin="Embassy Sanaa")
    make_cable("06SANAA3", "2006-01-03", origin="Embassy Sana'a")
    data = client.get("/origins/embassy-sanaa.json").json()
    assert (data["name"], data["names"], data["count"]) == (
        "Embassy Sanaa",
        ["Embassy Sanaa", "Embassy Sana'a"],
        3,
    )
    assert data["cables_url"] == "/cables/?origin=Embassy+Sanaa&origin=Embassy+Sana%27a"
    response = client.get(data["cables_url"])
    assert response.status_code == 200
    assertContains(response, "<strong>3</strong> cables")


def test_an_unknown_origin_is_a_404(client, archive):
    assert client.get("/origins/nowhere/").status_code == 404
    assert client.get("/origins/nowhere.json").status_code == 404


def test_the_cable_page_links_its_origin_page(client, archive):
    assertContains(
        client.get("/cables/06ASTANA1/"), '<a href="/origins/embassy-astana/">about this origin</a>'
    )


def test_origin_pages_run_a_fixed_number_of_queries(
    client, make_cable, archive, django_assert_num_queries
):
    for i in range(20):
        make_cable(f"07MANY{i}", f"2007-01-{i + 1:02d}", tags=["KZ", f"M{i}"], origin=f"Post {i}")
    with django_assert_num_queries(1):
        client.get("/origins/")
    with django_assert_num_queries(1):
        client.get("/origins.json")
    # The origins, the years, the latest cables and their tags, the tag counts.
    with django_assert_num_queries(5):
        client.get("/origins/us-office-almaty/")
    with django_assert_num_queries(5):
        client.get("/origins/us-office-almaty.json")


def test_seed_tags_and_origin(client, imported_seeds):
    data = client.get("/tags/KZ.json").json()
    assert (data["description"], data["kind"], data["count"]) == ("Kazakhstan", "country", 4)
    assert data["years"] == [
        {"year": 2005, "count": 1, "cables_url": "/cables/?tag=KZ&year=2005"},
        {"year": 2006, "count": 3, "cables_url": "/cables/?tag=KZ&year=2006"},
    ]
    data = client.get("/origins/us-office-almaty.json").json()
    assert data["count"] == 5
    assert [c["id"] for c in data["latest"]] == [
        "06ALMATY3273",
        "06ALMATY2803",
        "06ALMATY2404",
        "05ALMATY956",
        "05ALMATY538",
    ]
    assert datetime.fromisoformat(data["latest"][0]["created"]).year == 2006


def test_every_page_leads_to_the_tags_and_origins(client, archive):
    response = client.get("/tags/")
    assertContains(response, '<a href="/tags/" aria-current="page">Tags</a>')
    assertContains(response, '<a href="/origins/">Origins</a>', count=2)  # menu and footer


def test_a_cable_page_links_and_escapes_a_tag_code_of_any_characters(client, make_cable):
    make_cable("06ALMATY1", tags=[("CLINTON, H/R & <co>", 'Said "hi"')])
    content = client.get("/cables/06ALMATY1/").content.decode()
    assert (
        '<a class="tag" href="/cables/?tag=CLINTON%2C%20H%2FR%20%26%20%3Cco%3E">'
        "CLINTON, H/R &amp; &lt;co&gt;</a> "
        '<span class="tag-defs__desc">Said &quot;hi&quot;</span> '
        '<a class="tag-defs__about" href="/tags/CLINTON,%20H/R%20&amp;%20%3Cco%3E/" '
        'title="About CLINTON, H/R &amp; &lt;co&gt;">about</a>'
    ) in content
