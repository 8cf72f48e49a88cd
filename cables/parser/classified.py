"""The classification statement: who classified a cable ("Classified By: Ambassador John
Ordway, reasons 1.4 (b) and (d)") and for which reasons.

The statement is free text typed by hand, so the name has to be found by its shape: it is the
run of words at the end of the classifier's part (before the reason clause), after the titles
and offices ("Acting Deputy Chief of Mission", "POL/ECONOFF", "CDA"). Titles are recognised
from a vocabulary that tolerates typing errors ("Ambassaor", "Counselr"), by case (an all-capital
abbreviation in mixed-case text), by shape (slashes, CamelCase compounds, abbreviations with a
full stop), and a name is at most two full words plus initials and a suffix unless nothing but
a separator stands before it ("AF/C - MARY BETH LEONARD").
"""

from __future__ import annotations

import itertools
import re

from .distance import osa_distance

# Words of titles, offices and sections that stand before a classifier's name.
TITLE_WORDS = frozenset(
    """
    acting ambassador amb chief deputy mission dcm adcm charge chargé affaires affairs a.i. ai
    interim political economic economics econ pol polecon polmil pol-mil econpol ecopol
    counselor counsellor councilor minister minister-counselor mc officer officers section
    head principal office consul general consulate consular conoff poloff econoff polecoff
    pao rso rao dao ds assistant secretary under director regional embassy management public
    diplomacy senior advisor adviser coordinator attache attaché defense military commercial
    labor refugee legal special envoy representative permanent alternate temporary ad member
    team leader unit provincial interagency governance d' de d dir director-general ltc col
    lt cdr capt maj gen colonel lieutenant commander major admiral tdy usdel usun useu usnato
    usoas delegation delegate executive undersecretary under-secretary ambassador-at-large
    pdas das a/s min coun couns cons ipo prt prm isn io sca eur nea wha eap af inr vci the
    u.s. us usg department dept state of for and in a an by this message
    """.split()
)
# Titles long enough to recognise when mistyped ("Ambassaor", "Counselr", "REPRESENATIVE").
LONG_TITLES = tuple(
    w
    for w in """ambassador counselor counsellor councilor minister officer secretary director
    coordinator representative principal consulate attache advisor adviser affaires affairs
    political economic commercial deputy charge chief mission assistant management""".split()
)
SUFFIXES = re.compile(r"^(?:JR|SR|II|III|IV|V)\.?$", re.I)
INITIAL = re.compile(r"^(?:[A-Z]\.){1,3}$|^[A-Z]$")
PARTICLES = frozenset("de da del della di du van von der den la le al bin ibn st. st".split())
MC_NAME = re.compile(r"^(?:Mc|Mac|O'|D'|De|Di|Du|Da|La|Le|Van|Von|Fitz|St|Ten|Ter)[A-Z][a-z]")

# ("CLASSIFIED BY:", "CLASSIFIED SECRET BY NEW DELHI ACTING POLITICAL COUNSELOR ...")
STATEMENT = re.compile(r"\bCLASS\w{0,6}\s+(?:(?:SECRET|CONFIDENTIAL)\s+)?BY\b\s*:?", re.I)
# Where the classifier's part ends: the reason clause or the order it cites.
REASON_CUT = re.compile(
    r"\br\s?e\s?a\s?s\s?o\s?n\s?s?\b|\b(?:reaons|resons)\b|\b1\s*[.,:]\s*[45]\b|\bE\.?\s?O\.?\s*1[23]\d{3}\b"
    r"|\b1[23]\d{3}\b|\bpara\s+1\b",
    re.I,
)
# Words left dangling before the reason clause ("for", "FR", "F0R", "under", "due to", "per").
# Lines that end a statement (a label, a paragraph) or interrupt it (a page header).
STOP = re.compile(
    r"^\s*(?:TAGS?\b|SUBJ|E\.?\s?O\.?\s*1\d|REF\b|¶?\d{1,2}\.\s|\((?:U|C|S|SBU)\)\s)", re.I
)
FURNITURE = re.compile(
    r"^\s*(?:(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE|SENSITIVE|NOFORN)\s*|PAGE\s+\d+\b.*)$"
)
# A line holding only a statement's reasons.
REASONS_LINE = re.compile(r"^\s*REASONS?\s*:?\s*1\s*[.,]\s*[45]\b", re.I)
# The first paragraph run on after the statement on its line ("... 1.4 (b) and (d). 1.(C)
# Summary: ...").
PARAGRAPH_AFTER = re.compile(
    r"\s¶?\d{1,2}\.\s?\((?:U|C|S|SBU|S/NF|C/NF|S//NF|C//NF|SBU/NF|U//FOUO)\)"
)
# The next paragraph's marking run on after the reasons ("for reasons 1.4 b and d (C)" +
# blank + " HMG does not intend ..."): no reason (c).
MARKING_AFTER = re.compile(r"(?:(?<=\b[a-hA-H])|(?<=\b[a-hA-H]\.))\s+\((?:U|C|S|SBU)\)\s*$")
CONNECTOR = re.compile(
    r"^(?:for|fr|f0r|fo|per|under|due|to|based|on|0n|by|e\.?o\.?|eo|reas\w*|rea|r|para|and|"
    r"classified|section|-|:)$",
    re.I,
)


