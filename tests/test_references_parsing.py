"""REF lines of real cables (cables.csv rows) that the parser misread, with the references the
text gives. Found comparing our references with the cables.csv references column
(benchmarks/references.py)."""

from datetime import UTC, datetime

from cables.parser import Hints, parse_cable
from cables.parser.refs import parse_references


def cited(text, year, own_id=""):
    return [c.cable_id for c in parse_references(text, year, own_id) if c.cable_id]


def typed(text, year, own_id=""):
    return [(c.letter, c.kind, c.cable_id) for c in parse_references(text, year, own_id)]


def references(text, reference_id, sent):
    """The cable references of a cable's text, sent on the day ``sent`` ("2004-02-04"): a
    reference to another post's cable with no year depends on the day of the year."""
    hints = Hints(
        reference_id=reference_id,
        created=datetime.fromisoformat(sent).replace(tzinfo=UTC),
        created_has_time=False,
        classification="CONFIDENTIAL",
    )
    return [(r.letter, r.cable_id) for r in parse_cable(text, hints).references if r.cable_id]


# --- Labels the REF block starts with ------------------------------------------------------------


def test_a_label_per_reference_reftel_a_and_reftel_b():
    # 04BOGOTA88 (a January cable: both serials are 2003's)
    text = (
        "SUBJECT: INL/NAS BOGOTA NOVEMBER 2003 MONTHLY REPORT\n\n"
        "Reftel A:  Bogota 11175 \nReftel B:  Bogota 011582 \n\n"
        "1.  This is a summary of NAS Bogota activities for November 2003."
    )
    assert references(text, "04BOGOTA88", "2004-01-06") == [
        ("A", "03BOGOTA11175"),
        ("B", "03BOGOTA11582"),
    ]


def test_ref_a_and_ref_b_on_one_line():
    # 01VATICAN5960
    text = (
        "SUBJECT: HOLY SEE ON AFGHANISTAN\n\n"
        "REF A:  VATICAN 05286; REF B: VATICAN 05546 \n\n"
        "CLASSIFIED BY AMBASSADOR JIM NICHOLSON FOR REASONS 1.5 (A) \nAND (D)."
    )
    assert references(text, "01VATICAN5960", "2001-11-19") == [
        ("A", "01VATICAN5286"),
        ("B", "01VATICAN5546"),
    ]


def test_reftel_with_no_colon_before_a_lettered_list():
    # 04PRETORIA4193
    text = (
        "SUBJECT: SOUTH AFRICA APPROVES UNDER-SERVICED AREA LICENSES\n\n"
        "REFTEL    A) PRETORIA 4027 \n\n          B) PRETORIA 4028 \n\n"
        "1.  (SBU) SUMMARY.  South Africa Minister of Communications"
    )
    assert references(text, "04PRETORIA4193", "2004-09-16") == [
        ("A", "04PRETORIA4027"),
        ("B", "04PRETORIA4028"),
    ]


def test_ref_with_no_colon_before_a_single_citation():
    # 04PARAMARIBO97, 04PARAMARIBO184, 04SANAA2775 ("O3" for "03")
    subject = "SUBJECT: SURINAME: PARLIAMENT DEBATES\n\n"
    body = "\n\n1. (U) Summary: text follows."
    assert references(subject + "REF STATE 19842" + body, "04PARAMARIBO97", "2004-02-04") == [
        ("", "04STATE19842")
    ]
    assert references(
        subject + "REF 02 PARAMARIBO 1169" + body, "04PARAMARIBO184", "2004-02-27"
    ) == [("", "02PARAMARIBO1169")]
    assert references(subject + "REF A O3 Sanaa 2776" + body, "04SANAA2775", "2004-11-01") == [
        ("A", "03SANAA2776")
    ]


def test_ref_before_prose_is_no_label():
    assert (
        references("SUBJECT: X\n\nRef the meeting 12 times.\n\n1. Text.", "04X1", "2004-01-01")
        == []
    )


def test_a_ref_item_cut_after_its_four_digit_year_goes_on_after_the_blank_line():
    # 05TAIPEI58: "C) 2003" + blank line + "TAIPEI 03339"
    text = (
        "SUBJECT: AVIAN INFLUENZA\n\n"
        "REF:      A) 2004 STATE 23762 B) 2004 TAIPEI 0249 C) 2003 \n \n"
        "TAIPEI 03339 D) 2004 TAIPEI  00479 E) 2004 TAIPEI 04021 \n \n \n"
        "1. Summary. Taiwan has thus far managed to avoid Avian Influenza."
    )
    assert references(text, "05TAIPEI58", "2005-01-07") == [
        ("A", "04STATE23762"),
        ("B", "04TAIPEI249"),
        ("C", "03TAIPEI3339"),
        ("D", "04TAIPEI479"),
        ("E", "04TAIPEI4021"),
    ]


