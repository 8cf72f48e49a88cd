"""JSON records: mongo exports (one object a line), API responses (``{"info", "items"}``) and
the same wrapped as JSONP (``cablegrab({...})``).

The mongo exports (``_id``, origin, date_time, classification, body; the WikiLeaks one also
header and reference_id) lost the cable's line structure, and the parser is line-based:

- in most files every newline became a space, so a blank line is two spaces, a line end one
  space; but cables also put two spaces after a sentence, so two spaces alone prove nothing;
- in the WikiLeaks export newlines were deleted outright ("...PINS TUSUBJECT: ..."), its
  paragraphs were already on one line each, and one record was even sentence-cased.

``rebuild_lines`` puts back the lines the parser reads by: classification line, the preamble
keys (SIPDIS, E.O., TAGS, SUBJECT, REF, Classified By), paragraph starts, section headings,
page headers, list items and the signer. Other spaces are left alone: the parser joins a
paragraph's lines anyway.

Traps of these exports, handled here:

- outside the WikiLeaks export ``_id`` is not the cable's id but the cables it cites (the
  references column, joined by ``|``): it goes to ``extra["json_references"]`` and the parser
  makes the id from the classification line and the year;
- the WikiLeaks export and the API print times as ``HH:hh`` (the minutes are the hour on a
  12-hour clock): the minutes are dropped, and the parser takes the time from the header's
  date-time group where there is one;
- ``iran.json`` does not escape the quotes inside the body: as the body is the last field of
  a known shape, such a line is read anyway (``extra["json_repaired"]``);
- the mirrors put a ¶ before REF letters ("¶B. MADRID 162"): it is taken off.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from cables.parser import Hints
from cables.parser.telegram import CLASS_WORD

from .base import RawRecord, ReadError

Item = RawRecord | ReadError

PARTIAL_NOTICE = "partial extract of the original cable"

# --- Detecting and unwrapping ----------------------------------------------------------------

JSONP = re.compile(r"^\s*(?P<callback>[A-Za-z_$][\w$.]*)\s*\(\s*(?=[\[{])")
JSON_START = re.compile(r'^\s*(?:\{\s*(?:"|\})|\[\s*(?:\{|\[|"|\]|-?\d))')

# iran.json: a mongoexport line whose body holds bare double quotes. The body is the last field
# of this shape, so it runs to the closing '" }' whatever it contains.
MONGO_LINE = re.compile(
    r'^\{ "_id" : "(?P<_id>[^"\\]*)", "origin" : "(?P<origin>[^"\\]*)", '
    r'"date_time" : "(?P<date_time>[^"\\]*)", "classification" : "(?P<classification>[^"\\]*)", '
    r'"body" : "(?P<body>.*)" \}\s*$',
    re.S,
)


def sniff(text: str) -> bool:
    """JSON lines, one JSON document, or JSONP (``name({...})``)."""
    return bool(JSONP.match(text) or JSON_START.match(text))


def read(text: str, locator: str) -> Iterator[Item]:
    """One RawRecord per cable; a bad line or item is yielded as a ReadError."""
    jsonp = JSONP.match(text)
    if jsonp:
        inner = text[jsonp.end() :].rstrip().rstrip(";").rstrip()
        if not inner.endswith(")"):
            raise ReadError(f"JSONP {jsonp['callback']}(...) is not closed", locator)
        yield from _read_document(inner[:-1], locator, "jsonp/api", jsonp=True)
        return
    stripped = text.strip()
    try:
        document = json.loads(stripped)
    except json.JSONDecodeError as error:
        if "\n" not in stripped and _repair_mongo_line(stripped) is None:
            raise ReadError(f"invalid JSON: {error}", locator) from None
        yield from _read_lines(text, locator)
        return
    if isinstance(document, dict) and _text_field(document) is not None:
        yield _record(document, f"{locator}:line 1", "json/mongoexport")  # a one-line export
        return
    yield from _read_document(stripped, locator, "json/api", parsed=document)


def _read_document(
    text: str, locator: str, layout: str, *, jsonp: bool = False, parsed=None
) -> Iterator[Item]:
    if parsed is None:
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as error:
            kind = "JSONP" if jsonp else "JSON"
            raise ReadError(f"invalid {kind}: {error}", locator) from None
    if isinstance(parsed, dict) and isinstance(parsed.get("items"), list):
        items = parsed["items"]
    elif isinstance(parsed, list):
        items = parsed
    elif isinstance(parsed, dict) and _text_field(parsed) is not None:
        items = [parsed]
    else:
        raise ReadError("JSON without cable records (no items, body or text)", locator)
    if not items:
        raise ReadError("JSON response with no items", locator)
    for n, obj in enumerate(items, 1):
        yield _record(obj, f"{locator}:item {n}", layout)


def _read_lines(text: str, locator: str) -> Iterator[Item]:
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{locator}:line {n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            repaired = _repair_mongo_line(line)
            if repaired is None:
                yield ReadError(f"invalid JSON: {error}", where)
                continue
            record = _record(repaired, where, "json/mongoexport")
            if isinstance(record, RawRecord):
                record.extra["json_repaired"] = "unescaped double quotes in the body"
            yield record
            continue
        yield _record(obj, where, "json/mongoexport")


def _repair_mongo_line(line: str) -> dict | None:
    match = MONGO_LINE.match(line.strip())
    if not match:
        return None
    body = re.sub(r'(?<!\\)((?:\\\\)*)"', r'\1\\"', match["body"])
    try:
        decoded = json.loads(f'"{body}"')
    except json.JSONDecodeError:
        return None
    fields = {k: v for k, v in match.groupdict().items() if k != "body"}
    return {**fields, "body": decoded}


# --- One record ------------------------------------------------------------------------------


def _text_field(obj: dict) -> str | None:
    for key in ("body", "text"):
        if isinstance(obj.get(key), str):
            return obj[key]
    return None


def _string(obj: dict, *keys: str) -> str:
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _record(obj, where: str, layout: str) -> Item:
    if not isinstance(obj, dict):
        return ReadError(f"expected a JSON object, found {type(obj).__name__}", where)
    body = _text_field(obj)
    if body is None or not body.strip():
        return ReadError("record without cable text (no body or text field)", where)
    raw_date = _string(obj, "date_time", "date", "created")
    created, exact = parse_date(raw_date) if raw_date else (None, True)
    if raw_date and created is None:
        return ReadError(f"unreadable date {raw_date!r}", where)

    extra: dict = {}
    hints = Hints(
        created=created,
        created_has_time=exact,
        created_precision="minute" if exact else "hour",
        classification=_string(obj, "classification"),
        origin=_string(obj, "origin"),
        title=" ".join(_string(obj, "subject", "title").split()),
    )
    if not exact:
        extra["date_minutes_unreliable"] = raw_date
    # Where the record names its own id: the WikiLeaks export's reference_id (its _id is the
    # same), the API's id. Elsewhere _id is the references column.
    if "reference_id" in obj or layout != "json/mongoexport":
        hints.reference_id = _string(obj, "reference_id", "id", "_id")
    elif isinstance(obj.get("_id"), str):
        refs = [r.strip() for r in obj["_id"].split("|") if r.strip()]
        if refs:
            extra["json_references"] = refs
    tags = obj.get("tags")
    if isinstance(tags, str):
        hints.tags = [t for t in re.split(r"[\s,]+", tags.upper()) if t]
    elif isinstance(tags, list):
        hints.tags = [str(t).strip().upper() for t in tags if str(t).strip()]

    header = obj.get("header") if isinstance(obj.get("header"), str) else ""
    if PARTIAL_NOTICE in header.lower():
        hints.partial, header = True, ""
    flattened = "\n" not in body.strip()
    extra["newlines"] = "kept" if not flattened else "flattened"

    body, dated = take_date_line(body)
    if dated and (created is None or abs(dated - created) < timedelta(days=2)):
        hints.created, hints.created_has_time = dated, True
        extra["date_line"] = f"{dated:%Y-%m-%d %H:%M}"
    body = STRAY_PILCROW.sub(" ", body)
    if flattened:
        body = rebuild_lines(body)
    if header and "\n" not in header.strip():
        header = rebuild_header(header)
    header = "\n".join(line for line in header.split("\n") if not XTAGS.match(line))
    text = f"{header.strip()}\n\n{body.strip()}\n" if header.strip() else f"{body.strip()}\n"
    return RawRecord(text=text, hints=hints, format=layout, locator=where, extra=extra)


# --- Dates -----------------------------------------------------------------------------------

US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?Z?$")
MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()
# "Thursday, 23 October 2008, 09:20": the line the Guardian put above its cables (UTC).
DATE_LINE = re.compile(
    r"^\s*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+(?P<day>\d{1,2})\s+"
    rf"(?P<month>{'|'.join(MONTH_NAMES)})\s+(?P<year>\d{{4}}),\s+(?P<hour>\d{{2}}):(?P<minute>\d{{2}})"
    r"[ \t]*\n?"
)


def parse_date(value: str) -> tuple[datetime | None, bool]:
    """The record's date (UTC) and whether its minutes can be trusted.

    '6/30/2004 10:01' (M/D/YYYY) is exact. '2004-01-20 12:12' comes from exports that printed
    the hour on a 12-hour clock where the minutes belong ('14:02' for 14:xx): when the minutes
    equal that, they are dropped and the date is marked as lacking its time."""
    value = value.strip()
    m = US_DATE.match(value)
    try:
        if m:
            month, day, year, hour, minute = (int(x) for x in m.groups()[:5])
            return datetime(year, month, day, hour, minute, int(m[6] or 0), tzinfo=UTC), True
        m = ISO_DATE.match(value)
        if m:
            year, month, day = int(m[1]), int(m[2]), int(m[3])
            hour, minute, second = int(m[4] or 0), int(m[5] or 0), int(m[6] or 0)
            if m[4] is None:
                return datetime(year, month, day, tzinfo=UTC), False
            if minute == (hour % 12 or 12) and second == 0:
                return datetime(year, month, day, hour, tzinfo=UTC), False
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC), True
    except ValueError:
        return None, True
    return None, True


def take_date_line(body: str) -> tuple[str, datetime | None]:
    """Take the Guardian's 'Thursday, 23 October 2008, 09:20' line off the top of the text."""
    m = DATE_LINE.match(body)
    if not m:
        return body, None
    try:
        dated = datetime(
            int(m["year"]),
            MONTH_NAMES.index(m["month"]) + 1,
            int(m["day"]),
            int(m["hour"]),
            int(m["minute"]),
            tzinfo=UTC,
        )
    except ValueError:
        return body, None
    return body[m.end() :], dated


