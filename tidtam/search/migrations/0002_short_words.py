from django.db import migrations, models

from tidtam.search import store


def drop_index(apps, schema_editor):
    # The entries are derived: rebuild_search_index writes them again in the new form.
    store.uninstall(schema_editor.connection)
    apps.get_model("search", "SearchEntry").objects.all().delete()


def install_text_indexes(apps, schema_editor):
    # FTS5 tables and triggers on SQLite; pg_trgm, GIN indexes and a tsvector on PostgreSQL.
    store.install(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(drop_index, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='searchentry',
            name='words',
        ),
        migrations.AddField(
            model_name='searchentry',
            name='short_words',
            field=models.TextField(default=''),
            preserve_default=False,
        ),
        migrations.RunPython(install_text_indexes, drop_index),
    ]
