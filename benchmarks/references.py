"""Our references against the references column of cables.csv, without a database.

    python benchmarks/references.py ../shared/corpus/cables-csv-rows.tar.xz
    python benchmarks/references.py /tmp/csv-rows -n 5 --show disagree

Reads the CSV rows (folders, files or archives), parses every row with ``parse_cable`` and
sorts the rows that have a references column into the categories of ``compare``; prints the
table and a few sample rows per category (the REF text and both lists). ``corpus_report.py``
uses ``compare`` too, so both say the same.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cables.parser.fields import canonical_id  # noqa: E402

# The categories, in the order they are printed, with what each means.
CATEGORIES = {
    "agree": "the same cables as the column (in one spelling of each post, see column_key)",
    "year corrected": (
        "the same, but for references the column dates to the citing cable's year where the "
        "text gives an earlier one ('(99) ROME 2196', 'BOGOTA 04 12603', which the column "
        "reads as 05BOGOTA412603) or the post had not reached that serial in the citing "
        "cable's year (05ALMATY13 citing ALMATY 4769 is 04ALMATY4769): ours is the earlier year"
    ),
    "column missed references": (
        "every cable of the column (years corrected as above) and more that it missed: "
        "further REF items, lines and sections, or a REF block it did not read at all"
    ),
    "column lists non-cables": (
        "the column's only other entries are not cable ids (date-time groups, FBIS and IIR "
        "numbers, routing indicators, 'ATD 1121', 'SECRETARY 6 OF 29 APRIL 04'): we type "
        "those as other documents"
    ),
    "column cites the body": (
        "the column's other entries are written only in the text after the REF block: "
        "cables cited in paragraphs ('SEE 96 PRETORIA 10502'), and prose the column read as "
        "citations ('Istanbul Mayor from 1994', 'Paris 13-14 April', an exchange-rate table's "
        "'KINSHASA 370-390'); our references are the REF block's"
    ),
    "disagree": "anything else: a cable of the column's REF block we lack or read otherwise",
}
# Rows where we agree with the column or do better than it.
AS_GOOD_OR_BETTER = (
    "agree",
    "year corrected",
    "column missed references",
    "column lists non-cables",
)
# Spellings of one post whose cables are one series (renamed posts; AIT Taipei is written
# TAIPEI in the release until 2009 and AITTAIPEI after): ids in either denote the same cable.
SAME_POST = {
    "AITTAIPEI": "TAIPEI",
    "CHENNAI": "MADRAS",
    "KOLKATA": "CALCUTTA",
    "MUMBAI": "BOMBAY",
    "STPETERSBURG": "LENINGRAD",
}
# Labels the column's extraction kept in front of an id: "04REFTEL:STATE97257",
# "03RefA:Tegucigalpa3149", "04REFASECSTATE259661", "04REFERENCE:MANAMA444".
LABEL = re.compile(r"^(?P<year>\d{2})REF(?:TELS?|ERENCES?|S)?", re.I)
# What marks a column entry as no cable: a date-time group, a report number.
# ("RUEKJCS" is a routing indicator).
NOT_A_CABLE = re.compile(r"\d{6}Z[A-Z]{3}|IIR|FBIS|GMP\d|DTG|TWX|\dRUE[A-Z]{4}", re.I)
MONTHS = r"(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)"
ID = re.compile(r"(?P<year>\d{2})(?P<station>[A-Z]+)(?P<serial>\d+)")
REF_LINE = re.compile(r"^\s*REF(?:S|TELS?|ERENCES?)?\b", re.I)


@dataclass
class Comparison:
    category: str
    ours: list[str]
    theirs: list[str]
    corrected: list[tuple[str, str]] = field(default_factory=list)  # (column's, ours)
    extra: list[str] = field(default_factory=list)  # ours, not the column's
    missing: list[str] = field(default_factory=list)  # the column's, not ours
    non_cables: list[str] = field(default_factory=list)  # the column's, not cable ids
    body: list[str] = field(default_factory=list)  # the column's, cited outside the REF block


def _is_cable(cable_id: str) -> bool:
    """Whether an id of the column can be a cable's: a serial, and a post (one we know, or an
    unknown word that may be one: BUKAVU, VISTAN), not a month or a stray letter."""
    from cables.parser.stations import resolve_station

    match = ID.fullmatch(cable_id)
    if not match or int(match["serial"]) == 0:
        return False
    station = match["station"]
    if resolve_station(station) == station:
        return True
    return len(station) > 3 and not re.match(MONTHS, station)


def column_id(entry: str) -> str:
    """One entry of the column in our spelling: SECSTATE -> STATE and the other rules of
    ``canonical_id``, and the extraction's labels taken off ('04REFTEL:2002FRANKFURT11411'
    -> '02FRANKFURT11411', '04Reftel:4Frankfurt5551' -> '04FRANKFURT5551')."""
    entry = entry.strip()
    label = LABEL.match(entry)
    if label:
        year, rest = label["year"], entry[label.end() :]
        # The label's letter ("RefA:", "REFA" + "SECSTATE"): kept only if no station follows.
        candidates = [re.sub(r"^[A-Z]?\s*:?\s*", "", rest, flags=re.I), rest.lstrip(":")]
        for rest in candidates:
            written = re.match(r"^(?:(19|20)(\d{2})|(\d))(?=[A-Z])", rest, re.I)
            if written and written[2]:
                year, rest = written[2], rest[written.end() :]
            elif written and written[3] == year[1]:
                rest = rest[written.end() :]
            found = canonical_id(year + rest)
            if _is_cable(found):
                return found
    # "03SECSTATEMONTREAL4": the Department's address run into the station cited.
    secstate = re.fullmatch(r"(\d{2})SECSTATE([A-Z]{4,}\d+)", entry.upper())
    if secstate and _is_cable(canonical_id(secstate[1] + secstate[2])):
        return canonical_id(secstate[1] + secstate[2])
    return canonical_id(entry)


def column_ids(column: list[str], own_id: str) -> list[str]:
    """The column's references in our spelling, without the citing cable's own id, which it
    sometimes lists."""
    own = {own_id, canonical_id(own_id)}
    return sorted({column_id(r) for r in column if r.strip()} - own)


def column_key(cable_id: str) -> str:
    """The id with the post in one spelling (SAME_POST), for comparing."""
    match = ID.fullmatch(cable_id)
    if not match:
        return cable_id
    station = SAME_POST.get(match["station"], match["station"])
    return f"{match['year']}{station}{int(match['serial'])}"


def _year_corrected(column_id_: str, our_id: str, own_year: int) -> bool:
    """Whether ours is the column's cable with the earlier year the text or the serial gives:
    the column dates it to the citing cable's year, or runs the year into the serial
    ('BOGOTA 04 12603' as 05BOGOTA412603)."""
    theirs, ours = ID.fullmatch(column_id_), ID.fullmatch(our_id)
    if not theirs or not ours or theirs["station"] != ours["station"]:
        return False
    full_year = ("19" if int(ours["year"]) >= 66 else "20") + ours["year"]
    column_year = (1900 if int(theirs["year"]) >= 66 else 2000) + int(theirs["year"])
    if int(theirs["year"]) != own_year % 100 or int(full_year) >= column_year:
        return False
    glued = theirs["serial"] in (ours["year"][1] + ours["serial"], full_year + ours["serial"])
    return theirs["serial"] == ours["serial"] or glued


def _cited_in_body(cable_id: str, text: str) -> bool:
    """Whether the serial of a cable is written in the text after the REF block: from the
    first numbered paragraph on, or where none is numbered, away from the REF lines."""
    match = ID.fullmatch(cable_id)
    if not match:
        return False
    serial = re.compile(rf"(?<![\d/-])0*{int(match['serial'])}(?![\d/])")
    first = re.search(r"(?m)^\s*¶?\s*(?:\((?:U|C|S|SBU|LOU)\)\s*)?1\s*\.(?!\d)", text)
    if first:
        return bool(serial.search(text, first.start()))
    in_ref = 0
    for line in text.split("\n"):
        if REF_LINE.match(line):
            in_ref = 15  # the REF block: until the first paragraph, at most 15 lines
        elif re.match(
            r"^\s*(?:\d{1,2}\s*\.|¶|\((?:U|C|S|SBU)\)|SUMMARY|CLASSIFIED|-{3})", line, re.I
        ):
            in_ref = 0
        elif in_ref:
            in_ref -= 1
        if not in_ref and serial.search(line):
            return True
    return False


def compare(ours: list[str], column: list[str], own_id: str, text: str = "") -> Comparison:
    """Sort one row: ``ours`` the cable ids we read from the REF block, ``column`` the ids of
    the references column as written, ``own_id`` the citing cable's id, ``text`` the cable
    (to tell the column's citations from the body)."""
    ours = sorted(set(ours))
    theirs = column_ids(column, own_id)
    own_year = int(own_id[:2]) if own_id[:2].isdigit() else -1
    our_keys = {column_key(o): o for o in ours}
    their_keys = {column_key(t): t for t in theirs}
    extra = [o for k, o in our_keys.items() if k not in their_keys]
    missing = [t for k, t in their_keys.items() if k not in our_keys]
    corrected = []
    for m in list(missing):
        shifted = [e for e in extra if _year_corrected(column_key(m), column_key(e), own_year)]
        if shifted:
            corrected.append((m, shifted[0]))
            missing.remove(m)
            extra.remove(shifted[0])
    written_as = {column_id(r): r for r in column}
    non_cables = [
        m for m in missing if not _is_cable(m) or NOT_A_CABLE.search(written_as.get(m, ""))
    ]
    missing = [m for m in missing if m not in non_cables]
    body = [m for m in missing if text and _cited_in_body(m, text)]
    missing = [m for m in missing if m not in body]
    if missing:
        category = "disagree"
    elif body:
        category = "column cites the body"
    elif non_cables:
        category = "column lists non-cables"
    elif extra:
        category = "column missed references"
    elif corrected:
        category = "year corrected"
    else:
        category = "agree"
    return Comparison(category, ours, theirs, corrected, extra, missing, non_cables, body)


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def summary_table(counts: Counter) -> str:
    total = sum(counts.values())
    rows = [[name, counts[name], pct(counts[name], total)] for name in CATEGORIES]
    better = sum(counts[c] for c in AS_GOOD_OR_BETTER)
    rows.append(["agree, or better than the column", better, pct(better, total)])
    rows.append(["rows with a references column", total, "100.0%"])
    widths = [max(len(str(r[i])) for r in rows + [["category", "rows", "share"]]) for i in range(3)]

    def line(row: list) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    return "\n".join(
        [line(["category", "rows", "share"]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        + [line(r) for r in rows]
    )


def _ref_text(text: str) -> str:
    """The REF lines of a cable, roughly, for showing: from the label to the first paragraph."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if REF_LINE.match(line)), None)
    if start is None:
        return "(no REF line)"
    shown = []
    for line in lines[start : start + 14]:
        if shown and re.match(
            r"^\s*(?:\d{1,2}\s*\.|¶|\(\w+\)\s*\d|CLASSIFIED|SUMMARY|-{3})", line, re.I
        ):
            break
        if line.strip():
            shown.append(line.rstrip())
    return "\n".join(shown)


def _rows(paths: list[str]):
    import tarfile
    import tempfile

    from cables.readers import RawRecord, read_path

    for raw in paths:
        path = Path(raw)
        if path.is_file() and tarfile.is_tarfile(path):
            with tempfile.TemporaryDirectory(prefix="refs-") as tmp:
                with tarfile.open(path) as tar:
                    tar.extractall(tmp, filter="data")
                yield from _rows([tmp])
            continue
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            for item in read_path(file):
                if isinstance(item, RawRecord) and "csv_references" in item.extra:
                    yield item


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="CSV row files, folders or archives")
    parser.add_argument("-n", type=int, default=3, help="sample rows per category")
    parser.add_argument("--show", action="append", help="only samples of these categories")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from cables.parser import ParseError, parse_cable

    counts: Counter = Counter()
    samples: dict[str, list] = defaultdict(list)
    failed = 0
    extra_refs = Counter()
    empty_column = 0
    for record in _rows(args.paths):
        try:
            parsed = parse_cable(record.text, record.hints)
        except ParseError:
            failed += 1
            continue
        ours = [r.cable_id for r in parsed.references if r.cable_id]
        result = compare(ours, record.extra["csv_references"], parsed.reference_id, record.text)
        counts[result.category] += 1
        extra_refs[result.category] += len(result.extra)
        if result.category == "column missed references" and not result.theirs:
            empty_column += 1
        samples[result.category].append((parsed.reference_id, record.text, result))

    total = sum(counts.values())
    print(f"# References against the cables.csv column ({total} rows, {failed} unparsed)\n")
    print(summary_table(counts))
    print(
        f"\nCables the column missed, in the rows where we have all of its: "
        f"{extra_refs['column missed references']}; in {empty_column} of those rows the "
        "column is empty."
    )
    rng = random.Random(args.seed)
    for name, meaning in CATEGORIES.items():
        if args.show and name not in args.show:
            continue
        chosen = samples[name]
        chosen = rng.sample(chosen, min(args.n, len(chosen)))
        if not chosen:
            continue
        print(f"\n## {name}: {meaning}\n")
        for ref_id, text, result in chosen:
            print(f"### {ref_id}")
            print("    " + _ref_text(text).replace("\n", "\n    "))
            print(f"  ours:   {result.ours}\n  column: {result.theirs}")
            if result.corrected:
                print(f"  year corrected: {result.corrected}")
            if result.extra:
                print(f"  only ours: {result.extra}")
            if result.non_cables:
                print(f"  the column's non-cables: {result.non_cables}")
            if result.body:
                print(f"  the column's, cited in the body: {result.body}")
            if result.missing:
                print(f"  only the column's: {result.missing}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
