"""Frequent words' counts kept by the import (``WordCounts``; PostgreSQL): a first search for
such a word reads what a search would count, and finds, orders and counts exactly as it
would have without them."""

import threading
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cables.models import ArchiveState, WordCounts
from cables.search import engine, parse_query

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL keeps frequent words' counts"
)

# The lexemes of four paragraphs or more in ``archive``.
FREQUENT = {"'govern'", "'said'", "'u.s'", "'offici'", "'met'", "'ambassador'"}
# Its pairs of words one or two places apart in four paragraphs or more: "government said",
# "U.S. officials met the ambassador".
FREQUENT_PAIRS = {
    "'govern' <-> 'said'",
    "'u.s' <-> 'offici'",
    "'offici' <-> 'met'",
    "'u.s' <2> 'met'",
    "'met' <2> 'ambassador'",
}
NEVER = 10**9  # (no word or phrase is in so many paragraphs)


@pytest.fixture
def archive(make_searchable):
    """Twelve cables: "government" (and "said") in 2 to 4 paragraphs of each and in some
    subjects and summaries, "U.S. officials met the ambassador" in one paragraph of each,
    "minister" (and "agreed") in three paragraphs, "uranium" in one."""
    for n in range(12):
        paragraphs = ["The government said so." for _ in range(2 + n % 3)]
        paragraphs.append("U.S. officials met the ambassador.")
        if n < 3:
            paragraphs.append("The minister agreed.")
        if n == 5:
            paragraphs.append("Uranium talks went on.")
        make_searchable(
            f"06ALMATY{100 + n}",
            f"2006-08-{1 + n:02d} 10:00",
            subject="GOVERNMENT TALKS" if n % 4 == 0 else f"Talks {n}",
            summary="The government wavers." if n % 5 == 0 else "",
            tags=["PREL"] if n % 2 else ["ENRG"],
            paragraphs=paragraphs,
        )
    ArchiveState.bump()  # as an import does


def counted_live(q: str):
    """What a search counts without kept counts: paragraphs with hits, titles' ranks."""
    query = parse_query(q)
    search = engine()
    return search._counted_paragraph_hits(query), search._ranked_titles(query)


def same(a, b) -> bool:
    return np.array_equal(a.cable_ids, b.cable_ids) and np.array_equal(a.values, b.values)


@postgres_only
def test_the_counts_kept_for_a_word_are_those_a_search_counts(archive):
    assert (
        engine().keep_word_counts(min_paragraphs=3, min_phrase_paragraphs=NEVER)
        == len(FREQUENT) + 2
    )
    # ("U.S." is the word 'u.s', read as PostgreSQL read the text.)
    for q in ["government", "Governments", "officials", "minister", "U.S."]:
        kept = engine()._kept_counts(parse_query(q).positive_atoms()[0])
        assert kept is not None, q
        hits, ranks = counted_live(q)
        assert len(hits) and same(kept[0], hits), q
        assert same(kept[1], ranks), q
    assert len(counted_live("government")[1]) == 5  # subjects and summaries: ranks compared
    minister = engine()._kept_counts(parse_query("minister").positive_atoms()[0])
    assert len(minister[0]) == 3  # in three cables' paragraphs


@postgres_only
def test_only_words_of_enough_paragraphs_are_kept(archive):
    engine().keep_word_counts(min_paragraphs=4, min_phrase_paragraphs=NEVER)
    kept = set(WordCounts.objects.values_list("query", flat=True))
    assert kept == FREQUENT  # not 'minist' nor 'agre' (3 paragraphs), nor 'uranium' (1)


@postgres_only
def test_a_frequent_words_search_counts_nothing_and_shows_the_same_page(
    client, archive, settings, monkeypatch
):
    settings.CABLES_PAGE_SIZE = 5
    urls = [
        f"/cables.json?q={q}{extra}"
        for q in [
            "government",
            "governments",
            "officials",
            "government+-uranium",
            "government+-minister",
        ]
        for extra in ["", "&sort=newest", "&sort=oldest", "&page=2", "&tag=PREL"]
    ]
    urls += ["/cables/?q=government", "/cables/?q=government&page=2&tag=ENRG"]
    counted = {url: client.get(url).content for url in urls}
    engine().keep_word_counts(min_paragraphs=3, min_phrase_paragraphs=NEVER)
    counts = spy_on_counts(monkeypatch)
    for url in urls:
        assert client.get(url).content == counted[url], url
    assert counts == []
    client.get("/cables.json?q=uranium")  # not a frequent word: counted
    assert counts == ["paragraphs", "titles"]


def spy_on_counts(monkeypatch) -> list[str]:
    """The counts a search makes from here on: "paragraphs", "titles"."""
    from cables.search.postgres import PostgresEngine

    made = []
    for name, what in [("_count_hits", "paragraphs"), ("_rank_titles_of", "titles")]:
        count = getattr(PostgresEngine, name)

        def spy(self, hits, count=count, what=what):
            made.append(what)
            return count(self, hits)

        monkeypatch.setattr(PostgresEngine, name, spy)
    return made


