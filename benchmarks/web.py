"""Server time of each kind of page, and cable pages per second, with gunicorn serving the
archive already imported into the PostgreSQL database named by DATABASE_URL.

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/web.py [--runs 20] \\
        [--workers 4] [--clients 16] [--duration 30] [--json FILE]

Imports nothing: build the database first (``benchmarks/make_corpus.py`` and
``manage.py import_cables`` for the full-size release; or the shared corpus). Gunicorn starts
on a free loopback port with production settings, as ``benchmarks/load.py`` starts it.

1. Latency. The pages of each kind (below; their filters picked from what the archive
   holds: its most frequent tags, origins and years, people, cables) are fetched one at a
   time by one client, once to warm up and then ``--runs`` times each; printed per kind:
   median and 95th percentile of those times (wall time of the request on loopback: the
   server's time plus well under a millisecond of client and socket), beside the issue's
   targets (95th percentile: browse with facets 150 ms, search 250 ms, a cable page 30 ms).
   Cable, person and tag pages are cached until the next import (``cables/cache.py``):
   after the warm-up they are read from the cache. "cable page, first view" is 50 other
   cable pages fetched once each, so rendered: the time without the cache. Their rows are
   read from disk unless the operating system caches them: ``--prewarm`` reads the tables
   a cable page reads into its cache first (``pg_prewarm``), as a server that has run a
   while, with the memory for it, holds them.
2. Throughput. ``--clients`` threads fetch 200 further cable pages, at random, for
   ``--duration`` seconds (each rendered at its first request, then cached): pages per
   second, errors (target: 300 pages/s, no error). The pure-Python client shares the 2
   cores with gunicorn and PostgreSQL: the rate is a floor. ``CABLES_PAGE_CACHE=0`` in
   the environment runs it all without the page cache. List pages (browse and search)
   count their facets at every fetch, and searches their words' paragraphs with hits,
   unless ``--selection-cache`` keeps them (per selection, and per words looked for when
   they cover 5,000 cables or more), as production does; facets from each worker's facet
   index (``--facet-index on``, the default, as production does: timed once every worker
   has logged it built) or in SQL (``off``). A search for one of the archive's frequent
   words or two-word phrases reads the counts the import kept for it (``manage.py
   keep_word_counts``, part of ``import_cables``): how many are kept for the archive's
   version is printed.

Exits 1 on any page that did not answer 200.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import (  # noqa: E402 - shares gunicorn's start and the client with load.py
    free_port,
    get,
    percentile,
    run_load,
    server_env,
    serving,
    summarise,
)
from machine import cpu_reference_ms  # noqa: E402

# 95th-percentile targets, in ms, by the kind of page they apply to.
TARGETS = {"browse": 150, "search": 250, "cable": 30}

# Searches of each kind (a rare word, a common word, a phrase), from the real cables.
RARE_WORDS = ["uranium", "piracy", "earthquake", "guantanamo", "smuggling"]
COMMON_WORDS = ["government", "minister", "security", "president", "economic"]
PHRASES = ['"human rights"', '"prime minister"', '"end summary"', '"free trade"', '"oil and gas"']


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed fetches of each page (20)")
    parser.add_argument(
        "--workers",
        type=int,
        default=max(2, 2 * (os.cpu_count() or 1)),
        help="gunicorn sync workers (default 2 per core: 4 on 2 cores)",
    )
    parser.add_argument("--clients", type=int, default=16, help="throughput clients (16)")
    parser.add_argument("--duration", type=float, default=30, help="throughput seconds (30)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (7)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument(
        "--selection-cache",
        action="store_true",
        help="keep the facet counts of each list page's selection and a search's counts "
        "over 5,000 cables or more (off: each list page, fetched again, is counted again, "
        "as a first view is)",
    )
    parser.add_argument(
        "--prewarm",
        action="store_true",
        help="first read the tables a cable page reads (with their TOAST and B-tree "
        "indexes) into the operating system's cache with pg_prewarm, as a server that has "
        "run a while holds them (needs the right to CREATE EXTENSION pg_prewarm)",
    )
    parser.add_argument(
        "--facet-index",
        choices=("on", "off"),
        default="on",
        help="count list pages' facets from each worker's facet index (on, as production "
        "does; timed once every worker has built it) or in SQL (off)",
    )
    return parser.parse_args()


def wait_for_facet_indexes(log, workers: int, timeout: float = 300) -> list[str]:
    """Wait until every worker has logged its facet index built (``cables/facet_index.py``:
    each builds it in a thread as it starts): the lines logged."""
    deadline = time.monotonic() + timeout
    while True:
        log.seek(0)
        built = [line.strip() for line in log if "Facet index built" in line]
        if len(built) >= workers or time.monotonic() > deadline:
            return built
        time.sleep(0.5)


def fetch_json(port: int, path: str) -> dict:
    status, body = get(port, path, 120)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return json.loads(body)


def build_pages(port: int, rng: random.Random) -> tuple[dict[str, list[str]], int]:
    """The URLs of each kind, from the archive's own JSON (its facets, people, cables), and
    the number of cables it holds."""
    listing = fetch_json(port, "/cables.json")
    facets = listing["facets"]

    def top(name: str, n: int = 5) -> list[str]:
        return [quote(str(row["value"]), safe="") for row in facets.get(name, [])][:n]

    tags, origins, years = top("tag"), top("origin"), top("year")
    classes = top("classification", 3)
    one_filter = [f"/cables/?tag={t}" for t in tags[:2]]
    one_filter += [f"/cables/?origin={o}" for o in origins[:2]] + [f"/cables/?year={years[0]}"]
    three = [
        f"/cables/?tag={tags[i]}&year={years[i % len(years)]}&classification={classes[i % 3]}"
        for i in range(min(3, len(tags)))
    ]
    three += [f"/cables/?origin={origins[0]}&tag={tags[1]}&year={years[1]}"]

    def search(queries: list[str], **extra: str) -> list[str]:
        return [f"/cables/?{urlencode({'q': q, **extra})}" for q in queries]

    people = fetch_json(port, "/people.json")["results"]
    ids: list[str] = []
    for order in ("newest", "oldest"):
        for page in (1, 2, 3, 10):
            try:
                ids += [
                    row["id"]
                    for row in fetch_json(port, f"/cables.json?sort={order}&page={page}")["results"]
                ]
            except RuntimeError:
                break
    ids = sorted(set(ids))
    rng.shuffle(ids)
    pages = {
        "browse, all facets": ["/cables/", "/cables/?sort=oldest", "/cables/?page=2"],
        "browse, 1 filter": one_filter,
        "browse, 3 filters": three,
        "search, rare word": search(RARE_WORDS),
        "search, common word": search(COMMON_WORDS),
        "search, phrase": search(PHRASES),
        "search, with facets": search(COMMON_WORDS[:3], tag=tags[0])
        + search(RARE_WORDS[:2], year=years[0]),
        "cable page": [f"/cables/{i}/" for i in ids[:10]],
        # Pages not asked for before: rendered, not read from the page cache.
        "cable page, first view": [f"/cables/{i}/" for i in ids[10:60]],
        "person page": [f"/people/{row['slug']}/" for row in people[:5]],
        "tag page": [f"/tags/{t}/" for t in tags[:5]],
        "throughput": [f"/cables/{i}/" for i in ids[60:260]],
    }
    return pages, listing["count"]


def target_of(kind: str) -> int | None:
    if kind.startswith("browse"):
        return TARGETS["browse"]
    if kind.startswith("search"):
        return TARGETS["search"]
    if kind.startswith("cable page"):
        return TARGETS["cable"]
    return None


def time_pages(
    port: int, pages: list[str], runs: int, warm_up: bool = True
) -> tuple[list[float], list[str]]:
    """Each page once to warm up, then ``runs`` times: all the times (ms), and the pages
    that did not answer 200."""
    bad = []
    if warm_up:
        bad = [f"{status} {page}" for page in pages if (status := get(port, page, 120)[0]) != 200]
    times = []
    for _ in range(runs):
        for page in pages:
            began = time.perf_counter()
            status = get(port, page, 120)[0]
            times.append((time.perf_counter() - began) * 1000)
            if status != 200 and not warm_up:
                bad.append(f"{status} {page}")
    return sorted(times), bad


def kept_word_counts(database_url: str) -> int:
    """The frequent words and phrases whose counts are kept for the archive's version."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        (kept,) = connection.execute(
            """SELECT count(*) FROM cables_wordcounts WHERE archive_version = COALESCE(
                (SELECT version FROM cables_archivestate WHERE id = 1), 0)"""
        ).fetchone()
    return kept


