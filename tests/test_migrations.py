"""The models and the migrations agree, on whichever database the suite runs against."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:  # makemigrations --check exits 1 when changes are missing
        pytest.fail(f"missing migrations (exit {exit_.code}):\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_an_archive_imported_before_the_kept_counts_gets_its_rows_and_counts():
    """0009 fills CablePerson from the mentions of an archive imported before it and counts
    each person's cables; 0010 counts each tag's."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = ("cables", "0008_source_import_version"), ("cables", "0010_tag_counts")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        old = executor.loader.project_state([before]).apps
        cable = old.get_model("cables", "Cable").objects.create(
            reference_id="06ALMATY1", created="2006-01-01T00:00Z", content_hash="x"
        )
        paragraph = old.get_model("cables", "Paragraph").objects.create(
            cable=cable, position=1, number=1, anchor="p1", text="Ordway said."
        )
        Person = old.get_model("cables", "Person")
        ordway = Person.objects.create(name="John Ordway", slug="john-ordway")
        Person.objects.create(name="Nobody", slug="nobody")  # named by no cable
        Mention = old.get_model("cables", "Mention")
        Mention.objects.create(person=ordway, cable=cable, role="signer")
        Mention.objects.create(person=ordway, cable=cable, paragraph=paragraph, role="named")
        Tag = old.get_model("cables", "Tag")
        old.get_model("cables", "CableTag").objects.create(
            cable=cable, tag=Tag.objects.create(code="KZ"), position=1
        )
        Tag.objects.create(code="PREL")

        executor = MigrationExecutor(connection)
        executor.migrate([after])
        new = executor.loader.project_state([after]).apps
        links = new.get_model("cables", "CablePerson").objects.values_list("cable_id", "person_id")
        assert list(links) == [(cable.pk, ordway.pk)]
        counts = new.get_model("cables", "Person").objects.values_list("slug", "cable_count")
        assert dict(counts) == {"john-ordway": 1, "nobody": 0}
        tags = new.get_model("cables", "Tag").objects.values_list("code", "cable_count")
        assert dict(tags) == {"KZ": 1, "PREL": 0}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_links_of_an_archive_imported_before_0017_take_their_cables_origin():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        ("cables", "0016_covered_foreign_key_indexes"),
        ("cables", "0017_cable_person_post"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        old = executor.loader.project_state([before]).apps
        Cable = old.get_model("cables", "Cable")
        moscow, kyiv = (
            Cable.objects.create(
                reference_id=f"06{post.upper()}1",
                created="2006-01-01T00:00Z",
                origin=f"Embassy {post}",
                content_hash="x",
            )
            for post in ("Moscow", "Kyiv")
        )
        putin = old.get_model("cables", "Person").objects.create(name="Putin", slug="putin")
        for cable in (moscow, kyiv):
            old.get_model("cables", "CablePerson").objects.create(cable=cable, person=putin)

        executor = MigrationExecutor(connection)
        executor.migrate([after])
        new = executor.loader.project_state([after]).apps
        links = new.get_model("cables", "CablePerson").objects.values_list("cable_id", "origin")
        assert dict(links) == {moscow.pk: "Embassy Moscow", kyiv.pk: "Embassy Kyiv"}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_long_values_are_compressed_with_lz4_where_postgresql_has_it():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("TOAST compression is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        (has_lz4,) = cursor.fetchone()
        cursor.execute(
            """SELECT attrelid::regclass::text || '.' || attname, attcompression
            FROM pg_attribute WHERE attrelid IN (
                'cables_cable'::regclass, 'cables_source'::regclass,
                'cables_paragraph'::regclass, 'cables_paragraphvector'::regclass
            ) AND attname IN ('header', 'body', 'text', 'search_vector', 'title_vector')"""
        )
        methods = dict(cursor.fetchall())
    assert sorted(methods) == [
        "cables_cable.body",
        "cables_cable.header",
        "cables_cable.search_vector",
        "cables_cable.title_vector",
        "cables_paragraph.text",
        "cables_paragraphvector.search_vector",
        "cables_source.body",
    ]
    assert set(methods.values()) == ({"l"} if has_lz4 else {""})
