"""Parse the text of one cable (routing header and body) into a ParsedCable.

The text arrives from a reader with the mirror's own clutter (navigation, footers, metadata
lines) already taken off and what the mirror said about the cable passed as ``Hints``. What is
left still carries the habits of the telegraph and of the mirrors: headers printed twice, page
breaks in mid-paragraph, blank lines inside paragraphs, lost characters, cut-off ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from .classified import find_classified_by
from .fields import (
    looks_like_tags,
    make_reference_id,
    normalise_classification,
    origin_for,
    parse_declassify,
    parse_dtg,
    parse_reasons,
    split_tags,
    station_origins,
)
from .model import Hints, Paragraph, ParsedCable, ParseError, Recipient, Reference
from .people import extract_people, is_common_word, is_word_of_the_language
from .refs import parse_references

CLASS_WORD = (
    r"(?:U\s?N\s?C\s?L\s?A\s?S(?:\s?S\s?I\s?F\s?I\s?E\s?D)?|"
    r"C\s?O\s?N\s?F\s?I\s?D\s?E\s?N\s?T\s?I\s?A\s?L|S\s?E\s?C\s?R\s?E\s?T|"
    r"LIMITED\s+OFFICIAL\s+USE)"
)
# "C O N F I D E N T I A L SECTION 01 OF 02 ALMATY 002803", "UNCLAS  ALMATY 000956",
# "S E C R E T STATE 012345", "CONFIDENTIAL NOFORN SECTION 1 OF 2 BAGHDAD 123",
# "UNCLASSIFIED LIMITED OFFICIAL USE SECTION 01 OF 08 ZAGREB 02863" (Zagreb, 1992).
BANNER = re.compile(
    r"^\s*(?:UNCLASSIFIED\s+(?=LIMITED))?"
    rf"(?P<level>{CLASS_WORD})(?P<caveats>(?:\s+(?:E\s?F\s?T\s?O|N\s?O\s?F\s?O\s?R\s?N|"
    r"SENSITIVE|NOFORN|NODIS|EXDIS|LIMDIS|FOR OFFICIAL USE ONLY))*)"
    r"(?:\s+(?:SECTION\s+)?(?P<section>\d+)\s+OF\s+(?P<sections>\d+))?"
    r"\s+(?P<station>[A-Z][A-Z .'-]*?[A-Z])\s+(?P<serial>\d{1,8})\s*$"
)
# "ALMATY 00002803 002 OF 002": the page header of section two on ("Islamabad 00000416 002 of
# 004" where a mirror wrote it in lower case).
PAGE_BREAK = re.compile(
    r"^\s*[A-Z][A-Za-z .'-]*?\s+\d{5,8}\s+(?P<page>\d{1,3})(?:\.\d)?\s+(?:OF|of)\s+(?P<of>\d{1,3})\s*$"
)
# "PAGE 02 STATE 015113 182333Z" in older cables; "PAGE 03 VATICA 02600 01 OF 02 122002Z" in a
# cable sent in sections.
OLD_PAGE = r"^\s*PAGE\s+\d{2}\s+[A-Z][A-Z ]*?\s+\d+\s+(?:\d{2}\s+OF\s+\d{2}\s+)?\d{6}Z"
OLD_PAGE_BREAK = re.compile(OLD_PAGE + r"\s*$")
# The first page of a later section of a cable sent in sections, its routing block after it
# ("PAGE 01 VATICA 02600 02 OF 02 122002Z" / "ACTION EUR-00" / "INFO LOG-00 ..." / "R 111237Z
# MAY 01" / "FM ..." / "UNCLAS SECTION 02 OF 02 VATICAN 002600" / "SIPDIS" / ... / "SUBJECT:").
SECTION_FIRST_PAGE = re.compile(
    r"^\s*(?P<page>PAGE\s+01\s+[A-Z][A-Z ]*\s+\d+\s+(?P<section>\d{2})\s+OF\s+\d{2}\s+\d{6}Z)"
)
# The lines of a later section's preamble, the last of which ends it.
SECTION_PREAMBLE_LINE = re.compile(r"^\s*(?:SUBJECT|SUBJ|TAGS|E\.\s?O\.|SIPDIS\s*$)")
# The message centre's line over a section's routing block: "UNCLASSIFIED     PTQ1417".
ROUTING_ID_LINE = re.compile(r"^\s*(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|NNNN)\s*[A-Z]{3}\d{3,5}\s*$")
# An old page header with the page's first line run onto it.
GLUED_OLD_PAGE = re.compile(OLD_PAGE + r"\s+(?=\S)")
DASHES = re.compile(r"^\s*(?:[-=_‐‑–—][ \t]?){3,}\s*$")  # (spaced too: "- - - -", "---- -")
RULED_HEADING = re.compile(
    r"^\s*(?:[-=_‐‑–—]{3,}\s*(?P<a>[A-Za-z][^-=_‐‑–—]{0,60}?)\s*[-=_‐‑–—]{3,}|"
    r"(?P<b>[A-Za-z][^-=_‐‑–—]{0,60}?)\s*={3,})\s*$"
)
PARAGRAPH_START = re.compile(
    r"^\s*(?P<pilcrow>¶\s*)?(?P<number>\d{1,3})\s?\.\s*"
    r"(?:[(\[](?P<marking>[A-Z][A-Z /-]{0,24}|[A-Z]/+[A-Z]+|[cus]|sbu|[CS]/+(?i:REL)[A-Za-z, ]{3,30})"
    r"[)\]]\s*\.?)?\s*(?P<rest>.*)$"
)
MARKING = re.compile(
    r"^(?:U|C|S|SBU|TS|LOU|FOUO|NF|[UCS]\s*-\s*ENTIRE TEXT|[UCS]\s*/+\s*(?:NF|NOFORN|SBU|FOUO|REL"
    r"[A-Z ,]*)|SBU\s*/+\s*NF|U\s*/+\s*FOUO|S\s*/+\s*NF|C\s*/+\s*NF)$",
    re.I,  # ("(c) Summary: ...", "(S//REL to USA, ACGU)")
)
PRECEDENCES = ("NIACT IMMEDIATE", "IMMEDIATE", "PRIORITY", "ROUTINE", "FLASH", "OPERATIONAL")
RECIPIENT = re.compile(
    r"^(?:(?P<route>[A-Z]{4,8})/)?(?P<name>.+?)"
    rf"(?:\s+(?P<precedence>{'|'.join(PRECEDENCES)}))?(?:\s+(?P<mcn>\d{{3,5}}(?:-\d{{3,5}})?))?\s*$"
)
# A field label at the start of a (head) line. Typists and the telegraph mangled them: "TAGS;",
# "TAS:", "TABS:", "TAGES:", "AGS:" (first letter lost), "UBJECT:", "SUBJ:", "Ref(s):",
# "REFTELS:", "REF.", "REF A:" (one label a reference) and "REF" or "REFTEL" with no colon
# before a lettered list.
LABEL = re.compile(
    r"^\s*(?:"
    r"(?P<tags>(?:TAGS?|TAS|TABS|TAGES|AGS)\s*[:;]|TAGS?\s+(?=\S))"
    r"|(?P<subject>S?UBJ(?:ECT)?\s*:)"
    r"|(?P<ref>REF(?:S|TELS?|ERENCES?|\(S\))?(?:\s+(?P<letter>[A-Z])(?=\s*:))?\s*[:.]"
    r"|REF(?:S|TELS?)?\s+(?=(?:\(?[A-Z][.)]|\([A-Z]\))\s)"
    # "REF STATE 19842", "REF 02 PARAMARIBO 1169", "REF A O3 Sanaa 2776": no colon
    r"|REF(?:S|TELS?)?\s+(?:(?P<letter2>[A-Z])\s+)?(?=(?:[O0]?\d{1,2}\s+)?(?-i:[A-Z][A-Za-z]{2,}(?:\s+[A-Z][A-Za-z]{2,})?)\s+\d{2,7}\s*(?:$|[,;]))"
    r"|(?=[A-Z][.)]\s+REF\b))"
    r"|(?P<cb>CLASSI\w{0,6}\s+BY\b\s*:?)"
    r"|(?P<eo>E\.?\s?O\.?\s*\d|DECL(?:ASSIFY)?\s*(?:ON)?\s*:)"
    r")\s*(?P<value>.*)$",
    re.I,
)
PREAMBLE_KEY = LABEL
# Where a run-on head line is split so that each field starts its own line ("E.o. 12958:
# decl: 01/07/2014 Tags: prel, pgov Subject: ...", "...UK PRIMEREF: A. LONDON 1939").
INLINE_LABEL = re.compile(
    r"(?<=\S)[ \t]+(?=(?:TAGS?|TAS|TABS|TAGES|AGS)\s*[:;]|S?UBJ(?:ECT)?\s*:|"
    r"REF(?:S|TELS?|ERENCES?|\(S\))?\s*:|CLASSI\w{0,6}\s+BY\b|E\.?\s?O\.?\s*\d{4,6}\b|"
    r"Sensitive\s+but\b|SENSITIVE\s+BUT\b|¶?\d{1,2}\.\s?\((?:U|C|S|SBU|S/NF|C/NF|S//NF|C//NF|"
    r"SBU/NF|U//FOUO)\)(?:\s|$))|(?<=[A-Z0-9])(?=REF:)"
    # (a marking right after a paragraph's number, "1. (C) Summary", stays with it)
    r"|(?<=[\w.)])(?<!\b\d\.)(?<!\b\d\d\.)[ \t]+"
    r"(?=(?-i:\((?:U|C|S|SBU|S/NF|C/NF|SBU/NF)\)\s+[A-Z][a-z]))",
    re.I,
)
SPACED_LETTERS = re.compile(r"^\s*(?:[A-Za-z]\s){4,}")
PARAGRAPH_NUMBERED = re.compile(r"^\s*¶?\s*\d{1,2}\s?\.(?:\s|\(|$)")
# A page header run into a line of prose ("... the pilot BRASILIA 00000631 002 OF 002 turned
# sharply"): the post's name cut to 10 characters ("BUENOS AIR"), the serial to 8 digits;
# a REF's serial may run into it ("C. CAIRO 507CAIRO 00000524 001.2 OF 002").
GLUED_PAGE_HEADER = re.compile(
    r"(?<![A-Za-z.'-])(?P<station>[A-Z][A-Z'-]*(?: [A-Z][A-Z'-]*)*) +0\d{7} +\d{3}(?:\.\d)? +OF +\d{3}\b *"
)
# A post's box pointing to its classified website, at the text's end or start ("Visit
# London's Classified Website: http://www.intelink.sgov.gov/wiki/Portal:Unit ed_Kingdom",
# with rules of stars around it and a line on SIPRNET); the signer may follow on its line.
WEBSITE_BOX = re.compile(
    r"(?i)(?:\bplease\s+)?\bvisit\b[^.!?]{0,60}?\bclassified\s+web\s?site\b\s*(?:at)?\s*[:;]?"
)
WEBSITE_BOX_LINE = re.compile(
    r"(?i)^\s*(?:[*=_-]+(?:\s+[*=_-]+)*|\S*(?:https?:|sgov|intelink)\S*.*"
    r"|(?:\S+\s+){0,4}\S*(?:https?:|sgov|intelink|gov\.gov/|portal:)\S*(?:\s+\S+){0,4}"
    r"|you can also access this site\b.*|classified siprnet website\.?|.*\bvisit:)\s*$"
)
WEB_ADDRESS = re.compile(r"(?i)https?:|www\.|sgov|intelink")
# The distribution caption run into a line of prose (which has small letters).
CAPTION_IN_PROSE = re.compile(r"(?<![\w/-])SIPDIS(?:\s+(?=\S)|\s*$)")
FURNITURE = re.compile(
    r"^\s*(?:(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE|UNCLAS|SIPDIS|SENSITIVE|"
    r"NOFORN)(?:\s+(?:SIPDIS|NOFORN|SENSITIVE))*|PAGE\s+\d{2,3}\b.*)\s*$"
)
TERMINAL = (".", "!", "?", '"', "'", ")", ":", ";", "”", "’")
LIST_ITEM = re.compile(r"^\s*(?:-{1,2}\s|[A-Z]\.\s|\(?[a-z0-9]{1,2}\)\s|o\s|\*\s|•)")
SIGNER = re.compile(r"^\s*(?P<name>[A-Z][A-Z'-]+(?:\s+[A-Z][A-Z'-]+){0,2})\s*$")
TITLE_SIGNER = re.compile(
    r"^\s*(?P<name>[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:[-' ][A-Z][a-z]+){0,2})\s*$"  # (LeBaron)
)
# The message centre's e-mail wrapper some posts' cables came in: "Subject: TRIPOLI 00000063 P
# CO 28-JAN-09 RISKY BUSINESS? AMERICAN" / "CONSTRUCTION FIRM ... WITH GOL [8466936]".
WRAPPER_SUBJECT = re.compile(
    r"^Subject:\s+[A-Z][A-Z ]*?\s+\d{5,8}\s+[A-Z]{1,2}\s+[A-Z]{1,2}\s+\d{1,2}-[A-Z]{3}-\d{2}\s+(?P<s>.*)$"
)
NOT_SIGNER_WORDS = re.compile(
    r"(?i)\b(?:END|COMMENT|SUMMARY|TEXT|NOTE|QUOTE|UNQUOTE|SIPDIS|NNNN|BT|PAGE|SECTION)\b"
)
NOT_SIGNERS = {
    "NNNN",
    "BT",
    "SIPDIS",
    "NOFORN",
    "SENSITIVE",
    "END",
    "UNCLASSIFIED",
    "SECRET",
    "CONFIDENTIAL",
    "UNCLAS",
    "END OF MESSAGE",
    "NNN",
    "UNQUOTE",
    "QUOTE",
    "END TEXT",
    "END OF TEXT",
    "END COMMENT",
    "END SUMMARY",
    "COMMENT",
    "SUMMARY",
    "BACKGROUND",
    "LIMITED OFFICIAL USE",
    "VIA",  # (Peshawar's cables, sent via Islamabad)
    "JR",
    "SR",
}
PARTIAL_NOTICE = "This record is a partial extract of the original cable"
PILCROW_NUMBER = re.compile(r"^\s*¶\s*\d")
# The caption alone on its line: it goes, as SIPDIS does ("SENSITIVE BUT UNCLASSIFIED - PROTECT
# ACCORDINGLY", "Sensitive but unclassified not for internet distribution").
HANDLING_CAPTION = re.compile(
    r"(?i)^\s*(?:SENSITIVE BUT UNCLASSIFIED|FOR OFFICIAL USE ONLY)"
    r"(?:[\s,.;:-]+(?:please|protect|treat|handle|accordingly|not|for|internet|distribution|"
    r"entire|text))*[\s,.;:-]*$"
)
SALUTATION = re.compile(r"(?i)^(?:mr\.?|mrs\.?|ms\.?|madame?|dear)\s")
# What a mirror ran into a subject line or its title after the subject: a REF field ("...
# PROCESS REF: BANJUL 235", "... TO BAHRAINREF: MANAMA 510", "Ref(s): A) 08 RIO DE JAN 138"),
# the statement ("... ARE WELCOME CLASSIFIED", "... TO CAIROClassified By: DEPUTY CHIEF ..."),
# the handling caption ("... RESIDENCE ENTIRE TEXT SENSITIVE BUT UNCLASSIFIED/NOFORN"), the
# first paragraph ("... Please handle accordingly. 1.(SBU): The Ministry ..."), or after a
# preview's "..." the cable's head again ("MUNICIPALITY TO FUND... 14:25 UNCLAS SECTION 01").
SUBJECT_TAIL = re.compile(
    r"(?:\s+|(?<=[A-Za-z0-9\"]))REF(?:S|TELS?|\(S\))?\s*:(?:\s|$)"
    r"|(?:\s+|(?<=[A-Za-z]))CLASSIFIED(?:\s+BY\b|\s*$)"
    r"|(?:\s+ENTIRE\s+TEXT)?\s+SENS\w*\s+BUT\s+UNCLAS.*|\s+ENTIRE\s+TEXT\s*$"
    r"|\s+\d{1,2}\s?\.\s?\((?:U|C|S|SBU)\)"
    r"|(?<=\.\.\.)\s*(?:\d{1,2}:\d{2}\s+)?(?:C O N F|S E C R|U N C L|UNCLAS\b|CONFIDENTIAL\b|SECRET\b)",
    re.I,
)
# A portion marking that opens a line, and the text after it ("(C/NF) UK Foreign Office ...").
LEADING_MARKING = re.compile(r"^\s*\((?P<marking>[A-Z][A-Z /-]{0,24})\)\s+(?=\S)")
MARKED_NUMBER = re.compile(
    r"^\s*\((?P<marking>[A-Z][A-Z /-]{0,24})\)\s+(?P<number>\d{1,3})\.\s+(?=\S)"
)
# The mirror's pilcrow before a number inside a paragraph's text ("in June ¶2006."), but
# where it may open a paragraph run into the text ("Summary ¶1. (C) Finnish...").
STRAY_PILCROW = re.compile(r"¶\s*(?=\d)(?!\d{1,2}\.\s*(?:\(|[A-Z]))")
NOTE_LINE = re.compile(r"^\s*NOTE\b")
LOWER_CASE = re.compile(r"[a-z]")


@dataclass
class _Line:
    text: str
    soft: bool = False  # follows a removed page break: continues the previous line's block


@dataclass
class _Para:
    number: int | None
    marking: str
    heading: str
    blocks: list[list[str]] = field(default_factory=list)

    def add_line(self, line: str, new_block: bool) -> None:
        if new_block or not self.blocks:
            self.blocks.append([])
        self.blocks[-1].append(line.strip())

    def dash_goes_on(self, line: str) -> bool:
        """``_dash_goes_on`` after the last line of the paragraph."""
        block = self.blocks[-1] if self.blocks else []
        if not block:
            return False
        items = _list_items(block)
        return _dash_goes_on(block[-1], line, any(items), items[-1])


def parse_or_error(text: str, hints: Hints | None = None) -> ParsedCable | ParseError:
    """``parse_cable``, with a parse error returned rather than raised (an exception would
    lose the other cables parsed with it)."""
    try:
        return parse_cable(text, hints)
    except ParseError as error:
        return error


def parse_each(items: Iterable[tuple[str, Hints | None]]) -> list[ParsedCable | ParseError]:
    """``parse_or_error`` of each (text, hints): the job a worker process runs for the
    importer, a few cables per round trip."""
    return [parse_or_error(text, hints) for text, hints in items]


def parse_cable(text: str, hints: Hints | None = None) -> ParsedCable:
    """Parse one cable's header and body. Raises ParseError when no id or date can be found."""
    hints = hints or Hints()
    warnings: list[str] = []
    lines = _normalise(text).split("\n")
    banner_at = next(
        (i for i, line in enumerate(lines) if _ends_like_page_header(line) and BANNER.match(line)),
        None,
    )
    if banner_at is None:
        banner_at = _body_start(lines)
    header_lines = [line for line in lines[:banner_at] if line.strip()]
    body_lines = _drop_repeated_header(lines[banner_at:])
    banner = BANNER.match(body_lines[0]) if body_lines else None

    sent = next((d for d in map(parse_dtg, header_lines) if d), None)
    from_line = next((line[3:] for line in header_lines if line.startswith("FM ")), "")

    reference_id = hints.reference_id
    if not reference_id and banner and (sent or hints.created):
        year = (sent or hints.created).year
        reference_id = make_reference_id(year, banner["station"], banner["serial"])
    if not reference_id:
        raise ParseError("no reference id: neither the mirror nor the text gives one")

    created = hints.created
    precision = hints.created_precision if created is not None else "minute"
    if sent and (created is None or not hints.created_has_time):
        if created is not None and abs((sent - created).total_seconds()) > 2 * 86400:
            warnings.append(f"date-time group {sent:%Y-%m-%d} disagrees with the mirror's date")
        else:
            created, precision = sent, "minute"
    if created is None:
        raise ParseError(f"{reference_id}: no date: neither the mirror nor a date-time group")

    preamble, rest = _split_preamble(body_lines[1:] if banner else body_lines)
    fields = _preamble_fields(preamble)

    level = hints.classification
    if not level and banner:
        caveats = banner["caveats"] or ""
        level = normalise_classification(
            banner["level"],
            sensitive=fields["sensitive"] or "SENSITIVE" in caveats,
            noforn=fields["noforn"] or "N" in caveats.replace(" ", "").replace("SENSITIVE", ""),
        )
    elif level:
        level = normalise_classification(level)
    if not level:
        raise ParseError(f"{reference_id}: no classification")

    tags, keywords = split_tags(fields["tags"]) if fields["tags"] else (list(hints.tags), [])
    if not tags and hints.tags:
        tags = list(hints.tags)

    subject_marking, subject = _strip_marking(fields["subject"] or _wrapper_subject(header_lines))
    subject = SUBJECT_TAIL.split(subject, maxsplit=1)[0]
    title_marking, title = _strip_marking(" ".join(hints.title.replace("\\", " ").split()))
    title = SUBJECT_TAIL.split(title, maxsplit=1)[0]
    title = _cut_at_page_header(title)[0]  # ("... AT UNGA TRIPOLI 00000762 001.2 OF 002")
    if title and (not subject or _cut_short(subject, title)):
        subject, subject_marking = title, subject_marking or title_marking

    references = [
        Reference(letter=c.letter, text=c.text, cable_id=c.cable_id, kind=c.kind)
        for c in parse_references(
            fields["ref"], created.year, reference_id, None if precision == "year" else created
        )
    ]
    # The classification statement: in the preamble, or in the first paragraph of older cables
    # ("1. CONFIDENTIAL - ENTIRE TEXT. CLASSIFIED BY ..."). Read from the lines as printed: the
    # telegraph's line width tells where it broke a word.
    classified_by, statement = find_classified_by(
        _head_lines(body_lines[1:] if banner else body_lines)
    )

    paragraphs, signer, ended, tail_complete = _paragraphs(
        _drop_section_headers(rest), warnings, level
    )
    partial = hints.partial or PARTIAL_NOTICE in text
    pages = [
        int(m["page"])
        for m in (PAGE_BREAK.match(x) for x in body_lines if _ends_like_page_header(x))
        if m
    ]
    if banner and banner["sections"] and (pages or not ended):
        # Only where the text shows its page headers, or ends without a signer or end mark:
        # many copies (cables.csv, older builds) carry no page headers at all.
        last_page = max(pages + [1])
        if last_page < int(banner["sections"]):
            partial = True
            warnings.append(f"text ends in section {last_page} of {int(banner['sections'])}")
    if not signer and not tail_complete and paragraphs:
        partial = True
        warnings.append("text ends in mid-sentence: cut off")

    cable = ParsedCable(
        reference_id=reference_id,
        created=created,
        created_precision="day" if precision == "year" else precision,
        classification=level,
        origin=hints.origin or origin_for(reference_id, from_line),
        subject=subject,
        subject_marking=subject_marking,
        summary=_summary(paragraphs),
        tags=tags,
        keywords=keywords,
        tags_line=fields["tags"],
        references=references,
        recipients=_recipients(header_lines),
        classified_by=classified_by,
        classified_by_line=statement,
        reasons=parse_reasons(statement),
        declassify_on=fields["declassify_on"],
        signer=signer,
        header="\n".join(header_lines),
        body="\n".join(body_lines).strip("\n"),
        paragraphs=paragraphs,
        partial=partial,
        warnings=warnings,
    )
    cable.people = extract_people(cable)
    return cable


