"""Problems and obstacles as records: raised in a report, carried forward until a report
resolves them, counted across projects, and as visible as the report that raised them."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tidtam.projects.models import Project
from tidtam.reporting import actions
from tidtam.reporting.models import Problem, ProblemCategory, ProblemStatus, ReportStatus
from tidtam.reporting.tests.conftest import MakeReport, form_data, values
from tidtam.test import Personas, make_project

pytestmark = pytest.mark.django_db

Categories = dict[str, ProblemCategory]


def test_the_data_migration_adds_the_default_categories(categories: Categories) -> None:
    assert list(ProblemCategory.objects.values_list("name_th", flat=True)) == [
        "เงินประจำงวดล่าช้า",
        "การจัดซื้อจัดจ้าง",
        "การขออนุมัติ",
        "โรคระบาด",
        "สภาพอากาศ",
        "อื่น ๆ",
    ]
    assert set(categories) == {
        "Budget instalment delay",
        "Procurement",
        "Approval",
        "Epidemic",
        "Weather",
        "Other",
    }


def test_problems_raised_on_the_form_are_carried_to_the_next_report_until_resolved(
    client: Client, project: Project, personas: Personas, categories: Categories
) -> None:
    client.force_login(personas.officer_a)
    delay = categories["Budget instalment delay"]
    client.post(
        f"/projects/{project.code}/reports/new/",
        form_data(
            **{
                "problem-TOTAL_FORMS": "2",
                "problem-0-category": str(delay.pk),
                "problem-0-description": "เงินงวดที่ 2 ยังไม่ได้รับ",
                "problem-1-category": str(categories["Weather"].pk),
                "problem-1-description": "ฝนตกหนัก หน้างานน้ำท่วม",
            }
        ),
    )
    january = project.reports.get()
    problems = {p.description: p for p in Problem.objects.all()}
    assert set(problems) == {"เงินงวดที่ 2 ยังไม่ได้รับ", "ฝนตกหนัก หน้างานน้ำท่วม"}
    first = problems["เงินงวดที่ 2 ยังไม่ได้รับ"]
    assert (first.category, first.opened_in, first.status) == (delay, january, "open")
    assert first.created_by == personas.officer_a

    form = html.unescape(client.get(f"/projects/{project.code}/reports/new/").content.decode())
    assert "เงินงวดที่ 2 ยังไม่ได้รับ" in form and 'name="resolved"' in form
    # On a phone each open problem is a card: its tick box, its category and month named.
    assert '<table class="list problems reflow">' in form
    assert 'data-label="หมวด">' in form and 'data-label="แจ้งในรายงาน">ม.ค. 2563' in form

    weather = problems["ฝนตกหนัก หน้างานน้ำท่วม"]
    client.post(
        f"/projects/{project.code}/reports/new/",
        form_data(report_date="2020-02-28", percent="50", resolved=[str(weather.pk)]),
    )
    february = project.reports.get(report_date=date(2020, 2, 28))
    weather.refresh_from_db()
    assert (weather.status, weather.resolved_in) == (ProblemStatus.RESOLVED, february)
    assert Problem.objects.filter(project=project).open().get() == first

    page = html.unescape(client.get(f"/reports/{february.pk}/").content.decode())
    assert "ค้างตั้งแต่ ม.ค. 2563" in page  # the instalment delay is carried
    assert "ฝนตกหนัก" in page  # and the weather is shown resolved here
    january_page = html.unescape(client.get(f"/reports/{january.pk}/").content.decode())
    assert january_page.count('class="badge problem-new"') == 2


def test_unticking_a_problem_this_report_resolved_opens_it_again(
    project: Project, personas: Personas, make_report: MakeReport, categories: Categories
) -> None:
    january = make_report(project)
    problem = actions.add_problem(
        report=january, category=categories["Approval"], description="รออนุมัติแบบ", by=None
    )
    february = actions.create_report(
        project=project,
        values=values(report_date=date(2020, 2, 28), percent=50),
        problems=actions.ProblemChanges(resolved=[problem.pk]),
        by=personas.officer_a,
    )
    problem.refresh_from_db()
    assert problem.resolved_in == february
    actions.update_report(
        report=february,
        expected_version=february.version,
        values=values(report_date=date(2020, 2, 28), percent=50),
        problems=actions.ProblemChanges(resolved=[]),
        by=personas.officer_a,
    )
    problem.refresh_from_db()
    assert (problem.status, problem.resolved_in) == (ProblemStatus.OPEN, None)


def test_deleting_a_draft_removes_its_problems_and_reopens_those_it_resolved(
    project: Project, personas: Personas, make_report: MakeReport, categories: Categories
) -> None:
    january = make_report(project, status=ReportStatus.APPROVED)
    old = actions.add_problem(
        report=january, category=categories["Procurement"], description="ประกวดราคาไม่ได้", by=None
    )
    draft = actions.create_report(
        project=project,
        values=values(report_date=date(2020, 2, 28), percent=50),
        problems=actions.ProblemChanges(
            new=[actions.NewProblem(categories["Epidemic"], "โควิด-19")], resolved=[old.pk]
        ),
        by=personas.officer_a,
    )
    actions.delete_report(report=draft, by=personas.officer_a)
    old.refresh_from_db()
    assert (old.status, old.resolved_in) == (ProblemStatus.OPEN, None)
    assert list(Problem.objects.values_list("description", flat=True)) == ["ประกวดราคาไม่ได้"]
    assert Problem.history.filter(description="โควิด-19", history_type="-").exists()


def test_a_problem_that_is_no_longer_open_cannot_be_resolved_again(
    project: Project, personas: Personas, make_report: MakeReport, categories: Categories
) -> None:
    january = make_report(project)
    problem = actions.add_problem(
        report=january, category=categories["Other"], description="ก", by=None
    )
    february = make_report(project, report_date=date(2020, 2, 28))
    actions.resolve_problem(problem=problem, report=february, by=None)
    with pytest.raises(ValidationError):
        actions.create_report(
            project=project,
            values=values(report_date=date(2020, 3, 31)),
            problems=actions.ProblemChanges(resolved=[problem.pk]),
            by=personas.officer_a,
        )


def test_inactive_categories_are_not_offered(
    client: Client, project: Project, personas: Personas, categories: Categories
) -> None:
    ProblemCategory.objects.filter(name_en="Epidemic").update(active=False)
    client.force_login(personas.officer_a)
    form = client.get(f"/projects/{project.code}/reports/new/").content.decode()
    assert "สภาพอากาศ" in form and "โรคระบาด" not in form


def _problem(project: Project, report: Any, category: ProblemCategory, text: str) -> Problem:
    return actions.add_problem(report=report, category=category, description=text, by=None)


@pytest.fixture
def spread(personas: Personas, make_report: MakeReport, categories: Categories) -> None:
    """Open problems in A's published project (approved and draft reports), in A's
    unpublished project and in B's project; one resolved problem."""
    a = make_project(code=f"{personas.agency_a.code}-0001")
    a_hidden = make_project(code=f"{personas.agency_a.code}-0002", published=False)
    b = make_project(code=f"{personas.agency_b.code}-0001")
    a_jan = make_report(a, status=ReportStatus.APPROVED)
    a_feb = make_report(a, report_date=date(2020, 2, 28))
    hidden_jan = make_report(a_hidden, status=ReportStatus.APPROVED)
    b_jan = make_report(b, status=ReportStatus.APPROVED)
    delay, weather = categories["Budget instalment delay"], categories["Weather"]
    _problem(a, a_jan, delay, "ก1")
    _problem(a, a_jan, weather, "ก2")
    _problem(a, a_feb, delay, "ก3 ร่าง")
    _problem(a_hidden, hidden_jan, delay, "ซ่อน")
    _problem(b, b_jan, delay, "ข1")
    done = _problem(b, b_jan, weather, "ข2")
    actions.resolve_problem(problem=done, report=b_jan, by=None)