def join_statement_lines(lines: list[str], width: int = 71, offset: int = 0) -> str:
    """Join the lines of a statement. The telegraph wrapped it at a fixed width, breaking
    words: a line that fills the width, followed by a line that does not start with a space,
    was broken inside a word ("Hoyt Y" + "ee" -> "Hoyt Yee"). ``offset``: where the first
    line started in its printed line."""
    out = ""
    for i, line in enumerate(lines):
        if i == 0:
            out = line.rstrip()
            continue
        previous = len(lines[i - 1].rstrip()) + (offset if i == 1 else 0)
        # A line that opens with a whole word of the reason clause was not a broken word
        # ("... SHARON WIENER" + "FOR REASONS 1.4").
        whole_word = re.match(r"(?i)^(?:for|reasons?|and|under|per|by|due|based|e\.o\.|eo)\b", line)
        if previous >= width and line[:1].strip() and not whole_word:
            out += line.rstrip()
        else:
            out += " " + line.strip()
    return " ".join(out.split())


def _is_title(token: str, mixed_case: bool, last: bool = False) -> bool:
    word = token.strip(".,;:()'\"")
    word = word.replace("0", "o" if re.search(r"[a-z]", word) else "O")
    low = word.lower()
    if not word:
        return True
    if low in TITLE_WORDS or token.lower().strip(",;:") in TITLE_WORDS:
        return True
    if "/" in word or low.startswith(("d'", "d’")) and low[2:] in ("affaires", "affairs"):
        return True
    if re.search(r"\d", word) and not re.search(r"[a-z]", low.replace("0", "")):
        return True
    parts = [p for p in re.split(r"[-‐]", low) if p]
    if len(parts) > 1 and any(p in TITLE_WORDS for p in parts):
        return True
    if len(low) >= 5:
        limit = 1 if len(low) < 8 else 2
        for title in LONG_TITLES:
            if osa_distance(low, title, limit) <= limit:
                return True
    if low in ("a.i", "ai") or (len(low) >= 3 and any(t.startswith(low) for t in LONG_TITLES)):
        return True  # "a.i." (ad interim); a title cut short ("Ambass", "Politica")
    if mixed_case and word.isupper() and len(word) >= 2 and not INITIAL.match(word) and not last:
        return True  # COM, IPO, CDA, USDEL in mixed-case text: offices, not names
    if re.search(r"[a-z][A-Z]", word) and not MC_NAME.match(word):
        return True  # PolMinCons, MinCons: compounds of abbreviations
    # An abbreviation with a full stop that is not an initial ("Dir.", "COUNS.").
    return bool(token.endswith(".") and len(word) >= 2 and not INITIAL.match(word + "."))


def _name_from(piece: str, bounded: bool, mixed_case: bool, single_ok: bool = True) -> str:
    """The name at the end of one piece of the classifier's part, or "".

    ``bounded``: a separator ("AF/C - ", "AMB:") stands before the piece, so a name may fill it
    (a third full word, a lone word)."""
    tokens = piece.split()
    # Lower-case debris after the name ("a.y.") and dangling connectors go first.
    while tokens and (
        CONNECTOR.match(tokens[-1].strip(".,;:"))
        or (mixed_case and tokens[-1][:1].islower() and tokens[-1].lower() not in PARTICLES)
    ):
        tokens.pop()
    if tokens and not SUFFIXES.match(tokens[-1]) and not INITIAL.match(tokens[-1]):
        tokens[-1] = tokens[-1].rstrip(".-‐")
    name: list[str] = []
    full_words = 0
    i = len(tokens) - 1
    while i >= 0 and not name and SUFFIXES.match(tokens[i].strip(",")):
        name.insert(0, tokens[i].strip(","))
        i -= 1
    while i >= 0:
        token = tokens[i]
        bare = token.strip(",;:()")
        if bare.lower() in ("a.i.", "a.i"):
            break
        if INITIAL.match(bare):
            name.insert(0, bare)  # "F.", "W.S."
            i -= 1
            continue
        glued = re.match(r"^(?:[A-Z]\.){1,2}[A-Z][a-z'A-Z-]+$", bare)  # "T.Monroe", "L.Carter"
        # A surname that is also a title word ("Damian R. Leader") when an initial precedes it.
        surname = full_words == 0 and i > 0 and INITIAL.match(tokens[i - 1].strip(",;:()"))
        if bare.lower() in PARTICLES and full_words and i > 0:
            name.insert(0, bare)
            i -= 1
            continue
        if re.search(r"\d", bare) and not re.fullmatch(r"[A-Za-z]*0[A-Za-z0]*", bare):
            return ""  # a number where the name should be ("DSCG 05-01"): this is no name
        if not (glued or surname) and (
            _is_title(token, mixed_case, last=full_words == 0)
            or not re.match(r"^[A-Za-z0-9][A-Za-z0-9'’.-]*$", bare)
        ):
            break
        if full_words == 3 or (full_words == 2 and not (bounded and i == 0)):
            break
        name.insert(0, bare)
        full_words += 1
        i -= 1
    if full_words == 0:
        return ""
    if len(name) == 1 and (len(name[0]) < 4 or not single_ok):
        return ""
    if re.fullmatch(r"[Xx]+", name[-1]):
        return ""  # the name was redacted
    text = " ".join(name)
    return text[:-1] if re.search(r"\b(?:II|III|IV)\.$", text) else text