# --- Rebuilding the lines --------------------------------------------------------------------

STRAY_PILCROW = re.compile(r"¶\s*(?=[A-Z][.)]\s)")
XTAGS = re.compile(r"^\s*XTAGS:")

BANNER_START = re.compile(
    rf"^\s*(?P<banner>{CLASS_WORD}(?:\s+(?:NOFORN|SENSITIVE|EFTO|NODIS|EXDIS|LIMDIS))*"
    r"(?:\s+(?:SECTION\s+)?\d+\s+OF\s+\d+)?\s+(?P<station>[A-Z][A-Z.'-]*(?: [A-Z][A-Z.'-]*)*?)"
    r"\s+(?P<serial>\d{1,8}))(?!\d)[ \t]*",
    re.I,
)
GAP = r"[ \t]{2,}"
MARK = r"\((?:[A-Z][A-Za-z /-]{0,24}|[A-Z]/+[A-Z]+)\)"
# A numbered paragraph: "1. (C) Text", "2.  ON DECEMBER 29", "¶3.(S/NF)".
PARA = rf"(?:¶\s*)?\d{{1,3}} ?\.\s*(?:{MARK}|(?=[A-Z\"'(“‘]))"
# Paragraph numbers at a line's start (to count) or after a sentence's end (a lost newline).
INLINE_NUMBER = re.compile(
    rf"(?m)(?:^(?P<start>¶?\s*)(?=\d{{1,3}} ?\.)|(?<=[.!?\"”)])[ \t](?=\d{{1,3}}\.\s+(?:{MARK}|[A-Z\"(])))"
    r"(?P<number>\d{1,3})(?= ?\.)"
)
PARA_LINE = re.compile(rf"^\s*{PARA}")
SINGLE_MARK = r"[(\[](?:U|C|S|SBU|S/NF|C/NF|U/FOUO|LOU|TS)[)\]]"
# Preamble keys that may follow a single space (a single newline) or nothing at all.
KEY = re.compile(
    r"(?:\(U\)\s*)?(?:SUBJ(?:ECT)?\s*:|TAGS\b:?|REF(?:S|TEL|TELS)?\s*:|REFERENCES?\s*:|"
    r"CLASSIFIED\s+BY\b|E\.?\s?O\.?\s*1[23]\d{3}\s*(?::|,?\s*DECL|N/A))",
    re.I,
)
# Keys that are also ordinary words: only after a gap or glued to the previous token.
LONE_KEY = re.compile(r"(?:SIPDIS|NOFORN|SENSITIVE)(?-i:(?![a-z]))", re.I)
PAGE_LINE = re.compile(r"^[A-Z][A-Z .'-]* \d{8} \d{3}(?:\.\d)? OF \d{3}$")
REF_LETTER = re.compile(r"(?:\(?[A-Z]\)|[A-Z]\.)\s")
# More of a Classified By line's reasons: "(b) and (d)", "(b,d).", "d", "1.4 ...", "and (d)";
# not a portion marking starting the text ("(C) On February 18...").
REASONS_GOING_ON = re.compile(
    r"(?i)(?:(?:\([a-h](?:\s*(?:[,/&]|and)\s*[a-h])*\s*\)|[a-h](?:\s*(?:[,/&]|and)\s*[a-h])*)"
    r"(?=\s*(?:[.,;]|and\b|or\b|$))|and\b|or\b|&|1\.[45]|reasons?\b|e\.?o\.?\b)"
)
# A word broken at a line's end: 'HEADQUAR- TERS' (the parser joins it back); not 'pre- and'.
HYPHEN_WRAP = re.compile(r"(?<=[A-Za-z])- (?=[A-Za-z])(?!(?:and|or|to|AND|OR|TO)\b)")
# A dashed line, with the piece it wrapped onto ('----- --') and a stray slash ('-----/').
DASH_RUN = re.compile(r"[-=_]{3,}(?: ?[-=_]+(?=[\s/¶]|$))*/?")
DANGLING = {"TO", "OF", "AND", "THE", "FOR", "IN", "ON", "WITH", "AT", "BY", "A", "AN", "OR"}
DANGLING |= {"FROM", "AS", "ITS", "HIS", "HER", "THEIR", "OUR", "VS", "VS."}
NOT_NAMES = {"NNNN", "BT", "SIPDIS", "NOFORN", "SENSITIVE", "UNCLASSIFIED", "SECRET"}
NOT_NAMES |= {"CONFIDENTIAL", "UNCLAS", "NNN", "COMMENT", "SUMMARY", "TEXT", "QUOTE", "UNQUOTE"}


