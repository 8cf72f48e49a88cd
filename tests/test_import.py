"""The import: seeds stored whole, re-imports idempotent, bad files reported and skipped."""

import re
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cables import importer
from cables.importer import import_paths
from cables.models import (
    Cable,
    CableCaveat,
    CablePerson,
    CableTag,
    Mention,
    Paragraph,
    ParagraphVector,
    Person,
    Recipient,
    Reference,
    Source,
    Tag,
)
from cables.parser import ParsedCable
from cables.readers import ReadError, input_size, iter_files, read_path

from .conftest import FIXTURES, SEED_FILES, SEEDS

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    models = (
        Cable,
        Paragraph,
        CableTag,
        Reference,
        Recipient,
        Source,
        Person,
        Mention,
        CablePerson,
    )
    return {m.__name__: m.objects.count() for m in models}


def test_all_five_seeds_are_stored_with_their_fields(imported_seeds):
    assert sorted(Cable.objects.values_list("reference_id", flat=True)) == sorted(SEED_FILES)
    cable = Cable.objects.get(reference_id="06ALMATY2803")
    assert cable.subject == "KAZAKHSTAN: AMBASSADOR'S AUGUST 1 MEETING WITH PA HEAD DZHAKSYBEKOV"
    assert cable.classification == "CONFIDENTIAL"
    assert cable.origin == "US Office Almaty"
    assert cable.classified_by == "John Ordway"
    assert cable.classification_reasons == "1.4(b), 1.4(d)"
    assert cable.signer == "ORDWAY"
    assert list(cable.tags.order_by("cabletag__position").values_list("code", flat=True)) == [
        "PREL",
        "PGOV",
        "PHUM",
        "KZ",
    ]
    assert list(cable.paragraphs.values_list("anchor", flat=True)) == [f"p{n}" for n in range(1, 9)]
    assert cable.recipients.filter(kind="action").get().name == "SECSTATE WASHDC"


def test_every_seed_has_one_source_naming_its_file_and_layout(imported_seeds):
    formats = dict(Source.objects.values_list("cable__reference_id", "format"))
    assert formats == {
        "06ALMATY2803": "text/labelled-columns",
        "06ALMATY3273": "text/five-line-header",
        "06ALMATY2404": "text/markdown",
        "05ALMATY956": "text/one-line-header",
        "05ALMATY538": "text/labelled-fields",
    }
    source = Source.objects.get(cable__reference_id="05ALMATY956")
    assert source.path.endswith("003_9624251994f520fd.txt")


def test_tags_get_descriptions_from_the_glossary(imported_seeds):
    descriptions = dict(
        Cable.objects.get(reference_id="06ALMATY2803").tags.values_list("code", "description")
    )
    assert descriptions["PREL"] == "External Political Relations"
    assert descriptions["KZ"] == "Kazakhstan"


def test_references_to_cables_in_the_archive_are_resolved_either_way(imported_seeds):
    # 06ALMATY2803 cites 06ALMATY2404 (REF C), which is imported after it (file order).
    ref = Reference.objects.get(cable__reference_id="06ALMATY2803", letter="C")
    assert ref.cited_id == "06ALMATY2404"
    assert ref.target.reference_id == "06ALMATY2404"
    missing = Reference.objects.get(cable__reference_id="06ALMATY2803", letter="A")
    assert missing.cited_id == "06ALMATY2532"
    assert missing.target is None


def test_signer_and_classifying_official_are_one_person(imported_seeds):
    person = Person.objects.get(slug="john-ordway")
    roles = set(
        person.mentions.filter(cable__reference_id="06ALMATY2803").values_list("role", flat=True)
    )
    assert roles == {Mention.SIGNER, Mention.CLASSIFIED_BY}
    assert not Person.objects.filter(slug="ordway").exists()


def test_reimporting_the_same_files_changes_nothing(imported_seeds):
    before = row_counts()
    stamps = dict(Cable.objects.values_list("reference_id", "last_changed"))
    report = import_paths([SEEDS])
    assert (report.new, report.updated, report.unchanged, report.failed) == (0, 0, 5, 0)
    assert row_counts() == before
    assert dict(Cable.objects.values_list("reference_id", "last_changed")) == stamps