# --- How a citation is written -------------------------------------------------------------------


def test_a_colon_between_station_and_serial():
    # 04DUBLIN1710
    assert typed("A. STATE:247344 B. 11-18-04 BENTON-FONTAINE EMAIL", 2004, "04DUBLIN1710") == [
        ("A", "cable", "04STATE247344"),
        ("B", "email", ""),
    ]


def test_the_year_run_into_the_station_with_the_serial_apart():
    # 05QUITO75, 03VATICAN105
    assert cited("A. A. 04QUITO 2614 B. B. 04QUITO 565", 2005, "05QUITO75") == [
        "04QUITO2614",
        "04QUITO565",
    ]
    assert cited("A) 02STATE 268741 B) 02VATICAN 5607", 2003, "03VATICAN105") == [
        "02STATE268741",
        "02VATICAN5607",
    ]


def test_vat_is_the_vatican_and_a_year_before_it_is_no_serial():
    # 03VATICAN5669: "02 VAT 3638" was read as serial 2 of the citing post (03VATICAN2)
    assert cited("A. VAT 4461 B. 02 VAT 3638", 2003, "03VATICAN5669") == [
        "03VATICAN4461",
        "02VATICAN3638",
    ]


def test_a_two_digit_year_after_a_serial_without_a_leading_zero():
    # 01CARACAS182: "CARACAS 3397 99" is 99CARACAS3397 (we gave 00CARACAS3397)
    text = "A) CARACAS 0811 99, B) CARACAS 3265 00, C) CARACAS 1940 00, D) CARACAS 3397 99"
    assert cited(text, 2001, "01CARACAS182") == [
        "99CARACAS811",
        "00CARACAS3265",
        "00CARACAS1940",
        "99CARACAS3397",
    ]


def test_a_four_digit_year_between_station_and_serial():
    # 04ACCRA56
    assert cited("SECSTATE 2003 345287", 2004, "04ACCRA56") == ["03STATE345287"]


def test_bullets_with_a_colon():
    # 04KINSHASA2058: "A:SECSTATE 236869" was lost
    assert typed("A:SECSTATE 236869 B: SECSTATE 237932", 2004, "04KINSHASA2058") == [
        ("A", "cable", "04STATE236869"),
        ("B", "cable", "04STATE237932"),
    ]


def test_a_cable_cited_in_parentheses_after_another():
    # 98ISLAMABAD3918
    text = "(A)  ISLAMABAD 3588;  (B)  ISLAMABAD 3827; (C)  ISLAMABAD 3858 (LAHORE 315)"
    assert cited(text, 1998, "98ISLAMABAD3918") == [
        "98ISLAMABAD3588",
        "98ISLAMABAD3827",
        "98ISLAMABAD3858",
        "98LAHORE315",
    ]


def test_a_serial_followed_by_a_slash_and_letters():
    # 04HELSINKI1024
    text = "A. A. STATE 89677 B. B. BAGHDAD 386/CPA/1047 C. C. STATE 107318"
    assert cited(text, 2004, "04HELSINKI1024") == [
        "04STATE89677",
        "04BAGHDAD386",
        "04STATE107318",
    ]


def test_a_cable_with_its_title_after_it_is_a_cable_whatever_the_title_says():
    # 04OTTAWA3434 ("OSC" in the title is no Open Source Center report), 04TEGUCIGALPA1197
    assert typed(
        "A. TORONTO 2410 (OSC REJECTS PASSPORT SYSTEM) B. OTTAWA 1386 (NATIONAL REGULATOR)",
        2004,
        "04OTTAWA3434",
    ) == [("A", "cable", "04TORONTO2410"), ("B", "cable", "04OTTAWA1386")]
    assert typed(
        "A. STATE 096070 B. POST HARDSHIP DIFFERENTIAL REPORT CRIME SECTION ATTACHMENT A "
        "C. TEGUCIGALPA 00883 QUARTERLY STATUS REPORT 1 QUARTER 2004",
        2004,
        "04TEGUCIGALPA1197",
    ) == [("A", "cable", "04STATE96070"), ("B", "report", ""), ("C", "cable", "04TEGUCIGALPA883")]


