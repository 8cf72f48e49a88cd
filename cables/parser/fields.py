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

# The date-time group of the routing header: "P 050116Z AUG 06" (precedence, DDHHMMZ MON YY);
# the precedences of the action and of the info addressees ("O P", "P R") and operating
# signals after it are read too, with what they say ("ZFF4", "ZDK CTG RUEHDO #3763", "ZDS CTG
# RUEHSD 0020 1580042", "//ZEL//", "(CCY ADX1C30B8 ICTOQ0621-623)").
DTG = re.compile(
    r"^\s*(?:[A-Z]{1,2}\s+){0,2}(?P<day>\d{2})(?P<hour>\d{2})(?P<minute>\d{2})Z\s+"
    r"(?P<month>[A-Z]{3})\s+(?P<year>\d{2})(?:\s+(?:Z[A-Z]{2}|//Z[A-Z]{2}//|\(|CCY\b).*)?\s*$"
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
    return f"{two_digit_year(year)}{station_in_id(station_token(station), year)}{int(serial)}"


# Stations whose ids named them otherwise in some years: the Iran Regional Presence Office's
# 2007 cables are 07IRANRPODUBAI..., its later ones 08RPODUBAI... (every id of the release).
STATION_IN_YEAR = {("RPODUBAI", 2007): "IRANRPODUBAI"}


def station_in_id(station: str, year: int) -> str:
    """The station as the ids of that year write it."""
    return STATION_IN_YEAR.get((station, year), station)


def station_of(reference_id: str) -> str:
    match = REFERENCE_ID_PARTS.match(reference_id)
    return match["station"] if match else ""


def data_rows(name: str) -> list[list[str]]:
    """The rows of a table in cables/data/ (tab-separated, "#" lines are comments)."""
    text = resources.files("cables").joinpath(f"data/{name}").read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def station_origins() -> dict[str, str]:
    """Station token -> origin name, as WikiLeaks named the post (cables/data/stations.tsv)."""
    return {row[0]: row[1] for row in data_rows("stations.tsv")}


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

TAG_TOKEN = re.compile(r"\([^)]*\)|[,;]|[^\s,;()]+")


def split_tags(text: str, canonical: bool = True) -> tuple[list[str], list[str]]:
    """'KZ, PGOV, PHUM, PREL, POLITICAL' -> (['KZ', 'PGOV', 'PHUM', 'PREL'], ['POLITICAL']).

    Codes are the listed TAGS codes and what has their shape (two letters; four letters
    starting A, B, C, E, K, M, O, P, S or T); other words are free text, kept as phrases
    ("MEDIA REACTION REPORT"). A code-shaped word between two free-text words belongs to the
    phrase ("TIP IN TURKEY"). Person tags become "SURNAME, GIVEN" ("OVIP BIDEN JOSEPH",
    "OVIP (CLINTON, HILLARY)"). Page headers of later sections are dropped. With
    ``canonical``, codes run together are split ("PHUMBA" -> PHUM, BA) and mistyped ones
    corrected ("MOPPS" -> MOPS)."""
    from .tagcodes import PAGE_HEADER, code_kind, nearest_code, split_glued

    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # markdown links
    text = PAGE_HEADER.sub(" , ", text)
    # Entries: (kind, value, comma_before); kind is "code", "word" or "person".
    entries: list[list] = []
    comma = True
    for token in TAG_TOKEN.findall(text):
        if token in ",;":
            comma = True
            continue
        if token.startswith("("):
            inner = " ".join(token[1:-1].upper().replace(",", ", ").split()).replace(" ,", ",")
            if inner:
                entries.append(["person", inner.strip(" ,"), comma])
            comma = False
            continue
        token = token.strip(".:").upper()
        if not token or not re.search(r"[A-Z]", token):
            continue
        kind = "code" if code_kind(token) else "word"
        entries.append([kind, token, comma])
        comma = False
    if canonical:
        expanded: list[list] = []
        for n, (kind, value, comma_before) in enumerate(entries):
            if kind == "word":
                pieces = split_glued(value)
                if pieces:
                    expanded.extend(
                        ["code", p, comma_before and k == 0] for k, p in enumerate(pieces)
                    )
                    continue
                before = entries[n - 1][0] if n > 0 and not comma_before else "code"
                after = (
                    entries[n + 1][0] if n + 1 < len(entries) and not entries[n + 1][2] else "code"
                )
                fixed = nearest_code(value) if "word" not in (before, after) else ""
                if fixed:
                    expanded.append(["code", fixed, comma_before])
                    continue
            expanded.append([kind, value, comma_before])
        entries = expanded
    # Inside a run of free text, a country code between two words ("TIP IN TURKEY") and a
    # code-shaped word next to one ("SUNNI ARAB") are words of the phrase.
    for n, entry in enumerate(entries):
        if entry[0] != "code":
            continue
        before = entries[n - 1][0] == "word" and not entry[2] if n > 0 else False
        after = (
            entries[n + 1][0] == "word" and not entries[n + 1][2] if n + 1 < len(entries) else False
        )
        if len(entry[1]) == 2 and before and after:
            entry[0] = "word"
        elif len(entry[1]) > 2 and code_kind(entry[1]) == "shape" and (before or after):
            entry[0] = "word"
    codes: list[str] = []
    keywords: list[str] = []
    phrase: list[str] = []
    after_ovip = False

    def close() -> None:
        nonlocal phrase
        if phrase:
            text = " ".join(phrase)
            if after_ovip and len(phrase) == 2:
                text = f"{phrase[0]}, {phrase[1]}"
            if text not in keywords:
                keywords.append(text)
        phrase = []

    for kind, value, comma_before in entries:
        if kind == "word":
            if comma_before:
                close()
            phrase.append(value)
            continue
        close()
        if kind == "person":
            if value not in keywords:
                keywords.append(value)
        elif value not in codes:
            codes.append(value)
        after_ovip = kind == "code" and value == "OVIP"
    close()
    return codes, keywords


def looks_like_tags(line: str) -> bool:
    """A line of nothing but TAGS codes ("NATO, UK, CN", "EINV"): the TAGS line wrapped."""
    from .tagcodes import code_kind, split_glued

    tokens = [t.strip(".:").upper() for t in re.split(r"[\s,;]+", line.strip()) if t.strip(".:")]
    return (
        bool(tokens)
        and all(t.isupper() and (code_kind(t) or split_glued(t)) for t in tokens if t)
        and not any(c.islower() for c in line)
    )


# --- REF items -------------------------------------------------------------------------------


def parse_ref_items(text: str, cable_year: int, own_id: str = "") -> list[tuple[str, str, str]]:
    """The items of a REF block as (letter, text, cited cable id or '').

    'A. ALMATY 2532 B. 05 ALMATY 347' in a 2006 cable -> [('A', 'ALMATY 2532', '06ALMATY2532'),
    ('B', '05 ALMATY 347', '05ALMATY347')]. See ``refs.parse_references`` for the typed form."""
    from .refs import parse_references

    return [(c.letter, c.text, c.cable_id) for c in parse_references(text, cable_year, own_id)]


# --- Reference ids ---------------------------------------------------------------------------

ID_HEAD = re.compile(r"^(?P<year>\d{2})(?P<rest>.*\d)\D*$")


def canonical_id(reference_id: str) -> str:
    """The id a cable's reference id stands for, with the station spelt the archive's way.

    '06SECSTATE123' -> '06STATE123', '05RIO123' -> '05RIODEJANEIRO123', '07BRASIIA1568' ->
    '07BRASILIA1568', '08ECTION01OF02MANAMA492' -> '08MANAMA492' (a section banner run into
    the id), '06EFTOATHENS1738' -> '06ATHENS1738' (a caveat), '7575LIBREVILLE1895' ->
    '75LIBREVILLE1895' (the year twice). Ids it cannot read are returned as they are."""
    from .stations import resolve_station, strip_noise_prefix

    compact = re.sub(r"[^A-Z0-9]", "", reference_id.upper())
    match = ID_HEAD.match(compact)
    if not match:
        return reference_id
    year = match["year"]
    parts = re.findall(r"[A-Z]+|\d+", match["rest"])
    if parts and parts[0].isdigit() and len(parts) > 1 and parts[1].isalpha():
        # A section marker ("01OF02", "0QF05", "01F03") or the year again ("7575").
        if not (len(parts) > 2 and re.fullmatch(r"[A-Z]{0,2}F", parts[1]) and parts[2].isdigit()):
            if parts[0] == year:
                parts = parts[1:]
    cleaned: list[str] = []
    i = 0
    while i < len(parts):
        if (
            parts[i].isdigit()
            and i + 2 < len(parts)
            and re.fullmatch(r"[A-Z]?[OQG]?F", parts[i + 1])
            and parts[i + 2].isdigit()
            and len(parts[i]) <= 2
            and len(parts[i + 2]) <= 2
        ):
            if cleaned and cleaned[-1].isalpha() and not resolve_station(cleaned[-1]):
                cleaned.pop()  # "SECTION", "SCTION", "SECTIOQ" before the marker
            i += 3
            continue
        cleaned.append(parts[i])
        i += 1
    for n in range(len(cleaned) - 1):
        letters, digits = cleaned[n], cleaned[n + 1]
        if not (letters.isalpha() and digits.isdigit()):
            continue
        station = resolve_station(letters) or strip_noise_prefix(letters)
        serial = digits
        # "08ACCRA001382SUSPECTEDDUPLICATE1392": the message-centre note gives its own number.
        for m in range(n + 2, len(cleaned) - 1):
            if "DUPLICATE" in cleaned[m] and cleaned[m + 1].isdigit():
                serial = cleaned[m + 1]
        return f"{year}{station}{int(serial)}"
    return reference_id


# --- Classified By ---------------------------------------------------------------------------


def parse_reasons(text: str) -> list[str]:
    """'reasons 1.4 (B) and (D).' -> ['1.4(b)', '1.4(d)']."""
    text = " ".join(text.split())
    reasons: list[str] = []
    part = re.search(r"(?<!\d)1\s*[.,:]\s*([45])\s*(.*)$", text)  # ("1:4 b,d")
    if part:
        section = part.group(1)
        for letter in re.findall(r"(?<![A-Za-z])([a-hA-H])(?![A-Za-z])", part.group(2)):
            reason = f"1.{section}({letter.lower()})"
            if reason not in reasons:
                reasons.append(reason)
    return reasons


def parse_classified_by(line: str) -> tuple[str, list[str]]:
    """'Amb. John Ordway, reasons 1.4 (B) and (D).' -> ('John Ordway', ['1.4(b)', '1.4(d)'])."""
    from .classified import name_in_statement

    line = " ".join(line.split())
    line = re.sub(r"^\s*CLASSI\w{0,6}\s+BY\s*:?\s*", "", line, flags=re.I)
    return name_in_statement(line), parse_reasons(line)


def normalise_person_name(name: str) -> str:
    """A name as a person's name is written: 'R0BIN L. RAPHEL' -> 'Robin L. Raphel'; names
    already in mixed case keep their case ('Joseph LeBaron'), suffixes stay ('III', 'Jr.')."""
    name = re.sub(r"(?<=[A-Za-z])0|0(?=[A-Za-z])", "O", name)
    if re.search(r"[a-z]", name):
        return name

    def word(w: str) -> str:
        if re.fullmatch(r"(?:II|III|IV|V)\.?,?", w):
            return w
        return re.sub(r"[A-Z]+", lambda m: m.group(0).capitalize(), w)

    return " ".join(word(w) for w in name.split())


# Where a mirror lost the line breaks, the next header line follows the date directly:
# "DECL: 02/04/2019TAGS: EAIR ECON".
GLUED_AFTER_DECLASSIFY = re.compile(r"(?:TAGS|SUBJECT|SUBJ|REF)\s*:.*$")


def parse_declassify(value: str) -> str:
    """'08/04/2016' -> '2016-08-04', '6/30/08' -> '2008-06-30', '2020/02/16' -> '2020-02-16';
    other values ('N/A', '1.6 FIVE YEARS AFTER CLOSURE OF ICTY') as written."""
    value = GLUED_AFTER_DECLASSIFY.sub("", " ".join(value.split())).strip(" .")
    date = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b", value)
    if date:
        year = int(date[3]) if len(date[3]) == 4 else 2000 + int(date[3])
        return f"{year}-{int(date[1]):02d}-{int(date[2]):02d}"
    iso = re.match(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})\b", value)
    if iso:
        return f"{iso[1]}-{int(iso[2]):02d}-{int(iso[3]):02d}"
    return value
