"""How a cable's body is cut into paragraphs: real fragments from the shared corpus."""

from .conftest import parse_fragment as parse


def test_a_dash_of_the_prose_wrapped_to_the_start_of_a_line_goes_on_with_its_sentence():
    # 08MEXICO1487, 06ISLAMABAD5903 and 10MOSCOW317: a line that opens with "--" after a line
    # of prose that ends in a word had opened a list item of its own, cutting the sentence
    cable = parse(
        "1. (C) Gaining Mexican cooperation has been a challenge, and Mexican governments\n"
        "-- including Calderon's -- have generally sought to maintain their distance.\n\n"
        '2. (C) Kasuri responded that this was "no problem"\n'
        "-- Pakistan had crossed that bridge long ago.\n\n"
        "3. (C) Luzhkov's connections to Moscow's business community\n"
        "-- the big and legitimate as well as the marginal and corrupt\n"
        "-- has enabled him to call for support when he needs it.",
        reference_id="08MEXICO1487",
        year=2008,
    )
    assert [p.text for p in cable.paragraphs] == [
        "Gaining Mexican cooperation has been a challenge, and Mexican governments -- "
        "including Calderon's -- have generally sought to maintain their distance.",
        'Kasuri responded that this was "no problem" -- Pakistan had crossed that bridge long ago.',
        "Luzhkov's connections to Moscow's business community -- the big and legitimate as "
        "well as the marginal and corrupt -- has enabled him to call for support when he "
        "needs it.",
    ]


def test_list_items_that_open_with_a_dash_stay_items():
    # 06ISLAMABAD5070, 10STATE7810, 09BRASILIA757: after a colon, under a heading in
    # capitals, after an item of their own, or opening with a word of the language
    cable = parse(
        "1. (C) Aslam raised two key issues:\n"
        "-- A request that the U.S. provide the GOP hard evidence; and\n"
        "-- A request that the U.S. identify specific individuals.\n\n"
        "2. (C) POINTS ABOUT PUBLIC DISCUSSION OF PLANS (FOR USE AT POST'S DISCRETION)\n"
        "-- The United States believes strongly that such planning is needed.\n\n"
        "3. (U) The working groups will cover the following areas of common interest\n"
        "-- Intellectual property\n"
        "-- Cybercrimes and the protection of children on line, among other subjects\n"
        "-- Money laundering",
        reference_id="06ISLAMABAD5070",
        year=2006,
    )
    assert [p.text.split("\n\n") for p in cable.paragraphs] == [
        [
            "Aslam raised two key issues:",
            "-- A request that the U.S. provide the GOP hard evidence; and",
            "-- A request that the U.S. identify specific individuals.",
        ],
        [
            "POINTS ABOUT PUBLIC DISCUSSION OF PLANS (FOR USE AT POST'S DISCRETION)",
            "-- The United States believes strongly that such planning is needed.",
        ],
        [
            "The working groups will cover the following areas of common interest",
            "-- Intellectual property",
            "-- Cybercrimes and the protection of children on line, among other subjects",
            "-- Money laundering",
        ],
    ]


def test_a_page_header_a_mirror_wrote_in_lower_case_is_dropped():
    # 10ISLAMABAD416 and 10YAOUNDE95: "Islamabad 00000416 002 of 004" had stayed in the text
    # mid-sentence, and a page header between paragraphs had become their heading
    cable = parse(
        "1. (C) Extremist groups could hamper the operations of the\n"
        "Islamabad 00000416 002 of 004\n"
        "Embassy.\n\n"
        "New Initiatives\n\n"
        "2. (U) In August, 2009 the government awarded a contract.\n\n"
        "Islamabad 00000416 003 of 004\n\n"
        "3. (U) Also in the past year, companies have gotten agreements.",
        reference_id="10ISLAMABAD416",
        year=2010,
    )
    assert [(p.number, p.heading, p.text) for p in cable.paragraphs] == [
        (1, "", "Extremist groups could hamper the operations of the Embassy."),
        (2, "New Initiatives", "In August, 2009 the government awarded a contract."),
        (3, "New Initiatives", "Also in the past year, companies have gotten agreements."),
    ]


