# Full-text search (cables.search). The same operations run on both databases:
# - PostgreSQL: tsvector columns (and the narrow table of paragraph vectors) filled for the
#   cables already stored, then GIN indexes.
# - SQLite: the columns and table exist but stay empty (their indexes are empty partial
#   indexes); the FTS5 tables cable_fts and paragraph_fts and their triggers are created and
#   filled.

import django.db.models.deletion
from django.db import migrations, models

import cables.search.fields

# Where PostgreSQL keeps the vectors:
# - title_vector (subject and summary, small) in the cable's row (MAIN), as the ranking
#   reads it for thousands of cables;
# - cables_paragraphvector: a lower toast_tuple_target. (Measured since: it changes
#   nothing, PostgreSQL only moves values out of a row above its fixed 2 kB threshold;
#   harmless, left as it was applied.)
POSTGRES_STORAGE = [
    "ALTER TABLE cables_cable ALTER COLUMN title_vector SET STORAGE MAIN",
    "ALTER TABLE cables_paragraphvector SET (toast_tuple_target = 128)",
]

# The same vectors as cables.search.postgres.index_cable (english config; subject A,
# summary B, paragraph text D; the title vector: subject and summary alone).
TITLE = """(setweight(to_tsvector('english', coalesce(c.subject, '')), 'A')
        || setweight(to_tsvector('english', coalesce(c.summary, '')), 'B'))"""
POSTGRES_FILL = [
    """
    INSERT INTO cables_paragraphvector (paragraph_id, cable_id, search_vector)
    SELECT id, cable_id, to_tsvector('english', text) FROM cables_paragraph
    """,
    f"""
    UPDATE cables_cable AS c SET
        title_vector = {TITLE},
        search_vector = {TITLE} || setweight(to_tsvector('english', coalesce((
            SELECT string_agg(p.text, E'\\n\\n' ORDER BY p.position)
            FROM cables_paragraph AS p WHERE p.cable_id = c.id
        ), '')), 'D')
    """,
]


def create_search_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for statement in POSTGRES_STORAGE + POSTGRES_FILL:
            schema_editor.execute(statement, params=None)
    elif connection.vendor == "sqlite":
        from cables.search.sqlite import create_schema

        create_schema(connection)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from cables.search.sqlite import drop_schema

        drop_schema(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("cables", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="cable",
            name="search_vector",
            field=cables.search.fields.SearchVectorField(editable=False, help_text="PostgreSQL: subject (weight A), summary (B) and paragraph text (D), english config; filled by the importer. Unused on SQLite (FTS5 table cable_fts).", null=True),
        ),
        migrations.AddField(
            model_name="cable",
            name="title_vector",
            field=cables.search.fields.SearchVectorField(editable=False, help_text="PostgreSQL: subject (weight A) and summary (B) alone, small enough to stay in the row: ranks without reading whole cables. Unused on SQLite.", null=True),
        ),
        migrations.CreateModel(
            name="ParagraphVector",
            fields=[
                ("paragraph", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="+", serialize=False, to="cables.paragraph")),
                ("search_vector", cables.search.fields.SearchVectorField(help_text="The text, english config.")),
                ("cable", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="cables.cable")),
            ],
        ),
        migrations.RunPython(create_search_index, drop_search_index, elidable=False),
        migrations.AddIndex(
            model_name="cable",
            index=cables.search.fields.SearchGinIndex(fields=["search_vector"], name="cable_search_idx"),
        ),
        migrations.AddIndex(
            model_name="paragraphvector",
            index=cables.search.fields.SearchGinIndex(fields=["search_vector"], name="paragraph_search_idx"),
        ),
    ]