MARKDOWN_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")  # [PREL](#)
# A header glued to the body: "RUEHNE/AMEMBASSY NEW DELHI 0384UNCLAS SECTION 01 OF 03".
GLUED_HEADER = re.compile(rf"(?m)^([A-Z]{{4,8}}/[^\n]*?\d)(?={CLASS_WORD}\b)")


# A statement the mirror broke after its first word ("... ARE WELCOME CLASSIFIED" + blank +
# "BY: Gene A. Cretz, Ambassador, ...").
SPLIT_STATEMENT = re.compile(r"(?<=\bCLASSIFIED)[ \t]*\n(?:[ \t]*\n)+(?=[ \t]*BY[ \t]*:)")


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = MARKDOWN_LINK.sub(r"\1", text)
    text = GLUED_HEADER.sub(r"\1\n", text)
    if "CLASSIFIED" in text:
        text = SPLIT_STATEMENT.sub(" ", text)
    lines = [line.rstrip() for line in text.split("\n")]
    if "\\" in text:
        # A backslash ending a line is a CSV dump's escaped newline, not text: it goes with
        # the spaces and tabs before it.
        lines = [line[:-1].rstrip(" \t") if line.endswith("\\") else line for line in lines]
    return "\n".join(lines)


HEADER_LINE = re.compile(
    r"^\s*(?:(?:[OPRZ]\s?){1,2}\s*\d{6}Z\b|FM\s|TO\s|INFO\s|VZCZC|ZNY\b|BT\s*$|[A-Z]{4,8}/)"
)