@postgres_only
def test_an_excluded_frequent_word_is_taken_from_the_kept_counts(client, archive):
    url = "/cables.json?q=government+-minister+-uranium"
    before = client.get(url).json()
    assert before["count"] == 8  # less the 3 cables with "minister" and the one with "uranium"
    engine().keep_word_counts(min_paragraphs=3, min_phrase_paragraphs=NEVER)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).json() == before
    looked_up = [q["sql"] for q in queries if '"cables_cable"."search_vector" @@' in q["sql"]]
    assert len(looked_up) == 1  # "uranium" alone: not a frequent word
    assert "uranium" in looked_up[0] and "minister" not in looked_up[0]


@postgres_only
def test_counts_of_another_version_of_the_archive_are_never_read(client, archive, make_searchable):
    engine().keep_word_counts(min_paragraphs=3, min_phrase_paragraphs=NEVER)
    make_searchable("06ALMATY999", "2006-09-30 10:00", paragraphs=["The government fell."] * 3)
    ArchiveState.bump()
    word = parse_query("government").positive_atoms()[0]
    assert engine()._kept_counts(word) is None
    results = client.get("/cables.json?q=government").json()
    assert results["count"] == 13 and "06ALMATY999" in [r["id"] for r in results["results"]]
    # Keeping again drops the stale rows and counts this version.
    assert engine().keep_word_counts(min_paragraphs=3, min_phrase_paragraphs=NEVER) >= 2
    assert set(WordCounts.objects.values_list("archive_version", flat=True)) == {
        ArchiveState.current()
    }
    assert same(engine()._kept_counts(word)[0], counted_live("government")[0])


@postgres_only
def test_counts_made_another_way_are_never_read(archive, monkeypatch):
    from cables.search import postgres

    engine().keep_word_counts(min_paragraphs=3, min_phrase_paragraphs=NEVER)
    monkeypatch.setattr(postgres, "WORD_COUNTS_RECIPE", "2 english [0.2, 0.2, 0.4, 1.0]")
    assert engine()._kept_counts(parse_query("government").positive_atoms()[0]) is None
    assert (
        engine().keep_word_counts(min_paragraphs=3, min_phrase_paragraphs=NEVER) >= 2
    )  # made again the new way


@postgres_only
def test_keeping_again_counts_only_the_words_not_kept_yet(archive, monkeypatch):
    assert (
        engine().keep_word_counts(min_paragraphs=3, min_phrase_paragraphs=NEVER)
        == len(FREQUENT) + 2
    )
    WordCounts.objects.filter(query="'minist'").delete()  # as if stopped before it
    counts = spy_on_counts(monkeypatch)
    assert engine().keep_word_counts(min_paragraphs=3, min_phrase_paragraphs=NEVER) == 1
    assert counts == ["paragraphs", "titles"]  # of 'minist' alone
    assert WordCounts.objects.filter(query="'minist'").exists()
    assert engine().keep_word_counts(min_paragraphs=3, min_phrase_paragraphs=NEVER) == 0


@postgres_only
def test_counts_are_kept_before_the_archive_has_a_version(make_searchable):
    make_searchable("06ALMATY100", paragraphs=["The government said."] * 3)
    assert ArchiveState.current() == 0
    assert (
        engine().keep_word_counts(min_paragraphs=3, min_phrase_paragraphs=NEVER) == 2
    )  # 'govern', 'said'
    assert engine()._kept_counts(parse_query("government").positive_atoms()[0]) is not None


@postgres_only
def test_a_word_with_a_quote_is_kept_and_found_as_it_is(make_searchable):
    make_searchable("06ALMATY100", paragraphs=["O'Neill's visit to d'Alembert's office."] * 3)
    ArchiveState.bump()
    engine().keep_word_counts(min_paragraphs=3, min_phrase_paragraphs=NEVER)
    for q in ["neill", "alembert"]:
        kept = engine()._kept_counts(parse_query(q).positive_atoms()[0])
        assert kept is not None and same(kept[0], counted_live(q)[0]), q
        assert int(kept[0].values.sum()) == 3


@postgres_only
def test_the_counts_kept_for_a_phrase_are_those_a_search_counts(archive):
    engine().keep_word_counts(min_paragraphs=NEVER, min_phrase_paragraphs=4)
    assert set(WordCounts.objects.values_list("query", flat=True)) == FREQUENT_PAIRS
    for q in ['"government said"', '"officials met"', '"met the ambassador"', '"U.S. officials"']:
        kept = engine()._kept_counts(parse_query(q).positive_atoms()[0])
        hits, ranks = counted_live(q)
        assert kept is not None and len(hits), q
        assert same(kept[0], hits) and same(kept[1], ranks), q