@pytest.mark.usefixtures("spread")
def test_open_problems_count_by_category_and_agency(personas: Personas) -> None:
    everything = Problem.objects.open()
    assert [(c.name_en, n) for c, n in everything.count_by_category()] == [
        ("Budget instalment delay", 4),
        ("Weather", 1),
    ]
    assert everything.count_by_agency() == [
        (personas.agency_a.code, personas.agency_a.name_th, 4),
        (personas.agency_b.code, personas.agency_b.name_th, 1),
    ]
    public = Problem.objects.open().visible_to(None)
    assert sorted(public.values_list("description", flat=True)) == ["ก1", "ก2", "ข1"]
    officer_b = Problem.objects.open().visible_to(personas.officer_b)
    assert sorted(officer_b.values_list("description", flat=True)) == ["ก1", "ก2", "ข1"]
    officer_a = Problem.objects.open().visible_to(personas.officer_a)
    assert sorted(officer_a.values_list("description", flat=True)) == [
        "ก1",
        "ก2",
        "ก3 ร่าง",
        "ข1",
        "ซ่อน",
    ]


@pytest.mark.usefixtures("spread")
@pytest.mark.parametrize(
    ("who", "total"),
    [("public", 3), ("officer_b", 3), ("officer_a", 5), ("evaluator", 5)],
)
def test_the_problems_page_counts_what_the_reader_may_see(
    client: Client, personas: Personas, who: str, total: int
) -> None:
    user = personas.by_name()[who]
    if user is not None:
        client.force_login(user)
    response = client.get("/problems/?fy=2563")
    assert response.status_code == 200
    view = response.context["view"]
    assert view.total == total
    text = html.unescape(response.content.decode())
    assert "เงินประจำงวดล่าช้า" in text and "สภาพอากาศ" in text


