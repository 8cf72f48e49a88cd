"""The 50 searches of ``benchmarks/search.py``, served by two or more checkouts of the
code at once, their requests interleaved: a fair comparison on a machine whose speed
changes from one minute to the next.

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/compare_search.py \\
        OLD_CHECKOUT NEW_CHECKOUT [--runs 3]

    git worktree add /tmp/before <commit>     # a checkout of the code to compare with

Each checkout is served by gunicorn (one sync worker, production settings, the selection
cache off: every search counted afresh) on a port of its own, all on the database that
DATABASE_URL names (migrated for the newest checkout). After a warm-up pass, each search is
fetched ``--runs`` times from each server in turn, one request at a time; printed per
checkout: median and 95th percentile of the 50 searches' median times (wall time over
loopback, as ``search.py``'s are in-process), and the slowest searches. A checkout's
static files are read from its own ``staticfiles/`` (``manage.py collectstatic``), or
from this checkout's when it has none.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import ROOT, free_port, get, server_env, serving  # noqa: E402
from search import QUERIES, percentile  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+", type=Path, help="folders of the code to serve")
    parser.add_argument("--runs", type=int, default=3, help="timed fetches of each search (3)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("benchmarks/compare_search.py: DATABASE_URL must name a PostgreSQL database")
    env = server_env()
    env["CABLES_SELECTION_CACHE"] = "0"
    urls = [f"/cables/?{urlencode({'q': q, **params})}" for q, params in QUERIES]
    times: dict[Path, dict[str, list[float]]] = {}
    with ExitStack() as stack:
        ports = {}
        for checkout in args.checkouts:
            checkout = checkout.resolve()
            static = checkout / "staticfiles"
            if not static.exists() and (ROOT / "staticfiles").exists():
                static.symlink_to(ROOT / "staticfiles")
            ports[checkout] = port = free_port()
            stack.enter_context(serving(port, 1, env, "compare_search.py", checkout))
            times[checkout] = {url: [] for url in urls}
        for checkout, port in ports.items():  # warm-up
            for url in urls:
                status, _ = get(port, url, 120)
                if status not in (200, 302):
                    sys.exit(f"{checkout}: {url} answered {status}")
        for _ in range(args.runs):
            for url in urls:
                for checkout, port in ports.items():
                    start = time.perf_counter()
                    get(port, url, 120)
                    times[checkout][url].append((time.perf_counter() - start) * 1000)
    for checkout, per_url in times.items():
        medians = {url: statistics.median(values) for url, values in per_url.items()}
        values = list(medians.values())
        print(
            f"{checkout}: median {statistics.median(values):.1f} ms, "
            f"p95 {percentile(values, 0.95):.1f} ms, max {max(values):.1f} ms"
        )
        for url in sorted(medians, key=medians.get, reverse=True)[:4]:
            print(f"    {medians[url]:7.1f} ms  {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
