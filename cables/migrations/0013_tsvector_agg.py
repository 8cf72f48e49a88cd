from django.db import migrations

# A cable's search vector is its paragraphs' vectors put end to end (each is computed once,
# for the paragraph search, instead of parsing the whole text a second time): PostgreSQL
# has the concatenation (``tsvector_concat``, the ``||`` operator) but no aggregate of it.
CREATE = """
    CREATE AGGREGATE cables_tsvector_agg (tsvector) (
        SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = ''
    )
"""
DROP = "DROP AGGREGATE IF EXISTS cables_tsvector_agg (tsvector)"


def run_on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("cables", "0012_title_search_index"),
    ]

    operations = [
        migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP)),
    ]
