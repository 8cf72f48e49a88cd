"""Snippets cut and marked in Python (cables.search.excerpt), as PostgreSQL's search shows
them: the words PostgreSQL's English stemmer matches, the best stretch of a paragraph."""

import pytest

from cables.search.excerpt import ELLIPSIS, START, STOP, Excerpts, stem
from cables.search.query import parse_query


def excerpt(query: str, text: str, words: int = 32) -> str:
    cut = Excerpts(parse_query(query).positive_atoms(), words).excerpt(text)
    return cut.replace(START, "[").replace(STOP, "]")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("government", "govern"),
        ("governing", "govern"),
        ("meetings", "meet"),
        ("summary", "summari"),
        ("skies", "sky"),
        ("uranium", "uranium"),
        ("2010", "2010"),
    ],
)
def test_words_are_stemmed_as_postgresqls_english_configuration_stems_them(word, expected):
    # The values of SELECT to_tsvector('english', word) on PostgreSQL 15.
    assert stem(word) == expected


def test_every_word_with_the_stem_searched_for_is_marked_and_no_other():
    assert excerpt("government", "The governing party, the Government and the governor.") == (
        "The [governing] party, the [Government] and the governor."
    )


def test_a_phrase_is_marked_whole_and_only_where_its_words_follow_each_other():
    # Punctuation between the words does not part them (nor does it for PostgreSQL).
    text = "Summary: talks. End summary. The end; summary. The end of a summary."
    assert excerpt('"end summary"', text) == (
        "Summary: talks. [End summary]. The [end; summary]. The end of a summary."
    )


def test_a_stop_word_in_a_phrase_stands_for_any_word():
    # PostgreSQL keeps the stop word's place, not the word: "war on terror" is
    # war <2> terror.
    assert excerpt('"war on terror"', "The war on terror, the war in terror, war terror.") == (
        "The [war on terror], the [war in terror], war terror."
    )


def test_a_long_paragraph_is_cut_to_the_stretch_holding_most_hits_with_a_little_before():
    # 16 words: 112 characters, 18 of them before the first hit.
    words = [f"w{n:02}" for n in range(100)]
    words[10] = "uranium"
    words[60] = words[66] = words[70] = "uranium"
    cut = excerpt("uranium", " ".join(words), words=16)
    assert (
        cut
        == ELLIPSIS
        + (
            "w56 w57 w58 w59 [uranium] w61 w62 w63 w64 w65 [uranium] w67 w68 w69 [uranium] "
            "w71 w72 w73 w74 w75 w76 w77 w78 w79"
        )
        + ELLIPSIS
    )


def test_a_cut_never_splits_a_word():
    text = "Introduction " * 5 + "the uranium deal " + "Consequences " * 5
    cut = excerpt("uranium", text, words=6)
    assert cut.startswith(ELLIPSIS) and cut.endswith(ELLIPSIS)
    for piece in cut.strip(ELLIPSIS).replace("[", "").replace("]", "").split():
        assert piece in {"Introduction", "the", "uranium", "deal", "Consequences"}


def test_a_hit_near_the_end_keeps_a_full_stretch_and_no_ellipsis_at_the_end():
    words = [f"w{n:02}" for n in range(40)]
    words[38] = "uranium"
    cut = excerpt("uranium", " ".join(words) + ".", words=10)
    assert cut == ELLIPSIS + "w24 w25 w26 w27 w28 w29 w30 w31 w32 w33 w34 w35 w36 w37 " + (
        "[uranium] w39."
    )


def test_a_paragraph_without_a_word_to_mark_shows_its_beginning():
    text = " ".join(f"w{n:02}" for n in range(50))
    assert excerpt("uranium", text, words=5) == "w00 w01 w02 w03 w04 w05 w06 w07 w08" + ELLIPSIS


def test_the_text_between_the_marks_is_kept_as_it_was():
    text = '<script>alert("pipeline")</script> Pipeline & gas'
    assert excerpt("pipeline OR gas", text) == (
        '<script>alert("[pipeline]")</script> [Pipeline] & [gas]'
    )
