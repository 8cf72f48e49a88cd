"""The parser's field rules, one behaviour each, on fragments of real cables."""

from datetime import UTC, datetime

from cables.parser import Hints, Recipient, parse_cable
from cables.parser.classified import find_classified_by, name_in_statement
from cables.parser.fields import (
    canonical_id,
    normalise_person_name,
    parse_declassify,
    split_tags,
)
from cables.parser.refs import parse_references
from cables.parser.stations import resolve_station

from .conftest import parse_fragment as parse


def cited(text, year, own_id=""):
    return [c.cable_id for c in parse_references(text, year, own_id) if c.cable_id]


# --- Reference ids and stations ----------------------------------------------------------------


def test_the_departments_address_in_an_id_is_the_state_station():
    assert canonical_id("06SECSTATE123") == "06STATE123"


def test_a_short_form_of_a_station_is_expanded():
    assert canonical_id("05RIO123") == "05RIODEJANEIRO123"


def test_a_misspelt_station_becomes_the_nearest_known_station():
    assert canonical_id("07BRASIIA1568") == "07BRASILIA1568"


def test_a_section_banner_run_into_an_id_is_dropped():
    assert canonical_id("08ECTION01OF02MANAMA492") == "08MANAMA492"


def test_a_caveat_before_the_station_is_dropped():
    assert canonical_id("06EFTOATHENS1738") == "06ATHENS1738"


def test_a_doubled_year_is_read_once():
    assert canonical_id("7575LIBREVILLE1895") == "75LIBREVILLE1895"


def test_a_q_stands_for_letters_lost_in_transmission():
    assert canonical_id("07QXICO3307") == "07MEXICO3307"


def test_address_words_go_even_before_an_unknown_station():
    assert canonical_id("05EMBASSYBLABLA1") == "05BLABLA1"


def test_a_well_formed_id_is_left_as_it_is():
    assert canonical_id("06ALMATY2803") == "06ALMATY2803"


def test_an_id_with_neither_station_nor_serial_is_returned_unchanged():
    assert canonical_id("092OF5") == "092OF5"


def test_the_initials_of_a_stations_words_name_it():
    assert resolve_station("HCMC") == "HOCHIMINHCITY"


def test_a_station_written_with_its_city_word_is_the_station():
    assert resolve_station("MEXICO CITY") == "MEXICO"


def test_a_word_that_is_no_station_resolves_to_nothing():
    assert resolve_station("POINTS") == ""


# --- REF ----------------------------------------------------------------------------------------


def test_a_bare_reference_takes_the_citing_cables_year_and_an_explicit_year_wins():
    text = "A. TBILISI 1605  B. 06 TBILISI 2601  C. 05 TBILISI 3171"
    assert cited(text, 2007) == ["07TBILISI1605", "06TBILISI2601", "05TBILISI3171"]


def test_a_serial_after_and_keeps_the_station_and_year():
    assert cited("A. BRASILIA 2799 AND 2764 ¶B. PORT AU PRINCE 2325", 2004) == [
        "04BRASILIA2799",
        "04BRASILIA2764",
        "04PORTAUPRINCE2325",
    ]


def test_serials_listed_with_slashes_are_separate_cables():
    assert cited("A) Kabul 936/935; B) 06 Kabul 5353/5194", 2007) == [
        "07KABUL936",
        "07KABUL935",
        "06KABUL5353",
        "06KABUL5194",
    ]


def test_a_year_after_the_serial_gives_the_cited_cables_year():
    assert cited("A. QUITO 4525-91 B. QUITO 1735", 2006) == ["91QUITO4525", "06QUITO1735"]


def test_a_year_in_parentheses_between_station_and_serial_is_the_year():
    assert cited("A) STATE (01) 201265, B) STATE (01) 213042", 2002) == [
        "01STATE201265",
        "01STATE213042",
    ]


def test_a_trailing_year_in_parentheses_belongs_to_the_last_serial():
    assert cited("COLOMBO CABLES 0266 AND 02259 (2002)", 2003) == [
        "03COLOMBO266",
        "02COLOMBO2259",
    ]


def test_a_serial_before_its_station_is_read_in_reverse():
    assert cited("870 Ulaanbaatar", 2006) == ["06ULAANBAATAR870"]


def test_ids_written_run_together_are_read():
    assert cited("09CAIRO0561; 08CAIRO2528", 2010) == ["09CAIRO561", "08CAIRO2528"]


def test_a_zero_for_the_letter_o_in_a_station_is_read_as_o():
    assert cited("A. OTTAWA 2258 ¶B. 05 0TTAWA 3518", 2006) == ["06OTTAWA2258", "05OTTAWA3518"]


def test_a_department_address_and_a_us_mission_short_form_are_resolved():
    assert cited("SECSTATE 232089 & USUN 2336", 2004) == ["04STATE232089", "04USUNNEWYORK2336"]


def test_an_email_is_typed_and_gets_no_cable_id():
    (citation,) = parse_references("LAKHDHIR E-MAIL 12/01/09", 2009)
    assert (citation.kind, citation.cable_id, citation.text) == (
        "email",
        "",
        "LAKHDHIR E-MAIL 12/01/09",
    )


def test_a_foreign_affairs_manual_citation_is_a_book():
    (citation,) = parse_references("9 FAM Appendix K, 406 (6)", 2009)
    assert citation.kind == "book"


def test_words_after_a_station_name_are_not_a_cable():
    assert cited("A. PARIS POINTS JULY 15  B. PARIS 1025", 2009) == ["09PARIS1025"]


def test_a_page_marker_inside_the_block_is_not_a_reference():
    text = "PORT AU PRINCE 01407 PORT AU PR 00002230 001.2 OF 002"
    assert cited(text, 2006) == ["06PORTAUPRINCE1407"]


def test_redundant_bullets_and_labels_after_a_bullet_are_skipped():
    citations = parse_references("A. REF A STATE 122214 B. REF B LONDON 2649", 2009)
    assert [(c.letter, c.cable_id) for c in citations] == [
        ("A", "09STATE122214"),
        ("B", "09LONDON2649"),
    ]


def test_a_repeated_bullet_letter_still_starts_a_new_item():
    text = "A) TALLINN 366 B) LEE-GOLDSTEIN EMAIL 05/11/07 B) TALLINN 347"
    assert cited(text, 2007) == ["07TALLINN366", "07TALLINN347"]


def test_a_bare_serial_opening_a_list_is_a_cable_of_the_citing_post():
    assert cited("A) 6307", 2003, own_id="03ANKARA6322") == ["03ANKARA6307"]


def test_a_cable_citing_itself_is_left_out():
    assert cited("A. ALMATY 2803 B. ALMATY 2464", 2006, own_id="06ALMATY2803") == ["06ALMATY2464"]


def test_the_ref_block_runs_across_a_blank_line_while_an_item_is_unfinished():
    cable = parse(
        "SUBJECT:  INPUT FOR 2004 TIP REPORT - VIETNAM\n\nREFS:  A. STATE 7869 B. 03 \n\n"
        "HANOI 2323 E. HCMC 196\n\n1. Mission Vietnam",
        "04HANOI652",
        2004,
    )
    assert [r.cable_id for r in cable.references] == [
        "04STATE7869",
        "03HANOI2323",
        "04HOCHIMINHCITY196",
    ]


def test_a_ref_glued_to_the_end_of_the_subject_is_found():
    cable = parse(
        "SUBJECT: FBI DIRECTOR MUELLER'S VISIT TO EGYPTREF: CAIRO 493", "06CAIRO941", 2006
    )
    assert cable.subject == "FBI DIRECTOR MUELLER'S VISIT TO EGYPT"
    assert [r.cable_id for r in cable.references] == ["06CAIRO493"]


# --- TAGS ---------------------------------------------------------------------------------------


def test_a_person_tag_after_ovip_is_surname_comma_given_name():
    assert split_tags("OVIP BIDEN JOSEPH PREL ECON") == (
        ["OVIP", "PREL", "ECON"],
        ["BIDEN, JOSEPH"],
    )


