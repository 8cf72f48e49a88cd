"""Store parsed cables: the bridge from the pure parser to the models.

Idempotent by natural key (the reference id): a record whose parsed fields are unchanged
writes nothing. New cables are written a batch to a transaction (rows copied on PostgreSQL),
and a batch that fails is written again one cable to a transaction, so each cable is stored
whole or not at all, with its search vectors.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import logging
import multiprocessing
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from django.db import DatabaseError, connection, models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .glossary import describe
from .models import (
    ArchiveState,
    Cable,
    CableCaveat,
    CablePerson,
    CableTag,
    Mention,
    Paragraph,
    Person,
    Recipient,
    Reference,
    Source,
    Tag,
    split_classification,
)
from .parser import ParsedCable, ParseError, parse_each, parse_or_error, person_key
from .parser.fields import REFERENCE_ID
from .readers import RawRecord, ReadError, iter_files, read_path
from .search import engine as search_engine
from .search import index_cable, index_cables

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"

logger = logging.getLogger(__name__)


# Cables stored per batch: large enough that a batch's bulk statements amortise their round
# trips, small enough that one bad cable costs little (the batch is then stored one by one).
BATCH_SIZE = 500
# Records handed to the parsing pool at a time (bounds the memory the import holds).
PARSE_CHUNK = 1000
# Chunks given to the pool ahead of the one being stored: the workers parse on while the
# import waits for PostgreSQL, instead of idling once one chunk ahead is done.
PARSE_AHEAD = 2
# Records a worker parses per round trip: few enough that the two workers share a chunk
# evenly, enough that the pickling of a task is paid rarely.
PARSE_PART = 16
# Rows written by COPY on PostgreSQL (``_insert_rows``); off, by ``bulk_create`` as elsewhere
# (the tests compare the two).
COPY_ON_POSTGRESQL = True


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
    data = dict(vars(parsed))
    del data["warnings"]
    encoded = json.dumps(data, default=_json_value, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _json_value(value: Any) -> Any:
    """The parse's dataclasses as their fields, anything else (dates) as text: the JSON that
    ``dataclasses.asdict`` gave, without its deep copy of the parse (0.3 ms a cable). (The
    same while the parser's dataclasses hold nothing but their fields: an attribute set on
    an instance besides them would count here, not there.)"""
    if dataclasses.is_dataclass(value):
        return vars(value)
    return str(value)


def completeness(parsed: ParsedCable | Cable) -> tuple:
    """Which of two versions of a cable to show: whole before partial, then the longer text."""
    return (not parsed.partial, len(parsed.body))


def import_paths(
    paths: Iterable[str | Path],
    on_failure: Callable[[Failure], None] | None = None,
    on_record: Callable[[str, RawRecord, ParsedCable], None] | None = None,
    workers: int = 1,
    skip_unchanged: bool = True,
    on_bytes: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import every cable in the given files and folders. One bad file never stops the rest.

    A record stored before from the same place, with the same text, by the same code
    (``import_version``) is counted unchanged without being parsed again (``on_record`` then
    gets ``None`` for the parse), unless ``skip_unchanged`` is off.

    Records are parsed on ``workers`` processes and stored in batches: a batch's new cables
    in a few bulk statements, the others (a second source of a cable, a changed cable) one by
    one as ``store_cable`` does. Records that carry an id but no date (body-only texts) are
    kept until the end of the run and completed from the cable another source stored, where
    there is one.

    ``on_bytes`` is told, as reading goes on, how many bytes of the input (``input_size``)
    have been read: a little ahead of the cables stored, which follow a chunk behind."""
    report = ImportReport()
    deferred: list[tuple[RawRecord, str]] = []

    def fail(where: str, reason: str, format: str = "") -> None:
        failure = Failure(where, reason, format)
        report.failures.append(failure)
        if on_failure:
            on_failure(failure)

    def records() -> Iterator[RawRecord]:
        done_before = 0  # the bytes of the files read whole
        for path in iter_files(paths):

            def on_position(position: int, done_before: int = done_before) -> None:
                if on_bytes is not None:
                    on_bytes(done_before + position)

            try:
                for item in read_path(path, on_position):
                    if isinstance(item, ReadError):
                        fail(item.locator or str(path), str(item), item.format)
                    else:
                        yield item
            except ReadError as error:
                fail(error.locator or str(path), str(error))
            try:
                done_before += path.stat().st_size
            except OSError:
                pass
            if on_bytes is not None:
                on_bytes(done_before)

    def stored(outcome: str, record: RawRecord, parsed: ParsedCable) -> None:
        report.count(outcome)
        if on_record:
            on_record(outcome, record, parsed)

    def store_one(record: RawRecord, parsed: ParsedCable) -> None:
        try:
            outcome = store_cable(parsed, record)
        except DatabaseError as error:
            # The cable's transaction rolled back whole; the rest of the import goes on.
            fail(record.locator, f"{parsed.reference_id} can't be stored: {error}", record.format)
            return
        stored(outcome, record, parsed)

    # The ids read so far in each file not yet done (records come file by file, in order;
    # ``changed`` reads ahead of the batches, so it may have begun the next file already).
    ids_by_file: dict[str, dict[str, str]] = {}

    def changed(records: Iterable[RawRecord]) -> Iterator[RawRecord]:
        for chunk in itertools.batched(records, PARSE_CHUNK):
            seen = _stored_versions([record.locator for record in chunk])
            for record in chunk:
                reference_id = seen.get((record.locator, record.text_hash))
                if reference_id is None:
                    yield record
                    continue
                # Stored before as the first of its id in its file: later ones are duplicates.
                file_ids = ids_by_file.setdefault(record.file or record.locator, {})
                file_ids.setdefault(reference_id, record.locator)
                report.count(UNCHANGED)
                if on_record:
                    on_record(UNCHANGED, record, None)

    changes = 0  # new and updated cables when the archive's version was last raised
    to_parse = changed(records()) if skip_unchanged else records()
    current_file = None
    for batch in itertools.batched(parse_records(to_parse, workers), BATCH_SIZE):
        parsed_batch = []
        for record, result in batch:
            if (record.file or record.locator) != current_file:
                ids_by_file.pop(current_file, None)
                current_file = record.file or record.locator
            if not isinstance(result, ParseError):
                file_ids = ids_by_file.setdefault(current_file, {})
                if problem := _refused_id(result.reference_id, record.locator, file_ids):
                    fail(record.locator, problem, record.format)
                else:
                    parsed_batch.append((record, result))
            elif record.hints.reference_id and record.hints.created is None:
                deferred.append((record, str(result)))
            else:
                fail(record.locator, str(result), record.format)
        store_batch(parsed_batch, store_one, stored)
        changes = _bump_if_changed(report, changes)
    if left := search_engine().unindexed():  # an earlier import stopped before indexing
        index_cables(left)
        ArchiveState.bump()

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
        result = parse_or_error(record.text, record.hints)
        if isinstance(result, ParseError):
            fail(record.locator, str(result), record.format)
        elif problem := id_problem(result.reference_id):
            fail(record.locator, problem, record.format)
        else:
            store_one(record, result)
    # People no cable names any more (a cable re-read names them otherwise); the counts of
    # the others, which the person facet and /people/ read.
    Person.objects.filter(mentions__isnull=True).delete()
    Person.objects.refresh_cable_counts()
    Tag.objects.refresh_cable_counts()
    _bump_if_changed(report, changes)
    return report


