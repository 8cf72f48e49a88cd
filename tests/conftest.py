"""Shared fixtures: paths to the real fixture files, and the five seed cables imported."""

from pathlib import Path

import pytest

from cables.parser import ParsedCable, parse_cable
from cables.readers import read_bytes

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = FIXTURES / "seeds"

# The five seed cables, by the id each must be stored under.
SEED_FILES = {
    "06ALMATY2803": SEEDS / "000_c2cf8323adc86661.txt",
    "06ALMATY3273": SEEDS / "001_86e812920a6c1a92.txt",
    "06ALMATY2404": SEEDS / "002_81c539a1db6aed6e.txt",
    "05ALMATY956": SEEDS / "003_9624251994f520fd.txt",
    "05ALMATY538": SEEDS / "004_d02a515e59e08433.txt",
}


def parse_file(path: Path) -> ParsedCable:
    """Read and parse a one-cable file the way the importer does."""
    (record,) = list(read_bytes(path.read_bytes(), str(path)))
    return parse_cable(record.text, record.hints)


@pytest.fixture
def seed_dir() -> Path:
    return SEEDS


@pytest.fixture
def imported_seeds(db):
    """The five seed cables, imported through the real importer."""
    from cables.importer import import_paths

    report = import_paths([SEEDS])
    assert report.failures == [], report.failures
    assert report.new == 5
    return report
