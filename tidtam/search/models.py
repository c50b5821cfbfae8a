"""Each project's searchable text, stored as matching keys and kept by the actions that change
it (see index.py); the database's own text indexes sit on these columns (see store.py)."""

from __future__ import annotations

from django.db import models

from tidtam.projects.models import Project

SHORT_WORD_MARK = "\x1f"


def marked_word(word: str) -> str:
    """A short word as `short_words` holds it: between two marks, so that it is found only
    whole."""
    return f"{SHORT_WORD_MARK}{word}{SHORT_WORD_MARK}"


class SearchEntry(models.Model):
    """One project's text in `normalise_thai` form, split by where it ranks: the code, the
    name, and everything else indexed (agency names, rationale, objectives and targets,
    approved reports, official problems, KPIs). Never a draft's words."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    code_key = models.CharField(max_length=30, db_index=True)
    name_key = models.TextField()
    body = models.TextField()
    # The distinct words of one or two characters in all of the above, as PyThaiNLP segments
    # them, each between two SHORT_WORD_MARK: a query piece too short for a trigram index
    # must be one of them. Marked this way, "\x1fไฟ\x1f" is itself a trigram-searchable
    # substring, found only where the whole word is.
    short_words = models.TextField()
    # The project's fiscal year, kept with its text so that a list's words within one year
    # are tested on that year's entries, read from this index (on PostgreSQL; SQLite asks
    # its text index instead). Empty only between the migration that added it and its fill.
    fiscal_year = models.SmallIntegerField(null=True, db_index=True)

    class Meta:
        verbose_name = "search entry"
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return self.code_key