def _bump_if_changed(report: ImportReport, changes: int) -> int:
    """Raise the archive's version (``ArchiveState``: cached pages go stale) when cables
    were stored or changed since it was last raised; returns the count it stands at."""
    now = report.new + report.updated
    if now != changes:
        ArchiveState.bump()
    return now


@cache
def import_version() -> str:
    """A fingerprint of the code that turns a file into stored rows (readers, parser and its
    data, this module): when it changes, a re-import reads every record again."""
    root = Path(__file__).resolve().parent
    files = sorted(
        [
            *root.glob("readers/*.py"),
            *root.glob("parser/*.py"),
            *root.glob("data/*"),
            *root.glob("fixtures/*"),
            root / "importer.py",
            root / "glossary.py",
        ]
    )
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _stored_versions(locators: list[str]) -> dict[tuple[str, str], str]:
    """(path, record hash) -> cable id, of the sources stored from these places by this code."""
    rows = Source.objects.filter(path__in=listed(locators), import_version=import_version())
    return {
        (path, text_hash): reference_id
        for path, text_hash, reference_id in rows.values_list(
            "path", "content_hash", "cable__reference_id"
        )
    }


MAX_ID_LENGTH = Cable._meta.get_field("reference_id").max_length


def _refused_id(reference_id: str, locator: str, file_ids: dict[str, str]) -> str:
    """Why a record's id is refused: not an id, or one its file gave an earlier record
    (``file_ids``: id -> the first record's place, updated here); "" when it is fine."""
    first = file_ids.setdefault(reference_id, locator)
    if problem := id_problem(reference_id):
        return problem
    if first != locator:
        return (
            f"duplicate id {reference_id}: {first} in the same file has it already; "
            "this one is skipped"
        )
    return ""


