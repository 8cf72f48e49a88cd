"""Build a cables.csv file of any size from the real cables in ../shared/corpus.

    python benchmarks/make_corpus.py --cables 251287 --out /tmp/cables-251k.csv [--seed 1]

The shared corpus holds about 9,500 real ``cables.csv`` rows (plus other formats). This script
draws real cables from those rows and writes them out again under new ids, until it has the
number asked for, so that an import of the whole release (251,287 cables, ~1.7 GB) can be
measured without the release itself:

- Each output cable is a real cable: its text, header, classification, origin, TAGS and
  references column are the drawn row's. Years, origins and TAGS therefore come in the
  proportions of the corpus sample, which was drawn from the real release.
- Ids: the first copy of a row keeps its real id (so a reference between two real cables still
  resolves, as it would in the release); every further copy gets a new serial number at the same
  post and year, above the post's real serials that year, in steps of 1-3 like a real message
  centre. The cable's own serial in its banner and page-break lines is rewritten to match.
  Rows with malformed ids (``7575LIBREVILLE1895``) are used once, as they are.
- Row numbers run 1..N; the date column keeps the drawn cable's date and time.
- Deterministic: the same ``--seed`` and ``--cables`` give the same bytes.

The output is in the dump's own dialect (all fields quoted, backslash-escaped quotes), read
by ``import_cables`` like the real file.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import sys
import tarfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
RELEASE_SIZE = 251_287
WELL_FORMED_ID = re.compile(r"^(?P<year>\d{2})(?P<post>[A-Z]+?)(?P<serial>\d{1,7})$")


@dataclass
class Template:
    row: list[str]  # the eight columns as read
    year: str = ""
    post: str = ""
    serial: int = 0

    @property
    def well_formed(self) -> bool:
        return bool(self.post)


def read_csv(stream) -> Iterator[list[str]]:
    """The eight-column rows of one cables.csv file (a binary stream)."""
    csv.field_size_limit(2**31 - 1)
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="")
    for row in csv.reader(text, escapechar="\\", doublequote=False):
        if len(row) == 8:
            yield row


def write_csv(rows: Iterable[list[str]], out) -> None:
    """Rows in the dump's dialect: every field quoted, quotes escaped with a backslash."""
    writer = csv.writer(
        out, quoting=csv.QUOTE_ALL, escapechar="\\", doublequote=False, lineterminator="\n"
    )
    writer.writerows(rows)


def read_rows(corpus: Path) -> Iterator[list[str]]:
    """Every row of every cables.csv file in the corpus's CSV pack, in archive order."""
    with tarfile.open(corpus / "cables-csv-rows.tar.xz") as pack:
        for member in pack:
            if member.isfile():
                yield from read_csv(pack.extractfile(member))


def load_templates(rows: Iterable[list[str]]) -> list[Template]:
    """The distinct cables among the rows, each with its id taken apart where it can be."""
    templates, seen = [], set()
    for row in rows:
        ref_id = row[2].strip()
        if ref_id in seen:
            continue
        seen.add(ref_id)
        template = Template(row)
        match = WELL_FORMED_ID.match(ref_id)
        if match:
            template.year, template.post = match["year"], match["post"]
            template.serial = int(match["serial"])
        templates.append(template)
    return templates


def own_serial_lines(serial: int) -> re.Pattern:
    """The banner ("CONFIDENTIAL SECTION 01 OF 02 ALMATY 002803") and page-break lines
    ("ALMATY 00002803 002 OF 002") that carry the cable's own serial, and "#2803" in the
    routing line "DE RUEHTA #2803/01 2081402"."""
    return re.compile(
        # Capitals, digits and spaces only before the serial: not "REF: B. STATE 2803".
        rf"(?m)(^\s*[A-Z][A-Z0-9 /'-]*[A-Z]\s+)0*{serial}"
        rf"(?=(?:\s+\d{{1,3}}(?:\.\d)?\s+OF\s+\d{{1,3}})?\s*$)"
        rf"|(?<=#)0*{serial}(?=[/\s])"
    )


def renumber(text: str, old: int, new: int) -> str:
    def replace(match: re.Match) -> str:
        digits = match.group(0)[len(match.group(1) or "") :]
        return (match.group(1) or "") + str(new).zfill(len(digits))

    return own_serial_lines(old).sub(replace, text)


def generate(templates: list[Template], count: int, seed: int) -> Iterator[list[str]]:
    rng = random.Random(seed)
    reusable = [t for t in templates if t.well_formed]
    used: set[int] = set()  # indexes of templates whose first copy (real id) was written
    next_serial: dict[tuple[str, str], int] = defaultdict(int)
    for t in reusable:
        key = (t.year, t.post)
        next_serial[key] = max(next_serial[key], t.serial)
    for number in range(1, count + 1):
        index = rng.randrange(len(templates))
        template = templates[index]
        if index in used and not template.well_formed:
            template = rng.choice(reusable)
            index = -1
        row = list(template.row)
        row[0] = str(number)
        if index >= 0 and index not in used:
            used.add(index)  # the real cable, under its real id
        else:
            key = (template.year, template.post)
            next_serial[key] += rng.randint(1, 3)
            serial = next_serial[key]
            row[2] = f"{template.year}{template.post}{serial}"
            row[6] = renumber(row[6], template.serial, serial)
            row[7] = renumber(row[7], template.serial, serial)
        yield row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cables", type=int, default=RELEASE_SIZE, help="how many rows")
    parser.add_argument("--out", required=True, type=Path, help="the CSV file to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    if not (args.corpus / "cables-csv-rows.tar.xz").exists():
        parser.error(f"{args.corpus}: no cables-csv-rows.tar.xz here")

    started = time.perf_counter()
    templates = load_templates(read_rows(args.corpus))
    print(f"{len(templates):,} real cables read from {args.corpus}", file=sys.stderr)
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        write_csv(generate(templates, args.cables, args.seed), out)
    size = args.out.stat().st_size
    print(
        f"{args.cables:,} cables, {size / 1e9:.2f} GB written to {args.out} "
        f"in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
