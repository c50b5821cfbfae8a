"""Random histories, made through the actions as people make them: reports and KPI results in
every review state, scores, evaluations, re-baselines and budget instalments.

After any such history the stored standing equals a fresh computation from the official
facts and is unchanged by `refresh_standings`; every reader's project page, KPI page and flags
page agree with it; and no public page shows a fact that is not approved.
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar
from unittest import mock

from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tidtam.indicators import actions as kpi_actions
from tidtam.indicators.achievement import achieved_value
from tidtam.indicators.models import EvaluationCriterion, KpiResult, RatingLevel
from tidtam.indicators.tests.factories import make_kpi
from tidtam.projects import actions as project_actions
from tidtam.projects.models import FiscalYear, Project, Quarter
from tidtam.reporting import actions as report_actions
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.standing.models import KpiStanding, ProjectStanding
from tidtam.standing.refresh import refresh_projects, refresh_standings
from tidtam.standing.tests.helpers import fresh, stored
from tidtam.test import Personas, add_steps, make_personas, make_project

TODAY = date(2020, 3, 15)
FY_START = date(2019, 10, 1)
LEVELS = (0, 50, 80, 100)
STATES = ("draft", "submitted", "approved", "returned")
READERS = ("public", "officer_a", "officer_b", "approver_a", "evaluator", "executive")

steps_strategy = st.lists(
    st.tuples(
        st.integers(1, 10),  # relative weight
        st.integers(0, 300),  # start, days after 1 October
        st.integers(0, 200),  # length in days
    ),
    min_size=1,
    max_size=4,
)
operation = st.one_of(
    st.tuples(st.just("report"), st.integers(0, 5), st.integers(0, 100), st.sampled_from(STATES)),
    st.tuples(st.just("result"), st.integers(1, 2), st.integers(0, 400), st.sampled_from(STATES)),
    st.tuples(st.just("score_kpi"), st.integers(1, 2), st.sampled_from(LEVELS)),
    st.tuples(st.just("score_project"), st.integers(1, 2), st.sampled_from(LEVELS)),
    st.tuples(st.just("replan"), st.integers(-40, 60)),
    st.tuples(st.just("instalment"), st.integers(1, 40_000)),
)


def windows(spec: list[tuple[int, int, int]]) -> list[tuple[str, str, str]]:
    """Weights summing to exactly 100, the last step taking the rounding."""
    total = sum(w for w, _, _ in spec)
    weights = [Decimal(w * 100 // total) for w, _, _ in spec]
    weights[-1] += Decimal(100) - sum(weights)
    return [
        (
            str(weight),
            (FY_START + timedelta(days=start)).isoformat(),
            (FY_START + timedelta(days=start + length)).isoformat(),
        )
        for weight, (_, start, length) in zip(weights, spec, strict=True)
    ]


class StandingProperties(TestCase):
    people: ClassVar[Personas]
    _today: ClassVar[Any]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls._today = mock.patch("django.utils.timezone.localdate", return_value=TODAY)
        cls._today.start()

    @classmethod
    def tearDownClass(cls) -> None:
        cls._today.stop()
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls) -> None:
        cls.people = make_personas()
        for value in LEVELS:
            RatingLevel.objects.create(value=Decimal(value), label_th=f"ระดับ {value}")
        for code in ("2.1", "2.2"):
            EvaluationCriterion.objects.create(code=code, order=int(code.replace(".", "")))
        FiscalYear.ensure(2563)

    def reader(self, name: str) -> Client:
        client = Client()
        user = self.people.by_name()[name]
        if user is not None:
            client.force_login(user)
        return client

    def apply(self, project: Project, kpi: Any, op: tuple[Any, ...]) -> None:
        people = self.people
        quarters = {q.number: q for q in Quarter.objects.filter(fiscal_year_id=2563)}
        kind = op[0]
        if kind == "report":
            _, month, percent, state = op
            day = date(2019 + (9 + month) // 12, (9 + month) % 12 + 1, 10)
            values = report_actions.ReportValues(
                report_date=day,
                percent=Decimal(percent),
                narrative="ดำเนินการ",
                decrease_reason="ทบทวนตัวเลข",
            )
            existing = ProgressReport.objects.filter(project=project, report_date=day).first()
            if existing is None:
                row = report_actions.create_report(
                    project=project, values=values, by=people.officer_a
                )
            else:
                row = report_actions.update_report(
                    report=existing,
                    expected_version=existing.version,
                    values=values,
                    by=people.officer_a,
                )
            self.review(row, state)
        elif kind == "result":
            _, number, value, state = op
            result = kpi_actions.enter_kpi_result(
                kpi=kpi,
                quarter=quarters[number],
                result=Decimal(value),
                narrative="ผลการดำเนินงาน",
                by=people.officer_a,
            )
            if state != "draft":
                result = kpi_actions.submit_kpi_result(row=result, by=people.officer_a)
            if state == "approved":
                kpi_actions.approve_kpi_result(row=result, by=people.approver_a)
            elif state == "returned":
                kpi_actions.return_kpi_result(row=result, by=people.approver_a, comment="แก้ไข")
        elif kind == "score_kpi":
            _, number, level = op
            criteria = {c: Decimal(level) for c in EvaluationCriterion.objects.all()}
            kpi_actions.score_kpi(
                kpi=kpi, quarter=quarters[number], scores=criteria, by=people.evaluator
            )
        elif kind == "score_project":
            _, number, level = op
            kpi_actions.score_project(
                project=project, quarter=quarters[number], score=Decimal(level), by=people.evaluator
            )
        elif kind == "replan":
            _, shift = op
            current = Project.objects.get(pk=project.pk)
            steps = [
                project_actions.StepInput(
                    s.order,
                    s.text,
                    s.weight,
                    s.start + timedelta(days=shift),
                    s.end + timedelta(days=shift),
                )
                for s in current.steps.all()
            ]
            project_actions.replace_plan(
                project=current,
                expected_version=current.version,
                steps=steps,
                by=people.officer_a,
                reason="เลื่อนแผน",
            )
        elif kind == "instalment":
            _, amount = op
            project_actions.add_instalment(
                project=Project.objects.get(pk=project.pk),
                released_on=date(2019, 11, 1),
                amount=Decimal(amount),
                note="",
                by=people.officer_a,
            )

    def review(self, row: ProgressReport, state: str) -> None:
        officer, approver = self.people.officer_a, self.people.approver_a
        if state == "draft":
            return
        row = report_actions.submit_report(report=row, by=officer)
        if state == "approved":
            report_actions.approve_report(report=row, by=approver)
        elif state == "returned":
            report_actions.return_report(report=row, by=approver, comment="แก้ไขร้อยละ")

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        published=st.booleans(),
        plan=steps_strategy,
        mode=st.sampled_from(("cumulative", "sum", "average")),
        target=st.integers(1, 150),
        ops=st.lists(operation, max_size=12),
    )
    def test_every_page_and_the_stored_standing_agree_after_any_history(
        self, published: bool, plan: list[tuple[int, int, int]], mode: str, target: int, ops: list
    ) -> None:
        project = make_project(
            code="99990000-0001",
            agency=self.people.agency_a,
            published=published,
            budget=Decimal(100_000),
        )
        add_steps(project, *windows(plan))
        kpi = make_kpi(
            "9999-0001",
            agency=self.people.agency_a,
            projects=(project,),
            mode=mode,
            target=Decimal(target),
        )
        refresh_projects([project.pk])  # the rows above were written directly
        for op in ops:
            # A refusal changes nothing, which the checks below also cover.
            with contextlib.suppress(ValidationError):
                self.apply(project, kpi, op)

        expected = fresh(project.pk, TODAY)
        assert stored(project.pk) == expected
        approved = dict(
            KpiResult.objects.official().filter(kpi=kpi).values_list("quarter__number", "result")
        )
        assert KpiStanding.objects.get(pk=kpi.pk).achieved == achieved_value(approved, mode)
        refresh_standings(today=TODAY)
        assert stored(project.pk) == expected

        standing = ProjectStanding.objects.get(pk=project.pk)
        kinds = sorted(kind for kind, _ in expected[1])
        for name in READERS:
            self.check_reader(name, project, kpi, standing, kinds)

    def check_reader(
        self, name: str, project: Project, kpi: Any, standing: ProjectStanding, kinds: list[str]
    ) -> None:
        client = self.reader(name)
        sees = project.published or name not in ("public", "officer_b")
        page = client.get(f"/projects/{project.code}/")
        if not sees:
            assert page.status_code == 404, name
            return
        view = page.context["view"]
        assert view.status == standing.status, name
        assert view.current_percent == standing.reported_percent, name
        assert sorted(line.kind for line in view.flags) == kinds, name
        if name in ("public", "officer_b"):
            assert all(r.status == ReportStatus.APPROVED for r in view.reports), name
            assert all(
                q.entry is None or q.entry.status == "approved"
                for q in client.get(f"/kpis/{kpi.code}/?fy=2563").context["view"].quarters
            ), name
        kpi_page = client.get(f"/kpis/{kpi.code}/?fy=2563").context["view"]
        assert kpi_page.achieved == KpiStanding.objects.get(pk=kpi.pk).achieved, name
        flags = client.get("/flags/?fy=2563").context["view"]
        assert flags.projects_flagged == (1 if kinds else 0), name
        assert {c.kind: c.count for c in flags.counts if c.count} == {k: 1 for k in kinds}, name
