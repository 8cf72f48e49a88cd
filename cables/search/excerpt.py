"""Snippets cut from a paragraph here, for the paragraphs PostgreSQL chose.

``ts_headline`` parses and stems every word of each paragraph it is given: ~0.3 ms a
paragraph, 30 ms for the 100-odd paragraphs of a page of 50 results, most of a search
page's database time after the facets. Here only the words that could be a hit are stemmed
(those starting like a word searched for), with the same English Snowball stemmer as
PostgreSQL's ``english`` configuration, so the words marked are the words PostgreSQL
matched: ``governing`` for ``government`` (both ``govern``), not ``governor``.

``Excerpts(query).excerpt(text)`` gives the paragraph's best stretch of ``SNIPPET_WORDS``
words (the one holding most hits, a few words of context before the first), with each hit
between the ``START`` and ``STOP`` markers that ``highlight.marked_html`` turns into
``<mark>`` after escaping, and ``…`` where the paragraph was cut.

Words are runs of letters and digits, as the query parser reads them; a phrase's words must
follow each other, a stop word in a phrase standing for any word (PostgreSQL does not index
stop words, but counts their places). Pure Python, no Django.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from functools import lru_cache

import snowballstemmer

from .query import STOP_WORDS, WORD, Atom

START, STOP = "\x02", "\x03"
ELLIPSIS = "…"
# Words of context shown before the first hit of a stretch.
LEAD_WORDS = 4

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
        self.words = words
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

    def _hits(self, text: str, starts: list[int]) -> list[tuple[int, int]]:
        """The hits as spans of word indexes (first, last), in order, not overlapping.
        ``starts``: where each word of ``text`` starts."""
        if self.candidates is None:
            return []
        found: dict[int, str] = {}  # word index: its stem, for the words with a stem wanted
        for match in self.candidates.finditer(text):
            word_stem = stem(match.group().lower())
            if word_stem in self.wanted:
                found[bisect_left(starts, match.start())] = word_stem
        count = len(starts)
        spans = []
        for atom in self.atoms:
            searched = [k for k, s in enumerate(atom) if s is not None]
            anchor = searched[0]
            for index, word_stem in found.items():
                first = index - anchor
                if word_stem != atom[anchor] or first < 0 or first + len(atom) > count:
                    continue
                if all(found.get(first + k) == atom[k] for k in searched[1:]):
                    # Marked from its first word searched for to its last (not the words a
                    # stop word at either end stood for).
                    spans.append((first + anchor, first + searched[-1]))
        spans.sort(key=lambda span: (span[0], -span[1]))
        merged: list[tuple[int, int]] = []
        for first, last in spans:
            if merged and first <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], last))
            else:
                merged.append((first, last))
        return merged

    def _window(self, count: int, hits: list[tuple[int, int]]) -> tuple[int, int]:
        """The stretch of ``self.words`` words (first, end) that holds the most hits
        (the first such), starting a few words before its first hit."""
        if count <= self.words:
            return 0, count
        best, best_start = -1, 0
        for first, _ in hits:
            start = max(0, min(first - LEAD_WORDS, count - self.words))
            held = sum(1 for f, last in hits if f >= start and last < start + self.words)
            if held > best:
                best, best_start = held, start
        return best_start, best_start + self.words

    def excerpt(self, text: str) -> str:
        starts = [match.start() for match in WORD.finditer(text)]
        if not starts:
            return text
        hits = self._hits(text, starts)
        first, end = self._window(len(starts), hits)

        def word_end(index: int) -> int:
            return WORD.match(text, starts[index]).end()

        start_at = 0 if first == 0 else starts[first]
        stop_at = len(text) if end == len(starts) else word_end(end - 1)
        out = [ELLIPSIS] if start_at else []
        pos = start_at
        for hit_first, hit_last in hits:
            if hit_first < first or hit_last >= end:
                continue
            begin, finish = starts[hit_first], word_end(hit_last)
            out += [text[pos:begin], START, text[begin:finish], STOP]
            pos = finish
        out.append(text[pos:stop_at])
        if stop_at < len(text):
            out.append(ELLIPSIS)
        return "".join(out)