def test_a_person_tag_in_parentheses_is_kept_whole():
    assert split_tags("ovip (steinberg, james b.), prel") == (
        ["OVIP", "PREL"],
        ["STEINBERG, JAMES B."],
    )


def test_codes_typed_together_are_split():
    assert split_tags("KCRM KWMN ASEC PHUMBA") == (["KCRM", "KWMN", "ASEC", "PHUM", "BA"], [])


def test_a_code_mistyped_by_one_letter_is_corrected():
    assert split_tags("PTER MARR, MOPPS") == (["PTER", "MARR", "MOPS"], [])


def test_free_text_on_the_tags_line_is_one_phrase():
    assert split_tags("IS KMDR MEDIA REACTION REPORT") == (
        ["IS", "KMDR"],
        ["MEDIA REACTION REPORT"],
    )


def test_a_country_code_inside_free_text_is_a_word_of_the_phrase():
    assert split_tags("PGOV KJUS TIP IN TURKEY") == (["PGOV", "KJUS"], ["TIP IN TURKEY"])


def test_page_headers_inside_a_repeated_tags_line_are_dropped():
    text = "PINR, PGOV, PE    SECRET   PAGE 02   LIMA  02475  01 OF 03  251228Z PINR, PE"
    assert split_tags(text) == (["PINR", "PGOV", "PE"], [])


def test_without_canonicalising_codes_typed_together_stay_as_written():
    assert split_tags("AMEDCASCKFLO TBIO", canonical=False) == (["TBIO"], ["AMEDCASCKFLO"])


def test_a_line_of_codes_after_the_tags_line_continues_it():
    cable = parse(
        "TAGS: ECON EFIN ELAB ETRD KIPR PTER SOCI TBIO SP\nEINV\nSUBJECT: MADRID WEEKLY UPDATE"
    )
    assert cable.tags[-2:] == ["SP", "EINV"]


def test_a_lower_case_word_after_the_tags_line_does_not_continue_it():
    assert parse("TAGS: something\nhere").tags == []
    assert parse("TAGS: something\nhere").keywords == ["SOMETHING"]


def test_a_mistyped_tags_label_is_still_a_label():
    assert parse("E.O. 12958: N/A\nTAGES:  OIIP, KPAO, PREL, JO\nSUBJECT:  JORDAN").tags == [
        "OIIP",
        "KPAO",
        "PREL",
        "JO",
    ]


# --- Subject ------------------------------------------------------------------------------------


def test_the_subjects_portion_marking_is_kept_apart():
    cable = parse("SUBJECT: (C/NF) WHO WOULD REPLACE GORDON BROWN AS UK PRIME\n\n1. (C) Text.")
    assert (cable.subject_marking, cable.subject) == (
        "C/NF",
        "WHO WOULD REPLACE GORDON BROWN AS UK PRIME",
    )


def test_prose_after_a_capitals_subject_is_not_part_of_it():
    cable = parse(
        "SUBJECT: SWEDISH DEPUTY PM URGES SENIOR USG VISITS TO SWEDEN DURING\n"
        "EU PRESIDENCY\nThis is an Action request. Please see para 2.\n"
    )
    assert (
        cable.subject == "SWEDISH DEPUTY PM URGES SENIOR USG VISITS TO SWEDEN DURING EU PRESIDENCY"
    )


def test_a_page_marker_inside_the_subject_is_dropped():
    cable = parse(
        "SUBJECT: PART 3 OF 3:  THE LIFE AND TIMES OF SOUTH AFRICA'S \nNEW PRESIDENT\n"
        "PRETORIA 00000954 001.2 OF 004\n"
    )
    assert cable.subject == "PART 3 OF 3: THE LIFE AND TIMES OF SOUTH AFRICA'S NEW PRESIDENT"


def test_fields_run_together_on_one_line_are_split():
    cable = parse(
        "E.o. 12958: decl: 01/07/2014 Tags: prel, pgov, pins, tu Subject: turkish p.m. "
        "Erdogan goes to washington\n\n(U) Classifi"
    )
    assert cable.tags == ["PREL", "PGOV", "PINS", "TU"]
    assert cable.subject == "turkish p.m. Erdogan goes to washington"
    assert cable.declassify_on == "2014-01-07"


def test_a_title_that_only_misreads_the_subject_does_not_replace_it():
    hints = Hints(
        reference_id="05SOFIA1207",
        created=datetime(2005, 7, 7, tzinfo=UTC),
        classification="CONFIDENTIAL",
        title="U) BULGARIAN ORGANIZED CRIME (C-CN5-00054)",
    )
    cable = parse_cable(
        "SUBJECT: (U) BULGARIAN ORGANIZED CRIME (C-CN5-00054)\n\n1. (C) Text.", hints
    )
    assert cable.subject == "BULGARIAN ORGANIZED CRIME (C-CN5-00054)"


def test_a_page_header_run_into_the_subject_ends_it_and_the_statement_after_it_is_read():
    cable = parse(
        "SUBJECT: DEADLY DRIVING HABITS: ACCIDENTS THIRD CAUSE OF DEATH IN LIBYA TRIPOLI 00000939 "
        "001.2 OF 003 CLASSIFIED \n\nBY: Gene A. Cretz, Ambassador, U.S. Embassy Tripoli, "
        "Department of State. REASON: 1.4 (b), (d)\n\n1.(C) Summary: Traffic accidents are the "
        "third-leading cause of death in Libya.",
        "09TRIPOLI939",
        2009,
    )
    assert cable.subject == "DEADLY DRIVING HABITS: ACCIDENTS THIRD CAUSE OF DEATH IN LIBYA"
    assert (cable.classified_by, cable.reasons) == ("Gene A. Cretz", ["1.4(b)", "1.4(d)"])
    assert cable.paragraphs[0].text.startswith("Summary: Traffic accidents")


def test_a_ref_and_a_page_header_glued_to_the_subject_are_cut_and_the_references_read():
    cable = parse(
        "SUBJECT: SCENESETTER FOR MINDEF TANTAWI’S VISIT TO THE U.S. MARCH 24-28REF: A. CAIRO 452 "
        "B. CAIRO 488 C. CAIRO 507CAIRO 00000524 001.2 OF 002\n\nClassified By: Ambassador "
        "Francis Ricciardone for reasons 1.4 (a)(b)&(d).\n\n¶1. (S) Summary: Text.",
        "08CAIRO524",
    )
    assert cable.subject == "SCENESETTER FOR MINDEF TANTAWI’S VISIT TO THE U.S. MARCH 24-28"
    assert [r.cable_id for r in cable.references] == ["08CAIRO452", "08CAIRO488", "08CAIRO507"]


def test_a_page_header_run_into_the_ref_list_does_not_end_it():
    cable = parse(
        "REF A) LONDON 002351 B) STATE 069339 L) STATE 90303 STATE 00016219 001.2 OF 005 "
        "M) STATE 7877 N) SINGAPORE 00083\n\n¶1. (U) This is an action request.",
        "10STATE16219",
        2010,
    )
    assert [r.cable_id for r in cable.references] == [
        "10LONDON2351",
        "09STATE69339",
        "09STATE90303",
        "10STATE7877",
        "10SINGAPORE83",
    ]


