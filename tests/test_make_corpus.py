"""benchmarks/make_corpus.py: real cables re-identified into a cables.csv of any size."""

import importlib.util
import io
import re
import sys

import pytest

from cables.parser import parse_cable
from cables.readers import ReadError, read_stream

from .conftest import FIXTURES

ROOT = FIXTURES.parent
spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "benchmarks/make_corpus.py")
make_corpus = importlib.util.module_from_spec(spec)
sys.modules["make_corpus"] = make_corpus  # dataclasses look their module up there
spec.loader.exec_module(make_corpus)

SAMPLE = FIXTURES / "corpus/csv/us-office-almaty.csv"


@pytest.fixture(scope="module")
def templates():
    with open(SAMPLE, "rb") as stream:
        return make_corpus.load_templates(make_corpus.read_csv(stream))


def build(templates, count: int, seed: int) -> bytes:
    out = io.StringIO()
    make_corpus.write_csv(make_corpus.generate(templates, count, seed), out)
    return out.getvalue().encode()


def test_the_cables_own_serial_is_rewritten_in_banner_page_breaks_and_routing_line():
    text = (
        "DE RUEHTA #2803/01 2081402\n"
        "C O N F I D E N T I A L SECTION 01 OF 02 ALMATY 002803\n"
        "REF: A. ALMATY 2803 B. STATE 2803\n"
        "ALMATY 00002803  002 OF 002\n"
    )
    assert make_corpus.renumber(text, 2803, 5017) == (
        "DE RUEHTA #5017/01 2081402\n"
        "C O N F I D E N T I A L SECTION 01 OF 02 ALMATY 005017\n"
        "REF: A. ALMATY 2803 B. STATE 2803\n"
        "ALMATY 00005017  002 OF 002\n"
    )


def test_the_same_seed_gives_the_same_file_and_another_seed_another(templates):
    assert build(templates, 60, seed=3) == build(templates, 60, seed=3)
    assert build(templates, 60, seed=3) != build(templates, 60, seed=4)


def test_every_row_imports_as_a_real_cable_under_a_unique_id(templates):
    real = {t.row[2]: t for t in templates}
    records = list(
        read_stream(io.BytesIO(build(templates, 3 * len(templates), seed=1)), "made.csv")
    )
    assert not [r for r in records if isinstance(r, ReadError)]
    assert len(records) == 3 * len(templates)
    ids = [r.hints.reference_id for r in records]
    assert len(set(ids)) == len(ids)
    copies = [r for r in records if r.hints.reference_id not in real]
    assert len(copies) >= 2 * len(templates)
    for record in copies:
        cable = parse_cable(record.text, record.hints)
        year, post, serial = re.match(r"^(\d{2})([A-Z]+?)(\d+)$", cable.reference_id).groups()
        assert cable.created.strftime("%y") == year
        assert cable.origin == "US Office Almaty"
        # The banner names the new serial, not the one of the cable it was made from.
        assert re.search(rf"ALMATY 0*{serial}\s*$", record.text, re.M)
