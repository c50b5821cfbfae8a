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


def test_filter_projects_keeps_projects_having_every_term() -> None:
    bridge = make_project(code="99990000-0001", name="โครงการก่อสร้างสะพานข้ามคลอง")
    road = make_project(code="99990000-0002", name="โครงการก่อสร้างถนน", rationale="ไฟ ทาง")
    make_project(code="99990000-0003", name="โครงการฝึกอบรม")
    refresh_projects(Project.objects.values_list("pk", flat=True))
    everything = Project.objects.all()

    assert codes(filter_projects(everything, "สร้างสะพ")) == [bridge.code]
    assert codes(filter_projects(everything, "ก่อสร้าง")) == [bridge.code, road.code]
    assert codes(filter_projects(everything, "ก่อสร้าง ถนน")) == [road.code]
    assert codes(filter_projects(everything, "ไฟ")) == [road.code]
    assert codes(filter_projects(everything, "  ")) == codes(everything)
    assert codes(filter_projects(everything.filter(code__endswith="1"), "โครงการ")) == [bridge.code]