def test_what_a_mirror_ran_into_its_title_after_the_subject_is_no_part_of_it():
    def subject(title):
        hints = Hints(
            reference_id="09TRIPOLI436",
            created=datetime(2009, 6, 1, tzinfo=UTC),
            classification="CONFIDENTIAL",
            title=title,
        )
        return parse_cable("1. (C) Text.", hints).subject

    assert subject(
        "LIBYA'S HEALTH MINISTER WELCOMES U.S. COOPERATION TRIPOLI 00000436 001.2 OF 002 "
        "CLASSIFIED BY: Gene Cretz, Ambassador. REASON: 1.4 (b), (d)"
    ) == ("LIBYA'S HEALTH MINISTER WELCOMES U.S. COOPERATION")
    assert subject(
        "SCENESETTER FOR AMBASSADOR CROCKER’S VISIT TO CAIROClassified By: DEPUTY CHIEF OF "
        "MISSION STUART JONES. REASONS: 1.4 (B) and (D)"
    ) == ("SCENESETTER FOR AMBASSADOR CROCKER’S VISIT TO CAIRO")
    assert subject(
        "AMBASSADOR SOBEL MEETS WITH KEY ENERGY ENTITIES IN RIO Ref(s): A) 08 RIO DE JAN 138"
    ) == ("AMBASSADOR SOBEL MEETS WITH KEY ENERGY ENTITIES IN RIO")
    assert subject(
        "GARBAGE CITY: AFTERMATH OF THE GOE PIG CULLING PLAN Sensitive but Unclassified. "
        "Please handle accordingly."
    ) == ("GARBAGE CITY: AFTERMATH OF THE GOE PIG CULLING PLAN")
    assert subject(
        "INFUENZA CONFERENCE REVIEWS VIRUS SITUATION IN EGYPT 1.(SBU)Summary: At the avian"
    ) == ("INFUENZA CONFERENCE REVIEWS VIRUS SITUATION IN EGYPT")


def test_a_previews_repeated_head_after_the_subject_is_cut():
    cable = parse(
        "SUBJECT: MUNICIPALITY TO FUND...\n14:25 UNCLAS SECTION 01 OF 03 ISTANBUL 000329 SIPDIS "
        "SENSITIVE DEPT FOR G/TIP; SKOPJE FOR XXXXXXXX\n\n1. (SBU) Text.",
        "05ISTANBUL329",
        2005,
    )
    assert cable.subject == "MUNICIPALITY TO FUND..."


# --- Classified By ------------------------------------------------------------------------------


def test_a_mistyped_title_is_not_part_of_the_name():
    assert name_in_statement("Ambassaor Joseph LeBaron for reasons 1.4 (b and d).") == (
        "Joseph LeBaron"
    )


def test_an_office_abbreviation_in_mixed_case_text_is_not_part_of_the_name():
    assert name_in_statement("COM Jonathan Farrar for reasons 1.5 (b) and (d)") == "Jonathan Farrar"


def test_a_name_after_a_dash_may_have_three_words():
    assert name_in_statement("AF/C - MARY BETH LEONARD, REASON 1.5 (D).") == "MARY BETH LEONARD"


def test_a_suffix_after_a_comma_stays_with_the_name():
    assert name_in_statement("Ambassodor Robert O. Blake, Jr. for reasons 1.4 (b, d).") == (
        "Robert O. Blake, Jr."
    )


def test_the_name_follows_the_last_by():
    assert name_in_statement("DOS CLASSIFICATION GUIDE BY MARY TOWNSWICK") == "MARY TOWNSWICK"


def test_a_derived_classification_names_no_one():
    assert name_in_statement("Derived from DSCG 05-01, b and d") == ""


def test_a_word_broken_at_the_telegraphs_line_width_is_joined():
    lines = [
        "Classified By: Interagency Provincial Affairs Deputy Coordinator Hoyt Y ",
        "ee for reasons 1.4 (b) and (d) ",
    ]
    assert find_classified_by(lines)[0] == "Hoyt Yee"


def test_a_whole_word_at_the_start_of_the_next_line_is_not_glued_on():
    lines = [
        "CLASSIFIED BY: CLASSIFIED BY POLITICAL MINISTER COUNSELOR SHARON WIENER ",
        "FOR REASONS 1.5 (B) AND (D).",
    ]
    assert find_classified_by(lines)[0] == "SHARON WIENER"


def test_a_statement_naming_no_one_is_passed_over_for_the_next():
    lines = [
        "Classified By: ADANA 222 ",
        "ANKARA 6772 ",
        " ",
        "Classified by DCM Nancy McEldowney; reasons 1.4 b and d.",
    ]
    assert find_classified_by(lines)[0] == "Nancy McEldowney"


def test_the_statement_in_the_first_paragraph_of_an_old_cable_is_found():
    cable = parse("1.  (U) CLASSIFIED BY CDA THEODORE KATTOUF, REASON 1.5.D.\n\n2.  (C) Text.")
    assert cable.classified_by == "THEODORE KATTOUF"
    assert cable.reasons == ["1.5(d)"]


def test_a_name_in_capitals_is_normalised_to_a_persons_name():
    assert normalise_person_name("R0BIN L. RAPHEL") == "Robin L. Raphel"
    assert normalise_person_name("Joseph LeBaron") == "Joseph LeBaron"


def test_a_first_paragraph_run_on_after_the_statement_is_the_first_paragraph():
    # 09TRIPOLI686 (chillicoder's build): the statement and paragraph 1 on one line.
    cable = parse(
        "TAGS PREL, PGOV, ASEC, CASC, KMDR, KPAO, UK, LY \n"
        "SUBJECT: QADHAFI PERSONALLY WELCOMES LOCKERBIE BOMBER \n\n"
        "CLASSIFIED BY: Joan Polaschik, Charge d\u2019Affaires, U.S. Embassy Tripoli, "
        "Department of State. REASON: 1.4 (b), (d) 1. (C) Summary: Libyan leader Muammar "
        "al-Qadhafi personally met and welcomed convicted Pan Am 103 bomber. End Summary.\n\n"
        "\u00b62. (SBU) Libyan leader Muammar al-Qadhafi met convicted Pan Am 103 bomber.",
        reference_id="09TRIPOLI686",
        year=2009,
    )
    assert cable.classified_by == "Joan Polaschik"
    assert cable.reasons == ["1.4(b)", "1.4(d)"]
    assert cable.classified_by_line.endswith("REASON: 1.4 (b), (d)")
    assert [(p.number, p.marking) for p in cable.paragraphs] == [(1, "C"), (2, "SBU")]
    assert cable.summary.startswith("Libyan leader Muammar al-Qadhafi personally met")


def test_a_paragraph_glued_to_the_statement_gives_it_no_reasons():
    # 08CAIRO2133 (the 2011-04 build): "1.(C)" without a space, the (C) no reason 1.4(c).
    lines = [
        "Classified By: Minister Counselor for Economic and Political Affairs William R. "
        "Stewart for reasons 1.4 (b) and (d). 1.(C) Summary: The UN Office Director at the "
        "Egyptian MFA told us on September 29 a UN team would visit.",
    ]
    name, written = find_classified_by(lines)
    assert name == "William R. Stewart"
    assert written.endswith("for reasons 1.4 (b) and (d).")


def test_reasons_on_their_own_line_after_a_blank_line_are_the_statements():
    # 04BRASILIA991
    cable = parse(
        "Classified By: POLITICAL COUNSELOR DENNIS HEARNE. \n\nREASONS: 1.4 (B)(D) \n\n"
        "\u00b61. (C) Summary. Brazil is at an important stage. End summary.",
        reference_id="04BRASILIA991",
        year=2004,
    )
    assert cable.classified_by == "DENNIS HEARNE"
    assert cable.reasons == ["1.4(b)", "1.4(d)"]


# --- Declassification, summary, signer, recipients ----------------------------------------------


def test_a_two_digit_declassification_year_is_read():
    assert parse_declassify("6/30/08") == "2008-06-30"


def test_a_declassification_date_glued_to_the_tags_line_stops_at_the_date():
    assert parse_declassify("02/04/2019TAGS: EAIR ECON ETRD SENV EU UK") == "2019-02-04"
    assert parse_declassify("2020/02/16TAGS: PGOV") == "2020-02-16"


def test_a_declassification_event_is_kept_as_written():
    assert parse_declassify("1.6 FIVE YEARS AFTER CLOSURE OF ICTY") == (
        "1.6 FIVE YEARS AFTER CLOSURE OF ICTY"
    )


