"""A cable's row in lists (``cable_row_meta``, ``cable_tags``): what it links to, its date in
UTC, and every piece of cable text escaped."""

from zoneinfo import ZoneInfo

import pytest

from cables.serializers import summary_queryset
from cables.templatetags.cable_rows import cable_row_meta, cable_tags


def test_a_row_links_the_id_and_gives_the_date_in_utc_with_the_classification_and_origin(
    make_cable,
):
    made = make_cable(
        "06ALMATY2803",
        "2006-08-05 01:16",
        classification="CONFIDENTIAL//NOFORN",
        origin="US Office <Almaty>",
    )
    cable = summary_queryset(type(made).objects.filter(pk=made.pk)).get()
    # Read back in another time zone: the row still says the UTC date and time.
    cable.created = cable.created.astimezone(ZoneInfo("America/New_York"))
    assert cable.created.day == 4
    assert cable_row_meta(cable) == (
        '<a class="cable-row__id" href="/cables/06ALMATY2803/">06ALMATY2803</a>\n'
        '<time datetime="2006-08-05T01:16:00Z">2006-08-05</time>\n'
        '<span class="classification classification--confidentialnoforn">'
        "CONFIDENTIAL//NOFORN</span>\n"
        '<span class="cable-row__origin">US Office &lt;Almaty&gt;</span>\n'
    )


def test_a_partial_cable_carries_a_badge(make_cable):
    cable = make_cable("06ALMATY2803", partial=True)
    assert cable_row_meta(cable).endswith(
        '<span class="badge" title="This is a partial extract or truncated text">partial</span>\n'
    )


def test_tags_link_to_their_tag_pages_in_the_cables_order_with_escaped_descriptions(
    make_cable,
):
    made = make_cable(
        "06ALMATY2803", tags=[("PREL", 'Relations "abroad" & <co>'), "KZ", ("A/B C", "")]
    )
    cable = summary_queryset(type(made).objects.filter(pk=made.pk)).get()
    html = cable_tags(cable)
    assert html == (
        '<ul class="tag-list" aria-label="Tags">\n    '
        '<li><a class="tag" href="/tags/PREL/" title="Relations &quot;abroad&quot; &amp; '
        '&lt;co&gt;">PREL</a></li>'
        '<li><a class="tag" href="/tags/KZ/">KZ</a></li>'
        '<li><a class="tag" href="/tags/A/B%20C/">A/B C</a></li>'
        "\n  </ul>\n"
    )


def test_with_a_list_url_tags_narrow_that_list_instead(make_cable):
    made = make_cable("06ALMATY2803", tags=["KZ", "A/B C"])
    cable = summary_queryset(type(made).objects.filter(pk=made.pk)).get()
    html = cable_tags(cable, "/cables/")
    assert 'href="/cables/?tag=KZ"' in html
    assert 'href="/cables/?tag=A%2FB%20C"' in html


def test_a_cable_without_tags_has_no_tag_list(make_cable):
    made = make_cable("06ALMATY2803")
    cable = summary_queryset(type(made).objects.filter(pk=made.pk)).get()
    assert cable_tags(cable) == ""


def test_the_list_page_shows_the_rows(client, make_cable):
    make_cable(
        "06ALMATY2803",
        "2006-08-05 01:16",
        origin="US Office Almaty",
        tags=[("KZ", "Kazakhstan")],
    )
    content = client.get("/cables/").content.decode()
    assert '<a class="cable-row__id" href="/cables/06ALMATY2803/">06ALMATY2803</a>' in content
    assert '<time datetime="2006-08-05T01:16:00Z">2006-08-05</time>' in content
    assert '<a class="tag" href="/cables/?tag=KZ" title="Kazakhstan">KZ</a>' in content