def id_problem(reference_id: str) -> str:
    """Why an id a mirror gave can't be a cable's (it would name the cable's page), or ""."""
    if len(reference_id) > MAX_ID_LENGTH:
        return f"id {reference_id[:40]!r}... is longer than {MAX_ID_LENGTH} characters"
    if not REFERENCE_ID.fullmatch(reference_id):
        return (
            f"id {reference_id!r} is not a cable reference id (year, post and serial, as "
            "06ALMATY2803): not stored"
        )
    return ""


def parse_records(
    records: Iterable[RawRecord], workers: int = 1
) -> Iterator[tuple[RawRecord, ParsedCable | ParseError]]:
    """Each record with its parse, in order. With several workers, records are parsed in
    chunks on a process pool while the caller stores the previous chunk; an import of one
    chunk or less is parsed here, and never pays for starting the pool (~0.3 s)."""
    chunks = itertools.batched(records, PARSE_CHUNK)
    first, second = next(chunks, ()), next(chunks, None)
    if workers <= 1 or second is None:
        for chunk in itertools.chain([first], [second] if second else [], chunks):
            yield from ((r, parse_or_error(r.text, r.hints)) for r in chunk)
        return
    # forkserver: the workers import only the parser (pure Python), not Django. An executor,
    # not multiprocessing.Pool: the Pool's worker-watching thread wakes whenever a result
    # waits unread and spun on it, a third of a core taken from the parsing (0.4 ms a cable).
    context = multiprocessing.get_context("forkserver")
    pool = ProcessPoolExecutor(workers, mp_context=context)
    try:
        pending: deque = deque()
        for chunk in itertools.chain([first, second], chunks):
            parts = itertools.batched(((r.text, r.hints) for r in chunk), PARSE_PART)
            pending.append((chunk, [pool.submit(parse_each, part) for part in parts]))
            if len(pending) > PARSE_AHEAD:
                yield from _parsed(*pending.popleft())
        for chunk, jobs in pending:
            yield from _parsed(chunk, jobs)
    except BaseException:
        # The import stopped (an error storing, Ctrl-C, the caller done early): the records
        # queued are dropped, not parsed first (up to three chunks).
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _parsed(chunk: tuple[RawRecord, ...], jobs: list[Future]) -> Iterator[tuple]:
    parses = itertools.chain.from_iterable(job.result() for job in jobs)
    return zip(chunk, parses, strict=True)


