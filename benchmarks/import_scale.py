"""Import a cables.csv file into an empty database, then again, and print how fast it went.

    scripts/with-postgres.sh .venv/bin/python benchmarks/import_scale.py --cables 20000
    scripts/with-postgres.sh .venv/bin/python benchmarks/import_scale.py --file big.csv

With ``--cables N`` the file is made first by ``benchmarks/make_corpus.py`` (real cables
re-identified, deterministic per ``--seed``); with ``--file`` an existing cables.csv-format
file is used. The database (``DATABASE_URL``, PostgreSQL or SQLite) is emptied first. Prints,
for the first import and the re-import (nothing changed): wall time, cables per second, the
peak resident memory of the import process (its workers apart, each printed too), and the
rows stored.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def descendants_rss(root: int) -> dict[int, int]:
    """Resident memory (KiB) of every process below ``root`` (Linux /proc): the parse
    workers are the forkserver's children, not the import process's, so its rusage of
    children never sees them."""
    parents, rss = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            status = (entry / "status").read_text()
        except OSError:
            continue  # gone meanwhile
        parents[int(entry.name)] = int(fields[1])
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[int(entry.name)] = int(line.split()[1])
    below, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - below
        below |= frontier
    return {pid: rss.get(pid, 0) for pid in below}


def run_import(path: Path, workers: int) -> tuple[float, str, int, int]:
    """One ``import_cables`` run in its own process: seconds, summary line, peak RSS of the
    process and of its largest worker (KiB; sampled every half second)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            # Peak RSS of the import process itself, printed last (ru_maxrss of RUSAGE_SELF).
            "import os, resource, sys\n"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'archive_site.settings')\n"
            "import django; django.setup()\n"
            "from django.core.management import call_command\n"
            f"call_command('import_cables', {str(path)!r}, workers={workers}, verbosity=1)\n"
            "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    worker_peak = 0
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        pumps = [
            threading.Thread(target=shutil.copyfileobj, args=(process.stdout, out), daemon=True),
            threading.Thread(target=shutil.copyfileobj, args=(process.stderr, err), daemon=True),
        ]
        for pump in pumps:
            pump.start()
        while process.poll() is None:
            worker_peak = max([worker_peak, *descendants_rss(process.pid).values()])
            time.sleep(0.5)
        for pump in pumps:
            pump.join()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    seconds = time.perf_counter() - started
    if process.returncode:
        sys.exit(f"import failed:\n{stderr[-3000:]}")
    lines = stdout.splitlines()
    summary = next((line for line in lines if line.startswith("Imported:")), "?")
    peak = next(line for line in lines if line.startswith("PEAK"))
    return seconds, summary, int(peak.split()[1]), worker_peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--cables", type=int, help="make a file of this many cables first")
    source.add_argument("--file", type=Path, help="an existing cables.csv-format file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "import-scale")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/scale.sqlite3"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    path = args.file
    if args.cables:
        path = Path(tempfile.mkdtemp()) / f"cables-{args.cables}.csv"
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "benchmarks/make_corpus.py"),
                "--cables",
                str(args.cables),
                "--seed",
                str(args.seed),
                "--out",
                str(path),
            ],
            check=True,
        )
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    size = path.stat().st_size

    print(f"Import benchmark on {connection.vendor}: {path.name}, {size / 1e6:,.0f} MB")
    print(f"Machine: {os.uname().machine}, {os.cpu_count()} CPUs; {args.workers} parse workers")
    from cables.models import Cable, Mention, Paragraph, Person, Reference

    for label in ("first import (empty database)", "re-import (nothing changed)"):
        seconds, summary, own, children = run_import(path, args.workers)
        count = Cable.objects.count()
        print(f"{label}:")
        print(f"  {summary}")
        print(f"  {seconds:,.1f} s, {count / seconds:,.0f} cables/s")
        print(
            f"  peak memory: import process {own / 1024:,.0f} MB, largest worker {children / 1024:,.0f} MB"
        )
    print(
        f"Stored: {Cable.objects.count():,} cables, {Paragraph.objects.count():,} paragraphs, "
        f"{Reference.objects.count():,} references, {Person.objects.count():,} people, "
        f"{Mention.objects.count():,} mentions"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
