"""The TAGS glossary: what each code stands for and what kind of code it is.

The glossary ships as data, ``cables/fixtures/tags.tsv`` (code, kind, description; a blank
description where the meaning of a code that cables use is not known for sure). The import
gives new tags their description and kind from it and corrects tags that differ; migration
0005 filled the tags stored before. Codes the glossary does not list get a kind from their
shape alone (two letters: a country; four letters starting with K: a program; four letters
starting with A, B, C, E, M, O, P, S or T: a subject).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

SUBJECT, COUNTRY, PROGRAM, ORGANISATION = "subject", "country", "program", "organisation"
KINDS = (SUBJECT, COUNTRY, PROGRAM, ORGANISATION)
KIND_LABELS = {
    SUBJECT: "Subject",
    COUNTRY: "Country",
    PROGRAM: "Program",
    ORGANISATION: "Organisation",
}

COUNTRY_SHAPE = re.compile(r"^[A-Z]{2}$")
PROGRAM_SHAPE = re.compile(r"^K[A-Z]{3}$")
SUBJECT_SHAPE = re.compile(r"^[ABCEMOPST][A-Z]{3}$")


@dataclass(frozen=True)
class GlossaryEntry:
    code: str
    kind: str
    description: str


def parse_glossary(text: str) -> dict[str, GlossaryEntry]:
    """code -> entry, from the TSV text (``#`` lines are comments)."""
    entries = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, kind, description = (line.split("\t") + ["", ""])[:3]
        code = code.strip()
        entries[code] = GlossaryEntry(code, kind.strip(), description.strip())
    return entries


@cache
def tag_glossary() -> dict[str, GlossaryEntry]:
    """The glossary shipped in cables/fixtures/tags.tsv."""
    text = resources.files("cables").joinpath("fixtures/tags.tsv").read_text("utf-8")
    return parse_glossary(text)


def kind_by_shape(code: str) -> str:
    if COUNTRY_SHAPE.match(code):
        return COUNTRY
    if PROGRAM_SHAPE.match(code):
        return PROGRAM
    if SUBJECT_SHAPE.match(code):
        return SUBJECT
    return ""


def describe(code: str) -> tuple[str, str]:
    """(description, kind) of a code: the glossary's, or a blank description and the kind
    its shape says."""
    entry = tag_glossary().get(code)
    if entry is not None:
        return entry.description, entry.kind or kind_by_shape(code)
    return "", kind_by_shape(code)