def name_in_statement(text: str) -> str:
    """The classifier's name in the text after "Classified By".

    'Ambassador Glyn T. Davies for reasons 1.4 b and d' -> 'Glyn T. Davies'."""
    text = text.replace("\\'", "'").replace("\\", " ")
    truncated = text.rstrip().endswith("...")
    if truncated:
        # The mirror cut the statement short: its last word may not be the whole word, nor
        # the last word of the name.
        text = re.sub(r"\s*\S*\.\.\.\s*$", "", text)
    cut = REASON_CUT.search(text)
    head = text[: cut.start()] if cut else text
    # "This message classified by ...", "DOS CLASSIFICATION GUIDE BY ...": the name follows
    # the last "by".
    by = list(re.finditer(r"\bby\b\s*:?", head, re.I))
    if by:
        head = head[by[-1].end() :]
    head = re.sub(r"^\s*(?:\d{1,2}\.\s*)?", "", head)
    head = re.sub(r"\((?:U|C|S|SBU)\)", " ", head)
    head = re.sub(r"\([^)]{1,12}\)", ",", head)  # "Charge d'Affaires (CDA) Daniel Shields"
    words = head.split()
    while words and (CONNECTOR.match(words[-1].strip("-:,;.")) or not words[-1].strip("-:,;.")):
        words.pop()
    head = " ".join(words)
    mixed_case = bool(re.search(r"[A-Z][a-z]", head))
    # Comma and semicolon segments: the first that names someone; a suffix segment that follows
    # ("JR.", "III.") belongs to the name.
    segments = [s.strip() for s in re.split(r"[,;]", head)]
    for n, segment in enumerate(segments):
        pieces = re.split(r"\s+[-‐]\s+|:|(?<=[A-Za-z])/(?=[A-Z][a-z])", segment)
        piece = next((p.strip() for p in reversed(pieces) if p.strip()), "")
        if not piece:
            continue
        bounded = len([p for p in pieces if p.strip()]) > 1 or n > 0
        name = _name_from(piece, bounded=bounded, mixed_case=mixed_case, single_ok=n == 0)
        if truncated and len(name.split()) < 2:
            return ""
        if name:
            following = segments[n + 1].split() if n + 1 < len(segments) else []
            while following and CONNECTOR.match(following[-1].strip(".")):
                following.pop()
            following = " ".join(following)
            if SUFFIXES.match(following):
                roman = following.upper().rstrip(".") in ("II", "III", "IV", "V")
                name = f"{name}, {following.rstrip('.') if roman else following}"
            return name
    return ""


def find_classified_by(lines: list[str]) -> tuple[str, str]:
    """The first classification statement in the lines that names someone: (name, the
    statement as written). Statements that name no one ("CLASSIFIED BY SECTION 1.5") or are
    not statements ("CLASSIFIED BY LINE ADDED") are passed over."""
    first_line = ""
    for i, line in enumerate(lines):
        for match in STATEMENT.finditer(line):
            rest = line[match.end() :]
            if re.match(r"\W*LINE\b", rest, re.I):
                continue
            statement = [rest]
            following_lines = iter(lines[i + 1 : i + 8])
            for following in following_lines:
                if not following.strip() or STATEMENT.search(following) or STOP.match(following):
                    break
                if not FURNITURE.match(following):
                    statement.append(following)
            if not any(REASON_CUT.search(part) for part in statement):
                # The reasons on a line of their own within the next two after the statement
                # ("Classified By: POLITICAL COUNSELOR DENNIS HEARNE." + blank + "REASONS:
                # 1.4 (B)(D)").
                after = next((x for x in itertools.islice(following_lines, 2) if x.strip()), "")
                if REASONS_LINE.match(after):
                    statement.append(after)
            text = join_statement_lines(statement, offset=match.end())
            text = PARAGRAPH_AFTER.split(text, maxsplit=1)[0]
            name = name_in_statement(text)
            written = " ".join((line[match.start() :] + " " + " ".join(statement[1:])).split())
            # (its reasons are read from it: "1. (C) Summary" is no reason 1.4(c))
            written = PARAGRAPH_AFTER.split(written, maxsplit=1)[0]
            written = MARKING_AFTER.sub("", written)
            if name:
                return name, written
            first_line = first_line or written
    return "", first_line
