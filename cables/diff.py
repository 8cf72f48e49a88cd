"""Word diffs between two versions of a cable's text (pure Python, no Django)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    op: str  # "same", "added", "removed"
    text: str


def word_diff(shown: str, other: str) -> list[Segment]:
    """What ``other`` has that ``shown`` lacks ("added") and the reverse ("removed"), word by
    word; whitespace changes alone (re-wrapped lines) are not differences."""
    a = [t for t in TOKEN.findall(shown) if not t.isspace()]
    b = [t for t in TOKEN.findall(other) if not t.isspace()]
    segments: list[Segment] = []

    def emit(op: str, words: list[str]) -> None:
        if not words:
            return
        text = " ".join(words)
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, f"{segments[-1].text} {text}")
        else:
            segments.append(Segment(op, text))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            emit("same", a[i1:i2])
        else:
            emit("removed", a[i1:i2])
            emit("added", b[j1:j2])
    return segments


def differs(shown: str, other: str) -> bool:
    return shown.split() != other.split()
