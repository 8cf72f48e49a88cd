"""The user's search, parsed once into a small AST that each engine renders.

Syntax, as on web search engines:

- ``word word``: every word must be in the cable (subject, summary or paragraph text);
- ``"exact phrase"``: the words next to each other, in this order;
- ``word OR word`` (upper-case ``OR``): either of them; binds tighter than the implicit AND,
  so ``kazakhstan oil OR gas`` is kazakhstan AND (oil OR gas);
- ``-word`` or ``-"a phrase"``: no cable containing it.

Everything else is text: a quote mark without a partner, a lone ``-`` or ``OR``, brackets,
``*``, ``:`` and SQL or FTS5 syntax are never operators. Words are runs of letters and
digits (as both engines' tokenizers see them), lower-cased; ``al-Qaida`` and ``U.S.`` are
read as the phrases "al qaida" and "u s" (keeping the text they came from, which
PostgreSQL's parser reads whole: ``Atom.source``), while ``NEAR(a`` or ``subject:a`` are two
words. Stop words (``the``, ``of``, ...; PostgreSQL's English list) are dropped on both
engines, alone or as a phrase of nothing else ("AT&T", "to be or not to be"), because
PostgreSQL's ``english`` configuration does not index them; inside a phrase with other
words they stay.

The AST only holds words, so nothing a user types reaches SQL or an FTS5 expression except
as a quoted string or a bound parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 500
MAX_ATOMS = 16
MAX_PHRASE_WORDS = 12
MAX_WORD_LENGTH = 64

# PostgreSQL's english.stop (the Snowball list), which to_tsvector('english', ...) drops.
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can did do does doing don down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own s same she should so some such t than that the their theirs
    them themselves then there these they this those through to too under until up very was
    we were what when where which while who whom why will with you your yours yourself
    yourselves""".split()
)

WORD = re.compile(r"[^\W_]+")
SEPARATORS = re.compile(r"[^\w\-.'’/&]+")
# A reference id typed alone: 06ALMATY2803, 06almaty2803, 06 ALMATY 2803, ALMATY 2803,
# SAN JOSE 123. The serial may carry leading zeros (ALMATY 002803, as headers write it).
REFERENCE = re.compile(
    r"(?:(?P<year>\d{2})\s*)?(?P<station>[A-Za-z]+(?:\s[A-Za-z]+){0,2})\s*0*(?P<serial>[1-9]\d{0,6})"
)
EXACT_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{3,63}")

EMPTY_MESSAGE = "Type some words to search."


@dataclass(frozen=True)
class Atom:
    """A word (one entry in ``words``) or an exact phrase (several).

    ``source``: the text a phrase was read from when it held more than letters, digits and
    spaces between its words (``u.s.``, ``9/11``, ``"u.s. policy"``), for an engine whose
    parser keeps such a token whole (PostgreSQL's: ``'u.s'``) to read it as it read the
    cables' text: ``U.S.`` and ``"u s"`` are two atoms there (they are one on SQLite, whose
    tokenizer splits both)."""

    words: tuple[str, ...]
    source: str = ""

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def __str__(self) -> str:
        """As typed again: read back, the same atom."""
        text = self.source or " ".join(self.words)
        return f'"{text}"' if self.is_phrase else text


@dataclass(frozen=True)
class ReferenceGuess:
    """A query that looks like a cable's reference id: the ids it could stand for."""

    station: str
    serial: str
    year: str | None = None
    exact: str | None = None  # the query itself, upper-cased, when it could be an id as is

    def candidates(self) -> list[str]:
        ids = [self.exact] if self.exact else []
        if self.year is not None:
            ids.append(f"{self.year}{self.station}{self.serial}")
        else:
            ids += [f"{year:02d}{self.station}{self.serial}" for year in range(100)]
        return list(dict.fromkeys(ids))

    def __str__(self) -> str:
        return f"{self.station} {self.serial}" if self.station else (self.exact or "")


@dataclass
class ParsedQuery:
    """``groups`` are ANDed; the atoms of one group are ORed; ``excluded`` atoms must not
    occur anywhere in a matching cable."""

    raw: str = ""
    groups: tuple[tuple[Atom, ...], ...] = ()
    excluded: tuple[Atom, ...] = ()
    notices: list[str] = field(default_factory=list)
    reference: ReferenceGuess | None = None
    # What an engine found for this query and may reuse within the same request.
    engine_cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def given(self) -> bool:
        """Whether the user typed anything at all (even nothing searchable)."""
        return bool(self.raw.strip())

    @property
    def searchable(self) -> bool:
        """Whether there is something to look for: at least one word or phrase."""
        return bool(self.groups)

    @property
    def hits_imply_match(self) -> bool:
        """Whether every paragraph with a hit belongs to a matching cable: true for a single
        word, phrase or OR group with nothing excluded (the cable's document holds its
        paragraphs)."""
        return len(self.groups) == 1 and not self.excluded

    def positive_atoms(self) -> list[Atom]:
        """Every word and phrase looked for, once each, in query order."""
        return list(dict.fromkeys(atom for group in self.groups for atom in group))

    def __str__(self) -> str:
        """The query as understood, in the same syntax (used in messages and links)."""
        parts = [" OR ".join(str(atom) for atom in group) for group in self.groups]
        parts += [f"-{atom}" for atom in self.excluded]
        return " ".join(parts)


# --- parsing --------------------------------------------------------------------------------


@dataclass
class _Item:
    atom: Atom | None = None
    negated: bool = False
    is_or: bool = False


def _words(text: str) -> list[str]:
    return [w[:MAX_WORD_LENGTH] for w in WORD.findall(text.lower())]