def store_batch(
    batch: list[tuple[RawRecord, ParsedCable]],
    store_one: Callable[[RawRecord, ParsedCable], None],
    stored: Callable[[str, RawRecord, ParsedCable], None],
) -> None:
    """Store a batch of parsed records. Cables new to the archive are written in bulk (a few
    statements for the whole batch, their search vectors with them); a record
    already stored from the same file, unchanged, costs nothing; everything else goes
    through ``store_cable``, one by one, in order."""
    ids = {parsed.reference_id for _, parsed in batch}
    known = dict(
        Cable.objects.filter(reference_id__in=listed(ids)).values_list(
            "reference_id", "content_hash"
        )
    )
    shown = set(
        Source.objects.filter(cable__reference_id__in=listed(ids), shown=True).values_list(
            "cable__reference_id", "path", "content_hash"
        )
    )
    fresh, others, seen, same = [], [], set(), []
    for record, parsed in batch:
        fingerprint = content_hash(parsed)
        ref_id = parsed.reference_id
        if ref_id not in known and ref_id not in seen:
            fresh.append((record, parsed, fingerprint))
        elif (
            known.get(ref_id) == fingerprint and (ref_id, record.locator, record.text_hash) in shown
        ):
            stored(UNCHANGED, record, parsed)  # the same file, read the same: nothing to do
            same.append(record.locator)
        else:
            others.append((record, parsed))
        seen.add(ref_id)
    if same:  # read again by newer code to the same result: the next import may skip them
        Source.objects.filter(path__in=same).exclude(import_version=import_version()).update(
            import_version=import_version()
        )
    if fresh:
        try:
            with transaction.atomic():
                _write_new_cables(fresh)
        except DatabaseError:
            # One of them can't be stored: store them one by one, to tell which.
            logger.warning(
                "A batch of %d new cables could not be written at once; one by one instead",
                len(fresh),
                exc_info=True,
            )
            others = [(record, parsed) for record, parsed, _ in fresh] + others
        else:
            for record, parsed, _ in fresh:
                stored(NEW, record, parsed)
    for record, parsed in others:
        store_one(record, parsed)


def store_cable(parsed: ParsedCable, record: RawRecord) -> str:
    """Write one parsed cable and its source; returns NEW, UPDATED or UNCHANGED."""
    fingerprint = content_hash(parsed)
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
            "content_hash": record.text_hash,
            "import_version": import_version(),
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


def _set_fields(cable: Cable, parsed: ParsedCable, fingerprint: str) -> None:
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


def _write_cable(cable: Cable, parsed: ParsedCable, fingerprint: str, replace: bool) -> None:
    _set_fields(cable, parsed, fingerprint)
    cable.save()
    if replace:
        # Children are rewritten whole: cheaper and simpler than diffing them.
        for related in (
            cable.paragraphs,
            cable.references,
            cable.recipients,
            cable.mentions,
            cable.person_links,
        ):
            related.all().delete()
        CableTag.objects.filter(cable=cable).delete()
    _write_children([(cable, parsed)])
    _resolve_citations_of([cable.reference_id])
    index_cable(cable.pk)  # the search vectors of the cable and its paragraphs


