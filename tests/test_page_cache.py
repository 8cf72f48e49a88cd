"""Cable, person, tag and origin pages cached until an import changes the archive
(cables/cache.py)."""

import re
import shutil

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cables import facet_index
from cables.cache import PageFileCache
from cables.importer import import_paths
from cables.models import ArchiveState, Cable, end_request_memo, start_request_memo

from .conftest import SEED_FILES

pytestmark = pytest.mark.django_db

PAGE = "/cables/06ALMATY2803/"


@pytest.fixture
def page_cache(settings, tmp_path):
    """The page cache on, in files of the test's own (as in production: shared files)."""
    settings.ARCHIVE_PAGE_CACHE = True
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": str(tmp_path / "pages")}
    }


@pytest.fixture
def archive(tmp_path):
    """The seeds imported from a folder of their own, which a test may change."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for path in SEED_FILES.values():
        shutil.copy(path, folder / path.name)
    import_paths([folder])
    return folder


def test_a_page_is_served_from_the_cache_the_second_time(
    client, archive, page_cache, django_assert_num_queries
):
    first = client.get(PAGE)
    assert first["X-Archive-Cache"] == "miss"
    with django_assert_num_queries(1):  # the archive's version
        second = client.get(PAGE)
    assert second["X-Archive-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"] == "text/html; charset=utf-8"
    # The headers of every response are still the middleware's.
    assert "default-src 'self'" in second["Content-Security-Policy"]
    assert second["X-Content-Type-Options"] == "nosniff"


def test_an_import_that_changes_a_cable_makes_every_cached_page_stale(client, archive, page_cache):
    assert "AUGUST 1 MEETING" in client.get(PAGE).content.decode()
    assert client.get("/people/john-ordway/")["X-Archive-Cache"] == "miss"
    before = ArchiveState.current()
    seed = archive / SEED_FILES["06ALMATY2803"].name
    seed.write_text(seed.read_text().replace("AUGUST 1 MEETING", "AUGUST 9 MEETING"))
    report = import_paths([archive])
    assert (report.updated, report.unchanged) == (1, 4)
    assert ArchiveState.current() > before
    response = client.get(PAGE)
    assert response["X-Archive-Cache"] == "miss"
    assert "AUGUST 9 MEETING" in response.content.decode()
    assert "AUGUST 1 MEETING" not in response.content.decode()
    assert client.get("/people/john-ordway/")["X-Archive-Cache"] == "miss"


def test_an_archive_made_again_in_the_same_database_never_meets_its_cached_pages(
    client, archive, page_cache
):
    # Dropped and made again at the same address, a database keeps its page cache's key
    # prefix: its versions must not start where the last one's did.
    client.get(PAGE)
    first = ArchiveState.current()
    ArchiveState.objects.all().delete()
    ArchiveState.bump()
    again = ArchiveState.current()
    assert again >= 1 and again != first
    assert client.get(PAGE)["X-Archive-Cache"] == "miss"


def test_a_reimport_that_changes_nothing_keeps_the_cached_pages(client, archive, page_cache):
    client.get(PAGE)
    before = ArchiveState.current()
    report = import_paths([archive])
    assert report.unchanged == 5
    assert ArchiveState.current() == before
    assert client.get(PAGE)["X-Archive-Cache"] == "hit"


def test_each_query_string_is_a_page_of_its_own(client, archive, page_cache):
    plain = client.get(PAGE)
    searched = client.get(PAGE + "?q=ambassador")
    assert searched["X-Archive-Cache"] == "miss"
    assert "<mark" in searched.content.decode()
    assert "<mark" not in plain.content.decode()
    assert client.get(PAGE + "?q=ambassador")["X-Archive-Cache"] == "hit"


def test_the_json_twin_person_tag_and_origin_pages_are_cached_too(client, archive, page_cache):
    for url in (
        "/cables/06ALMATY2803.json",
        "/people/john-ordway/",
        "/people/john-ordway.json",
        "/tags/KZ/",
        "/tags/KZ.json",
        "/origins/us-office-almaty/",
    ):
        assert client.get(url)["X-Archive-Cache"] == "miss", url
        again = client.get(url)
        assert again["X-Archive-Cache"] == "hit", url
        assert again.status_code == 200


def test_only_pages_found_are_cached(client, archive, page_cache):
    for _ in range(2):
        response = client.get("/cables/99NOWHERE1/")
        assert response.status_code == 404
        assert "X-Archive-Cache" not in response


def test_lists_and_searches_are_never_cached(client, archive, page_cache):
    for _ in range(2):
        assert "X-Archive-Cache" not in client.get("/cables/?q=ambassador")


def test_without_the_setting_nothing_is_cached(client, archive):
    for _ in range(2):
        assert "X-Archive-Cache" not in client.get(PAGE)


def test_the_whole_archive_s_facet_counts_are_kept_until_an_import_changes_them(
    archive, page_cache, django_assert_num_queries
):
    counted = Cable.objects.all().facet_counts()
    assert counted["tag"][0] == {
        "value": "KZ",
        "description": "Kazakhstan",
        "kind": "country",
        "count": 4,
    }
    with django_assert_num_queries(1):  # the archive's version
        assert Cable.objects.all().facet_counts() == counted
    seed = archive / SEED_FILES["06ALMATY2803"].name
    seed.write_text(seed.read_text().replace("TAGS: PREL PGOV PHUM KZ", "TAGS: PREL PGOV PHUM"))
    assert import_paths([archive]).updated == 1
    tags = {row["value"]: row["count"] for row in Cable.objects.all().facet_counts()["tag"]}
    assert tags["KZ"] == 3
    # A selection is always counted.
    with django_assert_num_queries(1):
        Cable.objects.filter(origin="US Office Almaty").facet_counts(("tag",))


def test_a_new_release_of_the_code_never_serves_what_the_old_one_cached(
    client, archive, page_cache, monkeypatch
):
    import cables.cache

    assert client.get(PAGE)["X-Archive-Cache"] == "miss"
    assert client.get(PAGE)["X-Archive-Cache"] == "hit"
    monkeypatch.setattr(cables.cache, "code_version", lambda: "a-new-release")
    assert client.get(PAGE)["X-Archive-Cache"] == "miss"


def test_the_code_version_is_a_fingerprint_of_the_code_and_templates():
    from cables.cache import code_version

    assert re.fullmatch(r"[0-9a-f]{16}", code_version())
    assert code_version() == code_version()


def test_a_cache_that_cannot_be_written_or_read_still_serves_every_page(
    client, archive, page_cache, monkeypatch, caplog
):
    from django.core.cache.backends.filebased import FileBasedCache

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileBasedCache, "set", broken)
    first = client.get(PAGE)
    assert first.status_code == 200
    assert "page cache unwritable" in caplog.text
    monkeypatch.setattr(FileBasedCache, "get", broken)
    assert client.get(PAGE).content == first.content
    assert client.get("/cables/").status_code == 200  # the whole archive's facet counts
    assert "page cache unreadable" in caplog.text


# --- a list's facet counts, per selection ---------------------------------------------------


@pytest.fixture
def selection_cache(settings, page_cache):
    settings.ARCHIVE_SELECTION_CACHE = True


def facet_sql(captured) -> list[str]:
    """The statements that count facets (GROUP BY over the selection)."""
    return [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]]


def test_another_page_or_order_of_a_selection_reads_its_facets_from_the_cache(
    client, archive, selection_cache
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        counted = client.get("/cables.json", {"tag": "KZ", "year": "2006"}).json()["facets"]
    assert facet_sql(first)
    for params in [
        {"year": "2006", "tag": "KZ", "sort": "oldest"},
        {"tag": "KZ", "year": "2006", "page": "1"},
    ]:
        with CaptureQueriesContext(connection) as again:
            response = client.get("/cables.json", params)
        assert response.json()["facets"] == counted
        assert facet_sql(again) == []
    # Another selection is counted.
    with CaptureQueriesContext(connection) as other:
        client.get("/cables.json", {"tag": "KZ"})
    assert facet_sql(other)


def test_cached_facets_of_a_selection_go_stale_with_the_archive(client, archive, selection_cache):
    before = client.get("/cables.json", {"tag": "KZ"}).json()["facets"]["year"]
    # An admin edit (or an import) moves a cable to another year.
    cable = Cable.objects.filter(cabletag__tag__code="KZ", created__year=2005).get()
    cable.created = cable.created.replace(year=2003)
    cable.save()
    ArchiveState.bump()
    after = client.get("/cables.json", {"tag": "KZ"}).json()["facets"]["year"]
    assert after != before
    assert {"value": 2003, "count": 1} in after


def test_a_search_and_its_filters_are_part_of_the_selection(client, archive, selection_cache):
    searched = client.get("/cables.json", {"q": "Dzhaksybekov"}).json()["facets"]
    unsearched = client.get("/cables.json", {"q": "Nazarbayev"}).json()["facets"]
    assert searched != unsearched
    excluded = client.get("/cables.json", {"exclude_tag": "KZ"}).json()
    assert excluded["count"] == 0 or excluded["facets"] != searched


# --- a search's counts, per words looked for (PostgreSQL) -----------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search counts")
def test_a_search_s_counts_are_read_from_the_cache_by_any_page_with_the_same_words(
    client, archive, selection_cache, settings, monkeypatch
):
    from cables.search import postgres

    monkeypatch.setattr(postgres, "SHARED_COUNTS_MIN", 1)  # (5,000 cables in production)
    counted, ranked = [], []  # the words of each count of paragraphs, of titles' ranks
    for name, made in (("_counted_paragraph_hits", counted), ("_ranked_titles", ranked)):
        work = getattr(postgres.PostgresEngine, name)

        def counting(engine, query, work=work, made=made):
            made.append(str(query))
            return work(engine, query)

        monkeypatch.setattr(postgres.PostgresEngine, name, counting)
    pages = [{"q": "minister"}, {"q": "minister", "sort": "oldest"}, {"q": "minister", "tag": "KZ"}]
    settings.ARCHIVE_SELECTION_CACHE = False
    expected = [client.get("/cables.json", params).json() for params in pages]
    assert expected[0]["count"] >= 2 and expected[0]["matching_paragraphs"] >= 2
    assert counted == ranked == ["minister"] * 3
    settings.ARCHIVE_SELECTION_CACHE = True
    counted.clear(), ranked.clear()
    answers = [client.get("/cables.json", params).json() for params in pages]
    assert answers == expected
    assert counted == ranked == ["minister"]  # the first page counts; the others read
    # Other words are counted; and the same words again once the archive has changed.
    client.get("/cables.json", {"q": "ambassador"})
    ArchiveState.bump()
    assert client.get("/cables.json", pages[0]).json() == expected[0]
    assert counted == ["minister", "ambassador", "minister"]
    # Counts of fewer cables than the threshold are made again each time.
    monkeypatch.setattr(postgres, "SHARED_COUNTS_MIN", expected[0]["count"] + 1)
    ArchiveState.bump()
    counted.clear()
    assert [client.get("/cables.json", params).json() for params in pages] == expected
    assert counted == ["minister"] * 3


def test_a_page_asked_under_another_host_name_is_a_page_of_its_own(
    client, archive, page_cache, settings
):
    settings.ALLOWED_HOSTS = ["cables.example.org", "mirror.example.net"]
    first = client.get(PAGE, HTTP_HOST="cables.example.org")
    assert first["X-Archive-Cache"] == "miss"
    # (A paragraph's citation: its absolute URL.)
    assert "http://cables.example.org/cables/06ALMATY2803/#" in first.content.decode()
    other = client.get(PAGE, HTTP_HOST="mirror.example.net")
    assert other["X-Archive-Cache"] == "miss"
    assert "cables.example.org" not in other.content.decode()
    assert "http://mirror.example.net/cables/06ALMATY2803/#" in other.content.decode()
    assert client.get(PAGE, HTTP_HOST="cables.example.org")["X-Archive-Cache"] == "hit"


def test_a_feed_is_cached_until_an_import_changes_the_archive(client, archive, page_cache):
    first = client.get("/cables.atom?tag=KZ")
    assert first["X-Archive-Cache"] == "miss"
    assert first["Content-Type"] == "application/atom+xml; charset=utf-8"
    again = client.get("/cables.atom?tag=KZ")
    assert again["X-Archive-Cache"] == "hit" and again.content == first.content
    ArchiveState.bump()
    assert client.get("/cables.atom?tag=KZ")["X-Archive-Cache"] == "miss"


def test_the_page_cache_looks_whether_it_is_full_once_in_so_many_writes(tmp_path):
    pages = PageFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 4, "CULL_FREQUENCY": 3}})
    pages.CULL_CHECK_EVERY = 8

    def kept() -> int:
        return len(list(tmp_path.glob("*.djcache")))

    for n in range(8):  # the first write looks (empty), the next seven do not
        pages.set(f"page{n}", (b"<html>", [("Content-Type", "text/html")]))
    assert kept() == 8
    pages.set("page8", (b"<html>", []))  # looks: 8 pages, 4 at most: a third culled
    assert kept() == 8 - 8 // 3 + 1
    assert pages.get("page8") == (b"<html>", [])


def test_a_page_kept_compressed_reads_back_the_same(tmp_path):
    pages = PageFileCache(str(tmp_path), {})
    content = "".join(f"<p>¶{n} Ambassador’s meeting</p>" for n in range(2000)).encode()
    pages.set("page", (content, [("Content-Type", "text/html; charset=utf-8")]))
    assert pages.get("page") == (content, [("Content-Type", "text/html; charset=utf-8")])
    [stored] = tmp_path.glob("*.djcache")
    assert stored.stat().st_size < len(content) / 4


def _version_reads(queries) -> int:
    return sum("cables_archivestate" in q["sql"] for q in queries.captured_queries)


def test_a_request_reads_the_archive_s_version_once(client, archive, page_cache, settings):
    # The page cache's key and the facet index (similar cables) both ask for it.
    settings.ARCHIVE_FACET_INDEX = True
    facet_index.build()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE)["X-Archive-Cache"] == "miss"
    assert _version_reads(queries) == 1
    with CaptureQueriesContext(connection) as queries:  # outside a request: each time
        ArchiveState.current()
        ArchiveState.current()
    assert _version_reads(queries) == 2


def test_a_request_that_raises_the_version_reads_it_again(db):
    ArchiveState.bump()  # (the archive's first version is drawn at random)
    start_request_memo()
    try:
        before = ArchiveState.current()
        ArchiveState.bump()
        assert ArchiveState.current() == before + 1
    finally:
        end_request_memo()
