from django.db import migrations, models


def analyze(apps, schema_editor):
    # SQLite keeps no statistics of an index until ANALYZE: without them it reads the
    # standings' wide rows instead of this index.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE standing_projectstanding")


class Migration(migrations.Migration):
    """The dashboard's index of figures begins with the fiscal year: a year's sums read that
    year's part of it, not every year's standings; it carries the open problems as well."""

    dependencies = [
        ("standing", "0005_dashboard_figures_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="projectstanding",
            name="standing_dashboard_figures",
        ),
        migrations.AddIndex(
            model_name="projectstanding",
            index=models.Index(
                fields=[
                    "fiscal_year",
                    "project",
                    "status",
                    "reported_percent",
                    "missing_report",
                    "kpi_achievement",
                    "budget_allocated",
                    "budget_released",
                    "budget_spent",
                    "forecast_finish",
                    "open_problems",
                ],
                name="standing_dashboard_figures",
            ),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