def _wrapper_subject(header: list[str]) -> str:
    """The subject from a message-centre e-mail wrapper above the routing header."""
    for i, line in enumerate(header):
        match = WRAPPER_SUBJECT.match(line.strip())
        if match:
            text = match["s"]
            for following in header[i + 1 : i + 4]:
                if re.search(r"\[\d+\]\s*$", text):
                    break
                text += " " + following.strip()
            return " ".join(re.sub(r"\s*\[\d+\]\s*$", "", text).split())
    return ""


def _body_start(lines: list[str]) -> int:
    """Where the body starts when there is no classification line: at the first field label,
    after a routing header the text opens with, or at the top."""
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    if lines and first < len(lines) and HEADER_LINE.match(lines[first]):
        end = first
        while end < len(lines) and lines[end].strip() and not LABEL.match(lines[end]):
            end += 1
        return end
    return next((i for i, line in enumerate(lines) if LABEL.match(line)), 0)


def _cut_short(subject: str, title: str) -> bool:
    """Whether the subject line is a shorter copy of the mirror's title ("RUSSIAN SCIEN...")."""

    def letters(text: str) -> str:
        return re.sub(r"[^A-Z0-9]", "", text.upper())

    short = letters(re.sub(r"\.\.\.\s*$", "", subject))
    return len(letters(title)) > len(short) and letters(title).startswith(short)


def _marking(written: str) -> str:
    """A portion marking as written, its spaces made single ("(c)" in capitals), or "" where
    it is no marking."""
    marking = " ".join(written.split()).upper()  # ("(c) Summary: ...", "(C/Rel Aus)")
    return marking if MARKING.match(marking) else ""


def _strip_marking(subject: str) -> tuple[str, str]:
    """'(C/NF) WHO WOULD REPLACE ...' -> ('C/NF', 'WHO WOULD REPLACE ...')."""
    match = re.match(r"^\s*\((?P<marking>[A-Z][A-Z/ -]{0,14})\)\s*(?P<rest>.*)$", subject)
    if match and _marking(match["marking"]) and match["rest"]:
        return _marking(match["marking"]), match["rest"]
    return "", subject


def _drop_repeated_header(lines: list[str]) -> list[str]:
    """Some mirrors print the classification line and preamble twice: keep the second copy."""
    if not lines:
        return lines
    first = " ".join(lines[0].split())
    if not first:
        return lines
    for i in range(1, len(lines)):
        line = lines[i]
        if PARAGRAPH_START.match(line) and _is_paragraph_start(PARAGRAPH_START.match(line), None):
            break
        if " ".join(line.split()) == first:
            return lines[i:]
    return lines