# The tables a cable page reads.
CABLE_PAGE_TABLES = [
    "cables_cable",
    "cables_paragraph",
    "cables_mention",
    "cables_person",
    "cables_source",
    "cables_reference",
    "cables_cabletag",
    "cables_tag",
    "cables_recipient",
]


def prewarm(database_url: str) -> tuple[int, float]:
    """Read ``CABLE_PAGE_TABLES`` into the operating system's cache (``pg_prewarm``, mode
    ``read``): their rows, TOAST and B-tree indexes, not the search indexes. The pages
    read (8 kB each) and the seconds taken."""
    import psycopg

    began = time.perf_counter()
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        (pages,) = connection.execute(
            """
            WITH tables AS (
                SELECT oid, reltoastrelid FROM pg_class WHERE relname = ANY(%(names)s)
            ), relations AS (
                SELECT oid FROM tables
                UNION SELECT reltoastrelid FROM tables WHERE reltoastrelid <> 0
                UNION SELECT i.indexrelid FROM pg_index i
                    JOIN pg_class index ON index.oid = i.indexrelid
                    JOIN pg_am am ON am.oid = index.relam AND am.amname = 'btree'
                    WHERE i.indrelid IN (
                        SELECT oid FROM tables UNION SELECT reltoastrelid FROM tables
                    )
            )
            SELECT COALESCE(SUM(pg_prewarm(oid, 'read')), 0) FROM relations
            """,
            {"names": CABLE_PAGE_TABLES},
        ).fetchone()
    return int(pages), time.perf_counter() - began


