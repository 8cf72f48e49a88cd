"""Small field parsers shared by the cable parser and the mirror readers: ids, dates,
classifications, stations, TAGS, REF items, the classifying official. Pure functions."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from importlib import resources

MONTHS = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}

# A reference id: two-digit year, station, serial (06ALMATY2803). WikiLeaks also published a few
# malformed ones (7575LIBREVILLE1895, 90STATE255195TOSEC140301); those are kept as they are.
REFERENCE_ID = re.compile(r"^\d{2}[A-Z][A-Z0-9]*\d+$|^\d{2,4}[A-Z]+\d+[A-Z0-9]*$")
REFERENCE_ID_PARTS = re.compile(r"^(?P<year>\d{2})(?P<station>[A-Z]+?)(?P<serial>\d+)$")

# The date-time group of the routing header: "P 050116Z AUG 06" (precedence, DDHHMMZ MON YY).
DTG = re.compile(
    r"^\s*(?:[A-Z]{1,2}\s+)?(?P<day>\d{2})(?P<hour>\d{2})(?P<minute>\d{2})Z\s+"
    r"(?P<month>[A-Z]{3})\s+(?P<year>\d{2})\s*$"
)


def parse_dtg(line: str) -> datetime | None:
    """'P 050116Z AUG 06' -> 2006-08-05 01:16 UTC; None when the line is no DTG."""
    match = DTG.match(line)
    if not match or match["month"] not in MONTHS:
        return None
    year = int(match["year"])
    year += 1900 if year >= 66 else 2000  # the release spans 1966-2010
    try:
        return datetime(
            year,
            MONTHS[match["month"]],
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            tzinfo=UTC,
        )
    except ValueError:
        return None


def two_digit_year(year: int) -> str:
    return f"{year % 100:02d}"


def station_token(name: str) -> str:
    """'NEW DELHI' -> 'NEWDELHI': how a post is written inside reference ids."""
    return re.sub(r"[^A-Z0-9]", "", name.upper())


def make_reference_id(year: int, station: str, serial: str | int) -> str:
    return f"{two_digit_year(year)}{station_token(station)}{int(serial)}"


def station_of(reference_id: str) -> str:
    match = REFERENCE_ID_PARTS.match(reference_id)
    return match["station"] if match else ""


@cache
def station_origins() -> dict[str, str]:
    """Station token -> origin name, as WikiLeaks named the post (cables/data/stations.tsv)."""
    table = {}
    text = resources.files("cables").joinpath("data/stations.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            station, origin, *_ = line.split("\t")
            table[station] = origin
    return table


ORIGIN_PREFIXES = [
    ("AMEMBASSY", "Embassy"),
    ("AMCONSUL", "Consulate"),
    ("USMISSION", "Mission"),
    ("USOFFICE", "US Office"),
]


def origin_for(reference_id: str, from_line: str = "") -> str:
    """The origin name for a cable whose mirror gives none: the name WikiLeaks gave the post's
    other cables, else one made from the FM line ('AMEMBASSY ALMATY' -> 'Embassy Almaty')."""
    station = station_of(reference_id)
    if station and station in station_origins():
        return station_origins()[station]
    sender = " ".join(from_line.split()).upper()
    if sender == "SECSTATE WASHDC":
        return "Secretary of State"
    for prefix, label in ORIGIN_PREFIXES:
        if sender.startswith(prefix + " "):
            return f"{label} {sender[len(prefix) + 1 :].title()}"
    return sender.title()


# --- Classification --------------------------------------------------------------------------

LEVELS = {
    "UNCLAS": "UNCLASSIFIED",
    "UNCLASSIFIED": "UNCLASSIFIED",
    "LIMITED OFFICIAL USE": "LIMITED OFFICIAL USE",
    "CONFIDENTIAL": "CONFIDENTIAL",
    "SECRET": "SECRET",
}
FOUO = "FOR OFFICIAL USE ONLY"


def normalise_classification(level: str, sensitive: bool = False, noforn: bool = False) -> str:
    """'UNCLAS' + SENSITIVE -> 'UNCLASSIFIED//FOR OFFICIAL USE ONLY'; keeps known full forms."""
    text = " ".join(level.upper().replace("/", " / ").split()).replace(" / ", "/")
    text = re.sub(r"\b(\w) (?=\w\b)", r"\1", text)  # "C O N F I D E N T I A L"
    base, _, caveat = text.partition("//")
    base = LEVELS.get(base.strip(), base.strip())
    caveats = [c.strip() for c in caveat.split("//") if c.strip()]
    if sensitive and base == "UNCLASSIFIED" and FOUO not in caveats:
        caveats.append(FOUO)
    if noforn and base in ("CONFIDENTIAL", "SECRET") and "NOFORN" not in caveats:
        caveats.append("NOFORN")
    return "//".join([base, *caveats])


# --- TAGS ------------------------------------------------------------------------------------

TAG_CODE = re.compile(r"^[A-Z]{2,5}$")


def split_tags(text: str) -> tuple[list[str], list[str]]:
    """'KZ, PGOV, PHUM, PREL, POLITICAL' -> (['KZ', 'PGOV', 'PHUM', 'PREL'], ['POLITICAL']).

    TAGS codes are two to five letters; longer words on the line are free-text keywords."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # markdown links
    codes: list[str] = []
    keywords: list[str] = []
    for token in re.split(r"[\s,;]+", text.strip()):
        token = token.strip(".:").upper()
        if not token:
            continue
        target = codes if TAG_CODE.match(token) else keywords
        if token not in target:
            target.append(token)
    return codes, keywords