def test_a_cable_path_is_the_one_reverse_gives_under_any_script_prefix(make_cable):
    from django.urls import NoReverseMatch, reverse, set_script_prefix

    from cables.models import Cable

    for reference_id in ["06ALMATY2803", "09SECTION01OF03SANJOSE525", "10AQNA272", "08a_b-c"]:
        cable = Cable(reference_id=reference_id)
        assert cable.get_absolute_url() == reverse("cables:detail", args=[reference_id])
        assert cable.get_json_url() == reverse("cables:detail_json", args=[reference_id])
    try:
        set_script_prefix("/archive/")
        cable = Cable(reference_id="06ALMATY2803")
        assert cable.get_absolute_url() == "/archive/cables/06ALMATY2803/"
        assert reverse("cables:detail", args=["06ALMATY2803"]) == cable.get_absolute_url()
    finally:
        set_script_prefix("/")
    with pytest.raises(NoReverseMatch):
        Cable(reference_id="06 ALMATY/2803").get_absolute_url()


def test_a_tag_path_is_the_one_reverse_gives_for_any_code():
    from django.urls import NoReverseMatch, reverse

    from cables.models import Tag
    from cables.paths import tag_path

    for code in ["PREL", "CLINTON, HILLARY", "A/B C", "100%", "É&<x>\"'?#", "~:@!$()*+;="]:
        assert tag_path(code) == Tag(code=code).get_absolute_url()
        assert tag_path(code) == reverse("cables:tag", args=[code])
        assert Tag(code=code).get_json_url() == reverse("cables:tag_json", args=[code])
    with pytest.raises(NoReverseMatch):
        tag_path("")


def test_a_person_path_is_the_one_reverse_gives_for_any_slug():
    from django.urls import NoReverseMatch, reverse

    from cables.models import Person

    for slug in ["nazarbayev-nursultan", "a_b-1", "X"]:
        assert Person(slug=slug).get_absolute_url() == reverse("cables:person", args=[slug])
        assert Person(slug=slug).get_json_url() == reverse("cables:person_json", args=[slug])
    for slug in ["", "a b", "é"]:
        with pytest.raises(NoReverseMatch):
            Person(slug=slug).get_absolute_url()


def test_a_route_path_is_the_one_reverse_gives_under_any_script_prefix():
    from django.urls import reverse, set_script_prefix

    from cables.paths import route_path

    for name in ["cables:home", "cables:list", "cables:list_json", "cables:tags"]:
        assert route_path(name) == reverse(name)
    try:
        set_script_prefix("/archive/")
        assert route_path("cables:list") == "/archive/cables/" == reverse("cables:list")
    finally:
        set_script_prefix("/")
    assert route_path("cables:list") == "/cables/"


def test_routes_worked_out_once_follow_a_change_of_urlconf(settings):
    from django.urls import reverse

    from cables.paths import cable_path, route_path

    assert (route_path("cables:list"), cable_path("06A1")) == ("/cables/", "/cables/06A1/")
    settings.ROOT_URLCONF = "tests.urls_under_archive"
    assert route_path("cables:list") == reverse("cables:list") == "/archive/cables/"
    assert cable_path("06A1") == reverse("cables:detail", args=["06A1"])


def test_a_summary_queryset_reads_every_cables_tags_in_its_order_in_one_more_query(
    make_cable, django_assert_num_queries
):
    make_cable("06ALMATY1", "2006-08-01", tags=["PREL", "KZ", "PGOV"])
    make_cable("06ALMATY2", "2006-08-02", tags=["KZ", "PREL"])
    make_cable("06ALMATY3", "2006-08-03")
    from cables.models import Cable

    with django_assert_num_queries(2):  # the cables, their tags
        cables = list(summary_queryset(Cable.objects.order_by("reference_id")))
    assert [(c.reference_id, [t.code for t in c.tag_labels]) for c in cables] == [
        ("06ALMATY1", ["PREL", "KZ", "PGOV"]),
        ("06ALMATY2", ["KZ", "PREL"]),
        ("06ALMATY3", []),
    ]
    # Slicing (a page), filtering and ordering keep the tags.
    with django_assert_num_queries(2):
        (page,) = summary_queryset(Cable.objects.all()).order_by("-created")[1:2]
    assert page.reference_id == "06ALMATY2"
    assert [t.code for t in page.tag_labels] == ["KZ", "PREL"]


