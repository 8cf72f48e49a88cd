"""Precision and recall of the people extractor (cables/parser/people.py) on hand labels.

    .venv/bin/python benchmarks/people.py [--verbose]

The labels are in fixtures/people/<REFID>.json: the people a careful reader lists in each
cable (name, the spellings seen, the positions of the paragraphs naming them, roles), for the
five seed cables and 20 corpus cables whose sources are copied in fixtures/people/sources/.
Each label file says whether the cable was used while writing the rules ("dev") or kept out
of sight of them ("heldout").

Person level: a predicted person matches a labelled one when the predicted name is the
labelled name or one of its spellings, or the other way round (compared with
``person_key``-style folding: case, accents, y/i, kh/h, double letters), one to one.
Mention level: (person, paragraph) pairs, counted over matched people; the paragraphs of an
unmatched prediction are false positives, those of an unmatched label misses.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.machine import cpu_reference_ms  # noqa: E402
from cables.parser import parse_cable  # noqa: E402
from cables.parser.people import PersonMention, _key, _proper, extract_people  # noqa: E402
from cables.readers import read_path  # noqa: E402

LABELS = ROOT / "fixtures" / "people"


def _norm(name: str) -> str:
    return " ".join(_key(w) for w in _proper(name).replace(".", ". ").split())


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    mtp: int = 0
    mfp: int = 0
    mfn: int = 0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("tp", "fp", "fn", "mtp", "mfp", "mfn"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    @property
    def precision(self) -> float:
        return self.ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return self.ratio(self.tp, self.tp + self.fn)

    @property
    def mention_precision(self) -> float:
        return self.ratio(self.mtp, self.mtp + self.mfp)

    @property
    def mention_recall(self) -> float:
        return self.ratio(self.mtp, self.mtp + self.mfn)


def load_labels() -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(LABELS.glob("*.json"))]


def parse_labelled(label: dict):
    (record,) = list(read_path(LABELS / label["source"]))
    return parse_cable(record.text, record.hints)


def _matches(pred: PersonMention, gold: dict) -> bool:
    pred_forms = {_norm(a) for a in [pred.name, *pred.aliases]}
    gold_forms = {_norm(a) for a in [gold["name"], *gold["aliases"]]}
    return _norm(pred.name) in gold_forms or _norm(gold["name"]) in pred_forms


def score_cable(predicted: list[PersonMention], gold: list[dict]) -> Score:
    score = Score()
    unmatched = list(range(len(gold)))
    pairs = []
    for pred in predicted:
        # Prefer a label whose name is the predicted name.
        options = [g for g in unmatched if _matches(pred, gold[g])]
        exact = [g for g in options if _norm(gold[g]["name"]) == _norm(pred.name)]
        chosen = (exact or options or [None])[0]
        if chosen is None:
            score.fp += 1
            score.mfp += len(pred.paragraphs)
            score.false_positives.append(f"{pred.name} {pred.paragraphs}")
            continue
        unmatched.remove(chosen)
        pairs.append((pred, gold[chosen]))
    for g in unmatched:
        score.fn += 1
        score.mfn += len(gold[g]["paragraphs"])
        score.misses.append(f"{gold[g]['name']} {gold[g]['paragraphs']}")
    for pred, g in pairs:
        score.tp += 1
        got, want = set(pred.paragraphs), set(g["paragraphs"])
        score.mtp += len(got & want)
        score.mfp += len(got - want)
        score.mfn += len(want - got)
        if got - want:
            score.false_positives.append(f"{g['name']}: paragraphs {sorted(got - want)}")
        if want - got:
            score.misses.append(f"{g['name']}: paragraphs {sorted(want - got)}")
    return score


def run(verbose: bool = True) -> dict[str, Score]:
    totals = {"dev": Score(), "heldout": Score(), "all": Score()}
    timings = []
    for label in load_labels():
        cable = parse_labelled(label)
        start = time.perf_counter()
        predicted = extract_people(cable)
        timings.append(time.perf_counter() - start)
        score = score_cable(predicted, label["people"])
        totals[label["split"]].add(score)
        totals["all"].add(score)
        if verbose:
            print(
                f"{label['reference_id']:<16} {label['split']:<8} people P {score.precision:5.2f}"
                f" R {score.recall:5.2f}  paragraphs P {score.mention_precision:5.2f}"
                f" R {score.mention_recall:5.2f}  ({len(label['people'])} labelled)"
            )
            for miss in score.misses:
                print(f"    miss: {miss}")
            for fp in score.false_positives:
                print(f"    false positive: {fp}")
    if verbose:
        print()
        for split, s in totals.items():
            print(
                f"{split:<8} people: P {s.precision:.3f} R {s.recall:.3f}"
                f" (tp {s.tp}, fp {s.fp}, fn {s.fn})   paragraph mentions: P"
                f" {s.mention_precision:.3f} R {s.mention_recall:.3f}"
                f" (tp {s.mtp}, fp {s.mfp}, fn {s.mfn})"
            )
        timings.sort()
        print(f"CPU reference (benchmarks/machine.py): {cpu_reference_ms():.0f} ms")
        print(
            f"time per cable: median {timings[len(timings) // 2] * 1000:.2f} ms,"
            f" slowest {timings[-1] * 1000:.2f} ms (first call loads the station table)"
        )
    return totals


if __name__ == "__main__":
    run()
