"""The version of what the public pages show, raised after each change of it commits."""

from __future__ import annotations

from django.db import models


class PublishedVersion(models.Model):
    """One row: a number raised after every committed action that changes what a public page
    shows (a standing, a report's approval, a project, an agency's or plan's name). Cached
    public pages are keyed on it (dashboards/public_cache.py), so a change is seen by every
    application server at once without deleting anything from the cache."""

    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "published version"

    def __str__(self) -> str:
        return str(self.number)