def test_a_summary_under_a_summary_heading_ends_at_end_summary():
    cable = parse(
        "Classified By: AMBASSADOR PHILIP D. MURPHY FOR REASONS 1.4 (B) AND (D)\n\nSUMMARY\n"
        "-------\n\n1. (C) Chancellor Merkel leads.\nEnd Summary.\n\n2. (C) More."
    )
    assert cable.summary == "Chancellor Merkel leads."


def test_a_summary_and_comment_written_with_an_ampersand_is_the_summary():
    # 09RIYADH181 ("¶1. (C) SUMMARY & COMMENT: Netherlands Ambassador Ron Strikker, ...")
    cable = parse(
        "¶1. (C) SUMMARY & COMMENT: Netherlands Ambassador Ron Strikker and Russian "
        "Ambassador Victor Gibinvish met on January 25 with Dr. Prince Turki Al-Kabeer.\n\n"
        "¶2. (C) More."
    )
    assert cable.summary == (
        "Netherlands Ambassador Ron Strikker and Russian Ambassador Victor Gibinvish met on "
        "January 25 with Dr. Prince Turki Al-Kabeer."
    )


def test_a_summary_without_an_end_mark_is_the_rest_of_its_block():
    cable = parse("1. (C) SUMMARY: Fidel Castro's health is failing.\n \nWHAT WE KNOW")
    assert cable.summary == "Fidel Castro's health is failing."


def test_the_signer_is_found_above_a_classification_line_and_a_footer():
    cable = parse(
        "1. (U) THE ANC GROUP REPORTEDLY FLED BACK.\n\nLORD\nLIMITED OFFICIAL USE\nNNNN\n"
    )
    assert cable.signer == "LORD"


def test_a_mixed_case_signer_alone_after_the_text_is_found():
    cable = parse("1. (C) We hope for close cooperation on operational matters.\n\nMurphy\n")
    assert cable.signer == "Murphy"


def test_a_signer_run_onto_the_last_sentence_is_found():
    cable = parse("1. (C) Request feedback by January 8. Point of contact is Tom. CLINTON")
    assert cable.signer == "CLINTON"
    assert cable.paragraphs[-1].text.endswith("Point of contact is Tom.")


def test_a_mixed_case_signer_after_two_blank_lines_is_found_and_the_text_is_whole():
    # Embassy Rangoon's cables.csv rows: the name after two blank lines.
    cable = parse(
        "1. (C) Comment: Though the regime will certainly not go as far as our ASEAN\n"
        "partners would like, it considers the issue stalled for now and for\n"
        "the near future. End comment.\n\n\nMartinez\n"
    )
    assert cable.signer == "Martinez"
    assert not cable.partial


def test_a_mixed_case_signer_run_onto_the_last_sentence_is_found():
    # 09CAIRO2130 (the 2011-04 build: a paragraph a line); it was taken for a text cut off.
    cable = parse(
        "1. (C) Key Points: Egypt will engage.\n\n2. (U) A/S Carson cleared this cable. Scobey",
        reference_id="09CAIRO2130",
        year=2009,
    )
    assert cable.signer == "Scobey"
    assert cable.paragraphs[-1].text == "A/S Carson cleared this cable."
    assert not cable.partial


def test_a_signer_written_twice_after_a_page_header_or_an_end_mark_is_found_once():
    for ending, signer, text in [
        ("This cable was cleared by ASD Vershbow. SCOBEY Scobey", "SCOBEY", "ASD Vershbow."),
        ("A/S Carson cleared this cable. CAIRO 00002129 003 OF 003 Scobey", "Scobey", "cable."),
        ("Implicated, and if so, to what degree. END COMMENT Palmer", "Palmer", "END COMMENT"),
        ("It will be posted at www.state.sgov.gov/demarche. Rice Nnnn", "Rice", "demarche."),
    ]:
        cable = parse(f"1. (C) Summary: Egypt will engage.\n\n2. (U) {ending}")
        assert cable.signer == signer, ending
        assert cable.paragraphs[-1].text.endswith(text), ending


def test_a_mixed_case_signer_on_the_line_after_the_last_sentence_is_found():
    # 07SOFIA1271 (the 2011-04 build): no blank line between the text and the name.
    cable = parse(
        "1. (C) Summary: Bulgaria will take part.\n\n"
        "2. (C) Comment: We recommend a visit by Ambassador Nuland before year's end to "
        "reinforce themes of interoperability and deployability at the highest military and "
        "political levels here. \nBeyrle",
        reference_id="07SOFIA1271",
        year=2007,
    )
    assert cable.signer == "Beyrle"
    assert cable.paragraphs[-1].text.endswith("political levels here.")
    assert not cable.partial


def test_a_mixed_case_signer_of_a_copy_whose_paragraphs_are_a_line_each_is_found():
    # 05BAGHDAD2946 and 30 more of a flattened copy: its ruled headings' lines in capitals are
    # more than its paragraphs' lines, which had made the text look written in capitals
    cable = parse(
        "--------------\nACTION REQUEST\n--------------\n\n"
        "1. (SBU) Embassy asks the department to request that US Mission Geneva approach UNHCR.\n\n"
        "--------------\nTALKING POINTS\n--------------\n\n"
        "2. (SBU) MNF-I requests UNHCR assistance for 192 Iranian nationals living in the TIPF.\n\n"
        "---------------------------\nQUERY FOR US MISSION GENEVA\n"
        "---------------------------\n\n"
        "6. (SBU) TIPF residents have access to APO mail, but are unsure of the correct address "
        "for personal letters to UNHCR.)\n\nSatterfield\n",
        "05BAGHDAD2946",
        2005,
    )
    assert (cable.signer, cable.partial) == ("Satterfield", False)


def test_a_signer_after_the_closing_formula_minimize_considered_is_found():
    # 05BAGHDAD3036, 05BAGHDAD2987
    cable = parse(
        "13. (C) Finally, Shahristani indicated that the TNA will request expert assistance.\n\n"
        "14. (U) REO HILLA, REO BASRA, REO MOSUL, and REO KIRKUK, minimize considered "
        "Satterfield",
        "05BAGHDAD3036",
        2005,
    )
    assert cable.signer == "Satterfield"
    assert cable.paragraphs[-1].text.endswith("minimize considered")


def test_a_one_word_sentence_wrapped_onto_the_last_line_is_no_signer():
    cable = parse(
        "1. (C) Summary: the ministers met twice.\n\n"
        "2. (C) We asked who had called the meeting.\nMubarak.\n"
    )
    assert cable.signer == ""


def test_a_common_word_after_the_last_sentence_is_no_signer():
    for ending in [
        "We look forward to your reply. Thanks",
        "Please advise. Minister",
        "We will report further. Tuesday",
        "The figures are listed below:\nTotal",
        "It ended. JR",
    ]:
        cable = parse(f"1. (U) Summary: the visit went well.\n\n2. (U) {ending}")
        assert cable.signer == "", ending
    # and in capitals: a common word after the last full stop is a sentence cut off
    for ending in ["EMBASSY WILL FOLLOW UP. MINISTER", "EMBASSY WILL FOLLOW UP. THE"]:
        cable = parse(f"1. (U) THE VISIT WENT WELL. {ending}")
        assert cable.signer == "", ending


def test_the_last_word_of_a_wrapped_sentence_is_not_a_signer():
    cable = parse("1. (U) PLEASE CABLE CONCURRENCE. BRIDGETOWN APPRECIATES TRINIDAD'S\nASSISTANCE.")
    assert cable.signer == ""


def test_addresses_after_xmt_are_exceptions_to_the_collective_before_them():
    cable = parse(
        "FM AMEMBASSY FOOBAR\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 3355\n"
        "RUEHX/EUROPEAN POLITICAL COLLECTIVE\nXMT AMEMBASSY SOFIA\nAMEMBASSY BUCHAREST"
    )
    assert cable.recipients == [
        Recipient("action", "SECSTATE WASHDC", "RUEHC", "IMMEDIATE"),
        Recipient(
            "action",
            "EUROPEAN POLITICAL COLLECTIVE",
            "RUEHX",
            excluded=["AMEMBASSY SOFIA", "AMEMBASSY BUCHAREST"],
        ),
    ]
    assert cable.recipients[0].mcn == "3355"


def test_a_page_header_after_to_is_not_a_recipient():
    cable = parse(
        "FM SECSTATE WASHDC\nTO PAGE 02        STATE   023763  071504Z\n"
        "AMEMBASSY NEW DELHI PRIORITY\nINFO MISSILE TECHNOLOGY CONTROL REGIME COLLECTIVE PRIORITY"
    )
    assert [(r.kind, r.name, r.precedence) for r in cable.recipients] == [
        ("action", "AMEMBASSY NEW DELHI", "PRIORITY"),
        ("info", "MISSILE TECHNOLOGY CONTROL REGIME COLLECTIVE", "PRIORITY"),
    ]


def test_the_receiving_offices_distribution_and_a_mirrors_date_line_are_no_recipients():
    # 09BERLIN485 ("INFO LOG-00 EEB-00 ..." above the date-time group), 08RANGOON44 and some
    # 900 records of one mirror ("Friday, 18 January 2008, 10:34" after the addressees)
    cable = parse(
        "INFO  LOG-00   EEB-00   AMAD-00  INL-00   DOTE-00  PDI-00   DHSE-00\n"
        "      FA-00      /001W\n"
        "                  ------------------5A9C83  271329Z /38\n"
        "R 271311Z APR 09\nFM AMEMBASSY BERLIN\nTO SECSTATE WASHDC 3926\n"
        "INFO WHITE HOUSE WASHINGTON DC\nFRG COLLECTIVE\n\nFriday, 18 January 2008, 10:34\n"
    )
    assert [(r.kind, r.name) for r in cable.recipients] == [
        ("action", "SECSTATE WASHDC"),
        ("info", "WHITE HOUSE WASHINGTON DC"),
        ("info", "FRG COLLECTIVE"),
    ]


def test_the_next_paragraphs_marking_after_the_statement_is_no_reason():
    # 08LONDON2702: "... for reasons 1.4 b and d (C)" + blank + the unnumbered paragraph
    cable = parse(
        "Classified By: Political Counselor Rick Mills for reasons 1.4 b and d (C)\n\n"
        " HMG does not intend to participate in Iran's November 30 nuclear conference.",
        "08LONDON2702",
    )
    assert (cable.classified_by, cable.reasons) == ("Rick Mills", ["1.4(b)", "1.4(d)"])


def test_a_bare_reference_to_the_own_post_with_a_higher_serial_is_the_year_before():
    from cables.parser.refs import parse_references

    cited = parse_references("A. LIMA 0389 B. LIMA 3853 C. 07 LIMA 4000", 2008, "08LIMA480")
    assert [c.cable_id for c in cited] == ["08LIMA389", "07LIMA3853", "07LIMA4000"]
    # Another post's numbering says nothing about the citing post's: its year stays.
    assert [c.cable_id for c in parse_references("QUITO 3853", 2008, "08LIMA480")] == [
        "08QUITO3853"
    ]


def test_a_classification_line_without_the_word_section():
    from cables.parser.telegram import BANNER

    banner = BANNER.match("S E C R E T 01 OF 02 RPO DUBAI 000288")
    assert (banner["sections"], banner["station"], banner["serial"]) == (
        "02",
        "RPO DUBAI",
        "000288",
    )


def test_square_bracketed_portion_markings_start_a_paragraph():
    from cables.parser import parse_cable
    from cables.parser.model import Hints

    text = "S E C R E T RPO DUBAI 000123\n\nSUBJECT: TEST\n\n1. [S/NF] First.\n\n2. [C] Second.\n"
    hints = Hints(reference_id="09RPODUBAI123", created=datetime(2009, 1, 1, tzinfo=UTC))
    cable = parse_cable(text, hints)
    assert [(p.number, p.marking, p.text) for p in cable.paragraphs] == [
        (1, "S/NF", "First."),
        (2, "C", "Second."),
    ]


def test_a_two_digit_year_between_station_and_serial():
    cited = parse_references("STATE 04 274600", 2005, "05BUENOSAIRES68")
    assert [c.cable_id for c in cited] == ["04STATE274600"]


def test_the_date_time_group_is_read_with_both_precedences_and_operating_signals():
    # 09TRIPOLI686's and 09CAIRO2130's routing headers: the mirror's hour is replaced by
    # the minute the cable was sent.
    for line, sent in [
        ("P R 231334Z AUG 09", datetime(2009, 8, 23, 13, 34, tzinfo=UTC)),
        ("O P 180030Z FEB 09", datetime(2009, 2, 18, 0, 30, tzinfo=UTC)),
        ("P 120947Z NOV 09 ZDK", datetime(2009, 11, 12, 9, 47, tzinfo=UTC)),
        ("R 091530Z JAN 08 ZFF4", datetime(2008, 1, 9, 15, 30, tzinfo=UTC)),
        # (08NAIROBI1363, 08CAIRO524, a dozen more: what the signal says after it)
        ("O 031401Z JUN 08 ZDS CTG RUEHSD 0020 1580042", datetime(2008, 6, 3, 14, 1, tzinfo=UTC)),
        ("O 161643Z MAR 08 //ZEL//", datetime(2008, 3, 16, 16, 43, tzinfo=UTC)),
        (
            "O R 041614Z FEB 10     (CCY ADX1C30B8 ICTOQ0621-623)",
            datetime(2010, 2, 4, 16, 14, tzinfo=UTC),
        ),
    ]:
        hints = Hints(
            reference_id="09CAIRO2130",
            created=sent.replace(minute=0),
            created_has_time=False,
            created_precision="hour",
        )
        text = (
            f"VZCZCXRO5823\nDE RUEHEG #2130/01 3160947\nZNY CCCCC ZZH\n{line}\n"
            "FM AMEMBASSY CAIRO\nTO RUEHC/SECSTATE WASHDC PRIORITY 4184\n\n"
            "C O N F I D E N T I A L CAIRO 002130\n\n1. (C) Text."
        )
        cable = parse_cable(text, hints)
        assert (cable.created, cable.created_precision) == (sent, "minute"), line


def test_a_line_that_only_looks_like_a_date_time_group_is_not_one():
    from cables.parser.fields import parse_dtg

    assert parse_dtg("P 120947Z NOV 09 SECTION 1") is None
    assert parse_dtg("REF: 120947Z NOV 09") is None


def test_the_mirrors_pilcrow_before_a_year_that_began_a_line_is_dropped():
    # 06MADRID293: "Could be released in June ¶2006." (the mirror marks any number that
    # began a line); one that may open a paragraph run into the text stays.
    cable = parse(
        "1. (C) The report could be released in June\n¶2006. Its authors met in\n"
        "Madrid. Summary ¶2. (C) Text run in.\n"
    )
    assert cable.paragraphs[0].text == (
        "The report could be released in June 2006. Its authors met in Madrid. "
        "Summary ¶2. (C) Text run in."
    )


def test_a_heading_over_a_spaced_rule_heads_the_next_paragraph():
    # Embassy Nassau's cables.csv rows (04NASSAU2336): "- - - -" under each heading.
    cable = parse(
        "SUMMARY \n- - - - \n\n1.  (C) Detained Cuban migrants set fire to a dormitory.  End\n"
        "Summary. \n\n\nCOMMENT \n- - - - \n6.  (C) Fox Hill Prison has been a source of\n"
        "controversy. \n"
    )
    assert [(p.number, p.heading) for p in cable.paragraphs] == [(1, "SUMMARY"), (6, "COMMENT")]
    assert cable.summary == "Detained Cuban migrants set fire to a dormitory."


def test_the_rows_of_a_table_ruled_off_line_by_line_are_text_not_headings():
    # Embassy Santo Domingo's cables.csv row 20225: each row was taken for a heading, and
    # each heading for the next; the table was lost.
    cable = parse(
        "5.  (U) Following is a chart of imports.\n\n"
        "Dominican Petroleum Imports, 2002-2003 \n- - - - - \n"
        "Volume (bbl)           50,090,123                 47,421,453 \n- - - - \n"
        "Cost (USD)             1,297,029,291            1,428,933,161 \n- - - - - \n"
        "Venezuela           55 pct                     11 pct \n"
        "------------------------------------------ \n"
        "USA                  NA                           28 pct \n"
        "----------------------------------------- \n\nKUBISKE\n"
    )
    (chart,) = cable.paragraphs
    assert chart.text == (
        "Following is a chart of imports.\n\nDominican Petroleum Imports, 2002-2003 "
        "Volume (bbl) 50,090,123 47,421,453 Cost (USD) 1,297,029,291 1,428,933,161 "
        "Venezuela 55 pct 11 pct USA NA 28 pct"
    )
    assert cable.signer == "KUBISKE"


def test_a_heading_ruled_off_right_under_a_paragraphs_end_heads_the_next_paragraph():
    # 06MOSCOW11316's layout: no blank line between the paragraph and the heading's rules.
    cable = parse("1. (U) Ends here.\n-----\nEconomic Outlook\n-----\n2. (U) Grew.")
    assert [(p.number, p.heading, p.text) for p in cable.paragraphs] == [
        (1, "", "Ends here."),
        (2, "Economic Outlook", "Grew."),
    ]


def test_a_numbered_paragraph_over_a_rule_is_the_paragraph_not_a_heading():
    # 09ASMARA80: "¶2. (S) The Regime's Political Capital is Tanking" over "------- ---".
    cable = parse(
        "1. (C) Summary: text.\n\n"
        "\u00b62. (S) The Regime's Political Capital is Tanking\n------- ---\nMore text.\n"
    )
    assert [(p.number, p.marking, p.heading) for p in cable.paragraphs] == [
        (1, "C", ""),
        (2, "S", ""),
    ]
    assert cable.paragraphs[1].text == "The Regime's Political Capital is Tanking More text."


def test_a_heading_between_paragraphs_a_line_each_heads_the_next_one():
    # 09STATE83026 (the 2011-04 build, a paragraph a line): the paragraph after the heading
    # is followed by the next heading's rule, like a table's row; its summary was lost.
    cable = parse(
        " \u00b61. (U) This is an action request. Please see paragraphs 4-6.\n"
        "---------------------- \nSUMMARY AND OBJECTIVES\n---------------------- \n"
        "\u00b62. (SBU) In May 2009, the listed entity asked for its delisting. End summary.\n"
        "---------------------- \nBACKGROUND\n---------------------- \n"
        "\u00b63. (SBU) On December 10, 2008, the Committee took action.\n"
    )
    assert [(p.number, p.heading) for p in cable.paragraphs] == [
        (1, ""),
        (2, "SUMMARY AND OBJECTIVES"),
        (3, "BACKGROUND"),
    ]
    assert cable.summary == "In May 2009, the listed entity asked for its delisting."


def test_a_heading_with_no_paragraph_under_it_stays_in_front_of_the_next():
    # Embassy Tel Aviv's media reactions: "2. Campaign Against Terrorism:" over a rule, then
    # "Summary:" over another; the first was overwritten, its words lost.
    cable = parse(
        "1. Mideast:\n\nThe papers led with the summit.\n\n"
        "2. Campaign Against Terrorism:\n-------------------\n\nSummary:\n--------\n\n"
        "The Jerusalem Post editorialized on the war.\n"
    )
    assert cable.paragraphs[-1].heading == "2. Campaign Against Terrorism: / Summary:"
    assert cable.paragraphs[-1].text == "The Jerusalem Post editorialized on the war."


# --- Paragraphs the mirrors ran together ------------------------------------------------------


def test_a_marked_paragraph_opens_after_a_closing_curly_quote_or_a_redaction():
    # 09DAMASCUS880 and 09COLOMBO830 (the 2011-04 build: a paragraph a line, no blank line)
    cable = parse(
        "\u00b65. (S/NF) He added, \u201cBut now, things are moving back to equilibrium.\u201d\n"
        "\u00b66. (S/NF) By the time of Vahidi\u2019s visit, some Syrian officials were grousing.\n"
        "\u00b67. (S) The doctors were released on bail today. XXXXXXXXXXXX\n"
        "\u00b68. (S) The doctors XXXXXXXXXXXX had been pressured.",
        reference_id="09DAMASCUS880",
        year=2009,
    )
    assert [(p.number, p.text[:18]) for p in cable.paragraphs] == [
        (5, "He added, \u201cBut now"),
        (6, "By the time of Vah"),
        (7, "The doctors were r"),
        (8, "The doctors XXXXXX"),
    ]


def test_the_distribution_caption_is_taken_out_of_the_text():
    # 06MADRID779: on a line of its own inside a sentence; 05DUSHANBE1702 and 05NEWDELHI4721:
    # run into a line of prose
    cable = parse(
        "1. (C) Moratinos wants a meeting with\nSecretary Rice. (Note: Moratinos last met "
        "with Secretary\n\nSIPDIS\nRice in Washington on May 3, 2005).\n\n"
        "2. (C) A collaboration would have political value because it would concretely SIPDIS "
        "demonstrate U.S.-Russia cooperation. Secretary Rice took the right approach in a\n"
        "SIPDIS interview.\n\n3. (C) The visit went well.\n\nSIPDIS\n\n4. (C) Comment: none.",
        reference_id="06MADRID779",
        year=2006,
    )
    texts = [p.text for p in cable.paragraphs]
    assert texts[0].endswith("last met with Secretary Rice in Washington on May 3, 2005).")
    assert "concretely demonstrate U.S.-Russia" in texts[1]
    assert texts[1].endswith("the right approach in a interview.")
    assert [p.number for p in cable.paragraphs] == [1, 2, 3, 4]
    assert not any("SIPDIS" in text for text in texts)


def test_a_page_header_run_into_a_line_of_prose_is_taken_out():
    # 10TBILISI203, 05BUENOSAIRES118 (the post's name cut to ten letters), 06NEWDELHI9527
    cable = parse(
        "1. (C) Another opposition TBILISI 00000203 002 OF 004 leader, Irakli Alasania, "
        "agreed. A strong reserve  BUENOS AIR 00000118  002 OF 006 position. No one with the "
        "NAC NEW DELHI 00009527  005 OF 005  has asked.",
        reference_id="10TBILISI203",
        year=2010,
    )
    assert " ".join(cable.paragraphs[0].text.split()) == (
        "Another opposition leader, Irakli Alasania, agreed. A strong reserve position. "
        "No one with the NAC has asked."
    )


def test_a_heading_on_the_line_above_a_marked_paragraph_heads_it():
    # 10CARACAS69 (the 2011-04 build): no blank line around the heading
    cable = parse(
        "\u00b61. (C) Summary: Chavez is betting on short term measures. End summary.\n"
        "2009: The Year the Bubble Burst\n"
        "\u00b62. (C) Venezuela\u2019s bubble burst in 2009.\n"
        "CONFIDENTIAL\n"
        "\u00b63. (C) Forecasts by local analysts vary.",
        reference_id="10CARACAS69",
        year=2010,
    )
    assert [(p.number, p.heading, p.text) for p in cable.paragraphs] == [
        (1, "", "Summary: Chavez is betting on short term measures. End summary."),
        (2, "2009: The Year the Bubble Burst", "Venezuela\u2019s bubble burst in 2009."),
        (3, "2009: The Year the Bubble Burst", "Forecasts by local analysts vary."),
    ]


