"""The audit trail reads history rows into dated entries: who, what, before → after, why."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Q
from django.utils import translation

from tidtam.audit import write
from tidtam.audit.history import Action, Source, trail_page
from tidtam.audit.write import Actor
from tidtam.orgs.models import Person
from tidtam.projects.models import PlanStep, Project, ProjectContact
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.test import make_agency, make_project, make_user

SOURCES = [
    Source(Project, "project", lambda p: Q(id=p.pk), lambda r, refs: r.name),
    Source(PlanStep, "step", lambda p: Q(project_id=p.pk), lambda r, refs: f"{r.order}. {r.text}"),
    Source(
        ProjectContact,
        "contact",
        lambda p: Q(project_id=p.pk),
        lambda r, refs: str(refs.of(r, "person")),
        refs=("person",),
        names={"person": "person"},
    ),
    Source(ProgressReport, "report", lambda p: Q(project_id=p.pk), lambda r, refs: "report"),
]


def step(project: Project, order: int = 1, weight: str = "40") -> PlanStep:
    return PlanStep(
        project=project,
        order=order,
        text=f"สำรวจพื้นที่ {order}",
        weight=Decimal(weight),
        start=date(2019, 10, 1),
        end=date(2019, 10, 31),
    )


@pytest.fixture(autouse=True)
def thai() -> object:
    with translation.override("th"):
        yield


@pytest.mark.django_db
def test_a_change_shows_who_why_and_each_field_before_and_after_in_thai() -> None:
    officer = make_user("somchai", first_name="สมชาย", last_name="ใจดี")
    project = make_project()
    planned = write.save(step(project), by=officer, reason="แผนใหม่")
    planned.weight = Decimal("60.5")
    planned.end = date(2019, 11, 30)
    write.save(planned, by=officer, reason="ปรับตามงบประมาณ")

    newest = trail_page(SOURCES, project).object_list[0]

    assert newest.action == Action.CHANGED and newest.action_label == "แก้ไข"
    assert newest.who == "สมชาย ใจดี"
    assert newest.reason == "ปรับตามงบประมาณ"
    assert (newest.kind, newest.label) == ("step", "1. สำรวจพื้นที่ 1")
    changes = {c.field: (c.before, c.after) for c in newest.changes}
    assert changes == {
        "น้ำหนัก (%)": ("40.00", "60.50"),
        "สิ้นสุด": ("31 ต.ค. 2562", "30 พ.ย. 2562"),
    }


@pytest.mark.django_db
def test_entries_come_newest_first_across_models_with_created_and_deleted_rows() -> None:
    officer = make_user("officer")
    project = make_project()
    planned = write.save(step(project), by=officer, reason="")
    write.delete(planned, by=officer, reason="ซ้ำกับขั้นตอนอื่น")

    entries = trail_page(SOURCES, project).object_list

    assert [(e.kind, e.action) for e in entries] == [
        ("step", Action.DELETED),
        ("step", Action.CREATED),
        ("project", Action.CREATED),
    ]
    deleted = entries[0]
    assert deleted.label == "1. สำรวจพื้นที่ 1" and deleted.reason == "ซ้ำกับขั้นตอนอื่น"
    assert deleted.changes == [] and entries[1].changes == []


@pytest.mark.django_db
def test_a_row_without_a_user_is_the_importers_and_choices_and_flags_read_as_words() -> None:
    project = make_project(published=False)
    project.published = True
    write.save(project, by=None, reason="legacy import")
    report = write.save(
        ProgressReport(project=project, report_date=date(2020, 2, 19), percent=Decimal(30)),
        by=None,
    )
    report.status = ReportStatus.SUBMITTED
    write.save(report, by=None)

    report_entry, _report_created, project_entry, _created = trail_page(
        SOURCES, project
    ).object_list

    assert project_entry.who == "ระบบนำเข้า"
    assert [(c.field, c.before, c.after) for c in project_entry.changes] == [
        ("เผยแพร่", "ไม่ใช่", "ใช่")
    ]
    assert [(c.before, c.after) for c in report_entry.changes] == [("ร่าง", "ส่งแล้ว")]


@pytest.mark.django_db
def test_a_changed_foreign_key_reads_as_the_records_it_points_to() -> None:
    officer = make_user()
    project = make_project()
    agency = make_agency("99990000")
    first = Person.objects.create(agency=agency, name="น.ส.นฤมล ไวว่อง")
    second = Person.objects.create(agency=agency, name="นายสมศักดิ์ รักงาน")
    contact = write.save(ProjectContact(project=project, person=first), by=officer)
    contact.person = second
    write.save(contact, by=officer, reason="เปลี่ยนผู้รับผิดชอบ")

    newest = trail_page(SOURCES, project).object_list[0]

    assert newest.label == "นายสมศักดิ์ รักงาน"
    assert [(c.field, c.before, c.after) for c in newest.changes] == [
        ("person", "น.ส.นฤมล ไวว่อง", "นายสมศักดิ์ รักงาน")
    ]


@pytest.mark.django_db
def test_another_projects_history_is_not_in_the_trail() -> None:
    officer = make_user()
    mine = make_project()
    other = make_project(code="99990000-0002")
    write.save(step(other), by=officer)

    assert [e.kind for e in trail_page(SOURCES, mine).object_list] == ["project"]


@pytest.mark.django_db
def test_pages_split_the_trail_and_an_out_of_range_page_shows_the_last() -> None:
    officer = make_user()
    project = make_project()
    write.create_many(PlanStep, [step(project, n) for n in range(1, 8)], by=officer)

    first = trail_page(SOURCES, project, number=1, per_page=3)
    last = trail_page(SOURCES, project, number="99", per_page=3)

    assert first.paginator.count == 8 and first.paginator.num_pages == 3
    assert len(first.object_list) == 3 and first.has_next()
    assert last.number == 3 and [e.kind for e in last.object_list] == ["step", "project"]


def make_changes(project: Project, officer: Actor, count: int) -> None:
    steps = write.create_many(PlanStep, [step(project, n) for n in range(1, 6)], by=officer)
    for n in range(count):
        planned = steps[n % len(steps)]
        planned.weight = Decimal(n % 100)
        write.save(planned, by=officer, reason=f"แก้ครั้งที่ {n}")


@pytest.mark.django_db
@pytest.mark.parametrize("count", [10, 200])
def test_the_number_of_queries_does_not_grow_with_the_entries(
    count: int, django_assert_max_num_queries: object
) -> None:
    officer = make_user()
    project = make_project()
    make_changes(project, officer, count)

    # The page, the rows, the earlier versions, the people, the comments.
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        page = trail_page(SOURCES, project, per_page=500)
        entries = list(page.object_list)

    assert len(entries) == count + 6
    assert all(e.changes for e in entries if e.action == Action.CHANGED)
