"""JSON records: mongo exports whose newlines were lost, API responses, JSONP.

The fixtures are real lines copied from the corpus (text-and-json.tar.xz):
- mongoexport-double-spaced.json: Embassy_Baghdad03-06.json line 1, Embassy_Islamabad06-08.json
  line 408, Embassy_Baghdad80-90.json line 4 (newlines became spaces);
- iran-unescaped-quotes.json: iran.json lines 148 (valid), 157 (bare quotes in the body) and
  223 (bare quotes and junk after the object);
- wikileaks-11-28-10-newlines-deleted.json: wikileaks-11-28-10.json lines 1, 193 and 217;
- qwikileaks-api.json and qwikileaks-cablegrab.jsonp: the two API responses, whole.
"""

from datetime import UTC, datetime

import pytest

from cables.parser import parse_cable
from cables.readers import RawRecord, ReadError, json_records, read_bytes
from cables.readers.json_records import parse_date, rebuild_lines

from .conftest import FIXTURES

JSON = FIXTURES / "json"


def items(name):
    path = JSON / name
    return list(read_bytes(path.read_bytes(), str(path)))


def parsed(name):
    return [parse_cable(r.text, r.hints) for r in items(name) if isinstance(r, RawRecord)]


def paragraph_numbers(cable):
    return [(p.number, p.marking) for p in cable.paragraphs]


# --- Detecting and unwrapping ------------------------------------------------------------


def test_json_lines_documents_and_jsonp_are_recognised_but_cable_text_is_not():
    assert json_records.sniff('{ "_id" : "", "origin" : "Embassy Baghdad", "body" : "x" }\n')
    assert json_records.sniff('{"info":{"response":"OK"},"items":[]}')
    assert json_records.sniff('cablegrab({"info":{"response":"OK"},"items":[]})')
    assert not json_records.sniff("C O N F I D E N T I A L BAGHDAD 000004\n\nE.O. 12958")
    assert not json_records.sniff("<html><body><pre>UNCLAS</pre></body></html>")


def test_jsonp_response_is_unwrapped_into_its_one_cable():
    (record,) = items("qwikileaks-cablegrab.jsonp")
    assert record.format == "jsonp/api"
    assert record.locator.endswith("qwikileaks-cablegrab.jsonp:item 1")
    assert record.hints.reference_id == "08MOSCOW3343"
    assert record.hints.title == "MEDVEDEV’S ADDRESS AND TANDEM POLITICS"
    assert record.hints.tags == ["PGOV", "PHUM", "RS", "SOCI"]


def test_plain_api_response_gives_its_item_with_the_items_id():
    (record,) = items("qwikileaks-api.json")
    assert record.format == "json/api"
    assert record.locator.endswith("qwikileaks-api.json:item 1")
    assert record.hints.reference_id == "08MADRID174"
    assert record.hints.classification == "CONFIDENTIAL"
    assert record.hints.origin == "Embassy Madrid"


def test_each_json_line_gets_a_locator_naming_its_line():
    locators = [r.locator.rsplit(":", 1)[1] for r in items("mongoexport-double-spaced.json")]
    assert locators == ["line 1", "line 2", "line 3"]


def test_invalid_json_line_is_reported_by_line_and_the_others_are_read():
    records = items("iran-unescaped-quotes.json")
    assert [type(r) for r in records] == [RawRecord, RawRecord, ReadError]
    error = records[2]
    assert str(error).startswith("invalid JSON: ")
    assert error.locator.endswith("iran-unescaped-quotes.json:line 3")


def test_line_with_bare_quotes_in_its_body_is_repaired_and_says_so():
    valid, repaired, _ = items("iran-unescaped-quotes.json")
    assert "json_repaired" not in valid.extra
    assert repaired.extra["json_repaired"] == "unescaped double quotes in the body"
    assert 'it would be a sign of "good faith."' in repaired.text


def test_json_document_cut_short_is_unreadable_as_a_whole():
    data = (JSON / "qwikileaks-api.json").read_bytes()[:2000]
    with pytest.raises(ReadError, match="invalid JSON"):
        list(read_bytes(data, "cut.json"))


# --- Hints: ids, references, dates ---------------------------------------------------------


def test_mongo_id_is_kept_as_the_references_not_as_the_cable_id():
    first, second, third = items("mongoexport-double-spaced.json")
    assert first.hints.reference_id == ""
    assert first.extra["json_references"] == ["04BAGHDAD29"]
    assert second.extra["json_references"] == ["07ISLAMABAD1779"]
    assert "json_references" not in third.extra  # its _id is empty


def test_cable_id_comes_from_the_classification_line_and_the_year():
    ids = [c.reference_id for c in parsed("mongoexport-double-spaced.json")]
    assert ids == ["04BAGHDAD4", "07ISLAMABAD2493", "88BAGHDAD28"]
    assert [c.reference_id for c in parsed("iran-unescaped-quotes.json")] == [
        "09RPODUBAI143",
        "09RPODUBAI180",
    ]