def test_a_pages_classification_line_goes_but_the_same_word_wrapped_alone_in_the_text_stays():
    # 01VATICAN3619 (an unclassified cable): the page's "UNCLASSIFIED" mid-sentence; 02ADANA398
    # (unclassified too): a headline wrapped before its last word
    cable = parse(
        "1. THE POPE\nUNCLASSIFIED\nREPEATED HIS DESCRIPTION OF THE EMBARGO.\n\n"
        "2. POLICE OFFICER CONVICTED FOR REVEALING STATE \nSECRET \n \nSIPDIS \n"
        "(Evrensel)  Diyarbakir State Security Court convicted Cizre.",
        reference_id="01VATICAN3619",
        year=2001,
        classification="UNCLASSIFIED",
    )
    assert [" ".join(p.text.split()) for p in cable.paragraphs] == [
        "THE POPE REPEATED HIS DESCRIPTION OF THE EMBARGO.",
        "POLICE OFFICER CONVICTED FOR REVEALING STATE SECRET (Evrensel) Diyarbakir State "
        "Security Court convicted Cizre.",
    ]


def test_a_later_sections_routing_block_is_a_page_break_and_the_dumps_footer_goes():
    # 01VATICAN2600 (a cables.csv row): section 2 opens with its own routing block and
    # preamble in the middle of a sentence; the signer is run onto the last sentence
    text = (
        "UNCLAS SECTION 01 OF 02 VATICAN 002600\n\nSIPDIS\n\nE.O. 12958: N/A\n"
        "TAGS: PREL, PHUM, GR, SY, VT\nSUBJECT: VATICAN VERBATIM\n\n"
        "1. IN THE WAKE OF A 1998 MURDER-SUICIDE SCANDAL, THE\n"
        "SELECTION PROCESS HAS BEEN TOUGHENED UP. AMONG THE \n \n"
        "                       UNCLASSIFIED \n \n"
        "                           UNCLASSIFIED     PTQ1417 \n \n"
        "PAGE 01        VATICA  02600  02 OF 02  122002Z \nACTION EUR-00 \n \n"
        "INFO  LOG-00   AID-00   CIAE-00  DODE-00  SRPP-00  EB-00    UTED-00 \n"
        "        /008W \n                  ------------------EAE243  122002Z /75 \n"
        "R 111237Z MAY 01 \nFM AMEMBASSY VATICAN \nTO SECSTATE WASHDC 0000 \n"
        "INFO EUROPEAN POLITICAL COLLECTIVE \n \nUNCLAS SECTION 02 OF 02 VATICAN 002600 \n \n"
        "SIPDIS \n \nDEPT. FOR EUR/WE (VAN CLEVE), EUR/SE, EUR/PD/PA, DRL/IRF, \nNEA/ARN \n \n"
        "FROM EMBASSY VATICAN/MESSAGE NO. 70/01 \n \nE.O. 12958: N/A \n"
        "TAGS: PREL, PHUM, GR, SY, VT \n \nSUBJECT: VATICAN VERBATIM \n \n"
        "REQUIREMENTS LISTED ON THE GUARD'S WEB PAGE ARE SWISS \n"
        "                       UNCLASSIFIED \n \n"
        "PAGE 02        VATICA  02600  02 OF 02  122002Z \n"
        "CITIZENSHIP. SERVICE IN THE SWISS GUARD IS FOR TWO YEARS WITH OPTIONS FOR \n"
        "RENEWAL. MERANTE \n \n                       UNCLASSIFIED \n \n> \n \n\n"
        " 2001VATICA02600 - Classification: UNCLASSIFIED \n\n"
    )
    cable = parse(text, reference_id="01VATICAN2600", year=2001, classification="UNCLASSIFIED")
    assert [" ".join(p.text.split()) for p in cable.paragraphs] == [
        "IN THE WAKE OF A 1998 MURDER-SUICIDE SCANDAL, THE SELECTION PROCESS HAS BEEN "
        "TOUGHENED UP. AMONG THE REQUIREMENTS LISTED ON THE GUARD'S WEB PAGE ARE SWISS "
        "CITIZENSHIP. SERVICE IN THE SWISS GUARD IS FOR TWO YEARS WITH OPTIONS FOR RENEWAL."
    ]
    assert cable.signer == "MERANTE"
    assert cable.warnings == []


def test_a_signer_run_on_after_a_redaction_in_its_own_paragraph():
    # 07BUJUMBURA515: "¶9. (C/NF) XXXXXXXXXXXX MOLLER"; an upper-case text's common word is
    # no signer ("... FOR RENEWAL. THE" is a sentence cut off)
    cable = parse("1. (C) We have not made any offers. \n\n9. (C/NF) XXXXXXXXXXXX MOLLER")
    assert cable.signer == "MOLLER"
    cut = parse("1. (C) SERVICE IN THE GUARD IS FOR TWO YEARS WITH OPTIONS FOR RENEWAL. THE")
    assert cut.signer == ""
    assert cut.partial


def test_a_posts_website_box_goes_and_the_signer_after_it_is_found():
    # 08LONDON1939 (the address broken by the mirror, the signer on the next line),
    # 08LONDON1176 (all on one line), 09TELAVIV457 (a box of stars)
    for ending, signer in [
        (
            "position as party leader.\nVisit London\u2019s Classified Website: "
            "http://www.intelink.sgov.gov/wiki/Portal:Unit ed_Kingdom\nTUTTLE",
            "TUTTLE",
        ),
        (
            "international issue. Visit London\u2019s Classified Website: "
            "http://www.intelink.sgov.gov/wiki/Portal:Unit ed_Kingdom TUTTLE",
            "TUTTLE",
        ),
        (
            "international issue.\n*************\nVisit Embassy Tel Aviv's Classified Website:\n"
            "http://www.state.sgov.gov/p/nea/telaviv\n\nYou can also access this site through "
            "the State Department's\nClassified SIPRNET website.\n"
            "********************************************* *********\nCUNNINGHAM",
            "CUNNINGHAM",
        ),
    ]:
        cable = parse(f"1. (C) Summary: the talks went well.\n\n2. (C) {ending}")
        assert cable.signer == signer, ending
        assert cable.paragraphs[-1].text.endswith(("leader.", "issue.")), ending
        assert not cable.partial, ending
    # a sentence that names the website stays whole (04WELLINGTON949)
    cable = parse(
        "1. (U) The paper can be found at Embassy\nWellington's Classified Website.\nSwindells"
    )
    assert cable.paragraphs[0].text.endswith("at Embassy Wellington's Classified Website.")


def test_the_mirrors_cable_ends_trailer_is_no_part_of_the_text():
    # 04BOGOTA3619 (a cablegate page of an older build)
    cable = parse(
        "1. (C) Within the Fiscalia, there is room to transfer \nsuspect officials. \nWOOD "
        "\n\n=======================CABLE ENDS============================"
    )
    assert cable.signer == "WOOD"
    assert (
        cable.paragraphs[-1].text
        == "Within the Fiscalia, there is room to transfer suspect officials."
    )
    assert not cable.partial


def test_a_later_sections_text_is_kept_whole_up_to_its_next_section():
    # 95ZAGREB1822 (a cables.csv row): section 2 opens in the middle of a paragraph, and the
    # paragraphs after it have neither pilcrow nor marking
    text = (
        "UNCLAS SECTION 01 OF 02 ZAGREB 001822\n\nE.O. 12356: N/A\nTAGS: PREL, HR\n"
        "SUBJECT: AKASHI\n\n1. AKASHI SAID THE \n"
        "                           UNCLASSIFIED     PTQ3390 \n\n"
        "PAGE 01        ZAGREB  01822  02 OF 02  251200Z \nACTION EUR-00 \n\n"
        "R 251200Z APR 95 \nFM AMEMBASSY ZAGREB \nTO SECSTATE WASHDC 0000 \n\n"
        "UNCLAS SECTION 02 OF 02 ZAGREB 001822 \n\nE.O. 12356: N/A \nTAGS: PREL, HR \n"
        "SUBJECT: AKASHI \n\nKRAJINA SERBS WOULD NOT AGREE.\n\n2. THE TALKS WILL GO ON.\n\n"
        "3. AKASHI READILY AGREED TO THE LAST POINT.\n\nGALBRAITH\n"
    )
    cable = parse(text, reference_id="95ZAGREB1822", year=1995, classification="UNCLASSIFIED")
    assert [(p.number, " ".join(p.text.split())) for p in cable.paragraphs] == [
        (1, "AKASHI SAID THE KRAJINA SERBS WOULD NOT AGREE."),
        (2, "THE TALKS WILL GO ON."),
        (3, "AKASHI READILY AGREED TO THE LAST POINT."),
    ]
    assert cable.signer == "GALBRAITH"


