"""The database's text indexes over SearchEntry, and how a query reaches them.

SQLite: two FTS5 tables over the entry table's columns (external content, kept in step by
triggers): `search_text_fts` with the trigram tokenizer for substrings of code, name and body,
and `search_words_fts` for whole words. PostgreSQL: pg_trgm GIN indexes on the same columns
and a stored tsvector of the words with a GIN index. Both answer the same question, "which
projects have every term", so both databases find the same projects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

if TYPE_CHECKING:
    from tidtam.projects.models import Project

ENTRY = "search_searchentry"
TEXT_FTS = "search_text_fts"
TITLE_FTS = "search_title_fts"
WORDS_FTS = "search_words_fts"

_SQLITE = [
    # case_sensitive 1: the keys are lower case already, and a substring stays a substring
    # (the tokenizer's own case folding is not Python's).
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {TEXT_FTS} USING fts5(
        code_key, name_key, body, content='{ENTRY}', content_rowid='project_id',
        tokenize='trigram case_sensitive 1')""",
    # Code and name alone, for ranking: a word common in reports is looked up in these short
    # texts without reading its every occurrence in the reports.
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {TITLE_FTS} USING fts5(
        code_key, name_key, content='{ENTRY}', content_rowid='project_id',
        tokenize='trigram case_sensitive 1')""",
    # The words are split by PyThaiNLP and joined with spaces; every character a word may hold
    # is a token character here, so each word is exactly one token.
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {WORDS_FTS} USING fts5(
        words, content='{ENTRY}', content_rowid='project_id',
        tokenize="unicode61 categories 'L* M* N* Co' remove_diacritics 0", detail=none)""",
    f"""CREATE TRIGGER IF NOT EXISTS search_entry_inserted AFTER INSERT ON {ENTRY} BEGIN
        INSERT INTO {TEXT_FTS}(rowid, code_key, name_key, body)
            VALUES (new.project_id, new.code_key, new.name_key, new.body);
        INSERT INTO {TITLE_FTS}(rowid, code_key, name_key)
            VALUES (new.project_id, new.code_key, new.name_key);
        INSERT INTO {WORDS_FTS}(rowid, words) VALUES (new.project_id, new.words);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_entry_deleted AFTER DELETE ON {ENTRY} BEGIN
        INSERT INTO {TEXT_FTS}({TEXT_FTS}, rowid, code_key, name_key, body)
            VALUES ('delete', old.project_id, old.code_key, old.name_key, old.body);
        INSERT INTO {TITLE_FTS}({TITLE_FTS}, rowid, code_key, name_key)
            VALUES ('delete', old.project_id, old.code_key, old.name_key);
        INSERT INTO {WORDS_FTS}({WORDS_FTS}, rowid, words)
            VALUES ('delete', old.project_id, old.words);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_entry_updated AFTER UPDATE ON {ENTRY} BEGIN
        INSERT INTO {TEXT_FTS}({TEXT_FTS}, rowid, code_key, name_key, body)
            VALUES ('delete', old.project_id, old.code_key, old.name_key, old.body);
        INSERT INTO {TITLE_FTS}({TITLE_FTS}, rowid, code_key, name_key)
            VALUES ('delete', old.project_id, old.code_key, old.name_key);
        INSERT INTO {WORDS_FTS}({WORDS_FTS}, rowid, words)
            VALUES ('delete', old.project_id, old.words);
        INSERT INTO {TEXT_FTS}(rowid, code_key, name_key, body)
            VALUES (new.project_id, new.code_key, new.name_key, new.body);
        INSERT INTO {TITLE_FTS}(rowid, code_key, name_key)
            VALUES (new.project_id, new.code_key, new.name_key);
        INSERT INTO {WORDS_FTS}(rowid, words) VALUES (new.project_id, new.words);
    END""",
]

_POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # strip(): whole words are asked for, never their positions.
    f"""ALTER TABLE {ENTRY} ADD COLUMN IF NOT EXISTS words_tsv tsvector
        GENERATED ALWAYS AS (strip(to_tsvector('simple'::regconfig, words))) STORED""",
    f"CREATE INDEX IF NOT EXISTS search_entry_words ON {ENTRY} USING gin (words_tsv)",
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
    f"DROP TABLE IF EXISTS {WORDS_FTS}",
]

_POSTGRES_DROP = [
    *(f"DROP INDEX IF EXISTS search_entry_{c}_trgm" for c in ("code_key", "name_key", "body")),
    "DROP INDEX IF EXISTS search_entry_words",
    f"ALTER TABLE {ENTRY} DROP COLUMN IF EXISTS words_tsv",
]


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the text indexes (idempotent): from the migration, and after a test database
    is made from the models without migrations."""
    statements = {"sqlite": _SQLITE, "postgresql": _POSTGRES}.get(connection.vendor, [])
    if ENTRY not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    statements = {"sqlite": _SQLITE_DROP, "postgresql": _POSTGRES_DROP}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def fts_phrase(text: str) -> str:
    """An FTS5 string literal: the text as one phrase, quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def _tsquery_lexeme(word: str) -> str:
    # A quoted lexeme is taken as it is: no parser, no dictionary.
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def has_word(word: str, *, sqlite: bool) -> Q:
    """The project's text has this whole word (a row test, for candidates already found)."""
    if sqlite:
        return Q(search_entry__words__contains=f" {word} ")
    return Q(
        pk__in=RawSQL(
            f"SELECT project_id FROM {ENTRY} WHERE words_tsv @@ %s::tsquery",
            [_tsquery_lexeme(word)],
        )
    )


def fts_candidates(projects: QuerySet[Project], table: str, expression: str) -> QuerySet[Project]:
    """SQLite: the projects an FTS5 table's expression finds, joined row by row, so that a
    LIMIT stops the look-up early."""
    return projects.extra(
        tables=[table],
        where=[f"{table}.rowid = projects_project.id", f"{table} MATCH %s"],
        params=[expression],
    )


def words_expression(words: tuple[str, ...]) -> str:
    return " AND ".join(fts_phrase(w) for w in words)


def fts_ids(text: str | None, words: tuple[str, ...]) -> RawSQL:
    """SQLite: every project id the expression finds, as a subquery."""
    parts, params = [], []
    if text is not None:
        parts.append(f"SELECT rowid FROM {TEXT_FTS} WHERE {TEXT_FTS} MATCH %s")
        params.append(text)
    if words:
        parts.append(f"SELECT rowid FROM {WORDS_FTS} WHERE {WORDS_FTS} MATCH %s")
        params.append(words_expression(words))
    return RawSQL(" INTERSECT ".join(parts), params)


def optimize(connection: BaseDatabaseWrapper) -> None:
    """Merge the FTS5 tables' segments after a bulk write (SQLite; nothing elsewhere)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table in (TEXT_FTS, TITLE_FTS, WORDS_FTS):
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
