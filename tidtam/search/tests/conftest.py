"""Helpers of the search tests: projects are made with the plain factories, then indexed the
way the actions' refresher does it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser

from tidtam.projects.models import Project
from tidtam.search.index import refresh_projects
from tidtam.search.query import search

Find = Callable[..., list[str]]


def index_all() -> None:
    refresh_projects(Project.objects.values_list("pk", flat=True))


@pytest.fixture
def find(db: None) -> Find:
    """The codes the search page lists for `text`, in order (the public by default)."""

    def run(text: str, user: object = None, page: int = 1) -> list[str]:
        results = search(user or AnonymousUser(), text, page=page)
        return [hit.project.code for hit in results.hits]

    return run