def test_wikileaks_export_names_its_own_ids():
    ids = [r.hints.reference_id for r in items("wikileaks-11-28-10-newlines-deleted.json")]
    assert ids == ["04ANKARA348", "10LONDON131", "86MADRID5480"]


def test_month_first_dates_are_exact_utc_times():
    assert parse_date("6/30/2004 10:01") == (datetime(2004, 6, 30, 10, 1, tzinfo=UTC), True)
    assert parse_date("1/2/1988 12:58") == (datetime(1988, 1, 2, 12, 58, tzinfo=UTC), True)


def test_iso_dates_whose_minutes_repeat_the_hour_lose_their_minutes():
    # The WikiLeaks export and the API printed the 12-hour hour where the minutes belong.
    assert parse_date("2004-01-20 12:12") == (datetime(2004, 1, 20, 12, tzinfo=UTC), False)
    assert parse_date("2008-11-19 06:06:00") == (datetime(2008, 11, 19, 6, tzinfo=UTC), False)
    assert parse_date("2008-11-19 06:43:00") == (datetime(2008, 11, 19, 6, 43, tzinfo=UTC), True)
    assert parse_date("not a date") == (None, True)


def test_header_date_time_group_restores_the_minutes():
    madrid = parsed("wikileaks-11-28-10-newlines-deleted.json")[2]
    assert madrid.created == datetime(1986, 5, 12, 17, 58, tzinfo=UTC)  # "O 121758Z MAY 86"
    (api,) = parsed("qwikileaks-api.json")
    assert api.created == datetime(2008, 2, 15, 17, 39, tzinfo=UTC)  # "P 151739Z FEB 08"


def test_guardian_date_line_gives_the_time_and_leaves_the_text():
    (record,) = items("qwikileaks-cablegrab.jsonp")
    assert record.hints.created == datetime(2008, 11, 19, 6, 43, tzinfo=UTC)
    assert record.hints.created_has_time is True
    assert "Wednesday, 19 November 2008" not in record.text


def test_partial_extract_notice_marks_the_record_partial_and_is_no_header():
    ankara = items("wikileaks-11-28-10-newlines-deleted.json")[0]
    assert ankara.hints.partial is True
    assert "partial extract" not in ankara.text


# --- Rebuilt lines, parsed -----------------------------------------------------------------


def test_double_spaced_cable_parses_like_its_csv_row():
    # 04BAGHDAD4 is also in the CSV rows pack: same subject, tags, paragraphs and signer.
    baghdad = parsed("mongoexport-double-spaced.json")[0]
    assert baghdad.created == datetime(2004, 6, 30, 10, 1, tzinfo=UTC)
    assert baghdad.classification == "CONFIDENTIAL"
    assert baghdad.origin == "Embassy Baghdad"
    assert baghdad.subject == (
        "USEB 003: LETTER ON AGREMENT FROM MINISTER OF FOREIGN AFFAIRS TO SECRETARY POWELL"
    )
    assert baghdad.tags == ["PREL", "PGOV", "IZ"]
    assert paragraph_numbers(baghdad) == [(1, "U"), (2, "C")]
    assert baghdad.signer == "NEGROPONTE"
    assert baghdad.declassify_on == "2014-06-29"


def test_ref_letters_headings_and_page_header_are_put_back_on_their_lines():
    islamabad = parsed("mongoexport-double-spaced.json")[1]
    assert islamabad.subject == "MOVING FORWARD ON NUCLEAR REGULATORY COOPERATION"
    assert islamabad.tags == ["KNNP", "PK", "PREL", "PGOV"]
    assert [(r.letter, r.cable_id) for r in islamabad.references] == [
        ("A", "07ISLAMABAD1779"),
        ("B", ""),
    ]
    assert islamabad.classified_by == "Peter Bodde"
    assert paragraph_numbers(islamabad) == [(n, "S") for n in range(1, 7)]
    assert [p.heading for p in islamabad.paragraphs[:3]] == [
        "",
        "Interagency discussion needed",
        "The Ministry's concerns",
    ]
    assert "ISLAMABAD 00002493" not in islamabad.paragraphs[4].text
    assert islamabad.signer == "BODDE"


def test_old_cable_with_unmarked_paragraphs_keeps_its_numbers():
    mosul = parsed("mongoexport-double-spaced.json")[2]
    assert mosul.subject == "CHRISTIANS IN MOSUL"
    assert mosul.tags == ["PINS", "IZ"]
    assert paragraph_numbers(mosul) == [(1, "C-ENTIRE TEXT")] + [(n, "") for n in range(2, 8)]
    assert mosul.signer == "GLASPIE"


def test_paragraph_one_after_the_reasons_is_not_swallowed_by_classified_by():
    saberi = parsed("iran-unescaped-quotes.json")[1]
    assert saberi.classified_by == "Timothy Richardson"
    assert saberi.reasons == ["1.4(b)", "1.4(d)"]
    assert paragraph_numbers(saberi) == [(1, "S/NF"), (2, "S/NF"), (3, "S/NF")]
    assert saberi.paragraphs[0].text.startswith("An IRPO contact on April 22")
    assert saberi.signer == "RICHARDSON"


