# The origin of each cable copied into its links to people, and their person index led by it
# (see CablePerson.origin).

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_origins(apps, schema_editor):
    """Each link takes its cable's origin: one UPDATE for the table."""
    Cable = apps.get_model("cables", "Cable")
    CablePerson = apps.get_model("cables", "CablePerson")
    CablePerson.objects.update(
        origin=Subquery(Cable.objects.filter(pk=OuterRef("cable_id")).values("origin")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cables", "0016_covered_foreign_key_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="cableperson",
            name="origin",
            field=models.CharField(default="", max_length=128),
            preserve_default=False,
        ),
        migrations.RunPython(copy_origins, migrations.RunPython.noop, elidable=True),
        migrations.RemoveIndex(
            model_name="cableperson",
            name="cableperson_person_idx",
        ),
        migrations.AddIndex(
            model_name="cableperson",
            index=models.Index(
                fields=["person", "origin", "cable"], name="cableperson_person_post_idx"
            ),
        ),
    ]
