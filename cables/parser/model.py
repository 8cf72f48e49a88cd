"""What the parser returns: plain dataclasses, no Django.

The importer maps these onto the models in ``cables.models``; tests and benchmarks use them
directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class ParseError(ValueError):
    """The text is not a cable we can read; the message says why."""


@dataclass
class Paragraph:
    position: int  # 1-based order in the body
    number: int | None  # the cable's own paragraph number, when it numbers them
    marking: str  # portion marking as printed: "C", "SBU", "S//NF", "" when none
    heading: str  # the section heading the paragraph falls under, "" when none
    text: str  # wrapped lines joined; blocks inside a paragraph separated by a blank line


@dataclass
class Reference:
    letter: str  # "A", "B", ... or "" for a single unlettered reference
    text: str  # the reference as written, e.g. "ALMATY 2532"
    cable_id: str  # the cited cable's reference id, "" when the reference is not a cable
    # What is cited: "cable", or "email", "telcon", "memo", "letter", "fax", "book" (a manual
    # such as the FAM), "report", "message" (a message known by its date-time group), "other".
    kind: str = "cable"


@dataclass
class Recipient:
    kind: str  # "action" (TO) or "info" (INFO)
    name: str  # "SECSTATE WASHDC"
    route: str = ""  # routing indicator, "RUEHC"
    precedence: str = ""  # "PRIORITY", "NIACT IMMEDIATE", ...
    # The message number at that address ("6472" in "RUEHC/SECSTATE WASHDC PRIORITY 6472"):
    # a serial of the channel, not part of who the recipient is, so not compared.
    mcn: str = field(default="", compare=False)
    # Addresses a collective is sent to except these ("XMT AMEMBASSY SOFIA" after it).
    excluded: list[str] = field(default_factory=list)


@dataclass
class Hints:
    """Metadata a mirror prints around the cable text (trusted over the text itself)."""

    reference_id: str = ""
    created: datetime | None = None
    created_has_time: bool = True  # False where the mirror's time is not to be trusted
    # How much of the mirror's time is right where no date-time group replaces it: "minute",
    # "hour" (cablegate pages print the hour again for the minutes) or "day"; "year" where
    # only the year is known (a test vector's context), so no rule may rest on the day. The
    # parsed cable has "day" then: no mirror gives less.
    created_precision: str = "minute"
    classification: str = ""
    origin: str = ""
    title: str = ""  # a subject line, possibly cut short
    tags: list[str] = field(default_factory=list)
    partial: bool = False  # the mirror says the record is a partial extract


@dataclass
class ParsedCable:
    reference_id: str
    created: datetime  # UTC, timezone-aware
    classification: str  # normalised, e.g. "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    origin: str  # "US Office Almaty"
    created_precision: str = "minute"  # "minute", "hour" or "day": how much of created is known
    subject: str = ""  # without its portion marking
    subject_marking: str = ""  # the subject line's portion marking, "C/NF" in "(C/NF) WHO ..."
    summary: str = ""
    tags: list[str] = field(default_factory=list)  # TAGS codes, upper case, in cable order
    # Free text on the TAGS line: phrases ("MEDIA REACTION REPORT"), person tags ("BIDEN, JOSEPH").
    keywords: list[str] = field(default_factory=list)
    tags_line: str = ""  # the TAGS line as written (joined when it wraps)
    references: list[Reference] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    classified_by: str = ""  # the classifying official's name
    classified_by_line: str = ""  # the whole "Classified By:" line, as written
    reasons: list[str] = field(default_factory=list)  # ["1.4(b)", "1.4(d)"]
    declassify_on: str = ""  # "2016-08-04", "N/A" or ""
    signer: str = ""  # as signed, e.g. "ORDWAY"
    header: str = ""  # the routing header
    body: str = ""  # the cable text from the classification line on, cleaned
    paragraphs: list[Paragraph] = field(default_factory=list)
    partial: bool = False  # an extract, or text cut off before its end
    # The people the cable names (people.PersonMention), found once the rest is parsed.
    people: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what was repaired or guessed

    @property
    def year(self) -> int:
        return self.created.year
