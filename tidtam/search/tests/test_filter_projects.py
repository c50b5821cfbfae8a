"""filter_projects: the project list's text filter keeps its own order and matches like search."""

from __future__ import annotations

import pytest

from tidtam.projects.models import FiscalYear, Project
from tidtam.search.index import refresh_projects
from tidtam.search.models import SearchEntry
from tidtam.search.query import filter_projects
from tidtam.test import make_project

pytestmark = pytest.mark.django_db


def codes(projects: object) -> list[str]:
    return sorted(p.code for p in projects)  # type: ignore[attr-defined]


# With the year: the year's projects tested in turn (a fiscal year's list) instead of the text
# index asked for every year's.
@pytest.mark.parametrize("year", [None, 2563])
def test_filter_projects_keeps_projects_having_every_term(year: int | None) -> None:
    bridge = make_project(code="99990000-0001", name="โครงการก่อสร้างสะพานข้ามคลอง")
    road = make_project(code="99990000-0002", name="โครงการก่อสร้างถนน", rationale="ไฟ ทาง")
    make_project(code="99990000-0003", name="โครงการฝึกอบรม")
    refresh_projects(Project.objects.values_list("pk", flat=True))
    everything = Project.objects.all()

    def having(text: str, projects: object = everything) -> list[str]:
        return codes(filter_projects(projects, text, fiscal_year=year))  # type: ignore[arg-type]

    assert having("สร้างสะพ") == [bridge.code]
    assert having("ก่อสร้าง") == [bridge.code, road.code]
    assert having("ก่อสร้าง ถนน") == [road.code]
    assert having("ไฟ") == [road.code]
    assert having("ไฟ ก่อสร้าง") == [road.code]
    assert having("ไฟฟ้า") == []
    assert having("  ") == codes(everything)
    assert having("โครงการ", everything.filter(code__endswith="1")) == [bridge.code]


def test_a_project_moved_to_another_year_is_found_within_that_year_only() -> None:
    road = make_project(code="99990000-0002", name="โครงการก่อสร้างถนน")
    refresh_projects([road.pk])
    Project.objects.filter(pk=road.pk).update(fiscal_year=FiscalYear.ensure(2564))
    refresh_projects([road.pk])
    assert SearchEntry.objects.get(pk=road.pk).fiscal_year == 2564
    of_2564 = Project.objects.filter(fiscal_year=2564)
    of_2563 = Project.objects.filter(fiscal_year=2563)
    assert codes(filter_projects(of_2564, "ถนน", fiscal_year=2564)) == [road.code]
    assert codes(filter_projects(of_2563, "ถนน", fiscal_year=2563)) == []
