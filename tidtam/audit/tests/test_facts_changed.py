"""Derived state is refreshed once, at the end of the outermost action, inside its
transaction; a failed action refreshes nothing; the importer's batches refresh in bulk."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from tidtam.audit import write

Calls = list[tuple[set[int], set[int], bool]]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[Calls]:
    seen: Calls = []

    def record(projects: set[int], kpis: set[int]) -> None:
        seen.append((projects, kpis, connection.in_atomic_block))

    monkeypatch.setattr(write, "_refreshers", [record])
    yield seen


@write.action
def inner(project: int) -> None:
    write.facts_changed(projects=[project])


@write.checked_action
def outer(project: int, kpi: int) -> None:
    inner(project)
    inner(project + 1)
    write.facts_changed(kpis=[kpi])


@write.action
def failing(project: int) -> None:
    write.facts_changed(projects=[project])
    raise RuntimeError("refused")


@pytest.mark.django_db(transaction=True)
def test_the_outermost_action_refreshes_once_inside_its_transaction(calls: Calls) -> None:
    outer(1, 7)
    assert calls == [({1, 2}, {7}, True)]


@pytest.mark.django_db
def test_a_failed_action_refreshes_nothing(calls: Calls) -> None:
    with pytest.raises(RuntimeError):
        failing(1)
    assert calls == []
    inner(3)  # and what it had named is forgotten, not carried into the next action
    assert calls == [({3}, set(), True)]


@pytest.mark.django_db
def test_an_action_run_while_handling_an_error_still_refreshes(calls: Calls) -> None:
    try:
        raise ValueError("a caller's own error, already handled")
    except ValueError:
        inner(4)
    assert calls == [({4}, set(), True)]


@pytest.mark.django_db
def test_deferred_refreshes_run_once_in_bulk(calls: Calls) -> None:
    with write.refresh_deferred():
        inner(1)
        outer(2, 9)
        assert calls == []
    assert calls == [({1, 2, 3}, {9}, True)]
    with pytest.raises(RuntimeError), write.refresh_deferred():
        inner(5)
        raise RuntimeError("the batch fails")
    assert len(calls) == 1