@pytest.mark.usefixtures("spread")
def test_the_problems_page_lists_one_category_with_links_to_the_reports(
    client: Client, categories: Categories
) -> None:
    delay = categories["Budget instalment delay"]
    text = html.unescape(client.get(f"/problems/?fy=&category={delay.pk}").content.decode())
    assert "ก1" in text and "ข1" in text
    assert "ซ่อน" not in text and "ก3 ร่าง" not in text and "ก2" not in text


def test_the_problems_page_costs_the_same_for_many_problems(
    client: Client,
    personas: Personas,
    make_report: MakeReport,
    categories: Categories,
    django_assert_max_num_queries: Any,
) -> None:
    made = 0

    def grow(n: int) -> None:
        nonlocal made
        for i in range(made, made + n):
            project = make_project(code=f"{personas.agency_a.code}-{i + 100:04d}")
            report = make_report(project, status=ReportStatus.APPROVED)
            for category in categories.values():
                _problem(project, report, category, f"ปัญหา {i}")
        made += n

    grow(1)
    delay = categories["Budget instalment delay"]
    client.force_login(personas.evaluator)
    with django_assert_max_num_queries(12) as few:
        client.get(f"/problems/?fy=2563&category={delay.pk}")
    grow(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/problems/?fy=2563&category={delay.pk}")
    assert response.context["view"].total == 7 * len(categories)


def test_a_problem_raised_by_mistake_is_removed_while_its_report_is_editable(
    client: Client, project: Project, personas: Personas, categories: Categories
) -> None:
    report = actions.create_report(
        project=project,
        values=values(),
        problems=actions.ProblemChanges(new=[actions.NewProblem(categories["Other"], "พิมพ์ผิด")]),
        by=personas.officer_a,
    )
    problem = Problem.objects.get()
    client.force_login(personas.officer_a)
    form = html.unescape(client.get(f"/reports/{report.pk}/edit/").content.decode())
    # A problem is not carried into the report that raised it: it can be removed there.
    assert 'name="removed"' in form and 'name="resolved"' not in form
    asked = client.post(
        f"/reports/{report.pk}/edit/",
        form_data(version=str(report.version), removed=[str(problem.pk)]),
    )
    # Removing is a deletion: the first save asks, and saves nothing.
    page = html.unescape(asked.content.decode())
    assert asked.status_code == 200 and "พิมพ์ผิด</li>" in page
    assert 'name="confirm_removal" value="1"' in page
    assert Problem.objects.exists()
    client.post(
        f"/reports/{report.pk}/edit/",
        form_data(version=str(report.version), removed=[str(problem.pk)], confirm_removal="1"),
    )
    assert not Problem.objects.exists()
    assert Problem.history.filter(id=problem.pk, history_type="-").exists()


def test_only_problems_this_report_raised_can_be_removed(
    project: Project, personas: Personas, make_report: MakeReport, categories: Categories
) -> None:
    january = make_report(project)
    problem = _problem(project, january, categories["Other"], "ก")
    february = make_report(project, report_date=date(2020, 2, 28))
    with pytest.raises(ValidationError):
        actions.update_report(
            report=february,
            expected_version=february.version,
            values=values(report_date=date(2020, 2, 28)),
            problems=actions.ProblemChanges(removed=[problem.pk]),
            by=personas.officer_a,
        )
    assert Problem.objects.filter(pk=problem.pk).exists()


def test_an_earlier_report_does_not_carry_problems_raised_after_it(
    client: Client,
    project: Project,
    personas: Personas,
    make_report: MakeReport,
    categories: Categories,
) -> None:
    january = make_report(project)
    february = make_report(project, report_date=date(2020, 2, 28))
    _problem(project, february, categories["Weather"], "น้ำท่วมเดือนกุมภาพันธ์")
    client.force_login(personas.officer_a)
    form = html.unescape(client.get(f"/reports/{january.pk}/edit/").content.decode())
    assert "น้ำท่วมเดือนกุมภาพันธ์" not in form
