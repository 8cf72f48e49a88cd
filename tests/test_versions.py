"""One cable from several sources: one cable kept, every source recorded, the most complete
text shown, the other versions compared with it word by word."""

import pytest

from cables.diff import Segment, differs, word_diff
from cables.importer import import_paths
from cables.models import Cable, Source

from .conftest import SEED_FILES

pytestmark = pytest.mark.django_db


def test_word_diff_marks_added_and_removed_words():
    assert word_diff("met XXXXXXXXXXXX in Astana", "met Dzhaksybekov in Astana") == [
        Segment("same", "met"),
        Segment("removed", "XXXXXXXXXXXX"),
        Segment("added", "Dzhaksybekov"),
        Segment("same", "in Astana"),
    ]


def test_rewrapped_lines_are_not_a_difference():
    assert not differs("one two\nthree", "one\ntwo three ")
    assert word_diff("one two\nthree", "one\ntwo three") == [Segment("same", "one two three")]


@pytest.fixture
def two_versions(tmp_path):
    """The same cable from two mirrors: one with a name redacted, one with it lifted."""
    text = SEED_FILES["06ALMATY2803"].read_text()
    redacted = text.replace("Maulen Ashimbayev", "XXXXXXXXXXXX")
    (tmp_path / "a_redacted.txt").write_text(redacted)
    (tmp_path / "b_lifted.txt").write_text(text)
    report = import_paths([tmp_path])
    assert (report.new, report.failed) == (1, 0)
    return Cable.objects.get()


def test_every_source_is_recorded_with_its_own_version(two_versions):
    sources = {s.path.rsplit("/", 1)[-1]: s for s in Source.objects.all()}
    assert set(sources) == {"a_redacted.txt", "b_lifted.txt"}
    assert "XXXXXXXXXXXX" in sources["a_redacted.txt"].body
    assert "Maulen Ashimbayev" in sources["b_lifted.txt"].body
    assert [s.shown for s in Source.objects.order_by("path")].count(True) == 1


def test_the_cable_page_lists_versions_and_shows_the_word_diff(client, two_versions):
    page = client.get(two_versions.get_absolute_url()).content.decode()
    assert 'id="versions"' in page
    assert "a_redacted.txt" in page and "b_lifted.txt" in page
    shown_is_redacted = "XXXXXXXXXXXX" in two_versions.body
    removed, added = (
        ("XXXXXXXXXXXX", "Maulen Ashimbayev")
        if shown_is_redacted
        else ("Maulen Ashimbayev", "XXXXXXXXXXXX")
    )
    assert f"<del>{removed}</del>" in page
    assert f"<ins>{added}</ins>" in page


def test_a_cable_from_one_source_has_no_versions_section(client, imported_seeds):
    page = client.get("/cables/06ALMATY2803/").content.decode()
    assert 'id="versions"' not in page


def test_cable_json_lists_sources_and_which_is_shown(client, two_versions):
    data = client.get(two_versions.get_json_url()).json()
    assert len(data["sources"]) == 2
    assert sorted(s["shown"] for s in data["sources"]) == [False, True]
    assert all(s["created"] == "2006-08-05T01:16:00Z" for s in data["sources"])


def test_a_copy_that_knows_the_minutes_corrects_the_time_of_the_shown_one(db, tmp_path):
    from datetime import UTC, datetime

    full = SEED_FILES["06ALMATY2803"].read_text()
    # A labelled-columns copy whose mirror knows the hour only, without routing header ...
    hour_only = full.replace("2006-08-05 01:16:00", "2006-08-05 01:01:00")
    hour_only = (
        hour_only[: hour_only.index("VZCZCXRO1435")]
        + hour_only[hour_only.index("C O N F I D E N T I A L SECTION 01") :]
    )
    (tmp_path / "a.txt").write_text(hour_only)
    import_paths([tmp_path / "a.txt"])
    cable = Cable.objects.get()
    assert cable.created == datetime(2006, 8, 5, 1, 1, tzinfo=UTC)
    cable.created_precision = "hour"  # as a cablegate page's time would be
    cable.created = datetime(2006, 8, 5, 1, 0, tzinfo=UTC)
    cable.save()
    # ... and a shorter copy with the date-time group "P 050116Z AUG 06".
    cut = full[: full.index("5. (SBU) The recent violent conflict")]
    (tmp_path / "b.txt").write_text(cut)
    report = import_paths([tmp_path / "b.txt"])
    assert report.updated == 1
    cable.refresh_from_db()
    assert (cable.created, cable.created_precision) == (
        datetime(2006, 8, 5, 1, 16, tzinfo=UTC),
        "minute",
    )
    assert cable.paragraphs.count() == 8  # the text shown is still the complete one
