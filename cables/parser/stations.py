"""Stations: which post a name in a reference id or a REF line stands for.

Cable ids and REF lines write a post in many ways: ``SECSTATE`` for the Department, ``RIO`` and
``RIO DE JAN`` for Rio de Janeiro, ``HCMC`` for Ho Chi Minh City, ``USUN`` for the mission in
New York, ``0TTAWA`` with a zero, ``BRASIIA`` with a letter lost, ``QXICO`` where the line
noise put a ``Q`` for what it ate. WikiLeaks also published ids with the section banner or a
caveat glued in (``08ECTION01OF02MANAMA492``, ``06EFTOATHENS1738``).

``resolve_station`` maps such a spelling to the station token the archive uses (the tokens of
``cables/data/stations.tsv``, built from the corpus, plus the posts and senders below that the
corpus sample lacks). It works by general rules, in this order: exact name; a known short form;
address words and caveats taken off the front (``AMEMBASSY``, ``EFTO``); a unique station the
spelling begins or ends (``UNVIE``, ``HAGUE``); a station plus a place qualifier (``MEXICO
CITY``, ``USDOC WASHDC``); the initials of a station's words (``HCMC``); ``Q`` standing for lost
letters; and last the nearest station by edit distance when it is near enough and unique.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .distance import osa_distance
from .fields import station_origins

# Posts and senders that write cables in the release (or are cited in REF lines) but are not
# in the corpus sample the station table was built from. Written as the words of the name;
# the token is the letters run together.
EXTRA_STATIONS = """
Antananarivo; Apia; Auckland; Bangui; Banja Luka; Belfast; Belmopan; Brazzaville; Calgary;
Chengdu; Chiang Mai; Cotonou; Dhahran; Dili; Durban; Dusseldorf; Erbil; Florence; Fukuoka;
Georgetown; Hamilton; Hillah; Hyderabad; Johannesburg; Juba; Kirkuk; Kolonia; Koror; Krakow;
Leipzig; Lome; Lusaka; Majuro; Marseille; Matamoros; Merida; Mosul; Naha; Nagoya; Nicosia;
Nogales; Nouakchott; Nuevo Laredo; Osaka Kobe; Perth; Podgorica; Ponta Delgada; Port Moresby;
Porto Alegre; Praia; Sapporo; St Petersburg; Surabaya; Suva; Sydney; Toronto; Valletta;
Vientiane; Wuhan; Kuwait; Tunis; Bridgetown; Castries; Kolkata; Peshawar; Karachi; Lahore;
USEU Brussels; USOSCE; US UN Rome; UNESCO Paris FR; USNATO; USUN New York; UNVIE Vienna;
Sec Def; US DOC; USDA FAS; US CBP; US DOJ; USTR; CDC Atlanta GA; Iran RPO Dubai; RPO Dubai
"""

# Short forms and old names that no spelling rule derives: the Department's own address,
# airport and postal abbreviations, a country named for its capital's embassy, agencies renamed.
ALIASES = {
    "SECSTATE": "STATE",
    "SECSTATEWASHDC": "STATE",
    "WASHDC": "STATE",
    "DEPT": "STATE",
    "RIO": "RIODEJANEIRO",
    "BRAZIL": "BRASILIA",
    "BKK": "BANGKOK",
    "HK": "HONGKONG",
    "VAT": "VATICAN",
    "PAUP": "PORTAUPRINCE",
    "USUN": "USUNNEWYORK",
    "USUNNY": "USUNNEWYORK",
    "USCUSTOMS": "USCBP",
    "CUSTOMS": "USCBP",
    "DEPTOFCOMMERCE": "USDOC",
    "COMMERCE": "USDOC",
    "DEPTOFJUSTICE": "USDOJ",
}

# Words glued in front of a station that are never part of it: address forms, caveats, the
# tail of a classification word.
NOISE_PREFIXES = (
    "AMEMBASSY",
    "AMCONSULATE",
    "AMCONSUL",
    "EMBASSY",
    "CONSULATE",
    "USMISSION",
    "USOFFICE",
    "EFTO",
    "NOFORN",
    "SIPDIS",
    "CLASSIFIED",
    "SIFIED",
)
# Address words that are part of some real station tokens (AITTAIPEI): taken off only when the
# whole spelling is not a station.
SOFT_PREFIXES = ("AIT", "USDEL", "US")
# What may follow a station inside one token: a city word, the Washington address, a country.
QUALIFIERS = re.compile(r"^(?:CITY|WASHDC|WASH|DC|USA|[A-Z]{2})$")


def _token(name: str) -> str:
    return re.sub(r"[^A-Z]", "", name.upper().replace("0", "O"))


@dataclass(frozen=True)
class _Station:
    token: str
    words: tuple[str, ...]
    weight: int


@cache
def _stations() -> dict[str, _Station]:
    table: dict[str, _Station] = {}
    for token, origin in station_origins().items():
        if any(token.startswith(p) and len(token) > len(p) + 2 for p in NOISE_PREFIXES):
            continue  # a malformed id's station in the table (EFTOLONDON): not a post of its own
        words = origin.split()
        if words and words[0] in ("Embassy", "Embasy", "Consulate", "Mission", "REO"):
            words = words[1:]
        if _token("".join(words)) != token:
            words = []  # the origin name is not the station's words (UNVIE, PARTO)
        table[token] = _Station(token, tuple(w.upper() for w in words), 2)
    for name in EXTRA_STATIONS.replace("\n", " ").split(";"):
        token = _token(name)
        if token and token not in table:
            table[token] = _Station(token, tuple(name.upper().split()), 1)
    return table


def known_stations() -> frozenset[str]:
    return frozenset(_stations())


@cache
def _initials() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for station in _stations().values():
        if len(station.words) >= 3:
            out.setdefault("".join(w[0] for w in station.words), []).append(station.token)
    return out


def _unique(candidates: list[str]) -> str:
    found = sorted(set(candidates))
    return found[0] if len(found) == 1 else ""


def _exact(token: str) -> str:
    if token in _stations():
        return token
    return ALIASES.get(token, "")


def _structural(token: str, min_length: int) -> str:
    stations = _stations()
    if len(token) < min_length:
        return ""
    # A unique station this spelling ends (HAGUE, PARISFR) or begins (UNVIE, USEU, SAOPAUL).
    found = _unique([s for s in stations if s.endswith(token) and s != token])
    if found:
        return found
    found = _unique([s for s in stations if s.startswith(token) and s != token])
    if found:
        return found
    # A station followed by a qualifier (MEXICOCITY, USDOCWASHDC, MADRIDSP).
    for cut in range(len(token) - 2, 2, -1):
        head, tail = token[:cut], token[cut:]
        station = _exact(head)
        if station and QUALIFIERS.match(tail):
            return station
    # The initials of a station's words (HCMC, PAP).
    found = _unique(_initials().get(token, []))
    if found:
        return found
    # "Q" for letters the line noise ate (AQNA, QXICO, BRUSSQLS).
    if "Q" in token and len(token) >= 4:
        pattern = re.compile(
            "^" + "".join(".{1,3}" if c == "Q" else re.escape(c) for c in token) + "$"
        )
        found = _unique([s for s in stations if "Q" not in s and pattern.match(s)])
        if found:
            return found
    return ""


@cache
def _keys_by_length() -> dict[int, list[str]]:
    """The stations and their short forms by length: ``_nearest`` compares a spelling only
    with those its edit limit can reach."""
    out: dict[int, list[str]] = {}
    for key in [*_stations(), *ALIASES]:
        out.setdefault(len(key), []).append(key)
    return out


def _nearest(token: str, min_length: int) -> str:
    if len(token) < min_length:
        return ""
    limit = 1 if len(token) < 9 else 2
    best: list[tuple[int, int, str]] = []
    by_length = _keys_by_length()
    lengths = range(len(token) - limit, len(token) + limit + 1)
    for key in [key for length in lengths for key in by_length.get(length, ())]:
        d = osa_distance(token, key, limit)
        if d <= limit:
            station = _exact(key)
            best.append((d, -_stations()[station].weight if station in _stations() else 0, station))
    if not best:
        return ""
    best.sort()
    top = [b for b in best if b[:2] == best[0][:2]]
    return _unique([b[2] for b in top])


@cache
def resolve_station(name: str, min_length: int = 3) -> str:
    """The station token a spelling stands for, or "" when it is not recognisably a post.

    >>> resolve_station("RIO DE JANEIRO"), resolve_station("SECTSTATE"), resolve_station("HCMC")
    ('RIODEJANEIRO', 'STATE', 'HOCHIMINHCITY')
    """
    token = _token(name)
    if not token:
        return ""
    found = _exact(token)
    if found:
        return found
    for prefix in NOISE_PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= 3:
            return resolve_station(token[len(prefix) :], min_length)
    for prefix in SOFT_PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= 3:
            found = _exact(token[len(prefix) :])
            if found:
                return found
    found = _structural(token, min_length)
    if found:
        return found
    for prefix in SOFT_PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= 4:
            rest = token[len(prefix) :]
            found = _structural(rest, min_length) or _nearest(rest, min_length)
            if found:
                return found
    return _nearest(token, min_length)


def strip_noise_prefix(token: str) -> str:
    """'EMBASSYBLABLA' -> 'BLABLA': address words and caveats off the front of a station."""
    changed = True
    while changed:
        changed = False
        for prefix in NOISE_PREFIXES:
            if token.startswith(prefix) and len(token) - len(prefix) >= 3:
                token, changed = token[len(prefix) :], True
    return token