def test_a_changed_file_updates_its_cable_in_place(db, tmp_path):
    path = tmp_path / "cable.txt"
    shutil.copy(SEED_FILES["06ALMATY2803"], path)
    import_paths([path])
    paragraph_count = Paragraph.objects.count()
    path.write_text(path.read_text().replace("flying milair", "flying by military aircraft"))
    report = import_paths([path])
    assert (report.new, report.updated, report.unchanged) == (0, 1, 0)
    assert Cable.objects.count() == 1
    assert Source.objects.count() == 1
    assert Paragraph.objects.count() == paragraph_count
    assert Paragraph.objects.filter(text__contains="by military aircraft").count() == 1


def test_a_more_complete_copy_from_another_file_replaces_the_shown_text(db, tmp_path):
    full = SEED_FILES["06ALMATY2803"].read_text()
    cut = full[: full.index("5. (SBU) The recent violent conflict")]
    (tmp_path / "a_cut.txt").write_text(cut)
    (tmp_path / "b_full.txt").write_text(full)
    import_paths([tmp_path / "a_cut.txt"])
    assert Cable.objects.get().partial is True
    report = import_paths([tmp_path / "b_full.txt"])
    assert report.updated == 1
    cable = Cable.objects.get()
    assert cable.partial is False
    assert cable.paragraphs.count() == 8
    assert cable.sources.count() == 2
    # And the cut copy, imported again, does not win back.
    assert import_paths([tmp_path / "a_cut.txt"]).unchanged == 1
    assert Cable.objects.get().paragraphs.count() == 8


