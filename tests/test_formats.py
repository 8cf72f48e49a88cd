"""Every real source format, read from small real samples in fixtures/corpus/."""

import io
import tarfile
import zipfile
from datetime import UTC, datetime

import pytest

from cables.parser import parse_cable
from cables.readers import RawRecord, ReadError, read_path

from .conftest import FIXTURES

CORPUS = FIXTURES / "corpus"


def records(path) -> list[RawRecord | ReadError]:
    return list(read_path(path))


def parsed(path):
    (record,) = records(path)
    return record, parse_cable(record.text, record.hints)


# --- cablegate HTML pages -------------------------------------------------------------------


def test_html_page_metadata_comes_from_the_cable_table():
    record, cable = parsed(CORPUS / "html/06SANJOSE707.html")
    assert record.format == "html/cablegate"
    assert cable.reference_id == "06SANJOSE707"
    # The page says 23:11 (the site prints the hour, on a 12-hour clock, for the minutes);
    # the date-time group "P 302318Z MAR 06" says 23:18, as cables.csv does.
    assert (record.hints.created, record.hints.created_precision) == (
        datetime(2006, 3, 30, 23, 0, tzinfo=UTC),
        "hour",
    )
    assert cable.created == datetime(2006, 3, 30, 23, 18, tzinfo=UTC)
    assert cable.created_precision == "minute"
    # The link's title attribute says otherwise on every page; its text is right.
    assert cable.classification == "CONFIDENTIAL"
    assert cable.origin == "Embassy San Jose"
    assert cable.subject == (
        'FUTURE PUSC DEPUTIES STRESS IMPORTANCE OF "SOCIAL AGENDA" TO PASS CAFTA-DR'
    )
    assert cable.tags == ["PGOV", "ETRD", "CS"]
    assert [p.number for p in cable.paragraphs] == list(range(1, 11))
    assert cable.signer == "LANGDALE"


def test_html_articles_row_and_sidebar_do_not_leak_into_the_cable():
    record, cable = parsed(CORPUS / "html/06SANJOSE707.html")
    assert "nacion.com" not in record.text
    assert "Browse latest releases" not in record.text
    assert "<a " not in cable.body and "&#x000A;" not in cable.body
    assert record.text.startswith("VZCZCXYZ0019\nPP RUEHWEB")


def test_html_page_of_the_oldest_build_has_four_columns():
    record, cable = parsed(CORPUS / "html/10STATE17263.html")
    assert record.format == "html/cablegate-4col"
    assert cable.created == datetime(2010, 2, 24, 22, 12, tzinfo=UTC)  # "R 242212Z FEB 10"
    assert cable.classification == "SECRET"
    assert cable.origin == "Secretary of State"
    assert cable.tags == ["ETTC", "IR", "KN", "MTCRE", "PARM", "RS", "TSPA"]
    assert cable.subject == "U.S.-RUSSIA JOINT THREAT ASSESSMENT TALKS - DECEMBER 2009"
    assert cable.signer == "CLINTON"  # above "NNNN" and the site's "End Cable Text"


def test_html_page_with_relative_links_and_noforn():
    record, cable = parsed(CORPUS / "html/07ASMARA850.html")
    assert "../../../tag" in (CORPUS / "html/07ASMARA850.html").read_text()
    assert cable.classification == "SECRET//NOFORN"
    assert cable.tags == ["PGOV", "ASEC", "ER"]
    assert [p.marking for p in cable.paragraphs][:2] == ["S", "S/NF"]
    # The site put paragraph-sign anchors on REF letters; they are not paragraphs.
    assert "¶B." not in record.text


def test_html_partial_extract_without_routing_header_is_dated_to_the_hour():
    record, cable = parsed(CORPUS / "html/06ANKARA331.html")
    # The page says 13:01; without a routing header nothing gives the minutes.
    assert cable.created == datetime(2006, 1, 30, 13, 0, tzinfo=UTC)
    assert cable.created_precision == "hour"


def test_html_partial_extract_with_a_glued_first_line():
    record, cable = parsed(CORPUS / "html/06ANKARA331.html")
    assert record.hints.partial is True
    assert cable.partial is True
    assert cable.header == ""
    # "Cable dated:...S E C R E T SECTION 01 OF 05 ANKARA 000331 SIPDISE.O. 12958: ..."
    assert cable.tags == ["MARR", "MASS", "MOPS", "PREL", "PGOV", "TU", "IZ", "AF", "RU"]
    assert cable.declassify_on == "2016-01-27"
    assert cable.paragraphs[0].number == 1