def test_a_streamed_summary_queryset_reads_the_tags_of_each_chunk_once(
    make_cable, django_assert_num_queries, monkeypatch
):
    from cables import serializers
    from cables.models import Cable

    monkeypatch.setattr(serializers, "TAGGED_CHUNK", 2)
    for day in range(1, 6):
        make_cable(f"06ALMATY{day}", f"2006-08-0{day}", tags=[f"T{day}", "KZ"])
    ordered = summary_queryset(Cable.objects.order_by("created"))
    # Five cables read two at a time by one query: their tags in three more.
    rows = [(c.reference_id, [t.code for t in c.tag_labels]) for c in ordered.iterator(2)]
    assert rows == [(f"06ALMATY{day}", [f"T{day}", "KZ"]) for day in range(1, 6)]
    with django_assert_num_queries(1 + 3):
        assert len(list(ordered.iterator(2))) == 5


def test_a_list_row_escapes_the_subject_and_snippets_and_keeps_only_html_marked_safe(
    make_cable,
):
    from django.utils.safestring import mark_safe

    from cables.templatetags.cable_rows import cable_row

    made = make_cable("06ALMATY2803", subject="<script>x</script> & co", tags=["KZ"])
    cable = summary_queryset(type(made).objects.filter(pk=made.pk)).get()
    cable.search_snippets = [
        {
            "url": '/cables/06ALMATY2803/?q=a&b"#p1',
            "label": "1<",
            "html": mark_safe("<mark>oil</mark> &amp; gas"),
        },
        {"url": "/x", "label": "2", "html": "<b>not marked safe</b>"},
    ]
    html = cable_row(cable, "/cables/", "newest")
    assert html.startswith('<li class="cable-row">\n<div class="cable-row__meta">\n<a ')
    assert html.endswith("</ul>\n</li>\n")
    assert '<p class="cable-row__subject">&lt;script&gt;x&lt;/script&gt; &amp; co</p>' in html
    assert (
        '<li><a class="snippet" href="/cables/06ALMATY2803/?q=a&amp;b&quot;#p1">'
        '<span class="snippet__para">¶1&lt;</span> <mark>oil</mark> &amp; gas</a></li>'
    ) in html
    assert "&lt;b&gt;not marked safe&lt;/b&gt;" in html
    assert 'href="/cables/?tag=KZ"' in html
    assert "cited by" not in html


def test_a_list_row_marks_hits_in_the_subject_counts_citations_or_says_there_is_no_subject(
    make_cable,
):
    from django.utils.safestring import mark_safe

    from cables.templatetags.cable_rows import cable_row

    made = make_cable("06ALMATY2803", subject="")
    cable = summary_queryset(type(made).objects.filter(pk=made.pk)).get()
    assert '<span class="cable-row__cited">cited by 0</span>' in cable_row(cable, "/", "cited")
    cable.cited_count = None
    assert '<span class="cable-row__cited">cited by 0</span>' in cable_row(cable, "/", "cited")
    cable.cited_count = 12345
    html = cable_row(cable, "/cables/", "cited")
    assert '<span class="cable-row__cited">cited by 12,345</span>' in html
    assert '<p class="cable-row__subject"><span class="placeholder">(no subject)</span></p>' in html
    assert "snippets" not in html and "tag-list" not in html
    cable.subject, cable.subject_html = "Oil & gas", mark_safe("<mark>Oil</mark> &amp; gas")
    html = cable_row(cable, "/cables/", "newest")
    assert '<p class="cable-row__subject"><mark>Oil</mark> &amp; gas</p>' in html


def test_other_reads_of_a_summary_queryset_are_what_they_were(
    make_cable, django_assert_num_queries
):
    from cables.models import Cable

    make_cable("06ALMATY1", "2006-08-01", tags=["PREL"])
    make_cable("06ALMATY2", "2006-08-02")
    cables = summary_queryset(Cable.objects.order_by("reference_id"))
    with django_assert_num_queries(1):
        assert cables.count() == 2
    with django_assert_num_queries(1):
        assert list(cables.values_list("reference_id", flat=True)) == ["06ALMATY1", "06ALMATY2"]
    with django_assert_num_queries(1):
        assert [row["reference_id"] for row in cables.values("reference_id")] == [
            "06ALMATY1",
            "06ALMATY2",
        ]
    with django_assert_num_queries(2):
        assert [t.code for t in cables.first().tag_labels] == ["PREL"]
    with django_assert_num_queries(0):
        assert list(cables.none()) == []
