"""Readers: one per source format. Each turns a file into RawRecords (cable text plus the
metadata the mirror printed around it), without Django, so they can be tested alone.

The format is detected from the content, never from the file name. Multi-record formats
(CSV dumps, JSON lines, archives) are streamed: a bad record is yielded as a ReadError and the
rest of the file goes on.
"""

from __future__ import annotations

import codecs
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator
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

# Files read whole (one cable, or a JSON document) are read in chunks and refused, without
# reading on, once they pass either limit: no cable comes near them (the longest cable of the
# 2010 release is well under 1 MB; a JSON line holds one cable). CSV dumps and archives are
# streamed and not bound by MAX_FILE_BYTES (archive members have their own limits).
MAX_LINE_BYTES = 16 * 1024 * 1024
MAX_FILE_BYTES = 1024 * 1024 * 1024
READ_CHUNK = 1024 * 1024

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


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


def wide_codec(data: bytes) -> str | None:
    """ "utf-16"/"utf-32" for text with a byte-order mark, "utf-16-le"/"utf-16-be" for UTF-16
    without one (ASCII text then has a zero byte at every other place), else None."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return codec
    sample = data[:4096]
    if len(sample) < 64:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode(data: bytes) -> str:
    """UTF-8 where it is valid, else cp1252 (the mirrors' other encoding); UTF-16 and UTF-32
    (Windows' "Unicode" text) where the bytes say so; mojibake repaired."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    codec = wide_codec(data)
    if codec:
        text = data.decode(codec, errors="replace").removeprefix("\ufeff")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    # ftfy's own check costs ~15 ms on a 100 KB page: look for UTF-8-read-as-cp1252 first.
    if MOJIBAKE_HINT.search(text) and ftfy.is_bad(text):
        text = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)
    return text


def input_size(paths: Iterable[str | os.PathLike]) -> int:
    """The bytes on disk of every file ``iter_files`` gives (archives as they are stored):
    what an import reads, for its progress and the time it has left."""
    total = 0
    for path in iter_files(paths):
        try:
            total += path.stat().st_size
        except OSError:
            pass  # reported when the import tries to read it
    return total


def read_path(path: Path, on_position: Callable[[int], None] | None = None) -> Iterator[Item]:
    """The cables in one file. Raises ReadError when the file can't be read at all.

    ``on_position`` is told, after each item, how far into the file reading has come (bytes
    on disk: of the compressed file, for a compressed archive)."""
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is done
    except OSError as error:
        raise ReadError(f"can't read the file: {error.strerror or error}", str(path)) from None
    with stream:
        for item in read_stream(stream, str(path)):
            yield item
            if on_position is not None:
                on_position(stream.tell())


def read_stream(stream: BinaryIO, locator: str) -> Iterator[Item]:
    """The cables in one stream; large multi-record formats are read without loading them."""
    from . import archive, csv_rows

    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)
    head = buffered.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    if archive.sniff(head):
        yield from archive.read(buffered, locator)
        return
    if csv_rows.sniff(head):
        items = csv_rows.read(buffered, locator)
    else:
        items = read_bytes(read_bounded(buffered, locator), locator)
    for item in items:
        if isinstance(item, RawRecord):
            item.file = locator
        yield item


def read_bounded(stream: BinaryIO, locator: str) -> bytes:
    """A whole file's bytes, read in chunks; a ReadError as soon as a line runs past
    MAX_LINE_BYTES or the file past MAX_FILE_BYTES (so a 100 GB line is never held whole)."""
    chunks: list[bytes] = []
    total = 0  # bytes read
    line, number = 0, 1  # bytes of the line not yet ended, and its number
    while chunk := stream.read(READ_CHUNK):
        first_end = chunk.find(b"\n")
        if line + (len(chunk) if first_end < 0 else first_end) > MAX_LINE_BYTES:
            raise ReadError(
                f"line {number} is longer than {MAX_LINE_BYTES // 2**20} MB: not a cable file, "
                "not read further",
                locator,
            )
        if first_end < 0:
            line += len(chunk)
        else:
            line = len(chunk) - chunk.rfind(b"\n") - 1
            number += chunk.count(b"\n")
        total += len(chunk)
        if total > MAX_FILE_BYTES:
            raise ReadError(
                f"larger than {MAX_FILE_BYTES // 2**20} MB: too large for one cable or JSON "
                "document, not read further",
                locator,
            )
        chunks.append(chunk)
    return b"".join(chunks)


def read_bytes(data: bytes, locator: str) -> Iterator[Item]:
    """The cables in one file's content. Raises ReadError when there are none to read."""
    from . import html, json_records, text

    if not data.strip():
        raise ReadError("empty file", locator)
    if b"\x00" in data[:SNIFF_BYTES] and not wide_codec(data):
        raise ReadError("binary file, not text", locator)
    decoded = decode(data)
    for reader in (html, json_records, text):
        if reader.sniff(decoded):
            yield from reader.read(decoded, locator)
            return
    head = data[:SNIFF_BYTES]
    not_ascii = sum(byte >= 0x80 for byte in head) / len(head)
    if not_ascii > 0.3:
        raise ReadError(
            "not a cable, and not text in a known encoding (UTF-8, UTF-16, cp1252): "
            f"{not_ascii:.0%} of its bytes are not ASCII",
            locator,
        )
    raise ReadError(
        "not a cable: no routing header, classification line, TAGS or SUBJECT line found",
        locator,
    )
