"""Parse the text of one cable (routing header and body) into a ParsedCable.

The text arrives from a reader with the mirror's own clutter (navigation, footers, metadata
lines) already taken off and what the mirror said about the cable passed as ``Hints``. What is
left still carries the habits of the telegraph and of the mirrors: headers printed twice, page
breaks in mid-paragraph, blank lines inside paragraphs, lost characters, cut-off ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .fields import (
    make_reference_id,
    normalise_classification,
    origin_for,
    parse_classified_by,
    parse_dtg,
    parse_ref_items,
    split_tags,
)
from .model import Hints, Paragraph, ParsedCable, ParseError, Recipient, Reference

CLASS_WORD = (
    r"(?:U\s?N\s?C\s?L\s?A\s?S(?:\s?S\s?I\s?F\s?I\s?E\s?D)?|"
    r"C\s?O\s?N\s?F\s?I\s?D\s?E\s?N\s?T\s?I\s?A\s?L|S\s?E\s?C\s?R\s?E\s?T|"
    r"LIMITED\s+OFFICIAL\s+USE)"
)
# "C O N F I D E N T I A L SECTION 01 OF 02 ALMATY 002803", "UNCLAS  ALMATY 000956",
# "S E C R E T STATE 012345", "CONFIDENTIAL NOFORN SECTION 1 OF 2 BAGHDAD 123".
BANNER = re.compile(
    rf"^\s*(?P<level>{CLASS_WORD})(?P<caveats>(?:\s+(?:E\s?F\s?T\s?O|N\s?O\s?F\s?O\s?R\s?N|"
    r"SENSITIVE|NOFORN|NODIS|EXDIS|LIMDIS|FOR OFFICIAL USE ONLY))*)"
    r"(?:\s+SECTION\s+(?P<section>\d+)\s+OF\s+(?P<sections>\d+))?"
    r"\s+(?P<station>[A-Z][A-Z .'-]*?[A-Z])\s+(?P<serial>\d{1,8})\s*$"
)
# "ALMATY 00002803 002 OF 002": the page header of section two on.
PAGE_BREAK = re.compile(
    r"^\s*[A-Z][A-Z .'-]*?\s+\d{5,8}\s+(?P<page>\d{1,3})\s+OF\s+(?P<of>\d{1,3})\s*$"
)
# "PAGE 02 STATE 015113 182333Z" in older cables.
OLD_PAGE_BREAK = re.compile(r"^\s*PAGE\s+\d{2}\s+[A-Z][A-Z ]*\s+\d+\s+\d{6}Z\s*$")
DASHES = re.compile(r"^\s*[-=_]{3,}\s*$")
PARAGRAPH_START = re.compile(
    r"^\s*(?P<pilcrow>¶\s*)?(?P<number>\d{1,3})\s?\.\s*"
    r"(?:\((?P<marking>[A-Z][A-Z /-]{0,24}|[A-Z]/+[A-Z]+)\)\s*\.?)?\s*(?P<rest>.*)$"
)
MARKING = re.compile(
    r"^(?:U|C|S|SBU|TS|LOU|FOUO|NF|[UCS]\s*-\s*ENTIRE TEXT|[UCS]\s*/+\s*(?:NF|NOFORN|SBU|FOUO|REL"
    r"[A-Z ]*)|SBU\s*/+\s*NF|U\s*/+\s*FOUO|S\s*/+\s*NF|C\s*/+\s*NF)$"
)
PRECEDENCES = ("NIACT IMMEDIATE", "IMMEDIATE", "PRIORITY", "ROUTINE", "FLASH", "OPERATIONAL")
RECIPIENT = re.compile(
    r"^(?:(?P<route>[A-Z]{4,8})/)?(?P<name>.+?)"
    rf"(?:\s+(?P<precedence>{'|'.join(PRECEDENCES)}))?(?:\s+(?P<mcn>\d{{3,5}}))?\s*$"
)
PREAMBLE_KEY = re.compile(
    r"^\s*(?:E\.?\s?O\.?\s*\d|TAGS\b|SUBJ(?:ECT)?\s*:|REF(?:S|TEL)?\s*:|REFERENCES?\s*:|"
    r"CLASSIFIED\s+BY)",
    re.I,
)
TERMINAL = (".", "!", "?", '"', "'", ")", ":", ";")
LIST_ITEM = re.compile(r"^\s*(?:-{1,2}\s|[A-Z]\.\s|\(?[a-z0-9]{1,2}\)\s|o\s|\*\s|•)")
SIGNER = re.compile(r"^\s*(?P<name>[A-Z][A-Z'-]+(?:\s+[A-Z][A-Z'-]+){0,2})\s*$")
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
}
PARTIAL_NOTICE = "This record is a partial extract of the original cable"


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


def parse_cable(text: str, hints: Hints | None = None) -> ParsedCable:
    """Parse one cable's header and body. Raises ParseError when no id or date can be found."""
    hints = hints or Hints()
    warnings: list[str] = []
    lines = _normalise(text).split("\n")
    banner_at = next((i for i, line in enumerate(lines) if BANNER.match(line)), None)
    if banner_at is None:
        # No classification line: the body starts at the first E.O./TAGS/SUBJECT line.
        banner_at = next((i for i, line in enumerate(lines) if PREAMBLE_KEY.match(line)), 0)
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
    if sent and (created is None or not hints.created_has_time):
        if created is not None and abs((sent - created).total_seconds()) > 2 * 86400:
            warnings.append(f"date-time group {sent:%Y-%m-%d} disagrees with the mirror's date")
        else:
            created = sent
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

    subject = fields["subject"] or hints.title
    if hints.title and len(hints.title) > len(subject):
        subject = hints.title

    references = [
        Reference(letter=letter, text=item_text, cable_id=cited)
        for letter, item_text, cited in parse_ref_items(fields["ref"], created.year, reference_id)
    ]
    classified_by, reasons = parse_classified_by(fields["classified_by"])

    paragraphs, signer, tail_complete = _paragraphs(rest, warnings)
    partial = hints.partial or PARTIAL_NOTICE in text
    if banner and banner["sections"]:
        last_page = max([int(m["page"]) for m in map(PAGE_BREAK.match, body_lines) if m] + [1])
        if last_page < int(banner["sections"]):
            partial = True
            warnings.append(f"text ends in section {last_page} of {int(banner['sections'])}")
    if not signer and not tail_complete and paragraphs:
        partial = True
        warnings.append("text ends in mid-sentence: cut off")

    return ParsedCable(
        reference_id=reference_id,
        created=created,
        classification=level,
        origin=hints.origin or origin_for(reference_id, from_line),
        subject=subject,
        summary=_summary(paragraphs),
        tags=tags,
        keywords=keywords,
        references=references,
        recipients=_recipients(header_lines),
        classified_by=classified_by,
        classified_by_line=fields["classified_by"],
        reasons=reasons,
        declassify_on=fields["declassify_on"],
        signer=signer,
        header="\n".join(header_lines),
        body="\n".join(body_lines).strip("\n"),
        paragraphs=paragraphs,
        partial=partial,
        warnings=warnings,
    )


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = re.sub(r"\[([^\]\n]*)\]\([^)\n]*\)", r"\1", text)  # markdown links: [PREL](#)
    # A header glued to the body: "RUEHNE/AMEMBASSY NEW DELHI 0384UNCLAS SECTION 01 OF 03".
    text = re.sub(rf"(?m)^([A-Z]{{4,8}}/[^\n]*?\d)(?={CLASS_WORD}\b)", r"\1\n", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _drop_repeated_header(lines: list[str]) -> list[str]:
    """Some mirrors print the classification line and preamble twice: keep the second copy."""
    if not lines:
        return lines
    first = " ".join(lines[0].split())
    for i in range(1, len(lines)):
        line = lines[i]
        if PARAGRAPH_START.match(line) and _is_paragraph_start(PARAGRAPH_START.match(line), None):
            break
        if " ".join(line.split()) == first:
            return lines[i:]
    return lines


def _split_preamble(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split the lines after the classification line into the preamble (SIPDIS, E.O., TAGS,
    SUBJECT, REF, Classified By) and the text."""
    last_key = -1
    for i, line in enumerate(lines):
        match = PARAGRAPH_START.match(line)
        if match and _is_paragraph_start(match, None):
            break
        if PREAMBLE_KEY.match(line):
            last_key = i
    if last_key < 0:
        return [], lines
    # The last keyed item runs on until a blank line, or across blank lines while its
    # continuation looks like more of it (REF bullets).
    end = last_key + 1
    key = lines[last_key].strip().upper()
    while end < len(lines):
        line = lines[end]
        if not line.strip():
            following = next((x for x in lines[end:] if x.strip()), "")
            if key.startswith("REF") and re.match(r"^\s*(?:\(?[A-Z]\)|[A-Z]\.)\s", following):
                end += 1
                continue
            break
        if PARAGRAPH_START.match(line) and _is_paragraph_start(PARAGRAPH_START.match(line), None):
            break
        end += 1
    return lines[:end], lines[end:]


def _preamble_fields(lines: list[str]) -> dict:
    fields = {
        "tags": "",
        "subject": "",
        "ref": "",
        "classified_by": "",
        "declassify_on": "",
        "sensitive": False,
        "noforn": False,
    }
    current = None
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if current in ("subject", "classified_by", "tags"):
                current = None
            continue
        upper = stripped.upper()
        if upper in ("SENSITIVE", "SENSITIVE BUT UNCLASSIFIED", "SBU") or upper.startswith(
            "SENSITIVE "
        ):
            fields["sensitive"] = True
            current = None
            continue
        if upper in ("NOFORN", "N O F O R N") or upper.startswith("NOFORN "):
            fields["noforn"] = True
            current = None
            continue
        if re.match(r"^E\.?\s?O\.?\s*\d", upper):
            decl = re.search(r"DECL(?:ASSIFY)?\s*(?:ON)?\s*:?\s*(.*)$", upper)
            value = decl.group(1).strip() if decl else upper.split(":", 1)[-1].strip()
            date = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})", value)
            fields["declassify_on"] = (
                f"{date[3]}-{int(date[1]):02d}-{int(date[2]):02d}" if date else value
            )
            current = None
            continue
        keyed = re.match(
            r"^(TAGS|SUBJ(?:ECT)?|REF(?:S|TEL)?|REFERENCES?|CLASSIFIED\s+BY)\s*:?\s*(.*)$",
            stripped,
            re.I,
        )
        if keyed:
            key = keyed.group(1).upper()
            current = (
                "tags"
                if key == "TAGS"
                else "subject"
                if key.startswith("SUBJ")
                else "classified_by"
                if key.startswith("CLASSIFIED")
                else "ref"
            )
            fields[current] = (fields[current] + " " + keyed.group(2).strip()).strip()
            continue
        if current == "tags" and not fields["tags"].endswith(","):
            current = None
        if current:
            fields[current] = (fields[current] + " " + stripped).strip()
    fields["subject"] = " ".join(fields["subject"].split())
    return fields


def _is_paragraph_start(match: re.Match, expected: int | None) -> bool:
    if match["pilcrow"]:
        return True
    marking = match["marking"]
    if marking and MARKING.match(" ".join(marking.split())):
        return True
    number = int(match["number"])
    rest = match["rest"]
    if not rest or not (rest[0].isupper() or rest[0] in "\"'("):
        return False
    return number == (expected or 1)


def _is_plain_heading(lines: list[_Line], i: int) -> bool:
    """A short line alone between blank lines, without end punctuation, before a paragraph."""
    text = lines[i].text.strip()
    if not text or len(text) > 70 or text.endswith((".", ",", ";", ":")) or LIST_ITEM.match(text):
        return False
    if not text[0].isupper() or len(text.split()) > 10:
        return False
    before = lines[i - 1].text.strip() if i > 0 else ""
    after = lines[i + 1].text.strip() if i + 1 < len(lines) else ""
    if before or after:
        return False
    following = next((x.text for x in lines[i + 1 :] if x.text.strip()), "")
    match = PARAGRAPH_START.match(following)
    return bool(match and (match["pilcrow"] or match["marking"] or match["number"]))


def _clean_lines(lines: list[str]) -> list[_Line]:
    """Drop page headers and section banners; the text on either side is one block."""
    out: list[_Line] = []
    soft = False
    for line in lines:
        if PAGE_BREAK.match(line) or OLD_PAGE_BREAK.match(line) or BANNER.match(line):
            while out and not out[-1].text.strip():
                out.pop()
            soft = True
            continue
        if soft and not line.strip():
            continue
        out.append(_Line(line, soft))
        soft = False
    return out


def _paragraphs(lines: list[str], warnings: list[str]) -> tuple[list[Paragraph], str, bool]:
    """Split the text into paragraphs. Returns them, the signer and whether the text ends
    like a finished cable (end punctuation, a signer or an end-of-message mark)."""
    cleaned = _clean_lines(lines)
    # The signer and end marks sit at the very end.
    signer = ""
    tail_complete = False
    while cleaned and (not cleaned[-1].text.strip() or cleaned[-1].text.strip() in ("-", "NNNN")):
        if cleaned[-1].text.strip() == "NNNN":
            tail_complete = True
        cleaned.pop()
    if cleaned:
        match = SIGNER.match(cleaned[-1].text)
        if match and match["name"] not in NOT_SIGNERS and not BANNER.match(cleaned[-1].text):
            signer = match["name"]
            cleaned.pop()
            tail_complete = True
            while cleaned and cleaned[-1].text.strip() in ("", "-"):
                cleaned.pop()
    uses_pilcrow = any(re.match(r"^\s*¶\s*\d", x.text) for x in cleaned)

    paras: list[_Para] = []
    heading = ""
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
        # Dashed headings: "----\nTitle\n----" or "Title\n----".
        if DASHES.match(line):
            blank_before = True
            i += 1
            continue
        nxt = cleaned[i + 1].text if i + 1 < len(cleaned) else ""
        if DASHES.match(nxt) and len(stripped) <= 80 and not stripped.endswith("."):
            heading = " ".join(stripped.split())
            current = None
            blank_before = True
            i += 2
            continue
        if blank_before and _is_plain_heading(cleaned, i):
            heading = " ".join(stripped.split())
            current = None
            i += 1
            continue
        match = PARAGRAPH_START.match(line)
        expected = last_number + 1
        if match and (blank_before or cleaned[i].soft or _ends_sentence(current)):
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
                marking = " ".join((match["marking"] or "").split())
                current = _Para(number=number, marking=marking, heading=heading)
                paras.append(current)
                if match["rest"]:
                    current.add_line(match["rest"], True)
                last_number = number
                blank_before = False
                i += 1
                continue
        # Ordinary text: continues the open paragraph. A blank line ends a block only where the
        # block ended a sentence; otherwise it is a page or wrapping gap inside a sentence.
        if current is None:
            current = _Para(number=None, marking="", heading=heading)
            paras.append(current)
            new_block = True
        else:
            new_block = blank_before and not cleaned[i].soft and _ends_sentence(current)
            new_block = new_block or bool(LIST_ITEM.match(line))
        current.add_line(line, new_block)
        blank_before = False
        i += 1

    result = []
    for position, para in enumerate(paras, 1):
        text = "\n\n".join(_join_block(block) for block in para.blocks).strip()
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
    return result, signer, tail_complete


def _ends_sentence(para: _Para | None) -> bool:
    if para is None or not para.blocks or not para.blocks[-1]:
        return True
    return para.blocks[-1][-1].rstrip().endswith(TERMINAL)


def _join_block(lines: list[str]) -> str:
    """Join the hard-wrapped lines of a block; list items keep their own lines."""
    out = ""
    for line in lines:
        line = " ".join(line.split())
        if not out:
            out = line
        elif LIST_ITEM.match(line):
            out += "\n" + line
        elif out.endswith("-") and not out.endswith(" -") and not out.endswith("--"):
            out += line  # a word broken at a hyphen: "one-" + "stop"
        else:
            out += " " + line
    return out


def _summary(paragraphs: list[Paragraph]) -> str:
    """The text between 'Summary:' and 'End summary' near the top, without those words."""
    text = "\n\n".join(p.text for p in paragraphs[:6])
    match = re.search(
        r"(?is)^(?:.{0,200}?\b)?summary(?:\s+and\s+(?:comment|action request))?\s*[:.\-]+\s*"
        r"(?P<summary>.+?)\s*\(?\bend\s+(?:of\s+)?summary\b",
        text,
    )
    if match:
        return match["summary"].strip()
    return ""


def _recipients(header: list[str]) -> list[Recipient]:
    recipients: list[Recipient] = []
    kind = None
    for line in header:
        stripped = " ".join(line.split())
        if OLD_PAGE_BREAK.match(stripped):
            continue
        if stripped.startswith("TO "):
            kind, stripped = "action", stripped[3:]
            stripped = re.sub(r"^PAGE\s+\d+\s+[A-Z]+\s+\d+\s+\d+Z\s*", "", stripped)
        elif stripped.startswith("INFO "):
            kind, stripped = "info", stripped[5:]
        elif stripped in ("BT", "") or stripped.startswith(("FM ", "ZEN/", "XMT ")):
            if stripped == "BT":
                kind = None
            continue
        elif kind is None:
            continue
        if not stripped:
            continue
        match = RECIPIENT.match(stripped)
        if match:
            recipients.append(
                Recipient(
                    kind=kind,
                    name=match["name"].strip(),
                    route=match["route"] or "",
                    precedence=match["precedence"] or "",
                )
            )
    return recipients
