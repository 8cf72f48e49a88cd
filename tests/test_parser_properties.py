"""Property tests of the parser (issue 7). For any text, ``parse_cable`` returns a ParsedCable
or raises ParseError, never another exception: for random text, for real cables mutated at
random (lines deleted, junk inserted, cut short, case changed), with or without hints.

"Never loses a paragraph's text", precisely: for a cable made of a valid routing header,
classification line and subject followed by N numbered paragraphs of random words, the words
of each paragraph, in order, come out whole (their spaces normalised) in one paragraph of the
result, and every paragraph number comes out as a paragraph."""

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from cables.parser import Hints, ParsedCable, ParseError, parse_cable
from cables.readers import read_bytes

from .conftest import SEED_FILES


def parses_or_refuses(text: str, hints: Hints | None = None) -> ParsedCable | None:
    try:
        cable = parse_cable(text, hints)
    except ParseError:
        return None
    assert isinstance(cable, ParsedCable)
    return cable


SEEDS = [next(iter(read_bytes(path.read_bytes(), str(path)))) for path in SEED_FILES.values()]

# Text with the characters cables are made of, line structure and all.
cable_chars = st.characters(codec="utf-8", exclude_categories=["Cs"])
cable_text = st.text(
    st.one_of(
        cable_chars, st.sampled_from(list("\n\n  .()/:-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    ),
    max_size=2000,
)
hints = st.one_of(
    st.none(),
    st.builds(
        Hints,
        reference_id=st.sampled_from(["", "06ALMATY2803", "09STATE1"]),
        created=st.one_of(st.none(), st.just(datetime(2006, 8, 5, 1, 16, tzinfo=UTC))),
        classification=st.sampled_from(["", "CONFIDENTIAL", "SECRET//NOFORN", "junk"]),
        title=st.text(max_size=40),
        partial=st.booleans(),
    ),
)


@given(cable_text, hints)
def test_any_text_parses_or_raises_a_parse_error(text, hints):
    parses_or_refuses(text, hints)


junk_line = st.one_of(
    st.text(cable_chars, max_size=80),
    st.sampled_from(
        [
            "BT",
            "NNNN",
            "END SUMMARY.",
            "SUMMARY:",
            "REF: A. STATE 12345 B. ALMATY",
            "TAGS: PREL, PGOV",
            "SUBJECT:",
            "1. (C)",
            "C O N F I D E N T I A L SECTION 02 OF 03 ALMATY 002803",
            "E.O. 12958: DECL: 08/04/2016",
            "Classified By: Ambassador John Ordway, Reasons 1.4 (b) and (d)",
            "R 050116Z AUG 06",
            "FM AMEMBASSY ALMATY",
            "-- (U) --",
            "ORDWAY",
            "¶",
            "\t",
        ]
    ),
)


@st.composite
def mutated_seed(draw):
    record = draw(st.sampled_from(SEEDS))
    lines = record.text.split("\n")
    for _ in range(draw(st.integers(0, 6))):
        action = draw(st.sampled_from(["delete", "insert", "upper", "lower", "swap"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if action == "delete" and lines:
            del lines[i]
        elif action == "insert":
            lines.insert(i, draw(junk_line))
        elif lines and action in ("upper", "lower", "swap"):
            lines[i] = getattr(lines[i], "swapcase" if action == "swap" else action)()
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]
    return text, draw(st.sampled_from([record.hints, Hints()]))


@given(mutated_seed())
def test_real_cables_mutated_parse_or_raise_a_parse_error(case):
    text, hints = case
    parses_or_refuses(text, hints)


words = st.lists(st.from_regex(r"[a-z]{1,12}", fullmatch=True), min_size=1, max_size=40)


def build_cable(paragraphs: list[list[str]], width: int) -> str:
    body = []
    for number, paragraph in enumerate(paragraphs, 1):
        text = f"{number}. (C) " + " ".join(paragraph) + "."
        lines, line = [], ""
        for word in text.split(" "):  # wrapped as the telegraph did
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        body.append("\n".join([*lines, line]))
    return (
        "R 050116Z AUG 06\nFM AMEMBASSY ALMATY\nTO SECSTATE WASHDC 6472\nBT\n"
        "C O N F I D E N T I A L ALMATY 002803\n\nSIPDIS\n\nE.O. 12958: DECL: 08/04/2016\n"
        "TAGS: PREL, KZ\nSUBJECT: TALKS\n\n" + "\n\n".join(body) + "\n\nORDWAY\n"
    )


@given(st.lists(words, min_size=1, max_size=12), st.integers(20, 80))
def test_no_paragraph_loses_its_text(paragraphs, width):
    cable = parse_cable(build_cable(paragraphs, width))
    assert cable.reference_id == "06ALMATY2803"
    out = [" ".join(p.text.split()) for p in cable.paragraphs]
    for number, paragraph in enumerate(paragraphs, 1):
        expected = " ".join(paragraph) + "."
        assert any(expected in text for text in out), (number, expected, out)
    assert [p.number for p in cable.paragraphs] == list(range(1, len(paragraphs) + 1))