def test_sentence_cased_cable_gets_its_banner_and_keywords_back():
    ankara = parsed("wikileaks-11-28-10-newlines-deleted.json")[0]
    text = items("wikileaks-11-28-10-newlines-deleted.json")[0].text
    assert text.startswith("C O N F I D E N T I A L SECTION 01 OF 04 ANKARA 000348\n\nSIPDIS\n")
    assert ankara.subject == (
        "TURKISH P.M. ERDOGAN GOES TO WASHINGTON: HOW STRONG A LEADER IN THE FACE OF STRONG "
        "CHALLENGES?"
    )
    assert ankara.tags == ["PREL", "PGOV", "PINS", "TU"]
    assert ankara.declassify_on == "2014-01-07"
    assert ankara.classified_by == "Eric Edelman"
    assert paragraph_numbers(ankara) == [(n, "C") for n in range(1, 13)]
    assert ankara.paragraphs[4].heading == "Who are we dealing with?"
    # headings on the line over a paragraph's number (no blank line between)
    assert [p.heading for p in ankara.paragraphs[10:]] == [
        "The deeper challenges for erdogan",
        "Comment",
    ]
    assert ankara.signer == "EDELMAN"


def test_deleted_newlines_header_is_cut_back_into_routing_lines():
    london = parsed("wikileaks-11-28-10-newlines-deleted.json")[1]
    assert london.header.split("\n")[:6] == [
        "VZCZCXYZ0001",
        "OO RUEHWEB",
        "DE RUEHLO #0131 0211217",
        "ZNY CCCCC ZZH",
        "O 211217Z JAN 10",
        "FM AMEMBASSY LONDON",
    ]
    assert [(r.kind, r.name) for r in london.recipients] == [
        ("action", "SECSTATE WASHDC"),
        ("info", "IRAN COLLECTIVE"),
        ("info", "CIA WASHINGTON DC"),
    ]
    assert london.created == datetime(2010, 1, 21, 12, 17, tzinfo=UTC)
    assert london.classification == "CONFIDENTIAL//NOFORN"
    assert london.tags == ["PINR", "PTER", "PINS", "UK", "IR"]
    assert paragraph_numbers(london) == [(n, "C/NF") for n in range(1, 6)]
    assert london.signer == "SUSMAN"  # glued: "...Portal:Unit ed_KingdomSUSMAN"


def test_old_cable_from_the_wikileaks_export_matches_its_csv_row():
    madrid = parsed("wikileaks-11-28-10-newlines-deleted.json")[2]
    assert madrid.subject == "QADHAFI RETALIATES AGAINST SPANISH EXPULSIONS"
    assert madrid.tags == ["PTER", "PINR", "PREL", "SP", "LY"]
    assert [r.cable_id for r in madrid.references] == [
        "86MADRID5426",
        "86MADRID5425",
        "86MADRID5418",
    ]
    assert paragraph_numbers(madrid) == [(1, "C"), (2, "U"), (3, "C")]
    assert madrid.signer == "ENDERS"


def test_api_text_keeps_its_lines_and_loses_the_stray_pilcrows_on_ref_letters():
    (record,) = items("qwikileaks-api.json")
    assert "¶B." not in record.text and "XTAGS" not in record.text
    (madrid,) = parsed("qwikileaks-api.json")
    assert [(r.letter, r.cable_id) for r in madrid.references] == [
        ("A", "08STATE15648"),
        ("B", "08MADRID162"),
        ("C", "08BERLIN184"),
    ]
    assert madrid.subject == "SPAIN WILL OPPOSE KOSOVO RECOGNITION AT GAERC"
    assert paragraph_numbers(madrid) == [(n, "C") for n in range(1, 7)]
    assert madrid.signer == "AGUIRRE"


def test_glued_keys_each_start_a_line():
    # From wikileaks-11-28-10.json (08MUNICH355): newlines deleted outright.
    text = rebuild_lines(
        "UNCLAS MUNICH 000355SENSITIVESIPDISE.O. 12958: N/ATAGS: PGOV EINV INRB GMSUBJECT: "
        "GERMANY/BAVARIA: CSU HOPES FOR FRESH START ¶1. (SBU) Newly-elected Bavarian "
        "Minister-President Horst Seehofer elevated youthful faces."
    )
    assert text.split("\n\n")[:6] == [
        "UNCLAS MUNICH 000355",
        "SENSITIVE",
        "SIPDIS",
        "E.O. 12958: N/A",
        "TAGS: PGOV EINV INRB GM",
        "SUBJECT: GERMANY/BAVARIA: CSU HOPES FOR FRESH START",
    ]
    assert text.split("\n\n")[6].startswith("¶1. (SBU) Newly-elected")