def rebuild_lines(body: str) -> str:
    """The line structure of a cable whose newlines became spaces or were deleted."""
    banner = BANNER_START.match(body)
    if not banner:
        return _tidy(_rebuild_body(body))
    mangled = banner["banner"] != banner["banner"].upper()
    head = " ".join(banner["banner"].upper().split()) if mangled else banner["banner"].strip()
    rest = _page_markers(body[banner.end() :], banner["station"].upper())
    start = _body_start(rest)
    lines, spill = _rebuild_preamble(rest[:start], mangled)
    text = _rebuild_body(spill + rest[start:], mangled)
    return _tidy("\n\n".join([head, *lines, text]))


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _page_markers(text: str, station: str) -> str:
    """'BAGHDAD 00000123  002 OF 004' (the page header of a section) on a line of its own.
    The station is the classification line's, so a marker is found even glued to its
    neighbours ('...IRGC, MOISDUBAI 00000049 001.2 OF 003CLASSIFIED BY')."""
    words = station.split()
    if not words:
        return text
    place = "".join(f"(?:{re.escape(w)} )?" for w in words[:-1]) + re.escape(words[-1])
    marker = re.compile(
        rf"[ \t]*(?P<place>{place})[ \t]+(?P<serial>\d{{8}})[ \t]+"
        rf"(?P<page>\d{{3}}(?:\.\d)?)[ \t]+OF[ \t]+(?P<of>\d{{3}})[ \t]*"
    )
    return marker.sub(lambda m: f"\n{m['place']} {m['serial']} {m['page']} OF {m['of']}\n", text)