def test_the_month_and_year_after_a_serial_date_the_cable():
    # 03TEGUCIGALPA99: the citing cable's year (and the year before) were given to all of them
    text = (
        "(A) STATE 156430 AUG 02, (C) TEGUCIGALPA 02487 JUL 00, (E) STATE 94048 MAY 00, "
        "(G) STATE 276514 OCT 94"
    )
    assert cited(text, 2003, "03TEGUCIGALPA99") == [
        "02STATE156430",
        "00TEGUCIGALPA2487",
        "00STATE94048",
        "94STATE276514",
    ]


def test_a_cited_cables_date_time_group_gives_its_year():
    # 85STATE317062
    assert typed("STATE 106685 (110517Z MAY 77)", 1985, "85STATE317062") == [
        ("", "cable", "77STATE106685")
    ]


# --- What is not a cable -------------------------------------------------------------------------


def test_a_year_opening_an_item_is_no_serial():
    # 04RANGOON894 had 03RANGOON2004
    assert (
        cited('2004 OESI FUNDING PROPOSAL FOR "CONSERVATION GATEWAY"', 2004, "04RANGOON894") == []
    )


def test_a_military_message_by_its_date_time_group_is_no_cable():
    # 04MAPUTO659 had 04LONDON61924, 97NIAMEY2216 had 97TUNIS91214
    assert typed("USCOMNAVEUR LONDON UK 061924 MAY 04", 2004, "04MAPUTO659") == [
        ("", "message", "")
    ]
    assert cited("B. USDAO TUNIS 091214 MAY 97", 1997, "97NIAMEY2216") == []


def test_dates_are_no_serials_of_the_citing_post():
    # 03ISTANBUL1617 had 03ISTANBUL10, 04RANGOON1643 had 04RANGOON12
    assert (
        cited("A. DEUTSCH/SILVERMAN/SMITH E-MAILS B. 10/30-31/2003", 2003, "03ISTANBUL1617") == []
    )
    text = "A. 12/29/04 TASK FORCE-RANGOON TELCOM B. RANGOON 1633 AND PREVIOUS"
    assert cited(text, 2004, "04RANGOON1643") == ["04RANGOON1633"]


# --- Another post's cable with no year -----------------------------------------------------------
# A post numbers its cables from 1 each January (cables/data/serial_rates.tsv: the most
# serials a day each post wrote).


def test_a_serial_the_department_had_not_reached_by_the_citing_day_is_last_years():
    # 04THEHAGUE4, sent on 2 January 2004
    text = "SUBJECT: 2003 INCSR: THE NETHERLANDS\n\nREF: STATE 324347 \n\n\u00b61. The Netherlands"
    assert references(text, "04THEHAGUE4", "2004-01-02") == [("", "03STATE324347")]


def test_a_small_posts_serials_in_february_are_last_years():
    # 07STATE18563, 14 February 2007: Kabul and Reykjavik had not written so many cables yet
    text = (
        "SUBJECT: DEMARCHE REQUEST ON ICELANDIC PEACEKEEPERS IN PRT\n\n"
        "REF: A. A) KABUL 5855 (NOTAL) \n     B. B) REYKJAVIK 431 (NOTAL) \n \n"
        "\u00b61.  (U)  Sensitive but unclassified, protect accordingly."
    )
    assert references(text, "07STATE18563", "2007-02-14") == [
        ("A", "06KABUL5855"),
        ("B", "06REYKJAVIK431"),
    ]


def test_a_serial_the_post_could_have_reached_stays_in_the_citing_year():
    # 03THEHAGUE2113, 21 August 2003
    text = "SUBJECT: CWC: THE NETHERLANDS\n\nREF: STATE 242722\n\n1. (U) Text follows."
    assert references(text, "03THEHAGUE2113", "2003-08-21") == [("", "03STATE242722")]
    # the same serial cited on 2 January is last year's
    assert references(text, "03THEHAGUE2113", "2003-01-02") == [("", "02STATE242722")]


def test_without_the_citing_day_or_the_posts_rate_the_citing_year_stands():
    assert cited("STATE 324347", 2004, "04THEHAGUE4") == ["04STATE324347"]
    # Almaty wrote too few cables in the corpus for its rate to be known
    written = datetime(2004, 1, 2, tzinfo=UTC)
    assert [c.cable_id for c in parse_references("STATE 324347", 2004, "", written)] == [
        "03STATE324347"
    ]
    assert [c.cable_id for c in parse_references("ALMATY 9999", 2004, "", written)] == [
        "04ALMATY9999"
    ]


