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


def _prefix(text: str) -> str:
    return text[:2]


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
        # The first letters every stem of the query starts with (a stem is the start of its
        # word, but for a changed last letter or two: "sky" for "skies"): only the text's
        # words starting so are stemmed.
        self.prefixes = {_prefix(s) for stems in self.atoms for s in stems if s}

    def _stems(self, tokens: list[re.Match]) -> list[str | None]:
        prefixes = self.prefixes
        out: list[str | None] = []
        for token in tokens:
            word = token.group().lower()
            out.append(stem(word) if _prefix(word) in prefixes else None)
        return out

    def _hits(self, stems: list[str | None]) -> list[tuple[int, int]]:
        """The hits as spans of word indexes (first, last), in order, not overlapping."""
        spans = []
        count = len(stems)
        for i in range(count):
            for atom in self.atoms:
                last = i + len(atom) - 1
                if last >= count:
                    continue
                if all(s is None or stems[i + k] == s for k, s in enumerate(atom)):
                    # Marked from its first word searched for to its last (not the words a
                    # stop word at either end stood for).
                    found = [k for k, s in enumerate(atom) if s is not None]
                    spans.append((i + found[0], i + found[-1]))
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
        tokens = list(WORD.finditer(text))
        if not tokens:
            return text
        hits = self._hits(self._stems(tokens))
        first, end = self._window(len(tokens), hits)
        start_at = 0 if first == 0 else tokens[first].start()
        stop_at = len(text) if end == len(tokens) else tokens[end - 1].end()
        out = [ELLIPSIS] if start_at else []
        pos = start_at
        for hit_first, hit_last in hits:
            if hit_first < first or hit_last >= end:
                continue
            begin, finish = tokens[hit_first].start(), tokens[hit_last].end()
            out += [text[pos:begin], START, text[begin:finish], STOP]
            pos = finish
        out.append(text[pos:stop_at])
        if stop_at < len(text):
            out.append(ELLIPSIS)
        return "".join(out)
