"""Import a corpus and print how well every format was read.

    python benchmarks/corpus_report.py ../shared/corpus            # into a fresh SQLite file
    scripts/with-postgres.sh .venv/bin/python benchmarks/corpus_report.py ../shared/corpus

Prints, per source format: records read, cables stored, failures by reason and the share of
records with each field filled; the fields every stored cable must have; our references
against the cables.csv references column (in the categories of benchmarks/references.py);
the fields of cables that came both as a cablegate HTML page and as a CSV row, compared; and
the import's throughput. With DATABASE_URL set it imports into that
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

# The comparison with the references column, shared with benchmarks/references.py.
from references import CATEGORIES, compare, summary_table  # noqa: E402

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
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="parsing processes (one per core)"
    )
    args = parser.parse_args()
    vendor = setup_django(args.flush)

    from tqdm import tqdm

    from cables.importer import Failure, import_paths
    from cables.models import Cable

    if Cable.objects.exists():
        sys.exit("The database already holds cables: pass --flush to empty it first.")

    records: Counter = Counter()
    outcomes: dict[str, Counter] = defaultdict(Counter)
    filled: dict[str, Counter] = defaultdict(Counter)
    has_line: dict[str, Counter] = defaultdict(Counter)
    failures: dict[str, Counter] = defaultdict(Counter)
    ref_rows = Counter()
    ref_examples: dict[str, list[str]] = defaultdict(list)
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
            row = compare(ours, record.extra["csv_references"], parsed.reference_id, record.text)
            ref_rows[row.category] += 1
            if row.category != "agree" and len(ref_examples[row.category]) < 5:
                ref_examples[row.category].append(
                    f"{parsed.reference_id}: ours {row.ours} column {row.theirs}"
                )
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

    def on_failure(failure: Failure) -> None:
        reason = re.sub(r"\b\d{2}[A-Z]+\d+\b", "<id>", failure.reason)
        reason = re.sub(r"\d+", "N", reason)
        failures[failure.format or "unrecognised"][reason] += 1

    bar = tqdm(unit=" records", file=sys.stderr, mininterval=1)
    started = time.monotonic()
    report = import_paths(
        args.paths,
        on_failure=on_failure,
        on_record=on_record,
        workers=args.workers,
        skip_unchanged=False,  # every record parsed: its fields are counted below
    )
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

    print("\n## References against the cables.csv column\n")
    print(summary_table(ref_rows))
    print("\nThe categories (benchmarks/references.py, which gives them without a database):")
    for name, meaning in CATEGORIES.items():
        print(f"- {name}: {meaning}")
        for example in ref_examples.get(name, []):
            print(f"  - {example}")

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
