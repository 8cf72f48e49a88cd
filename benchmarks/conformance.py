"""Conformance of the cable parser against cablemap's test vectors.

    python benchmarks/conformance.py [VECTORS_JSON] [--verbose] [--no-corpus] [--corpus DIR]

Reads ``../shared/conformance/cablemap-vectors.json`` (relative to the repository root) and
feeds every vector through the code the importer uses: ``parse_cable(text, Hints)`` for text
fragments, ``canonical_id`` for ids, ``cables.readers.read_bytes`` and then ``parse_cable`` for
vectors that need a whole cable (run when the cable is in ``../shared/corpus/`` and a reader
can read its file). Prints, per field, how many vectors pass for us and for cablemap (its own
result at its last commit, ``cablemap_head``) on the same vectors. Always exits 0.

How the vectors are read:

- Hints come from the vector's context: the citing cable's id as ``reference_id`` and its year
  (``cable_year``, else the id's year) as ``created`` (a day only, so a date-time group in the
  text still counts). Where the parser cannot run without an id, a date or a classification
  (a bare fragment), it gets neutral placeholders: id ``00PLACEHOLDER1``, 1 January of the
  year, UNCLASSIFIED.
- references: the cited cable ids in order. references_typed: kind, bullet (None for "") and
  value (the cable id for cables, the item as written otherwise).
- tags: ``ParsedCable.tags`` holds TAGS codes and ``keywords`` the free text (phrases, person
  tags). An expected item that is a code (a listed TAGS code, or a word of two letters or of
  four starting A/B/C/E/K/M/O/P/S/T) must appear in ``tags`` in the same order; the other
  items, compared letter for letter (spaces and punctuation ignored), must be ``keywords``:
  where to cut a comma-less run of free text into phrases ("ITALY NATIONAL ELECTIONS ITALIAN
  POLITICS") no rule can tell. With ``canonicalize: false`` the TAGS line as written is split
  without correcting it (``split_tags(parsed.tags_line, canonical=False)``).
- subject: ``clean: true`` compares ``subject`` (marking removed); ``clean: false`` compares
  "(marking) subject".
- signed_by / classified_by: ``[value]`` or ``[]``; ``canonicalize: true`` upper-cases the
  signer, ``normalize: true`` applies ``normalise_person_name`` to the classifier.
- summary: compared with runs of white space made one space (the parser joins wrapped lines).
- recipients_to / recipients_info: name, precedence, route, MCN and the XMT exceptions.
- nondisclosure_deadline: ``declassify_on``; an expected null passes when there is no date.
- canonical_id / malformed_id (the "ids" row): ``fields.canonical_id``.
- created / is_partial: ``created`` (to the minute) and ``partial``; transmission_id is not
  something the parser extracts (counted as unsupported).

Vectors whose expected value we believe is wrong, or that only a lookup table of WikiLeaks'
ids can answer, are listed in ``DISPUTED`` with the reason; the table shows them and the
totals both with and without them.
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import re
import sys
import tarfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cables.parser import Hints, ParsedCable, ParseError, parse_cable  # noqa: E402
from cables.parser.fields import (  # noqa: E402
    canonical_id,
    normalise_person_name,
    split_tags,
)
from cables.parser.tagcodes import code_kind  # noqa: E402

DEFAULT_VECTORS = ROOT.parent / "shared" / "conformance" / "cablemap-vectors.json"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
PLACEHOLDER_ID = "00PLACEHOLDER1"
# Rows of the table, in order; a row groups vector fields.
ROWS = {
    "references": ["references"],
    "references_typed": ["references_typed"],
    "tags": ["tags"],
    "subject": ["subject"],
    "signed_by": ["signed_by"],
    "classified_by": ["classified_by"],
    "summary": ["summary"],
    "recipients": ["recipients_to", "recipients_info"],
    "nondisclosure_deadline": ["nondisclosure_deadline"],
    "ids": ["canonical_id", "malformed_id"],
    "other": ["created", "is_partial", "transmission_id"],
}
# The five fields that must reach 95% on the self-contained vectors.
KEY_FIELDS = ("references", "tags", "subject", "signed_by", "classified_by")

# (field, start of the input) -> why we do not follow the expected value.
YEAR_BEFORE = (
    "A post numbers its cables upwards through each year, so a bare reference to the "
    "citing post with a higher serial than the citing cable's own is the year before "
    "(the rule the corpus needs: 05ALMATY13 citing ALMATY 4769 is 04ALMATY4769); "
    "cablemap's expectation gives it the citing cable's year."
)

DISPUTED = {
    ("references", "\nE.O. 12958:DECL: 03/18/2018   TAGS: PGOV PRE"): (
        "08LIMA480 citing LIMA 3853 (beside LIMA 0389 and 0390 of 2008): 07LIMA3853. " + YEAR_BEFORE
    ),
    ("references", "REF: A. REF A HAVANA 639"): (
        "10HAVANA9 citing HAVANA 639-772: 09HAVANA639 ... " + YEAR_BEFORE
    ),
    ("references", "Ref: [A] State 188314, 259032"): (
        "05OTTAWA2105 citing Ottawa 2285: 04OTTAWA2285. " + YEAR_BEFORE
    ),
    ("references_typed", "REF: A) USDOC 05667 B)HK05511"): (
        "07HONGKONG2480 citing HK05511: 06HONGKONG5511. " + YEAR_BEFORE
    ),
    ("references_typed", "REF: PRAGUE 849, PRAGUE, 1228, STATE 1484761"): (
        "08STATE1988 citing STATE 1484761 (a mistyped serial; 148476 was reached in late 2007): 07STATE1484761. "
        + YEAR_BEFORE
    ),
    ("references", "SUBJECT: New Foreign Minister Patino"): (
        "'094 QUITO 841' in a 2010 list running 10, 09, 08, 07, 06: a mistyped '09' (we read "
        "the nearest plausible year, 09QUITO841); cablemap's 94QUITO841 is flagged as disputed."
    ),
    ("references_typed", "REF: A. MANILA 2969"): (
        "'B. 2962 AND PREVIOUS' is expected as 06MANILA2969 (flagged SUSPECT); we give "
        "06MANILA2962."
    ),
    ("references_typed", "REF: A) 6307 B) STATE 285773"): (
        "'B) STATE 285773' is expected without its bullet (flagged SUSPECT); we keep 'B'."
    ),
    ("subject", "SUBJECT: ASSISTANT SECRETARY MEETS WITH ZIMBABWE"): (
        "QUIRK (flagged): the page header's 'CONFIDENTIAL' is expected inside the subject; we "
        "drop page headers."
    ),
    ("malformed_id", "092OF5"): (
        "'092OF5' holds neither station nor serial: only a table of WikiLeaks' ids can say it "
        "is 09STATE126780."
    ),
    ("malformed_id", "09SECTION01OF03BRUSSELS1234"): (
        "the banner names BRUSSELS; that the cable came from USEU Brussels only a table of "
        "WikiLeaks' ids can say."
    ),
    ("malformed_id", "10AQNA272"): (
        "'AQNA' with a garbled 'Q' fits ASTANA and ADANA alike (ADANA is even nearer by edit "
        "distance): ambiguous without a table; we leave it as it is."
    ),
    ("malformed_id", "0901OF02RPODUBAI288"): (
        "'RPO DUBAI 000288' is the Iran Regional Presence Office's series (RPODUBAI, its own "
        "station in the release); the expected 09DUBAI288 is Consulate Dubai's."
    ),
}


@dataclass
class Outcome:
    index: int
    field: str
    status: str  # "pass", "fail", "not_run", "unsupported"
    self_contained: bool
    cablemap_pass: bool
    cablemap_see_note: bool
    disputed: str = ""
    got: object = None
    expected: object = None
    note: str = ""


@dataclass
class Row:
    vectors: int = 0
    self_contained: int = 0
    run: int = 0
    ours: int = 0
    cablemap: int = 0
    see_note: int = 0
    disputed: int = 0
    ours_undisputed: int = 0
    cablemap_undisputed: int = 0
    full: int = 0
    full_run: int = 0
    full_ours: int = 0
    full_cablemap: int = 0
    outcomes: list[Outcome] = field(default_factory=list)


def disputed_reason(vector: dict) -> str:
    for (field_name, start), reason in DISPUTED.items():
        if vector["field"] == field_name and vector["input"].startswith(start):
            return reason
    return ""


# --- Running a vector ------------------------------------------------------------------------


def hints_for(vector: dict) -> Hints:
    context = vector.get("context") or {}
    cable_id = context.get("cable_id") or ""
    year = context.get("cable_year")
    if not year and re.match(r"^\d{2}", cable_id):
        two = int(cable_id[:2])
        year = two + (1900 if two >= 66 else 2000)
    created = datetime(year, 1, 1, tzinfo=UTC) if year else None
    return Hints(
        reference_id=cable_id, created=created, created_has_time=False, created_precision="year"
    )


def parse_fragment(text: str, hints: Hints) -> ParsedCable:
    """parse_cable as the importer calls it; placeholders only where it cannot run without."""
    try:
        return parse_cable(text, hints)
    except ParseError:
        year = hints.created.year if hints.created else 2000
        fallback = Hints(
            reference_id=hints.reference_id or PLACEHOLDER_ID,
            created=hints.created or datetime(year, 1, 1, tzinfo=UTC),
            created_has_time=False,
            created_precision="year",
            classification=hints.classification or "UNCLASSIFIED",
        )
        return parse_cable(text, fallback)


def _letters(items: list[str]) -> str:
    return re.sub(r"[^A-Z0-9]", "", "".join(items).upper())


def _recipient_dicts(parsed: ParsedCable, kind: str) -> list[dict]:
    return [
        {
            "name": r.name,
            "precedence": r.precedence or None,
            "route": r.route or None,
            "mcn": r.mcn or None,
            "excluded": list(r.excluded),
        }
        for r in parsed.recipients
        if r.kind == kind
    ]


def value_for(field_name: str, vector: dict, parsed: ParsedCable) -> object:
    """What we give for a vector's field, in the shape of its expected value."""
    context = vector.get("context") or {}
    if field_name == "references":
        return [r.cable_id for r in parsed.references if r.cable_id]
    if field_name == "references_typed":
        return [
            {
                "kind": r.kind,
                "bullet": r.letter or None,
                "value": r.cable_id if r.kind == "cable" else r.text,
            }
            for r in parsed.references
        ]
    if field_name == "tags":
        if context.get("canonicalize") is False:
            return split_tags(parsed.tags_line, canonical=False)
        return parsed.tags, parsed.keywords
    if field_name == "subject":
        if context.get("clean") is False and parsed.subject_marking:
            return f"({parsed.subject_marking}) {parsed.subject}"
        return parsed.subject
    if field_name == "signed_by":
        signer = parsed.signer.upper() if context.get("canonicalize") else parsed.signer
        return [signer] if signer else []
    if field_name == "classified_by":
        name = parsed.classified_by
        if context.get("normalize"):
            name = normalise_person_name(name)
        return [name] if name else []
    if field_name == "summary":
        return " ".join(parsed.summary.split())
    if field_name == "recipients_to":
        return _recipient_dicts(parsed, "action")
    if field_name == "recipients_info":
        return _recipient_dicts(parsed, "info")
    if field_name == "nondisclosure_deadline":
        return parsed.declassify_on
    if field_name == "created":
        return f"{parsed.created:%Y-%m-%d %H:%M}"
    if field_name == "is_partial":
        return parsed.partial
    raise KeyError(field_name)


