"""filter_projects: the project list's text filter keeps its own order and matches like search."""

from __future__ import annotations

import pytest

from tidtam.projects.models import Project
from tidtam.search.index import refresh_projects
from tidtam.search.query import filter_projects
from tidtam.test import make_project

pytestmark = pytest.mark.django_db


def codes(projects: object) -> list[str]:
    return sorted(p.code for p in projects)  # type: ignore[attr-defined]


# scan: each project's row tested in turn (a fiscal year's list) instead of the text index.
@pytest.mark.parametrize("scan", [False, True])
def test_filter_projects_keeps_projects_having_every_term(scan: bool) -> None:
    bridge = make_project(code="99990000-0001", name="โครงการก่อสร้างสะพานข้ามคลอง")
    road = make_project(code="99990000-0002", name="โครงการก่อสร้างถนน", rationale="ไฟ ทาง")
    make_project(code="99990000-0003", name="โครงการฝึกอบรม")
    refresh_projects(Project.objects.values_list("pk", flat=True))
    everything = Project.objects.all()

    def having(text: str, projects: object = everything) -> list[str]:
        return codes(filter_projects(projects, text, scan=scan))  # type: ignore[arg-type]

    assert having("สร้างสะพ") == [bridge.code]
    assert having("ก่อสร้าง") == [bridge.code, road.code]
    assert having("ก่อสร้าง ถนน") == [road.code]
    assert having("ไฟ") == [road.code]
    assert having("ไฟ ก่อสร้าง") == [road.code]
    assert having("ไฟฟ้า") == []
    assert having("  ") == codes(everything)
    assert having("โครงการ", everything.filter(code__endswith="1")) == [bridge.code]