def test_a_post_is_not_judged_by_its_rate_of_another_decade():
    # 88IZMIR740 (August 1988): Ankara's rate is known from 2002 on only
    text = "SUBJECT: ARRESTS\n\nREF: A) ANKARA 10958 B) IZMIR 710\n\n1. (C) Text follows."
    assert references(text, "88IZMIR740", "1988-08-10") == [
        ("A", "88ANKARA10958"),
        ("B", "88IZMIR710"),
    ]


def test_a_year_the_mirror_made_an_item_of_its_own_ends_the_date_before_it():
    # 06PARIS1031: "FEBRUARY 17, 2006" broken into items A and B; no cable PARIS 2006
    text = (
        "A. (A) EMBASSY PARIS DAILY REPORT FOR FEBRUARY 17 \n\nB. 2006 \n"
        "C. (B) EMBASSY PARIS DAILY REPORT FOR FEBRUARY 10 \n"
        "D. (C) EMBASSY PARIS DAILY REPORT FOR FEBRUARY 6 \n"
        "E. (D) EMBASSY PARIS DAILY REPORT FOR JANUARY 20 \n"
        "F. (E) EMBASSY PARIS DAILY REPORT FOR DECEMBER 19 \nG. 2005 \n"
        "H. (F) EMBASSY PARIS DAILY REPORT FOR SEPTEMBER 23 \n"
    )
    citations = parse_references(text, 2006, "06PARIS1031")
    assert [(c.letter, c.text) for c in citations if c.letter in "AF"] == [
        ("A", "EMBASSY PARIS DAILY REPORT FOR FEBRUARY 17, 2006"),
        ("F", "(E) EMBASSY PARIS DAILY REPORT FOR DECEMBER 19, 2005"),
    ]
    assert [c.letter for c in citations] == ["A", "C", "D", "E", "F", "H"]
    assert not any(c.cable_id for c in citations)


# --- The comparison with the column (benchmarks/references.py) ----------------------------------


