"""A bounded load on loopback: gunicorn serving the archive from PostgreSQL, N concurrent
clients for D seconds over a mix of browse, search and cable pages.

    scripts/with-postgres.sh .venv/bin/python benchmarks/load.py [--corpus PATH] \\
        [--clients 50] [--duration 60] [--workers 4]

(``make load LOAD_ARGS="--corpus PATH"`` does the same.) The database is the one named by
DATABASE_URL (PostgreSQL; ``--any-database`` lets SQLite through). It is migrated, and when it
holds no cable, ``--corpus`` (default: the five seed cables) is imported first. Then gunicorn
starts on a free loopback port (production settings: DEBUG off, static files collected), every URL of the mix is
fetched once (each must answer 200), and the clients run: each a thread with its own
``http.client`` connection per request (gunicorn's sync workers close every connection),
picking pages at random (fixed seed) and reading every answer whole, until the time is up.

Printed: requests and requests per second, latency percentiles (p50, p90, p99, max), per kind
of page and overall, and errors by status (a status other than 200, or a failed connection or
timeout). Exits 1 when there was any error. The pure-Python client needs no system package;
on 2 cores it shares them with gunicorn and PostgreSQL, so its figures are a floor.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# Searches a reader types (words, phrases, OR, exclusions), each found in the seeds too.
SEARCHES = [
    "government",
    "democracy",
    "Nazarbayev",
    "elections",
    "president visit",
    "human rights",
    '"democratic reform"',
    '"human rights"',
    "oil OR gas",
    "opposition -party",
    "ambassador meeting",
    "OSCE chairmanship",
    "media law",
    "corruption",
    "parliament",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument(
        "--workers",
        type=int,
        default=max(2, 2 * (os.cpu_count() or 1)),
        help="gunicorn sync workers (default 2 per core: 4 on 2 cores)",
    )
    parser.add_argument(
        "--corpus",
        action="append",
        default=[],
        help="imported when the database holds no cable (repeatable; default fixtures/seeds)",
    )
    parser.add_argument("--timeout", type=float, default=30, help="seconds per request (30)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the mix (7)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument(
        "--any-database", action="store_true", help="allow a DATABASE_URL other than PostgreSQL"
    )
    return parser.parse_args()


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DJANGO_DEBUG", None)
    env.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(40))
    env["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    env["DJANGO_LOG_LEVEL"] = "WARNING"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def manage(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare_database(corpus: list[str], env: dict[str, str]) -> int:
    """Migrate; import the corpus when there is no cable. Returns the number of cables."""
    manage("migrate", "--noinput", "-v", "0", env=env)
    # Production settings serve static files from the manifest collectstatic writes.
    manage("collectstatic", "--noinput", "-v", "0", env=env)
    count_code = "from cables.models import Cable; print(Cable.objects.count())"
    count = int(manage("shell", "-c", count_code, env=env).strip().splitlines()[-1])
    if count == 0:
        paths = corpus or [str(ROOT / "fixtures" / "seeds")]
        print(f"Importing {' '.join(paths)} ...", flush=True)
        started = time.monotonic()
        out = manage("import_cables", *paths, env=env)
        print(f"  {out.strip().splitlines()[-1]} ({time.monotonic() - started:.0f} s)")
        count = int(manage("shell", "-c", count_code, env=env).strip().splitlines()[-1])
    return count


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Connection": "close", "User-Agent": "load.py"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def start_gunicorn(
    port: int, workers: int, env: dict[str, str], log, root: Path = ROOT
) -> subprocess.Popen:
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "archive_site.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "120",
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(
        command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            if get(port, "/", 5)[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop(process)
    raise RuntimeError("gunicorn did not answer 200 on / within 60 s")


@contextmanager
def serving(
    port: int, workers: int, env: dict[str, str], script: str, root: Path = ROOT
) -> Iterator:
    """Gunicorn serving on ``port`` for the block (stopped after it; the script exits with
    the end of gunicorn's log when it cannot start); yields the log file. ``root``: the
    checkout whose code it serves."""
    with tempfile.NamedTemporaryFile("w+", prefix="gunicorn-", suffix=".log") as log:
        try:
            process = start_gunicorn(port, workers, env, log, root)
        except RuntimeError as exc:
            log.seek(0)
            sys.exit(f"{script}: {exc}\n{log.read()[-3000:]}")
        try:
            yield log
        finally:
            stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def build_mix(port: int, rng: random.Random) -> dict[str, list[str]]:
    """The URLs of each kind, from what the archive holds (its own JSON)."""
    status, body = get(port, "/cables.json", 60)
    if status != 200:
        raise RuntimeError(f"/cables.json answered {status}")
    listing = json.loads(body)
    facets = listing["facets"]

    def values(name: str, limit: int = 10) -> list[str]:
        return [str(row["value"]) for row in facets.get(name, [])][:limit]

    browse = ["/", "/cables/", "/cables/?sort=oldest", "/tags/", "/origins/", "/people/"]
    browse += [f"/cables/?tag={quote(v, safe='')}" for v in values("tag")]
    browse += [f"/cables/?classification={quote(v, safe='')}" for v in values("classification")]
    browse += [f"/cables/?year={v}" for v in values("year")]
    browse += [f"/cables/?origin={quote(v, safe='')}" for v in values("origin", 5)]
    tags, years = values("tag", 3), values("year", 3)
    browse += [f"/cables/?tag={quote(t, safe='')}&year={y}" for t in tags for y in years]
    browse += [f"/tags/{quote(v, safe='')}/" for v in values("tag", 5)]
    if listing["count"] > 50:
        browse.append("/cables/?page=2")
    people = json.loads(get(port, "/people.json", 60)[1])
    browse += [f"/people/{row['slug']}/" for row in people.get("results", [])[:5]]

    search = [f"/cables/?{urlencode({'q': q})}" for q in SEARCHES]
    search += [f"/cables/?{urlencode({'q': q, 'sort': 'newest'})}" for q in SEARCHES[:3]]
    if tags:
        search += [f"/cables/?{urlencode({'q': q, 'tag': tags[0]})}" for q in SEARCHES[:3]]

    # Cable pages: up to 200 ids drawn from the first pages of the list, newest and oldest.
    ids: list[str] = []
    for order in ("newest", "oldest"):
        for page in (1, 2, 3):
            status, body = get(port, f"/cables.json?sort={order}&page={page}", 60)
            if status != 200:
                break
            ids += [row["id"] for row in json.loads(body)["results"]]
    ids = sorted(set(ids))
    rng.shuffle(ids)
    cable = [f"/cables/{i}/" for i in ids[:200]]
    cable += [f"/cables/{i}/?{urlencode({'q': 'government'})}" for i in ids[:10]]
    return {"browse": browse, "search": search, "cable": cable}


# Share of each kind in the mix.
WEIGHTS = {"browse": 0.4, "search": 0.3, "cable": 0.3}


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


def run_load(
    port: int,
    mix: dict[str, list[str]],
    clients: int,
    duration: float,
    timeout: float,
    seed: int,
    shares: dict[str, float] | None = None,
):
    """``clients`` threads fetching pages of ``mix`` for ``duration`` seconds, each kind in
    its share of the requests (``shares``, default ``WEIGHTS``)."""
    shares = shares or WEIGHTS
    kinds = list(shares)
    weights = [shares[k] for k in kinds]
    records: list[tuple[str, float, str, str]] = []  # (kind, seconds, outcome, path)
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1)
    deadline_box: list[float] = []

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        mine = []
        start_gate.wait()
        deadline = deadline_box[0]
        while time.monotonic() < deadline:
            kind = rng.choices(kinds, weights)[0]
            path = rng.choice(mix[kind])
            began = time.perf_counter()
            try:
                status, _ = get(port, path, timeout)
                outcome = str(status)
            except (OSError, http.client.HTTPException) as exc:
                outcome = f"ERR {type(exc).__name__}"
            mine.append((kind, time.perf_counter() - began, outcome, path))
        with lock:
            records.extend(mine)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    deadline_box.append(began + duration)
    start_gate.wait()
    for thread in threads:
        thread.join()
    return records, time.monotonic() - began


def summarise(records, elapsed: float) -> dict:
    def figures(rows) -> dict:
        times = sorted(r[1] * 1000 for r in rows)
        return {
            "requests": len(rows),
            "rps": len(rows) / elapsed,
            "p50_ms": percentile(times, 50),
            "p90_ms": percentile(times, 90),
            "p99_ms": percentile(times, 99),
            "max_ms": times[-1] if times else float("nan"),
            "mean_ms": statistics.fmean(times) if times else float("nan"),
        }

    by_kind = defaultdict(list)
    for row in records:
        by_kind[row[0]].append(row)
    by_path = defaultdict(list)
    for row in records:
        by_path[row[3]].append(row[1] * 1000)
    slowest = sorted(
        ((statistics.median(times), len(times), path) for path, times in by_path.items()),
        reverse=True,
    )[:5]
    outcomes = Counter(r[2] for r in records)
    errors = {k: v for k, v in outcomes.items() if k != "200"}
    return {
        "elapsed_s": elapsed,
        "all": figures(records),
        "kinds": {kind: figures(rows) for kind, rows in sorted(by_kind.items())},
        "statuses": dict(sorted(outcomes.items())),
        "errors": sum(errors.values()),
        "errors_by_status": dict(sorted(errors.items())),
        "slowest_pages": [
            {"path": path, "median_ms": median, "requests": n} for median, n, path in slowest
        ],
    }


def main() -> int:
    args = parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")) and not args.any_database:
        sys.exit(
            "benchmarks/load.py: DATABASE_URL must name a PostgreSQL database; run it under "
            "scripts/with-postgres.sh (or pass --any-database)"
        )
    sys.stdout.reconfigure(line_buffering=True)
    env = server_env()
    cables = prepare_database(args.corpus, env)
    port = free_port()
    with serving(port, args.workers, env, "benchmarks/load.py") as log:
        rng = random.Random(args.seed)
        mix = build_mix(port, rng)
        print(
            f"gunicorn {args.workers} sync workers on 127.0.0.1:{port}; {cables} cables; "
            f"mix: {', '.join(f'{k} {len(v)} URLs ({WEIGHTS[k]:.0%})' for k, v in mix.items())}"
        )
        # Warm-up: every URL once, each must answer 200.
        bad = []
        for path in [p for paths in mix.values() for p in paths]:
            status, _ = get(port, path, 120)
            if status != 200:
                bad.append(f"{status} {path}")
        if bad:
            print("Warm-up: not 200:\n  " + "\n  ".join(bad), file=sys.stderr)
            return 1
        print(f"Load: {args.clients} clients for {args.duration:g} s ...")
        records, elapsed = run_load(port, mix, args.clients, args.duration, args.timeout, args.seed)
        log.seek(0)
        server_log = log.read()
    result = summarise(records, elapsed)
    result.update(
        clients=args.clients,
        duration_s=args.duration,
        workers=args.workers,
        cables=cables,
        machine=f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    )

    print(f"\n{result['machine']}")
    print(
        f"{result['all']['requests']} requests in {elapsed:.1f} s: "
        f"{result['all']['rps']:.1f} requests/s; errors: {result['errors']}"
    )
    header = (
        f"{'pages':<8} {'requests':>8} {'req/s':>7} {'p50':>8} {'p90':>8} {'p99':>8} {'max':>8}"
    )
    print(header)
    for name, fig in [*result["kinds"].items(), ("all", result["all"])]:
        print(
            f"{name:<8} {fig['requests']:>8} {fig['rps']:>7.1f} {fig['p50_ms']:>6.0f}ms"
            f" {fig['p90_ms']:>6.0f}ms {fig['p99_ms']:>6.0f}ms {fig['max_ms']:>6.0f}ms"
        )
    print(f"statuses: {result['statuses']}")
    print(
        "slowest pages (median): "
        + "; ".join(f"{row['path']} {row['median_ms']:.0f}ms" for row in result["slowest_pages"])
    )
    if result["errors"]:
        print(f"ERRORS by status: {result['errors_by_status']}")
    errors_in_log = [line for line in server_log.splitlines() if "[ERROR]" in line]
    if errors_in_log:
        print("gunicorn logged errors:\n  " + "\n  ".join(errors_in_log[-10:]))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
