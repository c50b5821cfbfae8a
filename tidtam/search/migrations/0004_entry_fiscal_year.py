from django.db import migrations, models

from tidtam.search import store


def fill_fiscal_years(apps, schema_editor):
    # Each entry takes its project's year. On SQLite the entries' update trigger is made
    # again first, touching the text indexes only when a text changes: the old one would
    # have forgotten and learnt every entry's text again for this column.
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS search_entry_updated")
            store.install(connection)
        cursor.execute(
            f"UPDATE {store.ENTRY} SET fiscal_year = (SELECT fiscal_year_id FROM "
            f"projects_project WHERE projects_project.id = {store.ENTRY}.project_id)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_short_words_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="fiscal_year",
            field=models.SmallIntegerField(db_index=True, null=True),
        ),
        migrations.RunPython(fill_fiscal_years, migrations.RunPython.noop),
    ]
