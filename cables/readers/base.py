from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from cables.parser import Hints


class ReadError(ValueError):
    """A file, or one record in it, that can't be read as a cable; the message says why.

    Readers of many-record files yield a ReadError for a bad record (so the others go on)
    and raise one when the whole file is unreadable."""

    def __init__(self, message: str, locator: str = ""):
        super().__init__(message)
        self.locator = locator


@dataclass
class RawRecord:
    """One cable's text as a mirror gave it, with what the mirror said about it."""

    text: str
    hints: Hints
    format: str  # "text/labelled-columns", "html/cablegate", "csv/cables", ...
    locator: str  # the file, archive member or row it came from
    extra: dict = field(default_factory=dict)  # what a format carries beyond the text


TAG = re.compile(r"<[^>]+>")


def plain(fragment: str) -> str:
    """Markup off, entities decoded: '&#x000A;' is a newline, a link is its text."""
    return html.unescape(TAG.sub("", fragment.replace("&#x000A;", "\n").replace("<br />", "\n")))
