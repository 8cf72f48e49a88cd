from __future__ import annotations

from dataclasses import dataclass

from cables.parser import Hints


class ReadError(ValueError):
    """A file (or a record in it) that can't be read as a cable; the message says why."""


@dataclass
class RawRecord:
    """One cable's text as a mirror gave it, with what the mirror said about it."""

    text: str
    hints: Hints
    format: str  # "text/labelled-columns", "text/markdown", ...
    locator: str  # the file, archive member or row it came from
