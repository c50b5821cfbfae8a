from django.db import migrations, models


def analyze(apps, schema_editor):
    # SQLite keeps no statistics of an index until ANALYZE: without them it reads the year's
    # projects through the older indexes, row by row.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE projects_project")


class Migration(migrations.Migration):
    """The year's visibility index carries the project's key: PostgreSQL read every project
    row of the year from the table in each of the dashboard's sums."""

    dependencies = [
        ("projects", "0009_year_visibility_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="project",
            name="project_year_visibility",
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                fields=["fiscal_year", "agency", "published", "origin", "id"],
                name="project_year_visibility",
            ),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