@postgres_only
def test_a_frequent_phrases_search_counts_nothing_and_shows_the_same_page(
    client, archive, settings, monkeypatch
):
    settings.CABLES_PAGE_SIZE = 5
    urls = [
        f"/cables.json?q={q}{extra}"
        for q in ['"government said"', '"met the ambassador"', '"government said" -uranium']
        for extra in ["", "&sort=oldest", "&page=2", "&tag=PREL"]
    ]
    urls += ['/cables/?q="met+the+ambassador"&page=2']
    counted = {url: client.get(url).content for url in urls}
    engine().keep_word_counts(min_paragraphs=NEVER, min_phrase_paragraphs=4)
    counts = spy_on_counts(monkeypatch)
    for url in urls:
        assert client.get(url).content == counted[url], url
    assert counts == []
    client.get('/cables.json?q="minister agreed"')  # in 3 paragraphs: counted
    assert counts == ["paragraphs", "titles"]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_words_are_counted_two_at_a_time_on_other_connections(
    make_searchable, monkeypatch
):
    from cables.search.postgres import PostgresEngine

    for n in range(4):
        make_searchable(
            f"06ALMATY{100 + n}",
            subject="GOVERNMENT TALKS",
            paragraphs=["The government said so.", "The government met."],
        )
    threads = []
    count_word = PostgresEngine._count_word

    def spy(self, tsquery):
        threads.append(threading.current_thread().name)
        return count_word(self, tsquery)

    monkeypatch.setattr(PostgresEngine, "_count_word", spy)
    # 'govern', 'said', 'met', 'govern' <-> 'said', 'govern' <-> 'met'
    assert engine().keep_word_counts(min_paragraphs=4, min_phrase_paragraphs=4) == 5
    assert len(threads) == 5 and all(name.startswith("cables-aside") for name in threads)
    for q in ["government", '"government said"', "said", "met", '"government met"']:
        kept = engine()._kept_counts(parse_query(q).positive_atoms()[0])
        hits, ranks = counted_live(q)
        assert kept is not None and same(kept[0], hits) and same(kept[1], ranks), q


@postgres_only
def test_an_edit_in_the_admin_keeps_the_counts_a_deleted_cable_does_not(archive):
    from django.contrib import admin

    from cables.models import Cable, Tag

    engine().keep_word_counts(min_paragraphs=3, min_phrase_paragraphs=NEVER)
    word = parse_query("government").positive_atoms()[0]
    tag = Tag.objects.get(code="PREL")
    tag.description = "Political relations"
    before = ArchiveState.current()
    admin.site._registry[Tag].save_model(None, tag, None, True)
    assert ArchiveState.current() > before  # cached pages stale
    assert same(engine()._kept_counts(word)[0], counted_live("government")[0])
    cable = Cable.objects.get(reference_id="06ALMATY100")
    admin.site._registry[Cable].delete_model(None, cable)
    assert engine()._kept_counts(word) is None  # counted as they go, until kept again


@pytest.mark.parametrize("error", ["django", "psycopg"])
def test_an_import_stands_when_the_counts_cannot_be_kept(seed_dir, monkeypatch, error):
    import psycopg
    from django.db import DatabaseError

    from cables.search.base import SearchEngine
    from cables.search.postgres import PostgresEngine

    # (The counts are read on psycopg's own cursors too: its errors are not Django's.)
    error_class = DatabaseError if error == "django" else psycopg.errors.QueryCanceled

    def fails(*args, **kwargs):
        raise error_class("canceling statement due to statement timeout")

    for engine_class in (SearchEngine, PostgresEngine):
        monkeypatch.setattr(engine_class, "keep_word_counts", fails)
    out, err = StringIO(), StringIO()
    call_command("import_cables", str(seed_dir), stdout=out, stderr=err)
    assert "Imported: 5 new, 0 updated, 0 unchanged, 0 failed." in out.getvalue()
    assert "The frequent words' counts were not kept (canceling statement" in err.getvalue()


def test_the_import_keeps_the_counts_of_the_frequent_words(seed_dir):
    out = _import(seed_dir)
    # The seeds are five cables: none of their words is in 25,000 paragraphs, nor any
    # phrase in 10,000.
    assert "Kept the counts of 0 frequent words and phrases." in out
    assert WordCounts.objects.count() == 0


def test_the_command_says_how_many_words_and_phrases_it_kept(archive):
    expected = len(FREQUENT | FREQUENT_PAIRS) if connection.vendor == "postgresql" else 0
    limits = ["--min-paragraphs", "4", "--min-phrase-paragraphs", "4"]
    out = _call("keep_word_counts", *limits)
    assert f"Kept the counts of {expected} frequent words and phrases." in out
    again = _call("keep_word_counts", *limits)
    assert "Kept the counts of 0 frequent words and phrases." in again


def _import(path) -> str:
    return _call("import_cables", str(path))


def _call(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
