"""The KPI list and the KPI page: what they show, to whom, and in how many queries."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tidtam.indicators.models import Kpi, ProjectEvaluation
from tidtam.indicators.tests.factories import add_results, add_scores, make_kpi
from tidtam.projects.models import FiscalYear
from tidtam.standing.refresh import refresh_standings
from tidtam.test import Personas, make_agency, make_project

READERS_ACROSS_THE_CITY = ("evaluator", "executive", "administrator")


def text_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def as_persona(client: Client, personas: Personas, name: str) -> Client:
    user = personas.by_name()[name]
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def kpis(personas: Personas) -> dict[str, Kpi]:
    """A's KPI behind a published project, one behind an unpublished project, one with none;
    B's KPI that an unpublished project of A supports."""
    published = make_project(code="99990000-0001", published=True)
    draft = make_project(code="99990000-0002", published=False)
    a = personas.agency_a
    return {
        "published": make_kpi("9999-0001", agency=a, projects=(published,)),
        "unpublished": make_kpi("9999-0002", agency=a, projects=(draft,)),
        "orphan": make_kpi("9999-0003", agency=a),
        "b_supported_by_a": make_kpi("9998-0001", agency=personas.agency_b, projects=(draft,)),
    }


# Who sees which KPI: the KPIs whose page opens; every other KPI is a 404.
EVERYTHING = {"published", "unpublished", "orphan", "b_supported_by_a"}
VISIBILITY: dict[str, set[str]] = {
    "public": {"published"},
    "no_role": {"published"},
    "officer_a": EVERYTHING,
    "approver_a": EVERYTHING,
    "officer_b": {"published", "b_supported_by_a"},
    "approver_b": {"published", "b_supported_by_a"},
    **dict.fromkeys(READERS_ACROSS_THE_CITY, EVERYTHING),
}


@pytest.mark.parametrize("persona", sorted(VISIBILITY))
def test_each_persona_sees_exactly_the_kpis_they_may(
    client: Client, personas: Personas, kpis: dict[str, Kpi], persona: str
) -> None:
    as_persona(client, personas, persona)
    for name, kpi in kpis.items():
        status = client.get(f"/kpis/{kpi.code}/").status_code
        assert status == (200 if name in VISIBILITY[persona] else 404), (persona, name)
    listed = set(Kpi.objects.visible_to(personas.by_name()[persona]).values_list("code", flat=True))
    assert listed == {kpis[name].code for name in VISIBILITY[persona]}
    page = text_of(client, "/kpis/")
    for name, kpi in kpis.items():
        assert (kpi.code in page) == (name in VISIBILITY[persona]), (persona, name)


def test_a_kpi_that_supports_two_published_projects_is_listed_once(
    client: Client, personas: Personas
) -> None:
    one = make_project(code="99990000-0001")
    two = make_project(code="99990000-0002")
    make_kpi("9999-0001", agency=personas.agency_a, projects=(one, two))
    assert Kpi.objects.visible_to(None).count() == 1
    assert "1 ตัวชี้วัด" in text_of(client, "/kpis/")


def test_the_kpi_page_shows_every_fact_of_the_indicator(client: Client, personas: Personas) -> None:
    project = make_project(code="99990000-0001", name="โครงการปลูกต้นไม้")
    kpi = make_kpi(
        "9999-0001",
        agency=personas.agency_a,
        projects=(project,),
        text="จำนวนต้นไม้ที่ปลูกเพิ่ม",
        unit="ต้น",
        target=Decimal(1000),
        achieved=Decimal(400),
        definition="ต้นไม้ยืนต้นที่ปลูกในที่สาธารณะ",
        method="นับจำนวนต้นที่ปลูกในแต่ละไตรมาส",
        data_source="รายงานของสำนักงานเขต",
        mode="sum",
    )
    add_results(kpi, {1: ("100", "ปลูกริมคลอง"), 2: ("300", "ปลูกในสวนสาธารณะ")})
    add_scores(kpi, {(1, "2.1"): "80", (1, "2.2"): "60"})
    ProjectEvaluation.objects.create(
        project=project, quarter=kpi.fiscal_year.quarters.get(number=1), score=Decimal("75.5")
    )
    text = text_of(client, "/kpis/9999-0001/")
    for fact in (
        "จำนวนต้นไม้ที่ปลูกเพิ่ม",
        "9999-0001",
        "สำนักทดสอบเอ",
        "ต้นไม้ยืนต้นที่ปลูกในที่สาธารณะ",
        "นับจำนวนต้นที่ปลูกในแต่ละไตรมาส",
        "รายงานของสำนักงานเขต",
        "ปลูกริมคลอง",
        "ปลูกในสวนสาธารณะ",
        "1,000.00",
        "ค่ามากดีกว่า",
        "รายไตรมาส นำมารวมกัน",
        "75.5000",
        'href="/projects/99990000-0001/"',
        "โครงการปลูกต้นไม้",
        "คะแนน 2.1",
        "คะแนน 2.2",
    ):
        assert fact in text, fact
    # Sum of the quarters, 100 + 300, is what the source recorded: no warning.
    assert "400.00" in text
    assert "ร้อยละ 40.00 ของค่าเป้าหมาย" in text
    assert "ยังไม่ถึงค่าเป้าหมาย" in text
    assert "หน้าเดิมบันทึก" not in text
    # The details give the target as the page does elsewhere: the number, then its unit.
    assert "1,000.00 ต้น</dd>" in text and "1,000.0000" not in text
    # On a phone each quarter is a card whose cells name themselves (table.reflow).
    assert '<table class="list quarters reflow">' in text
    assert 'data-label="ผลงาน (ต้น)">100.00' in text and 'data-label="คะแนน 2.1">80' in text


