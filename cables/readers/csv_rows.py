"""Rows of the unofficial ``cables.csv`` dump (251,287 rows, 1.7 GB in full), streamed.

No header row; eight double-quoted columns: row number, ``M/D/YYYY H:MM``, reference id,
origin, classification, references joined by ``|``, routing header, body. Quotes inside fields
are escaped with a backslash, not doubled; newlines inside fields are literal.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import BinaryIO

from cables.parser import Hints

from .base import RawRecord, ReadError

FIELDS = 8
MAX_FIELD = 16 * 1024 * 1024  # characters; no cable comes near it
FORMAT = "csv/cables"
FIRST_ROW = re.compile(rb'^\s*"\d+","\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}","')
DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2})$")


def sniff(head: bytes) -> bool:
    return bool(FIRST_ROW.match(head))


def parse_date(value: str) -> datetime | None:
    m = DATE.match(value.strip())
    if not m:
        return None
    month, day, year, hour, minute = map(int, m.groups())
    try:
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None


class ForwardOnly(io.RawIOBase):
    """A stream read front to back (a tar member inside a compressed tar can't even say
    whether it seeks)."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def read(stream: BinaryIO, locator: str) -> Iterator[RawRecord | ReadError]:
    # A cable body can exceed csv's default 128 KiB field limit; a field past MAX_FIELD (a
    # broken quote swallowing the rest of the file) stops the file with a clear error.
    csv.field_size_limit(MAX_FIELD)
    text = io.TextIOWrapper(
        io.BufferedReader(ForwardOnly(stream)), encoding="utf-8", errors="replace", newline=""
    )
    rows = csv.reader(text, escapechar="\\", doublequote=False)
    line = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            yield ReadError(f"unreadable CSV near line {rows.line_num}: {error}", locator, FORMAT)
            return
        line += 1
        if not row:
            continue  # the dump's files start with an empty line
        where = f"{locator}:row {row[0].strip() or line}"
        if len(row) != FIELDS:
            yield ReadError(f"expected {FIELDS} columns, found {len(row)}", where, FORMAT)
            continue
        number, date, ref_id, origin, classification, references, header, body = row
        created = parse_date(date)
        if created is None:
            yield ReadError(f"unreadable date {date!r}", where, FORMAT)
            continue
        hints = Hints(
            reference_id=ref_id.strip(),
            created=created,
            classification=classification.strip(),
            origin=origin.strip(),
        )
        yield RawRecord(
            text=f"{header}\n\n{body}",
            hints=hints,
            format=FORMAT,
            locator=where,
            extra={"csv_references": [r for r in references.split("|") if r.strip()]},
        )
