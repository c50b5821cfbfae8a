"""The database's text indexes over SearchEntry, and how a query reaches them.

SQLite: FTS5 tables with the trigram tokenizer over the entry table's columns (external
content, kept in step by triggers): `search_text_fts` over everything, `search_title_fts` over
the code and the name alone, for ranking. PostgreSQL: pg_trgm GIN indexes on the same columns,
and a stored tsvector of the short words with a GIN index. Both answer the same question,
"which projects have every term", so both databases find the same projects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BigIntegerField, ExpressionWrapper, F, Lookup, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan, In

from tidtam.search.models import SearchEntry, marked_word

if TYPE_CHECKING:
    from tidtam.projects.models import Project

ENTRY = "search_searchentry"
TEXT_FTS = "search_text_fts"
TITLE_FTS = "search_title_fts"
# What a piece of three characters or more is looked for in (every column but the marked
# short words).
TEXT_COLUMNS = "{code_key name_key body}"
_COLUMNS = ("code_key", "name_key", "body", "short_words")

_SQLITE = [
    # case_sensitive 1: the keys are lower case already, and a substring stays a substring
    # (the tokenizer's own case folding is not Python's).
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {TEXT_FTS} USING fts5(
        {", ".join(_COLUMNS)}, content='{ENTRY}', content_rowid='project_id',
        tokenize='trigram case_sensitive 1')""",
    # Code and name alone, for ranking: a word common in reports is looked up in these short
    # texts without reading its every occurrence in the reports.
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {TITLE_FTS} USING fts5(
        code_key, name_key, content='{ENTRY}', content_rowid='project_id',
        tokenize='trigram case_sensitive 1')""",
]
_OLD = ", ".join(f"old.{c}" for c in _COLUMNS)
_NEW = ", ".join(f"new.{c}" for c in _COLUMNS)
_FORGET = f"""
    INSERT INTO {TEXT_FTS}({TEXT_FTS}, rowid, {", ".join(_COLUMNS)})
        VALUES ('delete', old.project_id, {_OLD});
    INSERT INTO {TITLE_FTS}({TITLE_FTS}, rowid, code_key, name_key)
        VALUES ('delete', old.project_id, old.code_key, old.name_key);"""
_LEARN = f"""
    INSERT INTO {TEXT_FTS}(rowid, {", ".join(_COLUMNS)}) VALUES (new.project_id, {_NEW});
    INSERT INTO {TITLE_FTS}(rowid, code_key, name_key)
        VALUES (new.project_id, new.code_key, new.name_key);"""
_SQLITE += [
    f"CREATE TRIGGER IF NOT EXISTS search_entry_inserted AFTER INSERT ON {ENTRY} "
    f"BEGIN {_LEARN} END",
    f"CREATE TRIGGER IF NOT EXISTS search_entry_deleted AFTER DELETE ON {ENTRY} "
    f"BEGIN {_FORGET} END",
    # Only a change of the texts touches the text indexes (not of the fiscal year).
    f"CREATE TRIGGER IF NOT EXISTS search_entry_updated "
    f"AFTER UPDATE OF {', '.join(_COLUMNS)} ON {ENTRY} BEGIN {_FORGET} {_LEARN} END",
]

# The short words as a tsvector, for PostgreSQL's word index: each is a letter and digit
# run the parser keeps whole (the marks between them become spaces); strip(): whole words
# are asked for, never their positions. `HasShortWord` writes the same expression, which is
# how the planner finds this index for it.
WORDS_TSVECTOR = "strip(to_tsvector('simple'::regconfig, translate({column}, E'\\x1f', ' ')))"

_POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS search_entry_short_words ON {ENTRY} "
    f"USING gin (({WORDS_TSVECTOR.format(column='short_words')}))",
    *(
        f"CREATE INDEX IF NOT EXISTS search_entry_{column}_trgm ON {ENTRY} "
        f"USING gin ({column} gin_trgm_ops)"
        for column in ("code_key", "name_key", "body")
    ),
]

_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_inserted",
    "DROP TRIGGER IF EXISTS search_entry_deleted",
    "DROP TRIGGER IF EXISTS search_entry_updated",
    f"DROP TABLE IF EXISTS {TEXT_FTS}",
    f"DROP TABLE IF EXISTS {TITLE_FTS}",
    # the first version's table of every word
    "DROP TABLE IF EXISTS search_words_fts",
]

_POSTGRES_DROP = [
    *(f"DROP INDEX IF EXISTS search_entry_{c}_trgm" for c in ("code_key", "name_key", "body")),
    "DROP INDEX IF EXISTS search_entry_short_words",
    # the first version's stored column of the same tsvector, and its index
    "DROP INDEX IF EXISTS search_entry_words",
    f"ALTER TABLE {ENTRY} DROP COLUMN IF EXISTS words_tsv",
]


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the text indexes (idempotent): from the migration, and after a test database
    is made from the models without migrations."""
    statements = {"sqlite": _SQLITE, "postgresql": _POSTGRES}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        if ENTRY not in connection.introspection.table_names(cursor):
            return
        columns = connection.introspection.get_table_description(cursor, ENTRY)
        if "short_words" not in {c.name for c in columns}:
            return  # migrated back to before the columns these indexes cover
        for sql in statements:
            cursor.execute(sql)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    statements = {"sqlite": _SQLITE_DROP, "postgresql": _POSTGRES_DROP}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def optimize(connection: BaseDatabaseWrapper) -> None:
    """Merge the FTS5 tables' segments after a bulk write (SQLite; nothing elsewhere)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table in (TEXT_FTS, TITLE_FTS):
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")


def analyze(connection: BaseDatabaseWrapper) -> None:
    """The planner's statistics of the entries, after every one was rewritten: without them
    PostgreSQL takes the table for empty (its autovacuum comes later) and looks a common word
    up row by row, and SQLite has none until an ANALYZE."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {ENTRY}")


