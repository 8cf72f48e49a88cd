"""Readers: one per source format. Each turns a file's bytes into RawRecords (cable text plus
the metadata the mirror printed around it), without Django, so they can be tested alone.

``read_bytes`` detects the format from the content, not the file name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import ftfy

from .base import RawRecord, ReadError
from .text import looks_like_text_cable, read_text

__all__ = ["RawRecord", "ReadError", "decode", "iter_files", "read_bytes"]


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
    if ftfy.is_bad(text):
        text = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)
    return text


def read_bytes(data: bytes, locator: str) -> Iterator[RawRecord]:
    """The cables in one file's content. Raises ReadError when there are none to read."""
    if not data.strip():
        raise ReadError("empty file")
    if b"\x00" in data[:8192]:
        raise ReadError("binary file, not text")
    text = decode(data)
    if looks_like_text_cable(text):
        yield from read_text(text, locator)
        return
    raise ReadError(
        "not a cable: no routing header, classification line, TAGS or SUBJECT line found"
    )
