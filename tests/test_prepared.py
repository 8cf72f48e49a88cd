"""A cable page's relations read by queries compiled once (``cables.prepared``) are the same
objects, in the same order, as the ORM's prefetches read (``serializers.detail_queryset``)."""

from pathlib import Path

import pytest
from django.db import connection
from django.db.models import F

from cables import prepared, serializers, views
from cables.importer import import_paths
from cables.models import Cable, Mention, Paragraph, Reference
from cables.prepared import Placeholder, Prepared, Together

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _values(obj) -> dict:
    """Every field the object holds (deferred ones left out) and its extra attributes (the
    annotations), but the scratch ones ``Prepared`` reads a related object from."""
    fields = {f.attname for f in obj._meta.concrete_fields}
    return {
        name: value
        for name, value in obj.__dict__.items()
        if name != "_state" and (name in fields or not name.startswith("_"))
    }


def _related(obj) -> dict:
    return {
        name: _values(cached)
        for name, cached in obj._state.fields_cache.items()
        if cached is not None
    }


@pytest.fixture
def archive(db):
    corpus = FIXTURES / "corpus"
    report = import_paths([FIXTURES / "seeds", corpus / "csv", corpus / "html"])
    assert report.failures == []
    return list(Cable.objects.order_by("reference_id").values_list("reference_id", flat=True))


def test_every_cable_reads_the_same_relations_as_the_prefetches(archive):
    filled = {relation.attr: 0 for relation in serializers.DETAIL_RELATIONS}
    for reference_id in archive:
        prepared = serializers.detail_cable(reference_id)
        prefetched = serializers.detail_queryset(Cable.objects.all()).get(reference_id=reference_id)
        assert _values(prepared) == _values(prefetched)
        for relation in serializers.DETAIL_RELATIONS:
            ours = getattr(prepared, relation.attr)
            theirs = getattr(prefetched, relation.attr)
            assert [_values(o) for o in ours] == [_values(o) for o in theirs], relation.attr
            assert [_related(o) for o in ours] == [_related(o) for o in theirs], relation.attr
            filled[relation.attr] += bool(ours)
    # Every relation was compared on some cable that has it.
    assert all(filled.values()), filled


def test_a_reference_to_a_cable_in_the_archive_reads_its_date_as_a_datetime(archive):
    citing = Reference.objects.filter(target__isnull=False).first()
    assert citing is not None
    cable = serializers.detail_cable(citing.cable.reference_id)
    targets = [ref for ref in cable.ordered_references if ref.target_id is not None]
    assert targets[0].target_created == citing.target.created  # aware, not SQLite's text
    assert targets[0].target_created.tzinfo is not None


def _statements_per_cable() -> int:
    """PostgreSQL reads a cable and its relations in one statement; SQLite (in-process, no
    round trip to save) one query for the cable and one per relation."""
    return 1 if connection.vendor == "postgresql" else 1 + len(serializers.DETAIL_RELATIONS)


def test_a_cable_and_its_relations_are_read_by_a_fixed_number_of_queries(
    archive, django_assert_num_queries
):
    serializers.detail_cable(archive[0])  # (PostgreSQL prepares the statement once)
    for reference_id in archive:
        with django_assert_num_queries(_statements_per_cable()):
            cable = serializers.detail_cable(reference_id)
            for relation in serializers.DETAIL_RELATIONS:
                for obj in getattr(cable, relation.attr):
                    for name in relation.related:
                        getattr(obj, name)  # set from the same query, not read again
                    getattr(obj, relation.key.removesuffix("_id"))  # this cable


def test_an_unknown_id_reads_nothing(archive, django_assert_num_queries):
    serializers.detail_cable(archive[0])  # (PostgreSQL prepares the statement once)
    with django_assert_num_queries(1):
        assert serializers.detail_cable("99NOWHERE1") is None


def test_a_text_that_looks_like_sql_is_only_ever_a_parameter(archive):
    assert serializers.detail_cable("x' OR '1'='1") is None
    assert Cable.objects.count() == len(archive)


def test_the_same_prepared_query_answers_for_each_value(db, make_cable):
    one = make_cable("06ONE1", paragraphs=["First.", "Second."])
    two = make_cable("06TWO2", paragraphs=["Only."])
    texts = Prepared(lambda cable_id: Paragraph.objects.filter(cable_id=cable_id).order_by("id"))
    assert [p.text for p in texts(one.pk)] == ["First.", "Second."]
    assert [p.text for p in texts(two.pk)] == ["Only."]
    assert texts(-1) == []


def test_select_related_is_refused_for_related(db):
    prepared = Prepared(
        lambda cable_id: Mention.objects.select_related("person").filter(cable_id=cable_id)
    )
    with pytest.raises(ValueError, match="related="):
        prepared(1)


def test_a_queryset_without_its_placeholder_is_refused(db):
    prepared = Prepared(lambda cable_id: Paragraph.objects.annotate(n=F("number")))
    with pytest.raises(ValueError, match="placeholder"):
        prepared(1)