def test_a_marking_before_the_text_or_the_number_is_the_paragraphs_marking():
    # 09LONDON2333: an unnumbered paragraph's "(C/NF)"; 07BAGHDAD3504: "(C) 3." with the
    # marking before the number had run into the paragraph above
    cable = parse(
        "(C/NF) UK Foreign Office West Africa team leader Paul Welsh told poloff October 13 "
        "that the UK is concerned.",
        reference_id="09LONDON2333",
        year=2009,
    )
    assert [(p.number, p.marking, p.text[:24]) for p in cable.paragraphs] == [
        (None, "C/NF", "UK Foreign Office West A"),
    ]
    cable = parse(
        "(C) 1. The Embassy obtained a copy of the investigation report.\n\n"
        "GOI Investigation\n\n"
        "(C) 2. On October 11 the Ministry of Defense gave the Embassy a copy.\n\n"
        "(C) 3. The report concludes that the conduct of the PSD violated Iraqi law.",
        reference_id="07BAGHDAD3504",
        year=2007,
    )
    assert [(p.number, p.marking, p.heading, p.text[:22]) for p in cable.paragraphs] == [
        (1, "C", "", "The Embassy obtained a"),
        (2, "C", "GOI Investigation", "On October 11 the Mini"),
        (3, "C", "GOI Investigation", "The report concludes t"),
    ]


def test_a_posts_classified_web_site_box_leaves_the_text_and_its_signer_is_read():
    # 09ANKARA1654 ("Web Site" in two words, a quote around the box, the address broken over
    # two lines), 09MEXICO1048 (a second address after the first) and 07MEXICO6229 (the box
    # and the signer run onto the last line of text)
    cable = parse(
        "1. (C) Gordon has cleared this cable.\n\n"
        "JEFFREY \"Visit Ankara's Classified Web Site at http://www.intelink.s\n"
        'gov.gov/wiki/Portal:Turkey"\n',
        reference_id="09ANKARA1654",
        year=2009,
    )
    assert (cable.paragraphs[-1].text, cable.signer) == (
        "Gordon has cleared this cable.",
        "JEFFREY",
    )
    cable = parse(
        "1. (C) State and Justice are working on this idea.\n\n"
        "Visit Mexico City's Classified Web Site at\n"
        "http://www.state.sgov.gov/p/wha/mexicocity and the North American\n"
        "Partnership Blog at http://www.intelink.gov/communities/state/nap /\n"
        "BASSETT\n",
        reference_id="09MEXICO1048",
        year=2009,
    )
    assert (cable.paragraphs[-1].text, cable.signer) == (
        "State and Justice are working on this idea.",
        "BASSETT",
    )
    cable = parse(
        "1. (C) Post will continue its efforts to engage judges.   Visit Mexico City's "
        "Classified Web Site at http://www.state.sgov.gov/p/wha/mexicocity and the North "
        "American Partnership Blog at http://www.intelink.gov/communities/state/nap / BASSETT",
        reference_id="07MEXICO6229",
        year=2007,
    )
    assert (cable.paragraphs[-1].text, cable.signer) == (
        "Post will continue its efforts to engage judges.",
        "BASSETT",
    )


def test_headings_wrapped_over_two_lines_ruled_off_quoted_or_ending_in_a_colon():
    # 09KABUL1892 (a heading wrapped over two lines above its rule), 08DJIBOUTI380 (between
    # rules, with a full stop), 10ANKARA87 (a title in quotes alone between blank lines) and
    # 09STATE81957 ("Comment:" alone on its line): each had run into the paragraph above
    cable = parse(
        "5. (S/NF) Karzai relies on personalities of the past.\n\n"
        "AMBASSADOR: FOCUS SHOULD BE ON AFGHAN GOVT WINNING HEARTS AND\n"
        "MINDS\n"
        "---------------------------------------------- --------------\n\n"
        "6. (S/NF) Karzai then returned to a familiar theme.\n"
        "---------------------------------------------- ----------\n"
        "ISAIAS “A LUNATIC”; SUSPICIOUS OF ETHIOPIA AND THE U.S.\n"
        "---------------------------------------------- ----------\n"
        "7. (S) The Eritrean government was very unpredictable, Youssouf said.\n\n"
        '"Zero Problems with Turkey\'s Neighbors"\n\n'
        "8. (C) Davutoglu's first principle.\n\n"
        "Comment:\n\n"
        "9. (S/NF) Both sides agreed to meet again.",
        reference_id="09KABUL1892",
        year=2009,
    )
    assert [(p.number, p.heading, p.text) for p in cable.paragraphs] == [
        (5, "", "Karzai relies on personalities of the past."),
        (
            6,
            "AMBASSADOR: FOCUS SHOULD BE ON AFGHAN GOVT WINNING HEARTS AND MINDS",
            "Karzai then returned to a familiar theme.",
        ),
        (
            7,
            "ISAIAS “A LUNATIC”; SUSPICIOUS OF ETHIOPIA AND THE U.S.",
            "The Eritrean government was very unpredictable, Youssouf said.",
        ),
        (8, '"Zero Problems with Turkey\'s Neighbors"', "Davutoglu's first principle."),
        (9, "Comment:", "Both sides agreed to meet again."),
    ]