def test_a_bad_file_among_good_ones_is_reported_and_the_rest_imported(db, tmp_path):
    shutil.copy(SEED_FILES["05ALMATY538"], tmp_path / "good.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "junk.txt").write_text("Appears in these articles:<br />\n")
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01\x02garbage")
    failures = []
    report = import_paths([tmp_path], on_failure=failures.append)
    assert report.new == 1
    assert {f.where.rsplit("/", 1)[-1]: f.reason for f in report.failures} == {
        "binary.bin": "binary file, not text",
        "empty.txt": "empty file",
        "junk.txt": "not a cable: no routing header, classification line, TAGS or SUBJECT "
        "line found",
    }
    assert len(failures) == 3


def test_a_cable_the_database_refuses_is_reported_and_leaves_nothing_half_written(
    db, tmp_path, monkeypatch
):
    from django.db import DataError

    import cables.importer

    shutil.copy(SEED_FILES["05ALMATY538"], tmp_path / "a.txt")
    shutil.copy(SEED_FILES["06ALMATY2803"], tmp_path / "b.txt")
    write_people = cables.importer._write_people

    def refuse_one(pairs):
        # Fails after the cable, its paragraphs, tags and references were written.
        if any(cable.reference_id == "06ALMATY2803" for cable, _ in pairs):
            raise DataError("value too long for type character varying(32)")
        write_people(pairs)

    monkeypatch.setattr(cables.importer, "_write_people", refuse_one)
    report = import_paths([tmp_path])
    assert report.new == 1
    (failure,) = report.failures
    assert failure.where.endswith("b.txt")
    assert failure.reason == (
        "06ALMATY2803 can't be stored: value too long for type character varying(32)"
    )
    assert list(Cable.objects.values_list("reference_id", flat=True)) == ["05ALMATY538"]
    assert not Paragraph.objects.exclude(cable__reference_id="05ALMATY538").exists()
    assert not Reference.objects.exclude(cable__reference_id="05ALMATY538").exists()


def test_a_cable_without_id_or_date_is_rejected_whole(db, tmp_path):
    (tmp_path / "noid.txt").write_text("SUBJECT: NOTHING ELSE\n\n1. (U) Some text.\n")
    report = import_paths([tmp_path])
    assert report.failed == 1
    assert "no reference id" in report.failures[0].reason
    assert row_counts() == dict.fromkeys(row_counts(), 0)


def test_command_prints_a_summary_and_fails_at_the_end_on_bad_files(db, tmp_path, capsys):
    shutil.copy(SEED_FILES["05ALMATY956"], tmp_path / "good.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_cables", str(tmp_path))
    out, err = capsys.readouterr()
    assert "Imported: 1 new, 0 updated, 0 unchanged, 1 failed." in out
    assert f"FAILED {tmp_path / 'empty.txt'}: empty file" in err
    assert Cable.objects.filter(reference_id="05ALMATY956").exists()


def test_without_a_terminal_the_command_prints_progress_with_the_time_left(db, capsys, monkeypatch):
    from cables.management.commands import import_cables

    monkeypatch.setattr(import_cables, "PROGRESS_EVERY", 2)
    call_command("import_cables", str(SEEDS), "--workers", "1")
    lines = [line for line in capsys.readouterr().out.splitlines() if "cables read" in line]
    assert [line.split(" (")[0] for line in lines] == ["2 cables read", "4 cables read"]
    size = input_size([SEEDS]) / 1e6
    for line in lines:
        assert re.search(rf"\d+% of {size:,.1f} MB, about \d+ s left$", line), line


def test_the_import_tells_how_far_it_has_read_the_input(db):
    positions: list[int] = []
    import_paths([SEEDS], on_bytes=positions.append)
    assert positions == sorted(positions)
    assert positions[-1] == input_size([SEEDS]) == sum(p.stat().st_size for p in SEEDS.iterdir())


def test_command_succeeds_quietly_on_a_clean_import(db, capsys):
    call_command("import_cables", str(SEEDS))
    call_command("import_cables", str(SEEDS))
    out = capsys.readouterr().out
    assert "Imported: 5 new, 0 updated, 0 unchanged, 0 failed." in out
    assert "Imported: 0 new, 0 updated, 5 unchanged, 0 failed." in out
    assert Cable.objects.count() == 5


def minimal_cable(post: str, serial: int, text: str) -> str:
    return (
        f"R 010101Z JAN 06\nFM AMEMBASSY {post}\nTO SECSTATE WASHDC {serial}\nBT\n"
        f"UNCLAS {post} {serial:06d}\n\nSUBJECT: TALKS\n\n1. (U) {text}\n\nBURNS\n"
    )


def test_a_surname_alone_is_one_person_per_post_with_numbered_slugs(db, tmp_path):
    (tmp_path / "a.txt").write_text(minimal_cable("MOSCOW", 1, "President Putin said no."))
    (tmp_path / "b.txt").write_text(minimal_cable("KYIV", 2, "President Putin said yes."))
    (tmp_path / "c.txt").write_text(minimal_cable("KYIV", 3, "President Putin said maybe."))
    report = import_paths([tmp_path])
    assert report.new == 3, report.failures
    people = {p.slug: (p.name, p.scope) for p in Person.objects.filter(name="Putin")}
    assert people == {"putin": ("Putin", "Embassy Moscow"), "putin-2": ("Putin", "Embassy Kyiv")}
    kyiv = Person.objects.get(slug="putin-2")
    assert sorted(kyiv.mentions.values_list("cable__reference_id", flat=True)) == [
        "06KYIV2",
        "06KYIV3",
    ]


def test_a_full_name_takes_over_the_surname_alone_seen_first_at_that_post(db, tmp_path):
    (tmp_path / "a.txt").write_text(minimal_cable("MOSCOW", 1, "President Putin said no."))
    import_paths([tmp_path / "a.txt"])
    (tmp_path / "b.txt").write_text(minimal_cable("MOSCOW", 2, "Vladimir Putin said yes."))
    import_paths([tmp_path / "b.txt"])
    (person,) = Person.objects.filter(surname_key="putin")
    assert (person.name, person.slug, person.key, person.scope) == (
        "Vladimir Putin",
        "putin",  # the slug, and so every link to the person, stays
        "putin v",
        "",
    )
    assert person.mentions.values("cable").distinct().count() == 2


def test_a_surname_alone_joins_the_one_full_name_stored_at_its_post_by_an_earlier_import(
    db, tmp_path
):
    (tmp_path / "a.txt").write_text(minimal_cable("MOSCOW", 1, "Vladimir Putin said no."))
    (tmp_path / "b.txt").write_text(minimal_cable("KYIV", 2, "Sergei Ivanov said no."))
    import_paths([tmp_path / "a.txt", tmp_path / "b.txt"])
    (tmp_path / "c.txt").write_text(
        minimal_cable("MOSCOW", 3, "President Putin said yes. Minister Ivanov said no.")
    )
    import_paths([tmp_path / "c.txt"])
    putin = Person.objects.get(surname_key="putin")
    assert putin.name == "Vladimir Putin"
    assert sorted(putin.mentions.values_list("cable__reference_id", flat=True)) == [
        "06MOSCOW1",
        "06MOSCOW3",
    ]
    # Sergei Ivanov was named at another post: Ivanov alone in Moscow is someone else.
    ivanovs = dict(Person.objects.filter(surname_key="ivanov").values_list("name", "scope"))
    assert ivanovs == {"Sergei Ivanov": "", "Ivanov": "Embassy Moscow"}


def test_people_and_tags_carry_their_counts_of_cables(imported_seeds):
    named = set(Mention.objects.values_list("cable_id", "person_id").distinct())
    assert set(CablePerson.objects.values_list("cable_id", "person_id")) == named
    assert CablePerson.objects.count() == len(named) < Mention.objects.count()
    for person in Person.objects.all():
        assert person.cable_count == len({c for c, p in named if p == person.pk}) > 0
    assert Person.objects.get(slug="john-ordway").cable_count == 3
    for tag in Tag.objects.all():
        assert tag.cable_count == CableTag.objects.filter(tag=tag).count()
    assert Tag.objects.get(code="KZ").cable_count == 4


def test_each_link_to_a_person_carries_its_cables_origin(imported_seeds):
    links = list(CablePerson.objects.values_list("origin", "cable__origin"))
    assert links
    assert all(origin == cables_origin for origin, cables_origin in links)


def test_a_cable_read_again_without_a_name_lowers_that_persons_count(db, tmp_path):
    cable = tmp_path / "a.txt"
    cable.write_text(
        minimal_cable("MOSCOW", 1, "Vladimir Putin met Foreign Minister Sergei Lavrov.")
    )
    (tmp_path / "b.txt").write_text(minimal_cable("MOSCOW", 2, "Vladimir Putin said yes."))
    import_paths([tmp_path])
    counts = dict(Person.objects.values_list("name", "cable_count"))
    assert counts == {"Vladimir Putin": 2, "Sergei Lavrov": 1, "Burns": 2}  # Burns signs
    cable.write_text(minimal_cable("MOSCOW", 1, "The ministry said nothing."))
    report = import_paths([tmp_path])
    assert (report.updated, report.unchanged) == (1, 1)
    # Lavrov is named by no cable now: gone with his row; Putin is named by one cable.
    counts = dict(Person.objects.values_list("name", "cable_count"))
    assert counts == {"Vladimir Putin": 1, "Burns": 2}
    putin = CablePerson.objects.filter(person__name="Vladimir Putin")
    assert list(putin.values_list("cable__reference_id", flat=True)) == ["06MOSCOW2"]


def test_a_reimport_does_not_parse_again_what_the_same_code_stored(imported_seeds, monkeypatch):
    import cables.importer

    def no_parsing(text, hints):
        raise AssertionError("parsed again")

    monkeypatch.setattr(cables.importer, "parse_or_error", no_parsing)
    before = row_counts()
    report = import_paths([SEEDS])
    assert (report.new, report.updated, report.unchanged, report.failed) == (0, 0, 5, 0)
    assert row_counts() == before


def test_a_reimport_after_the_code_changed_reads_every_record_again(imported_seeds, monkeypatch):
    import cables.importer

    calls = []
    parse = cables.importer.parse_or_error

    def counting(text, hints):
        calls.append(hints)
        return parse(text, hints)

    monkeypatch.setattr(cables.importer, "parse_or_error", counting)
    monkeypatch.setattr(cables.importer, "import_version", lambda: "another-version")
    before = row_counts()
    report = import_paths([SEEDS])
    assert len(calls) == 5
    assert report.unchanged == 5
    assert row_counts() == before
    assert set(Source.objects.values_list("import_version", flat=True)) == {"another-version"}


def test_more_people_of_one_name_than_numbers_looked_up_still_get_unique_slugs(db, tmp_path):
    posts = "MOSCOW KYIV PARIS ROME MADRID BERLIN LONDON TOKYO OTTAWA CAIRO LIMA QUITO".split()
    for serial, post in enumerate(posts, 1):
        (tmp_path / f"{post}.txt").write_text(
            minimal_cable(post, serial, "President Putin said no.")
        )
    report = import_paths([tmp_path])
    assert report.new == 12, report.failures
    slugs = sorted(Person.objects.filter(name="Putin").values_list("slug", flat=True))
    assert len(slugs) == 12
    assert set(slugs) == {"putin"} | {f"putin-{n}" for n in range(2, 13)}


def stored_rows() -> dict[str, list]:
    """Every row the import wrote, by natural keys (ids differ from one import to another)."""
    people = dict(Person.objects.values_list("pk", "slug"))
    cable_ids = dict(Cable.objects.values_list("pk", "reference_id"))
    paragraphs = {
        pk: (cable_ids[cable], position)
        for pk, cable, position in Paragraph.objects.values_list("pk", "cable", "position")
    }

    def rows(model, *fields, **keyed):
        found = []
        for row in model.objects.values(*fields, *keyed):
            for name, key in keyed.items():
                row[name] = key.get(row[name])
            found.append(tuple(sorted(row.items(), key=str)))
        return sorted(found, key=str)

    every = ("id", "imported", "first_imported", "last_changed", "search_vector", "title_vector")
    fields = {
        model: [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname not in every and not f.is_relation
        ]
        for model in (Cable, Paragraph, Reference, Recipient, Source, Person)
    }
    return {
        "cables": rows(Cable, *fields[Cable]),
        "caveats": rows(CableCaveat, "caveat", "position", cable=cable_ids),
        "paragraphs": rows(Paragraph, *fields[Paragraph], cable=cable_ids),
        "references": rows(Reference, *fields[Reference], cable=cable_ids, target=cable_ids),
        "recipients": rows(Recipient, *fields[Recipient], cable=cable_ids),
        "sources": rows(Source, *fields[Source], cable=cable_ids),
        "tags": rows(CableTag, "position", "tag__code", cable=cable_ids),
        "people": rows(Person, *fields[Person]),
        "mentions": rows(Mention, "role", cable=cable_ids, person=people, paragraph=paragraphs),
        "cable people": rows(CablePerson, cable=cable_ids, person=people),
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_rows_copied_in_bulk_on_postgresql_are_those_bulk_create_writes(db, monkeypatch):
    paths = [SEEDS, FIXTURES / "corpus" / "csv", FIXTURES / "people" / "sources"]
    assert import_paths(paths).failures == []
    copied = stored_rows()
    assert len(copied["mentions"]) > 100 and len(copied["paragraphs"]) > 100
    Cable.objects.all().delete()
    Person.objects.all().delete()
    monkeypatch.setattr(importer, "COPY_ON_POSTGRESQL", False)
    assert import_paths(paths).failures == []
    assert stored_rows() == copied


@pytest.mark.skipif(connection.vendor != "postgresql", reason="vectors in rows on PostgreSQL")
def test_each_batch_writes_its_cables_with_their_search_vectors(db, client, monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", 2)  # several batches
    unindexed_when_stored = []

    def on_record(outcome, record, parsed):
        cable = Cable.objects.get(reference_id=parsed.reference_id)
        if cable.search_vector is None or cable.title_vector is None:
            unindexed_when_stored.append(parsed.reference_id)
        vectors = ParagraphVector.objects.filter(cable=cable).count()
        if vectors != cable.paragraphs.count():
            unindexed_when_stored.append(parsed.reference_id)

    report = import_paths([SEEDS], on_record=on_record)
    assert report.new == 5 and report.failures == []
    assert unindexed_when_stored == []
    assert "06ALMATY2803" in search_ids(client, "Nazarbayev")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="vectors in rows on PostgreSQL")
def test_the_vectors_written_with_new_cables_are_those_a_rebuild_makes(imported_seeds):
    from cables.search import engine

    def vectors():
        cables = Cable.objects.order_by("pk").values_list("pk", "search_vector", "title_vector")
        paragraphs = ParagraphVector.objects.order_by("pk").values_list("pk", "search_vector")
        return list(cables), list(paragraphs)

    written = vectors()
    assert len(written[0]) == 5 and len(written[1]) > 40
    engine().rebuild()
    assert vectors() == written


@pytest.mark.skipif(connection.vendor != "postgresql", reason="vectors in rows on PostgreSQL")
def test_new_cables_missing_from_their_staging_table_fail_the_batch(db):
    from django.db import DatabaseError

    from cables.search import engine

    with pytest.raises(DatabaseError, match="0 of 1 new cables written"):
        with engine().staged_cables([10**9]):
            pass  # nothing written into it


@pytest.mark.skipif(connection.vendor != "postgresql", reason="vectors on PostgreSQL")
def test_a_cable_an_import_left_unindexed_is_indexed_by_the_next(imported_seeds, client):
    # What an import stopped before indexing leaves: the rows, and none of the vectors (a
    # batch's paragraph and cable vectors are written in one transaction).
    Cable.objects.filter(reference_id="06ALMATY2803").update(search_vector=None, title_vector=None)
    ParagraphVector.objects.filter(cable__reference_id="06ALMATY2803").delete()
    assert "06ALMATY2803" not in search_ids(client, "Nazarbayev")
    assert import_paths([SEEDS]).unchanged == 5
    assert "06ALMATY2803" in search_ids(client, "Nazarbayev")


def search_ids(client, q: str) -> list[str]:
    return [row["id"] for row in client.get("/cables.json", {"q": q}).json()["results"]]


def test_records_parsed_by_a_pool_of_workers_come_back_the_same_and_in_order(monkeypatch):
    monkeypatch.setattr(importer, "PARSE_CHUNK", 3)  # several chunks, one parsed ahead
    monkeypatch.setattr(importer, "PARSE_PART", 2)  # each chunk parsed in parts, put together
    records = [
        item
        for path in iter_files([SEEDS, FIXTURES / "corpus" / "csv", FIXTURES / "corpus" / "html"])
        for item in read_path(path)
        if not isinstance(item, ReadError)
    ]
    assert len(records) > 3 * importer.PARSE_CHUNK

    def parses(workers):
        return [
            (record.locator, parsed if isinstance(parsed, ParsedCable) else str(parsed))
            for record, parsed in importer.parse_records(records, workers)
        ]

    alone = parses(1)
    assert parses(2) == alone
    assert [locator for locator, _ in alone] == [record.locator for record in records]


def test_an_import_stopped_early_drops_the_records_queued_for_parsing(monkeypatch):
    monkeypatch.setattr(importer, "PARSE_CHUNK", 3)
    monkeypatch.setattr(importer, "PARSE_PART", 1)
    shutdowns = []

    class Recorded(importer.ProcessPoolExecutor):
        def shutdown(self, wait=True, *, cancel_futures=False):
            shutdowns.append((wait, cancel_futures))
            super().shutdown(wait=wait, cancel_futures=cancel_futures)

    monkeypatch.setattr(importer, "ProcessPoolExecutor", Recorded)
    records = [
        item
        for path in iter_files([SEEDS])
        for item in read_path(path)
        if not isinstance(item, ReadError)
    ] * 4
    parsed = importer.parse_records(records, 2)
    next(parsed)
    parsed.close()  # as the import does when storing fails
    assert shutdowns == [(False, True)]
    assert list(importer.parse_records(records, 2))  # a whole run waits for its workers
    assert shutdowns[1:] == [(True, False)]


def test_a_parse_has_the_fingerprint_it_had_when_dataclasses_asdict_made_it():
    # Stored fingerprints (Cable.content_hash) must stay valid, or every cable of an
    # archive would be rewritten by its next import.
    import dataclasses
    import hashlib
    import json

    def as_before(parsed: ParsedCable) -> str:
        data = dataclasses.asdict(parsed)
        data.pop("warnings")
        encoded = json.dumps(data, default=str, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(encoded.encode()).hexdigest()

    parses = [
        parsed
        for path in iter_files([SEEDS, FIXTURES / "corpus" / "csv", FIXTURES / "corpus" / "html"])
        for item in read_path(path)
        if not isinstance(item, ReadError)
        and isinstance(parsed := importer.parse_or_error(item.text, item.hints), ParsedCable)
    ]
    assert len(parses) >= 10
    assert any(parsed.people and parsed.references for parsed in parses)
    assert [importer.content_hash(p) for p in parses] == [as_before(p) for p in parses]
