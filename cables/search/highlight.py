"""Highlighted HTML from untrusted cable text.

Cable text comes from public mirrors and may contain anything, ``<script>`` included. Two
ways of marking hits, both escape first:

- Snippets (cut by ``excerpt.Excerpts`` on PostgreSQL, by ``snippet()`` in FTS5) wrap hits
  in the control characters ``\\x02`` and ``\\x03`` instead of HTML tags.
  ``marked_html`` HTML-escapes the whole text, *then* turns the markers into ``<mark>`` and
  ``</mark>``. Escaping cannot produce or remove a control character, so the only tags in the
  result are the ``<mark>`` tags added here, always balanced (a stray marker in the cable
  text itself can at worst open or close a mark, never inject markup). That is why the result
  may be ``mark_safe``d.
- ``Highlighter`` marks the words of a parsed query in any text (the cable page, subjects):
  the text is split around the matches, every piece is escaped, and only the ``<mark>`` tags
  are added. Matching is case-insensitive and by word prefix of a lightly stemmed term
  ("meetings" marks meet, meeting, meets), close enough to the engines' stemming for a
  reader's eye.
"""

from __future__ import annotations

import re
from functools import cached_property

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .excerpt import START, STOP
from .query import Atom, ParsedQuery

_MARKERS = re.compile(f"[{START}{STOP}]")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s", "ly", "y", "e")


def marked_html(text: str) -> SafeString:
    """Escape ``text`` and turn its START/STOP markers into balanced ``<mark>`` tags."""
    out: list[str] = []
    open_ = False
    pos = 0
    for match in _MARKERS.finditer(text):
        out.append(escape(text[pos : match.start()]))
        pos = match.end()
        if match.group() == START and not open_:
            out.append("<mark>")
            open_ = True
        elif match.group() == STOP and open_:
            out.append("</mark>")
            open_ = False
    out.append(escape(text[pos:]))
    if open_:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped


def plain_text(text: str) -> str:
    """A marked snippet without its markers (for JSON consumers that want text)."""
    return _MARKERS.sub("", text)


def _stem(word: str) -> str:
    if word.isdigit() or len(word) <= 3:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _word_pattern(word: str) -> str:
    stem = _stem(word)
    tail = "" if word.isdigit() or len(word) <= 2 else r"[^\W_]*"
    return re.escape(stem) + tail


def _atom_pattern(atom: Atom) -> str:
    return r"[\W_]+".join(_word_pattern(word) for word in atom.words)


class Highlighter:
    """Marks the words and phrases a query looks for."""

    def __init__(self, query: ParsedQuery) -> None:
        self.atoms = query.positive_atoms()

    @cached_property
    def pattern(self) -> re.Pattern | None:
        if not self.atoms:
            return None
        # Longer alternatives first, so that a phrase wins over one of its words.
        atoms = sorted(self.atoms, key=lambda a: (-len(a.words), -len(a.words[0])))
        alternatives = "|".join(_atom_pattern(atom) for atom in atoms)
        return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)

    def matches(self, text: str) -> bool:
        return bool(self.pattern and self.pattern.search(text or ""))

    def html(self, text: str) -> SafeString:
        """``text`` escaped, with each hit wrapped in ``<mark>``."""
        text = text or ""
        if self.pattern is None:
            return mark_safe(escape(text))  # noqa: S308 - escaped
        out: list[str] = []
        pos = 0
        for match in self.pattern.finditer(text):
            out.append(escape(text[pos : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            pos = match.end()
        out.append(escape(text[pos:]))
        return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped
