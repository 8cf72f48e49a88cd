"""An import killed mid-way (SIGKILL) and run again ends in the same database as one run
that was never interrupted (issue 7).

The imports run ``manage.py import_cables`` in subprocesses, each on its own SQLite file in
tmp_path (``DATABASE_URL`` set for the subprocess, migrated there first), independent of the
test database: on the PostgreSQL run too, the test compares SQLite files. What it checks is
the importer's transactions (each batch, and each cable, whole or not at all) and its
idempotence, which do not depend on the database."""

import csv
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from .conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
ROWS = 520  # two batches: the importer stores 500 at a time

# Everything a cable is stored as, without primary keys or times of import.
DUMP = {
    "cables": "SELECT reference_id, content_hash, created, classification, level, origin, "
    "subject, body, partial FROM cables_cable ORDER BY reference_id",
    "paragraphs": "SELECT c.reference_id, p.position, p.number, p.anchor, p.text "
    "FROM cables_paragraph p JOIN cables_cable c ON c.id = p.cable_id ORDER BY 1, 2",
    "references": "SELECT c.reference_id, r.position, r.cited_id, t.reference_id "
    "FROM cables_reference r JOIN cables_cable c ON c.id = r.cable_id "
    "LEFT JOIN cables_cable t ON t.id = r.target_id ORDER BY 1, 2",
    "tags": "SELECT c.reference_id, ct.position, t.code, t.description FROM cables_cabletag ct "
    "JOIN cables_cable c ON c.id = ct.cable_id JOIN cables_tag t ON t.id = ct.tag_id "
    "ORDER BY 1, 2",
    "recipients": "SELECT c.reference_id, r.position, r.kind, r.name FROM cables_recipient r "
    "JOIN cables_cable c ON c.id = r.cable_id ORDER BY 1, 2",
    "people": "SELECT slug, name, key, scope, aliases, titles FROM cables_person ORDER BY slug",
    "mentions": "SELECT p.slug, c.reference_id, m.role, pa.position FROM cables_mention m "
    "JOIN cables_person p ON p.id = m.person_id JOIN cables_cable c ON c.id = m.cable_id "
    "LEFT JOIN cables_paragraph pa ON pa.id = m.paragraph_id ORDER BY 1, 2, 3, 4",
    "sources": "SELECT c.reference_id, s.path, s.format, s.content_hash, s.shown "
    "FROM cables_source s JOIN cables_cable c ON c.id = s.cable_id ORDER BY 1, 2",
}


def build_input(folder: Path) -> None:
    """A cables.csv of ROWS rows (the fixture's three rows over and over, each with its own
    row number and id), and the seed cables beside it."""
    dialect = {"escapechar": "\\", "doublequote": False}
    text = (FIXTURES / "corpus/csv/us-office-almaty.csv").read_text()
    rows = [row for row in csv.reader(io.StringIO(text), **dialect) if row]
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n", **dialect)
    for n in range(ROWS):
        row = list(rows[n % len(rows)])
        row[0], row[2] = str(n + 1), f"05ALMATY{10000 + n}"
        writer.writerow(row)
    folder.mkdir()
    (folder / "cables.csv").write_text(out.getvalue())
    for seed in sorted((FIXTURES / "seeds").iterdir()):
        (folder / seed.name).write_bytes(seed.read_bytes())


def environment(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DATABASE_URL=f"sqlite:///{db}", DJANGO_SECRET_KEY="test-insecure-key")
    env.pop("DJANGO_DEBUG", None)
    return env


def manage(db: Path, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment(db),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def run(db: Path, *args: str) -> str:
    process = manage(db, *args)
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err.decode()
    return out.decode()


def cable_count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=0.2) as connection:
            return connection.execute("SELECT COUNT(*) FROM cables_cable").fetchone()[0]
    except sqlite3.OperationalError:  # locked by the writer for a moment
        return -1


def dump(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as connection:
        return {name: connection.execute(sql).fetchall() for name, sql in DUMP.items()}


def test_an_import_killed_mid_way_and_run_again_ends_as_one_clean_run(tmp_path):
    folder = tmp_path / "input"
    build_input(folder)
    clean, killed = tmp_path / "clean.sqlite3", tmp_path / "killed.sqlite3"
    for db in (clean, killed):
        run(db, "migrate", "--noinput", "-v0")

    # Killed as soon as some cables are stored, and well before all are.
    process = manage(killed, "import_cables", "--workers", "1", str(folder))
    deadline = time.monotonic() + 300
    stored_at_kill = 0
    while process.poll() is None and time.monotonic() < deadline:
        stored_at_kill = cable_count(killed)
        if stored_at_kill > 0:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the import ended before it was killed"
    partway = dump(killed)
    assert 0 < len(partway["cables"]) < ROWS + 5
    # What the killed run stored is whole: every stored cable has its paragraphs and source.
    stored = {row[0] for row in partway["cables"]}
    assert {row[0] for row in partway["sources"]} == stored
    assert {row[0] for row in partway["paragraphs"]} == stored

    again = run(killed, "import_cables", "--workers", "1", str(folder))
    once = run(clean, "import_cables", "--workers", "1", str(folder))
    assert f"Imported: {ROWS + 5} new, 0 updated, 0 unchanged, 0 failed." in once
    new = ROWS + 5 - len(partway["cables"])
    assert f"Imported: {new} new, 0 updated, {len(partway['cables'])} unchanged" in again

    expected = dump(clean)
    assert len(expected["cables"]) == ROWS + 5
    result = dump(killed)
    for name in DUMP:
        assert result[name] == expected[name], name