# --- REF items -------------------------------------------------------------------------------

REF_BULLET = re.compile(r"(?:^|\s)(?:\(([A-Z])\)|([A-Z])[.)])\s+")
REF_CABLE = re.compile(
    r"^(?:(?P<year>\d{2}|\d{4})\s+)?(?P<station>[A-Z][A-Z .']*?[A-Z])\s+0*(?P<serial>\d{1,6})\b"
)
NOT_CABLE = re.compile(r"E-?MAIL|TELCON|MEMCON|MEMO|LETTER|FAX|IIR|//", re.I)


def parse_ref_items(text: str, cable_year: int, own_id: str = "") -> list[tuple[str, str, str]]:
    """The items of a REF block as (letter, text, cited cable id or '').

    'A. ALMATY 2532 B. 05 ALMATY 347' in a 2006 cable -> [('A', 'ALMATY 2532', '06ALMATY2532'),
    ('B', '05 ALMATY 347', '05ALMATY347')]. The citing cable's year applies only where the item
    gives none; a cable citing itself is dropped."""
    text = " ".join(text.split())
    starts = [m for m in REF_BULLET.finditer(text)]
    pieces: list[tuple[str, str]] = []
    # Bullets must run A, B, C...: a lone "(C)" inside an item is not a new item.
    expected = "A"
    bullets = []
    for m in starts:
        letter = m.group(1) or m.group(2)
        if letter == expected:
            bullets.append(m)
            expected = chr(ord(expected) + 1)
    if bullets:
        for i, m in enumerate(bullets):
            end = bullets[i + 1].start() if i + 1 < len(bullets) else len(text)
            pieces.append((m.group(1) or m.group(2), text[m.end() : end].strip(" ;,")))
    elif text.strip():
        pieces.append(("", text.strip(" ;,")))
    items = []
    for letter, piece in pieces:
        cited = ""
        match = REF_CABLE.match(piece)
        if match and not NOT_CABLE.search(piece):
            year = match["year"]
            year_num = int(year) if year else cable_year
            if year and len(year) == 2:
                year_num = int(year) + (1900 if int(year) >= 66 else 2000)
            cited = make_reference_id(year_num, match["station"], match["serial"])
        if cited and cited == own_id:
            continue
        items.append((letter, piece, cited))
    return items


# --- Classified By ---------------------------------------------------------------------------

REASONS_START = re.compile(
    r"[,;]?\s*\b(?:for\s+)?(?:reasons?|reason:)\b|\b1\.[45]\b|\bE\.?O\.?\s*12958", re.I
)
TITLE_WORDS = {
    w.lower()
    for w in """amb amb. ambassador acting deputy chief of mission dcm charge d'affaires chargé
    a.i. a/dcm political economic econ pol polecon pol/econ econ/pol counselor counsellor officer
    section head principal consul general consulate minister pol-econ poloff econoff
    assistant secretary under director office regional affairs the u.s. us embassy by and for
    management public diplomacy senior advisor adviser coordinator attache attaché defense
    military commercial labor refugee rso legal acting. ambassador, a/s das das. special envoy
    representative permanent alternate interim temporary ad interim pao ds ec ecpo""".split()
}


def parse_classified_by(line: str) -> tuple[str, list[str]]:
    """'Amb. John Ordway, reasons 1.4 (B) and (D).' -> ('John Ordway', ['1.4(b)', '1.4(d)'])."""
    line = " ".join(line.split())
    reasons = []
    reason_part = re.search(r"1\.([45])\s*(.*)$", line)
    if reason_part:
        section = reason_part.group(1)
        for letter in re.findall(r"\(?\b([a-hA-H])\b\)?", reason_part.group(2)):
            reason = f"1.{section}({letter.lower()})"
            if reason not in reasons:
                reasons.append(reason)
    cut = REASONS_START.search(line)
    name_part = line[: cut.start()] if cut else line
    name_part = name_part.split(",")[0].split(";")[0].strip(" .:")
    tokens = name_part.split()
    # The name is the run of words at the end that are not titles or offices.
    name: list[str] = []
    for token in reversed(tokens):
        if token.lower() in TITLE_WORDS or token.lower().strip(".,") in TITLE_WORDS:
            break
        name.insert(0, token)
    return " ".join(name).strip(" ."), reasons
