"""Writing the search index: by the actions that change a project's texts (through the
facts-changed refresher, in their transaction), and all at once by `rebuild_search_index`.

Each round reads a chunk of projects' texts in five queries, segments them, deletes the
chunk's old entries in one statement and inserts the new ones in a few.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import islice

from django.db import connection, transaction
from pythainlp.tokenize import word_tokenize

from tidtam.indicators.models import KpiSupport
from tidtam.lib.thai import normalise_thai
from tidtam.projects.models import Project
from tidtam.search import store
from tidtam.search.models import SearchEntry, marked_word
from tidtam.search.passages import ProjectTexts, collect

CHUNK = 1000

# A word is a run of letters, digits and the marks Thai (and Latin) set above and below:
# punctuation and symbols separate words, as they do for both databases' word indexes.
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])+")


@lru_cache(maxsize=65536)
def _segment(key: str) -> tuple[str, ...]:
    # Reports repeat themselves ("ดำเนินการตามแผน") across months and projects: each distinct
    # text is segmented once per process.
    tokens = word_tokenize(key, engine="newmm", keep_whitespace=False)
    return tuple(word for token in tokens for word in _WORD.findall(token))


def words_of(key: str) -> tuple[str, ...]:
    """The words of a normalised text, as PyThaiNLP's newmm splits them. A space always ends a
    word, so each space-separated run is segmented (and remembered) on its own: phrases recur
    across reports and projects far more often than whole texts do."""
    return tuple(word for run in key.split(" ") if run for word in _segment(run))


def word_spans(key: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) of each word of a normalised text, as `words_of` finds them."""
    at = 0
    for token in word_tokenize(key, engine="newmm", keep_whitespace=False):
        start = key.find(token, at)
        if start < 0:
            continue
        at = start + len(token)
        for m in _WORD.finditer(token):
            yield start + m.start(), start + m.end(), m.group()


def entry_for(project_id: int, texts: ProjectTexts) -> SearchEntry:
    code_key = normalise_thai(texts.code)
    name_key = normalise_thai(texts.name)
    others = [normalise_thai(p.text) for p in texts.others]
    short = {w for key in (code_key, name_key, *others) for w in words_of(key) if len(w) < 3}
    return SearchEntry(
        project_id=project_id,
        code_key=code_key,
        name_key=name_key,
        # Pieces of a query never hold a space, so none can match across two texts.
        body=" ".join(others),
        short_words=" ".join(marked_word(w) for w in sorted(short)),
        fiscal_year=texts.fiscal_year,
    )


def _chunks(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    it = iter(ids)
    while chunk := list(islice(it, size)):
        yield chunk


def refresh_projects(project_ids: Iterable[int]) -> int:
    """Rewrite these projects' entries (deleted projects lose theirs); returns entries written."""
    written = 0
    for chunk in _chunks(sorted(set(project_ids)), CHUNK):
        texts = collect(chunk)
        SearchEntry.objects.filter(pk__in=chunk).delete()
        entries = [entry_for(pk, t) for pk, t in texts.items()]
        SearchEntry.objects.bulk_create(entries, batch_size=200)
        written += len(entries)
    return written


def refresh_changed(project_ids: set[int], kpi_ids: set[int]) -> None:
    """The actions' refresher: the projects named and those supporting the KPIs named."""
    if kpi_ids:
        supporters = KpiSupport.objects.filter(kpi_id__in=kpi_ids).values_list(
            "project_id", flat=True
        )
        project_ids = project_ids | set(supporters)
    if project_ids:
        refresh_projects(project_ids)


def rebuild(
    *, fiscal_year: int | None = None, progress: Callable[[int, int], None] | None = None
) -> int:
    """Rewrite the entries of every project (of one fiscal year); `progress(done, total)`
    after each chunk. Returns the entries written.

    One fiscal year is rewritten a chunk per transaction through the text indexes' triggers.
    Every project at once is one transaction: on SQLite the FTS5 tables are dropped, the
    entries written plainly and the tables built whole at the end (readers see the old index
    until it commits; writers wait for it)."""
    projects = Project.objects.order_by("pk")
    if fiscal_year is not None:
        projects = projects.filter(fiscal_year_id=fiscal_year)
    ids = list(projects.values_list("pk", flat=True))
    done = 0
    if fiscal_year is None:
        with transaction.atomic():
            bulk = store.without_text_indexes(connection)
            if bulk:
                SearchEntry.objects.all()._raw_delete(connection.alias)
            for chunk in _chunks(ids, CHUNK * 5):
                done += refresh_projects(chunk) if not bulk else _write_new(chunk)
                if progress:
                    progress(done, len(ids))
            if bulk:
                store.rebuild_text_indexes(connection)
            store.analyze(connection)
        return done
    for chunk in _chunks(ids, CHUNK * 5):
        with transaction.atomic():
            done += refresh_projects(chunk)
        if progress:
            progress(done, len(ids))
    return done


def _write_new(chunk: list[int]) -> int:
    """Entries of projects that have none (the table was emptied)."""
    entries = [entry_for(pk, t) for pk, t in collect(chunk).items()]
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)
