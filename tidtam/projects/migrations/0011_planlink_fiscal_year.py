from django.db import migrations, models

# Each link (and each recorded version of one) takes its project's fiscal year.
BACKFILL = """
UPDATE {table} SET fiscal_year = (
    SELECT p.fiscal_year_id FROM projects_project p WHERE p.id = {table}.project_id
)
WHERE fiscal_year IS NULL
"""


def backfill(apps, schema_editor):
    for table in ("projects_planlink", "projects_historicalplanlink"):
        schema_editor.execute(BACKFILL.format(table=table))
    # A recorded version of a link whose project is gone keeps no year: 0 says so.
    schema_editor.execute(
        "UPDATE projects_historicalplanlink SET fiscal_year = 0 WHERE fiscal_year IS NULL"
    )


def analyze(apps, schema_editor):
    # SQLite keeps no statistics of an index until ANALYZE.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE projects_planlink")


class Migration(migrations.Migration):
    """A plan link keeps its project's fiscal year, with an index by year and node: the
    dashboard's roll-up and the list of a plan node read one year's links from it."""

    dependencies = [
        ("projects", "0010_year_visibility_index_with_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="planlink",
            name="fiscal_year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="fiscal year"),
        ),
        migrations.AddField(
            model_name="historicalplanlink",
            name="fiscal_year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="fiscal year"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="planlink",
            name="fiscal_year",
            field=models.PositiveSmallIntegerField(verbose_name="fiscal year"),
        ),
        migrations.AlterField(
            model_name="historicalplanlink",
            name="fiscal_year",
            field=models.PositiveSmallIntegerField(verbose_name="fiscal year"),
        ),
        migrations.AddIndex(
            model_name="planlink",
            index=models.Index(fields=["fiscal_year", "node", "project"], name="planlink_by_year"),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
