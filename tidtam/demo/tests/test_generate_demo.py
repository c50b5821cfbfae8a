from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import import_module
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, Q, Sum
from django.test import Client

from tidtam.demo.generate import fiscal_years, generate_year, projects_per_year
from tidtam.demo.records import AgencyRef, Reference, SampleYear
from tidtam.indicators.models import Kpi, KpiResult, KpiScore, KpiSupport, ProjectEvaluation
from tidtam.orgs.models import Origin
from tidtam.projects.models import (
    BudgetInstalment,
    PlanLink,
    PlanStep,
    Project,
    ProjectContact,
    ProjectItem,
)
from tidtam.reporting.models import Problem, ProgressReport

TODAY = date(2026, 12, 2)  # fiscal year 2570, two months in
REFERENCE = Reference(
    agencies=(
        AgencyRef("10000000", "department"),
        AgencyRef("11000000", "department"),
        AgencyRef("50010000", "district_office"),
    ),
    plan_nodes=(("5.3.1", "การกระจายอำนาจ"), ("5.3.1.2", "เพิ่มอำนาจหน้าที่")),
    categories=("การจัดซื้อจัดจ้าง", "สภาพอากาศ", "อื่น ๆ"),
)


def year(seed: int = 1, fiscal_year: int = 2568, count: int = 200) -> SampleYear:
    return generate_year(REFERENCE, seed=seed, year=fiscal_year, count=count, today=TODAY)


# --- the generator, without a database ---------------------------------------------------


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data() -> None:
    assert year(seed=3) == year(seed=3)
    assert year(seed=3) != year(seed=4)


def test_a_fiscal_year_is_the_same_whichever_years_are_generated_with_it() -> None:
    assert fiscal_years(3, 2570) == [2568, 2569, 2570]
    assert projects_per_year(10, [2568, 2569, 2570]) == {2568: 3, 2569: 3, 2570: 4}
    assert year(fiscal_year=2569, count=50) == year(fiscal_year=2569, count=50)


def test_every_agency_has_projects_in_proportion_and_codes_are_unique() -> None:
    projects = year().projects
    by_agency = {a.code: sum(p.agency == a.code for p in projects) for a in REFERENCE.agencies}
    assert sum(by_agency.values()) == 200
    # The two big departments have far more projects than a district office.
    assert min(by_agency["10000000"], by_agency["11000000"]) > 3 * by_agency["50010000"] > 0
    codes = [p.code for p in projects]
    assert len(set(codes)) == len(codes)
    assert codes[0] == "10000000-25680001" and all(len(c) <= 30 for c in codes)


def test_step_weights_add_up_to_exactly_100_and_steps_are_dated_in_order() -> None:
    for project in year().projects:
        assert 5 <= len(project.steps) <= 15
        assert sum(s.weight for s in project.steps) == Decimal("100.00")
        assert all(s.weight > 0 and s.start <= s.end for s in project.steps)
        # Mostly inside the fiscal year (1 Oct 2567 – 30 Sep 2568), some running past it.
        assert project.steps[0].start >= date(2024, 10, 1)
        assert project.steps[-1].end <= date(2026, 1, 28)


def test_reports_are_cumulative_monthly_and_never_after_today() -> None:
    reports = 0
    for fiscal_year in (2568, 2570):
        for project in year(fiscal_year=fiscal_year).projects:
            months = [(r.report_date.year, r.report_date.month) for r in project.reports]
            assert len(months) == len(set(months)) and months == sorted(months)
            previous = Decimal(0)
            for report in project.reports:
                assert Decimal(0) <= report.percent <= Decimal(100)
                assert report.report_date <= TODAY
                assert (report.percent < previous) == bool(report.decrease_reason)
                previous = report.percent
            reports += len(project.reports)
    assert reports > 2000


def test_spending_is_cumulative_within_the_money_released_and_the_budget() -> None:
    for project in year().projects:
        released = sum((i.amount for i in project.instalments), Decimal(0))
        if project.budget is None:
            assert not project.instalments
            assert all(r.spent is None for r in project.reports)
            continue
        assert released <= project.budget
        spent = [r.spent for r in project.reports if r.spent is not None]
        assert len(spent) == len(project.reports)
        assert spent == sorted(spent) and all(Decimal(0) <= s <= released for s in spent)