def test_a_numbered_paragraphs_own_first_line_and_a_salutation_are_no_heading():
    # 04MADRID613: a numbered question wrapped above a rule stays the paragraph's text;
    # 05THEHAGUE406: "Madame Secretary:" opens a scene-setter
    cable = parse(
        "3. (U) WHAT'S AT STAKE IN THIS ELECTION?\n\n"
        "-- All 350 seats in the Congress of Deputies.\n\n"
        "4. HOW ARE SEATS ALLOCATED AND MEMBERS ELECTED TO THE\n"
        "CONGRESS OF DEPUTIES?\n"
        "-------------------------------------------\n\n"
        "-- Each of the 50 provinces is entitled to a minimum of two seats.\n\n"
        "Madame Secretary:\n\n"
        "5. (C) Your visit comes at an opportune moment.",
        reference_id="04MADRID613",
        year=2004,
    )
    assert [p.number for p in cable.paragraphs][:2] == [3, 4]
    assert cable.paragraphs[1].text.startswith("HOW ARE SEATS ALLOCATED")
    assert cable.paragraphs[-1].number == 5
    assert cable.paragraphs[-1].heading != "Madame Secretary:"


def test_a_signer_typed_in_lower_case_after_the_website_box_is_the_signer():
    # 05TELAVIV45
    cable = parse(
        "7. (C) The above are in addition to claims for Jewish property from Arab lands.\n\n"
        "********************************************* ********************\n"
        "Visit Embassy Tel Aviv's Classified Website:\n"
        "http://www.state.sgov.gov/p/nea/telaviv\n\n"
        "You can also access this site through the State Department's\n"
        "Classified SIPRNET website.\n"
        "********************************************* ********************\n"
        "kurtzer\n",
        reference_id="05TELAVIV45",
        year=2005,
    )
    assert cable.signer == "KURTZER"
    assert cable.paragraphs[-1].text.endswith("from Arab lands.")


def test_markings_in_lower_case_or_released_to_partners_are_taken_off_the_text():
    # 06ISLAMABAD12740 ("1.  (c) Summary: ...") and 08RANGOON749 ("(S//REL to USA, ACGU)")
    cable = parse(
        "1.  (c) Summary: Visiting S/CT DAS Virginia Palmer met officials.\n\n"
        "2.  (u) Sahibzada Imtiaz made it clear.\n\n"
        "3. (S//REL to USA, ACGU) Per Ref A, Post is alerting the Department.",
        reference_id="06ISLAMABAD12740",
        year=2006,
    )
    assert [(p.number, p.marking, p.text[:12]) for p in cable.paragraphs] == [
        (1, "C", "Summary: Vis"),
        (2, "U", "Sahibzada Im"),
        (3, "S//REL TO USA, ACGU", "Per Ref A, P"),
    ]


def test_a_heading_wrapped_between_rules_and_the_handling_caption_alone_on_its_line():
    # 08BUENOSAIRES1580 (a heading over two lines between two rules) and 03LAGOS85 (the
    # caption "SENSITIVE BUT UNCLASSIFIED, PLEASE TREAT ACCORDINGLY" had headed the text)
    cable = parse(
        "SENSITIVE BUT UNCLASSIFIED, PLEASE TREAT ACCORDINGLY\n\n"
        "1. (SBU) Moyano has been supportive of the decision.\n\n"
        "-------------------------------------------\n"
        "CHAMBERS OF COMMERCE BELIEVES DECISION WILL COMPLICATE LABOR\n"
        "RELATIONS\n"
        "-------------------------------------------\n\n"
        "2. (SBU) Representatives of commercial and industrial chambers objected.",
        reference_id="08BUENOSAIRES1580",
        year=2008,
    )
    assert [(p.number, p.heading, p.text[:20]) for p in cable.paragraphs] == [
        (1, "", "Moyano has been supp"),
        (
            2,
            "CHAMBERS OF COMMERCE BELIEVES DECISION WILL COMPLICATE LABOR RELATIONS",
            "Representatives of c",
        ),
    ]


