"""Shared fixtures: paths to the real fixture files, and the five seed cables imported."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings

from cables.parser import Hints, ParsedCable, parse_cable
from cables.readers import read_bytes

# Property tests (hypothesis): the same examples on every run, no example database, no
# per-example deadline (a slow CI machine must not fail a test for being slow).
settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, max_examples=150, print_blob=True
)
settings.load_profile("ci")

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = FIXTURES / "seeds"

# The five seed cables, by the id each must be stored under.
SEED_FILES = {
    "06ALMATY2803": SEEDS / "000_c2cf8323adc86661.txt",
    "06ALMATY3273": SEEDS / "001_86e812920a6c1a92.txt",
    "06ALMATY2404": SEEDS / "002_81c539a1db6aed6e.txt",
    "05ALMATY956": SEEDS / "003_9624251994f520fd.txt",
    "05ALMATY538": SEEDS / "004_d02a515e59e08433.txt",
}


def parse_file(path: Path) -> ParsedCable:
    """Read and parse a one-cable file the way the importer does."""
    (record,) = list(read_bytes(path.read_bytes(), str(path)))
    return parse_cable(record.text, record.hints)


def parse_fragment(
    text: str,
    reference_id: str = "08PARIS1698",
    year: int = 2008,
    classification: str = "CONFIDENTIAL",
) -> ParsedCable:
    """Parse a fragment of a real cable (its body, or some header lines) under the id, year
    and classification a mirror would give it."""
    hints = Hints(
        reference_id=reference_id,
        created=datetime(year, 1, 1, tzinfo=UTC),
        created_has_time=False,
        created_precision="year",
        classification=classification,
    )
    return parse_cable(text, hints)


@pytest.fixture(autouse=True)
def _no_request_memo_left_behind():
    """A response a test left unread (a streaming download) never finished its request:
    what that request read once (``ArchiveState.current``) must not carry into the next
    test, whose database is another."""
    yield
    from cables.models import end_request_memo

    end_request_memo()


@pytest.fixture
def seed_dir() -> Path:
    return SEEDS


@pytest.fixture
def imported_seeds(db):
    """The five seed cables, imported through the real importer."""
    from cables.importer import import_paths

    report = import_paths([SEEDS])
    assert report.failures == [], report.failures
    assert report.new == 5
    return report


# --- Web pages: cables built directly through the ORM (added for the browse/cable/JSON
# --- tests; they do not depend on the parser or importer).


@pytest.fixture
def make_cable(db):
    """A factory: ``make_cable("06ALMATY2803", created="2006-08-05 01:16", tags=["KZ"])``.

    ``created`` is UTC ("YYYY-MM-DD" or "YYYY-MM-DD HH:MM"); ``tags`` are codes (created as
    needed, their ``cable_count`` kept) or (code, description) pairs; ``paragraphs`` are texts or dicts of Paragraph
    fields (anchors default to pN / uN); ``references`` are cited ids or dicts (``target``
    is resolved to the cited cable when it exists); ``recipients`` are (kind, name) pairs
    or dicts; ``sources`` are (path, format) pairs. Other keywords are Cable fields.
    """
    from datetime import UTC, datetime

    from cables.models import (
        Cable,
        CableTag,
        Paragraph,
        Recipient,
        Reference,
        Source,
        Tag,
    )

    def make(
        reference_id: str,
        created: str = "2006-08-05 01:16",
        *,
        tags=(),
        paragraphs=(),
        references=(),
        recipients=(),
        sources=(),
        **fields,
    ) -> Cable:
        fmt = "%Y-%m-%d %H:%M" if " " in created else "%Y-%m-%d"
        fields.setdefault("classification", "UNCLASSIFIED")
        fields.setdefault("origin", "US Office Almaty")
        fields.setdefault("subject", f"Subject of {reference_id}")
        fields.setdefault("content_hash", reference_id)
        cable = Cable.objects.create(
            reference_id=reference_id,
            created=datetime.strptime(created, fmt).replace(tzinfo=UTC),
            **fields,
        )
        for position, tag in enumerate(tags, start=1):
            code, description = (tag, "") if isinstance(tag, str) else tag
            tag_obj, created_now = Tag.objects.get_or_create(
                code=code, defaults={"description": description}
            )
            if description and not created_now and tag_obj.description != description:
                tag_obj.description = description
                tag_obj.save()
            CableTag.objects.create(cable=cable, tag=tag_obj, position=position)
        if tags:  # as the import keeps them
            Tag.objects.filter(cabletag__cable=cable).refresh_cable_counts()
        specs = [{"text": p} if isinstance(p, str) else dict(p) for p in paragraphs]
        numbers = [spec.pop("number", i) for i, spec in enumerate(specs, start=1)]
        anchors = Paragraph.anchors_for(numbers)
        for position, (spec, number, anchor) in enumerate(
            zip(specs, numbers, anchors, strict=True), 1
        ):
            spec.setdefault("anchor", anchor)
            Paragraph.objects.create(cable=cable, position=position, number=number, **spec)
        for position, ref in enumerate(references, start=1):
            spec = {"cited_id": ref, "text": ref} if isinstance(ref, str) else dict(ref)
            spec.setdefault("text", spec.get("cited_id", ""))
            target = Cable.objects.filter(reference_id=spec.get("cited_id") or None).first()
            spec.setdefault("target", target)
            Reference.objects.create(cable=cable, position=position, **spec)
        for position, rec in enumerate(recipients, start=1):
            spec = {"kind": rec[0], "name": rec[1]} if isinstance(rec, tuple) else dict(rec)
            Recipient.objects.create(cable=cable, position=position, **spec)
        for path, fmt_name in sources:
            Source.objects.create(cable=cable, path=path, format=fmt_name, content_hash="0" * 64)
        return cable

    return make


@pytest.fixture
def make_searchable(make_cable):
    """``make_cable``, then the search index brought up to date as the importer does it
    (on SQLite the triggers have done it already)."""
    from cables.search import index_cable

    def make(*args, **kwargs):
        cable = make_cable(*args, **kwargs)
        index_cable(cable.pk)
        return cable

    return make


@pytest.fixture
def mention(db):
    """A factory: ``mention(person, cable, role="named", paragraph=None)`` names a person in
    a cable as the import does: the mention, the cable's one CablePerson row for them, and
    their ``cable_count``."""
    from cables.models import CablePerson, Mention, Person

    def make(person, cable, role: str = Mention.NAMED, paragraph=None) -> Mention:
        made = Mention.objects.create(person=person, cable=cable, role=role, paragraph=paragraph)
        CablePerson.objects.get_or_create(
            person=person, cable=cable, defaults={"origin": cable.origin}
        )
        Person.objects.filter(pk=person.pk).refresh_cable_counts()
        return made

    return make


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's test databases, and before they are dropped, the connections that
    worker threads opened to them (``cables.aside``: a live server's requests, tests run
    outside a transaction): PostgreSQL drops no database with sessions open on it."""
    from cables import aside

    yield
    aside.close_connections()
