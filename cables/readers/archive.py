"""Archives read in place, member by member, never unpacked to disk: ``.tar`` (plain, gzip,
xz or bzip2) and ``.zip``; a lone gzip, xz or bzip2 file is read as the file inside it."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import BinaryIO

from .base import RawRecord, ReadError

ZIP = b"PK\x03\x04"
COMPRESSED = {
    b"\x1f\x8b": lambda stream: gzip.GzipFile(fileobj=stream),
    b"\xfd7zXZ\x00": lzma.LZMAFile,
    b"BZh": bz2.BZ2File,
}
# A zip read from a stream that can't seek is held in memory: cap it.
MAX_IN_MEMORY_ZIP = 512 * 1024 * 1024
# Zip-bomb guards, checked on a member's header before a byte of it is decompressed:
# - no member may unpack to more than MAX_MEMBER_BYTES (the whole cables.csv, the largest
#   real file, is 1.7 GB);
# - a zip member larger than RATIO_FLOOR may not unpack to more than MAX_RATIO times its
#   compressed size (text deflates about 4:1, xz about 10:1; a bomb's ratio is ~1000:1).
#   A zip member never yields more than its declared size (zipfile stops there), and a tar
#   member is exactly its header's size, so the headers are enough.
MAX_MEMBER_BYTES = 4 * 1024 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024


def is_tar(head: bytes) -> bool:
    return len(head) >= 262 and head[257:262] == b"ustar"


def sniff(head: bytes) -> bool:
    return head.startswith(ZIP) or is_tar(head) or any(map(head.startswith, COMPRESSED))


def unsafe(name: str) -> bool:
    path = PurePosixPath(name)
    return path.is_absolute() or ".." in path.parts


def read(stream: BinaryIO, locator: str) -> Iterator[RawRecord | ReadError]:
    from . import read_stream

    head = stream.peek(512)
    if head.startswith(ZIP):
        yield from _read_zip(stream, locator)
        return
    for magic, opener in COMPRESSED.items():
        if head.startswith(magic):
            stream = io.BufferedReader(opener(stream))
            try:
                head = stream.peek(512)
            except (OSError, EOFError, lzma.LZMAError, zlib.error) as error:
                yield ReadError(f"corrupt compressed file: {error}", locator)
                return
            break
    if not is_tar(head):
        # A single compressed file: read what is inside it.
        try:
            yield from read_stream(stream, f"{locator}!")
        except (OSError, EOFError, lzma.LZMAError, zlib.error) as error:
            yield ReadError(f"corrupt compressed file: {error}", locator)
        return
    try:
        with tarfile.open(fileobj=stream, mode="r|") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                where = f"{locator}!{member.name}"
                if unsafe(member.name):
                    yield ReadError("unsafe path in archive (absolute or '..'): skipped", where)
                    continue
                if member.size > MAX_MEMBER_BYTES:
                    yield ReadError(_too_large(member.size), where)
                    continue
                yield from _member(read_stream, tar.extractfile(member), where)
    except (tarfile.TarError, OSError, EOFError, lzma.LZMAError, zlib.error) as error:
        yield ReadError(f"corrupt archive: {error}", locator)


def _read_zip(stream: BinaryIO, locator: str) -> Iterator[RawRecord | ReadError]:
    from . import read_stream

    try:
        seekable = stream.seekable()
    except (AttributeError, OSError):
        seekable = False
    if not seekable:
        data = stream.read(MAX_IN_MEMORY_ZIP + 1)
        if len(data) > MAX_IN_MEMORY_ZIP:
            yield ReadError("zip archive too large to read from a stream", locator)
            return
        stream = io.BytesIO(data)
    try:
        with zipfile.ZipFile(stream) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                where = f"{locator}!{info.filename}"
                if unsafe(info.filename):
                    yield ReadError("unsafe path in archive (absolute or '..'): skipped", where)
                    continue
                if info.file_size > MAX_MEMBER_BYTES:
                    yield ReadError(_too_large(info.file_size), where)
                    continue
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
                    yield ReadError(
                        f"possible zip bomb: {info.compress_size} bytes unpack to "
                        f"{info.file_size} ({ratio:.0f} times more; at most {MAX_RATIO} "
                        "allowed): skipped, not decompressed",
                        where,
                    )
                    continue
                with archive.open(info) as member:
                    yield from _member(read_stream, member, where)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        yield ReadError(f"corrupt zip archive: {error}", locator)


def _too_large(size: int) -> str:
    return (
        f"member unpacks to {size} bytes, more than the {MAX_MEMBER_BYTES} allowed: "
        "skipped, not decompressed"
    )


def _member(read_stream, member: BinaryIO, where: str) -> Iterator[RawRecord | ReadError]:
    """One archive member; its own failure is reported for it alone."""
    try:
        yield from read_stream(member, where)
    except ReadError as error:
        yield ReadError(str(error), error.locator or where)
