"""Time full-text searches on /cables/ against an archive that is already imported.

    scripts/with-postgres.sh sh -c '.venv/bin/python manage.py migrate && \\
        .venv/bin/python manage.py import_cables ../shared/corpus; \\
        .venv/bin/python benchmarks/search.py'

Imports nothing itself: it searches the database named by DATABASE_URL (PostgreSQL, or
SQLite). 50 varied queries (single words, phrases, rare and common terms, OR, exclusion,
with and without facets, one reference id) go through the real view (Django's test client
against /cables/?q=..., middleware and template rendering included, no network). After one
warm-up pass, each query is timed ``--runs`` times and its median kept; the script prints
the median and 95th percentile of those 50 times, the slowest queries and the number of
SQL queries per page.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from machine import cpu_reference_ms  # noqa: E402 - benchmarks/, the script's folder

# (search, other parameters): 50 searches of every kind a reader types.
QUERIES: list[tuple[str, dict[str, str]]] = [
    # single common words (in thousands of cables)
    ("government", {}),
    ("president", {}),
    ("minister", {}),
    ("security", {}),
    ("economic", {}),
    ("elections", {}),
    ("military", {}),
    ("embassy", {}),
    # single rarer words
    ("uranium", {}),
    ("Nazarbayev", {}),
    ("Chavez", {}),
    ("hezbollah", {}),
    ("piracy", {}),
    ("corruption", {}),
    ("smuggling", {}),
    ("earthquake", {}),
    ("guantanamo", {}),
    ("zzyzzx", {}),
    # several words (all must match)
    ("nuclear weapons", {}),
    ("human rights activists", {}),
    ("oil gas pipeline", {}),
    ("prime minister visit", {}),
    ("drug trafficking cartel", {}),
    ("free trade agreement", {}),
    # exact phrases
    ('"human rights"', {}),
    ('"prime minister"', {}),
    ('"free trade agreement"', {}),
    ('"end summary"', {}),
    ('"state department"', {}),
    ('"war on terror"', {}),
    # OR and exclusion
    ("oil OR gas", {}),
    ("iran OR syria", {}),
    ("terrorism -iraq", {}),
    ("election -fraud", {}),
    ('"human rights" -china', {}),
    ("army OR navy -budget", {}),
    # with facets
    ("government", {"tag": "PREL"}),
    ("security", {"classification": "SECRET"}),
    ("elections", {"year": "2009"}),
    ("corruption", {"origin": "Embassy Tegucigalpa"}),
    ('"human rights"', {"tag": "PHUM", "year": "2004"}),
    ("oil", {"tag": "ECON", "classification": "CONFIDENTIAL"}),
    ("minister", {"year": "2004", "month": "5"}),
    ("terrorism", {"tag": "PTER", "year": "2003"}),
    ("visit", {"date_from": "2008-01-01", "date_to": "2008-12-31"}),
    # other orders and later pages
    ("government", {"sort": "newest"}),
    ("nuclear", {"sort": "oldest"}),
    ("security", {"page": "3"}),
    # a reference id typed alone (redirects) and a hopeless query
    ("05ALMATY13", {}),
    ("'; DROP TABLE cables_cable; --", {}),
]


def setup_django() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-search")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # Each search counted afresh, every run: what is measured is the work, not the cache of
    # a selection's facet counts (which makes the next page of a search cheap).
    settings.ARCHIVE_SELECTION_CACHE = False
    # Static file URLs without a collectstatic manifest (they are not what is measured).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return connection.vendor


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile, interpolated between the two nearest ranks."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query (median)")
    parser.add_argument("--slowest", type=int, default=8, help="how many slowest to list")
    parser.add_argument(
        "--facet-index",
        choices=("on", "off"),
        default="on",
        help="count facets from the facet index (on, as served) or in SQL (off)",
    )
    args = parser.parse_args()

    vendor = setup_django()
    from django.conf import settings

    from cables import facet_index

    settings.ARCHIVE_FACET_INDEX = args.facet_index == "on"
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cables.models import Cable, Paragraph

    cables, paragraphs = Cable.objects.count(), Paragraph.objects.count()
    if not cables:
        print("The archive is empty: import the corpus first (see the docstring).")
        return 1
    client = Client()
    urls = [f"/cables/?{urlencode({'q': q, **params})}" for q, params in QUERIES]
    index_note = "off: facets counted in SQL"
    if settings.ARCHIVE_FACET_INDEX:
        # Built once per version of the archive (the server builds it in a thread at its
        # first list page, and counts in SQL meanwhile): built here first, and timed.
        start = time.perf_counter()
        index = facet_index.build()
        index_note = (
            f"on, built in {(time.perf_counter() - start) * 1000:.0f} ms before the runs"
            f" ({index.cables:,} cables, {len(index.tags.rows):,} tag and"
            f" {len(index.people.rows):,} person links)"
        )

    for url in urls:  # warm-up: caches, connections, compiled templates
        response = client.get(url)
        if response.status_code not in (200, 302):
            print(f"{url}: HTTP {response.status_code}")
            return 1

    timings: dict[str, list[float]] = {url: [] for url in urls}
    for _ in range(args.runs):
        for url in urls:
            start = time.perf_counter()
            client.get(url)
            timings[url].append((time.perf_counter() - start) * 1000)
    per_query = {url: statistics.median(times) for url, times in timings.items()}

    details = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        details[url] = (response.status_code, len(queries))

    # Context for the figures: the same page without a search, and this CPU's speed now
    # (shared machines vary by a third from one hour to the next).
    browse = []
    for _ in range(args.runs):
        start = time.perf_counter()
        client.get("/cables/")
        browse.append((time.perf_counter() - start) * 1000)
    cpu = cpu_reference_ms()

    values = list(per_query.values())
    print(f"Search benchmark on {vendor}: {cables:,} cables, {paragraphs:,} paragraphs")
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(f"{len(urls)} queries, median of {args.runs} timed runs each, after one warm-up pass")
    print(f"Facet index: {index_note}")
    print(f"  median {statistics.median(values):7.1f} ms")
    print(f"  p95    {percentile(values, 0.95):7.1f} ms")
    print(f"  max    {max(values):7.1f} ms")
    print(f"  (/cables/ without a search: {statistics.median(browse):.1f} ms;")
    print(f"   CPU reference, 3 million multiply-adds in Python: {cpu:.0f} ms)")
    print(f"Slowest {args.slowest}:")
    for url in sorted(per_query, key=per_query.get, reverse=True)[: args.slowest]:
        status, count = details[url]
        print(f"  {per_query[url]:7.1f} ms  {count:2d} SQL queries  HTTP {status}  {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