def test_the_page_shows_the_recorded_achievement_when_it_differs_from_the_derived_one(
    client: Client, personas: Personas
) -> None:
    project = make_project()
    kpi = make_kpi("9999-0001", agency=personas.agency_a, projects=(project,), achieved=0)
    add_results(kpi, {1: ("20", ""), 2: ("45", "")})
    text = text_of(client, "/kpis/9999-0001/")
    assert "45.00" in text
    assert "หน้าเดิมบันทึกผลงานที่ทำได้ไว้ 0.0000" in text


def test_a_lower_is_better_kpi_meets_its_target_below_it(
    client: Client, personas: Personas
) -> None:
    kpi = make_kpi(
        "9999-0001",
        agency=personas.agency_a,
        projects=(make_project(),),
        target=Decimal(10),
        direction="lower",
        unit="วัน",
    )
    add_results(kpi, {1: ("8", "ลดเวลาอนุมัติ")})
    text = text_of(client, "/kpis/9999-0001/")
    assert "ค่าน้อยดีกว่า" in text
    assert "บรรลุค่าเป้าหมาย" in text
    assert "ร้อยละ 125.00 ของค่าเป้าหมาย" in text


def test_supporting_projects_the_visitor_may_not_see_are_left_out(
    client: Client, personas: Personas
) -> None:
    shown = make_project(code="99990000-0001", name="โครงการที่เผยแพร่")
    hidden = make_project(code="99990000-0002", name="โครงการร่าง", published=False)
    make_kpi("9999-0001", agency=personas.agency_a, projects=(shown, hidden))
    text = text_of(client, "/kpis/9999-0001/")
    assert "โครงการที่เผยแพร่" in text and "โครงการร่าง" not in text
    client.force_login(personas.officer_a)
    assert "โครงการร่าง" in text_of(client, "/kpis/9999-0001/")


def test_the_newest_fiscal_year_is_shown_and_another_is_chosen_by_fy(
    client: Client, personas: Personas
) -> None:
    old = make_project(code="99990000-0001", fiscal_year=FiscalYear.ensure(2562))
    new = make_project(code="99990000-0002")
    make_kpi("9999-0001", agency=personas.agency_a, fiscal_year=2562, projects=(old,), target=50)
    make_kpi("9999-0001", agency=personas.agency_a, fiscal_year=2563, projects=(new,), target=70)
    newest = text_of(client, "/kpis/9999-0001/")
    assert "ปีงบประมาณ 2563" in newest and "70.00" in newest
    assert 'href="/kpis/9999-0001/?fy=2562"' in newest
    older = text_of(client, "/kpis/9999-0001/?fy=2562")
    assert "ปีงบประมาณ 2562" in older and "50.00" in older
    assert 'href="/kpis/9999-0001/?fy=2563"' in older
    assert client.get("/kpis/9999-0001/?fy=2550").status_code == 404
    assert "ปีงบประมาณ 2563" in text_of(client, "/kpis/9999-0001/?fy=abc")


def test_the_newest_year_the_visitor_may_see_is_chosen_and_hidden_years_are_not_linked(
    client: Client, personas: Personas
) -> None:
    old = make_project(code="99990000-0001", fiscal_year=FiscalYear.ensure(2562))
    draft = make_project(code="99990000-0002", published=False)
    make_kpi("9999-0001", agency=personas.agency_a, fiscal_year=2562, projects=(old,))
    make_kpi("9999-0001", agency=personas.agency_a, fiscal_year=2563, projects=(draft,))
    text = text_of(client, "/kpis/9999-0001/")
    assert "ปีงบประมาณ 2562" in text
    assert "?fy=2563" not in text
    assert client.get("/kpis/9999-0001/?fy=2563").status_code == 404


def test_the_project_page_links_each_kpi_to_its_page(client: Client, personas: Personas) -> None:
    project = make_project()
    make_kpi("9999-0001", agency=personas.agency_a, projects=(project,))
    text = text_of(client, "/projects/99990000-0001/")
    assert 'href="/kpis/9999-0001/?fy=2563"' in text


