"""The parser on the five seed cables: five mirrors, five layouts, every field asserted."""

from datetime import UTC, datetime

import pytest

from cables.parser import Recipient, Reference

from .conftest import SEED_FILES, parse_file


@pytest.fixture(scope="module")
def seeds():
    return {ref_id: parse_file(path) for ref_id, path in SEED_FILES.items()}


def numbers(cable):
    return [p.number for p in cable.paragraphs]


def test_every_seed_is_stored_under_its_own_id(seeds):
    assert {ref_id: cable.reference_id for ref_id, cable in seeds.items()} == {
        ref_id: ref_id for ref_id in SEED_FILES
    }


# --- 06ALMATY2803: labelled columns, header printed twice, page break mid-paragraph ----------


def test_labelled_columns_give_metadata(seeds):
    cable = seeds["06ALMATY2803"]
    assert cable.created == datetime(2006, 8, 5, 1, 16, tzinfo=UTC)
    assert cable.classification == "CONFIDENTIAL"
    assert cable.origin == "US Office Almaty"


def test_subject_wrapping_onto_a_second_line_is_read_in_full(seeds):
    # The mirror's title line stops at "WITH PA"; the SUBJECT line goes on.
    assert seeds["06ALMATY2803"].subject == (
        "KAZAKHSTAN: AMBASSADOR'S AUGUST 1 MEETING WITH PA HEAD DZHAKSYBEKOV"
    )


def test_tags_references_classified_by_and_signer(seeds):
    cable = seeds["06ALMATY2803"]
    assert cable.tags == ["PREL", "PGOV", "PHUM", "KZ"]
    assert cable.keywords == []
    assert cable.references == [
        Reference("A", "ALMATY 2532", "06ALMATY2532"),
        Reference("B", "ALMATY 2464", "06ALMATY2464"),
        Reference("C", "ALMATY 2404", "06ALMATY2404"),
    ]
    assert cable.classified_by == "John Ordway"
    assert cable.reasons == ["1.4(b)", "1.4(d)"]
    assert cable.declassify_on == "2016-08-04"
    assert cable.signer == "ORDWAY"


def test_recipients_keep_route_and_precedence(seeds):
    cable = seeds["06ALMATY2803"]
    assert cable.recipients == [
        Recipient("action", "SECSTATE WASHDC", "RUEHC", "PRIORITY"),
        Recipient("info", "CIS COLLECTIVE", "RUCNCIS", "PRIORITY"),
        Recipient("info", "AMEMBASSY ISLAMABAD", "RUEHIL", "PRIORITY"),
        Recipient("info", "AMEMBASSY KABUL", "RUEHBUL", "PRIORITY"),
        Recipient("info", "AMEMBASSY NEW DELHI", "RUEHNE", "PRIORITY"),
    ]


def test_header_printed_twice_is_stored_once(seeds):
    body = seeds["06ALMATY2803"].body
    assert body.count("SUBJECT: KAZAKHSTAN") == 1
    assert body.count("Classified By:") == 1
    assert body.startswith("C O N F I D E N T I A L SECTION 01 OF 02 ALMATY 002803")


def test_paragraphs_are_numbered_marked_and_headed(seeds):
    cable = seeds["06ALMATY2803"]
    assert numbers(cable) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [p.marking for p in cable.paragraphs] == ["SBU", "SBU", "C"] + ["SBU"] * 5
    assert [p.heading for p in cable.paragraphs] == [
        "",
        "Nazarbayev Visit",
        "Nazarbayev Visit",
        "Nazarbayev Visit",
        "Nazarbayev Visit",
        "Codel Lugar",
        "Political Party Training",
        "Political Party Training",
    ]
    assert cable.paragraphs[0].text.startswith("Summary: In a July 3 meeting, the Ambassador")
    assert not any(p.text.startswith("---") or "Codel Lugar" in p.text for p in cable.paragraphs)


def test_a_blank_line_inside_a_sentence_does_not_split_the_paragraph(seeds):
    text = seeds["06ALMATY2803"].paragraphs[2].text
    assert "Dzhaksybekov said that WTO accession was important" in text
    assert "\n" not in text


def test_a_page_break_inside_a_paragraph_is_joined_and_dropped(seeds):
    text = seeds["06ALMATY2803"].paragraphs[5].text
    assert text == (
        "The Ambassador informed Dzhaksybekov that Senator Lugar would visit Kazakhstan "
        "August 18-20 in order to discuss non-proliferation issues. Dzhaksybekov said that "
        "Nazarbayev would be in Aktobe during that period following a visit to Sochi. They "
        "agreed to explore the option of a Lugar stop in Aktobe, since he is flying milair."
    )