def _write_new_cables(fresh: list[tuple[RawRecord, ParsedCable, str]]) -> None:
    """Cables not yet in the archive, with their children, sources and search vectors, in
    bulk: about a dozen statements for the batch, whatever its size."""
    cables = []
    for _, parsed, fingerprint in fresh:
        cable = Cable(reference_id=parsed.reference_id)
        _set_fields(cable, parsed, fingerprint)
        cables.append(cable)
    # bulk_create skips Cable.save, which splits the classification: done here instead.
    caveats = {}
    for cable in cables:
        cable.level, caveats[cable.reference_id] = split_classification(cable.classification)
    # On PostgreSQL the cables' rows are written last, each with its search vectors, made
    # from its paragraphs' (written first: the foreign keys are checked at commit). An
    # UPDATE setting them afterwards wrote each row twice, with each of its eight indexes.
    vectors_now = connection.vendor == "postgresql" and COPY_ON_POSTGRESQL
    if vectors_now:
        _take_ids(Cable, cables)
    else:
        _insert_objects(Cable, cables)  # sets their primary keys
    _insert_rows(
        CableCaveat,
        ("cable_id", "caveat", "position"),
        (
            (cable.pk, caveat, i)
            for cable in cables
            for i, caveat in enumerate(caveats[cable.reference_id], 1)
        ),
    )
    _write_children([(cable, parsed) for cable, (_, parsed, _) in zip(cables, fresh, strict=True)])
    if vectors_now:
        with search_engine().staged_cables([cable.pk for cable in cables]) as staging:
            _insert_objects(Cable, cables, table=staging)
    now = timezone.now()
    _insert_rows(
        Source,
        (
            *("cable_id", "path", "format", "content_hash", "import_version", "shown"),
            *("created", "subject", "body", "partial", "imported"),
        ),
        (
            (
                *(cable.pk, record.locator, record.format, record.text_hash, import_version()),
                *(True, parsed.created, parsed.subject, parsed.body, parsed.partial, now),
            )
            for cable, (record, parsed, _) in zip(cables, fresh, strict=True)
        ),
    )
    _resolve_citations_of([cable.reference_id for cable in cables])
    if not vectors_now:
        index_cables([cable.pk for cable in cables])  # (SQLite's triggers have: nothing to do)


def _resolve_citations_of(reference_ids: list[str]) -> None:
    """Cables already in the archive that cite these ones now have their target."""
    Reference.objects.filter(cited_id__in=reference_ids, target__isnull=True).update(
        target=Subquery(Cable.objects.filter(reference_id=OuterRef("cited_id")).values("pk")[:1])
    )


def _write_children(pairs: list[tuple[Cable, ParsedCable]]) -> None:
    """Paragraphs, tags, references, recipients and people of stored cables, in bulk."""
    _insert_rows(
        Paragraph,
        ("cable_id", "position", "number", "marking", "heading", "anchor", "text"),
        (
            (cable.pk, p.position, p.number, p.marking, p.heading, anchor, p.text)
            for cable, parsed in pairs
            for p, anchor in zip(
                parsed.paragraphs,
                Paragraph.anchors_for([p.number for p in parsed.paragraphs]),
                strict=True,
            )
        ),
    )
    _write_tags(pairs)
    cited = {r.cable_id for _, parsed in pairs for r in parsed.references if r.cable_id}
    targets = dict(
        Cable.objects.filter(reference_id__in=listed(cited)).values_list("reference_id", "id")
    )
    _insert_rows(
        Reference,
        ("cable_id", "position", "letter", "text", "cited_id", "kind", "target_id"),
        (
            (cable.pk, i, r.letter, r.text[:500], r.cable_id, r.kind, targets.get(r.cable_id))
            for cable, parsed in pairs
            for i, r in enumerate(parsed.references, 1)
        ),
    )
    _insert_rows(
        Recipient,
        ("cable_id", "position", "kind", "name", "route", "precedence", "mcn"),
        (
            (cable.pk, i, r.kind, r.name[:300], r.route, r.precedence, r.mcn or "")
            for cable, parsed in pairs
            for i, r in enumerate(parsed.recipients, 1)
        ),
    )
    _write_people(pairs)


def _write_tags(pairs: list[tuple[Cable, ParsedCable]]) -> None:
    codes = {code for _, parsed in pairs for code in parsed.tags}
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
    _insert_rows(
        CableTag,
        ("cable_id", "tag_id", "position"),
        (
            (cable.pk, existing[code].pk, i)
            for cable, parsed in pairs
            for i, code in enumerate(parsed.tags, 1)
        ),
    )