def _atom(text: str) -> Atom | None:
    """The word or phrase of ``text`` (None: no word in it), with its ``source`` (lower-cased:
    ``U.S.`` is ``u.s.``) when that says more than its words: something else than spaces
    between two of them (punctuation at an end says nothing more: ``"end summary."``), and
    no more words than the atom holds (none cut short)."""
    lowered = text.lower()
    found = list(WORD.finditer(lowered))
    if not found:
        return None
    words = [match[0][:MAX_WORD_LENGTH] for match in found]
    atom_words = tuple(words[:MAX_PHRASE_WORDS])
    cut = len(words) > MAX_PHRASE_WORDS or any(len(match[0]) > MAX_WORD_LENGTH for match in found)
    # From the first word's start to the last word's end, spaces made single.
    between = " ".join(lowered[found[0].start() : found[-1].end()].split())
    if cut or len(atom_words) < 2 or between == " ".join(words):
        return Atom(atom_words)
    return Atom(atom_words, lowered.strip())


def _tokenise(text: str) -> tuple[list[_Item], bool]:
    """Split the query into words, phrases and OR; report a quote mark without partner."""
    items: list[_Item] = []
    unbalanced = False
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        negated = False
        if char == "-" and i + 1 < n and not text[i + 1].isspace():
            negated = True
            i += 1
            char = text[i]
        if char == '"':
            end = text.find('"', i + 1)
            if end == -1:
                # A quote mark without a partner is plain text: skip it, read on.
                unbalanced = True
                i += 1
                continue
            if atom := _atom(text[i + 1 : end]):
                items.append(_Item(atom, negated))
            i = end + 1
            continue
        # A chunk of text up to the next space or quote mark.
        j = i
        while j < n and not text[j].isspace() and text[j] != '"':
            j += 1
        chunk = text[i:j]
        i = j
        if chunk == "OR" and not negated:
            items.append(_Item(is_or=True))
            continue
        # Brackets, colons, commas... separate words; hyphens, dots, apostrophes and
        # slashes join them into a phrase (al-Qaida, U.S., 1.4, and/or).
        for piece in SEPARATORS.split(chunk):
            if atom := _atom(piece):  # else punctuation or a lone operator: nothing to find
                items.append(_Item(atom, negated))
    return items, unbalanced


def parse_query(raw: str | None) -> ParsedQuery:
    """Parse what the user typed. Never fails: whatever cannot be read is left out, and
    ``notices`` say so in words a reader understands."""
    raw = (raw or "").replace("\x00", " ")
    notices: list[str] = []
    if len(raw) > MAX_QUERY_LENGTH:
        raw = raw[:MAX_QUERY_LENGTH]
        notices.append(
            f"Your search was longer than {MAX_QUERY_LENGTH} characters; "
            "only its beginning was used."
        )
    query = ParsedQuery(raw=raw, notices=notices)
    if not raw.strip():
        return query
    query.reference = _reference_guess(raw.strip())

    items, unbalanced = _tokenise(raw)
    if unbalanced:
        notices.append(
            "A quote mark without its partner was ignored: those words were searched "
            "one by one, not as a phrase."
        )
    groups: list[list[Atom]] = []
    excluded: list[Atom] = []
    dropped: list[Atom] = []
    join_next = False
    count = 0
    capped = False
    for item in items:
        if item.is_or:
            # OR joins the next word to the previous group; a lone or leading OR is nothing.
            join_next = bool(groups)
            continue
        atom = item.atom
        assert atom is not None
        if all(word in STOP_WORDS for word in atom.words):
            # A phrase of them only too ("AT&T", "don't", "to be or not to be"): the text
            # search keeps none of its words, and would find nothing.
            dropped.append(atom)
            continue
        if count >= MAX_ATOMS:
            capped = True
            break
        count += 1
        if item.negated:
            if atom not in excluded:
                excluded.append(atom)
        elif join_next and groups:
            if atom not in groups[-1]:
                groups[-1].append(atom)
        elif [atom] not in groups:
            groups.append([atom])
        join_next = False
    if capped:
        notices.append(f"Only the first {MAX_ATOMS} words and phrases were searched.")
    query.groups = tuple(tuple(group) for group in groups)
    query.excluded = tuple(excluded)
    if not query.groups:
        if excluded:
            notices.append(
                "Type a word to look for, too: a search cannot only exclude words "
                f"({', '.join('-' + str(a) for a in excluded)})."
            )
        elif dropped:
            notices.append(f"{_too_common(dropped)} {EMPTY_MESSAGE}")
        else:
            notices.append(EMPTY_MESSAGE)
    elif dropped:
        notices.append(f"Very common words were left out: {_quoted(dropped)}.")
    return query


def _too_common(dropped: list[Atom]) -> str:
    """Why nothing was searched: "“the” is too common to search for.", "“at&t” is only
    words too common to search for." """
    verb = "is" if len(set(dropped)) == 1 else "are"
    only = "only words " if any(atom.is_phrase for atom in dropped) else ""
    return f"{_quoted(dropped)} {verb} {only}too common to search for."


def _quoted(atoms: list[Atom]) -> str:
    """“the”, “at&t”: each once, as typed (a phrase without its quote marks)."""
    texts = dict.fromkeys(atom.source or " ".join(atom.words) for atom in atoms)
    return ", ".join(f"“{text}”" for text in texts)


def _reference_guess(text: str) -> ReferenceGuess | None:
    match = REFERENCE.fullmatch(text)
    exact = text.upper() if EXACT_ID.fullmatch(text) and any(c.isdigit() for c in text) else None
    if match is None:
        return ReferenceGuess(station="", serial="", exact=exact) if exact else None
    station = re.sub(r"\s+", "", match["station"]).upper()
    return ReferenceGuess(station=station, serial=match["serial"], year=match["year"], exact=exact)