def _head_lines(lines: list[str]) -> list[str]:
    """The preamble and the first paragraph, as printed."""
    start = next((i for i, line in enumerate(lines) if _is_real_paragraph(line)), None)
    if start is None:
        return lines[:40]
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].strip()), len(lines))
    return lines[: max(end, start + 12)]


def _explode(line: str) -> list[str]:
    """A head line with run-on fields split into pieces, one field each. A statement inside a
    numbered paragraph stays in it."""
    if PARAGRAPH_NUMBERED.match(line):
        return [line]
    pieces = [p for p in INLINE_LABEL.split(line) if p is not None]
    if " OF " not in line:
        return pieces
    # A page header the mirror ran into a field is a piece of its own: "SUBJECT: ... AT UNGA
    # TRIPOLI 00000762 001.2 OF 002 CLASSIFIED" (the statement's first word, "BY:" on a later
    # line), "L) STATE 90303 STATE 00016219 001.2 OF 005 M) STATE 7877".
    return [part for piece in pieces for part in _cut_at_page_header(piece)]


def _cut_at_page_header(text: str) -> list[str]:
    """The text split around the page headers run into it, each header a piece."""
    header = GLUED_PAGE_HEADER.search(text)
    if not header:
        return [text]
    kept = _without_station(header)  # ("the UN TRIPOLI 00000961 ..." keeps "the UN")
    before = (text[: header.start()] + kept).rstrip()
    rest = text[header.end() :]
    return [before, header[0][len(kept) :].strip(), *(_cut_at_page_header(rest) if rest else [])]


def _is_real_paragraph(line: str) -> bool:
    match = PARAGRAPH_START.match(line)
    return bool(match and _is_paragraph_start(match, None))


