"""Snippets cut from a paragraph here, for the paragraphs PostgreSQL chose.

``ts_headline`` parses and stems every word of each paragraph it is given: ~0.3 ms a
paragraph, 30 ms for the 100-odd paragraphs of a page of 50 results, most of a search
page's database time after the facets. Here only the words that could be a hit are stemmed
(those starting like a word searched for), with the same English Snowball stemmer as
PostgreSQL's ``english`` configuration, so the words marked are the words PostgreSQL
matched: ``governing`` for ``government`` (both ``govern``), not ``governor``.

``Excerpts(atoms, words).excerpt(text)`` gives the paragraph's best stretch of about
``words`` words, counted as ``CHARS_PER_WORD`` characters each (the stretch holding most
hits, a sixth of it before the first; whole words: the paragraph is never tokenised in
full), with each hit between the ``START`` and ``STOP`` markers that
``highlight.marked_html`` turns into ``<mark>`` after escaping, and ``…`` where the
paragraph was cut.

Words are runs of letters and digits, as the query parser reads them; a phrase's words must
follow each other, a stop word in a phrase standing for any word (PostgreSQL does not index
stop words, but counts their places). Pure Python, no Django.
"""

from __future__ import annotations

import itertools
import re
import threading
from functools import lru_cache

import snowballstemmer

from .query import STOP_WORDS, WORD, Atom

START, STOP = "\x02", "\x03"
ELLIPSIS = "…"
# The share of a stretch shown before its first hit, for context.
LEAD_SHARE = 1 / 6
# About how many characters a word takes, with the space after it (English cable text).
CHARS_PER_WORD = 7

_stemmers = threading.local()  # a Snowball stemmer keeps state while it works


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Snowball English stem of a lower-case word (PostgreSQL's ``english_stem``)."""
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


class Excerpts:
    """Excerpts with the hits of a query's words and phrases marked."""

    def __init__(self, atoms: list[Atom], words: int) -> None:
        # Each atom as the stems of its words (None: a stop word, standing for any word).
        self.atoms = [
            stems
            for stems in (
                tuple(None if word in STOP_WORDS else stem(word) for word in atom.words)
                for atom in atoms
            )
            if any(stems)
        ]
        self.chars = words * CHARS_PER_WORD
        self.wanted = {s for stems in self.atoms for s in stems if s}
        # The words that may be hits: those starting with the first two letters of a stem
        # searched for (a stem is the start of its word, but for a changed last letter or
        # two: "sky" for "skies"). Only they are stemmed.
        prefixes = sorted({s[:2] for s in self.wanted}, key=lambda p: (-len(p), p))
        self.candidates = (
            re.compile(
                rf"(?<![^\W_])(?:{'|'.join(map(re.escape, prefixes))})[^\W_]*", re.IGNORECASE
            )
            if prefixes
            else None
        )

    def _found(self, text: str) -> list[tuple[int, int, str]]:
        """The words of ``text`` with a stem searched for: (start, end, stem), in order."""
        if self.candidates is None:
            return []
        found = []
        for match in self.candidates.finditer(text):
            word_stem = stem(match.group().lower())
            if word_stem in self.wanted:
                found.append((match.start(), match.end(), word_stem))
        return found

    def _hits(self, text: str) -> list[tuple[int, int]]:
        """The hits as spans of characters (start, end), in order, not overlapping: a word
        searched for, or a phrase's words each the right number of words after the one
        before (a stop word of the phrase: any one word)."""
        found = self._found(text)
        spans = []
        for atom in self.atoms:
            searched = [k for k, s in enumerate(atom) if s is not None]
            for index, (start, end, word_stem) in enumerate(found):
                if word_stem != atom[searched[0]]:
                    continue
                last, at = end, index
                for before, k in itertools.pairwise(searched):
                    at = self._next(text, found, at, last, k - before - 1, atom[k])
                    if at is None:
                        break
                    last = found[at][1]
                else:
                    spans.append((start, last))
        spans.sort(key=lambda span: (span[0], -span[1]))
        merged: list[tuple[int, int]] = []
        for start, end in spans:
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

    @staticmethod
    def _next(
        text: str, found: list[tuple[int, int, str]], at: int, after: int, gap: int, wanted: str
    ) -> int | None:
        """The index in ``found`` of the word ``wanted`` that is ``gap`` words after the
        character ``after`` (the end of found[at]), or None."""
        for index in range(at + 1, len(found)):
            start, _, word_stem = found[index]
            between = len(WORD.findall(text, after, start))
            if between > gap:
                return None
            if between == gap and word_stem == wanted:
                return index
        return None

    def _window(self, length: int, hits: list[tuple[int, int]]) -> tuple[int, int]:
        """The stretch of ``self.chars`` characters (start, end) holding the most hits (the
        first such), starting a little before its first hit."""
        if length <= self.chars:
            return 0, length
        best, best_start = -1, 0
        for first, _ in hits:
            start = max(0, min(first - int(self.chars * LEAD_SHARE), length - self.chars))
            held = sum(1 for s, e in hits if s >= start and e <= start + self.chars)
            if held > best:
                best, best_start = held, start
        return best_start, best_start + self.chars

    def excerpt(self, text: str) -> str:
        hits = self._hits(text)
        start_at, stop_at = self._window(len(text), hits)
        # Whole words: from the start of the first word begun in the stretch to the end of
        # the last word ended in it.
        if start_at:
            if text[start_at - 1].isalnum() and (word := WORD.match(text, start_at)):
                start_at = word.end()
            word = WORD.search(text, start_at)
            start_at = word.start() if word else len(text)
        if stop_at < len(text):
            while stop_at > start_at and text[stop_at - 1].isalnum() and text[stop_at].isalnum():
                stop_at -= 1
            stop_at = max(start_at, len(text[:stop_at].rstrip()))
        out = [ELLIPSIS] if start_at else []
        pos = start_at
        for begin, finish in hits:
            if begin < start_at or finish > stop_at:
                continue
            out += [text[pos:begin], START, text[begin:finish], STOP]
            pos = finish
        out.append(text[pos:stop_at])
        if stop_at < len(text):
            out.append(ELLIPSIS)
        return "".join(out)
