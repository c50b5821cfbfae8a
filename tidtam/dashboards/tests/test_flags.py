"""Contradiction flags: each rule on plain values, the seeds exactly, the project page and the
flags page with its counts."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tidtam.accounts.models import Role
from tidtam.indicators.models import FlagSettings, ProjectEvaluation
from tidtam.indicators.tests.factories import add_results, add_scores, make_kpi
from tidtam.legacy.load import import_paths
from tidtam.projects.models import Project
from tidtam.projects.schedule import Status, StepWindow
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.standing.flags import (
    FlagKind,
    FlagThresholds,
    KpiFacts,
    ProjectFacts,
    describe,
    project_flags,
)
from tidtam.standing.models import StandingFlag
from tidtam.standing.refresh import refresh_standings
from tidtam.test import SEED_CODES, add_steps, make_agency, make_member, make_project, seed_path

D = Decimal
DEFAULTS = FlagThresholds()
TODAY = date(2020, 3, 10)


def window(weight: int, start: str, end: str) -> StepWindow:
    return StepWindow(D(weight), date.fromisoformat(start), date.fromisoformat(end))


PLAN = [window(50, "2019-10-01", "2020-01-31"), window(50, "2020-02-01", "2020-06-30")]
MONTHLY = [(date(2019, m // 100, m % 100), D(10)) for m in (1015, 1115, 1215)] + [
    (date(2020, 1, 15), D(20)),
    (date(2020, 2, 15), D(30)),
]


def kinds(facts: ProjectFacts, today: date = TODAY, **thresholds: Any) -> list[str]:
    return [f.kind for f in project_flags(facts, FlagThresholds(**thresholds), today)]


def sentence(facts: ProjectFacts, today: date = TODAY) -> str:
    with translation.override("th"):
        (flag,) = project_flags(facts, DEFAULTS, today)
        return describe(flag, "th")


# A high evaluator score while the project is behind or critical


@pytest.mark.parametrize("status", [Status.BEHIND, Status.CRITICAL])
def test_a_high_score_while_behind_is_flagged(status):
    facts = ProjectFacts(PLAN, MONTHLY, status=status, evaluation=(2, D(85)))
    assert kinds(facts) == [FlagKind.HIGH_SCORE_BEHIND]


@pytest.mark.parametrize("status", [Status.ON_TRACK, Status.COMPLETED, Status.NOT_STARTED, None])
def test_a_high_score_on_track_or_without_status_is_not_flagged(status):
    assert kinds(ProjectFacts(PLAN, MONTHLY, status=status, evaluation=(2, D(85)))) == []


def test_the_high_score_level_is_the_administrators():
    facts = ProjectFacts(PLAN, MONTHLY, status=Status.BEHIND, evaluation=(2, D(70)))
    assert kinds(facts) == []
    assert kinds(facts, high_score=D(70)) == [FlagKind.HIGH_SCORE_BEHIND]
    assert kinds(ProjectFacts(PLAN, MONTHLY, status=Status.BEHIND)) == []


def test_the_high_score_sentence_names_score_quarter_and_status():
    facts = ProjectFacts(PLAN, MONTHLY, status=Status.CRITICAL, evaluation=(2, D(85)))
    assert sentence(facts) == ("ผู้ประเมินให้คะแนนโครงการ 85.00 ในไตรมาส 2 ขณะที่โครงการล่าช้ากว่าแผนมาก")


# KPI achieved 0 with a full evaluation score


def kpi(achieved: str | None, scores: dict[int, list[str]], **extra: Any) -> KpiFacts:
    return KpiFacts(
        code="0300-0760",
        target=extra.pop("target", D(100)),
        achieved=D(achieved) if achieved is not None else None,
        scores={q: [D(s) for s in values] for q, values in scores.items()},
        **extra,
    )


def test_a_kpi_achieving_zero_with_a_full_score_is_flagged():
    facts = ProjectFacts(PLAN, MONTHLY, kpis=[kpi("0", {1: ["100", "100"], 2: ["0", "0"]})])
    assert kinds(facts) == [FlagKind.ZERO_KPI_FULL_SCORE]
    assert sentence(facts) == (
        "ตัวชี้วัด 0300-0760 มีผลงานที่ทำได้เป็น 0 แต่ผลประเมินไตรมาส 1 เป็นคะแนนเต็ม (100 / 100)"
    )


@pytest.mark.parametrize(
    ("achieved", "scores"),
    [
        ("0", {1: ["100", "90"]}),  # not full on every criterion
        ("0", {}),  # never scored
        ("0.5", {1: ["100", "100"]}),  # achieved something
        (None, {1: ["100", "100"]}),  # nothing reported or recorded
    ],
)
def test_anything_short_of_zero_and_a_full_score_is_not_flagged(achieved, scores):
    assert kinds(ProjectFacts(PLAN, MONTHLY, kpis=[kpi(achieved, scores)])) == []


def test_the_full_score_is_the_administrators():
    facts = ProjectFacts(PLAN, MONTHLY, kpis=[kpi("0", {3: ["5", "5"]})])
    assert kinds(facts) == []
    assert kinds(facts, full_score=D(5), high_score=D(4)) == [FlagKind.ZERO_KPI_FULL_SCORE]


# Progress 100 % with steps still in the future


def test_complete_before_a_step_was_due_to_start_is_flagged():
    reports = [*MONTHLY, (date(2020, 3, 1), D(100))]
    facts = ProjectFacts([*PLAN, window(0, "2020-05-01", "2020-05-01")], reports)
    assert kinds(facts) == [FlagKind.COMPLETE_WITH_FUTURE_STEPS]
    assert sentence(facts) == (
        "รายงานความคืบหน้าร้อยละ 100 เมื่อ 1 มี.ค. 2563 ขณะที่ยังมีขั้นตอนตามแผนอีก 1 ขั้นตอน"
        "ที่ยังไม่ถึงกำหนดเริ่ม (ขั้นตอนแรกเริ่ม 1 พ.ค. 2563)"
    )


def test_complete_after_every_step_started_is_not_flagged():
    reports = [*MONTHLY, (date(2020, 3, 1), D(100))]
    assert kinds(ProjectFacts(PLAN, reports)) == []
    assert kinds(ProjectFacts(PLAN, MONTHLY)) == []


def test_the_first_report_of_completion_is_the_claim_that_counts():
    reports = [(date(2019, 10, 15), D(100)), (date(2020, 2, 15), D(100))]
    flags = project_flags(ProjectFacts(PLAN, reports), DEFAULTS, TODAY)
    (flag,) = [f for f in flags if f.kind == FlagKind.COMPLETE_WITH_FUTURE_STEPS]
    assert flag.details == {"date": date(2019, 10, 15), "count": 1, "first_start": date(2020, 2, 1)}


# Reports missing for more than a month


def test_a_calendar_month_without_a_report_while_the_plan_runs_is_flagged():
    reports = [(d, p) for d, p in MONTHLY if d.month != 12]
    facts = ProjectFacts(PLAN, reports)
    assert kinds(facts) == [FlagKind.REPORTS_MISSING]
    assert sentence(facts) == ("ไม่มีรายงานความคืบหน้าในเดือน ธ.ค. 2562 ระหว่างที่โครงการดำเนินงานตามแผน")


def test_reports_a_few_days_more_than_a_month_apart_miss_no_month():
    reports = [(date(2019, 10, 1), D(1)), (date(2019, 11, 30), D(2)), (date(2019, 12, 1), D(3))]
    assert kinds(ProjectFacts(PLAN, reports), today=date(2020, 1, 20)) == []


def test_the_current_month_is_not_over_so_it_is_not_missing():
    assert kinds(ProjectFacts(PLAN, MONTHLY), today=date(2020, 3, 31)) == []
    assert kinds(ProjectFacts(PLAN, MONTHLY), today=date(2020, 4, 1)) == [FlagKind.REPORTS_MISSING]


def test_months_after_the_plan_ended_or_before_it_began_are_not_missing():
    plan = [window(100, "2019-12-01", "2020-01-31")]
    reports = [(date(2019, 12, 5), D(50)), (date(2020, 1, 5), D(100))]
    assert kinds(ProjectFacts(plan, reports), today=date(2021, 1, 1)) == []


def test_a_plan_with_no_report_at_all_misses_every_month_so_far():
    facts = ProjectFacts(PLAN, [])
    (flag,) = project_flags(facts, DEFAULTS, TODAY)
    assert flag.details == {"months": 5, "from": date(2019, 10, 1), "to": date(2020, 2, 1)}
    assert sentence(facts) == (
        "ไม่มีรายงานความคืบหน้า 5 เดือนระหว่างที่โครงการดำเนินงานตามแผน ช่วงที่ขาดนานที่สุด: ต.ค. 2562 – ก.พ. 2563"
    )


def test_without_a_plan_no_month_is_due():
    assert kinds(ProjectFacts([], [])) == []


# Results above target by more than a set factor


def test_a_result_many_times_the_target_is_flagged_as_a_likely_unit_error():
    facts = ProjectFacts(
        PLAN,
        MONTHLY,
        kpis=[kpi("80", {}, target=D(5), results={1: D(80), 2: None})],
    )
    assert kinds(facts) == [FlagKind.RESULT_OVERSHOOT]
    assert sentence(facts) == (
        "ตัวชี้วัด 0300-0760 รายงานผลงาน 80.00 เทียบกับค่าเป้าหมาย 5.00 ซึ่งมากกว่าค่าเป้าหมายเกิน 2 เท่า "
        "ควรทบทวนว่าทั้งสองค่าใช้หน่วยเดียวกันหรือไม่"
    )


def test_a_result_somewhat_above_target_is_not_flagged_unless_the_factor_says_so():
    facts = ProjectFacts(PLAN, MONTHLY, kpis=[kpi("104.15", {}, results={1: D("104.15")})])
    assert kinds(facts) == []
    assert kinds(facts, overshoot_factor=D("1.01")) == [FlagKind.RESULT_OVERSHOOT]


def test_a_kpi_without_target_cannot_overshoot():
    assert kinds(ProjectFacts(PLAN, MONTHLY, kpis=[kpi("80", {}, target=None)])) == []


def test_a_record_with_no_contradiction_has_no_flag():
    facts = ProjectFacts(
        PLAN,
        MONTHLY,
        status=Status.ON_TRACK,
        evaluation=(2, D(95)),
        kpis=[kpi("30", {1: ["100", "100"]}, results={1: D(30)})],
    )
    assert kinds(facts) == []


# The seeds, exactly


@pytest.fixture
def seeds(db: None) -> None:
    call_command("load_reference", stdout=StringIO())
    assert import_paths([seed_path(code) for code in SEED_CODES]).rejected == []


def page_on(client: Client, code: str, day: date) -> str:
    with mock.patch("django.utils.timezone.localdate", return_value=day):
        response = client.get(f"/projects/{code}/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def flags_section(text: str) -> str:
    if 'class="flags"' not in text:
        return ""
    section = text[text.index('class="flags"') :]
    return section[: section.index("</section>")]


@pytest.mark.usefixtures("seeds")
def test_seed_2457_is_flagged_for_its_zero_kpi_scored_in_full(client: Client) -> None:
    section = flags_section(page_on(client, "03000000-2457", date(2020, 2, 19)))
    assert "ข้อมูลที่ขัดแย้งกัน 1 รายการ" in section
    assert "ตัวชี้วัด 0300-0760 มีผลงานที่ทำได้เป็น 0 แต่ผลประเมินไตรมาส 1 เป็นคะแนนเต็ม (100 / 100)" in section


@pytest.mark.usefixtures("seeds")
def test_seed_2457_today_also_misses_every_report_after_february_2020(client: Client) -> None:
    section = flags_section(page_on(client, "03000000-2457", date(2026, 1, 1)))
    assert "ข้อมูลที่ขัดแย้งกัน 2 รายการ" in section
    assert "ไม่มีรายงานความคืบหน้า 6 เดือน" in section and "มี.ค. 2563 – ส.ค. 2563" in section


@pytest.mark.usefixtures("seeds")
def test_seed_3137_skipped_january_and_scored_its_zero_kpi_in_full(client: Client) -> None:
    section = flags_section(page_on(client, "21000000-3137", date(2020, 3, 23)))
    assert "ข้อมูลที่ขัดแย้งกัน 2 รายการ" in section
    assert "ไม่มีรายงานความคืบหน้าในเดือน ม.ค. 2563" in section
    assert "ตัวชี้วัด 2100-1037 มีผลงานที่ทำได้เป็น 0 แต่ผลประเมินไตรมาส 1" in section


@pytest.mark.usefixtures("seeds")
def test_seed_flags_counted_across_the_fiscal_year(client: Client) -> None:
    refresh_standings(today=date(2020, 2, 19))
    by_code: dict[str, list[str]] = {}
    for code, kind in StandingFlag.objects.values_list("project__code", "kind"):
        by_code.setdefault(code, []).append(kind)
    assert {code: sorted(kinds) for code, kinds in by_code.items()} == {
        "03000000-2457": [FlagKind.ZERO_KPI_FULL_SCORE],
        "21000000-3137": [FlagKind.REPORTS_MISSING, FlagKind.ZERO_KPI_FULL_SCORE],
    }


@pytest.mark.usefixtures("seeds")
def test_a_high_score_on_the_critical_seed_project_is_flagged_on_its_page(client: Client) -> None:
    project = Project.objects.get(code="03000000-2457")
    evaluation = ProjectEvaluation.objects.get(project=project)
    evaluation.score = D(90)
    evaluation.save()
    section = flags_section(page_on(client, "03000000-2457", date(2020, 2, 19)))
    assert "ผู้ประเมินให้คะแนนโครงการ 90.00 ในไตรมาส 4 ขณะที่โครงการล่าช้ากว่าแผนมาก" in section
    FlagSettings.objects.create(high_score=D(95))
    section = flags_section(page_on(client, "03000000-2457", date(2020, 2, 19)))
    assert "ผู้ประเมินให้คะแนนโครงการ" not in section


@pytest.mark.django_db
def test_a_project_without_contradictions_has_no_flag_section(client: Client) -> None:
    project = make_project()
    add_steps(project, ("100", "2019-10-01", "2020-09-30"))
    assert flags_section(page_on(client, "99990000-0001", date(2019, 10, 20))) == ""


# The flags page


def flagged_project(code: str, agency_code: str, *, published: bool = True) -> Project:
    """A project whose KPI achieved nothing yet scored in full, and that missed December."""
    agency = make_agency(agency_code)
    project = make_project(code=code, agency=agency, published=published)
    add_steps(project, ("100", "2019-10-01", "2020-09-30"))
    for day in (date(2019, 10, 20), date(2019, 11, 20), date(2020, 1, 20)):
        ProgressReport.objects.create(
            project=project,
            report_date=day,
            percent=D(5),
            status=ReportStatus.APPROVED,
            origin="manual",
        )
    kpi = make_kpi(code[:4] + code[-5:], agency=agency, projects=(project,))
    add_results(kpi, {1: ("0", "")})
    add_scores(kpi, {(1, "2.1"): "100", (1, "2.2"): "100"})
    return project


def flags_page(client: Client, query: str = "") -> str:
    # Rows written directly skip the actions: their standings are refreshed explicitly.
    refresh_standings(today=date(2020, 2, 10))
    with mock.patch("django.utils.timezone.localdate", return_value=date(2020, 2, 10)):
        response = client.get(f"/flags/{query}")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_the_flags_page_counts_each_kind_and_lists_the_projects_of_one(client: Client) -> None:
    flagged_project("11110000-0001", "11110000")
    flagged_project("11110000-0002", "11110000")
    make_project(code="11110000-0003", agency=make_agency("11110000"))
    text = flags_page(client)
    assert "2 จาก 3 โครงการของปีงบประมาณ 2563" in text
    assert 'href="?fy=2563&kind=zero_kpi_full_score"' in text
    listing = flags_page(client, "?fy=2563&kind=reports_missing")
    assert "11110000-0001" in listing and "11110000-0002" in listing
    assert "11110000-0003" not in listing
    assert "ไม่มีรายงานความคืบหน้าในเดือน ธ.ค. 2562" in listing
    assert "มีผลงานที่ทำได้เป็น 0" not in listing  # only the chosen kind's sentences


@pytest.mark.django_db
def test_the_public_counts_only_published_projects_and_approved_reports(client: Client) -> None:
    flagged_project("11110000-0001", "11110000", published=False)
    public = flagged_project("11110000-0002", "11110000")
    ProgressReport.objects.filter(project=public, report_date=date(2019, 11, 20)).update(
        status=ReportStatus.SUBMITTED
    )
    text = flags_page(client, "?kind=reports_missing")
    assert "1 จาก 1 โครงการ" in text
    assert "11110000-0001" not in text
    # The unapproved November report does not count, for any reader: two months are missing.
    assert "ไม่มีรายงานความคืบหน้า 2 เดือน" in text
    client.force_login(make_member("reader", Role.EXECUTIVE))
    text = flags_page(client, "?kind=reports_missing")
    assert "2 จาก 2 โครงการ" in text and "11110000-0001" in text
    assert "ไม่มีรายงานความคืบหน้า 2 เดือน" in text


@pytest.mark.django_db
def test_the_flags_page_ignores_an_unknown_kind_and_says_when_there_is_nothing(
    client: Client,
) -> None:
    assert "ยังไม่มีโครงการที่จะแสดง" in flags_page(client)
    flagged_project("11110000-0001", "11110000")
    text = flags_page(client, "?kind=nonsense&fy=x")
    assert "1 จาก 1 โครงการ" in text and "<h2>" not in text


def count_queries(client: Client, query: str) -> int:
    refresh_standings(today=date(2020, 2, 10))
    with (
        mock.patch("django.utils.timezone.localdate", return_value=date(2020, 2, 10)),
        CaptureQueriesContext(connection) as queries,
    ):
        assert client.get(f"/flags/{query}").status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_flags_page_query_count_does_not_grow_with_projects(client: Client) -> None:
    flagged_project("11110000-0001", "11110000")
    few = count_queries(client, "?kind=zero_kpi_full_score")
    for n in range(2, 14):
        flagged_project(f"22220000-{n:04d}", "22220000")
    assert count_queries(client, "?kind=zero_kpi_full_score") == few
    assert few <= 20


@pytest.mark.django_db
def test_the_flags_read_in_english_when_english_is_chosen(client: Client) -> None:
    flagged_project("11110000-0001", "11110000")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = flags_page(client, "?kind=reports_missing")
    assert "1 of 1 projects of fiscal year 2020 have at least one contradiction." in text
    assert "No progress report in Dec 2019 while the plan was running." in text
