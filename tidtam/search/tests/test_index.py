"""The index follows the actions that change a project's texts, and can be rebuilt whole."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tidtam.indicators import actions as kpi_actions
from tidtam.indicators.tests.factories import make_kpi
from tidtam.projects import actions as project_actions
from tidtam.projects.models import FiscalYear, Project
from tidtam.reporting import actions as report_actions
from tidtam.search.index import refresh_projects
from tidtam.search.models import SearchEntry
from tidtam.search.tests.conftest import Find, index_all
from tidtam.test import Personas, add_steps, make_project

pytestmark = pytest.mark.django_db


def project_input(project: Project, **values: object) -> project_actions.ProjectInput:
    return project_actions.ProjectInput(
        **{"name": project.name, "fiscal_year": project.fiscal_year_id, **values},  # type: ignore[arg-type]
        objectives=["ลดอุบัติเหตุ"],
    )


def test_renaming_a_project_through_its_action_finds_it_by_the_new_name_only(
    personas: Personas, find: Find
) -> None:
    project = make_project(code="99990000-0001", name="โครงการติดตั้งกล้องวงจรปิด")
    index_all()
    assert find("วงจรปิด") == ["99990000-0001"]
    project_actions.update_project(
        project=project,
        expected_version=project.version,
        data=project_input(project, name="โครงการติดตั้งไฟส่องสว่าง"),
        by=personas.officer_a,
    )
    assert find("ส่องสว่าง") == ["99990000-0001"]
    assert find("วงจรปิด") == []
    # the objectives the same action set
    assert find("อุบัติเหตุ") == ["99990000-0001"]


def test_a_project_created_through_its_action_is_found_at_once(
    personas: Personas, find: Find
) -> None:
    template = make_project(code="99990000-0009", name="x", published=True)
    project_actions.create_project(
        agency=personas.agency_a,
        code="99990000-0002",
        data=project_input(template, name="โครงการปลูกต้นไม้", published=True),
        by=personas.officer_a,
    )
    assert find("ปลูกต้นไม้") == ["99990000-0002"]


def test_a_report_is_found_once_approved_not_while_a_draft(
    personas: Personas, find: Find, settings: object
) -> None:
    project = make_project(code="99990000-0001", name="โครงการหนึ่ง")
    add_steps(project, ("100", "2019-10-01", "2020-09-30"))
    report = report_actions.create_report(
        project=project,
        values=report_actions.ReportValues(
            report_date=date(2020, 1, 31), percent=Decimal(20), narrative="วางท่อระบายน้ำ"
        ),
        by=personas.officer_a,
    )
    assert find("วางท่อ", personas.executive) == []
    report = report_actions.submit_report(report=report, by=personas.officer_a)
    assert find("วางท่อ", personas.executive) == []
    report_actions.approve_report(report=report, by=personas.approver_a)
    assert find("วางท่อ") == ["99990000-0001"]


def test_changing_a_kpi_through_its_action_refreshes_the_projects_it_supports(
    personas: Personas, find: Find
) -> None:
    project = make_project(code="99990000-0001", name="โครงการหนึ่ง")
    kpi = make_kpi("9999-0001", agency=personas.agency_a, projects=(project,), text="จำนวนต้นไม้")
    index_all()
    kpi_actions.update_kpi(
        kpi=kpi,
        expected_version=kpi.version,
        data=kpi_actions.KpiInput(
            text="จำนวนถังขยะ", kpi_type=kpi.kpi_type, unit=kpi.unit, projects=[project]
        ),
        by=personas.officer_a,
    )
    assert find("ถังขยะ") == ["99990000-0001"]
    assert find("ต้นไม้") == []


def test_a_deleted_project_leaves_nothing_to_find(find: Find) -> None:
    project = make_project(code="99990000-0001", name="โครงการชั่วคราว")
    index_all()
    project.delete()
    assert not SearchEntry.objects.exists()
    assert find("ชั่วคราว") == []


def test_rebuild_search_index_indexes_every_project_or_one_fiscal_year(find: Find) -> None:
    make_project(code="99990000-0001", name="โครงการเก่า", fiscal_year=FiscalYear.ensure(2562))
    make_project(code="99990000-0002", name="โครงการใหม่", fiscal_year=FiscalYear.ensure(2563))
    out = StringIO()
    call_command("rebuild_search_index", "--fiscal-year", "2563", stdout=out)
    assert find("โครงการ") == ["99990000-0002"]
    assert "1 of 1 projects" in out.getvalue()
    call_command("rebuild_search_index", stdout=out)
    assert find("โครงการ") == ["99990000-0002", "99990000-0001"]
    assert "search index rebuilt: 2 projects" in out.getvalue()
    # Rebuilt whole a second time (SQLite drops and builds its text tables): the same entries
    # once each, and the actions keep the index in step afterwards.
    call_command("rebuild_search_index", stdout=out)
    assert find("โครงการ") == ["99990000-0002", "99990000-0001"]
    old = Project.objects.get(code="99990000-0001")
    refresh_projects([old.pk])
    assert find("เก่า") == ["99990000-0001"]
    Project.objects.filter(pk=old.pk).update(name="โครงการปรับปรุง")
    refresh_projects([old.pk])
    assert find("เก่า") == [] and find("ปรับปรุง") == ["99990000-0001"]


def test_imported_pages_are_indexed_in_bulk_with_their_batch(find: Find) -> None:
    from django.conf import settings

    from tidtam.legacy.load import import_paths

    summary = import_paths([Path(settings.BASE_DIR) / "samples" / "legacy"])
    assert not summary.rejected
    assert find("เปิดทางน้ำไหล") == ["11000000-0215"]


def count_refresh_queries(ids: list[int]) -> int:
    with CaptureQueriesContext(connection) as captured:
        refresh_projects(ids)
    return len(captured.captured_queries)


def test_a_refresh_makes_as_many_queries_for_one_project_as_for_many() -> None:
    projects = [make_project(code=f"99990000-{n:04d}", name=f"โครงการ {n}") for n in range(1, 41)]
    one = count_refresh_queries([projects[0].pk])
    many = count_refresh_queries([p.pk for p in projects])
    assert many == one


@pytest.mark.parametrize(
    "text",
    [
        "ดำเนินการก่อสร้างสะพานข้ามคลองแสนแสบ แล้วเสร็จร้อยละ 45 ตามแผน",
        "ติดตั้งไฟฟ้าส่องสว่าง 120 จุด  เขตบางกะปิ (ระยะที่ 2)",
        "road repair ซ่อมถนน phase-2 ไฟ ทาง",
    ],
)
def test_segmenting_run_by_run_gives_the_words_of_the_whole_text(text: str) -> None:
    from pythainlp.tokenize import word_tokenize

    from tidtam.lib.thai import normalise_thai
    from tidtam.search.index import _WORD, words_of

    key = normalise_thai(text)
    whole = [
        word
        for token in word_tokenize(key, engine="newmm", keep_whitespace=False)
        for word in _WORD.findall(token)
    ]
    assert list(words_of(key)) == whole