def test_html_body_with_the_site_record_number_before_cable_dated_is_taken_apart():
    record, cable = parsed(CORPUS / "html/09LONDON333.html")
    # "ID:190812 Cable dated:2009-02-06T13:05:00C O N F I D E N T I A L SECTION 01 OF 02
    # LONDON 000333NOFORNSIPDIS E.O. 12958: DECL: 02/04/2019TAGS: EAIR ECON ETRD SENV EU UK"
    assert "Cable dated" not in cable.body
    assert cable.declassify_on == "2019-02-04"
    assert cable.tags == ["EAIR", "ECON", "ETRD", "SENV", "EU", "UK"]
    assert cable.classification == "CONFIDENTIAL//NOFORN"
    assert cable.classified_by == "KATHLEEN DOHERTY"
    assert cable.reasons == ["1.4(b)", "1.4(d)"]
    assert cable.created == datetime(2009, 2, 6, 13, 5, tzinfo=UTC)
    assert (cable.paragraphs[0].number, cable.paragraphs[0].marking) == (1, "C/NF")
    assert cable.paragraphs[0].text.startswith("Summary/Comment: The UK will present")


# --- cables.csv rows ------------------------------------------------------------------------


def test_csv_rows_are_read_one_record_each_with_the_references_column():
    rows = records(CORPUS / "csv/us-office-almaty.csv")
    assert [r.hints.reference_id for r in rows] == ["99ALMATY12359", "05ALMATY13", "05ALMATY24"]
    assert [r.locator.rsplit(":", 1)[-1] for r in rows] == ["row 1035", "row 24875", "row 24880"]
    assert {r.format for r in rows} == {"csv/cables"}
    assert rows[1].extra["csv_references"] == ["05ALMATY4274", "05ALMATY4315", "05ALMATY4769"]
    assert rows[1].hints.created == datetime(2005, 1, 4, 5, 25, tzinfo=UTC)
    assert rows[1].hints.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"


def test_bare_references_above_the_citing_cables_own_serial_are_last_years():
    # 05ALMATY13 was sent on 4 January 2005: ALMATY 4769 can only be the 2004 cable. The
    # references column WikiLeaks extracted says 05ALMATY4769.
    row = records(CORPUS / "csv/us-office-almaty.csv")[1]
    cable = parse_cable(row.text, row.hints)
    assert [r.cable_id for r in cable.references] == [
        "04ALMATY4769",
        "04ALMATY4315",
        "04ALMATY4274",
    ]
    assert cable.partial is True  # the row's header column says it is a partial extract


def test_a_cable_without_page_headers_that_ends_with_its_signer_is_whole():
    row = records(CORPUS / "csv/us-office-almaty.csv")[0]  # SECTION 01 OF 02, no page headers
    cable = parse_cable(row.text, row.hints)
    assert cable.signer == "KENT"
    assert cable.partial is False


def test_csv_backslash_escaped_quotes_and_multiline_fields():
    row = records(CORPUS / "csv/us-office-almaty.csv")[0]
    cable = parse_cable(row.text, row.hints)
    assert '\\"' not in row.text
    assert '"YOU HAVE BOUQHT ALMOST HALF OF KHOJAND' in cable.paragraphs[-1].text
    assert cable.subject == "TAJIKISTAN: SCENES FROM A BACK-ROOM RESHUFFLE"
    assert cable.signer == "KENT"


def test_csv_row_with_the_wrong_number_of_columns_is_reported_and_skipped(tmp_path):
    good = (CORPUS / "csv/us-office-almaty.csv").read_text()
    bad = '"7","1/4/2005 5:25","05ALMATY7","US Office Almaty","UNCLASSIFIED","","text"\n'
    path = tmp_path / "rows.csv"
    path.write_text(good + "\n" + bad + good.lstrip("\n"))
    items = records(path)
    errors = [i for i in items if isinstance(i, ReadError)]
    assert [str(e) for e in errors] == ["expected 8 columns, found 7"]
    assert errors[0].locator == f"{path}:row 7"
    assert len([i for i in items if isinstance(i, RawRecord)]) == 6


def test_csv_is_streamed_not_loaded_whole(tmp_path):
    # A reader that loaded the file would not notice it being appended to after the start.
    path = tmp_path / "rows.csv"
    data = (CORPUS / "csv/us-office-almaty.csv").read_bytes()
    path.write_bytes(data)
    stream = read_path(path)
    first = next(stream)
    with path.open("ab") as f:
        f.write(data)
    assert first.hints.reference_id == "99ALMATY12359"
    assert len(list(stream)) == 5


# --- text -----------------------------------------------------------------------------------


def test_body_only_text_takes_its_id_from_the_file_name():
    (record,) = records(CORPUS / "text/00HARARE5461.txt")
    assert record.format == "text/body-only"
    assert record.hints.reference_id == "00HARARE5461"
    assert record.hints.created is None  # completed from another source by the importer
    assert "<a id=" not in record.text and "¶1. (C)" in record.text


