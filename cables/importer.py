"""Store parsed cables: the bridge from the pure parser to the models.

Idempotent by natural key (the reference id): a record whose parsed fields are unchanged
writes nothing; each cable is written in its own transaction, whole or not at all.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.db import DatabaseError, transaction

from .glossary import describe
from .models import Cable, CableTag, Mention, Paragraph, Person, Recipient, Reference, Source, Tag
from .parser import ParsedCable, ParseError, parse_cable
from .readers import RawRecord, ReadError, iter_files, read_path
from .search import index_cable

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


class Failure(NamedTuple):
    where: str  # the file, archive member or record
    reason: str
    format: str  # the record's format; "" where the file's format was not recognised


@dataclass
class ImportReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def summary(self) -> str:
        return (
            f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.failed} failed"
        )


def content_hash(parsed: ParsedCable) -> str:
    """A fingerprint of everything we store from a parse; warnings don't count."""
    data = dataclasses.asdict(parsed)
    data.pop("warnings")
    encoded = json.dumps(data, default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def completeness(parsed: ParsedCable | Cable) -> tuple:
    """Which of two versions of a cable to show: whole before partial, then the longer text."""
    return (not parsed.partial, len(parsed.body))


def import_paths(
    paths: Iterable[str | Path],
    on_failure: Callable[[Failure], None] | None = None,
    on_record: Callable[[str, RawRecord, ParsedCable], None] | None = None,
) -> ImportReport:
    """Import every cable in the given files and folders. One bad file never stops the rest.

    Records that carry an id but no date (body-only texts) are kept until the end of the run
    and completed from the cable another source stored, where there is one."""
    report = ImportReport()
    deferred: list[tuple[RawRecord, str]] = []

    def fail(where: str, reason: str, format: str = "") -> None:
        failure = Failure(where, reason, format)
        report.failures.append(failure)
        if on_failure:
            on_failure(failure)

    def store(record: RawRecord) -> None:
        try:
            parsed = parse_cable(record.text, record.hints)
        except ParseError as error:
            if record.hints.reference_id and record.hints.created is None:
                deferred.append((record, str(error)))
            else:
                fail(record.locator, str(error), record.format)
            return
        try:
            outcome = store_cable(parsed, record)
        except DatabaseError as error:
            # The cable's transaction rolled back whole; the rest of the import goes on.
            fail(record.locator, f"{parsed.reference_id} can't be stored: {error}", record.format)
            return
        report.count(outcome)
        if on_record:
            on_record(outcome, record, parsed)

    for path in iter_files(paths):
        try:
            for item in read_path(path):
                if isinstance(item, ReadError):
                    fail(item.locator or str(path), str(item), item.format)
                else:
                    store(item)
        except ReadError as error:
            fail(error.locator or str(path), str(error))

    for record, reason in deferred:
        known = Cable.objects.filter(reference_id=record.hints.reference_id).first()
        if known is None:
            fail(
                record.locator,
                f"{reason}; and no other source of {record.hints.reference_id} "
                "is in the archive to date it",
                record.format,
            )
            continue
        record.hints.created = known.created
        record.hints.classification = record.hints.classification or known.classification
        record.hints.origin = record.hints.origin or known.origin
        store(record)
    return report


def store_cable(parsed: ParsedCable, record: RawRecord) -> str:
    """Write one parsed cable and its source; returns NEW, UPDATED or UNCHANGED."""
    fingerprint = content_hash(parsed)
    record_hash = hashlib.sha256(record.text.encode()).hexdigest()
    with transaction.atomic():
        cable = Cable.objects.select_for_update().filter(reference_id=parsed.reference_id).first()
        source = cable.sources.filter(path=record.locator).first() if cable else None
        if cable is None:
            cable = Cable(reference_id=parsed.reference_id)
            outcome = NEW
        elif cable.content_hash == fingerprint:
            outcome = UNCHANGED
        elif (source is not None and source.shown) or completeness(parsed) > completeness(cable):
            # The shown file changed (or is parsed better now), or a more complete version.
            outcome = UPDATED
        else:
            outcome = UNCHANGED  # a less complete copy: recorded as a source only

        if outcome in (NEW, UPDATED):
            _write_cable(cable, parsed, fingerprint, replace=outcome == UPDATED)
            cable.sources.exclude(path=record.locator).filter(shown=True).update(shown=False)
        elif _more_precise_time(parsed, cable):
            # A less complete copy that knows the minutes the shown one lacks (a cablegate
            # extract without routing header, beside its cables.csv row).
            cable.created, cable.created_precision = parsed.created, parsed.created_precision
            cable.save(update_fields=["created", "created_precision", "last_changed"])
            outcome = UPDATED
        shown = outcome in (NEW, UPDATED) or (source is not None and source.shown)
        version = {
            "format": record.format,
            "content_hash": record_hash,
            "shown": shown,
            "created": parsed.created,
            "subject": parsed.subject,
            "body": parsed.body,
            "partial": parsed.partial,
        }
        if source is None:
            Source.objects.create(cable=cable, path=record.locator, **version)
        elif any(getattr(source, name) != value for name, value in version.items()):
            for name, value in version.items():
                setattr(source, name, value)
            source.save(update_fields=list(version))
    return outcome


PRECISION_RANK = {"day": 0, "hour": 1, "minute": 2}


def _more_precise_time(parsed: ParsedCable, cable: Cable) -> bool:
    """The same moment, told more precisely (same day, and same hour where both know it)."""
    if PRECISION_RANK[parsed.created_precision] <= PRECISION_RANK[cable.created_precision]:
        return False
    same_day = parsed.created.date() == cable.created.date()
    same_hour = cable.created_precision == "day" or parsed.created.hour == cable.created.hour
    return same_day and same_hour


def _write_cable(cable: Cable, parsed: ParsedCable, fingerprint: str, replace: bool) -> None:
    cable.created = parsed.created
    cable.created_precision = parsed.created_precision
    cable.classification = parsed.classification
    cable.origin = parsed.origin
    cable.subject = parsed.subject
    cable.subject_marking = parsed.subject_marking
    cable.summary = parsed.summary
    cable.keywords = parsed.keywords
    cable.classified_by = parsed.classified_by
    cable.classification_reasons = ", ".join(parsed.reasons)
    cable.declassify_on = parsed.declassify_on
    cable.signer = parsed.signer
    cable.header = parsed.header
    cable.body = parsed.body
    cable.partial = parsed.partial
    cable.content_hash = fingerprint
    cable.save()
    if replace:
        # Children are rewritten whole: cheaper and simpler than diffing them.
        for related in (cable.paragraphs, cable.references, cable.recipients, cable.mentions):
            related.all().delete()
        CableTag.objects.filter(cable=cable).delete()

    Paragraph.objects.bulk_create(
        Paragraph(
            cable=cable,
            position=p.position,
            number=p.number,
            marking=p.marking,
            heading=p.heading,
            anchor=anchor,
            text=p.text,
        )
        for p, anchor in zip(
            parsed.paragraphs,
            Paragraph.anchors_for([p.number for p in parsed.paragraphs]),
            strict=True,
        )
    )
    _write_tags(cable, parsed.tags)
    cited = {r.cable_id for r in parsed.references if r.cable_id}
    targets = dict(Cable.objects.filter(reference_id__in=cited).values_list("reference_id", "id"))
    Reference.objects.bulk_create(
        Reference(
            cable=cable,
            position=i,
            letter=r.letter,
            text=r.text[:500],
            cited_id=r.cable_id,
            kind=r.kind,
            target_id=targets.get(r.cable_id),
        )
        for i, r in enumerate(parsed.references, 1)
    )
    # Cables already in the archive that cite this one now have their target.
    Reference.objects.filter(cited_id=cable.reference_id, target__isnull=True).update(target=cable)
    Recipient.objects.bulk_create(
        Recipient(
            cable=cable,
            position=i,
            kind=r.kind,
            name=r.name[:300],
            route=r.route,
            precedence=r.precedence,
            mcn=r.mcn or "",
        )
        for i, r in enumerate(parsed.recipients, 1)
    )
    _write_people(cable, parsed)
    index_cable(cable.pk)  # the search vectors of the cable and its paragraphs


def _write_tags(cable: Cable, codes: list[str]) -> None:
    if not codes:
        return
    existing = {t.code: t for t in Tag.objects.filter(code__in=codes)}
    missing = []
    for code in codes:
        description, kind = describe(code)
        tag = existing.get(code)
        if tag is None:
            missing.append(Tag(code=code, description=description, kind=kind))
        elif (description and tag.description != description) or tag.kind != kind:
            # The glossary changed since the tag was stored (a description set by hand
            # stays where the glossary has none).
            tag.description, tag.kind = description or tag.description, kind
            tag.save(update_fields=["description", "kind"])
    Tag.objects.bulk_create(missing, ignore_conflicts=True)
    if missing:
        existing = {t.code: t for t in Tag.objects.filter(code__in=codes)}
    CableTag.objects.bulk_create(
        CableTag(cable=cable, tag=existing[code], position=i) for i, code in enumerate(codes, 1)
    )


def _write_people(cable: Cable, parsed: ParsedCable) -> None:
    """The classifying official and the signer, as people.

    The signer signs with a surname in capitals (ORDWAY). Where a person with that surname has
    already been named by a cable of the same post (John Ordway, classifying), the signer is
    that person; where the surname alone came first, the full name takes it over later."""
    if parsed.classified_by:
        person = _person_with_full_name(parsed.classified_by, cable.origin)
        Mention.objects.get_or_create(
            person=person, cable=cable, role=Mention.CLASSIFIED_BY, paragraph=None
        )
    if parsed.signer:
        person = _person_for_surname(parsed.signer, cable.origin)
        Mention.objects.get_or_create(
            person=person, cable=cable, role=Mention.SIGNER, paragraph=None
        )


def _same_post(people, origin: str):
    return people.filter(mentions__cable__origin=origin).distinct()


def _person_for_surname(surname: str, origin: str) -> Person:
    surname = surname.title()
    candidates = list(_same_post(Person.objects.filter(name__iendswith=f" {surname}"), origin))
    if len(candidates) == 1:
        return candidates[0]
    person, _ = Person.objects.get_or_create(
        slug=Person.slug_for(surname), defaults={"name": surname}
    )
    return person


def _person_with_full_name(name: str, origin: str) -> Person:
    slug = Person.slug_for(name)
    person = Person.objects.filter(slug=slug).first()
    surname_only = _same_post(Person.objects.filter(name__iexact=name.split()[-1]), origin).first()
    if person is None and surname_only is not None and len(name.split()) > 1:
        # The surname alone was seen first (a signer): it was this person all along.
        surname_only.name, surname_only.slug = name, slug
        surname_only.save(update_fields=["name", "slug"])
        return surname_only
    if person is None:
        person = Person.objects.create(name=name, slug=slug)
    return person
