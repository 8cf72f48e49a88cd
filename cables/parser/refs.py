"""The REF block: what a cable cites, and which of the citations are cables.

"REF: A. TBILISI 1605 B. 06 STATE 80908 C. LEE-GOLDSTEIN EMAIL 05/11/07" cites two cables and
an e-mail. Citations come in every shape the typists could invent: lettered or not ("A.",
"A)", "(A)", "[A]", "A.)", "A. A)", "A. REF A:"); years before the station ("06 STATE",
"(99) ROME", "2003 Sao Paulo"), between station and serial ("STATE (01) 201265") or after
the serial ("QUITO 4525-91", "AMMAN 07718 99", "(2002)"); serials in lists ("BRASILIA 2799
AND 2764", "Kabul 936/935"), run together ("09CAIRO0561", "HK05511") or reversed ("870
Ulaanbaatar"); stations misspelt or abbreviated (see ``stations``). Page headers and markers
fall into the block when it crosses a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from .fields import canonical_id, data_rows, station_in_id
from .stations import resolve_station

# Citations that are not cables, by the words that say what they are.
KINDS = [
    ("email", re.compile(r"\bE-?\s?MAILS?\b", re.I)),
    ("telcon", re.compile(r"\bTELE?CONS?\b|\bPHONE\b|\bTELEPHONE\b", re.I)),
    ("memo", re.compile(r"\bMEMCONS?\b|\bMEMO(?:RANDUM)?S?\b", re.I)),
    ("letter", re.compile(r"\bLETTERS?\b", re.I)),
    ("fax", re.compile(r"\bFAX(?:ES)?\b", re.I)),
    ("book", re.compile(r"\bFAM\b|\bFAH\b|\bCFR\b|\bU\.?S\.?C\.?\b|\bAPPENDIX\b", re.I)),
    ("report", re.compile(r"\bREPORTS?\b|\bIIR\b|\bOSC\b", re.I)),
    # A message known by its date-time group ("DTG 051659Z"), or from a military address that
    # numbers its messages so ("USCOMNAVEUR LONDON UK 061924 MAY 04", "USDAO TUNIS 091214").
    (
        "message",
        re.compile(
            r"\bDTG\b|\bMSG\b|//|\b\d{6}Z\b|\b(?:USDAO|USCOMNAVEUR|USCINC[A-Z]*|CINC[A-Z]+|JCS|SECDEF)\b",
            re.I,
        ),
    ),
]
# Bullets: "A.", "A)", "A.)", "A:", "(A)", "[A]", glued to the next word or not ("(A)STATE",
# "B)HK05511"), but not the "T." of "ST. PETERSBURG" or the initials of "J. SMITH".
BULLET = re.compile(
    r"(?:(?<=[\s;,])|^)(?:\((?P<p>[A-Z])\)|\[(?P<b>[A-Z])\]|(?P<d>[A-Z])(?:\.\)|\)|\.(?=\s)|:))",
)
PAGE_FURNITURE = [
    # Old page header: "CONFIDENTIAL PAGE 02 ROME 01196 01 OF 02 082030Z"
    re.compile(
        r"(?:\b(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)\b\s*(?:\\n)?\s*)?"
        r"\bPAGE\s+\d{2,3}\s+[A-Z][A-Z .'-]*?\s+\d{3,8}\s+(?:\d{2,3}\s+OF\s+\d{2,3}\s+)?\d{6}Z\b"
    ),
    # New page marker: "MADRID 00000869 001.2 OF 004"
    re.compile(r"\b[A-Z][A-Z .'-]*?\s+0{2,}\d{1,6}\s+\d{3}(?:\.\d)?\s+OF\s+\d{3}\b"),
]
STOP_WORDS = frozenset(
    """AND OR OF THE REF REFS REFTEL REFTELS SEE ALSO NOTAL PREVIOUS PARA PARAS PARAGRAPH NO NR
    NUMBER PAGE SECTION TEL MSG CABLE CABLES JAN FEB MAR APR MAY JUN JUL AUG SEP SEPT OCT NOV DEC
    JANUARY FEBRUARY MARCH APRIL JUNE JULY AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER FROM TO
    DATED ON IN AT FOR BY AS WITH POINTS ET AL""".split()
)
FILLERS = frozenset({"CABLE", "CABLES", "TEL", "TELEGRAM", "MSG", "NO", "NO.", "NR", "NR."})
NUMBER = re.compile(r"^[#(]?(?:\((?:C|U|S|SBU|LOU)\))?[O0]?\d+\)?[,;:.]?$")
STATION_WORD = re.compile(r"^[A-Za-z0][A-Za-z0.'’-]*[A-Za-z0.]?[,:]?$")
MONTH = "(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)"
# An item that opens with "[year] STATION serial".
CITATION_FIRST = re.compile(r"^(?:\(?\d{2,4}\)?\s+)?[A-Za-z][A-Za-z .'-]*?\s+[O0]?\d{2,7}\b")
# An item that is only a year, and the date it belongs to at the end of the item before: the
# mirror broke "EMBASSY PARIS DAILY REPORT FOR FEBRUARY 17, 2006" into items A and B.
LONE_YEAR = re.compile(r"^(?:19[6-9]\d|20[0-2]\d)\.?$")
ENDS_IN_DAY = re.compile(rf"\b{MONTH}[A-Z]*\.?\s+\d{{1,2}}$", re.I)
COMPACT = re.compile(r"^(?P<year>\d{2})?(?P<station>[A-Z]{2,})0*(?P<serial>\d{1,6})[,;.]?$")


@dataclass
class Citation:
    letter: str  # the bullet, "" when the block has none
    text: str  # the item as written
    kind: str  # "cable", "email", "telcon", "memo", "letter", "fax", "book", "report", ...
    cable_id: str = ""


@dataclass
class _Cite:
    station: str
    serial: int
    year: int
    year_given: bool = True  # False where the citing cable's year stands in for a missing one


def _full_year(text: str, cable_year: int) -> int | None:
    digits = re.sub(r"\D", "", text)
    if len(digits) == 4:
        year = int(digits)
        return year if 1960 <= year <= 2011 else None
    if len(digits) == 3 and digits[0] == "0":
        # "094 QUITO": a mistyped year; read it as the plausible year nearest the cable's own.
        options = [_full_year(digits[:2], cable_year), _full_year(digits[1:], cable_year)]
        options = [y for y in options if y and y <= cable_year]
        return max(options) if options else None
    if len(digits) == 2:
        year = int(digits)
        return year + (1900 if year >= 66 else 2000)
    return None


def make_id(year: int, station: str, serial: int) -> str:
    return f"{year % 100:02d}{station_in_id(station, year)}{serial}"


def clean_block(text: str) -> str:
    """The REF block as one line: page furniture, CSV escapes and paragraph signs taken out."""
    text = text.replace("\\n", "\n").replace("\\", " ").replace("¶", " ")
    text = " ".join(text.split())
    for pattern in PAGE_FURNITURE:
        text = pattern.sub(" ", text)
    # Where the block runs into the next field or a repeated header.
    text = re.split(
        r"\bCLASSI\w{0,6}\s+BY\b|\b[CSU](?:\s[A-Z]){4,}\b|\bSUBJECT\s*:|\bE\.\s?O\.\s*1\d{4}",
        text,
        maxsplit=1,
        flags=re.I,
    )[0]
    text = re.sub(r"^(?:(?:REF(?:ERENCE)?S?|REFTELS?)\s*[:.]\s*)+", "", text.strip(), flags=re.I)
    # Where the block runs into the first paragraph, by its marking ("2009 BRASILIA 893 (U)
    # THIS CABLE IS SENSITIVE", "STATE 40380 (SBU) Poloff delivered ..."); "(C)" after a
    # "(B)" is the next item's letter.
    for mark in PARAGRAPH_MARKING.finditer(text):
        letter = mark["mark"]
        if len(letter) == 1:
            earlier = re.search(rf"(?:^|[\s(]){chr(ord(letter) - 1)}[.)]", text[: mark.start()])
            if earlier or not PROSE.match(text, mark.end()):
                continue
        text = text[: mark.start()]
        break
    return " ".join(text.split())


PARAGRAPH_MARKING = re.compile(
    r"(?<=\d)\s+\((?P<mark>U|C|S|SBU|SBU/NF|C/NF|S/NF|S//NF|C//NF)\)\s+(?=[A-Z])"
)
# Prose after a marking of one letter: mixed case, or "THIS CABLE ...", "SUMMARY".
PROSE = re.compile(r"[A-Z][a-z]+\s+[a-z]|THIS\s+(?:CABLE|MESSAGE|TELEGRAM)\b|SUMMARY\b")


TRAILING_BULLET = re.compile(r"(?<=\d)\s+[A-Z]\.$")


def _split_bullets(text: str) -> list[tuple[str, str]]:
    """(letter, item text) pairs; bullets must run A, B, C..., a letter may be repeated."""
    bullets = []
    expected, last = "A", ""
    for match in BULLET.finditer(text):
        letter = match["p"] or match["b"] or match["d"]
        if letter == expected or (letter == last and bullets and match.start() > bullets[-1].end()):
            if letter == expected:
                last, expected = letter, chr(ord(letter) + 1)
            bullets.append(match)
    if not bullets:
        return [("", text)]
    items = []
    head = text[: bullets[0].start()].strip(" ;,")
    if head:
        items.append(("", head))
    for i, match in enumerate(bullets):
        end = bullets[i + 1].start() if i + 1 < len(bullets) else len(text)
        letter = match["p"] or match["b"] or match["d"]
        item = text[match.end() : end].strip(" ;,")
        # Redundant bullets and labels: "A. A) ...", "A. (A) ...", "A. REF A: ...", "A. REF: ..."
        item = re.sub(
            rf"^(?:REF\s*:?\s*)?(?:[(\[]?{letter}(?:[.):\]]|\.\)|(?=\s))\s*)?(?:REF\s*:?\s*)?",
            "",
            item,
        ).strip(" ;,")
        # A bullet letter out of its place after the serial ("C. STATE 112304 B. D. STATE ...").
        item = TRAILING_BULLET.sub("", item)
        items.append((letter, item))
    return items


def _scan(item: str, cable_year: int, previous: _Cite | None, own: _Cite | None) -> list[_Cite]:
    """The cables cited in one item."""
    # Parenthesised titles and captions ("(NOTAL)", '("A SPLENDID LITTLE VISIT")') go; years
    # and markings in parentheses ("(99)", "(C)02293") stay, and so do the cables cited in
    # them ("ISLAMABAD 3858 (LAHORE 315)").
    item = re.sub(r"\(((?:\d{2}\s+)?[A-Z][A-Za-z .'-]*?\s+[O0]?\d{2,7})\)", r" \1 ", item)
    # A cited cable's date-time group: its month and year stay ("(110517Z MAY 77)").
    item = re.sub(rf"\(?\b\d{{6}}Z\s*({MONTH})\s*(\d{{2}})\b\)?", r" \1 \2 ", item, flags=re.I)
    text = re.sub(r"\((?=[^()]*[A-Za-z][^()]*[A-Za-z][^()]*[A-Za-z])[^()]*\)", " ", item)
    text = re.sub(r'"[^"]*"', " ", text)
    text = re.sub(r"(?<=\d)/(?=\d)", " / ", text)
    text = re.sub(r"(?<=\d)/(?=[A-Z])", " / ", text)  # "BAGHDAD 386/CPA/1047"
    # "STATE:247344": a colon between station and serial; "04QUITO 2614", "02STATE 268741":
    # the year run into the station, the serial apart.
    text = re.sub(r"(?<=[A-Za-z]):(?=\d)", " ", text)
    text = re.sub(r"(?<![\w(])(\d{2})([A-Za-z]{3,})(?=\s+[O0]?\d)", r"\1 \2", text)
    tokens = text.replace("&", " & ").split()
    cites: list[_Cite] = []
    i = 0

    def number(token: str) -> str:
        token = re.sub(r"^\((?:C|U|S|SBU|LOU)\)", "", token.strip("#,;:."))
        token = token.strip("()#")
        if re.fullmatch(r"[O0]?\d+", token):
            return "0" + token[1:] if token[:1] == "O" else token
        return ""

    def serial_at(j: int) -> tuple[int, int, int | None] | None:
        """(serial, next index, year) when tokens[j] is a serial (with its year suffix)."""
        if j >= len(tokens):
            return None
        token = tokens[j]
        year = None
        hyphen = re.fullmatch(r"#?([O0]?\d{1,6})-(\d{2})[,;.]?", token)
        if hyphen:
            return int(number(hyphen[1])), j + 1, _full_year(hyphen[2], cable_year)
        if not NUMBER.match(token) or re.fullmatch(r"\(\d{2,4}\)", token):
            return None
        digits = number(token)
        if not digits or len(digits.lstrip("0")) > 7:
            return None
        k = j + 1
        if k < len(tokens) and re.fullmatch(r"\(\d{4}\)[,;.]?", tokens[k]):
            year, k = _full_year(tokens[k], cable_year), k + 1
        elif (
            k < len(tokens)
            and re.fullmatch(r"\d{2}[,;]?", tokens[k])
            and (
                (digits.startswith("0") and len(digits) >= 4)
                # "CARACAS 3397 99," in a 2001 list: a year up to 15 before the cable's own
                or 0 <= cable_year - (_full_year(tokens[k], cable_year) or 0) <= 15
            )
            and (tokens[k].endswith((",", ";")) or k + 1 == len(tokens) or tokens[k + 1] == "AND")
        ):
            year, k = _full_year(tokens[k], cable_year), k + 1  # "AMMAN 07718 99"
        elif (
            k + 1 < len(tokens)
            and re.fullmatch(rf"{MONTH}[A-Z]*\.?", tokens[k], re.I)
            and re.fullmatch(r"\d{2}[,;.]?", tokens[k + 1])
            and (_full_year(tokens[k + 1], cable_year) or 9999) <= cable_year
            and (
                tokens[k + 1].endswith((",", ";"))
                or k + 2 == len(tokens)
                or not re.fullmatch(r"\d{4}", tokens[k + 2].strip(",;."))
            )
        ):
            # "TEGUCIGALPA 02487 JUL 00": the month and year the cited cable was sent
            year, k = _full_year(tokens[k + 1], cable_year), k + 2
        return int(digits), k, year

    def station_at(j: int) -> tuple[str, int] | None:
        """(station, index after it) for the longest run of words at j naming a station."""
        for size in (4, 3, 2, 1):
            words = tokens[j : j + size]
            if len(words) < size or not all(STATION_WORD.match(w) for w in words):
                continue
            if any(w.endswith((",", ":")) for w in words[:-1]):
                continue
            name = " ".join(words).rstrip(",:")
            if any(w.rstrip(",:").upper() in STOP_WORDS for w in words):
                # Only a station's own name may hold such a word ("THE HAGUE").
                station = resolve_station(name, min_length=99)
            else:
                station = resolve_station(name, min_length=4)
            if station:
                return station, j + size
        return None

    while i < len(tokens):
        token = tokens[i]
        compact = COMPACT.match(token.upper())
        if compact and compact["station"] not in STOP_WORDS:
            station = resolve_station(compact["station"], min_length=2)
            if station:
                year = _full_year(compact["year"], cable_year) if compact["year"] else None
                cites.append(_Cite(station, int(compact["serial"]), year or cable_year, bool(year)))
                i += 1
                continue
        # [year] station [(year)] [filler] serial [year]
        start, year = i, None
        if re.fullmatch(r"\(?\d{2,4}\)?", token) and i + 1 < len(tokens):
            found = station_at(i + 1)
            if found:
                year, start = _full_year(token, cable_year), i + 1
        found = station_at(start)
        if found:
            station, k = found
            if k < len(tokens) and re.fullmatch(r"\(\d{2}\)", tokens[k]):
                year, k = _full_year(tokens[k], cable_year), k + 1
            elif (
                k + 1 < len(tokens)
                and re.fullmatch(r"\d{2}|(?:19|20)\d{2}", tokens[k])
                and re.fullmatch(r"\d{3,7}[,;.]?", tokens[k + 1])
            ):
                # "STATE 04 274600", "SECSTATE 2003 345287"
                year, k = _full_year(tokens[k], cable_year), k + 1
            while k < len(tokens) and tokens[k].upper() in FILLERS:
                k += 1
            serial = serial_at(k)
            if serial:
                number_, k, suffix_year = serial
                cite = _Cite(
                    station, number_, suffix_year or year or cable_year, bool(suffix_year or year)
                )
                cites.append(cite)
                i = k
                # More serials of the same station: "AND 2764", "936/935", "AND 02259 (2002)".
                while i + 1 < len(tokens) and tokens[i].upper() in ("AND", "&", "/"):
                    more = serial_at(i + 1)
                    if not more:
                        break
                    number_, i, suffix_year = more
                    cites.append(
                        _Cite(
                            station,
                            number_,
                            suffix_year or cite.year,
                            bool(suffix_year) or cite.year_given,
                        )
                    )
                continue
        # A serial first, the station after it and nothing more: "870 Ulaanbaatar".
        if i == 0 and number(token) and len(tokens) > 1:
            found = station_at(1)
            if found and found[1] == len(tokens):
                cites.append(_Cite(found[0], int(number(token)), cable_year, False))
                break
        # A bare serial opening the item: the station of the cable cited before, else the
        # citing cable's own ("REF: A) 6307" in an Ankara cable is ANKARA 6307).
        if (
            i == 0
            and number(token)
            and not re.fullmatch(r"\(\d+\)", token)
            # "02 VAT 3638", "2004 OESI FUNDING PROPOSAL": a year before more words, not a serial
            and not (re.fullmatch(r"\d{2}|(?:19|20)\d{2}", token) and len(tokens) > 1)
        ):
            # Only a post's own low serial: "REF: 45471" is likelier a Department cable.
            base = previous or (own if len(number(token).lstrip("0")) <= 4 else None)
            if base and not (i + 1 < len(tokens) and station_at(i + 1)):
                cites.append(_Cite(base.station, int(number(token)), base.year, base.year_given))
                i += 1
                continue
        i += 1
    return cites


def kind_of(text: str) -> str:
    for kind, pattern in KINDS:
        if pattern.search(text):
            return kind
    return "other"


@cache
def serials_a_day() -> dict[str, tuple[float, int]]:
    """Station -> (the most serials a day it wrote, the first year that is known from)
    (cables/data/serial_rates.tsv)."""
    return {row[0]: (float(row[1]), int(row[2])) for row in data_rows("serial_rates.tsv")}


def _not_reached(station: str, serial: int, written: date) -> bool:
    """Whether a post cannot have numbered a cable this high yet in the year of ``written``.

    Twice the post's fastest rate, and 100 serials, spare a post its busy years; a year
    before its rate was measured is not judged (a post's traffic changes across decades).
    On the corpus's 44 references written "<citing year> STATION serial" to another post it
    judges, the rule moves none to last year; of the 398 written "<last year> STATION
    serial", it tells 248 from the serial alone."""
    rate, since = serials_a_day().get(station, (0.0, 9999))
    return written.year >= since and serial > rate * written.timetuple().tm_yday * 2 + 100


# A REF line that says there is none ("REF: NONE", "Ref: N/A").
NO_REFERENCE = re.compile(r"^(?:none|n/a|nil|not applicable)\W*$", re.I)


def parse_references(
    text: str, cable_year: int, own_id: str = "", written: date | None = None
) -> list[Citation]:
    """The citations of a REF block, in order: cables with their ids, other documents typed.

    'A. ALMATY 2532 B. 05 ALMATY 347' in a 2006 cable -> ALMATY 2532 as 06ALMATY2532 (the
    citing cable's year where the item gives none) and 05ALMATY347. A cable citing itself and
    a cable cited twice are kept once. A cable with no year is last year's when its post had
    not reached its serial by the citing cable's own (its serial, or ``written``, the day it
    was written: 'STATE 163968' in January 2008 is 07STATE163968)."""
    own_match = re.match(r"^(\d{2})([A-Z]+?)(\d+)$", own_id)
    own, own_canonical = None, ""
    if own_match:
        own_station = resolve_station(own_match[2])
        own_canonical = f"{own_match[1]}{own_station or own_match[2]}{int(own_match[3])}"
        if own_station:
            own = _Cite(own_station, int(own_match[3]), cable_year, False)
    citations: list[Citation] = []
    seen: set[str] = set()
    previous: _Cite | None = None
    for letter, item in _split_bullets(clean_block(text)):
        parts = [p.strip(" ,") for p in re.split(r";", item)]
        for part in parts:
            if not part:
                continue
            if LONE_YEAR.match(part) and citations and ENDS_IN_DAY.search(citations[-1].text):
                citations[-1].text += f", {part}"
                continue
            kind = kind_of(part)
            lead = CITATION_FIRST.match(part)
            if kind != "other" and lead and kind_of(lead[0]) == "other":
                # "TEGUCIGALPA 00883 QUARTERLY STATUS REPORT", "TORONTO 2410 (OSC REJECTS
                # PASSPORT SYSTEM)", "STATE 106685 (110517Z MAY 77)": a cable, with its title
                # or its date-time group after it.
                kind = "other" if _scan(lead[0], cable_year, previous, own) else kind
            cites = [] if kind != "other" else _scan(part, cable_year, previous, own)
            if not cites:
                if re.search(r"[A-Za-z]{2}", part) and not NO_REFERENCE.match(part):
                    citations.append(Citation(letter, part, kind))
                continue
            for cite in cites:
                # A post numbers its cables upwards through the year: a higher serial than
                # the citing cable's own, with no year given, is last year's (January 2005's
                # ALMATY 13 citing ALMATY 4769 means 04ALMATY4769); so is one another post
                # had not reached by the citing day. (A year carried over from the item
                # before, already moved back, is left alone.)
                if cite.year_given or cite.year != cable_year:
                    pass
                elif own and cite.station == own.station:
                    if cite.serial > own.serial:
                        cite.year -= 1
                elif written and _not_reached(cite.station, cite.serial, written):
                    cite.year -= 1
                cable_id = canonical_id(make_id(cite.year, cite.station, cite.serial))
                previous = cite
                if cable_id in seen or cable_id == own_canonical or cable_id == own_id:
                    continue
                seen.add(cable_id)
                citations.append(Citation(letter, part, "cable", cable_id))
    return citations