def test_a_single_dash_of_the_prose_goes_on_but_items_of_a_list_stay_apart():
    # 09BERLIN485, 03THEHAGUE1453: "- no longer a demigod -" wrapped to a line's start had
    # cut the sentence; 07SANJOSE1820, 98CARACAS3576: items "- X - what it is" stay items
    cable = parse(
        '1. (U) "The day will come when this man will be human again\n'
        "- no longer a demigod - who has been enchanting the world.\n\n"
        "2. (U) The Judge had no trouble reaching the same conclusion\n"
        "- that most charges could not be proven.\n\n"
        "3. (U) The SMEs visited in this trip participate in PROVEE, a program:\n\n"
        "- Etipress Limitada - printer of product labels\n"
        "- Serpimetal - metal finisher",
        reference_id="09BERLIN485",
        year=2009,
    )
    assert [p.text for p in cable.paragraphs] == [
        '"The day will come when this man will be human again - no longer a demigod - who has '
        "been enchanting the world.",
        "The Judge had no trouble reaching the same conclusion - that most charges could not be "
        "proven.",
        "The SMEs visited in this trip participate in PROVEE, a program:\n\n"
        "- Etipress Limitada - printer of product labels\n\n"
        "- Serpimetal - metal finisher",
    ]


def test_a_heading_on_the_line_right_above_a_numbered_paragraph_is_its_heading():
    # 07ISLAMABAD5288: a heading after a blank line with the paragraph's number on the next
    # line had stayed at the end of the paragraph before, and the old heading ran on
    cable = parse(
        "¶7. (C) Six years down the road, we still need Pakistan to engage more vigorously.\n\n"
        "POTENTIAL APPROACHES TO CSF REFORM\n"
        "¶8. (C) Potential options to address CSF issues include the following.\n\n"
        "¶9. (C) We believe some variation of Options 2 and 3 is the most logical.\n\n"
        "ACTION REQUEST\n"
        "¶10. (C) Action Request: Post would appreciate a front-channel response.",
        reference_id="07ISLAMABAD5288",
        year=2007,
    )
    assert [(p.number, p.heading, p.text[:20]) for p in cable.paragraphs] == [
        (7, "", "Six years down the r"),
        (8, "POTENTIAL APPROACHES TO CSF REFORM", "Potential options to"),
        (9, "POTENTIAL APPROACHES TO CSF REFORM", "We believe some vari"),
        (10, "ACTION REQUEST", "Action Request: Post"),
    ]


def test_a_marking_released_to_a_partner_in_mixed_case_is_the_paragraphs_marking():
    # 09STATE30049: "(C/Rel Aus)" had stayed in the text, and the summary after it was lost
    cable = parse(
        "¶4. (C/Rel Aus) SUMMARY. In a 75-minute lunch following Rudd’s White House meeting, "
        "the Secretary and PM Rudd discussed Afghanistan. END SUMMARY.\n\n"
        "¶5. (C/Rel Aus) The Secretary and PM Rudd agreed.",
        reference_id="09STATE30049",
        year=2009,
    )
    assert [p.marking for p in cable.paragraphs] == ["C/REL AUS", "C/REL AUS"]
    assert cable.paragraphs[1].text == "The Secretary and PM Rudd agreed."
    assert cable.summary.startswith("In a 75-minute lunch")


def test_a_heading_between_dashes_and_a_tables_row_after_a_line_are_not_run_on():
    # 09BRASILIA68 and 04BRASILIA1098: a single dash at a line's start goes on with the
    # sentence above only before a word, not in "- - - Heading - - -" or "- % of GDP"
    cable = parse(
        "4. (C) Jobim said that key GOB ministers are currently reviewing the plan (See also "
        "reftel.)\n"
        "- - - Brazil's Foreign Policy Team: Who's on First - - -\n\n"
        "5. (U) The income of the federal government for the year came to R$ 407.14\n"
        "- % of GDP 24.1%",
        reference_id="09BRASILIA68",
        year=2009,
    )
    assert [p.text for p in cable.paragraphs] == [
        "Jobim said that key GOB ministers are currently reviewing the plan (See also reftel.)"
        "\n\n- - - Brazil's Foreign Policy Team: Who's on First - - -",
        "The income of the federal government for the year came to R$ 407.14\n\n- % of GDP 24.1%",
    ]


def test_the_close_of_a_note_alone_on_its_line_is_no_heading():
    # 07IRANRPODUBAI15: "Endnote)" after a blank line had become the heading of the
    # paragraphs after it, and left the note it closes
    cable = parse(
        "5. (C) The bill is new. (Note: Its sponsors have close government ties.\n\n"
        "Endnote)\n\n"
        "6. (C) Comment: The bill will pass.",
        reference_id="07IRANRPODUBAI15",
        year=2007,
    )
    assert [p.heading for p in cable.paragraphs] == ["", ""]
    assert cable.paragraphs[0].text.endswith("Endnote)")