def test_a_text_placeholder_matches_a_text_value(db, make_cable):
    make_cable("06ONE1")
    by_id = Prepared(lambda rid: Cable.objects.filter(reference_id=rid), Placeholder.TEXT)
    assert [c.reference_id for c in by_id("06ONE1")] == ["06ONE1"]


def test_several_values_each_take_their_own_place(db, make_cable):
    cables = [make_cable(f"06C{n}") for n in range(4)]
    two = Prepared(
        lambda a, b: Cable.objects.filter(pk__in=[a, b]).order_by("reference_id"), values=2
    )
    assert [c.reference_id for c in two(cables[2].pk, cables[0].pk)] == ["06C0", "06C2"]
    assert [c.reference_id for c in two(cables[3].pk, -1)] == ["06C3"]
    with pytest.raises(TypeError, match="2 values"):
        two(cables[0].pk)


def test_a_placeholder_left_unused_is_refused(db):
    one_of_two = Prepared(lambda a, b: Cable.objects.filter(pk=a), values=2)
    with pytest.raises(ValueError, match="each of its placeholders"):
        one_of_two(1, 2)


def test_a_lookup_that_transforms_its_text_is_refused_or_answers_as_the_orm(db, make_cable):
    for reference_id in ("06A1", "06AB1", "06A%1"):
        make_cable(reference_id)
    by_id = Prepared(lambda rid: Cable.objects.filter(reference_id__iexact=rid), Placeholder.TEXT)
    if connection.vendor == "sqlite":
        # SQLite escapes iexact's value when it compiles it: a value run later would not be.
        with pytest.raises(ValueError, match="placeholders"):
            by_id("06a%1")
        return
    # PostgreSQL compares UPPER(...) of both sides in SQL, whatever the value.
    for value in ("06a%1", "06a_1", "06ab1"):
        expected = Cable.objects.filter(reference_id__iexact=value)
        assert [c.reference_id for c in by_id(value)] == [c.reference_id for c in expected]


def test_a_placeholder_out_of_its_fields_range_is_refused_by_name(db):
    positioned = Prepared(lambda position: Paragraph.objects.filter(position=position))
    with pytest.raises(ValueError, match="make no query"):
        positioned(3)


def test_an_alias_not_selected_is_not_converted(db, make_cable):
    make_cable("06ONE1", paragraphs=["First."])
    aliased = Prepared(
        lambda rid: Paragraph.objects.alias(sent=F("cable__created")).filter(
            cable__reference_id=rid, sent__isnull=False
        ),
        Placeholder.TEXT,
    )
    assert [p.text for p in aliased("06ONE1")] == ["First."]


# --- several queries as one statement, prepared once per session (PostgreSQL) -------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's one statement and PREPARE"
)


def _forget_prepared_statements() -> None:
    """A session as new: none of its statements prepared."""
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    prepared._prepared_in.pop(connection.connection, None)


def test_a_cable_page_reads_the_same_neighbours_as_the_orm(archive):
    for reference_id in archive:
        cable = serializers.detail_cable(reference_id, statement=views._CABLE_PAGE)
        for attr, older in (("previous_from_origin", True), ("next_from_origin", False)):
            expected = Cable.objects.only(
                "reference_id", "created", "subject", "origin"
            ).origin_neighbour(cable.pk, older)
            assert [_values(c) for c in getattr(cable, attr)] == [_values(c) for c in expected]


@postgres_only
def test_a_statement_is_prepared_once_per_session_then_executed(archive, django_assert_num_queries):
    _forget_prepared_statements()
    with django_assert_num_queries(2) as first:
        serializers.detail_cable(archive[0])
    assert first.captured_queries[0]["sql"].startswith("PREPARE cables_")
    assert first.captured_queries[1]["sql"].startswith("EXECUTE cables_")
    with django_assert_num_queries(1) as second:
        assert serializers.detail_cable(archive[1]).reference_id == archive[1]
    assert second.captured_queries[0]["sql"].startswith("EXECUTE cables_")


@postgres_only
def test_without_prepared_statements_the_statement_is_planned_at_each_run(
    archive, settings, django_assert_num_queries
):
    settings.PREPARED_STATEMENTS = False
    _forget_prepared_statements()
    for reference_id in archive[:3]:
        with django_assert_num_queries(1) as run:
            assert serializers.detail_cable(reference_id).reference_id == reference_id
        assert run.captured_queries[0]["sql"].startswith("SELECT ")


@postgres_only
def test_a_value_is_a_parameter_of_the_prepared_statement_never_its_text(archive):
    serializers.detail_cable(archive[0])
    for hostile in ("x') ; DROP TABLE cables_cable; --", "06A'1", "%s", "$1"):
        assert serializers.detail_cable(hostile) is None
    assert Cable.objects.count() == len(archive)