def test_past_years_are_approved_and_the_current_year_has_work_in_review() -> None:
    past = {r.status for p in year().projects for r in p.reports}
    assert past == {"approved"}
    current = [r for p in year(fiscal_year=2570).projects for r in p.reports]
    statuses = {r.status for r in current}
    assert statuses == {"draft", "submitted", "returned", "approved"}
    for report in current:
        assert (report.submitted_at is None) == (report.status == "draft")
        assert (report.reviewed_at is None) == (report.status in ("draft", "submitted"))
        assert bool(report.review_comment) == (report.status == "returned")


def test_problems_are_resolved_in_a_later_report_of_their_project() -> None:
    problems = [(p, problem) for p in year().projects for problem in p.problems]
    assert problems
    for project, problem in problems:
        assert problem.category in REFERENCE.categories
        assert 0 <= problem.opened_in < len(project.reports)
        assert problem.resolved_in is None or problem.opened_in < problem.resolved_in


def test_kpis_are_the_agencys_own_and_results_only_of_quarters_that_ended() -> None:
    sample = year(fiscal_year=2570)
    assert all(not k.results and not k.scores for k in sample.kpis)  # no quarter has ended
    sample = year()
    for project in sample.projects:
        supported = [sample.kpis[i] for i in project.kpis]
        assert 1 <= len(supported) <= 5
        assert all(k.agency == project.agency for k in supported)
    assert {k.code for k in sample.kpis} >= {"1000-9000", "5001-9000"}
    for kpi in sample.kpis:
        assert {q for q, _, _ in kpi.scores} <= {r.quarter for r in kpi.results}
        assert all(0 <= score <= 100 for _, _, score in kpi.scores)


def test_scores_follow_the_rating_scale_when_there_is_one() -> None:
    levels = (Decimal(1), Decimal(2), Decimal(3), Decimal(4), Decimal(5))
    scale = Reference(REFERENCE.agencies, REFERENCE.plan_nodes, REFERENCE.categories, levels)
    sample = generate_year(scale, seed=1, year=2568, count=60, today=TODAY)
    scores = {s for k in sample.kpis for _, _, s in k.scores}
    scores |= {s for p in sample.projects for _, s in p.evaluations}
    assert scores and scores <= set(levels)


# --- the command, on the reference data --------------------------------------------------


@pytest.fixture
def reference(db: None) -> None:
    call_command("load_reference", stdout=StringIO())
    # The tests run without migrations: add the problem categories the data migration adds.
    import_module("tidtam.reporting.migrations.0003_default_problem_categories").add_defaults(
        apps, None
    )


def generate(*extra: str) -> str:
    out = StringIO()
    call_command(
        "generate_demo",
        "--projects=40",
        "--years=2",
        "--seed=7",
        f"--today={TODAY.isoformat()}",
        *extra,
        stdout=out,
    )
    return out.getvalue()


