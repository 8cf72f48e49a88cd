"""The cable page's short lists (citing cables, the origin's previous and next, similar
cables, people), rendered by ``cables/templatetags/cable_page.py``: the same lines the
template wrote, every piece of text escaped."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from cables.models import Cable
from cables.templatetags.cable_page import cable_line, person_line, similar_line

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"


def _cable(**fields) -> Cable:
    values = {
        "reference_id": "06ALMATY2803",
        "created": datetime(2006, 8, 5, 23, 30, tzinfo=UTC),
        "origin": "US Office Almaty",
        "subject": "KAZAKHSTAN: A MEETING",
    }
    return Cable(**(values | fields))


def test_a_cable_line_links_the_id_and_gives_its_utc_date_and_subject():
    line = cable_line(_cable(), 90)
    assert line == (
        '<a href="/cables/06ALMATY2803/">06ALMATY2803</a> '
        '<span class="muted">2006-08-05 · KAZAKHSTAN: A MEETING</span>'
    )


def test_a_cable_line_dates_the_cable_in_utc():
    # 01:30 in Almaty on the 6th is still the 5th in UTC.
    almaty = datetime(2006, 8, 6, 1, 30, tzinfo=ZoneInfo("Asia/Almaty"))
    assert '<span class="muted">2006-08-05 · ' in cable_line(_cable(created=almaty), 90)


def test_a_long_subject_is_cut_as_truncatechars_cuts_it():
    line = cable_line(_cable(subject="A" * 70), 60, rel="next")
    assert line == (
        '<a href="/cables/06ALMATY2803/" rel="next">06ALMATY2803</a> '
        f'<span class="muted">2006-08-05 · {"A" * 59}…</span>'
    )


def test_a_cable_without_subject_shows_its_date_alone():
    assert cable_line(_cable(subject=""), 90).endswith('<span class="muted">2006-08-05</span>')


def test_every_piece_of_a_cable_line_is_escaped():
    line = cable_line(_cable(subject=HOSTILE), 200, note=HOSTILE)
    assert "<script>" not in line and "'quoted'" not in line
    assert (
        line.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;")
        == 2
    )


def test_a_similar_line_counts_the_shared_tags_and_names_the_same_origin():
    cable = _cable()
    one = _cable(reference_id="06ASTANA1", origin="Embassy Astana")
    one.shared_tags = 1
    two = _cable(reference_id="06ALMATY1")
    two.shared_tags = 2
    assert "2006-08-05 · 1 tag in common · KAZAKHSTAN" in similar_line(one, cable, 80)
    assert "2006-08-05 · 2 tags in common, same origin · KAZAKHSTAN" in similar_line(two, cable, 80)


def test_a_person_line_links_the_paragraphs_naming_them():
    person = {
        "name": "Nazarbayev, Nursultan",
        "url": "/people/nazarbayev-nursultan/",
        "role": "named",
        "paragraphs": ["p1", "u2", "p10"],
    }
    assert person_line(person) == (
        '<a href="/people/nazarbayev-nursultan/">Nazarbayev, Nursultan</a> '
        '<span class="muted">named</span> <span class="person-paras">'
        '<a href="#p1">¶1</a> <a href="#u2">unnumbered ¶2</a> <a href="#p10">¶10</a></span>'
    )
    assert person_line(person | {"paragraphs": []}).endswith('<span class="muted">named</span>')


def test_every_piece_of_a_person_line_is_escaped():
    line = person_line(
        {"name": HOSTILE, "url": '/people/"x/', "role": HOSTILE, "paragraphs": ['p"1<']}
    )
    assert "<script>" not in line and '"x' not in line and 'p"1<' not in line