def _body_start(rest: str) -> int:
    """Where the text after the preamble begins: paragraph 1, a ¶, or a dashed heading."""
    candidates = [
        m.start()
        for m in (
            re.search(r"¶\s*\d", rest),
            re.search(rf"(?:^|{GAP}|(?<=[.:)]))(?:¶\s*)?1 ?\.\s*(?:{MARK}|[A-Z\"'(])", rest),
            re.search(rf"(?<=[.:)])[ \t](?:¶\s*)?1 ?\.\s*{SINGLE_MARK}", rest),
            re.search(r"[-=_]{5,}", rest),
        )
        if m
    ]
    return min(candidates) if candidates else len(rest)


def _rebuild_preamble(preamble: str, mangled: bool) -> tuple[list[str], str]:
    """The preamble's lines, and what follows its last item (the start of the text).

    The keys start lines wherever they are; other breaks are the gaps (blank lines). Once a
    keyed item (SUBJECT, REF, Classified By...) runs on past a blank line, the preamble is
    over: what follows is the text, keys or not."""
    cuts = {0, *(m.start() for m in KEY.finditer(preamble))}
    for m in LONE_KEY.finditer(preamble):
        before = preamble[: m.start()]
        if not before or re.search(rf"(?:{GAP}|\n|\d|SIPDIS|NOFORN|SENSITIVE)$", before, re.I):
            cuts.add(m.start())
    cuts_sorted = sorted(cuts)
    items = [
        preamble[a:b] for a, b in zip(cuts_sorted, [*cuts_sorted[1:], len(preamble)], strict=True)
    ]
    lines: list[str] = []
    for n, item in enumerate(items):
        lone = None if KEY.match(item) else LONE_KEY.match(item)
        if lone:
            lines.append(lone.group(0).upper())
            item = item[lone.end() :]
        key = KEY.match(item)
        name = _key_name(key.group(0)) if key else ""
        pieces = _split_item(item, name)
        pieces = [HYPHEN_WRAP.sub("-\n", p) for p in pieces]
        if mangled and name in ("SUBJECT", "TAGS"):
            pieces = [p.upper() for p in pieces]
        content = [i for i, p in enumerate(pieces) if not PAGE_LINE.match(p)]
        if name and len(content) > 1:
            lines += pieces[: content[1]]
            spill = "  ".join([*pieces[content[1] :], *(i.strip() for i in items[n + 1 :])])
            return lines, f"  {spill}"
        lines += pieces
    return lines, ""


