"""TAGS codes: what the TAGS line of a cable is made of, and how to read a messy one.

A TAGS line holds subject codes (four letters, first letter A/B/C/E/K/M/O/P/S/T: PREL, PGOV,
KDEM), country codes (two letters: KZ, US), organisation codes (NATO, EUN, IAEA, UNESCO),
person tags after OVIP ("OVIP (CLINTON, HILLARY)" or "OVIP BIDEN JOSEPH") and sometimes free
text ("MEDIA REACTION REPORT"). Typists ran codes together ("PHUMBA", "VEPREL") and mistyped
them ("MOPPS", "UNDESCO"); multi-section cables repeat the line with page headers in between.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

from .distance import osa_distance

SUBJECT_CODES = """
AADP AEMR AFIN AFSI AFSN AGAO AINF AINR AINT ALOW AMED AMGT AODE AORC APCS APER ASCH ASEC ASIG
AVIP BBSR BEXP BMGT BTIO CACS CARC CASC CFED CJAN CMGT CPAS CVIS EAGR EAID EAIR ECIN ECON ECPS
EFIN EFIS EIND EINT EINV ELAB ELTN EMIN ENRG EPET ESTH ETRA ETRD ETTC EWWT KACT KAWC KBCT KBIO
KBTR KCFE KCIP KCOM KCOR KCRM KCRS KDEM KDEV KDRG KFLO KFLU KFRD KGHG KGIC KGIT KHDP KHIV KHLS
KHUM KICA KIDE KIPR KIRC KIRF KISL KJUS KLIG KMCA KMDR KMPI KNAR KNEI KNNP KNPP KNSD KOCI KOLY
KOMC KPAL KPAO KPKO KPLS KPOA KPOW KPRP KPRV KRAD KREC KRFD KRVC KSAF KSCA KSCI KSEO KSEP KSPR
KSTC KSTH KSUM KTBT KTDB KTEX KTFN KTIA KTIP KTLA KUNR KVPR KWAC KWBG KWMM KWMN KWNM MARR MASS
MCAP MILI MNUC MOPS MTCRE OCII OEXC OFDP OIIP OPDC OPRC OREP OSCI OTRA OVIP PARM PBIO PBTS PGOV
PHSA PHUM PINL PINR PINS PINT PMIL PNAT PREF PREL PROP PTER SCUL SENV SMIG SNAR SOCI SPCE SWCI
TBIO TINT TNGD TPHY TRGY TSPA TSPL
"""
ORGANISATION_CODES = """
NATO EUN UN UNSC UNGA UNHRC UNHCR UNDP UNESCO UNICEF UNEP UNCHR UNCND UNODC UNMIK UNIFIL UNAMA
UNAMI MONUC MINUSTAH IAEA OPCW CWC BWC CBW OSCE OAS ASEAN APEC WTO IMF IBRD OECD AU ECOWAS SADC
IGAD GCC OPEC ICAO WHO FAO WFP ILO IOM ICC ICTY ICTR ICRC NPT CTBT MTCR NSG IWC CITES IEA COE
SCO CIS EFTA ARF MERCOSUR CARICOM SICA NAM AMIS AMISOM ISAF KFOR SFOR UNMIL UNOCI FTAA
CAFTA NAFTA SAARC UNRWA UNFICYP UNMEE UNMIS UNAMID EU
"""
SUBJECT_SHAPE = re.compile(r"^[ABCEKMOPST][A-Z]{3}$")
COUNTRY_SHAPE = re.compile(r"^[A-Z]{2}$")
# A page header inside the TAGS line of a multi-section cable:
# "SECRET PAGE 02 LIMA 02475 01 OF 03 251228Z".
PAGE_HEADER = re.compile(
    r"(?:\b(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)\s+)?\bPAGE\s+\d{2,3}\s+"
    r"[A-Z][A-Z .'-]*?\s+\d{3,8}\s+(?:\d{2,3}(?:\.\d)?\s+OF\s+\d{2,3}\s+)?(?:\d{6}Z\b)?",
    re.I,
)


@cache
def known_codes() -> frozenset[str]:
    codes = set(SUBJECT_CODES.split()) | set(ORGANISATION_CODES.split())
    text = resources.files("cables").joinpath("fixtures/tags.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            codes.add(line.split("\t")[0].strip().upper())
    return frozenset(c for c in codes if c)


def code_kind(token: str) -> str:
    """'known' (a listed code), 'shape' (looks like one: KZ, PXYZ) or '' (a word)."""
    if token in known_codes():
        return "known"
    if COUNTRY_SHAPE.match(token) or SUBJECT_SHAPE.match(token):
        return "shape"
    return ""


def split_glued(token: str) -> list[str]:
    """'PHUMBA' -> ['PHUM', 'BA'], 'AMEDCASCKFLO' -> ['AMED', 'CASC', 'KFLO']; [] when the
    token is not codes run together (at least one listed code, at most one country code)."""
    known = known_codes()

    def split(rest: str, countries: int) -> list[str] | None:
        if not rest:
            return []
        for size in (4, 5, 6, 3, 2):
            head = rest[:size]
            if len(head) < size:
                continue
            is_country = size == 2
            if (head in known and size >= 3) or (is_country and countries == 0):
                tail = split(rest[size:], countries + is_country)
                if tail is not None:
                    return [head, *tail]
        return None

    if len(token) < 6 or token in known:
        return []
    pieces = split(token, 0)
    if not pieces or not any(p in known and len(p) >= 4 for p in pieces):
        return []
    return pieces


@cache
def _codes_by_length() -> dict[int, list[str]]:
    """The listed codes of four letters or more, by length."""
    out: dict[int, list[str]] = {}
    for code in known_codes():
        if len(code) >= 4:
            out.setdefault(len(code), []).append(code)
    return out


@lru_cache(maxsize=4096)
def nearest_code(token: str) -> str:
    """A mistyped code: 'MOPPS' -> 'MOPS', 'UNDESCO' -> 'UNESCO' (one edit, unique)."""
    if len(token) < 4:
        return ""
    by_length = _codes_by_length()
    # One edit changes the length by one at most.
    near = [
        c for size in (len(token) - 1, len(token), len(token) + 1) for c in by_length.get(size, ())
    ]
    found = {c for c in near if osa_distance(token, c, 1) <= 1}
    return found.pop() if len(found) == 1 else ""