def test_the_list_searches_code_and_text_and_filters_year_and_agency(
    client: Client, personas: Personas
) -> None:
    a = make_project(code="99990000-0001")
    b = make_project(code="99980000-0001")
    old = make_project(code="99990000-0002", fiscal_year=FiscalYear.ensure(2562))
    make_kpi("9999-0001", agency=personas.agency_a, projects=(a,), text="ร้อยละของถนนที่ซ่อม")
    make_kpi("9998-0001", agency=personas.agency_b, projects=(b,), text="จำนวนสวนสาธารณะ")
    make_kpi("9999-0002", agency=personas.agency_a, fiscal_year=2562, projects=(old,))

    def codes(query: str) -> set[str]:
        text = text_of(client, f"/kpis/?{query}")
        return {code for code in ("9999-0001", "9998-0001", "9999-0002") if code in text}

    assert codes("") == {"9999-0001", "9998-0001"}  # the newest year
    assert codes("fy=all") == {"9999-0001", "9998-0001", "9999-0002"}
    assert codes("q=ถนน") == {"9999-0001"}
    assert codes("q=9998") == {"9998-0001"}
    assert codes("fy=2562") == {"9999-0002"}
    assert codes("agency=99980000") == {"9998-0001"}
    assert codes("fy=2563&agency=99990000") == {"9999-0001"}
    assert codes("fy=oops") == {"9999-0001", "9998-0001"}
    assert "ไม่มีตัวชี้วัดที่ตรงกับเงื่อนไข" in text_of(client, "/kpis/?q=ไม่มีคำนี้")


def test_the_list_shows_the_achievement_derived_from_the_quarterly_results(
    client: Client, personas: Personas
) -> None:
    kpi = make_kpi("9999-0001", agency=personas.agency_a, projects=(make_project(),), mode="sum")
    add_results(kpi, {1: ("12.5", ""), 2: ("30", "")})
    add_results(kpi, {3: ("1000", "")}, status="draft")
    refresh_standings()  # the factory writes rows directly, not through actions
    # The list reads the stored standing: approved results only, whoever reads.
    assert "42.50" in text_of(client, "/kpis/")
    client.force_login(personas.officer_a)
    text = text_of(client, "/kpis/")
    assert "42.50" in text and "1,042.50" not in text


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def grow(agency_code: str, n: int) -> None:
    agency = make_agency(agency_code)
    for i in range(n):
        project = make_project(code=f"{agency_code}-{i:04d}", agency=agency)
        kpi = make_kpi(f"{agency_code[:4]}-{i:04d}", agency=agency, projects=(project,))
        add_results(kpi, {q: (str(q * 10), f"รายงาน {q}") for q in range(1, 5)})
        add_scores(kpi, {(q, c): "50" for q in range(1, 5) for c in ("2.1", "2.2")})


@pytest.mark.django_db
def test_the_list_query_count_does_not_grow_with_rows(client: Client) -> None:
    grow("11110000", 1)
    small = count_queries(client, "/kpis/")
    grow("22220000", 12)
    assert count_queries(client, "/kpis/") == small


@pytest.mark.parametrize("persona", ["public", "officer_a", "evaluator"])
def test_the_kpi_page_query_count_does_not_grow_with_projects_and_results(
    client: Client, personas: Personas, persona: str
) -> None:
    as_persona(client, personas, persona)
    small = make_kpi("9999-0001", agency=personas.agency_a, projects=(make_project(),))
    add_results(small, {1: ("1", "")})
    projects = tuple(make_project(code=f"99990000-{n:04d}") for n in range(2, 12))
    large = make_kpi("9999-0002", agency=personas.agency_a, projects=projects)
    add_results(large, {q: (str(q), "รายงาน") for q in range(1, 5)})
    add_scores(large, {(q, c): "50" for q in range(1, 5) for c in ("2.1", "2.2", "2.3")})
    for project in projects:
        for quarter in large.fiscal_year.quarters.all():
            ProjectEvaluation.objects.create(project=project, quarter=quarter, score=80)
    few = count_queries(client, "/kpis/9999-0001/")
    many = count_queries(client, "/kpis/9999-0002/")
    assert few == many
    assert many <= 12


def test_the_kpi_page_switches_to_english(client: Client, personas: Personas) -> None:
    kpi = make_kpi("9999-0001", agency=personas.agency_a, projects=(make_project(),))
    add_results(kpi, {1: ("20", "first quarter")})
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = text_of(client, "/kpis/9999-0001/")
    assert "higher is better" in text
    assert "cumulative from 1 October (achieved = latest quarter)" in text
    assert "25.00 percent of the target" in text
    assert "Projects supporting this indicator" in text