def test_the_signer_is_not_part_of_the_last_paragraph(seeds):
    assert seeds["06ALMATY2803"].paragraphs[-1].text.endswith('"as some other countries do."')


def test_summary_is_the_text_between_summary_and_end_summary(seeds):
    summary = seeds["06ALMATY2803"].summary
    assert summary.startswith("In a July 3 meeting, the Ambassador discussed planning")
    assert summary.endswith("to chart a way forward on political party training.")


def test_a_complete_cable_is_not_partial(seeds):
    assert seeds["06ALMATY2803"].partial is False


# --- 06ALMATY3273: five header lines, header glued to the body, text cut off ------------------


def test_five_line_header_takes_the_time_from_the_date_time_group(seeds):
    cable = seeds["06ALMATY3273"]
    # The mirror says "Mon Sep 18 00:00:00 +0200 2006"; the cable says 180645Z SEP 06.
    assert cable.created == datetime(2006, 9, 18, 6, 45, tzinfo=UTC)
    assert cable.created_precision == "minute"
    assert cable.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert cable.origin == "US Office Almaty"


def test_subject_cut_short_by_the_title_line_is_read_in_full(seeds):
    assert seeds["06ALMATY3273"].subject == (
        "BOUCHER TO DZHAKSYBEKOV: CONCRETE PROGRESS ON DEMOCRACY NEEDED BEFORE NAZARBAYEV VISIT"
    )


def test_header_glued_to_the_body_is_split(seeds):
    cable = seeds["06ALMATY3273"]
    assert cable.header.endswith("RUEHNE/AMEMBASSY NEW DELHI 0384")
    assert cable.body.startswith("UNCLAS SECTION 01 OF 03 ALMATY 003273")
    assert cable.recipients[-1] == Recipient("info", "AMEMBASSY NEW DELHI", "RUEHNE", "")
    assert [r.kind for r in cable.recipients] == ["action"] + ["info"] * 5


def test_pilcrow_paragraphs_and_tags(seeds):
    cable = seeds["06ALMATY3273"]
    assert numbers(cable) == list(range(1, 10))
    assert [p.marking for p in cable.paragraphs][:3] == ["SBU", "U", "SBU"]
    assert cable.tags == ["PREL", "PGOV", "KDEM", "ETRD", "MOPS", "AF", "KZ"]
    assert cable.references == []
    assert cable.declassify_on == "N/A"


def test_a_cable_cut_off_in_section_two_of_three_is_partial(seeds):
    cable = seeds["06ALMATY3273"]
    assert cable.partial is True
    assert cable.signer == ""
    assert cable.paragraphs[-1].text.endswith("advised him to sQ")


# --- 06ALMATY2404: markdown, no metadata at all, paragraph signs lost -------------------------


def test_id_and_time_come_from_the_text_when_the_mirror_gives_none(seeds):
    cable = seeds["06ALMATY2404"]
    # "UNCLAS SECTION 01 OF 02 ALMATY 002404" and the date-time group "070653Z JUL 06".
    assert cable.reference_id == "06ALMATY2404"
    assert cable.created == datetime(2006, 7, 7, 6, 53, tzinfo=UTC)


def test_unclas_and_sensitive_make_for_official_use_only(seeds):
    assert seeds["06ALMATY2404"].classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"


def test_origin_is_the_one_the_post_has_elsewhere(seeds):
    # "FM AMEMBASSY ALMATY" would read "Embassy Almaty"; the archive calls the post
    # "US Office Almaty" on every other cable.
    assert seeds["06ALMATY2404"].origin == "US Office Almaty"


def test_markdown_links_on_the_tags_line_are_plain_codes(seeds):
    assert seeds["06ALMATY2404"].tags == ["PREL", "PGOV", "PHUM", "KZ"]


def test_single_unlettered_reference(seeds):
    assert seeds["06ALMATY2404"].references == [Reference("", "ALMATY 1418", "06ALMATY1418")]


def test_paragraph_numbers_that_lost_their_sign_are_repaired(seeds):
    # "¶5" came out as "15" in this mirror, and so on to "18".
    cable = seeds["06ALMATY2404"]
    assert numbers(cable) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert cable.paragraphs[4].text.startswith("The Ambassador raised the issue of training")


