"""Ranking: code, then part of a code, then the name, then anything else; newest fiscal year,
then code, within each. The same lists on SQLite and PostgreSQL, and whether a query matches
few projects (all ranked at once) or many (looked up tier by tier)."""

from __future__ import annotations

import pytest

from tidtam.projects.models import FiscalYear
from tidtam.search import query
from tidtam.search.tests.conftest import Find, index_all
from tidtam.test import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(db: None) -> None:
    for code, year, name, rationale in (
        ("99990000-0001", 2563, "โครงการก่อสร้างสะพานคลองแสนแสบ", ""),
        ("99990000-0002", 2564, "โครงการซ่อมสะพานลอย", ""),
        ("99990000-0003", 2564, "โครงการปรับปรุงถนน", "เชื่อมสะพานเดิม"),
        ("99990000-0004", 2562, "โครงการปรับปรุงถนน 0001", "สะพานไม้ผุ"),
        ("99990000-0005", 2564, "โครงการขุดลอกคลอง", "ไม่มีคำนั้น"),
        ("99980000-0001", 2564, "โครงการสะพานลอยคนข้าม", ""),
        ("99980000-0020", 2563, "งานทาสีอาคาร 0001", "สะพานสีลม ต่อจาก 99990000-0001"),
    ):
        make_project(code=code, fiscal_year=FiscalYear.ensure(year), name=name, rationale=rationale)
    index_all()


EXPECTED = {
    # the name first, newest year first, then the rationale
    "สะพาน": [
        "99980000-0001",
        "99990000-0002",
        "99990000-0001",
        "99990000-0003",
        "99980000-0020",
        "99990000-0004",
    ],
    # the exact code first, however new the others
    "99990000-0001": ["99990000-0001", "99980000-0020"],
    # codes containing it, then the names that hold it
    "0001": ["99980000-0001", "99990000-0001", "99980000-0020", "99990000-0004"],
    "สะพาน ลอย": ["99980000-0001", "99990000-0002"],
    "ปรับปรุง สะพาน": ["99990000-0003", "99990000-0004"],
    "99990000": [
        "99990000-0002",
        "99990000-0003",
        "99990000-0005",
        "99990000-0001",
        "99990000-0004",
        "99980000-0020",
    ],
}


@pytest.mark.parametrize("text", list(EXPECTED))
@pytest.mark.parametrize("cap", [1000, 2])
def test_ranking_is_the_same_on_every_database_and_every_path(
    projects: None, find: Find, text: str, cap: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A cap of 2 sends every query with more matches down the tier-by-tier path; page sizes
    # of 2 show that the pages follow one another without a gap or a repeat.
    monkeypatch.setattr(query, "CAP", cap)
    monkeypatch.setattr(query, "PAGE_SIZE", 2)
    expected = EXPECTED[text][:cap]
    listed = [code for page in (1, 2, 3, 4) for code in find(text, page=page)]
    assert listed == expected


@pytest.mark.parametrize("deep", [0, 100])
def test_a_deep_page_of_a_common_word_is_the_same_sorted_or_read_in_order(
    projects: None, find: Find, deep: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(query, "CAP", 5)
    monkeypatch.setattr(query, "PAGE_SIZE", 2)
    monkeypatch.setattr(query, "DEEP", deep)
    monkeypatch.setattr(query, "BIG", 100)
    listed = [code for page in (1, 2, 3) for code in find("สะพาน", page=page)]
    assert listed == EXPECTED["สะพาน"][:5]
