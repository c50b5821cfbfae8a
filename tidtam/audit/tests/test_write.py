"""Audited writes leave the history rows django-simple-history reads, in the same transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from tidtam.audit import write
from tidtam.projects.models import PlanStep, Project
from tidtam.test import make_project, make_user


@pytest.mark.django_db
def test_a_created_and_changed_record_has_history_with_who_why_and_what_changed() -> None:
    officer = make_user()
    project = make_project()
    step = write.save(
        PlanStep(
            project=project,
            order=1,
            text="สำรวจ",
            weight=Decimal(40),
            start=date(2019, 10, 1),
            end=date(2019, 10, 31),
        ),
        by=officer,
        reason="new plan",
    )
    step.weight = Decimal(60)
    write.save(step, by=officer, reason="re-weighted after review")

    changed, created = list(step.history.order_by("-history_id"))
    assert (created.history_type, changed.history_type) == ("+", "~")
    assert created.history_user == officer and changed.history_user == officer
    assert changed.history_change_reason == "re-weighted after review"
    delta = changed.diff_against(created)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("weight", Decimal(40), Decimal(60))
    ]


@pytest.mark.django_db
def test_bulk_created_rows_get_keys_and_one_history_row_each() -> None:
    project = make_project()
    officer = make_user()
    steps = write.create_many(
        PlanStep,
        [
            PlanStep(
                project=project,
                order=n,
                text=f"ขั้นตอน {n}",
                weight=Decimal(25),
                start=date(2020, 1, n),
                end=date(2020, 1, n),
            )
            for n in range(1, 5)
        ],
        by=officer,
        reason="import",
    )
    assert [s.pk for s in steps] == list(
        PlanStep.objects.filter(project=project).order_by("order").values_list("pk", flat=True)
    )
    history = PlanStep.history.filter(project_id=project.pk)
    assert history.count() == 4
    assert {h.history_change_reason for h in history} == {"import"}
    assert {(h.history_type, h.history_user) for h in history} == {("+", officer)}
    assert {(h.id, h.order, h.start) for h in history} == {(s.pk, s.order, s.start) for s in steps}


@pytest.mark.django_db(transaction=True)
def test_a_failed_action_leaves_neither_the_change_nor_its_history() -> None:
    project = make_project()
    with pytest.raises(RuntimeError), transaction.atomic():
        write.save(
            PlanStep(
                project=project,
                order=1,
                text="x",
                weight=Decimal(10),
                start=date(2020, 1, 1),
                end=date(2020, 1, 1),
            ),
            by=None,
        )
        raise RuntimeError("the rest of the unit of work failed")
    assert not PlanStep.objects.exists()
    assert not PlanStep.history.exists()
    assert Project.objects.count() == 1


@pytest.mark.django_db
def test_a_created_record_s_history_row_holds_each_of_its_values() -> None:
    template = make_project()
    project = write.save(
        Project(
            code="99990000-0002",
            name="โครงการ ๒",
            agency=template.agency,
            fiscal_year=template.fiscal_year,
            rationale="เหตุผล",
            published=True,
            origin=template.origin,
        ),
        by=make_user(),
        reason="created",
    )
    (created,) = project.history.all()
    record = Project.objects.get(pk=project.pk)
    fields = Project._meta.concrete_fields
    assert [getattr(created, f.attname) for f in fields] == [
        getattr(record, f.attname) for f in fields
    ]
