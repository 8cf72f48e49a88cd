"""A cable page's summary first, its routing header folded away, and its similar cables."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from cables.models import Cable, CableQuerySet

pytestmark = pytest.mark.django_db


def test_the_summary_comes_before_the_folded_routing_header(client, imported_seeds):
    content = client.get("/cables/06ALMATY2803/").content.decode()
    summary = content.index('<section class="cable-summary" aria-labelledby="summary-title">')
    routing = content.index('<details class="routing">')
    text = content.index('<section class="cable-text"')
    assert summary < routing < text
    assert "<p>In a July 3 meeting, the Ambassador discussed planning for P" in content[summary:]


def test_the_summary_is_escaped(client, make_cable):
    make_cable("06X1", summary="<script>alert(1)</script>", header="FM <b>X</b>")
    response = client.get("/cables/06X1/")
    assertContains(response, "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
    assertNotContains(response, "<script>alert(1)")


def test_similar_seed_cables_share_the_most_tags(client, imported_seeds):
    similar = list(Cable.objects.similar_to(Cable.objects.get(reference_id="06ALMATY2803")))
    # Four tags in common and the same origin (5), newest first; then three and the origin.
    # 05ALMATY956 has no tags: not similar.
    assert [(c.reference_id, c.shared_tags, c.similarity) for c in similar] == [
        ("06ALMATY2404", 4, 5),
        ("05ALMATY538", 4, 5),
        ("06ALMATY3273", 3, 4),
    ]
    response = client.get("/cables/06ALMATY2803/")
    assertContains(response, '<h2 id="similar-title">Similar cables</h2>')
    assertContains(
        response,
        '<li><a href="/cables/06ALMATY2404/">06ALMATY2404</a> <span class="muted">2006-07-07 · '
        "4 tags in common, same origin · KAZAKHSTAN: AMBASSADOR DISCUSSES DEMOCRATIC "
        "DEVELOPMENT WITH PA DEPUTY HEAD ASH…</span></li>",
    )


def test_similar_cables_score_shared_tags_and_origin_and_stop_at_five(client, make_cable):
    make_cable("06SELF", "2006-05-01", tags=["KZ", "PREL", "PGOV"], origin="Embassy Astana")
    make_cable("06TWOSAME", "2006-01-01", tags=["KZ", "PREL"], origin="Embassy Astana")
    make_cable("06THREE", "2006-02-01", tags=["PGOV", "KZ", "PREL"], origin="Embassy Moscow")
    make_cable("06ONE", "2006-03-01", tags=["KZ", "ECON"], origin="Embassy Moscow")
    make_cable("06NONE", "2006-04-01", tags=["ECON"], origin="Embassy Astana")
    for i in range(4):
        make_cable(f"05ONE{i}", f"2005-0{i + 1}-01", tags=["PREL"], origin="Embassy Moscow")
    self = Cable.objects.get(reference_id="06SELF")
    assert [(c.reference_id, c.similarity) for c in Cable.objects.similar_to(self)] == [
        ("06THREE", 3),
        ("06TWOSAME", 3),
        ("06ONE", 1),
        ("05ONE3", 1),
        ("05ONE2", 1),
    ]


def test_a_cable_without_tags_has_no_similar_cables_and_no_query_for_them(
    client, make_cable, django_assert_num_queries
):
    cable = make_cable("06BARE", tags=[])
    make_cable("06OTHER", tags=["KZ"])
    with django_assert_num_queries(1):  # its tags
        assert list(Cable.objects.similar_to(cable)) == []
    assertNotContains(client.get("/cables/06BARE/"), "Similar cables")


def test_similar_subjects_are_escaped(client, make_cable):
    make_cable("06A", tags=["KZ"], subject="<img src=x onerror=alert(1)>")
    make_cable("06B", tags=["KZ"])
    response = client.get("/cables/06B/")
    assertContains(response, "&lt;img src=x onerror=alert(1)&gt;")
    assertNotContains(response, "<img src=x")


@pytest.mark.parametrize("common", [0, 1, 2, 3])
def test_similar_cables_are_the_same_whichever_way_they_are_found(make_cable, monkeypatch, common):
    """Searching from the rarer tags first, or scoring every cable sharing a tag, must
    give the same five cables in the same order."""
    monkeypatch.setattr(CableQuerySet, "SIMILAR_COMMON_TAGS", common)
    pool = ["PREL", "PGOV", "KZ", "ECON", "RS", "KDEM"]
    origins = ["Embassy Astana", "Embassy Moscow"]
    for n in range(40):  # tags and origins spread unevenly: PREL on most, KDEM on few
        tags = [tag for i, tag in enumerate(pool) if (n * (i + 3)) % (i + 2) != 1]
        make_cable(
            f"06C{n}",
            f"2006-{n % 12 + 1:02d}-{n % 27 + 1:02d}",
            tags=tags,
            origin=origins[n % 3 == 0],
        )
    cables = list(Cable.objects.prefetch_related("cabletag_set__tag"))
    tags_of = {c.pk: {ct.tag for ct in c.cabletag_set.all()} for c in cables}
    found_from_rarer_tags = 0
    for cable in cables:
        scored = [
            (len(tags_of[o.pk] & tags_of[cable.pk]) + (o.origin == cable.origin), o)
            for o in cables
            if o.pk != cable.pk and tags_of[o.pk] & tags_of[cable.pk]
        ]
        scored.sort(key=lambda item: (-item[0], -item[1].created.timestamp(), item[1].reference_id))
        expected = [(o.reference_id, score) for score, o in scored[:5]]
        found = [(o.reference_id, o.similarity) for o in Cable.objects.similar_to(cable)]
        assert found == expected, cable.reference_id
        # Which way the query found them: from the rarer tags alone when those scored
        # above any cable sharing only common ones.
        by_use = sorted(tags_of[cable.pk], key=lambda tag: (-tag.cable_count, tag.pk))
        left_out = min(common, len(by_use) - 1)
        rarer = set(by_use[left_out:])
        top = [score for score, o in scored if tags_of[o.pk] & rarer][:5]
        found_from_rarer_tags += left_out == 0 or (len(top) == 5 and min(top) > left_out + 1)
    if common in (1, 2):  # both ways taken
        assert 0 < found_from_rarer_tags < len(cables)