def test_an_unnumbered_block_stays_with_its_paragraph(seeds):
    text = seeds["06ALMATY2404"].paragraphs[3].text
    assert text.endswith(
        "it must be official.\n\nThe Ambassador stressed that it was crucial that media outlets "
        "continue to be able to publish and broadcast freely. Ashimbayev said he did not "
        "foresee the possibility of media seizures."
    )


def test_blank_line_in_mid_sentence_is_joined(seeds):
    text = seeds["06ALMATY2404"].paragraphs[7].text
    assert "noting only that the Commission had adjourned its work" in text


def test_dashed_headings_with_trailing_spaces(seeds):
    headings = [p.heading for p in seeds["06ALMATY2404"].paragraphs]
    assert headings == [
        "",
        "",
        "Media Law Amendments",
        "Media Law Amendments",
        "Political Party Training",
        "Party Merger",
        "OSCE Chairmanship Bid",
        "OSCE Chairmanship Bid",
    ]
    assert seeds["06ALMATY2404"].signer == "ORDWAY"


# --- 05ALMATY956: site navigation, one-line header, partial extract, plain headings ------------


def test_one_line_header_after_site_navigation(seeds):
    cable = seeds["05ALMATY956"]
    assert cable.created == datetime(2005, 3, 14, 0, 52, tzinfo=UTC)
    assert cable.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert cable.origin == "US Office Almaty"
    assert cable.subject == ""  # the page's title is empty and the extract has no SUBJECT
    assert "wikileaks" not in cable.body.lower()
    assert "how-to read a cable" not in cable.body


def test_partial_extract_is_flagged(seeds):
    assert seeds["05ALMATY956"].partial is True


def test_plain_headings_are_headings_not_paragraphs(seeds):
    cable = seeds["05ALMATY956"]
    assert numbers(cable) == list(range(1, 14))
    assert cable.paragraphs[1].heading == "Economic Reform First"
    assert cable.paragraphs[5].heading == "Democracy with a Kazakhstani Flavor"
    assert cable.paragraphs[10].heading == "The Foreign Policy Front"
    assert cable.paragraphs[0].heading == ""
    assert [p.marking for p in cable.paragraphs][:2] == ["U", "SBU"]


def test_hyphen_broken_word_is_rejoined(seeds):
    assert '"one-stop shopping"' in seeds["05ALMATY956"].paragraphs[8].text


# --- 05ALMATY538: labelled fields, disclaimer, footer, NNNN -----------------------------------


def test_labelled_fields_give_metadata_and_clutter_is_dropped(seeds):
    cable = seeds["05ALMATY538"]
    assert cable.created == datetime(2005, 2, 10, 7, 16, tzinfo=UTC)
    assert cable.classification == "CONFIDENTIAL"
    assert cable.origin == "US Office Almaty"
    assert cable.subject == "KAZAKHSTAN: EUR DAS KENNEDY'S MEETING WITH FM TOKAYEV"
    for clutter in ("Disclaimer", "Latest source of this page", "Wikileaks.org", "Redacted:"):
        assert clutter not in cable.body


def test_comma_separated_tags_keep_free_text_apart(seeds):
    cable = seeds["05ALMATY538"]
    assert cable.tags == ["KZ", "PGOV", "PHUM", "PREL"]
    assert cable.keywords == ["POLITICAL"]


def test_lettered_references_take_the_citing_cables_year(seeds):
    assert seeds["05ALMATY538"].references == [
        Reference("A", "ALMATY 347", "05ALMATY347"),
        Reference("B", "ALMATY 342", "05ALMATY342"),
    ]


def test_classified_by_without_the_title(seeds):
    cable = seeds["05ALMATY538"]
    assert cable.classified_by == "John Ordway"
    assert cable.reasons == ["1.4(b)", "1.4(d)"]
    assert cable.declassify_on == "2015-02-10"


def test_whitespace_only_lines_inside_a_paragraph_are_joined(seeds):
    text = seeds["05ALMATY538"].paragraphs[7].text
    assert "to all OSCE principles and to its institutions. The attack" in text


def test_headings_underlined_with_dashes(seeds):
    cable = seeds["05ALMATY538"]
    assert numbers(cable) == list(range(1, 11))
    assert [p.heading for p in cable.paragraphs][1:4] == [
        "Soros and NGOs",
        "Soros and NGOs",
        "No Orange Revolution Here",
    ]
    assert cable.paragraphs[-1].heading == "Russia"
    assert cable.paragraphs[-1].text.endswith("a major policy failure on Putin's watch.")
    assert cable.partial is True  # "This record is a partial extract"
    assert cable.signer == ""