def matches(field_name: str, vector: dict, got: object) -> bool:
    expected = vector["expected"]
    if field_name == "tags":
        codes, keywords = got
        expected_codes = [e for e in expected if " " not in e and code_kind(e.upper())]
        expected_words = _letters([e for e in expected if e not in expected_codes])
        return codes == expected_codes and _letters(keywords) == expected_words
    if field_name == "summary":
        return got == " ".join((expected or "").split())
    if field_name in ("recipients_to", "recipients_info"):
        want = [
            {
                "name": e["name"],
                "precedence": e.get("precedence"),
                "route": e.get("route"),
                "mcn": e.get("mcn"),
                "excluded": e.get("excluded") or [],
            }
            for e in expected
        ]
        if expected and isinstance(expected[0], str):  # names only
            return [r["name"] for r in got] == expected
        return got == want
    if field_name == "nondisclosure_deadline":
        if expected is None:
            return not re.match(r"^\d{4}-\d{2}-\d{2}$", got or "")
        return got == expected
    return got == expected


def run_self_contained(vector: dict) -> tuple[str, object]:
    field_name = vector["field"]
    if field_name in ("canonical_id", "malformed_id"):
        got = canonical_id(vector["input"])
        return ("pass" if got == vector["expected"] else "fail"), got
    parsed = parse_fragment(vector["input"], hints_for(vector))
    got = value_for(field_name, vector, parsed)
    return ("pass" if matches(field_name, vector, got) else "fail"), got