def test_body_only_text_with_a_cable_dated_line():
    record, cable = parsed(CORPUS / "text/02ANKARA8305.txt")
    assert cable.reference_id == "02ANKARA8305"
    assert cable.created == datetime(2002, 11, 15, 12, 40, tzinfo=UTC)
    assert cable.classification == "SECRET"
    assert cable.tags == ["PTER", "TU"]
    assert cable.declassify_on == "2012-11-14"


def test_a_file_holding_only_the_articles_line_is_rejected():
    with pytest.raises(ReadError, match="not a cable"):
        records(CORPUS / "text/05LONDON4981.txt")


def test_cp1252_text_is_decoded():
    data = (CORPUS / "text/07BOGOTA1165.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    record, cable = parsed(CORPUS / "text/07BOGOTA1165.txt")
    assert record.format == "text"
    assert cable.reference_id == "07BOGOTA1165"
    assert cable.created == datetime(2007, 2, 16, 19, 2, tzinfo=UTC)
    assert cable.subject == (
        "COLOMBIA REQUESTS SUPPORT FOR CANDIDATE FOR INTERAMERICAN JUDICIAL COMMITTEE"
    )
    assert [p.number for p in cable.paragraphs] == [1, 2, 3, 4]
    assert "¶" in record.text


def test_five_line_header_text_mirror():
    record, cable = parsed(CORPUS / "text/06ALMATY1636.txt")
    assert record.format == "text/five-line-header"
    assert cable.created == datetime(2006, 5, 5, 14, 26, tzinfo=UTC)
    assert cable.classification == "UNCLASSIFIED"
    assert cable.origin == "US Office Almaty"
    assert cable.tags == ["EAID", "ASEC", "EG", "KZ"]


def test_a_partial_extract_notice_glued_to_the_first_line_leaves_the_line_and_its_fields():
    # "...is not available.UNCLAS  ALMATY 002904": the line was dropped with the notice,
    # and the cable's "SENSITIVE" line was taken for its origin.
    record, cable = parsed(CORPUS / "text/05ALMATY2904.txt")
    assert record.format == "text/five-line-header"
    assert record.hints.partial
    assert cable.partial
    assert cable.origin == "US Office Almaty"
    assert cable.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert cable.subject == "KAZAKHSTAN AVIAN INFLUENZA UPDATE"
    assert cable.references[0].cable_id == "05ALMATY2482"
    assert "partial extract" not in record.text


# --- archives -------------------------------------------------------------------------------


def sample_files():
    return [CORPUS / "html/06SANJOSE707.html", CORPUS / "text/02ANKARA8305.txt"]


@pytest.mark.parametrize("mode", ["w", "w:gz", "w:xz"])
def test_tar_archives_are_read_member_by_member(tmp_path, mode):
    path = tmp_path / "cables.tar"
    with tarfile.open(path, mode) as tar:
        for f in sample_files():
            tar.add(f, arcname=f"cables/{f.name}")
    items = records(path)
    assert [i.hints.reference_id for i in items] == ["06SANJOSE707", "02ANKARA8305"]
    assert items[0].locator == f"{path}!cables/06SANJOSE707.html"


def test_zip_archives_are_read_member_by_member(tmp_path):
    path = tmp_path / "cables.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for f in sample_files():
            archive.write(f, arcname=f.name)
        archive.writestr("empty.txt", "")
    items = records(path)
    assert [getattr(i, "hints", None) and i.hints.reference_id for i in items[:2]] == [
        "06SANJOSE707",
        "02ANKARA8305",
    ]
    assert isinstance(items[2], ReadError)
    assert (str(items[2]), items[2].locator) == ("empty file", f"{path}!empty.txt")


def test_archive_members_with_unsafe_paths_are_skipped(tmp_path):
    path = tmp_path / "evil.tar"
    with tarfile.open(path, "w") as tar:
        data = (CORPUS / "text/02ANKARA8305.txt").read_bytes()
        info = tarfile.TarInfo("../../etc/02ANKARA8305.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    (item,) = records(path)
    assert isinstance(item, ReadError)
    assert "unsafe path" in str(item)


def test_a_corrupt_archive_is_reported_not_raised(tmp_path):
    path = tmp_path / "broken.tar.gz"
    good = tmp_path / "good.tar.gz"
    with tarfile.open(good, "w:gz") as tar:
        tar.add(sample_files()[1], arcname="a.txt")
    path.write_bytes(good.read_bytes()[:60])
    items = records(path)
    assert items and all(isinstance(i, ReadError) for i in items)
    assert "corrupt" in str(items[-1])
