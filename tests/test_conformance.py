"""The parser against cablemap's conformance vectors (../shared/conformance/).

CI runs on a clean clone with ../shared/ beside the repository, so the vectors must be there:
a missing file fails the test unless CABLES_NO_SHARED=1 is set, which skips it.
"""

import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VECTORS = ROOT.parent / "shared" / "conformance" / "cablemap-vectors.json"


def _benchmark():
    spec = importlib.util.spec_from_file_location(
        "conformance", ROOT / "benchmarks" / "conformance.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rows():
    if not VECTORS.exists():
        if os.environ.get("CABLES_NO_SHARED") == "1":
            pytest.skip(f"CABLES_NO_SHARED=1 and no vectors at {VECTORS}")
        pytest.fail(
            f"conformance vectors not found at {VECTORS}: check out ../shared beside the "
            "repository, or set CABLES_NO_SHARED=1 to skip this test"
        )
    benchmark = _benchmark()
    # Self-contained vectors only: the whole-cable ones need the corpus and take seconds.
    return benchmark.evaluate(benchmark.load_vectors(VECTORS), corpus_dir=None)


FIELDS = [
    "references",
    "references_typed",
    "tags",
    "subject",
    "signed_by",
    "classified_by",
    "summary",
    "recipients",
    "nondisclosure_deadline",
    "ids",
]


@pytest.mark.parametrize("field", FIELDS)
def test_we_pass_at_least_as_many_vectors_as_cablemap(rows, field):
    # Counted on the vectors not listed as disputed in benchmarks/conformance.py (expected
    # values flagged as typos or quirks, ids only a lookup table can answer); the benchmark
    # prints both counts.
    row = rows[field]
    assert row.ours_undisputed >= row.cablemap_undisputed, (field, row.ours, row.cablemap)


@pytest.mark.parametrize("field", ["references", "tags", "subject", "signed_by", "classified_by"])
def test_we_pass_at_least_95_percent_on_the_key_fields(rows, field):
    # Also on the undisputed vectors: for references, four expectations give a bare
    # reference the citing cable's year where the post's numbering says it is the year
    # before (the rule the corpus needs; see YEAR_BEFORE in the benchmark). On all vectors
    # references stand at 68/72.
    row = rows[field]
    undisputed = row.run - row.disputed
    assert undisputed and row.ours_undisputed / undisputed >= 0.95, (field, row.ours, row.run)


def test_no_self_contained_vector_is_left_unrun(rows):
    assert all(row.run == row.self_contained for row in rows.values())
