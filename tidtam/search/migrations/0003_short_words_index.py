from django.db import migrations

from tidtam.search import store


def index_the_expression(apps, schema_editor):
    # PostgreSQL: the short words' tsvector was a stored column with its own index; it is now
    # an index on the expression itself, which a lookup can name in the entry's own row (and
    # the planner combine with the trigram indexes). Nothing changes on SQLite.
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS search_entry_words")
            cursor.execute(f"ALTER TABLE {store.ENTRY} DROP COLUMN IF EXISTS words_tsv")
    store.install(connection)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0002_short_words"),
    ]

    operations = [
        migrations.RunPython(index_the_expression, migrations.RunPython.noop),
    ]
