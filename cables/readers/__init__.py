"""Readers: one per source format. Each turns a file into RawRecords (cable text plus the
metadata the mirror printed around it), without Django, so they can be tested alone.

The format is detected from the content, never from the file name. Multi-record formats
(CSV dumps, JSON lines, archives) are streamed: a bad record is yielded as a ReadError and the
rest of the file goes on.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import ftfy

from .base import RawRecord, ReadError

__all__ = ["RawRecord", "ReadError", "decode", "iter_files", "read_bytes", "read_path"]

Item = RawRecord | ReadError

# "Ã©", "â€™", "Â¶": the lead bytes of UTF-8 sequences decoded as cp1252.
MOJIBAKE_HINT = re.compile(
    "[\u00c2\u00c3\u00e2][\u0080-\u00bf\u0152-\u0178\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)

# How much of a file is looked at to tell its format.
SNIFF_BYTES = 64 * 1024


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Every file under the given files and folders, in a stable order; hidden files skipped."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden:
                    yield child
        else:
            yield path


def decode(data: bytes) -> str:
    """UTF-8 where it is valid, else cp1252 (the mirrors' other encoding); mojibake repaired."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    # ftfy's own check costs ~15 ms on a 100 KB page: look for UTF-8-read-as-cp1252 first.
    if MOJIBAKE_HINT.search(text) and ftfy.is_bad(text):
        text = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)
    return text


def read_path(path: Path) -> Iterator[Item]:
    """The cables in one file. Raises ReadError when the file can't be read at all."""
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is done
    except OSError as error:
        raise ReadError(f"can't read the file: {error.strerror or error}", str(path)) from None
    with stream:
        yield from read_stream(stream, str(path))


def read_stream(stream: BinaryIO, locator: str) -> Iterator[Item]:
    """The cables in one stream; large multi-record formats are read without loading them."""
    from . import archive, csv_rows

    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)
    head = buffered.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    if archive.sniff(head):
        yield from archive.read(buffered, locator)
    elif csv_rows.sniff(head):
        yield from csv_rows.read(buffered, locator)
    else:
        yield from read_bytes(buffered.read(), locator)


def read_bytes(data: bytes, locator: str) -> Iterator[Item]:
    """The cables in one file's content. Raises ReadError when there are none to read."""
    from . import html, json_records, text

    if not data.strip():
        raise ReadError("empty file", locator)
    if b"\x00" in data[:SNIFF_BYTES]:
        raise ReadError("binary file, not text", locator)
    decoded = decode(data)
    for reader in (html, json_records, text):
        if reader.sniff(decoded):
            yield from reader.read(decoded, locator)
            return
    raise ReadError(
        "not a cable: no routing header, classification line, TAGS or SUBJECT line found",
        locator,
    )