@postgres_only
def test_a_percent_sign_in_the_sql_is_sent_as_one(db):
    sql = "SELECT '5%%' AS share, %s::int AS n"
    name, prepare = prepared._server_statement(sql)
    assert prepare == f"PREPARE {name} AS SELECT '5%' AS share, $1::int AS n"

    def run(executed: str):
        with connection.cursor() as cursor:
            cursor.execute(executed, [7])
            return cursor.fetchone()

    assert prepared._executed(connection, sql, [7], run) == ("5%", 7)


def _end_session_behind_djangos_back() -> None:
    """The server ends this session (a restart, an idle timeout): Django's health check
    reconnects at the next cursor."""
    import psycopg

    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    connection.health_check_enabled = True
    connection.health_check_done = False


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_session_opened_again_by_the_health_check_prepares_its_statements_again(make_cable):
    cable = make_cable("06ONE1", paragraphs=["First."])
    texts = Prepared(lambda cable_id: Paragraph.objects.filter(cable_id=cable_id))
    _end_session_behind_djangos_back()
    before = connection.connection
    assert [p.text for p in texts(cable.pk)] == ["First."]  # prepared on the new session
    assert connection.connection is not before
    assert [p.text for p in texts(cable.pk)] == ["First."]
    _end_session_behind_djangos_back()  # prepared on the old one: prepared again
    assert [p.text for p in texts(cable.pk)] == ["First."]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_statements_a_pooler_discarded_are_prepared_again(make_cable):
    make_cable("06ONE1", paragraphs=["First."])
    assert serializers.detail_cable("06ONE1").ordered_paragraphs[0].text == "First."
    with connection.cursor() as cursor:
        cursor.execute("DISCARD ALL")  # (our record of the session still holds them)
    assert serializers.detail_cable("06ONE1").ordered_paragraphs[0].text == "First."


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_statement_planned_before_its_columns_changed_is_planned_again(make_cable):
    make_cable("06ONE1", paragraphs=["First."])
    letters = Prepared(lambda cable_id: Reference.objects.filter(cable_id=cable_id).only("letter"))
    assert letters(-5) == []
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE cables_reference ALTER COLUMN letter TYPE varchar(9)")
    try:
        assert letters(-5) == []
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE cables_reference ALTER COLUMN letter TYPE varchar(8)")


def test_parts_read_as_json_are_the_objects_of_their_own_queries(db, make_cable):
    make_cable("06ONE1", paragraphs=["First.", "Second."], tags=["KZ", "PREL"])
    make_cable("06TWO2", paragraphs=[], tags=[])
    by_id = Prepared(lambda rid: Cable.objects.filter(reference_id=rid), Placeholder.TEXT)
    texts = Prepared(lambda cable_id: Paragraph.objects.filter(cable_id=cable_id).order_by("-id"))
    together = Together(by_id, {"texts": texts})
    [(one, parts)] = together("06ONE1")
    assert one.reference_id == "06ONE1"
    assert [_values(p) for p in parts["texts"]] == [_values(p) for p in texts(one.pk)]
    assert [p.text for p in parts["texts"]] == ["Second.", "First."]
    [(two, parts)] = together("06TWO2")
    assert parts == {"texts": []}
    assert together("06NONE3") == []


@postgres_only
def test_a_field_json_cannot_carry_is_refused_by_name(db):
    from cables.models import WordCounts

    counts = Prepared(lambda pk: WordCounts.objects.filter(pk=pk).order_by("pk"))
    by_id = Prepared(lambda rid: Cable.objects.filter(reference_id=rid), Placeholder.TEXT)
    with pytest.raises(ValueError, match="BinaryField"):
        Together(by_id, {"counts": counts})("06ONE1")


@postgres_only
def test_a_part_without_an_order_is_refused_as_its_rows_would_come_in_any(db):
    by_id = Prepared(lambda rid: Cable.objects.filter(reference_id=rid), Placeholder.TEXT)
    unordered = Prepared(lambda cable_id: Paragraph.objects.filter(cable_id=cable_id).order_by())
    with pytest.raises(ValueError, match="order_by"):
        Together(by_id, {"texts": unordered})("06ONE1")


@postgres_only
def test_each_part_is_aggregated_by_its_own_row_numbers(db, make_cable):
    """PostgreSQL's ``json_agg`` of an ordered subquery keeps its order only by habit: the
    statement orders the aggregate itself, by the rows' numbers in the part's order."""
    make_cable("06ONE1", paragraphs=["First.", "Second.", "Third."])
    by_id = Prepared(lambda rid: Cable.objects.filter(reference_id=rid), Placeholder.TEXT)
    texts = Prepared(lambda cable_id: Paragraph.objects.filter(cable_id=cable_id).order_by("-id"))
    together = Together(by_id, {"texts": texts})
    [(_, parts)] = together("06ONE1")
    assert [p.text for p in parts["texts"]] == ["Third.", "Second.", "First."]
    assert not hasattr(parts["texts"][0], "_row_number")
    sql = together._statements["default"].sql
    assert 'json_agg(_rows ORDER BY _rows."_row_number")' in sql
    assert "ROW_NUMBER() OVER (ORDER BY" in sql.upper()