# --- Whole cables from the corpus ------------------------------------------------------------


class Corpus:
    """Cables of ../shared/corpus by id, read with the importer's readers."""

    PACK_ORDER = (
        "cablegate-html-2011-04",
        "cablegate-html-older-builds",
        "cables-csv-rows",
        "text-and-json",
    )

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.index: dict[str, list[tuple[str, str]]] = collections.defaultdict(list)
        index_file = directory / "INDEX.tsv"
        if index_file.exists():
            for line in index_file.read_text("utf-8").splitlines()[1:]:
                parts = line.split("\t")
                if len(parts) == 3 and parts[1]:
                    self.index[parts[1]].append((parts[0], parts[2]))
        self.parsed: dict[str, ParsedCable | str] = {}

    def load(self, ids: set[str]) -> None:
        """Read every wanted cable, one pass over each pack."""
        try:
            from cables import readers
            from cables.readers import ReadError
        except ImportError as error:  # the readers are not there at all
            for ref_id in ids:
                self.parsed[ref_id] = f"no readers: {error}"
            return

        def read(data: bytes, locator: str) -> list:
            # As the importer reads a file: read_stream where there is one (CSV dumps and
            # archives are streamed), read_bytes otherwise. Unreadable records come back as
            # ReadError items or raise it.
            if hasattr(readers, "read_stream"):
                items = readers.read_stream(io.BytesIO(data), locator)
            else:
                items = readers.read_bytes(data, locator)
            out = []
            for item in items:
                if isinstance(item, ReadError):
                    continue
                out.append(item)
            return out

        wanted: dict[str, dict[str, list[str]]] = collections.defaultdict(dict)
        for ref_id in ids:
            for pack, path in self.index.get(ref_id, []):
                wanted[pack].setdefault(path, []).append(ref_id)
        found: dict[str, list[tuple[int, ParsedCable]]] = collections.defaultdict(list)
        problems: dict[str, str] = {}
        for pack in sorted(wanted, key=lambda p: self.PACK_ORDER.index(p)):
            rank = self.PACK_ORDER.index(pack)
            archive = self.directory / f"{pack}.tar.xz"
            if not archive.exists():
                continue
            with tarfile.open(archive) as tar:
                for member in tar:
                    if member.name not in wanted[pack] or not member.isfile():
                        continue
                    data = tar.extractfile(member).read()
                    targets = wanted[pack][member.name]
                    try:
                        records = read(data, f"{pack}:{member.name}")
                    except (ReadError, ValueError) as error:
                        for ref_id in targets:
                            problems.setdefault(ref_id, f"{member.name}: {error}")
                        continue
                    for ref_id in targets:
                        chosen = [r for r in records if r.hints.reference_id == ref_id]
                        one_cable_files = pack != "cables-csv-rows"
                        only = records[0] if len(records) == 1 else None
                        if not chosen and one_cable_files and only and not only.hints.reference_id:
                            chosen = records
                            chosen[0].hints.reference_id = ref_id
                        for record in chosen:
                            try:
                                found[ref_id].append((rank, parse_cable(record.text, record.hints)))
                            except ParseError as error:
                                problems.setdefault(ref_id, f"{member.name}: {error}")
        for ref_id in ids:
            if found.get(ref_id):
                # The fullest copy from the most complete mirror, as the importer would show.
                found[ref_id].sort(key=lambda x: (x[1].partial, x[0], -len(x[1].body)))
                self.parsed[ref_id] = found[ref_id][0][1]
            elif ref_id in problems:
                self.parsed[ref_id] = problems[ref_id]
            elif self.index.get(ref_id):
                self.parsed[ref_id] = "not read"
            else:
                self.parsed[ref_id] = "not in the corpus"


