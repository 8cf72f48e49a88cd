"""Bad input (issue 7): each bad file sits among good ones in the folder imported. Each is
reported with its path and what is wrong with it; nothing of it is stored (the row counts of
every model are those of the good files imported alone); the good files are imported."""

import csv
import io
import os
import shutil
import tarfile
import tracemalloc
import zipfile

import pytest
from django.db import transaction

from cables.importer import import_paths
from cables.models import Cable, CableTag, Mention, Paragraph, Person, Recipient, Reference, Source
from cables.readers import MAX_LINE_BYTES, archive

from .conftest import FIXTURES, SEED_FILES

pytestmark = pytest.mark.django_db

GOOD = {"06ALMATY2803": SEED_FILES["06ALMATY2803"], "05ALMATY956": SEED_FILES["05ALMATY956"]}
CSV_FIXTURE = FIXTURES / "corpus/csv/us-office-almaty.csv"
HTML_FIXTURE = FIXTURES / "corpus/html/06SANJOSE707.html"


def row_counts() -> dict[str, int]:
    models = (Cable, Paragraph, CableTag, Reference, Recipient, Source, Person, Mention)
    return {m.__name__: m.objects.count() for m in models}


def counts_of(paths) -> dict[str, int]:
    """The row counts an import of these paths leaves, rolled back afterwards."""
    with transaction.atomic():
        report = import_paths(paths)
        assert report.failures == [], report.failures
        counts = row_counts()
        transaction.set_rollback(True)
    return counts


@pytest.fixture
def folder(tmp_path):
    """A folder holding two good seed cables (under good/) to which a test adds bad files."""
    root = tmp_path / "import"
    (root / "good").mkdir(parents=True)
    for ref_id, path in GOOD.items():
        shutil.copy(path, root / "good" / f"{ref_id}.txt")
    return root


def import_with_bad_files(folder, extra_good=()):
    """Import the folder; check that the good cables and nothing else were stored. Returns
    the failures as {path relative to the folder: reason}."""
    expected = counts_of([folder / "good", *extra_good])
    report = import_paths([folder])
    assert row_counts() == expected, (report.failures, list(Source.objects.values_list("path")))
    stored = set(Cable.objects.values_list("reference_id", flat=True))
    assert set(GOOD) <= stored
    assert Source.objects.count() == len(stored)
    return {f.where.removeprefix(f"{folder}/"): f.reason for f in report.failures}


def test_an_empty_file(folder):
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \r\n\n\t\n")
    assert import_with_bad_files(folder) == {"blank.txt": "empty file", "empty.txt": "empty file"}


def test_a_binary_file(folder):
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(4096))
    assert import_with_bad_files(folder) == {"image.png": "binary file, not text"}