def test_text_run_onto_an_old_page_header_is_kept_and_a_press_reviews_page_is_text():
    # 01VATICAN3507; Embassy Bratislava's press review ("PAGE 10: ...")
    cable = parse(
        "1. THE VATICAN HAS \nPAGE 04 VATICA 03507 01 OF 04 031719Z FOREIGN POLICY "
        "INITIATIVES.\n\n2. (U) SME, PAGE 10: 'Honor for Slovakia' reports the visit.",
        reference_id="01VATICAN3507",
        year=2001,
    )
    assert [" ".join(p.text.split()) for p in cable.paragraphs] == [
        "THE VATICAN HAS FOREIGN POLICY INITIATIVES.",
        "SME, PAGE 10: 'Honor for Slovakia' reports the visit.",
    ]


def test_a_website_box_after_text_on_its_line_leaves_the_heading_above_and_please_goes():
    # 08LONDON1862, 07PARIS4450
    cable = parse(
        "9. (C) We think so.\n\nComment\n-------\n\n10. (C) We will see. Visit London's "
        "Classified Website: XXXXXXXXXXXX\n\n11. (C) Sarkozy rivalry. Please visit Paris' "
        "Classified Website at: http://www.state.sgov.gov/p/eur/paris/index.cfm\nSTAPLETON"
    )
    assert [(p.number, p.heading, p.text) for p in cable.paragraphs] == [
        (9, "", "We think so."),
        (10, "Comment", "We will see."),
        (11, "Comment", "Sarkozy rivalry."),
    ]
    assert cable.signer == "STAPLETON"


def test_a_page_header_run_into_prose_takes_only_the_posts_name_with_it():
    # 09TRIPOLI961
    cable = parse(
        "1. (C) His address to the UN TRIPOLI 00000961 002.2 OF 002 General Assembly ran long.",
        reference_id="09TRIPOLI961",
        year=2009,
    )
    assert cable.paragraphs[0].text == "His address to the UN General Assembly ran long."


def test_addressees_run_onto_one_line_are_each_read():
    # 08RIYADH1134 (json/mongoexport) and 09CAIRO184 (a cablegate page) lost their header's
    # line ends: "RIYADHTO RUEHC/", "8838INFO RUEHEE/", "IMMEDIATERUCNMEM/"
    cable = parse(
        "VZCZCXYZ0000\nOO RUEHWEB\nDE RUEHRH #1134 2040500\nZNY SSSSS ZZH\n"
        "O 220500Z JUL 08 ZDK CTG #00732FM AMEMBASSY RIYADHTO RUEHC/SECSTATE WASHDC "
        "IMMEDIATE 8838INFO RUEHEE/ARAB LEAGUE COLLECTIVE IMMEDIATERUCNMEM/EU MEMBER STATES "
        "COLLECTIVE IMMEDIATERUEHJI/AMCONSUL JEDDAH IMMEDIATE 0123\nBT\n"
        "S E C R E T RIYADH 001134\n\nE.O. 12958: DECL: 07/21/2018\nTAGS: PREL SA\n"
        "SUBJECT: TEST\n\n1. (S) Text.\n\nFRAKER\n",
        reference_id="08RIYADH1134",
        classification="SECRET",
    )
    assert [(r.kind, r.route, r.name, r.precedence, r.mcn) for r in cable.recipients] == [
        ("action", "RUEHC", "SECSTATE WASHDC", "IMMEDIATE", "8838"),
        ("info", "RUEHEE", "ARAB LEAGUE COLLECTIVE", "IMMEDIATE", ""),
        ("info", "RUCNMEM", "EU MEMBER STATES COLLECTIVE", "IMMEDIATE", ""),
        ("info", "RUEHJI", "AMCONSUL JEDDAH", "IMMEDIATE", "0123"),
    ]


def test_a_ref_field_a_mirror_ran_into_its_title_is_no_part_of_the_subject():
    # 09LONDON2333: the cablegate page's title "... PROCESS REF: BANJUL 235"
    hints = Hints(
        reference_id="09LONDON2333",
        created=datetime(2009, 10, 14, tzinfo=UTC),
        classification="CONFIDENTIAL",
        title="THE GAMBIA: UK CONCERNED ABOUT HUMAN RIGHTS, NO PROGRESS ON EU ARTICLE 8 "
        "PROCESS REF: BANJUL 235",
    )
    cable = parse_cable(
        "SUBJECT: THE GAMBIA: UK CONCERNED ABOUT HUMAN RIGHTS, NO PROGRESS ON EU ARTICLE 8 "
        "PROCESS  REF: BANJUL 235\n\n1. (C/NF) The UK is concerned.",
        hints,
    )
    assert cable.subject == (
        "THE GAMBIA: UK CONCERNED ABOUT HUMAN RIGHTS, NO PROGRESS ON EU ARTICLE 8 PROCESS"
    )
    assert [r.cable_id for r in cable.references] == ["09BANJUL235"]


def test_reasons_typed_with_a_colon_and_a_statement_naming_the_level_are_read():
    # 09KABUL1892 ("1:4 b,d") and 97NEWDELHI6957 ("CLASSIFIED SECRET BY ...")
    cable = parse(
        "Classified By: Ambassador Karl W. Eikenberry for Reasons 1:4 b,d\n\n"
        "1. (C) Summary: The Ambassador met Karzai.",
        reference_id="09KABUL1892",
        year=2009,
    )
    assert (cable.classified_by, cable.reasons) == ("Karl W. Eikenberry", ["1.4(b)", "1.4(d)"])
    cable = parse(
        "1. (U) CLASSIFIED SECRET BY NEW DELHI ACTING POLITICAL COUNSELOR GORDON HELLWIG. "
        "REASON 1.5 (C).\n\n2. (S) A NEW GROUP HAS BEEN FORMED.",
        reference_id="97NEWDELHI6957",
        year=1997,
        classification="SECRET",
    )
    assert (cable.classified_by, cable.reasons) == ("GORDON HELLWIG", ["1.5(c)"])


def test_an_addressees_range_of_message_numbers_is_no_part_of_its_name():
    # 09STATE81957: "TO RUEHMO/AMEMBASSY MOSCOW IMMEDIATE 2593-2599"
    cable = parse(
        "FM SECSTATE WASHDC\nTO RUEHMO/AMEMBASSY MOSCOW IMMEDIATE 2593-2599\n"
        "INFO RUEHBO/AMEMBASSY BOGOTA IMMEDIATE 3806-3812",
        reference_id="09STATE81957",
        year=2009,
    )
    assert [(r.kind, r.name, r.route, r.precedence) for r in cable.recipients] == [
        ("action", "AMEMBASSY MOSCOW", "RUEHMO", "IMMEDIATE"),
        ("info", "AMEMBASSY BOGOTA", "RUEHBO", "IMMEDIATE"),
    ]


def test_the_iran_regional_presence_offices_2007_cables_are_iranrpodubai():
    # 07IRANRPODUBAI22 citing "RPO DUBAI 0015": every 2007 id of the office is
    # 07IRANRPODUBAI..., every later one 08RPODUBAI... (29 references had pointed nowhere)
    assert cited("RPO DUBAI 0015", 2007, "07IRANRPODUBAI22") == ["07IRANRPODUBAI15"]
    assert cited("RPO DUBAI 0015", 2009, "09RPODUBAI319") == ["09RPODUBAI15"]
