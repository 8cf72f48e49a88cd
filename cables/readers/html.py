"""Pages of the cablegate web site and torrent (``cable/YYYY/MM/<ID>.html``), every build.

Metadata comes from the cable table only (the navigation sidebar also links classifications
and tags): header cells Reference ID, Created, Released, Classification, Origin, or the oldest
build's four (Date instead of Created and Released). The classification link's ``title`` is
wrong on every page; its text is right. Then two ``<code><pre>`` blocks: the routing header
(or the partial-extract sentence) and the body, with newlines written ``&#x000A;``.
"""

from __future__ import annotations

import re

from cables.parser import Hints

from .base import RawRecord, ReadError, plain, unglue_cable_dated
from .text import PARTIAL_NOTICE, parse_iso

TABLE_OPEN = re.compile(r"<table class=['\"]cable['\"]>", re.I)
PAGE_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?<(?:!doctype html|html)\b", re.I)
CABLE_TABLE = re.compile(r"<table class=['\"]cable['\"]>(?P<table>.*?)</table>", re.S | re.I)
ROW = re.compile(r"<tr[^>]*>(?P<row>.*?)</tr>", re.S | re.I)
HEADER_CELL = re.compile(r"<th[^>]*>(?P<cell>.*?)</th>", re.S | re.I)
DATA_CELL = re.compile(r"<td[^>]*>(?P<cell>.*?)</td>", re.S | re.I)
PRE = re.compile(r"<pre[^>]*>(?P<pre>.*?)</pre>", re.S | re.I)
MISPLACED_ANCHOR = re.compile(r"<a id=['\"]par[A-Za-z]['\"][^>]*>¶</a>")
TITLE = re.compile(r"<h3>\s*Viewing cable\s+(?P<id>[^,<]+),\s*(?P<title>.*?)\s*</h3>", re.S | re.I)


def sniff(text: str) -> bool:
    return bool(TABLE_OPEN.search(text) or PAGE_START.match(text)) or (
        "<pre" in text and "</html>" in text.lower()
    )


def read(text: str, locator: str) -> list[RawRecord]:
    table = CABLE_TABLE.search(text)
    if not table:
        if TABLE_OPEN.search(text):
            raise ReadError("truncated HTML page: it ends inside the cable table", locator)
        if "</html>" not in text.lower():
            raise ReadError("truncated HTML page: it ends before the cable table", locator)
        raise ReadError("HTML page without a cable table: not a cablegate cable page", locator)
    rows = ROW.findall(table["table"])
    headers = [plain(c).strip().lower() for c in HEADER_CELL.findall(rows[0])] if rows else []
    values = [plain(c).strip() for c in DATA_CELL.findall(rows[1])] if len(rows) > 1 else []
    meta = dict(zip(headers, values, strict=False))
    if not meta.get("reference id"):
        raise ReadError("cable table without a Reference ID cell", locator)
    hints = Hints(
        reference_id=meta["reference id"],
        created=parse_iso(meta.get("created") or meta.get("date") or ""),
        # The site's minutes are wrong on most pages (09:09 for a cable sent at 09:27 by its
        # date-time group, which cables.csv agrees with): the routing header's time wins.
        created_has_time=False,
        classification=meta.get("classification", ""),
        origin=meta.get("origin", ""),
    )
    if hints.created and hints.created.minute == hints.created.hour % 12:
        # The site's bug: minutes printed as the hour on a 12-hour clock (14:02, 09:09).
        hints.created_precision = "hour"
        hints.created = hints.created.replace(minute=0)
    title = TITLE.search(text)
    if title:
        hints.title = " ".join(plain(title["title"]).split())
    # Paragraph-sign anchors the site put on REF letters ("<a id='parB'>¶</a>B.") are not
    # paragraphs: the letter stays, the sign goes.
    rest = MISPLACED_ANCHOR.sub("", text[table.end() :])
    if len(re.findall(r"<pre\b", rest, re.I)) > len(re.findall(r"</pre>", rest, re.I)):
        raise ReadError(
            f"{hints.reference_id}: truncated HTML page: it ends inside the cable text "
            "(a <pre> block is not closed)",
            locator,
        )
    blocks = [plain(b) for b in PRE.findall(rest)]
    if not blocks:
        raise ReadError(f"{hints.reference_id}: page has no cable text", locator)
    header, body = (blocks[0], blocks[1]) if len(blocks) > 1 else ("", blocks[0])
    _, body = unglue_cable_dated(body)
    if PARTIAL_NOTICE in header:
        hints.partial, header = True, ""
    layout = "html/cablegate" if "created" in meta else "html/cablegate-4col"
    return [RawRecord(text=f"{header}\n\n{body}", hints=hints, format=layout, locator=locator)]