def _key_name(key: str) -> str:
    key = key.upper().replace("(U)", "").strip()
    for name in ("SUBJ", "CLASSIFIED", "REF", "TAGS"):
        if key.startswith(name):
            return {"SUBJ": "SUBJECT", "CLASSIFIED": "CLASSIFIED BY"}.get(name, name)
    return "E.O."


def _split_item(item: str, name: str) -> list[str]:
    """One preamble item cut at its blank lines (gaps) into lines, but for the gaps that are
    in-line: after a colon, before a REF letter (a new line), inside the reasons of a
    Classified By line."""
    pieces: list[str] = []
    for chunk in item.split("\n"):
        parts = re.split(f"({GAP})", chunk)
        current = parts[0]
        for j in range(1, len(parts), 2):
            gap, after = parts[j], parts[j + 1]
            if not after.strip() or not current.strip() or current.rstrip().endswith(":"):
                current += gap + after
            elif name == "REF" and REF_LETTER.match(after):
                current += "\n" + after
            elif name == "CLASSIFIED BY" and (
                REASONS_GOING_ON.match(after) or not current.rstrip().endswith((".", ")"))
            ):
                current += " " + after
            elif name == "SUBJECT" and _subject_goes_on(current, gap, after):
                current += gap + after
            else:
                pieces.append(current)
                current = after
        pieces.append(current)
    return [p.strip() for p in pieces if p.strip()]


def _subject_goes_on(subject: str, gap: str, after: str) -> bool:
    """A gap inside a SUBJECT line that is no blank line: after its marking ('SUBJECT: (C)
    REQUEST...'), after a word that can't end it ('...RESPONSE TO  INDIAN NUCLEAR
    CHALLENGE', 'IRAN/IRAQ WAR;  SITUATION IN TEHRAN'), before more of it in capitals (a
    wrapped line whose newline was deleted after a trailing space), or the indent of its next
    line ('IRAN-SOVIET -         TIES')."""
    text = re.sub(r"^\S+\s*:?", "", subject.strip(), count=1).strip()
    if not text or re.fullmatch(MARK, text):
        return True
    last = text.rsplit(None, 1)[-1].upper()
    if last[-1:] in ",;-/&(" or last in DANGLING:
        return True
    following = after.split("  ")[0].strip()
    if not following.isupper() or len(following) > 70 or following.endswith((".", ":")):
        return False
    return len(gap) >= 3 or len(following.split()) >= 2