def main() -> int:
    args = parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("benchmarks/web.py: DATABASE_URL must name the PostgreSQL database to serve")
    sys.stdout.reconfigure(line_buffering=True)
    env = server_env()
    # An empty page cache of its own: pages cached by an earlier run are not first views.
    cache_dir = tempfile.TemporaryDirectory(prefix="web-page-cache-")
    env["CABLES_PAGE_CACHE_DIR"] = cache_dir.name
    env["CABLES_SELECTION_CACHE"] = "1" if args.selection_cache else "0"
    env["CABLES_FACET_INDEX"] = "1" if args.facet_index == "on" else "0"
    env["DJANGO_LOG_LEVEL"] = "INFO"  # (the workers log their facet index built)
    prewarmed = None
    if args.prewarm:
        pages_read, seconds = prewarm(os.environ["DATABASE_URL"])
        prewarmed = {"pages": pages_read, "seconds": seconds}
        print(
            f"Prewarmed: {pages_read * 8192 / 2**30:.1f} GB of the cable page's tables, {seconds:.0f} s"
        )
    port = free_port()
    result: dict = {
        "prewarmed": prewarmed,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "workers": args.workers,
        "runs": args.runs,
        "kinds": {},
    }
    failures: list[str] = []
    with serving(port, args.workers, env, "benchmarks/web.py") as log:
        pages, result["cables"] = build_pages(port, random.Random(args.seed))
        print(
            f"{result['machine']}; gunicorn {args.workers} sync workers; "
            f"{result['cables']:,} cables; {args.runs} runs of each page"
        )
        result["facet_index"] = "off: facets counted in SQL"
        if args.facet_index == "on":
            built = wait_for_facet_indexes(log, args.workers)
            result["facet_index"] = f"built by {len(built)} of {args.workers} workers"
            for line in built:
                print(f"  {line.split(' cables.facet_index: ')[-1]}")
        print(f"Facet index: {result['facet_index']}")
        result["kept_word_counts"] = kept_word_counts(os.environ["DATABASE_URL"])
        print(f"Words and phrases with kept counts: {result['kept_word_counts']:,}\n")
        print(f"{'pages':<22} {'urls':>4} {'median':>9} {'p95':>9} {'target p95':>11}")
        for kind, urls in pages.items():
            if kind == "throughput":
                continue
            if kind.endswith("first view"):  # once each, no warm-up
                times, bad = time_pages(port, urls, 1, warm_up=False)
            else:
                times, bad = time_pages(port, urls, args.runs)
            failures += bad
            figures = {
                "urls": len(urls),
                "median_ms": statistics.median(times),
                "p95_ms": percentile(times, 95),
                "target_p95_ms": target_of(kind),
            }
            result["kinds"][kind] = figures
            target = f"{figures['target_p95_ms']} ms" if figures["target_p95_ms"] else "-"
            print(
                f"{kind:<22} {len(urls):>4} {figures['median_ms']:>7.1f}ms "
                f"{figures['p95_ms']:>7.1f}ms {target:>11}"
            )
        records, elapsed = run_load(
            port,
            {"cable": pages["throughput"]},
            args.clients,
            args.duration,
            30,
            args.seed,
            shares={"cable": 1.0},
        )
    load = summarise(records, elapsed)
    result["throughput"] = {
        "clients": args.clients,
        "duration_s": elapsed,
        "pages_per_s": load["all"]["rps"],
        "p50_ms": load["all"]["p50_ms"],
        "p99_ms": load["all"]["p99_ms"],
        "errors": load["errors"],
        "statuses": load["statuses"],
    }
    t = result["throughput"]
    print(
        f"\nCable pages under load: {args.clients} clients, {elapsed:.0f} s: "
        f"{t['pages_per_s']:.1f} pages/s (target 300), p50 {t['p50_ms']:.0f} ms, "
        f"p99 {t['p99_ms']:.0f} ms, errors {t['errors']}"
    )
    result["cpu_reference_ms"] = cpu_reference_ms()
    print(f"CPU reference, 3 million multiply-adds in Python: {result['cpu_reference_ms']:.0f} ms")
    if failures:
        print("Not 200:\n  " + "\n  ".join(failures), file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    cache_dir.cleanup()
    return 1 if failures or t["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
