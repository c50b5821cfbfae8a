"""What the public sees changed: the actions say so, and the version goes up once they commit.

The number is raised after the commit, in a statement of its own, rather than inside the
action's transaction: a row every writer updated would make concurrent actions wait on each
other until they commit. After the commit is still safe for readers: a page rendered before the
change is stored under the old number, and the new number is read only once the change is
visible. Should a process die between its commit and the raise, the cached pages live on until
they expire (PUBLIC_PAGE_CACHE_SECONDS) or the next change."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from tidtam.audit.models import PublishedVersion

ROW = 1


def published_data_changed() -> None:
    """Say that the current transaction changes what public pages show (the standing refresh
    at the end of each action says it once)."""
    transaction.on_commit(_raise, robust=True)


def _raise() -> None:
    if not PublishedVersion.objects.filter(pk=ROW).update(number=F("number") + 1):
        PublishedVersion.objects.get_or_create(pk=ROW, defaults={"number": 1})


def published_version() -> int:
    """The current number (0 before the first change)."""
    number = PublishedVersion.objects.filter(pk=ROW).values_list("number", flat=True).first()
    return number or 0