def _rebuild_body(text: str, mangled: bool = False) -> str:
    # A ¶ after a sentence's end or a blank line starts a paragraph; after an unfinished
    # sentence only a line (the WikiLeaks export put a ¶ before any number that began a
    # wrapped line: "on June ¶30."). A numbered paragraph starts after a blank line (gap), or
    # after a sentence's end when it carries a portion marking.
    text = re.sub(rf"(?:(?<=[.!?:;\"”’)\]])|{GAP})\s*¶", "\n\n¶", text)
    text = re.sub(r"[ \t]*(?<!\n)¶", "\n¶", text)
    text = re.sub(rf"{GAP}(?={PARA})", "\n\n", text)
    text = re.sub(rf"(?<=[.!?\"”)])[ \t](?=\d{{1,3}}\.\s*{SINGLE_MARK})", "\n\n", text)
    text = re.sub(rf"(?<=[^\d\s¶.])(?=\d{{1,3}}\.\s*{SINGLE_MARK})", "\n\n", text)
    # A "-" line between paragraphs ('ENTIRE TEXT. - 2.  SUMMARY').
    text = re.sub(rf"(?<=[.!?\"”)])[ \t]+-[ \t]+(?={PARA})", "\n-\n", text)
    # A word broken at a line's end: 'HEADQUAR- TERS' (the parser joins it back).
    text = HYPHEN_WRAP.sub("-\n", text)
    # Newlines deleted: a sentence end glued to the next sentence, heading or signer.
    text = re.sub(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])|(?<=[a-z][.!?][\"”’)])(?=[A-Z])", "\n", text)
    # List items after a blank line; "--" bullets after a sentence's end.
    text = re.sub(
        rf"(?<!\d\.)(?<!\)){GAP}(?=(?:-{{1,2}}|o|\*|•)\s|[A-Z]\.\s|\([a-z0-9]{{1,2}}\)\s)",
        "\n",
        text,
    )
    text = re.sub(r"(?<=[.:;!?\"”)])[ \t]+(?=--\s)", "\n", text)
    text = _next_paragraph_in_line(text)
    text = _dashed_headings(text)
    text = _plain_headings(text)
    text = _signer(text, mangled)
    return text


def _next_paragraph_in_line(text: str) -> str:
    """'...Composite Dialogue. 44. Pakistan Foreign Minister': a paragraph that started on the
    next line without a blank line between. Only the number that comes next is taken."""
    out, pos, last = [], 0, 0
    for m in INLINE_NUMBER.finditer(text):
        if m["start"] is not None:
            last = int(m["number"])
            continue
        if int(m["number"]) == last + 1:
            out.append(text[pos : m.start()] + "\n")
            pos = m.start("number")
            last += 1
    out.append(text[pos:])
    return "".join(out)


def _dashed_headings(text: str) -> str:
    """'Title ------' (underlined) and '------ Title ------' (boxed) on lines of their own."""
    out, pos = [], 0
    runs = list(DASH_RUN.finditer(text))
    i = 0
    while i < len(runs):
        run = runs[i]
        dashes = run.group(0).replace(" ", "")
        left = text[pos : run.start()]
        cut = max([left.rfind("\n"), *(m.end() - 1 for m in re.finditer(GAP, left))])
        title = left[cut + 1 :].strip()
        nxt = runs[i + 1] if i + 1 < len(runs) else None
        between = text[run.end() : nxt.start()].strip() if nxt else ""
        if title and len(title) <= 80 and not title.endswith((".", ",", ";")):
            out.append(f"{left[: cut + 1].rstrip()}\n\n{title}\n{dashes}\n\n")
        elif nxt and not title and 0 < len(between) <= 80 and "\n" not in between:
            closing = nxt.group(0).replace(" ", "")
            out.append(f"{left.rstrip()}\n\n{dashes}\n{between}\n{closing}\n\n")
            pos = nxt.end()
            i += 2
            continue
        else:
            out.append(f"{left.rstrip()}\n\n{dashes}\n\n")
        pos = run.end()
        i += 1
    out.append(text[pos:])
    return "".join(out)


def _plain_headings(text: str) -> str:
    """A short line without end punctuation, after a sentence's end and before a paragraph,
    between blank lines: 'END SUMMARY.  Background  2. (C) ...'."""
    lines = text.split("\n")
    for i, line in enumerate(lines[:-2]):
        if lines[i + 1].strip() or not PARA_LINE.match(lines[i + 2]):
            continue
        gaps = list(re.finditer(GAP, line))
        if gaps:
            before, title = line[: gaps[-1].start()], line[gaps[-1].end() :]
        elif i > 0 and lines[i - 1].strip():
            before, title = lines[i - 1], line
        else:
            continue
        title = title.strip()
        words = title.split()
        if (
            not words
            or len(title) > 70
            or len(words) > 10
            or not title[:1].isupper()
            or title.endswith((".", ",", ";", ":"))
            or words[0].upper() in ("END", "BEGIN")
            or not before.rstrip().endswith((".", "!", "?", '"', "”", ")", ":"))
        ):
            continue
        lines[i] = f"{before}\n\n{title}" if gaps else f"\n{title}"
    return "\n".join(lines)


def _signer(text: str, mangled: bool) -> str:
    """The signer's name (or the NNNN end mark), at the very end, on a line of its own:
    'END COMMENT.   NEGROPONTE', '...unrealistic.DERSE', '...King of Bhutan MULFORD',
    '...decisions.   Negroponte'."""
    upper = r"[A-Z][A-Z'-]{2,}(?: [A-Z][A-Z'-]{2,}){0,2}"
    capitalised = r"[A-Z][a-z'-]+(?:[- ][A-Z][a-z'-]+)?"
    sentence_end = r"(?<=[.!?)\"'”’\]/*])"
    m = (
        re.search(rf"(?:{sentence_end}[ \t]*|{GAP}|\n|(?<=[a-z]) ?)(?P<name>{upper})\s*$", text)
        if not mangled
        else None
    ) or re.search(rf"(?:{sentence_end}[ \t]+|{GAP}|\n)(?P<name>{capitalised})\s*$", text)
    if not m:
        return text
    words = m["name"].split()
    stops = [i for i, w in enumerate(words) if w.upper() in NOT_NAMES | {"END", "BEGIN"}]
    if words[-1] != "NNNN" and stops:
        if stops[-1] == len(words) - 1 or words[0].upper() in ("END", "BEGIN"):
            return text
        words = words[stops[-1] + 1 :]
    name = " ".join(words)
    start = text.rstrip().rfind(name)
    name = name.upper() if mangled else name
    return f"{text[:start].rstrip()}\n\n{name}\n"


# --- The routing header ----------------------------------------------------------------------

HEADER_BREAKS = [
    r"(?<=^VZCZC[A-Z]{3}\d{4}) ?",  # VZCZCXYZ0015 | PP RUEHWEB
    r" ?(?=\bDE R[A-Z]{3,6} #)|(?<=[A-Z])(?=DE R[A-Z]{3,6} #)",  # RUEHWEB | DE RUEHAK #4688
    r" ?(?=ZN[YR] [A-Z]{5} )",  # 2231453 | ZNY CCCCC ZZH
    r"(?<=ZZH) ?(?=[A-Z]{1,2} \d{6}Z [A-Z]{3} \d{2})",  # ZZH | P 111453Z AUG 06
    r"(?<=\d{6}Z [A-Z]{3} \d{2}) ?(?=FM )",  # AUG 06 | FM AMEMBASSY ANKARA
]
RECIPIENT_START = re.compile(
    r"(?<=[A-Z0-9)])(?=R[A-Z]{3,6}/)|(?<=[A-Z0-9)])(?=(?:AMEMBASSY|AMCONSUL|USMISSION|SECSTATE)\b)"
)


def rebuild_header(header: str) -> str:
    """A routing header whose newlines were deleted, cut back into its lines."""
    text = header
    for pattern in HEADER_BREAKS:
        text = re.sub(pattern, "\n", text, flags=re.M)
    # TO and INFO glued to the line before: only the first of each after FM.
    fm = re.search(r"^FM ", text, re.M)
    if fm:
        head, tail = text[: fm.start()], text[fm.start() :]
        tail = re.sub(r"\s*\bTO (?=\S)|(?<=[A-Z])TO (?=\S)", "\nTO ", tail, count=1)
        tail = re.sub(r"(?<=\S)INFO (?=\S)|\s+INFO (?=\S)", "\nINFO ", tail, count=1)
        lines = []
        for line in tail.split("\n"):
            if line.startswith(("TO ", "INFO ")):
                lines.extend(RECIPIENT_START.sub("\n", line).split("\n"))
            else:
                lines.append(line)
        text = head + "\n".join(lines)
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())
