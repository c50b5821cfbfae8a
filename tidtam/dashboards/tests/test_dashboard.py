"""The dashboard against a hand-computed city: six projects of fiscal year 2563 in one department
and three district offices, with standings written as the figures below say."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tidtam.accounts.models import Role
from tidtam.dashboards.portfolio import Dashboard, Row
from tidtam.orgs.models import AgencyKind, DistrictGroup, Origin
from tidtam.projects import actions as project_actions
from tidtam.projects.models import FiscalYear, Project
from tidtam.reporting.models import Problem, ProblemCategory, ProblemStatus, ProgressReport
from tidtam.standing.models import ProjectStanding
from tidtam.strategy.models import Plan, PlanLevel, PlanNode
from tidtam.test import link_to_plan, make_agency, make_member, make_project

TODAY = date(2020, 3, 15)  # fiscal year 2563, quarter 2
D = Decimal


def stand(project: Project, status: str, reported: str | None, **values: Any) -> None:
    ProjectStanding.objects.create(
        project=project,
        as_of=TODAY,
        fiscal_year=project.fiscal_year_id,
        status=status,
        planned_today=D(50),
        reported_percent=D(reported) if reported is not None else None,
        **values,
    )


def node(plan: Plan, depth: int, code: str, parent: PlanNode | None = None) -> PlanNode:
    level = PlanLevel.objects.get_or_create(
        plan=plan, depth=depth, defaults={"key": f"l{depth}", "name_th": f"ระดับ{depth}"}
    )[0]
    return PlanNode.objects.create(
        plan=plan,
        level=level,
        parent=parent,
        code=code,
        sort_key=PlanNode.sort_key_for(code),
        name_th=f"ยุทธศาสตร์ {code}",
        origin=Origin.MANUAL,
    )


def raise_problems(
    project: Project, category: ProblemCategory, count: int, *, resolved: bool = False
) -> None:
    reports = [
        ProgressReport.objects.create(
            project=project,
            report_date=date(2020, month, 28),
            percent=D(10),
            status="approved",
            origin=Origin.MANUAL,
        )
        for month in (1, 2)
    ]
    for n in range(count):
        Problem.objects.create(
            project=project,
            category=category,
            description=f"ปัญหา {n}",
            opened_in=reports[0],
            status=ProblemStatus.RESOLVED if resolved else ProblemStatus.OPEN,
            resolved_in=reports[1] if resolved else None,
        )


@pytest.fixture
def city(db: None) -> dict[str, Project]:
    year = FiscalYear.ensure(2563)
    central = DistrictGroup.objects.create(name_th="กลุ่มเขตกรุงเทพกลาง")
    south = DistrictGroup.objects.create(name_th="กลุ่มเขตกรุงเทพใต้")
    water = make_agency("11000000", name_th="สำนักการระบายน้ำ")
    district = AgencyKind.DISTRICT_OFFICE
    d1 = make_agency("50100000", name_th="สำนักงานเขตพระนคร", kind=district, district_group=central)
    d2 = make_agency("50200000", name_th="สำนักงานเขตดุสิต", kind=district, district_group=central)
    d3 = make_agency("50300000", name_th="สำนักงานเขตบางรัก", kind=district, district_group=south)

    def project(code: str, agency: Any, **extra: Any) -> Project:
        return make_project(code=code, agency=agency, **{"fiscal_year": year, **extra})

    p = {
        "P1": project("11000000-0001", water),
        "P2": project("11000000-0002", water),
        "P3": project("11000000-0003", water, published=False),
        "P4": project("50100000-0001", d1),
        "P5": project("50200000-0001", d2),
        "P6": project("50300000-0001", d3, origin=Origin.SAMPLE),
        "old": project("11000000-0009", water, fiscal_year=FiscalYear.ensure(2562)),
    }
    late, later = date(2020, 12, 1), date(2020, 10, 15)
    stand(p["P1"], "on_track", "40", budget_allocated=D(1000), budget_released=D(400),
          budget_spent=D(100), kpi_achievement=D(80), open_problems=2)  # fmt: skip
    stand(p["P2"], "behind", "20", budget_allocated=D(2000), missing_report=True,
          forecast_finish=late, open_problems=1)  # fmt: skip
    stand(p["P3"], "critical", None, missing_report=True)
    stand(p["P4"], "completed", "100", budget_allocated=D(500), budget_released=D(500),
          budget_spent=D(500), kpi_achievement=D(100))  # fmt: skip
    stand(p["P5"], "not_reported", "10", budget_allocated=D(300), missing_report=True,
          forecast_finish=later, open_problems=1)  # fmt: skip
    stand(p["P6"], "on_track", "50")
    stand(p["old"], "behind", "5")

    plan = Plan.objects.create(code="bma20", name_th="แผนพัฒนากรุงเทพมหานคร 20 ปี")
    one = node(plan, 1, "1")
    one_one = node(plan, 2, "1.1", one)
    goal = node(plan, 3, "1.1.1", one_one)
    two = node(plan, 1, "2")
    node(plan, 1, "3")  # no project: not shown
    for key, target in (("P1", goal), ("P2", one_one), ("P4", goal), ("P5", two), ("P1", two)):
        link_to_plan(p[key], target)

    drains = ProblemCategory.objects.create(name_th="งบประมาณ", order=1)
    weather = ProblemCategory.objects.create(name_th="สภาพอากาศ", order=2)
    raise_problems(p["P1"], drains, 2)
    raise_problems(p["P2"], drains, 1)
    raise_problems(p["P4"], weather, 1, resolved=True)
    raise_problems(p["P5"], weather, 1)
    return p


def board(client: Client, query: str = "?fy=2563") -> Dashboard:
    response = client.get("/" + query)
    assert response.status_code == 200
    view: Dashboard = response.context["view"]
    return view


def figures(row: Row) -> tuple[Any, ...]:
    return (
        row.projects.value,
        row.progress.value,
        row.behind.value,
        row.missing.value,
        row.kpi_achievement.value,
        row.allocated.value,
        row.released.value,
        row.spent.value,
    )


@pytest.fixture
def executive(client: Client, city: dict[str, Project]) -> Client:
    client.force_login(make_member("exec", Role.EXECUTIVE))
    return client


def test_the_dashboard_counts_projects_by_status(executive: Client) -> None:
    b = board(executive)
    assert b.total.value == 6
    counts = {s.status: s.count.value for s in b.statuses}
    assert counts == {
        "on_track": 2,
        "behind": 1,
        "critical": 1,
        "completed": 1,
        "not_reported": 1,
    }
    assert sum(s.percent for s in b.statuses) == pytest.approx(100, abs=0.05)
    assert b.sample.value == 1


def test_the_dashboard_tables_agencies_groups_and_districts(executive: Client) -> None:
    b = board(executive)
    [water] = b.agencies
    # (40 + 20 + 0) / 3: a project with no approved report counts 0.
    assert figures(water) == (3, D("20.00"), 2, 2, D("80.00"), D(3000), D(400), D(100))
    assert [r.label for r in b.districts] == [
        "สำนักงานเขตพระนคร",
        "สำนักงานเขตดุสิต",
        "สำนักงานเขตบางรัก",
    ]
    central, south = b.groups
    assert central.label == "กลุ่มเขตกรุงเทพกลาง"
    assert figures(central) == (2, D("55.00"), 0, 1, D("100.00"), D(800), D(500), D(500))
    assert figures(south)[:4] == (1, D("50.00"), 0, 0)
    assert b.agency_total is not None
    assert b.agency_total.projects.value == 6
    assert b.agency_total.allocated.value == D(3800)


def test_the_dashboard_rolls_up_the_plan_tree(executive: Client) -> None:
    rows = {
        r.code: (r.depth, r.projects.value, r.progress.value) for r in board(executive).plan_rows
    }
    assert rows == {
        "1": (0, 3, D("53.33")),  # P1, P2, P4: (40 + 20 + 100) / 3
        "1.1": (1, 3, D("53.33")),
        "1.1.1": (2, 2, D("70.00")),  # P1, P4
        "2": (0, 2, D("25.00")),  # P5, P1
    }


def test_the_dashboard_lists_open_problems_and_late_finishes(executive: Client) -> None:
    b = board(executive)
    assert [(r.category, r.problems, r.projects.value) for r in b.problems] == [
        ("งบประมาณ", 3, 2),
        ("สภาพอากาศ", 1, 1),  # P4's problem is resolved
    ]
    assert (b.late_count.value, b.late_budget.value) == (2, D(2300))
    assert [row.project.code for row in b.late_projects] == ["11000000-0002", "50200000-0001"]


def test_the_public_dashboard_counts_published_projects_only(
    client: Client, city: dict[str, Project]
) -> None:
    b = board(client)
    assert b.total.value == 5
    [water] = b.agencies
    assert figures(water)[:4] == (2, D("30.00"), 1, 1)


def test_a_project_moved_to_another_year_moves_on_the_dashboards(
    executive: Client, city: dict[str, Project]
) -> None:
    # A year's sums read that year's standings: a standing follows its project's year.
    moved = city["P2"]
    project_actions.update_project(
        project=moved,
        expected_version=moved.version,
        data=project_actions.ProjectInput(name=moved.name, fiscal_year=2562),
        by=make_member("water", Role.OFFICER, moved.agency),
    )
    assert ProjectStanding.objects.get(project=moved).fiscal_year == 2562
    assert board(executive, "?fy=2563").total.value == 5
    past = board(executive, "?fy=2562")
    assert past.total.value == 2
    assert [(row.label, row.projects.value) for row in past.agencies] == [("สำนักการระบายน้ำ", 2)]


def test_the_dashboard_defaults_to_the_current_year_or_the_latest(
    executive: Client, city: dict[str, Project]
) -> None:
    # Today (2026) has no projects: the latest year that has some.
    assert board(executive, "").fiscal_year == 2563
    assert board(executive, "?fy=2562").total.value == 1
    assert board(executive, "?fy=2562").quarter == 4


def test_every_count_on_the_dashboard_links_to_a_list_of_that_many_projects(
    executive: Client,
) -> None:
    page = html.unescape(executive.get("/?fy=2563").content.decode())
    links = re.findall(r'<a class="n" href="([^"]+)">([\d,]+)</a>', page)
    assert len(links) > 20
    for url, number in links:
        response = executive.get(url)
        assert response.status_code == 200, url
        assert response.context["view"].total == int(number.replace(",", "")), url


def test_the_dashboard_in_english(executive: Client) -> None:
    executive.cookies["django_language"] = "en"
    text = executive.get("/?fy=2563").content.decode()
    assert "Projects by status" in text and "District offices" in text


def test_the_dashboard_query_count_does_not_grow_with_the_projects(
    executive: Client, city: dict[str, Project]
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert executive.get("/?fy=2563").status_code == 200
        return len(queries)

    few = count()
    year = FiscalYear.objects.get(pk=2563)
    for n in range(20):
        agency = make_agency(f"{70 + n}000000", name_th=f"สำนักทดสอบ {n}")
        extra = make_project(code=f"{70 + n}000000-0001", agency=agency, fiscal_year=year)
        stand(extra, "behind", "30", budget_allocated=D(10))
    assert count() == few


def codes(client: Client, query: str) -> list[str]:
    response = client.get("/projects/" + query)
    assert response.status_code == 200
    return [p.code for p in response.context["view"].page.object_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?fy=2563&agency=11000000", ["11000000-0001", "11000000-0002", "11000000-0003"]),
        ("?fy=2563&group={central}", ["50100000-0001", "50200000-0001"]),
        ("?fy=2563&district=50300000", ["50300000-0001"]),
        ("?fy=2563&district=11000000", []),  # a department is not a district office
        ("?fy=2563&status=behind&status=critical", ["11000000-0002", "11000000-0003"]),
        ("?fy=2563&node={one_one}", ["11000000-0001", "11000000-0002", "50100000-0001"]),
        ("?fy=2563&problems=1", ["11000000-0001", "11000000-0002", "50200000-0001"]),
        ("?fy=2563&problem_category={weather}", ["50200000-0001"]),
        ("?fy=2563&missing=1", ["11000000-0002", "11000000-0003", "50200000-0001"]),
        ("?fy=2563&sample=1", ["50300000-0001"]),
        ("?fy=2563&late_finish=1", ["11000000-0002", "50200000-0001"]),
        ("?fy=2563&kpis=1", ["11000000-0001", "50100000-0001"]),
        (
            "?fy=2563&sort=-progress",
            [
                "50100000-0001",
                "50300000-0001",
                "11000000-0001",
                "11000000-0002",
                "50200000-0001",
                "11000000-0003",  # no report: last either way
            ],
        ),
        (
            "?fy=2563&sort=budget&agency=11000000",
            [
                "11000000-0001",
                "11000000-0002",
                "11000000-0003",
            ],
        ),
        ("?fy=all&agency=11000000&status=behind", ["11000000-0002", "11000000-0009"]),
    ],
)
def test_the_project_list_filters_and_sorts(
    executive: Client, city: dict[str, Project], query: str, expected: list[str]
) -> None:
    keys = {
        "central": DistrictGroup.objects.get(name_th="กลุ่มเขตกรุงเทพกลาง").pk,
        "one_one": PlanNode.objects.get(code="1.1").pk,
        "weather": ProblemCategory.objects.get(name_th="สภาพอากาศ").pk,
    }
    assert codes(executive, query.format(**keys)) == expected


@pytest.mark.parametrize("sort", ["progress", "-progress", "budget", "-budget", "variance"])
def test_pages_sorted_by_a_figure_follow_the_one_order_across_the_projects_without_it(
    executive: Client, city: dict[str, Project], sort: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two more projects of every year: one standing without a budget or progress, one not
    # standing at all (not refreshed yet). Pages of two cross from the projects with the
    # figure to those without it, and must follow the list's order (NULLS LAST, then the key).
    extra = make_project(code="11000000-0010", agency=city["P1"].agency)
    stand(extra, "on_track", None)
    make_project(code="11000000-0011", agency=city["P1"].agency)
    monkeypatch.setattr("tidtam.dashboards.views.PAGE_SIZE", 2)
    query = f"?fy=all&sort={sort}"
    paged: list[str] = []
    for number in range(1, 8):
        paged += codes(executive, f"{query}&page={number}")
        if executive.get(f"/projects/{query}&page={number}").context["view"].page.has_next():
            continue
        break
    from tidtam.dashboards.filters import ProjectFilters
    from tidtam.projects.access import projects_for_user

    user = executive.get("/projects/").wsgi_request.user
    filters = ProjectFilters.from_query(QueryDict(query[1:]), None)
    ordered = [p.code for p in filters.apply(projects_for_user(user).for_list())]
    assert paged == ordered
    assert len(paged) == Project.objects.count()


@pytest.mark.parametrize(
    "query", ["fy=2563&node={one_one}", "fy=2563&sort=-progress", "fy=2563&problems=0&sort=name"]
)
def test_pages_read_with_their_count_list_every_row_once_in_order(
    executive: Client, city: dict[str, Project], query: str
) -> None:
    from django.core.paginator import Paginator

    from tidtam.dashboards.filters import OnePass, ProjectFilters
    from tidtam.projects.access import projects_for_user

    user = executive.get("/projects/").wsgi_request.user
    one_one = PlanNode.objects.get(code="1.1").pk
    filters = ProjectFilters.from_query(QueryDict(query.format(one_one=one_one)), None)
    rows = filters.apply(projects_for_user(user).for_list())
    ordered = [p.pk for p in rows]
    assert len(ordered) >= 3
    # Every page number, those past either end and those that are not numbers: the same
    # page, count and keys as a paginator that counts the rows apart.
    pages = -(-len(ordered) // 2)
    for number in [*range(-1, 6), "x", None, "9" * 30]:
        with CaptureQueriesContext(connection) as queries:
            paged = Paginator(OnePass(rows, 2, number), 2).get_page(number)
            listed = list(paged.object_list)
        # A page that exists: its keys and their count in one query.
        in_range = number is None or number == "x" or 1 <= int(number) <= pages
        assert len(queries.captured_queries) == 1 or not in_range
        counted = Paginator(rows.values_list("pk", flat=True), 2).get_page(number)
        assert paged.number == counted.number
        assert paged.paginator.count == counted.paginator.count == len(ordered)
        assert listed == list(counted.object_list)
        assert listed == ordered[(paged.number - 1) * 2 :][:2]


def test_a_narrowed_years_page_reads_its_count_with_its_keys_on_postgresql(
    executive: Client, city: dict[str, Project]
) -> None:
    one_one = PlanNode.objects.get(code="1.1").pk
    executive.get(f"/projects/?fy=2563&node={one_one}")
    with CaptureQueriesContext(connection) as queries:
        listed = codes(executive, f"?fy=2563&node={one_one}")
    assert listed == ["11000000-0001", "11000000-0002", "50100000-0001"]
    counts = [q["sql"] for q in queries.captured_queries if '"__count"' in q["sql"]]
    windows = [q["sql"] for q in queries.captured_queries if " OVER ()" in q["sql"]]
    if connection.vendor == "postgresql":
        assert (len(counts), len(windows)) == (0, 1)
    else:  # the page's keys are read walking the list's index, stopping at its end
        assert (len(counts), len(windows)) == (1, 0)


def test_kpi_type_filter_finds_projects_supporting_such_a_kpi(
    executive: Client, city: dict[str, Project]
) -> None:
    from tidtam.indicators.models import Kpi, KpiSupport

    p1 = city["P1"]
    kpi = Kpi.objects.create(
        code="K1",
        text="ร้อยละของคลองที่ขุดลอก",
        origin=Origin.MANUAL,
        agency=p1.agency,
        fiscal_year=p1.fiscal_year,
        kpi_type="routine",
        target=D(80),
    )
    KpiSupport.objects.create(kpi=kpi, project=p1)
    assert codes(executive, "?fy=2563&kpi_type=routine") == ["11000000-0001"]
    assert codes(executive, "?fy=2563&kpi_type=strategic") == []


def test_a_filter_state_is_a_shareable_url_and_pages_keep_it(
    executive: Client, city: dict[str, Project]
) -> None:
    response = executive.get("/projects/?fy=2563&status=on_track&status=behind&sort=-name")
    filters = response.context["view"].filters
    assert filters.statuses == ("behind", "on_track")
    again = executive.get(filters.url())
    assert again.context["view"].filters == filters
    page = html.unescape(
        executive.get("/projects/?fy=2563&status=on_track&status=behind").content.decode()
    )
    # The sort links keep every status asked for.
    assert "status=behind&status=on_track" in page


def test_a_dashboard_table_exports_as_csv_and_xlsx_with_the_page_figures(
    executive: Client,
) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    response = executive.get("/dashboard/groups.csv?fy=2563")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["กลุ่มเขต", "โครงการ", "ความก้าวหน้าเฉลี่ย (%)"]
    assert rows[1][:5] == ["กลุ่มเขตกรุงเทพกลาง", "2", "55.00", "0", "1"]
    response = executive.get("/dashboard/late.xlsx?fy=2563")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[0] for row in values[1:]] == ["11000000-0002", "50200000-0001"]
    assert executive.get("/dashboard/nosuch.csv?fy=2563").status_code == 404
