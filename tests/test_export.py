"""``manage.py export_cables``: every cable as one JSON object per line."""

import json
from io import StringIO

import pytest
from django.core.management import call_command, get_commands, load_command_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_cables(make_cable):
    make_cable("06ALMATY2404", "2006-07-07 06:53", tags=["KZ"], paragraphs=["One."])
    make_cable(
        "06ALMATY2803",
        "2006-08-05 01:16",
        tags=["PREL", "KZ"],
        references=["06ALMATY2404", "06ALMATY9999"],
        paragraphs=["Über «quotes»\n\nand a second block", {"number": None, "text": "SIGNED"}],
        recipients=[("action", "SECSTATE WASHDC")],
        sources=[("a.txt", "text/plain")],
    )
    make_cable("05ALMATY538", "2005-02-10 12:00", subject="line\nbreak", partial=True)


def export(*args) -> list[str]:
    out = StringIO()
    call_command("export_cables", *args, stdout=out)
    return out.getvalue().splitlines()


def test_export_writes_one_json_object_per_cable_ordered_by_id(three_cables):
    lines = export()
    assert len(lines) == 3
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == ["05ALMATY538", "06ALMATY2404", "06ALMATY2803"]


def test_each_line_is_what_the_cable_json_page_returns(client, three_cables):
    for line in export("--base-url", "http://testserver"):
        record = json.loads(line)
        assert record == client.get(f"/cables/{record['id']}.json").json()


def test_text_stays_readable_utf8_and_newlines_stay_inside_strings(three_cables):
    lines = export()
    assert any("Über «quotes»" in line for line in lines)
    record = json.loads(lines[0])
    assert record["subject"] == "line\nbreak"
    assert record["partial"] is True


def test_export_to_a_file(three_cables, tmp_path):
    target = tmp_path / "cables.jsonl"
    out = StringIO()
    call_command("export_cables", "--output", str(target), stdout=out)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [
        "05ALMATY538",
        "06ALMATY2404",
        "06ALMATY2803",
    ]
    assert "Exported 3 cable(s)" in out.getvalue()


def test_small_batches_give_the_same_output(three_cables):
    assert export("--batch-size", "1") == export()


def test_an_empty_archive_exports_nothing(db):
    assert export() == []


def test_export_queries_per_batch_not_per_cable(make_cable, django_assert_max_num_queries):
    for i in range(25):
        make_cable(f"06MANY{i:03d}", tags=["KZ", "PREL"], paragraphs=["a", "b"], references=["X"])
    # One query for the cables and one per prefetched relation, per batch of 500.
    with django_assert_max_num_queries(8):
        lines = export()
    assert len(lines) == 25
    # With batches of 10 there are three batches.
    with django_assert_max_num_queries(3 * 7 + 1):
        assert len(export("--batch-size", "10")) == 25


def test_the_command_explains_itself():
    command = load_command_class(get_commands()["export_cables"], "export_cables")
    assert "JSON Lines" in command.help
    assert "--output" in command.create_parser("manage.py", "export_cables").format_help()


def test_seed_cables_export(imported_seeds):
    records = [json.loads(line) for line in export()]
    assert [r["id"] for r in records] == [
        "05ALMATY538",
        "05ALMATY956",
        "06ALMATY2404",
        "06ALMATY2803",
        "06ALMATY3273",
    ]
    assert all(r["paragraphs"] for r in records)


def test_without_a_base_url_citations_hold_the_site_relative_url(three_cables):
    record = json.loads(export()[2])
    assert record["paragraphs"][0]["citation"] == (
        "06ALMATY2803 (2006-08-05, UNCLASSIFIED), para. 1, /cables/06ALMATY2803/#p1"
    )