def _write_people(pairs: list[tuple[Cable, ParsedCable]]) -> None:
    """The people the cables name (``ParsedCable.people``), joined to the people already in
    the archive, with a mention for each role and each paragraph naming them.

    A full name joins the person with the same key (folded surname and first initial: one
    human across cables and spellings). A surname alone joins the one full-name person with
    that surname named by cables of the same post, if there is exactly one; otherwise it is a
    person of its own at that post, which a full name seen there later takes over."""
    longest = Person._meta.get_field("name").max_length
    found = [
        (cable, mention, person_key(mention.name))
        for cable, parsed in pairs
        for mention in parsed.people
        if len(mention.name) <= longest  # never a name: a run of them (the parser caps words)
    ]
    if not found:
        return
    people = _PersonIndex(found)
    # (unordered, never joined to the cables: a batch's cable rows may not be written yet,
    # ``_write_new_cables``)
    rows = (
        Paragraph.objects.filter(cable_id__in=listed(cable.pk for cable, _ in pairs))
        .order_by()
        .values_list("cable_id", "position", "id")
    )
    paragraph_ids = {(cable_id, position): pk for cable_id, position, pk in rows}
    resolved = [
        (cable, mention, people.resolve(mention, cable.origin, key))
        for cable, mention, key in found
    ]
    people.save()
    # (person, cable, paragraph, role): a dict, ordered, because two spellings in one cable
    # may resolve to one person, whose mentions the constraints allow once each. (The
    # cables' mentions were all deleted or never written: no other row can clash.)
    mentions: dict[tuple, None] = {}
    for cable, mention, person in resolved:
        for role in mention.roles:
            if role != Mention.NAMED:
                mentions[(person.pk, cable.pk, None, role)] = None
        for position in mention.paragraphs:
            paragraph_id = paragraph_ids.get((cable.pk, position))
            if paragraph_id is not None:
                mentions[(person.pk, cable.pk, paragraph_id, Mention.NAMED)] = None
        if Mention.NAMED in mention.roles and not mention.paragraphs:
            mentions[(person.pk, cable.pk, None, Mention.NAMED)] = None
    _insert_rows(Mention, ("person_id", "cable_id", "paragraph_id", "role"), mentions)
    links = dict.fromkeys((cable.pk, person.pk, cable.origin) for cable, _, person in resolved)
    _insert_rows(CablePerson, ("cable_id", "person_id", "origin"), links)


def _named_at(asked: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Which of these (person id, post) pairs have a cable of the post naming the person:
    one probe of ``cableperson_person_post_idx`` each (the pairs as one parameter)."""
    if not asked:
        return []
    table = connection.ops.quote_name(CablePerson._meta.db_table)
    if connection.vendor == "postgresql":
        pairs = "unnest(%s::bigint[], %s::text[]) AS asked(person_id, origin)"
        params = [[pk for pk, _ in asked], [post for _, post in asked]]
    else:
        pairs = (
            "(SELECT json_extract(value, '$[0]') AS person_id,"
            " json_extract(value, '$[1]') AS origin FROM json_each(%s)) AS asked"
        )
        params = [json.dumps(asked)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT asked.person_id, asked.origin FROM {pairs}
            WHERE EXISTS (SELECT 1 FROM {table} AS link
                WHERE link.person_id = asked.person_id AND link.origin = asked.origin)""",
            params,
        )
        return cursor.fetchall()


def listed(values: Iterable) -> RawSQL | list:
    """Values for an ``__in`` lookup as one parameter (an array on PostgreSQL, a JSON array
    on SQLite) instead of one each: a batch's thousand paths or names cost more to put in
    a statement, and to plan, than to look up (a second of every 5,000 cables)."""
    values = list(values)
    if not values:
        return values  # (nothing to look up: Django answers without a query)
    if connection.vendor == "postgresql":
        array = "bigint[]" if isinstance(values[0], int) else "text[]"
        return RawSQL(f"SELECT unnest(%s::{array})", [values])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values)])


