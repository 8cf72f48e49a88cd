"""Links in cable text to the cables it cites: ``(Ref A)``, ``(ref b)``, ``REFS A AND B``,
``reftel``.

Cable text is untrusted. ``link_references`` splits the text around the tokens it
recognises; every piece of text, the tokens included, goes through ``render`` (``escape``,
or a search highlighter that escapes), and only the ``<a>`` and ``<span>`` tags added here
wrap the escaped pieces. Their attributes are our own URLs and escaped titles. That is why
the result may be ``mark_safe``d.

- ``REF A``, ``(Ref A)``, ``REFTEL B``, ``REFS A AND B``, ``REFS A-C``: each letter that names
  a reference of the cable links to the cited cable when it is in the archive (the title
  gives its subject and date), or is marked as missing (the title gives its id). A letter
  the cable's REF block does not have stays plain text.
- ``reftel``/``reftels``/``ref`` alone: with a single reference, that reference (as above);
  with several, the references list on the page (``#references``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# REF, REFS, REFTEL, REFTELS (any case), then letters: "A", "A AND B", "A, B, and C", "A-C",
# "A/B". A letter is a capital on its own (or a lower-case one right after a lower-case
# keyword: "(ref b)"); "REF a meeting" names no letter.
_NOT_WORD = r"(?![\w'’])"
_JOIN = r"(?:\s*[,&/-]\s*(?:(?i:and|or)\s+)?|\s+(?i:and|or)\s+)"
TOKEN = re.compile(
    r"\b(?P<keyword>(?i:ref(?:tel)?s?))\b"
    rf"(?:\.?[ \t]*(?P<letters>(?P<first>[A-Za-z]){_NOT_WORD}(?:{_JOIN}[A-Z]{_NOT_WORD})*))?"
)
_LETTER = re.compile(rf"\b[A-Za-z]{_NOT_WORD}")
# A keyword that stands for the references as a whole when no letter follows it.
REFTEL = re.compile(r"^(?i:reftels?)$")


@dataclass(frozen=True)
class Target:
    """What a reference letter (or ``reftel``) stands for on the page."""

    url: str = ""  # the cited cable's page; "" when not in the archive
    title: str = ""  # the link's (or the missing mark's) title
    missing: bool = False  # a cable not in the archive


LIST = Target(url="#references", title="See the references")


def _tag(target: Target, inner: str) -> str:
    title = escape(" ".join(target.title.split()))
    if target.url:
        return f'<a class="ref-inline" href="{escape(target.url)}" title="{title}">{inner}</a>'
    if target.missing:
        return f'<span class="ref-inline ref-inline--missing" title="{title}">{inner}</span>'
    return inner


def link_references(
    text: str,
    letters: dict[str, Target],
    reftel: Target | None = None,
    render: Callable[[str], str] = escape,
) -> SafeString:
    """``text`` as HTML: escaped (by ``render``), its reference tokens linked.

    ``letters`` maps a REF letter ("A") to what it names; ``reftel`` is what a keyword
    without a letter stands for (``None``: nothing, it stays text)."""
    out: list[str] = []
    pos = 0
    for match in TOKEN.finditer(text):
        start, end = match.span()
        letters_text = match.group("letters")
        if letters_text is not None:
            if match.group("first").islower() and not match.group("keyword").islower():
                # "REF a": a word, not a letter ("REF a meeting" never names REF A).
                letters_text = None
        if letters_text is None:
            target = reftel
            keyword_end = match.end("keyword")
            if target is None or not REFTEL.match(match.group("keyword")):
                continue
            out.append(render(text[pos:start]))
            out.append(_tag(target, render(text[start:keyword_end])))
            pos = keyword_end
            continue
        pieces = _letter_pieces(text, match)
        if not any(letter.upper() in letters for _, _, letter in pieces):
            continue
        out.append(render(text[pos:start]))
        cursor = start
        for i, (piece_start, piece_end, letter) in enumerate(pieces):
            target = letters.get(letter.upper())
            # The first link takes the keyword with it: "Ref A" is one link.
            link_start = start if i == 0 else piece_start
            out.append(render(text[cursor:link_start]))
            inner = render(text[link_start:piece_end])
            out.append(_tag(target, inner) if target else inner)
            cursor = piece_end
        out.append(render(text[cursor:end]))
        pos = end
    out.append(render(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is rendered (escaped)


def _letter_pieces(text: str, match: re.Match) -> list[tuple[int, int, str]]:
    """(start, end, letter) of each letter in the match's letter list."""
    base = match.start("letters")
    return [
        (base + m.start(), base + m.end(), m.group())
        for m in _LETTER.finditer(match.group("letters"))
    ]