def test_a_huge_single_line_file_is_refused_without_being_held_in_memory(folder):
    size = 100 * 1024 * 1024
    chunk = b"UNCLAS ALMATY 000956 " * (1024 * 1024 // 21)
    with open(folder / "huge.txt", "wb") as out:
        written = 0
        while written < size:
            out.write(chunk)
            written += len(chunk)
    assert (folder / "huge.txt").stat().st_size >= size
    assert b"\n" not in (folder / "huge.txt").read_bytes()[:1024]
    tracemalloc.start()
    try:
        report = import_paths([folder / "huge.txt"])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The reader stops at the limit: it holds at most MAX_LINE_BYTES and one chunk.
    assert peak < MAX_LINE_BYTES + 16 * 1024 * 1024, f"peak {peak / 2**20:.0f} MB"
    assert [(f.where, f.reason) for f in report.failures] == [
        (
            str(folder / "huge.txt"),
            "line 1 is longer than 16 MB: not a cable file, not read further",
        )
    ]
    assert import_with_bad_files(folder) == {
        "huge.txt": "line 1 is longer than 16 MB: not a cable file, not read further"
    }


def test_wrong_encodings(folder, tmp_path):
    text = SEED_FILES["05ALMATY538"].read_text()
    assert "\u00e9" not in text
    accented = text.replace("SUBJECT: ", "SUBJECT: CAF\u00c9 ", 1)
    (folder / "ebcdic.txt").write_bytes(text.encode("cp500"))
    # Readable ones are read: cp1252 and UTF-16 (with or without its byte-order mark).
    other = tmp_path / "other"
    other.mkdir()
    (other / "cp1252.txt").write_bytes(accented.encode("cp1252"))
    (folder / "cp1252.txt").write_bytes(accented.encode("cp1252"))
    for ref_id, codec in (("06ALMATY3273", "utf-16"), ("06ALMATY2404", "utf-16-le")):
        shutil.copy(SEED_FILES[ref_id], other / f"{ref_id}.txt")
        (folder / f"{codec}.txt").write_bytes(SEED_FILES[ref_id].read_text().encode(codec))
    failures = import_with_bad_files(folder, extra_good=[other])
    assert failures == {
        "ebcdic.txt": "not a cable, and not text in a known encoding (UTF-8, UTF-16, cp1252): "
        "76% of its bytes are not ASCII"
    }
    cable = Cable.objects.get(reference_id="05ALMATY538")
    assert cable.subject.startswith("CAF\u00c9 ")
    assert Cable.objects.count() == 5


def test_truncated_html_pages(folder):
    page = HTML_FIXTURE.read_text()
    body_pre = page.index("<pre", page.index("</pre>"))
    (folder / "cut_in_text.html").write_text(page[: body_pre + 2000])
    (folder / "cut_in_table.html").write_text(page[: page.index("<table class=") + 300])
    (folder / "cut_before_table.html").write_text(page[: page.index("<table class=") - 100])
    assert import_with_bad_files(folder) == {
        "cut_in_text.html": "06SANJOSE707: truncated HTML page: it ends inside the cable text "
        "(a <pre> block is not closed)",
        "cut_in_table.html": "truncated HTML page: it ends inside the cable table",
        "cut_before_table.html": "truncated HTML page: it ends before the cable table",
    }
    assert not Cable.objects.filter(reference_id="06SANJOSE707").exists()


def fixture_rows() -> list[list[str]]:
    rows = [r for r in csv.reader(io.StringIO(CSV_FIXTURE.read_text()), **CSV_DIALECT) if r]
    assert [r[2] for r in rows] == ["99ALMATY12359", "05ALMATY13", "05ALMATY24"]
    return rows


CSV_DIALECT = {"escapechar": "\\", "doublequote": False}


def write_csv(path, rows) -> None:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n", **CSV_DIALECT).writerows(rows)
    path.write_text("\n" + out.getvalue())


def test_csv_rows_with_seven_or_nine_fields(folder, tmp_path):
    first, second, third = fixture_rows()
    write_csv(folder / "cables.csv", [first, second[:5] + second[6:], third + ["extra"]])
    write_csv(tmp_path / "good.csv", [first])
    assert import_with_bad_files(folder, extra_good=[tmp_path / "good.csv"]) == {
        # Where the row's first column is a number, it names the row.
        "cables.csv:row 24875": "expected 8 columns, found 7",
        "cables.csv:row 24880": "expected 8 columns, found 9",
    }
    assert Cable.objects.filter(reference_id="99ALMATY12359").exists()
    assert not Cable.objects.filter(reference_id__in=["05ALMATY13", "05ALMATY24"]).exists()


def test_duplicate_ids_inside_one_file(folder, tmp_path):
    first, second, third = fixture_rows()
    again = list(first)
    again[0] = "2000"
    again[7] = again[7].replace("DUSHANBE", "DUSHANBE AGAIN")  # another text: not shown
    write_csv(folder / "cables.csv", [first, second, again, third])
    write_csv(tmp_path / "good.csv", [first, second, third])
    assert import_with_bad_files(folder, extra_good=[tmp_path / "good.csv"]) == {
        "cables.csv:row 2000": f"duplicate id 99ALMATY12359: {folder}/cables.csv:row 1035 in the "
        "same file has it already; this one is skipped"
    }
    cable = Cable.objects.get(reference_id="99ALMATY12359")
    assert "DUSHANBE AGAIN" not in cable.body
    assert Cable.objects.count() == 5
    # Imported again (the first row now skipped as unchanged), the duplicate is still one.
    body = cable.body
    again_report = import_paths([folder / "cables.csv"])
    assert [f.reason for f in again_report.failures] == [
        f"duplicate id 99ALMATY12359: {folder}/cables.csv:row 1035 in the same file has it "
        "already; this one is skipped"
    ]
    assert (again_report.new, again_report.updated) == (0, 0)
    cable.refresh_from_db()
    assert cable.body == body
    # The same cable in two files is two sources of one cable, not a duplicate.
    assert import_paths([CSV_FIXTURE]).failures == []
    assert cable.sources.count() == 2


def test_ids_that_only_look_like_ids(folder):
    rows = fixture_rows()
    rows[0][2] = "O5ALMATY12359"  # letter O for zero
    rows[1][2] = "05ALMATY"  # no serial
    rows[2][2] = "05ALMATY24/ 2"
    write_csv(folder / "cables.csv", rows)
    labelled = SEED_FILES["06ALMATY2803"].read_text().replace("06ALMATY2803", "06-ALMATY-2803", 1)
    (folder / "labelled.txt").write_text(labelled)
    (folder / "long.txt").write_text(
        SEED_FILES["06ALMATY2803"].read_text().replace("06ALMATY2803", "06ALMATY" + "2" * 80, 1)
    )

    def why(ref_id):
        return (
            f"id {ref_id!r} is not a cable reference id (year, post and serial, as "
            "06ALMATY2803): not stored"
        )

    assert import_with_bad_files(folder) == {
        "cables.csv:row 1035": why("O5ALMATY12359"),
        "cables.csv:row 24875": why("05ALMATY"),
        "cables.csv:row 24880": why("05ALMATY24/ 2"),
        "labelled.txt": why("06-ALMATY-2803"),
        "long.txt": f"id {'06ALMATY' + '2' * 32!r}... is longer than 64 characters",
    }


def add_to_tar(tar, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def test_a_tar_and_a_zip_with_path_traversal_names(folder, tmp_path):
    cable = SEED_FILES["05ALMATY538"].read_bytes()
    with tarfile.open(folder / "cables.tar.gz", "w:gz") as tar:
        add_to_tar(tar, "../../outside.txt", cable)
        add_to_tar(tar, "/etc/cable.txt", cable)
        add_to_tar(tar, "cables/05ALMATY538.txt", cable)
    with zipfile.ZipFile(folder / "cables.zip", "w") as zf:
        zf.writestr("a/../../outside.txt", cable)
        zf.writestr("/abs.txt", cable)
    unsafe = "unsafe path in archive (absolute or '..'): skipped"
    assert import_with_bad_files(folder, extra_good=[SEED_FILES["05ALMATY538"]]) == {
        "cables.tar.gz!../../outside.txt": unsafe,
        "cables.tar.gz!/etc/cable.txt": unsafe,
        "cables.zip!a/../../outside.txt": unsafe,
        "cables.zip!/abs.txt": unsafe,
    }
    # Archives are read in place: nothing is written anywhere, inside or out.
    assert not (tmp_path / "outside.txt").exists() and not (folder / "outside.txt").exists()
    (source,) = Source.objects.filter(cable__reference_id="05ALMATY538")
    assert source.path == f"{folder}/cables.tar.gz!cables/05ALMATY538.txt"


def test_a_zip_bomb_is_refused_without_being_decompressed(folder):
    with zipfile.ZipFile(folder / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("bomb.txt", "w") as member:
            zeros = b"\0" * (1024 * 1024)
            for _ in range(64):
                member.write(zeros)
        zf.write(SEED_FILES["05ALMATY538"], "cables/05ALMATY538.txt")
    with zipfile.ZipFile(folder / "bomb.zip") as zf:
        info = zf.getinfo("bomb.txt")
    assert (folder / "bomb.zip").stat().st_size < 1024 * 1024
    ratio = info.file_size / info.compress_size
    tracemalloc.start()
    try:
        failures = import_with_bad_files(folder, extra_good=[SEED_FILES["05ALMATY538"]])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert failures == {
        "bomb.zip!bomb.txt": f"possible zip bomb: {info.compress_size} bytes unpack to "
        f"{64 * 1024 * 1024} ({ratio:.0f} times more; at most 100 allowed): skipped, "
        "not decompressed"
    }
    assert peak < 32 * 1024 * 1024


def test_archive_members_past_the_size_limit_are_skipped(folder, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 7000)
    small = SEED_FILES["06ALMATY2404"].read_bytes()
    large = SEED_FILES["06ALMATY3273"].read_bytes()
    assert len(small) < 7000 < len(large)
    with tarfile.open(folder / "cables.tar.xz", "w:xz") as tar:
        add_to_tar(tar, "large.txt", large)
        add_to_tar(tar, "small.txt", small)
    with zipfile.ZipFile(folder / "cables.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("large.txt", large)
    message = (
        f"member unpacks to {len(large)} bytes, more than the 7000 allowed: skipped, "
        "not decompressed"
    )
    assert import_with_bad_files(folder, extra_good=[SEED_FILES["06ALMATY2404"]]) == {
        "cables.tar.xz!large.txt": message,
        "cables.zip!large.txt": message,
    }
    assert not Cable.objects.filter(reference_id="06ALMATY3273").exists()
