"""Import a corpus and print how well every format was read.

    python benchmarks/corpus_report.py ../shared/corpus            # into a fresh SQLite file
    scripts/with-postgres.sh .venv/bin/python benchmarks/corpus_report.py ../shared/corpus

Prints, per source format: records read, cables stored, failures by reason and the share of
records with each field filled; the fields every stored cable must have; our references
against the cables.csv references column (with the bare references whose year the column got
wrong counted apart); the fields of cables that came both as a cablegate HTML page and as a
CSV row, compared; and the import's throughput. With DATABASE_URL set it imports into that
database, which must be empty (pass --flush to empty it first).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIELDS = (
    "subject",
    "tags",
    "references",
    "recipients",
    "classified_by",
    "signer",
    "summary",
    "declassify_on",
    "paragraphs",
)
SUBJECT_LINE = re.compile(r"(?im)^\s*SUBJ(?:ECT)?\s*:\s*\S")
TAGS_LINE = re.compile(r"(?im)^\s*TAGS\s*:?\s+\S")
BARE_REF = re.compile(r"^\d{2}")


def setup_django(flush: bool) -> str:
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp()) / "corpus.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "corpus-report")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    if flush:
        call_command("flush", interactive=False, verbosity=0)
    from django.db import connection

    return connection.vendor


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def table(rows: list[list], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(row: list) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    return "\n".join(
        [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="corpus files, folders or archives")
    parser.add_argument("--flush", action="store_true", help="empty the database first")
    args = parser.parse_args()
    vendor = setup_django(args.flush)

    from tqdm import tqdm

    from cables.importer import Failure, import_paths
    from cables.models import Cable
    from cables.parser.fields import canonical_id

    if Cable.objects.exists():
        sys.exit("The database already holds cables: pass --flush to empty it first.")

    records: Counter = Counter()
    outcomes: dict[str, Counter] = defaultdict(Counter)
    filled: dict[str, Counter] = defaultdict(Counter)
    has_line: dict[str, Counter] = defaultdict(Counter)
    failures: dict[str, Counter] = defaultdict(Counter)
    ref_rows = Counter()
    ref_examples: list[str] = []
    superset_examples: list[str] = []
    by_format: dict[str, dict[str, dict]] = {"html": {}, "csv": {}}

    def on_record(outcome, record, parsed) -> None:
        fmt = record.format
        records[fmt] += 1
        outcomes[fmt][outcome] += 1
        bar.update()
        for name in FIELDS:
            filled[fmt][name] += bool(getattr(parsed, name))
        if SUBJECT_LINE.search(record.text):
            has_line[fmt]["subject"] += 1
            filled[fmt]["subject_where_line"] += bool(parsed.subject)
        if TAGS_LINE.search(record.text):
            has_line[fmt]["tags"] += 1
            filled[fmt]["tags_where_line"] += bool(parsed.tags)
        ours = sorted({r.cable_id for r in parsed.references if r.cable_id})
        if "csv_references" in record.extra:
            # The column spells stations as the banner does (SECSTATE, AITTAIPEI): compare
            # ids in one spelling, and leave out the cable's own id, which it sometimes lists.
            theirs = {canonical_id(r) for r in record.extra["csv_references"]}
            compare_references(parsed, ours, sorted(theirs - {parsed.reference_id}))
        family = fmt.split("/")[0]
        if family in by_format:
            by_format[family][parsed.reference_id] = {
                "created": parsed.created.strftime("%Y-%m-%d %H:%M"),
                "created to the minute": parsed.created_precision == "minute",
                "classification": parsed.classification,
                "origin": parsed.origin,
                "subject": parsed.subject,
                "tags": parsed.tags,
                "references": ours,
                "signer": parsed.signer,
                "paragraphs": len(parsed.paragraphs),
            }

    def compare_references(parsed, ours: list[str], theirs: list[str]) -> None:
        if ours == theirs:
            ref_rows["agree"] += 1
            return
        if set(theirs) < set(ours):
            # Every reference the column has, and more it missed (continuation lines, a
            # second REF section, bare serials after the first item).
            ref_rows["ours has all of the column's and more"] += 1
            if len(superset_examples) < 8:
                superset_examples.append(f"{parsed.reference_id}: ours {ours} column {theirs}")
            return
        # Where the only difference is the year of a reference, and ours is the year before
        # the column's for a post's serial the citing cable's own post had not reached yet,
        # the column is wrong and we are right.
        fixed = [o for o in ours if o not in theirs]
        missing = [t for t in theirs if t not in ours]
        if (
            fixed
            and len(fixed) == len(missing)
            and all(
                f[2:] == m[2:] and int(f[:2]) == (int(m[:2]) - 1) % 100
                for f, m in zip(
                    sorted(fixed, key=lambda x: x[2:]),
                    sorted(missing, key=lambda x: x[2:]),
                    strict=True,
                )
            )
        ):
            ref_rows["year corrected"] += 1
            return
        ref_rows["disagree"] += 1
        if len(ref_examples) < 15:
            ref_examples.append(f"{parsed.reference_id}: ours {ours} column {theirs}")

    def on_failure(failure: Failure) -> None:
        reason = re.sub(r"\b\d{2}[A-Z]+\d+\b", "<id>", failure.reason)
        reason = re.sub(r"\d+", "N", reason)
        failures[failure.format or "unrecognised"][reason] += 1

    bar = tqdm(unit=" records", file=sys.stderr, mininterval=1)
    started = time.monotonic()
    report = import_paths(args.paths, on_failure=on_failure, on_record=on_record)
    elapsed = time.monotonic() - started
    bar.close()

    stored = Cable.objects.count()
    print(f"# Corpus report: {', '.join(args.paths)} into {vendor}\n")
    print(
        f"{sum(records.values())} records stored or merged, {report.failed} rejected with a "
        f"reason; {stored} distinct cables. Import: {elapsed:.1f} s, "
        f"{sum(records.values()) / elapsed:.0f} records/s.\n"
    )

    print("## Per format\n")
    rows = []
    for fmt in sorted(set(records) | set(failures)):
        n = records[fmt]
        rows.append(
            [
                fmt,
                n + sum(failures[fmt].values()),
                outcomes[fmt]["new"],
                outcomes[fmt]["updated"],
                outcomes[fmt]["unchanged"],
                sum(failures[fmt].values()),
            ]
        )
    print(table(rows, ["format", "records read", "new", "updated", "unchanged", "failed"]))

    print("\n## Failures by reason\n")
    rows = [
        [fmt, n, reason]
        for fmt, reasons in sorted(failures.items())
        for reason, n in reasons.most_common()
    ]
    print(table(rows, ["format", "count", "reason"]) if rows else "none")

    print("\n## Fields filled (share of parsed records)\n")
    rows = []
    for fmt in sorted(records):
        n = records[fmt]
        rows.append(
            [
                fmt,
                n,
                *(pct(filled[fmt][f], n) for f in FIELDS),
                f"{pct(filled[fmt]['subject_where_line'], has_line[fmt]['subject'])} "
                f"of {has_line[fmt]['subject']}",
                f"{pct(filled[fmt]['tags_where_line'], has_line[fmt]['tags'])} "
                f"of {has_line[fmt]['tags']}",
            ]
        )
    print(
        table(rows, ["format", "n", *FIELDS, "subject where SUBJECT line", "tags where TAGS line"])
    )

    print("\n## Every stored cable\n")
    missing = {
        "id": Cable.objects.filter(reference_id="").count(),
        "created": Cable.objects.filter(created__isnull=True).count(),
        "classification": Cable.objects.filter(classification="").count(),
        "origin": Cable.objects.filter(origin="").count(),
    }
    print(
        table(
            [[k, stored - v, pct(stored - v, stored)] for k, v in missing.items()],
            ["field", "cables with it", "share"],
        )
    )

    total = sum(ref_rows.values())
    print("\n## References against the cables.csv column\n")
    print(
        table(
            [[k, v, pct(v, total)] for k, v in ref_rows.most_common()], ["rows", "count", "share"]
        )
    )
    exact = ref_rows["agree"] + ref_rows["year corrected"]
    covered = exact + ref_rows["ours has all of the column's and more"]
    print(
        f"\nSame references as the column (corrected years counted as right): "
        f"{pct(exact, total)} of {total} rows; every reference of the column found: "
        f"{pct(covered, total)}."
    )
    for title, examples in (
        ("Some rows where we find more", superset_examples),
        ("Some disagreements", ref_examples),
    ):
        if examples:
            print(f"\n{title}:\n" + "\n".join(f"- {e}" for e in examples))

    both = sorted(set(by_format["html"]) & set(by_format["csv"]))
    print(f"\n## Cables both as HTML page and CSV row ({len(both)})\n")
    if both:
        rows = []
        for name in by_format["html"][both[0]]:
            same = sum(by_format["html"][i][name] == by_format["csv"][i][name] for i in both)
            rows.append([name, same, pct(same, len(both))])
        print(table(rows, ["field", "same in both", "share"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
