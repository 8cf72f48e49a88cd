"""Format detection and decoding: what a reader makes of a file before the parser sees it."""

from datetime import UTC, datetime

import pytest

from cables.readers import ReadError, decode, iter_files, read_bytes

from .conftest import SEED_FILES


def read_one(path):
    (record,) = list(read_bytes(path.read_bytes(), str(path)))
    return record


def test_labelled_columns_layout_gives_every_hint():
    hints = read_one(SEED_FILES["06ALMATY2803"]).hints
    assert hints.reference_id == "06ALMATY2803"
    assert hints.created == datetime(2006, 8, 5, 1, 16, tzinfo=UTC)
    assert hints.classification == "CONFIDENTIAL"
    assert hints.origin == "US Office Almaty"
    assert hints.title == "KAZAKHSTAN: AMBASSADOR'S AUGUST 1 MEETING WITH PA"
    assert hints.tags == ["PREL", "PGOV", "PHUM", "KZ"]


def test_five_line_header_date_is_known_to_lack_the_time():
    hints = read_one(SEED_FILES["06ALMATY3273"]).hints
    assert hints.created == datetime(2006, 9, 18, tzinfo=UTC)
    assert hints.created_has_time is False
    assert hints.title == "BOUCHER TO DZHAKSYBEKOV: CONCRETE PROGRESS ON"
    assert hints.origin == "US Office Almaty"


def test_mirror_clutter_never_reaches_the_parser():
    text = read_one(SEED_FILES["05ALMATY956"]).text
    assert "wikileaks ico" not in text
    assert "pdf" not in text.split("\n")[0]
    assert text.lstrip().startswith("UNCLAS  ALMATY 000956")
    footer = read_one(SEED_FILES["05ALMATY538"]).text
    assert "Latest source of this page" not in footer
    assert "Disclaimer" not in footer


def test_markdown_file_has_no_hints():
    record = read_one(SEED_FILES["06ALMATY2404"])
    assert record.format == "text/markdown"
    assert record.hints.reference_id == ""
    assert record.hints.created is None


def test_cp1252_text_is_decoded_with_its_pilcrows():
    assert decode("\u00b61. (C) Caf\u00e9 society.".encode("cp1252")) == "¶1. (C) Café society."


def test_mojibake_is_repaired():
    assert decode("Kazakhstan\u00e2\u20ac\u2122s fa\u00c3\u00a7ade".encode()) == (
        "Kazakhstan\u2019s fa\u00e7ade"
    )


def test_utf8_byte_order_mark_is_dropped():
    assert decode(b"\xef\xbb\xbfTAGS: PREL") == "TAGS: PREL"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"PK\x03\x04\x00\x00binary", "binary file, not text"),
        (b"Appears in these articles:<br />", "not a cable"),
    ],
)
def test_unreadable_files_raise_a_clear_reason(content, reason):
    with pytest.raises(ReadError, match=reason):
        list(read_bytes(content, "some/file"))


def test_folders_are_walked_recursively_in_order_without_hidden_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / ".hidden").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])] == [
        "a.txt",
        "b/2.txt",
    ]