def _split_preamble(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split the lines after the classification line into the preamble (SIPDIS, E.O., TAGS,
    SUBJECT, REF, Classified By) and the text. Only the lines that hold preamble fields are
    split where fields run on; the text keeps its lines."""
    # The pieces of the lines up to the one holding the first paragraph, each with the index
    # of its line: the preamble ends before that paragraph, so the text after it is not split.
    pieces: list[tuple[int, str]] = []
    head_end = None
    for n, line in enumerate(lines):
        for piece in _explode(line):
            if head_end is None and _is_real_paragraph(piece):
                head_end = len(pieces)
            pieces.append((n, piece))
        if head_end is not None:
            break
    if head_end is None:
        head_end = len(pieces)
    end = _preamble_end([line for _, line in pieces[:head_end]])
    if end < 0:
        return [], lines
    last_line = pieces[end - 1][0]
    rest = [line for n, line in pieces[end:] if n == last_line]
    return [line for _, line in pieces[:end]], rest + lines[last_line + 1 :]


def _drop_section_headers(lines: list[str]) -> list[str]:
    """The text without the routing block and preamble that open each later section of a
    cable sent in sections: each becomes a page break (the text runs on across it)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        first_page = SECTION_FIRST_PAGE.match(lines[i])
        banner_at = None
        if first_page and first_page["section"] != "01":
            banner_at = next(
                (
                    k
                    for k in range(i + 1, min(i + 40, len(lines)))
                    if (banner := BANNER.match(lines[k])) and banner["section"]
                ),
                None,
            )
        if banner_at is None:
            out.append(lines[i])
            i += 1
            continue
        while out and (
            not out[-1].strip() or ROUTING_ID_LINE.match(out[-1]) or out[-1].lstrip()[:4] == "NNNN"
        ):
            out.pop()
        out.append(first_page["page"])  # read as a page break
        # The section's preamble ends with its SUBJECT line (or TAGS, E.O., SIPDIS), within
        # a few lines: the text runs on after it, mid-sentence, and is no paragraph's start.
        window = lines[banner_at + 1 : banner_at + 25]
        ends = [k for k, line in enumerate(window) if SECTION_PREAMBLE_LINE.match(line)]
        subject = [k for k in ends if window[k].lstrip().startswith("SUBJ")]
        end = subject[0] + 1 if subject else ends[-1] + 1 if ends else 0
        lines = out + lines[banner_at + 1 + end :]
        i = len(out)
    return out


def _preamble_end(lines: list[str]) -> int:
    """The index after the last line that belongs to a preamble field, -1 when none."""
    return _scan_preamble(lines)[1]


def _preamble_fields(lines: list[str]) -> dict:
    return _scan_preamble(lines)[0]


def _scan_preamble(lines: list[str]) -> tuple[dict, int]:
    """Read the preamble fields. Returns them and the index after the last line they use.

    Each label opens a field that runs on over the following lines until a blank line or the
    next label; the subject also ends at a paragraph, a rule or a line of prose after an
    all-capital subject; a REF list also runs on across blank lines while it is unfinished
    ("D. 03" + blank + "HANOI 2323"); the TAGS line runs on only where it ends with a comma
    or the next line is nothing but codes. Page headers inside a field are skipped."""
    fields = {
        "tags": "",
        "subject": "",
        "ref": "",
        "declassify_on": "",
        "sensitive": False,
        "noforn": False,
    }
    current = None
    gap = False
    last_used = -1
    subject_started = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            if current == "subject" and not subject_started:
                continue  # "SUBJECT:" alone, the subject after a blank line
            if current == "ref":
                gap = True
                continue
            current = None
            continue
        upper = stripped.upper()
        if upper in ("SENSITIVE", "SENSITIVE BUT UNCLASSIFIED", "SBU") or upper.startswith(
            ("SENSITIVE ", "SENSITIVE BUT")
        ):
            fields["sensitive"] = True
            current = None
            continue
        if upper in ("NOFORN", "N O F O R N") or upper.startswith("NOFORN "):
            fields["noforn"] = True
            current = None
            continue
        if FURNITURE.match(stripped) or PAGE_BREAK.match(stripped) or OLD_PAGE_BREAK.match(line):
            if current == "subject" and subject_started and PAGE_BREAK.match(stripped):
                current = None  # the first page's header, printed (or run) after the subject
            continue
        label = LABEL.match(stripped)
        if label:
            value = label["value"].strip()
            letter = label["letter"] or label["letter2"]
            if letter:
                value = f"{letter.upper()}. {value}"  # "REF A: ..." as "A. ..."
            gap = False
            last_used = i
            if label["eo"]:
                decl = re.search(r"DECL(?:ASSIFY)?\s*(?:ON)?\s*:?\s*(.*)$", stripped, re.I)
                plain = re.match(r"^E\.?\s?O\.?\s*\d+\s*[:,;]?\s*(.*)$", stripped, re.I)
                value = decl.group(1) if decl else plain.group(1) if plain else ""
                if not decl and re.match(r"^\s*(?:1\s*[.,]\s*[45]|REASON)", value, re.I):
                    value = ""  # "E.O. 12958, 1.4 (B)": the classification reasons, no date
                if value.strip() and not fields["declassify_on"]:
                    fields["declassify_on"] = parse_declassify(value.upper())
                current = None
                continue
            if label["cb"]:
                current = "classified_by"
                continue
            previous = current
            current = "tags" if label["tags"] else "subject" if label["subject"] else "ref"
            if current == "ref" and re.search(r"(?:\b[a-z]{2,}\s+){4}[a-z]{2,}", value):
                if not re.search(r"\bE-?\s?MAIL|\bTELCON|\bMEMO|\bLETTER", value, re.I):
                    current = "done"  # prose that starts with "Ref.", not a REF list
                    continue
            if current == "ref" and previous == "ref":
                fields["ref"] += " " + value  # "REF: A. REF: KATHMANDU 2282"
                continue
            if current in ("subject", "tags", "ref") and fields[current]:
                current = "done"  # a second SUBJECT or TAGS (a repeated header): keep the first
                continue
            if current == "subject":
                subject_started = bool(value)
            fields[current] = (fields[current] + " " + value).strip()
            continue
        if current == "subject":
            if _ends_subject(stripped, fields["subject"]):
                current = None
                continue
            subject_started = True
            joined = fields["subject"]
            if re.search(r"[A-Za-z0-9]-$", joined):
                fields["subject"] = joined + stripped  # "US-" + "LATIN AMERICAN"
            else:
                fields["subject"] = (joined + " " + stripped).strip()
            last_used = i
        elif current == "tags":
            if fields["tags"].rstrip().endswith((",", ";")) or looks_like_tags(stripped):
                fields["tags"] = fields["tags"] + " " + stripped
                last_used = i
            else:
                current = None
        elif current == "ref":
            if _is_real_paragraph(line) or SPACED_LETTERS.match(stripped) or BANNER.match(line):
                current = None
                continue
            if gap and not _continues_ref(fields["ref"], stripped):
                current = None
                continue
            gap = False
            fields["ref"] = fields["ref"] + "\n" + stripped
            last_used = i
        elif current == "classified_by":
            last_used = i
    fields["subject"] = " ".join(fields["subject"].split())
    fields["tags"] = " ".join(fields["tags"].split())
    return fields, last_used + 1 if last_used >= 0 else -1


def _ends_subject(line: str, subject: str) -> bool:
    """Whether a line after the subject's first line ends the subject instead of going on."""
    if PARAGRAPH_NUMBERED.match(line) or DASHES.match(line) or SPACED_LETTERS.match(line):
        return True
    if re.match(rf"^\s*{CLASS_WORD}\b", line) or re.match(r"^\s*\((?:U|C|S|SBU)\)", line):
        return True
    # Prose after an all-capital subject: "This is an Action request. Please see para 2."
    return bool(
        subject and not re.search(r"[a-z]", subject) and re.search(r"[a-z]{2,}\s+[a-z]{2,}", line)
    )


def _continues_ref(ref: str, line: str) -> bool:
    """Whether a line after a blank line goes on with the REF list."""
    if len(line) > 70 or re.search(r"[a-z]{3,}\s+[a-z]{3,}", line):
        return False
    if re.match(r"^\s*¶?\s*(?:\(?[A-Z]\)|\[[A-Z]\]|[A-Z]\.\)?)\s*\S", line):
        return True  # the next lettered item
    # The list so far stops in mid-item: a station without its serial, a year, a bullet.
    return bool(re.search(r"(?:[A-Za-z]|\b\d{2}|\b(?:19|20)\d{2}|\bAND|[,&]|[A-Z][.)])\s*$", ref))


def _is_paragraph_start(match: re.Match, expected: int | None) -> bool:
    if match["pilcrow"]:
        return True
    marking = match["marking"]
    if marking and _marking(marking):
        return True
    number = int(match["number"])
    rest = match["rest"]
    if not rest or not (rest[0].isupper() or rest[0] in "\"'(["):
        return False
    return number == (expected or 1)


def _next_heading(heading: str, heading_used: bool, text: str) -> str:
    """The heading read from ``text``; one read before it with no paragraph under it yet
    stays in front of it ("Campaign Against Terrorism: / Summary:"), not lost."""
    text = " ".join(text.split())
    return f"{heading} / {text}" if heading and not heading_used else text


def _opens_marked_paragraph(line: str) -> bool:
    """A numbered paragraph with its pilcrow or its marking ("¶2. (S) The Regime's Political
    Capital is Tanking" over a rule is the paragraph, not a heading)."""
    match = PARAGRAPH_START.match(line)
    return bool(match and (match["pilcrow"] or match["marking"]))


def _in_ruled_table(lines: list[_Line], rules: list[bool], i: int) -> bool:
    """Whether line ``i``, above a rule, is a row of a table whose rows are ruled off ("Volume
    (bbl) 50,090,123" / "----" / "Cost (USD) 1,297,029,291" / "----"), not a heading: the
    next row and its rule follow, or a row ruled off stands above this one's upper rule. (A
    heading's rules have a blank line or a paragraph (its start, its end) on their far side:
    "... End summary." / "----" / "The Prosecution" / "----" / "2. (C) ...".)"""

    def text_at(k: int) -> bool:
        return 0 <= k < len(lines) and bool(lines[k].text.strip()) and not rules[k]

    def row_at(k: int) -> bool:
        """Text that can be a row: no paragraph, nor the end of one."""
        if not text_at(k):
            return False
        text = lines[k].text.rstrip()
        return not text.endswith(TERMINAL) and not _opens_marked_paragraph(text)

    return (row_at(i + 2) and rules[i + 3]) or (
        i >= 3 and rules[i - 1] and row_at(i - 2) and rules[i - 3]
    )


def _heading_wraps_from(
    current: _Para | None, lines: list[_Line], rules: list[bool], i: int
) -> bool:
    """Whether the heading on line ``i`` (over a rule) began on the line above it, which was
    read as the last block of ``current`` ("... WINNING HEARTS AND" / "MINDS" / "-----"): a
    line of its own after a blank line or a rule, in capitals, with no end punctuation, and
    not a numbered paragraph's own first line."""
    return (
        current is not None
        and bool(current.blocks)
        and len(current.blocks[-1]) == 1
        and (current.number is None or len(current.blocks) > 1)
        and i >= 2
        and (not lines[i - 2].text.strip() or rules[i - 2])
        and _wraps_into_heading(current.blocks[-1][0], lines[i].text.strip())
    )


def _wraps_into_heading(above: str, line: str) -> bool:
    """Whether a line in capitals is the first of a heading that wraps onto ``line``."""
    return (
        not LOWER_CASE.search(above)
        and not LOWER_CASE.search(line)
        and not above.endswith((*TERMINAL, ","))
        and len(above) + len(line) <= 140
        and not PARAGRAPH_START.match(above)
        and not LIST_ITEM.match(above)
        and "NNNN" not in above + line  # (the end-of-message mark)
        and sum(map(str.isalpha, above)) * 2 >= len(above)  # (not a table's row of years)
    )


def _is_plain_heading(lines: list[_Line], i: int) -> bool:
    """A short line alone between blank lines, without end punctuation, before a paragraph
    ("Comment:" and a title in quotes too: '"Zero Problems with Turkey's Neighbors"')."""
    text = lines[i].text.strip()
    if not text or len(text) > 70 or text.endswith((".", ",", ";")) or LIST_ITEM.match(text):
        return False
    if text.endswith(":") and (len(text.split()) > 3 or SALUTATION.match(text)):
        # (a sentence that opens a list: "He raised the following points:"; "Madam
        # Secretary:" opening a scene-setter)
        return False
    first = text.lstrip("\"“'‘")
    if not first or not first[0].isupper() or len(text.split()) > 10:
        return False
    if text.count(")") > text.count("("):
        return False  # the close of a note opened above ("... close government ties." / "Endnote)")
    before = lines[i - 1].text.strip() if i > 0 else ""
    after = lines[i + 1].text.strip() if i + 1 < len(lines) else ""
    if before or after:
        return False
    following = next((x.text for x in lines[i + 1 :] if x.text.strip()), "")
    match = PARAGRAPH_START.match(following)
    if match:
        return bool(match["pilcrow"] or match["marking"] or match["number"])
    marked = LEADING_MARKING.match(following)  # "(C) 2. On October 11 ...", "(C/NF) UK ..."
    return bool(marked and _marking(marked["marking"]))


# What a line opens with, or ends with, when it can be one of the lines matched below: these
# tests are cheap, and pass over most lines of text before the slower patterns are tried.
RULE_CHARS = frozenset("-=_‐‑–—")


def _ends_like_page_header(line: str) -> bool:
    """Whether a line ends as a banner or a page header must: in a serial or page count, or in
    the Z of a date-time group."""
    last = line.rstrip()[-1:]
    return last.isdigit() or last == "Z"


def _is_page_header(line: str) -> bool:
    """A page header or a section banner: the page breaks of the text."""
    return _ends_like_page_header(line) and bool(
        PAGE_BREAK.match(line) or OLD_PAGE_BREAK.match(line) or BANNER.match(line)
    )


def _is_rule(line: str) -> bool:
    """A line of dashes (or "=", "_")."""
    return line.lstrip()[:1] in RULE_CHARS and DASHES.match(line) is not None


def _ruled_heading(line: str) -> re.Match | None:
    """RULED_HEADING.match: only a line that opens with a rule or ends with "===" can be one."""
    if line.lstrip()[:1] in RULE_CHARS or "===" in line:
        return RULED_HEADING.match(line)
    return None


@cache
def _header_names() -> frozenset[str]:
    """The posts' names as page headers print them: in capitals, cut to 10 characters."""
    return frozenset(
        " ".join(origin.split()[1:]).upper()[:10].rstrip() for origin in station_origins().values()
    )


def _without_station(header: re.Match) -> str:
    """A glued page header's replacement: the words before the post's name (the longest
    tail of capital words of at most 10 characters) stay ("the NAC NEW DELHI 00009527 ..."
    keeps "the NAC")."""
    words = header["station"].split()
    # The longest tail of words that is a post's name as page headers print it ("the UN
    # TRIPOLI 00000961 ..." keeps "the UN"); else the longest of at most 10 characters.
    named = [k for k in range(len(words)) if " ".join(words[k:]) in _header_names()]
    if named:
        words = words[named[0] :]
    while len(" ".join(words)) > 10:
        words.pop(0)
    kept = header["station"][: len(header["station"]) - len(" ".join(words))]
    return kept.rstrip() + " " if kept.strip() else ""


def _is_page_furniture(line: str, level: str) -> bool:
    """A page's "PAGE 02 ..." line, or its classification line: the cable's own level."""
    if not FURNITURE.match(line):
        return False
    first = line.split()[0]
    if first == "PAGE":  # (a "PAGE 10: 'Honor for Slovakia'" of a press review is text)
        return bool(OLD_PAGE_BREAK.match(line))
    return bool(level) and level.startswith("UNCLASSIFIED" if first == "UNCLAS" else first)


def _after_website(rest: str) -> str:
    """What follows a website box's address on its line: the signer ("...Portal:Unit
    ed_Kingdom TUTTLE" -> "TUTTLE"), after the address and the piece the mirror broke off
    it ("ed_Kingdom", "cfm"), rules and redactions."""
    words = rest.split()
    # (a second address on the line: "... and the North American Partnership Blog at
    # http://www.intelink.gov/communities/state/nap / BASSETT")
    addresses = [k for k, word in enumerate(words) if WEB_ADDRESS.search(word)]
    if addresses:
        words = words[addresses[-1] + 1 :]
    while words and (
        not re.fullmatch(r"[A-Z][A-Za-z'’-]*", words[0]) or words[0].startswith("XXX")
    ):
        if words[0].lower() in BOX_PROSE:
            return ""  # the box's own words ("... mexicocity and the North American")
        words.pop(0)
    return " ".join(words)


BOX_PROSE = frozenset(("and", "the", "at", "of", "or", "on", "to"))


def _last_text(lines: list[_Line]) -> str:
    """The last line with text, without its trailing spaces."""
    return next((x.text.rstrip() for x in reversed(lines) if x.text.strip()), "")


def _clean_lines(lines: list[str], level: str = "") -> list[_Line]:
    """Drop page headers, section banners and a page's classification line (the cable's own
    ``level``, so that "REVEALING STATE" / "SECRET" in an unclassified cable stays); the text
    on either side is one block."""
    out: list[_Line] = []
    soft = False
    box_open = False  # inside a post's website box: its rules and addresses go too
    for line in lines:
        # The distribution system's caption, written into the text mid-sentence too ("met
        # with Secretary" / "" / "SIPDIS" / "Rice in Washington"): after a finished sentence
        # it goes alone, otherwise the text on either side is one block, as at a page break.
        if ("SIPDIS" in line or " OF " in line) and LOWER_CASE.search(line):
            line = CAPTION_IN_PROSE.sub("", line)  # "... concretely SIPDIS demonstrate ..."
            line = GLUED_PAGE_HEADER.sub(_without_station, line)
        if box_open and (not line.strip() or WEBSITE_BOX_LINE.match(line)):
            # (the signer after the box's last address on its line: ".../nap / BASSETT")
            after = _after_website(line) if WEB_ADDRESS.search(line) else ""
            if after:
                out += [_Line("", False), _Line(after, False)]
            continue
        if box_open:  # the box stood between the text and what follows it
            out.append(_Line("", False))
            box_open = False
            if re.fullmatch(r"\s*[a-z]{3,20}\s*", line):
                line = line.upper()  # the signer typed in lower case after the box ("kurtzer")
        if ("ebsite" in line or "eb Site" in line or "eb site" in line) and (
            box := WEBSITE_BOX.search(line)
        ):
            before = line[: box.start()].rstrip(' "“')  # (a quote around the box)
            if before.strip() and not WEBSITE_BOX_LINE.match(before):
                out.append(_Line(before.rstrip(), soft))
            else:  # the box opens its line: the rules over it are its own
                while out and (not out[-1].text.strip() or WEBSITE_BOX_LINE.match(out[-1].text)):
                    out.pop()
            after = _after_website(line[box.end() :])
            if after:  # the signer, after the box: a block of its own
                out += [_Line("", False), _Line(after, False)]
            box_open, soft = True, False
            continue
        glued_page = GLUED_OLD_PAGE.match(line)
        if glued_page:  # "PAGE 04 VATICA 03507 01 OF 04 031719Z FOREIGN POLICY ..."
            while out and not out[-1].text.strip():
                out.pop()
            line, soft = line[glued_page.end() :], True
        caption = (line.strip() == "SIPDIS" and bool(out)) or bool(HANDLING_CAPTION.match(line))
        if caption and _last_text(out).endswith(TERMINAL):
            continue
        if caption or _is_page_header(line) or _is_page_furniture(line, level):
            while out and not out[-1].text.strip():
                out.pop()
            soft = True
            continue
        if soft and not line.strip():
            continue
        out.append(_Line(line, soft))
        soft = False
    return out


def _paragraphs(
    lines: list[str], warnings: list[str], level: str = ""
) -> tuple[list[Paragraph], str, bool, bool]:
    """Split the text into paragraphs. Returns them, the signer, whether the text ends with a
    signer or an end-of-message mark, and whether it ends like a finished cable at all (those,
    or end punctuation)."""
    cleaned = _clean_lines(lines, level)
    signer, tail_complete = _take_signer(cleaned)
    ended = tail_complete  # a signer or an end-of-message mark
    uses_pilcrow = any("¶" in x.text and PILCROW_NUMBER.match(x.text) for x in cleaned)
    rules = [_is_rule(x.text) for x in cleaned]  # each line is asked twice: as it, and as next
    rules.append(False)

    paras: list[_Para] = []
    heading = ""
    heading_used = True  # (a paragraph since the heading was read: none to keep)
    current: _Para | None = None
    blank_before = True
    last_number = 0
    i = 0
    while i < len(cleaned):
        line = cleaned[i].text
        stripped = line.strip()
        if not stripped or stripped == "-":
            blank_before = True
            i += 1
            continue
        # Dashed headings: "----\nTitle\n----" or "Title\n----", "--- Title ---", "Title ===".
        ruled = _ruled_heading(line) if blank_before else None
        if ruled:
            heading = _next_heading(heading, heading_used, ruled["a"] or ruled["b"])
            heading_used = False
            current = None
            blank_before = True
            i += 1
            continue
        if rules[i]:
            blank_before = True
            i += 1
            continue
        if (
            rules[i + 1]
            and len(stripped) <= 80
            and (not stripped.endswith(".") or (i > 0 and rules[i - 1]))
            and not _opens_marked_paragraph(line)
            and not _in_ruled_table(cleaned, rules, i)
        ):
            if not blank_before and _heading_wraps_from(current, cleaned, rules, i):
                stripped = f"{current.blocks[-1].pop()} {stripped}"
                current.blocks.pop()
                if not current.blocks:
                    paras.remove(current)
            heading = _next_heading(heading, heading_used, stripped)
            heading_used = False
            current = None
            blank_before = True
            i += 2
            continue
        if blank_before and _is_plain_heading(cleaned, i):
            heading = _next_heading(heading, heading_used, stripped)
            heading_used = False
            current = None
            i += 1
            continue
        # A paragraph opens with its number, or a pilcrow before it.
        match = PARAGRAPH_START.match(line) if stripped[0] == "¶" or stripped[0].isdigit() else None
        expected = last_number + 1
        # Without a blank line, a number opens a paragraph after a finished sentence, or with
        # its pilcrow and marking ("... security equilibrium.”" / "¶6. (S/NF) ...", "... said
        # XXXXXXXXXXXX" / "¶3. (C) ..."): no sentence runs on into those.
        if match and (
            blank_before
            or cleaned[i].soft
            or _ends_sentence(current)
            or (match["pilcrow"] and match["marking"] and int(match["number"]) == expected)
        ):
            number = int(match["number"])
            lost_pilcrow = (
                number != expected
                and str(number) == f"1{expected}"
                and (uses_pilcrow or match["marking"])
            )
            if lost_pilcrow:
                warnings.append(f"paragraph {number} read as {expected}: lost its ¶ sign")
                number = expected
            if _is_paragraph_start(match, expected) or lost_pilcrow:
                marking = _marking(match["marking"] or "") or " ".join(
                    (match["marking"] or "").split()
                )
                if not blank_before and heading_used and current and _ends_in_heading(current):
                    heading = current.blocks[-1].pop()
                    if not current.blocks[-1]:
                        current.blocks.pop()  # (the heading was a block of its own)
                current = _Para(number=number, marking=marking, heading=heading)
                paras.append(current)
                heading_used = True
                if match["rest"]:
                    current.add_line(match["rest"], True)
                last_number = number
                blank_before = False
                i += 1
                continue
        # The marking before the number ("(C) 3. The report concludes ..."), after a blank
        # line or a finished sentence, with the number that comes next.
        marked = MARKED_NUMBER.match(line) if stripped[0] == "(" else None
        if (
            marked
            and int(marked["number"]) == expected
            and (blank_before or cleaned[i].soft or _ends_sentence(current))
            and _marking(marked["marking"])
        ):
            current = _Para(number=expected, marking=_marking(marked["marking"]), heading=heading)
            paras.append(current)
            heading_used = True
            current.add_line(line[marked.end() :], True)
            last_number = expected
            blank_before = False
            i += 1
            continue
        # Ordinary text: continues the open paragraph. A blank line ends a block only where the
        # block ended a sentence; otherwise it is a page or wrapping gap inside a sentence.
        if current is None:
            # An unnumbered paragraph's own marking ("(C/NF) UK Foreign Office West Africa
            # team leader Paul Welsh told poloff ...").
            marked = LEADING_MARKING.match(line)
            marking = _marking(marked["marking"]) if marked else ""
            if marking:
                line = line[marked.end() :]
            current = _Para(number=None, marking=marking, heading=heading)
            paras.append(current)
            heading_used = True
            new_block = True
        else:
            new_block = blank_before and not cleaned[i].soft and _ends_sentence(current)
            new_block = new_block or (
                bool(LIST_ITEM.match(line))
                and not ((not blank_before or cleaned[i].soft) and current.dash_goes_on(line))
            )
        current.add_line(line, new_block)
        blank_before = False
        i += 1

    result = []
    for position, para in enumerate(paras, 1):
        text = "\n\n".join(_join_block(block) for block in para.blocks).strip()
        # The mirror's pilcrow before any number that began a line ("in June\n¶2006."): a
        # paragraph's own was read with its number; the telegraph had none.
        text = STRAY_PILCROW.sub("", text)
        result.append(
            Paragraph(
                position=position,
                number=para.number,
                marking=para.marking,
                heading=para.heading,
                text=text,
            )
        )
    if result and result[-1].text.rstrip().endswith(TERMINAL + ("...",)):
        tail_complete = True
    return result, signer, ended, tail_complete


def _ends_in_heading(para: _Para) -> bool:
    """Whether the paragraph's last line, right above the next paragraph's number, is that
    paragraph's heading: a short line that finishes no sentence after one that does ("...
    policies. End summary." / "2009: The Year the Bubble Burst" / "¶2. (C) ..."), on the
    line after it or after a blank line."""
    block = para.blocks[-1] if para.blocks else []
    if len(block) >= 2:
        before = block[-2]
    elif block and len(para.blocks) >= 2 and para.blocks[-2]:
        before = para.blocks[-2][-1]  # a block of its own ("... objectives." / "" / "CSF REFORM")
    else:
        return False
    if not before.endswith(TERMINAL):
        return False
    last = block[-1]
    return (
        len(last) <= 90
        and not last.endswith((*TERMINAL, ",", "-"))
        and (last[0].isupper() or last[0].isdigit())
        and not FURNITURE.match(last)  # a page's "CONFIDENTIAL"
        and not last.startswith("NNNN")
        and "@" not in last  # an address's last line ("... E-MAIL: ...@...")
        and sum(map(str.isalpha, last)) * 2 >= len(last)
    )


def _ends_sentence(para: _Para | None) -> bool:
    if para is None or not para.blocks or not para.blocks[-1]:
        return True
    return para.blocks[-1][-1].rstrip().endswith(TERMINAL)


DASH_ITEM = re.compile(r"^\s*(?:--(?!-)|-\s+-(?!-)|-(?=\s))")  # "--", "- -", "- "
DASHED_HEADING = re.compile(r"^\s*(?:-\s*){3}.*(?:-\s*){3}$")
DASH_CLOSED = re.compile(r"\S\s+(?:--|-\s+-|-)(?:\s|$)")
FIRST_WORD = re.compile(r"[A-Za-z]+")


def _dash_goes_on(above: str, line: str, items_above: bool, above_is_item: bool = False) -> bool:
    """Whether a line that opens with a dash ("--", "- -", "-") goes on with the sentence of
    the line above rather than opening a list item: a dash of the prose, wrapped to the start
    of a line ("Mexican governments" / "-- including Calderon's -- have generally sought";
    "this was \"no problem\"" / "-- Pakistan had crossed that bridge"; "will be human
    again" / "- no longer a demigod - who has been"). The line above is wrapped prose that
    ends in a word, and either the dash closes on this line or no list item came before in
    the block (``items_above``; else the line is the next item of a list whose items end
    without punctuation: "-- Lebanon" / "-- Syria"), and the line above is no item opened by
    the same dash (``above_is_item``)."""
    dash = DASH_ITEM.match(line)
    if not dash or DASHED_HEADING.match(line):
        return False  # (a heading between dashes: "- - - Brazil's Foreign Policy Team - - -")
    above = above.rstrip()
    if len(above) < 35 or not (above[-1].isalnum() or above[-1] in "\"”’')"):
        return False
    dash_above = DASH_ITEM.match(above) if above_is_item else None
    if dash_above and " ".join(dash_above[0].split()) == " ".join(dash[0].split()):
        return False  # the next item of a list ("- Etipress Limitada - printer" / "- Serpimetal")
    rest = line[dash.end() :].lstrip()
    if not (rest[:1].isalnum() or rest[:1] in "\"“'‘(-"):
        return False  # a table's row ("407.14" / "- % of GDP 24.1%")
    if LOWER_CASE.search(rest):
        # In mixed case, an item opens with a capital ("-- The United States believes", "--
        # A request"), under a heading in capitals too; a name may go on with the sentence
        # ("-- Pakistan had crossed that bridge").
        if not LOWER_CASE.search(above):
            return False
        first = FIRST_WORD.match(rest)
        if first and first[0][0].isupper():
            if len(first[0]) == 1 or is_word_of_the_language(first[0].lower()):
                return False
    return not items_above or bool(DASH_CLOSED.search(rest))


def _list_items(lines: list[str]) -> list[bool]:
    """Which lines of a block open a list item: not a "--" that goes on with the sentence of
    the line above (``_dash_goes_on``)."""
    items: list[bool] = []
    for k, line in enumerate(lines):
        opens = bool(LIST_ITEM.match(line)) and not (
            k and _dash_goes_on(lines[k - 1], line, any(items), items[-1])
        )
        items.append(opens)
    return items


def _join_block(lines: list[str]) -> str:
    """Join the hard-wrapped lines of a block; list items keep their own lines."""
    out = ""
    for line, item in zip(lines, _list_items(lines), strict=True):
        line = " ".join(line.split())
        if not out:
            out = line
        elif item:
            out += "\n" + line
        elif out.endswith("-") and not out.endswith(" -") and not out.endswith("--"):
            out += line  # a word broken at a hyphen: "one-" + "stop"
        else:
            out += " " + line
    return out


_MARK = r"\((?:U|C|S|SBU|LOU|TS|FOUO|[CSU]\s?/+\s?(?:NF|FOUO|SBU)|SBU\s?/+\s?NF)\)"
SUMMARY_START = re.compile(
    r"(?is)^(?:.{0,200}?[.!?:]\s+)??(?:\(?(?:introduction|background|overview)\s+and\s+)?"
    r"(?:begin\s+)?\bsummary\b(?:\s*(?:and|/|&)\s*(?:comment|action\s+request|introduction|"
    r"table\s+of\s+contents|recommendations?))?\)?\s*(?:[:.\-]+|(?=\())\s*"
    rf"(?:{_MARK}\s*)?"
)
# What may stand before the summary's first word: a paragraph number, a marking, "Summary:".
SUMMARY_LEAD = re.compile(
    rf"(?is)^(?:¶?\s*\d{{1,2}}\.\s*)?(?:{_MARK}\s*)?(?:(?:begin\s+)?summary\s*[:.\-]+\s*)?"
    rf"(?:{_MARK}\s*)?"
)
SUMMARY_END = re.compile(r"(?is)[(\s-]*\bend\s+(?:of\s+)?summary\b")


def _summary(paragraphs: list[Paragraph]) -> str:
    """The text between 'Summary:' (or a Summary heading) and 'End summary' near the top,
    without those words or a portion marking; without an end mark, the rest of the block
    'Summary:' opens."""
    head = paragraphs[:8]
    for n, paragraph in enumerate(head):
        start = SUMMARY_START.match(paragraph.text)
        offset = start.end() if start else 0
        opens = re.match(r"(?i)^summary\b", paragraph.heading) and (
            n == 0 or head[n - 1].heading != paragraph.heading
        )
        if not start and not opens:
            continue
        text = "\n\n".join([paragraph.text[offset:], *(p.text for p in head[n + 1 :])])
        end = SUMMARY_END.search(text)
        if end:
            return _clean_summary(text[: end.start()])
        if start:
            return _clean_summary(paragraph.text[offset:].split("\n\n")[0])
    # "End summary" with no start: the summary is the text before it (after a "Summary" that
    # the paragraph split did not see, as in a repeated header run into the text).
    for paragraph in head[:3]:
        end = SUMMARY_END.search(paragraph.text)
        if end:
            text = paragraph.text[: end.start()]
            starts = list(re.finditer(r"(?i)\bsummary\s*[:.\-]+\s*", text))
            return _clean_summary(text[starts[-1].end() :] if starts else text)
    return ""


def _clean_summary(text: str) -> str:
    text = text.strip()
    while True:
        lead = SUMMARY_LEAD.match(text)
        if not lead or not lead.group(0):
            return text
        text = text[lead.end() :].strip()


def _take_signer(cleaned: list[_Line]) -> tuple[str, bool]:
    """Take the signer and the end marks off the end of the text. Returns the signer and
    whether the text ends like a finished cable (a signer or NNNN).

    After the signer may come a classification line, SIPDIS, NNNN, a page header, the
    dump's id footer ("2004CARACA01540 - UNCLASSIFIED") or a note by the message centre
    ("NOTE BY OC/T: ...")."""
    signer = ""
    tail_complete = False

    def junk(text: str) -> bool:
        return (
            not text
            or text in ("-", ".", "#", ">", "BT", "NNNN", "NNN")
            or bool(FURNITURE.match(text) or END_FOOTER.match(text))
        )

    def drop_junk() -> None:
        nonlocal tail_complete
        while cleaned and junk(cleaned[-1].text.strip()):
            tail_complete = tail_complete or cleaned[-1].text.strip().startswith("NNN")
            cleaned.pop()

    drop_junk()
    # A message-centre note after the signer, in the last three lines.
    tail = range(max(len(cleaned) - 3, 0), len(cleaned))
    notes = [i for i in tail if NOTE_LINE.match(cleaned[i].text)]
    if notes:
        before = [x.text for x in cleaned[: notes[-1]] if x.text.strip()]
        if before and _signer_in(before[-1]):
            del cleaned[notes[-1] :]
            drop_junk()
    if cleaned:
        last = cleaned[-1].text
        # A mixed-case name ("Murphy") only in a mixed-case cable, alone after a finished
        # sentence: after a blank line or more, or on the next line where the name has no full
        # stop (a sentence of one word wrapped onto a line has one). In capitals it would be
        # any last word.
        before = [x.text.strip().strip("-") for x in cleaned[-3:-1]]
        written_before = next(
            (x.text.strip().strip("-") for x in reversed(cleaned[:-1]) if x.text.strip()), ""
        )
        written = [x.text for x in cleaned if x.text.strip()]
        mixed = (
            written_before.endswith(TERMINAL)
            and (
                (len(before) == 2 and not before[-1])
                # (on the next line: after a finished sentence, not "... listed below:")
                or (not last.rstrip().endswith(".") and not written_before.endswith((":", ";")))
            )
            # (by length: a flattened copy's paragraphs are a line each, its header's lines many)
            and sum(len(text) for text in written if LOWER_CASE.search(text))
            > sum(map(len, written)) // 2
        )
        name = _signer_in(last, mixed_case=mixed)
        if name and not name.isupper() and _has_common_word(name):
            name = ""  # "Thanks"
        wrapped = last.rstrip().endswith(".") and before and before[-1]
        if name and wrapped and not before[-1].endswith(TERMINAL):
            name = ""  # the last word of a sentence wrapped onto its own line ("ASSISTANCE.")
        if name:
            signer = name
            cleaned.pop()
            tail_complete = True
            while cleaned and cleaned[-1].text.strip() in ("", "-"):
                cleaned.pop()
        else:
            # A signer at the end of the last line: after "END OF TEXT." in capitals, after any
            # finished sentence in mixed-case text whose lines the mirror ran together.
            after_end = re.search(
                r"\bEND\s+(?:OF\s+)?(?:TEXT|COMMENT|MESSAGE)\.?\s+([A-Z][A-Z'-]{2,})$", last
            )
            inline = (
                (after_end[1], after_end.start(1))
                if after_end and _is_signer_name(after_end[1])
                else _glued_signer(last)
            )
            if inline:
                signer, starts_at = inline
                cleaned[-1] = _Line(last[:starts_at].rstrip(), cleaned[-1].soft)
                tail_complete = True
    return signer, tail_complete


# A signer run on after the last sentence of a mixed-case text ("... cleared this cable.
# Scobey", "... END COMMENT Palmer", "... CAIRO 00002129 003 OF 003 Scobey", "... REO
# KIRKUK, minimize considered Satterfield"), in capitals
# or not, written twice by some copies ("SCOBEY Scobey"), before the end of the message
# ("Rice Nnnn").
GLUED_SIGNER = re.compile(
    r"(?:[.!?)\"'’]|\bEND\s+(?:OF\s+)?(?:TEXT|COMMENT|MESSAGE|NOTE|ACTION\s+REQUEST)\b\.?\)?"
    r"|\b\d{3}\s+OF\s+\d{3}|\bClassified Website:\s*\S+|\b[Mm]inimize\s+considered\.?)\s+"
    r"(?P<name>[A-Z][A-Za-z'’-]+"
    r"(?: (?!(?:NNNN|Nnnn)\b)(?:(?:JR|Jr)\.?|[A-Z][A-Z'’-]+|[A-Z][a-z'’-]+))?)"
    r"(?:\s+(?:NNNN|Nnnn))?\s*$"
)
# Words a mixed-case text may end on after a full stop that are no one's name, besides
# ``is_common_word``'s.
NOT_SIGNATURE_WORDS = frozenset(
    "thanks thank regards minimize considered ends end comment note text total budget anyway "
    "visit".split()
)


def _glued_signer(line: str) -> tuple[str, int] | None:
    """The signer run on at the end of a line (``GLUED_SIGNER``), and where the name starts:
    in a mixed-case text a name in capitals, or in mixed case when none of its words is a
    common word (the last sentence may end on one: "... Thanks"); in a text in capitals, a
    name with no common word ("... OPTIONS FOR RENEWAL. MERANTE": 66 corpus cables, none
    a word of a sentence cut off)."""
    match = GLUED_SIGNER.search(line)
    if not match:
        return None
    capitals = not LOWER_CASE.search(line, 0, match.start("name"))
    words = match["name"].split()
    if len(words) == 2 and set(words[0]) == {"X"}:
        words = words[1:]  # "XXXXXXXXXXXX MOLLER": a redaction, then the name
    if len(words) == 2 and words[0].upper() == words[1].upper():
        words = words[:1]  # "SCOBEY Scobey"
    name = " ".join(words)
    if not _is_signer_name(name):
        return None
    if (capitals or not name.isupper()) and _has_common_word(name):
        return None
    return name, match.start("name")


def _has_common_word(name: str) -> bool:
    """Whether a word of a mixed-case name is a word of the language: then it is no name."""
    return any(
        is_common_word(word.lower()) or word.lower() in NOT_SIGNATURE_WORDS for word in name.split()
    )


# After the text: the dump's id footer ("2004CARACA01540 - UNCLASSIFIED"), the release stamp of
# old cables ("Declassified/Released US Department of State EO Systematic Review 05 JUL 2006").
END_FOOTER = re.compile(
    r"^\s*(?:\d{4}[A-Z]+\d+\s*-\s*(?:Classification:\s*)?[A-Z /]+\W*(?:v[\d.]+)?"
    r"|Declassified/Released\b.*|Systematic Review\b.*|=+\s*CABLE ENDS\s*=+)$"
)


def _signer_in(line: str, mixed_case: bool = False) -> str:
    """The signer's name when the line is nothing else ("ORDWAY", "MCNAMARA.", "HORAN##"; in a
    mixed-case cable also "Murphy")."""
    text = line.strip().rstrip("#").strip()
    if text.endswith("..."):
        return ""  # a line the mirror cut short
    text = text.rstrip(".").strip()
    match = SIGNER.match(text) or (mixed_case and TITLE_SIGNER.match(text))
    name = match["name"] if match else ""
    if not _is_signer_name(name) or BANNER.match(text) or FURNITURE.match(text):
        return ""
    return name


def _is_signer_name(name: str) -> bool:
    return bool(name) and name.upper() not in NOT_SIGNERS and not NOT_SIGNER_WORDS.search(name)


# Where a TO or INFO line, or an address after a serial number or a precedence, was run onto
# the line before ("ASUNCIONTO RUEHC/", "5724INFO RUCNMER/", "IMMEDIATERUCNMEM/",
# "COLLECTIVERUCNIRA/").
GLUED_ADDRESS = re.compile(
    r"(?<=[A-Z0-9])(?=(?:TO|INFO) R[A-Z]{3,6}/)"
    r"|(?:(?<=\d)|(?<=IMMEDIATE)|(?<=PRIORITY)|(?<=ROUTINE)|(?<=COLLECTIVE)|(?<=DC))"
    r"(?=R[A-Z]{3,6}/)"
)


# The first code of a receiving office's distribution list ("LOG-00", "EUR-00", "/001W").
DISTRIBUTION_CODE = re.compile(r"^[A-Z]{1,5}-\d{2}\b")
# A mirror's date line left in the header ("Friday, 18 January 2008, 10:34").
WEEKDAY_DATE = re.compile(r"^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,\s")


def _recipients(header: list[str]) -> list[Recipient]:
    """The TO and INFO addressees. Lines after "XMT" name the addresses a collective goes to
    except these; they belong to the collective, not to the recipients."""
    recipients: list[Recipient] = []
    kind = None
    excluding: Recipient | None = None
    # (a mirror that lost the header's line ends: "AMEMBASSY ASUNCIONTO RUEHC/SECSTATE WASHDC
    # PRIORITY 5724INFO RUCNMER/MERCOSUR COLLECTIVE")
    header = [piece for line in header for piece in GLUED_ADDRESS.split(line)]
    for line in header:
        stripped = " ".join(line.split())
        if OLD_PAGE_BREAK.match(stripped) or re.match(r"^PAGE\s+\d{2,3}\b", stripped):
            continue
        if "VZCZC" in stripped or re.match(
            r"^(?:DE\s|ZNY\b|ZNR\b|(?:[OPRZ]\s?){1,2}\s*\d{6}Z)", stripped
        ):
            kind = None  # the routing header printed again: its addressees were read already
            continue
        if stripped.startswith("TO "):
            kind, excluding, stripped = "action", None, stripped[3:]
            stripped = re.sub(r"^PAGE\s+\d+\s+[A-Z]+\s+\d+\s+\d+Z\s*", "", stripped)
        elif stripped.startswith("INFO "):
            kind, excluding, stripped = "info", None, stripped[5:]
            if DISTRIBUTION_CODE.match(stripped):
                # The receiving office's own distribution ("INFO LOG-00 EEB-00 ..."), and in a
                # flattened copy the addressees after it on the line ("... TO SECSTATE ...").
                addressees = re.search(r"\bTO\s+(\S.*?)(?:\s+INFO\s.*)?$", stripped)
                if not addressees:
                    kind = None
                    continue
                kind, stripped = "action", addressees[1]  # (its first: the action addressee)
        elif stripped in ("BT", "") or stripped.startswith(("FM ", "ZEN/")):
            if stripped == "BT":
                kind = None
            continue
        elif kind is None:
            continue
        if not stripped:
            continue
        xmt = re.match(r"^XMT\b\s*/?\s*(?P<rest>.*)$", stripped)
        if xmt:
            section = [r for r in recipients if r.kind == kind]
            excluding = section[-1] if section else None
            stripped = xmt["rest"]
            if not stripped:
                continue
        if excluding is not None:
            name = re.sub(r"^[A-Z]{4,8}/", "", stripped).strip()
            if name:
                excluding.excluded.append(name)
            continue
        if xmt:
            continue  # "INFO XMT FOOBAR": an exception with nothing to except it from
        match = RECIPIENT.match(stripped)
        if match and not WEEKDAY_DATE.match(stripped):  # (not "Friday, 18 January 2008, 10:34")
            recipients.append(
                Recipient(
                    kind=kind,
                    name=match["name"].strip(),
                    route=match["route"] or "",
                    precedence=match["precedence"] or "",
                    mcn=match["mcn"] or "",
                )
            )
    return recipients