def _insert_rows(
    model: type[models.Model],
    fields: tuple[str, ...],
    rows: Iterable[tuple],
    table: str | None = None,
) -> None:
    """Insert rows of values of a model's fields (as attribute names: ``cable_id``), every
    field without a database default given. On PostgreSQL by ``COPY`` (no statement built
    and no model instance made: a tenth of ``bulk_create``'s cost a row, most of the
    import's own time for the half-million rows of 20,000 cables); elsewhere by
    ``bulk_create``."""
    if connection.vendor != "postgresql" or not COPY_ON_POSTGRESQL:
        model.objects.bulk_create(model(**dict(zip(fields, row, strict=True))) for row in rows)
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    statement = f"COPY {quote(table or model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _take_ids(model: type[models.Model], objects: list[models.Model]) -> None:
    """Primary keys for new instances, from the table's sequence."""
    if not objects:
        return
    opts = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, len(objects)],
        )
        for instance, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            instance.pk = pk


def _insert_objects(
    model: type[models.Model], objects: list[models.Model], table: str | None = None
) -> None:
    """Insert new model instances and set their primary keys, as ``bulk_create`` does: on
    PostgreSQL by ``COPY``, their ids taken from the table's sequence first (a batch of
    cables as one statement of 11,000 parameters cost a millisecond a cable)."""
    if connection.vendor != "postgresql" or not COPY_ON_POSTGRESQL or not objects:
        model.objects.bulk_create(objects)
        return
    opts = model._meta
    _take_ids(model, [instance for instance in objects if instance.pk is None])
    fields = opts.concrete_fields
    _insert_rows(
        model,
        tuple(field.attname for field in fields),
        (
            # What Django's INSERT writes: auto_now times set, values prepared (JSON...).
            tuple(
                field.get_db_prep_save(field.pre_save(instance, True), connection)
                for field in fields
            )
            for instance in objects
        ),
        table,
    )
    for instance in objects:
        instance._state.adding, instance._state.db = False, connection.alias


class _PersonIndex:
    """The people a batch's names may join, read in two queries; new and changed people
    written in bulk by ``save``."""

    def __init__(self, found: list) -> None:
        """``found``: the batch's (cable, mention, the mention's ``person_key``)."""
        keys = {key for _, _, key in found}
        surnames = {key.split()[0] for key in keys if key}
        # Surnames written alone (a surname alone's key is its surname's): only they are
        # looked up among the full names named at a post. Every full name sharing any of
        # the batch's surnames, and its posts, had been read: a tenth of the import's
        # PostgreSQL time at 60,000 cables and growing with the archive.
        alone = {key for key in keys if key and " " not in key}
        self.by_key: dict[tuple[str, str], Person] = {}
        # The names of the batch, and everyone with a surname alone of the batch's surnames
        # (to be taken over by a full name) or with a full name of a surname written alone.
        for person in Person.objects.filter(
            Q(key__in=listed(keys | surnames)) | Q(surname_key__in=listed(alone))
        ):
            self.by_key.setdefault((person.key, person.scope), person)
        # Full names by (surname key, post): who a surname alone at that post may mean.
        # (Keyed by id(): people not yet saved can't be hashed.)
        self.at_post: dict[tuple[str, str], dict[int, Person]] = defaultdict(dict)
        # Only where a surname is written alone is it looked up (``resolve``): those posts
        # are asked of the stored full names with that surname, and of no other.
        posts_of: dict[str, set[str]] = defaultdict(set)
        for cable, _, key in found:
            if key in alone:
                posts_of[key].add(cable.origin)
        full = {p.pk: p for p in self.by_key.values() if not p.scope and p.surname_key in alone}
        asked = [(pk, post) for pk, p in full.items() for post in posts_of[p.surname_key]]
        for person_id, origin in _named_at(asked):
            person = full[person_id]
            self.at_post[(person.surname_key, origin)][id(person)] = person
        self.new: list[Person] = []
        self.changed: dict[int, Person] = {}
        self.renamed: set[int] = set()  # stored people whose name a full name took over

    def resolve(self, mention, origin: str, key: str) -> Person:
        """The person a mention at a post names; ``key`` is its name's ``person_key``."""
        surname = key.split()[0] if key else ""
        if " " in key:  # a full name
            person = self.by_key.get((key, ""))
            if person is None:
                lone = self.by_key.pop((surname, origin), None)
                if lone is not None:  # the surname alone seen first at this post: takeover
                    lone.name, lone.key, lone.scope = mention.name, key, ""
                    self._changed(lone)
                    if lone.pk is not None:
                        self.renamed.add(lone.pk)
                    person = lone
                else:
                    person = self._create(mention.name, key, surname, "")
                self.by_key[(key, "")] = person
            self.at_post[(surname, origin)][id(person)] = person
        else:
            candidates = list(self.at_post.get((surname, origin), {}).values())
            if len(candidates) == 1:
                (person,) = candidates
            else:
                person = self.by_key.get((key, origin))
                if person is None:
                    person = self._create(mention.name, key, surname, origin)
                    self.by_key[(key, origin)] = person
        new_aliases = [a for a in mention.aliases if a not in person.aliases]
        new_titles = [t for t in mention.titles if t not in person.titles]
        if new_aliases or new_titles:
            person.aliases = person.aliases + new_aliases
            person.titles = person.titles + new_titles
            self._changed(person)
        return person

    def _create(self, name: str, key: str, surname: str, scope: str) -> Person:
        person = Person(name=name, key=key, surname_key=surname, scope=scope)
        self.new.append(person)
        return person

    def _changed(self, person: Person) -> None:
        if person.pk is not None:
            self.changed[person.pk] = person

    def save(self) -> None:
        if self.new:
            _assign_slugs(self.new)
            Person.objects.bulk_create(self.new)
        taken_over = [p for p in self.changed.values() if p.pk in self.renamed]
        _update_rows(Person, ("name", "key", "scope"), taken_over)
        _update_rows(Person, ("aliases", "titles"), list(self.changed.values()))


