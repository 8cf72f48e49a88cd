from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

from cables.parser import Hints


class ReadError(ValueError):
    """A file, or one record in it, that can't be read as a cable; the message says why.

    Readers of many-record files yield a ReadError for a bad record (so the others go on)
    and raise one when the whole file is unreadable."""

    def __init__(self, message: str, locator: str = "", format: str = ""):
        super().__init__(message)
        self.locator = locator
        self.format = format  # where known: the format of the file the record was in


@dataclass
class RawRecord:
    """One cable's text as a mirror gave it, with what the mirror said about it."""

    text: str
    hints: Hints
    format: str  # "text/labelled-columns", "html/cablegate", "csv/cables", ...
    locator: str  # the file, archive member or row it came from
    extra: dict = field(default_factory=dict)  # what a format carries beyond the text
    # The file (or archive member) the record was read from; set by ``read_stream``.
    file: str = ""

    @cached_property
    def text_hash(self) -> str:
        """SHA-256 of the text: what tells a re-import that the record is unchanged
        (computed once, though the importer asks for it at several steps)."""
        return hashlib.sha256(self.text.encode()).hexdigest()


TAG = re.compile(r"<[^>]+>")


def plain(fragment: str) -> str:
    """Markup off, entities decoded: '&#x000A;' is a newline, a link is its text."""
    return html.unescape(TAG.sub("", fragment.replace("&#x000A;", "\n").replace("<br />", "\n")))


# Some mirrors put "Cable dated:<ISO time>" before the text and glue the first header lines
# into one: "Cable dated:2002-11-15T12:40:00S E C R E T SECTION 01 OF 05 ANKARA 008305S/CT FOR
# REAPE.O. 12958: DECL: ..."
# Some also put the site's record number before it ("ID:190812 Cable dated:...") or a stray
# bracket after the time ("2005-08-17T21:24:00]").
CABLE_DATED = re.compile(
    r"^\s*(?:ID:\s*\d+\s*)?Cable dated:\s*"
    r"(?P<created>\d{4}-\d{2}-\d{2})T(?P<time>\d{2}:\d{2})(?::\d{2})?\]?\s*"
)
GLUED_SERIAL = re.compile(r"^(.*?\b[A-Z][A-Z .]*? \d{6})(?=[A-Z])")
GLUED_KEYWORD = re.compile(r"\s*(?=SIPDIS|E\.O\. \d|TAGS:|SUBJECT:)")
END_MARKS = re.compile(r"(?m)^\s*End Cable Text\s*$")


def unglue_cable_dated(text: str) -> tuple[datetime | None, str]:
    """The date such a mirror gives, and the text with its first lines taken apart again."""
    text = END_MARKS.sub("", text)
    dated = CABLE_DATED.match(text)
    if not dated:
        return None, text
    created = datetime.fromisoformat(f"{dated['created']}T{dated['time']}").replace(tzinfo=UTC)
    first, _, rest = text[dated.end() :].partition("\n")
    first = GLUED_SERIAL.sub(r"\1\n", first, count=1)
    return created, GLUED_KEYWORD.sub("\n", first) + "\n" + rest