SAMPLE_TABLES: list[Any] = [
    Project, ProjectItem, PlanLink, ProjectContact, PlanStep, BudgetInstalment, ProgressReport,
    Problem, ProjectEvaluation, Kpi, KpiSupport, KpiResult, KpiScore,
]  # fmt: skip


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in SAMPLE_TABLES}


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every sample row, with its parents named by code rather than by id."""
    project, kpi = "project__code", ("kpi__fiscal_year", "kpi__code")
    rows: dict[Any, list[str]] = {
        Project: [f.attname for f in Project._meta.concrete_fields if f.name not in ("id",)],
        ProjectItem: [project, "kind", "order", "label", "text"],
        PlanLink: [project, "node__code", "order", "source_text"],
        ProjectContact: [project, "person__name", "person__phone", "order"],
        PlanStep: [project, "order", "text", "weight", "start", "end"],
        BudgetInstalment: [project, "released_on", "amount"],
        ProgressReport: [project, "report_date", "percent", "quantity", "spent", "narrative",
                         "decrease_reason", "status", "review_comment", "created_at",
                         "submitted_at", "reviewed_at", "origin"],
        Problem: [project, "opened_in__report_date", "resolved_in__report_date",
                  "category__name_th", "description", "status", "created_at"],
        ProjectEvaluation: [project, "quarter__number", "score"],
        Kpi: [f.attname for f in Kpi._meta.concrete_fields if f.name not in ("id",)],
        KpiSupport: [*kpi, project, "order"],
        KpiResult: [*kpi, "quarter__number", "result", "narrative", "status", "review_comment"],
        KpiScore: [*kpi, "quarter__number", "criterion__code", "score"],
    }  # fmt: skip
    return {
        model.__name__: sorted(model.objects.values_list(*fields), key=repr)
        for model, fields in rows.items()
    }


@pytest.mark.usefixtures("reference")
def test_generate_demo_writes_sample_projects_of_every_kind_of_record() -> None:
    out = generate()
    assert "fiscal year 2569: 20 projects" in out and "fiscal year 2570: 20 projects" in out
    made = counts()
    assert made["Project"] == 40 and all(made[name] > 0 for name in made)
    assert set(Project.objects.values_list("fiscal_year", flat=True)) == {2569, 2570}


@pytest.mark.usefixtures("reference")
def test_every_generated_record_is_marked_as_sample_data() -> None:
    generate()
    for model in (Project, ProgressReport, Kpi):
        assert set(model.objects.values_list("origin", flat=True)) == {Origin.SAMPLE}
    assert all(p.is_sample for p in Project.objects.all())


@pytest.mark.usefixtures("reference")
def test_running_again_skips_the_years_it_made_and_duplicates_nothing() -> None:
    generate()
    before = counts()
    out = generate()
    assert "fiscal year 2569: has 20 sample projects already, skipped" in out
    assert counts() == before


@pytest.mark.usefixtures("reference")
def test_replace_makes_the_same_rows_again_from_the_same_seed() -> None:
    generate()
    before = snapshot()
    generate("--replace")
    assert snapshot() == before


@pytest.mark.usefixtures("reference")
def test_replace_deletes_only_sample_data() -> None:
    generate()
    manual = Project.objects.create(
        code="10000000-0001",
        name="โครงการที่บันทึกเอง",
        agency=Project.objects.first().agency,  # type: ignore[union-attr]
        fiscal_year_id=2570,
        origin=Origin.MANUAL,
    )
    generate("--replace")
    assert Project.objects.filter(pk=manual.pk).exists()
    assert counts()["Project"] == 41


@pytest.mark.usefixtures("reference")
def test_stored_reports_spending_and_problems_keep_the_rules() -> None:
    generate()
    reports = ProgressReport.objects.all()
    assert not reports.filter(report_date__gt=TODAY).exists()
    assert not reports.filter(Q(percent__lt=0) | Q(percent__gt=100)).exists()
    per_month = reports.values("project", "report_date__year", "report_date__month")
    assert not per_month.annotate(n=Count("id")).filter(n__gt=1).exists()
    for project in Project.objects.filter(budget__isnull=False):
        released = project.instalments.aggregate(s=Sum("amount"))["s"] or 0
        assert released <= (project.budget or 0)
        assert not project.reports.filter(spent__gt=project.budget).exists()
    for problem in Problem.objects.filter(resolved_in__isnull=False):
        assert problem.resolved_in.report_date > problem.opened_in.report_date  # type: ignore[union-attr]
        assert problem.resolved_in.project_id == problem.project_id  # type: ignore[union-attr]
    steps = PlanStep.objects.values("project").annotate(total=Sum("weight"))
    assert {row["total"] for row in steps} == {Decimal("100.00")}


@pytest.mark.usefixtures("reference")
def test_a_sample_project_page_and_the_lists_show_the_generated_data(client: Client) -> None:
    generate()
    project = Project.objects.filter(published=True, fiscal_year=2569).first()
    assert project is not None
    assert client.get(f"/projects/{project.code}/").status_code == 200
    assert project.code.encode() in client.get("/projects/?fy=2569").content
    assert client.get("/kpis/").status_code == 200
