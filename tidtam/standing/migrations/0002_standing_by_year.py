from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    standing = apps.get_model("standing", "ProjectStanding")
    project = apps.get_model("projects", "Project")
    standing.objects.update(
        fiscal_year=Subquery(
            project.objects.filter(pk=OuterRef("project_id")).values("fiscal_year_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("standing", "0001_standing"),
    ]

    operations = [
        migrations.AddField(
            model_name="projectstanding",
            name="fiscal_year",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="fiscal year"),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="projectstanding",
            name="standing_pr_status_011c00_idx",
        ),
        migrations.AddIndex(
            model_name="projectstanding",
            index=models.Index(fields=["fiscal_year", "status"], name="standing_year_status"),
        ),
        migrations.AddIndex(
            model_name="projectstanding",
            index=models.Index(fields=["fiscal_year", "flag_count"], name="standing_year_flags"),
        ),
    ]