def fts_phrase(text: str) -> str:
    """An FTS5 string literal: the text as one phrase, quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def fts_short_word(word: str) -> str:
    return f"short_words : {fts_phrase(marked_word(word))}"


def _tsquery_lexeme(word: str) -> str:
    # A quoted lexeme is taken as it is: no parser, no dictionary.
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


class HasShortWord(Lookup[bool]):
    """`short_words__has_short_word=w`: the entry has this whole word of one or two
    characters. On PostgreSQL through the word index (its very expression, so that the
    planner can combine it with the trigram indexes in one bitmap); on SQLite a row test (its
    FTS5 expressions ask for the word themselves)."""

    lookup_name = "has_short_word"

    def as_sql(self, compiler: Any, connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
        column, params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            tsvector = WORDS_TSVECTOR.format(column=column)
            return f"{tsvector} @@ (%s)::tsquery", [*params, _tsquery_lexeme(self.rhs)]
        return f"instr({column}, %s) > 0", [*params, marked_word(self.rhs)]


def row_contains(field: str, text: str, *, sqlite: bool) -> Q:
    """The field holds the text, tested row by row, never looked up through a text index.

    SQLite's LIKE is already a row test. On PostgreSQL LIKE is answered through the pg_trgm
    index, which for a text in most projects rechecks nearly every one of them; a page of
    such projects in list order is found sooner by testing the rows in that order, and
    strpos() is not an operator the index serves."""
    if sqlite:
        return Q(**{f"{field}__contains": text})
    return Q(GreaterThan(StrIndex(field, Value(text)), 0))


SearchEntry._meta.get_field("short_words").register_lookup(HasShortWord)


def has_short_word(word: str) -> Q:
    """The project's text has this whole word of one or two characters."""
    return Q(search_entry__short_words__has_short_word=word)


def fts_candidates(projects: QuerySet[Project], table: str, expression: str) -> QuerySet[Project]:
    """SQLite: the projects an FTS5 table's expression finds, joined row by row, so that a
    LIMIT stops the look-up early."""
    return projects.extra(
        tables=[table],
        where=[f"{table}.rowid = projects_project.id", f"{table} MATCH %s"],
        params=[expression],
    )


def fts_ids(expression: str) -> RawSQL:
    """SQLite: every project id the expression over all the text finds, as a subquery."""
    return RawSQL(f"SELECT rowid FROM {TEXT_FTS} WHERE {TEXT_FTS} MATCH %s", [expression])


def fts_member(expression: str) -> Q:
    """SQLite: the project is among those the expression over all the text finds, as a test
    of each project the rest of the query reads. The text index is read once into a set
    (a common word's every project of twenty years takes a few milliseconds), while testing
    each project's own text reads its every report narrative: 25 ms for the 6,000 projects
    of the current year, 40 for a full year's. Written `id + 0 IN (…)` so that SQLite tests
    the set instead of reading the projects in the index's order, which sorts every match of
    every year to list one year's."""
    key = ExpressionWrapper(F("pk") + 0, output_field=BigIntegerField())
    return Q(In(key, fts_ids(expression)))


# A full rebuild's page cache, in KiB: an FTS5 'rebuild' of 120,000 projects' text takes
# 4.5 minutes with SQLite's default 2 MB cache and under 2 with this.
REBUILD_CACHE_KIB = 400_000


def without_text_indexes(connection: BaseDatabaseWrapper) -> bool:
    """SQLite, before rewriting every entry: drop the FTS5 tables and their triggers (each
    row kept in step one by one costs more than building the tables whole afterwards). Returns
    whether it did; `rebuild_text_indexes` then builds them."""
    if connection.vendor != "sqlite":
        return False
    uninstall(connection)
    return True


def rebuild_text_indexes(connection: BaseDatabaseWrapper) -> None:
    """SQLite: create the FTS5 tables and triggers again and fill them from every entry in
    one pass each, with a large page cache for the duration."""
    install(connection)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (cache,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{REBUILD_CACHE_KIB}")
        try:
            for table in (TITLE_FTS, TEXT_FTS):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(cache)}")