def _comparison():
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "references.py"
    spec = importlib.util.spec_from_file_location("references_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_columns_spellings_of_one_cable_agree():
    compare = _comparison().compare
    # AIT Taipei's cables are TAIPEI in the release until 2009; the column writes AITTAIPEI.
    assert compare(["04TAIPEI3152"], ["04AITTAIPEI3152"], "04TAIPEI3251").category == "agree"
    # Labels the column's extraction kept, and a year it kept in front of the station.
    assert compare(["04STATE97257"], ["04REFTEL:STATE97257"], "04X1").category == "agree"
    assert compare(["03STATE266775"], ["03REF:STATE266775"], "03X1").category == "agree"
    assert compare(["04STATE259661"], ["04REFASECSTATE259661"], "04X1").category == "agree"
    row = compare(["02FRANKFURT11411"], ["03REFTEL:2002FRANKFURT11411"], "03FRANKFURT5668")
    assert row.category == "agree"
    # A renamed post: one series of serials.
    assert compare(["87MADRAS3108"], ["87CHENNAI3108"], "87MADRAS3111").category == "agree"


def test_an_earlier_year_than_the_columns_is_counted_as_corrected():
    compare = _comparison().compare
    row = compare(["04ALMATY4769"], ["05ALMATY4769"], "05ALMATY13")
    assert (row.category, row.corrected) == ("year corrected", [("05ALMATY4769", "04ALMATY4769")])
    # "BOGOTA 04 12603": the column runs the year into the serial.
    assert compare(["04BOGOTA12603"], ["05BOGOTA412603"], "05BOGOTA174").category == (
        "year corrected"
    )
    # A later year than the citing cable's is no correction.
    assert compare(["06ALMATY4769"], ["05ALMATY4769"], "05ALMATY13").category == "disagree"


def test_more_references_than_the_column_non_cables_and_the_body():
    compare = _comparison().compare
    row = compare(["04MANAMA1337", "04MANAMA1302"], ["04MANAMA1337"], "04MANAMA1357")
    assert (row.category, row.extra) == ("column missed references", ["04MANAMA1302"])
    row = compare(["04SANAA521"], ["04GMP20040312000030", "04SANAA521"], "04SANAA589")
    assert row.category == "column lists non-cables"
    text = "REF: STATE 272716\n\n1. Text.\n\n3. Pursuant to State 66580 dated March 25, 2004"
    row = compare(["05STATE272716"], ["05STATE272716", "05STATE66580"], "05ATHENS58", text)
    assert (row.category, row.body) == ("column cites the body", ["05STATE66580"])
    row = compare([], ["04STATE19842"], "04PARAMARIBO97", "REF STATE 19842\n\n1. Text.")
    assert row.category == "disagree"


def test_a_banner_unclassified_limited_official_use_opens_the_preamble():
    # 92ZAGREB2863: the banner was not recognised, the preamble was looked for on page 2
    text = (
        "UNCLASSIFIED LIMITED OFFICIAL USE SECTION 01 OF 08 ZAGREB 02863 \n \nSIPDIS \n \n"
        "E.O. 12356:  DECL: OADR \nTAGS: PHUM, ELAB, KSPR, HR \n"
        "SUBJECT:  1992 CROATIA HUMAN RIGHTS REPORT -- EMBASSY \n"
        "-         COMMENTS ON DEPARTMENT'S RE-DRAFT \n \n"
        "REF: (A) 92 STATE 408075; (B) 92 ZAGREB 2463 \n \n"
        "1.  LIMITED OFFICIAL USE -- ENTIRE TEXT. \n \n"
        "LIMITED OFFICIAL USE SECTION 02 OF 08 ZAGREB 02863 \n \nSIPDIS \n \n2.  More text."
    )
    assert references(text, "92ZAGREB2863", "1992-12-31") == [
        ("A", "92STATE408075"),
        ("B", "92ZAGREB2463"),
    ]


def test_a_ref_line_that_says_there_is_none_gives_no_reference():
    # 06PARIS2242 ("REF: NONE"), 06SANJOSE1622 ("REF:  N/A"), 03ABUDHABI2641 ("Ref:  None"):
    # each had been kept as a reference to a document called "NONE"
    for line in ("REF: NONE ", "REF:  N/A ", "Ref:      None"):
        text = (
            "R 010101Z MAR 06\nFM AMEMBASSY PARIS\nTO SECSTATE WASHDC 1\nBT\n"
            "UNCLAS PARIS 002242\n\nE.O. 12958: N/A\nTAGS: KJUS FR\n"
            "SUBJECT: VISIT OF ATTORNEY GENERAL GONZALES FROM MARCH 1 TO\n4, 2006.\n\n"
            f"{line}\n\n1. (U) SUMMARY: Attorney General Alberto Gonzales visited Paris.\n"
        )
        cable = parse_cable(text, Hints())
        assert cable.references == [], line
        assert cable.paragraphs[0].text.startswith("SUMMARY: Attorney General")


def test_a_ref_line_stops_at_the_first_paragraphs_marking_and_a_stray_bullet_goes():
    # 10BRASILIA156 and 08KUALALUMPUR317: the REF line ran on into the first paragraph;
    # 09STATE81957: "C. STATE 112304 B. D. STATE 32213" (a letter out of its place)
    assert [
        (c.letter, c.text)
        for c in parse_references(
            "REF: 2009 BRASILIA 123; 2009 BRASILIA 893 (U) THIS CABLE IS SENSITIVE BUT "
            "UNCLASSIFIED AND NOT FOR INTERNET DISTRIBUTION.",
            2010,
            "10BRASILIA156",
        )
    ] == [("", "2009 BRASILIA 123"), ("", "2009 BRASILIA 893")]
    assert [
        c.text
        for c in parse_references(
            "STATE 40380 (SBU) Poloff delivered reftel demarche and nonpaper to Adi Mohammed.",
            2008,
            "08KUALALUMPUR317",
        )
    ] == ["STATE 40380"]
    assert [
        (c.letter, c.text)
        for c in parse_references(
            "A. A. STATE 152989 B. STATE 100646 C. STATE 112304 B. D. STATE 32213", 2009
        )
    ] == [
        ("A", "STATE 152989"),
        ("B", "STATE 100646"),
        ("C", "STATE 112304"),
        ("D", "STATE 32213"),
    ]
    # A letter in parentheses after the one before it is the next item, not a marking
    # (04THEHAGUE3044).
    assert cited("(A) THE HAGUE 2929 (B) THE HAGUE 2864 (C) THE HAGUE 2308", 2004) == [
        "04THEHAGUE2929",
        "04THEHAGUE2864",
        "04THEHAGUE2308",
    ]