def run_full(vector: dict, corpus: Corpus | None) -> tuple[str, object, str]:
    if vector["field"] == "transmission_id":
        return "unsupported", None, "the parser does not extract the transmission id"
    if corpus is None:
        return "not_run", None, "corpus not read (--no-corpus)"
    parsed = corpus.parsed.get(vector["input"])
    if not isinstance(parsed, ParsedCable):
        return "not_run", None, parsed or "not in the corpus"
    got = value_for(vector["field"], vector, parsed)
    return ("pass" if matches(vector["field"], vector, got) else "fail"), got, ""


# --- The report ------------------------------------------------------------------------------


def row_of(field_name: str) -> str:
    return next(row for row, fields in ROWS.items() if field_name in fields)


def evaluate(vectors: list[dict], corpus_dir: Path | None = DEFAULT_CORPUS) -> dict[str, Row]:
    """Run every vector; the results per table row. ``corpus_dir=None`` skips whole cables."""
    corpus = None
    if corpus_dir is not None and (corpus_dir / "INDEX.tsv").exists():
        corpus = Corpus(corpus_dir)
        corpus.load({v["input"] for v in vectors if v["needs_full_cable"]})
    rows: dict[str, Row] = {name: Row() for name in ROWS}
    for index, vector in enumerate(vectors):
        row = rows[row_of(vector["field"])]
        cablemap_pass = vector.get("cablemap_head") == "pass"
        outcome = Outcome(
            index=index,
            field=vector["field"],
            status="",
            self_contained=not vector["needs_full_cable"],
            cablemap_pass=cablemap_pass,
            cablemap_see_note=vector.get("cablemap_head") == "see_note",
            disputed=disputed_reason(vector),
            expected=vector["expected"],
        )
        if outcome.self_contained:
            try:
                outcome.status, outcome.got = run_self_contained(vector)
            except Exception as error:  # a crash is a failure, reported
                outcome.status, outcome.got = "fail", f"{type(error).__name__}: {error}"
        else:
            outcome.status, outcome.got, outcome.note = run_full(vector, corpus)
        row.outcomes.append(outcome)
        row.vectors += 1
        if outcome.self_contained:
            row.self_contained += 1
            row.run += 1
            row.ours += outcome.status == "pass"
            row.cablemap += cablemap_pass
            row.see_note += outcome.cablemap_see_note
            if outcome.disputed:
                row.disputed += 1
            else:
                row.ours_undisputed += outcome.status == "pass"
                row.cablemap_undisputed += cablemap_pass
        else:
            row.full += 1
            if outcome.status in ("pass", "fail"):
                row.full_run += 1
                row.full_ours += outcome.status == "pass"
                row.full_cablemap += cablemap_pass
    return rows


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def render(rows: dict[str, Row], verbose: bool = False) -> str:
    out = []
    head = (
        f"{'field':<24}{'vectors':>8}{'self-cont.':>11}{'run':>6}{'ours':>6}{'%':>8}"
        f"{'cablemap':>10}{'see_note':>10}{'disputed':>10}{'ours*':>7}{'cm*':>6}"
    )
    out.append("Self-contained vectors (ours* / cm*: without the disputed vectors)")
    out.append(head)
    out.append("-" * len(head))
    totals = Row()
    for name, row in rows.items():
        if not row.vectors:
            continue
        out.append(
            f"{name:<24}{row.vectors:>8}{row.self_contained:>11}{row.run:>6}{row.ours:>6}"
            f"{_pct(row.ours, row.run):>8}{row.cablemap:>10}{row.see_note:>10}"
            f"{row.disputed:>10}{row.ours_undisputed:>7}{row.cablemap_undisputed:>6}"
        )
        for attr in (
            "vectors",
            "self_contained",
            "run",
            "ours",
            "cablemap",
            "see_note",
            "disputed",
            "ours_undisputed",
            "cablemap_undisputed",
            "full",
            "full_run",
            "full_ours",
            "full_cablemap",
        ):
            setattr(totals, attr, getattr(totals, attr) + getattr(row, attr))
    out.append("-" * len(head))
    out.append(
        f"{'total':<24}{totals.vectors:>8}{totals.self_contained:>11}{totals.run:>6}"
        f"{totals.ours:>6}{_pct(totals.ours, totals.run):>8}{totals.cablemap:>10}"
        f"{totals.see_note:>10}{totals.disputed:>10}{totals.ours_undisputed:>7}"
        f"{totals.cablemap_undisputed:>6}"
    )
    out.append("")
    out.append(
        "Vectors that need the whole cable (run where the corpus has the cable and a reader "
        "reads it; cablemap: its passes among those run)"
    )
    head2 = f"{'field':<24}{'vectors':>8}{'run':>6}{'ours':>6}{'cablemap':>10}{'not run':>9}"
    out.append(head2)
    out.append("-" * len(head2))
    reasons: collections.Counter = collections.Counter()
    for name, row in rows.items():
        if not row.full:
            continue
        out.append(
            f"{name:<24}{row.full:>8}{row.full_run:>6}{row.full_ours:>6}{row.full_cablemap:>10}"
            f"{row.full - row.full_run:>9}"
        )
        for outcome in row.outcomes:
            if not outcome.self_contained and outcome.status not in ("pass", "fail"):
                reasons[_reason_kind(outcome.note)] += 1
    out.append("-" * len(head2))
    out.append(
        f"{'total':<24}{totals.full:>8}{totals.full_run:>6}{totals.full_ours:>6}"
        f"{totals.full_cablemap:>10}{totals.full - totals.full_run:>9}"
    )
    for reason, count in reasons.most_common():
        out.append(f"  not run: {count} x {reason}")
    out.append("")
    out.append("Disputed vectors:")
    for row in rows.values():
        for outcome in row.outcomes:
            if outcome.disputed:
                out.append(
                    f"  #{outcome.index} {outcome.field} [{outcome.status}]: {outcome.disputed}"
                )
    if verbose:
        out.append("")
        out.append("Failing vectors:")
        for row in rows.values():
            for outcome in row.outcomes:
                if outcome.status == "fail":
                    flag = " (disputed)" if outcome.disputed else ""
                    where = "self-contained" if outcome.self_contained else "whole cable"
                    out.append(f"  #{outcome.index} {outcome.field} [{where}]{flag}")
                    out.append(f"      expected: {outcome.expected!r}")
                    out.append(f"      got:      {outcome.got!r}")
    return "\n".join(out)


def _reason_kind(note: str) -> str:
    if "not in the corpus" in note:
        return "cable not in the corpus"
    if "does not extract" in note:
        return note
    if "--no-corpus" in note:
        return note
    if "not read" in note or ":" in note:
        return "no reader could read the file (or parse the record)"
    return note or "unknown"


def load_vectors(path: Path = DEFAULT_VECTORS) -> list[dict]:
    return json.loads(Path(path).read_text("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("vectors", nargs="?", default=str(DEFAULT_VECTORS))
    parser.add_argument("--verbose", "-v", action="store_true", help="list failing vectors")
    parser.add_argument("--no-corpus", action="store_true", help="skip whole-cable vectors")
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="the corpus folder")
    args = parser.parse_args(argv)
    vectors = load_vectors(Path(args.vectors))
    rows = evaluate(vectors, None if args.no_corpus else Path(args.corpus))
    print(render(rows, verbose=args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
