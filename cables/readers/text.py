"""Cables saved as text from the mirror sites.

Each mirror wraps the cable in its own way; all of them are read here by taking the mirror's
lines off the top and bottom and turning what they said into ``Hints``:

- labelled columns (``Identifier`` / ``Created`` / ... then the values), ``Cable title:``,
  ``Tags:`` and the "pdf how-to read a cable" link text (the WikiLeaks cable pages);
- a one-line header, ``05ALMATY956 2005-03-14 00:52:00 UNCLASSIFIED... US Office Almaty``,
  after the site's navigation line;
- five header lines (id, first subject line, ``Mon Sep 18 00:00:00 +0200 2006``,
  classification, origin) with the routing header glued to them;
- ``Label: value`` lines with a disclaimer and a "Latest source of this page" footer;
- markdown or bare text with no metadata at all.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from cables.parser import Hints, telegram
from cables.parser.fields import DTG, REFERENCE_ID, REFERENCE_ID_PARTS, split_tags, station_token
from cables.parser.telegram import BANNER

from .base import RawRecord, plain, unglue_cable_dated

PARTIAL_NOTICE = "partial extract of the original cable"
# The notice as WikiLeaks wrote it, on a line of its own or glued to the cable's first line.
PARTIAL_NOTICE_LINE = re.compile(
    rf"\s*{re.escape(telegram.PARTIAL_NOTICE)}\.?"
    r"(?:\s*The full text of the original cable is not available\.?)?\s*"
)

# Mirror clutter: whole lines that are the site's, not the cable's.
CLUTTER = [
    re.compile(p, re.I)
    for p in (
        r"^\s*wikileaks ico\b.*$",
        r"^\s*pdf how-to read a cable\s*$",
        r"^\s*Disclaimer:.*$",
        r"^\s*Latest source of this page is .*$",
        r"^\s*Wikileaks: View .* at Wikileaks\.org\s*$",
        r"^\s*Redacted: .*$",
        r"^\s*US embassy cable - \S+\s*$",
        r"^\s*Appears in these articles:.*$",
        r"^\s*Viewing cable \S+.*$",
    )
]
CLASSIFICATION = (
    r"(?:UNCLASSIFIED//FOR OFFICIAL USE ONLY|UNCLASSIFIED|CONFIDENTIAL//NOFORN|CONFIDENTIAL|"
    r"SECRET//NOFORN|SECRET|LIMITED OFFICIAL USE|TOP SECRET)"
)
ONE_LINE_HEADER = re.compile(
    rf"^\s*(?P<id>\d{{2}}[A-Z0-9]+\d)\s+(?P<created>\d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}}(?::\d{{2}})?)"
    rf"\s+(?P<classification>{CLASSIFICATION})\s+(?P<origin>.+?)\s*$"
)
LONG_DATE = re.compile(
    r"^\s*[A-Z][a-z]{2} (?P<mon>[A-Z][a-z]{2}) (?P<day>\d{1,2}) (?P<time>\d{2}:\d{2}:\d{2}) "
    r"(?P<tz>[+-]\d{4}) (?P<year>\d{4})\s*$"
)
ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?\s*$")
LABELS = ("Identifier", "Created", "Classification", "Origin")
LABELLED = re.compile(
    r"^\s*(?P<label>Identifier|Created|Released|Classification|Origin|Tags|Cable title|Subject|"
    r"Date|Reference ID)\s*:\s*(?P<value>.*?)\s*$",
    re.I,
)
# Where the cable itself starts: the routing header or the classification line.
ROUTING_START = re.compile(r"^\s*(?:VZCZC|[A-Z]{1,2} RUE|FM [A-Z]|E\.O\. \d)")


def is_cable_start(line: str) -> bool:
    return bool(ROUTING_START.match(line) or BANNER.match(line) or DTG.match(line))


def parse_iso(value: str) -> datetime | None:
    m = ISO_DATE.match(value)
    if not m:
        return None
    return datetime(*(int(x or 0) for x in m.groups()), tzinfo=UTC)


def parse_long_date(value: str) -> datetime | None:
    """'Mon Sep 18 00:00:00 +0200 2006': only the day is right; the time is midnight local."""
    m = LONG_DATE.match(value)
    if not m:
        return None
    try:
        return datetime.strptime(f"{m['day']} {m['mon']} {m['year']}", "%d %b %Y").replace(
            tzinfo=UTC
        )
    except ValueError:
        return None


def sniff(text: str) -> bool:
    """A routing header, a classification line, or TAGS/SUBJECT lines somewhere in the text."""
    if re.search(r"(?m)^\s*(?:TAGS|SUBJECT)\s*:|^(?:<code><pre>)?Cable dated:", text):
        return True
    return any(is_cable_start(line) for line in text.split("\n"))


def read(text: str, locator: str) -> list[RawRecord]:
    """One text file holds one cable."""
    hints = Hints()
    if re.search(r"<(?:pre|code)>|<a id=", text):
        text = plain(text)  # the body block of a cablegate page, saved alone
    text = text.replace("\r\n", "\n").replace("\xa0", " ")
    created, text = unglue_cable_dated(text)
    if created:
        hints.created = created
    lines = text.split("\n")
    layout = "text"
    kept: list[str] = []
    for line in lines:
        if any(p.match(line) for p in CLUTTER):
            continue
        if PARTIAL_NOTICE in line:
            hints.partial = True
            # (the line the notice was glued to stays: "...is not available.UNCLAS  ALMATY")
            line = PARTIAL_NOTICE_LINE.sub("", line)
            if not line.strip():
                continue
        kept.append(line)

    # Metadata sits above the first line of the cable proper.
    start = next((i for i, line in enumerate(kept) if is_cable_start(line)), 0)
    preamble = [line.strip() for line in kept[:start] if line.strip()]
    body = kept[start:]

    if preamble[: len(LABELS)] == list(LABELS) and len(preamble) >= 2 * len(LABELS):
        layout = "text/labelled-columns"
        values = dict(zip(LABELS, preamble[len(LABELS) : 2 * len(LABELS)], strict=True))
        hints.reference_id = values["Identifier"]
        hints.created = parse_iso(values["Created"])
        hints.classification = values["Classification"]
        hints.origin = values["Origin"]
        rest = preamble[2 * len(LABELS) :]
    else:
        rest = preamble
    leftovers = []
    for line in rest:
        labelled = LABELLED.match(line)
        one_line = ONE_LINE_HEADER.match(line)
        if one_line and not hints.reference_id:
            layout = "text/one-line-header"
            hints.reference_id = one_line["id"]
            hints.created = parse_iso(one_line["created"])
            hints.classification = one_line["classification"]
            hints.origin = one_line["origin"]
        elif labelled:
            label, value = labelled["label"].lower(), labelled["value"]
            if layout == "text":
                layout = "text/labelled-fields"
            if label in ("identifier", "reference id") and value:
                hints.reference_id = value
            elif label in ("created", "date") and parse_iso(value):
                hints.created = parse_iso(value)
            elif label == "classification" and value:
                hints.classification = value
            elif label == "origin" and value:
                hints.origin = value
            elif label == "tags" and value:
                hints.tags = split_tags(value)[0]
            elif label in ("cable title", "subject") and value:
                hints.title = value
        elif REFERENCE_ID.match(line) and not hints.reference_id:
            hints.reference_id = line
            layout = "text/five-line-header"
        elif parse_long_date(line) and not hints.created:
            hints.created = parse_long_date(line)
            hints.created_has_time, hints.created_precision = False, "day"
        elif re.fullmatch(CLASSIFICATION, line) and not hints.classification:
            hints.classification = line
        else:
            leftovers.append(line)
    if layout == "text/five-line-header" and leftovers:
        # id, subject's first line, date, classification, origin
        hints.title = hints.title or leftovers[0]
        if len(leftovers) > 1 and not hints.origin:
            hints.origin = leftovers[-1]
    elif leftovers and hints.reference_id and not hints.title:
        # A title line printed above the labelled fields (cablebrowser).
        hints.title = leftovers[0]
    if layout == "text" and "](" in text:
        layout = "text/markdown"
    if not hints.reference_id:
        hints.reference_id = _id_from_file_name(locator, body)
        if hints.reference_id and layout == "text" and not any(map(DTG.match, body)):
            layout = "text/body-only"

    return [RawRecord(text="\n".join(body), hints=hints, format=layout, locator=locator)]


def _id_from_file_name(locator: str, body: list[str]) -> str:
    """A file named after its cable (00HARARE5461.txt) whose text carries no metadata: the
    name is the id, unless the classification line names another cable (HARARE 005461 must
    agree). Malformed ids WikiLeaks assigned (08SECTION01GF02BISHIEK21) are kept as they are."""
    stem = re.split(r"[/!]", locator)[-1].rsplit(".", 1)[0]
    if not REFERENCE_ID.match(stem):
        return ""
    banner = next((BANNER.match(line) for line in body if BANNER.match(line)), None)
    if not banner:
        return stem  # nothing in the text says otherwise
    parts = REFERENCE_ID_PARTS.match(stem)
    agrees = (
        parts is not None
        and station_token(banner["station"]) == parts["station"]
        and int(banner["serial"]) == int(parts["serial"])
    )
    return stem if agrees else ""