def _update_rows(model: type[models.Model], fields: tuple[str, ...], objects: list) -> None:
    """Write these fields of stored instances: one UPDATE by primary key each, sent as one
    batch (``executemany``; psycopg pipelines them). ``bulk_update`` built a CASE per
    field over its rows in Python: 1.4 ms a cable, for the people whose spellings grew."""
    if not objects:
        return
    opts, quote = model._meta, connection.ops.quote_name
    columns = [opts.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    statement = (
        f"UPDATE {quote(opts.db_table)} SET {assignments} WHERE {quote(opts.pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            statement,
            [
                [
                    *(
                        field.get_db_prep_save(getattr(obj, field.attname), connection)
                        for field in columns
                    ),
                    obj.pk,
                ]
                for obj in objects
            ],
        )


# Numbered slugs looked up at once for a new person whose slug is taken (putin-2 ...).
SLUG_NUMBERS = range(2, 10)


def _assign_slugs(people: list[Person]) -> None:
    """A unique slug for each new person: the name's, or the name's numbered (putin-2), in
    one query for the batch (one more in the rare case of ten people of one name)."""
    bases = [Person.slug_for(person.name) for person in people]
    candidates = set(bases) | {f"{base}-{n}" for base in bases for n in SLUG_NUMBERS}
    taken = set(Person.objects.filter(slug__in=listed(candidates)).values_list("slug", flat=True))
    for person, base in zip(people, bases, strict=True):
        slug = _free_slug(base, taken, last=max(SLUG_NUMBERS))
        if slug is None:  # every number looked up is taken: read all of that name's
            rows = Person.objects.filter(slug__startswith=f"{base}-").values_list("slug")
            taken |= {row[0] for row in rows}
            slug = _free_slug(base, taken)
        person.slug = slug
        taken.add(slug)


def _free_slug(slug: str, taken: set[str], last: int | None = None) -> str | None:
    """The slug, or slug-2, slug-3, ... when another person has it; None past ``last``."""
    n, free = 1, slug
    while free in taken:
        n += 1
        if last is not None and n > last:
            return None
        free = f"{slug}-{n}"
    return free
