"""A month of each role in a real browser, at 1280 and 390 px, in Thai and in English.

On one small agency (four projects due in March 2020, one of them measured in trees, and a KPI
whose first-quarter result waits for the approver), the officer enters two rows of the monthly
entry page without a page load, writes a full report with a PDF and one by quantity; the
approver approves a report, returns another and approves the KPI result; the evaluator scores
the KPI and closes the first quarter; the executive follows My work to the dashboard, the
city-wide reporting calendar and the problems; the administrator opens the membership history
and the admin. Every page reached is checked (`check_page`: no sideways scroll, axe-core, 44 px
targets on a phone) and saved as var/screenshots/month-<role>-<step>-<width>-<language>.png.

Selectors never use the interface's words (names, hrefs, ids and form actions do): the same
journey runs in both languages, and each role's My work heading is checked to be in the
language of the run."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from tidtam.conftest import DESKTOP, PHONE, PHONE_MAX_WIDTH, check_page, preload_axe, sign_in
from tidtam.indicators import actions as kpi_actions
from tidtam.indicators.models import EvaluationCriterion, KpiResult, KpiScore, RatingLevel
from tidtam.indicators.tests.factories import make_kpi
from tidtam.lib.fiscal import fiscal_year_label
from tidtam.projects.management.commands.load_reference import DEFAULT_DIR
from tidtam.projects.models import Project, Quarter
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.reporting.tests.conftest import PDF_BYTES
from tidtam.standing.refresh import refresh_projects
from tidtam.test import Personas, add_steps, make_personas, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Fiscal year 2563, quarter 2: the first quarter is over and still open for scoring.
TODAY = date(2020, 3, 15)
TYPED_TODAY = {"th": "15/3/2563", "en": "15/3/2020"}
_localdate = timezone.localdate


def pinned_localdate(value: datetime | None = None, timezone: Any = None) -> date:
    """`timezone.localdate()` is TODAY; of a given moment, its real local date."""
    return TODAY if value is None else _localdate(value, timezone)


@pytest.fixture(autouse=True)
def today() -> Iterator[date]:
    # The live server answers in a thread of this process: the patch reaches its views.
    with mock.patch("django.utils.timezone.localdate", pinned_localdate):
        yield TODAY


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


class World:
    """Agency A's March: four projects owing their report and a KPI result to review."""

    def __init__(self) -> None:
        self.personas: Personas = make_personas()
        agency = self.personas.agency_a
        names = [
            "โครงการก่อสร้างทางเท้าถนนพหลโยธิน",
            "โครงการลอกท่อระบายน้ำซอยลาดพร้าว",
            "โครงการปรับปรุงผิวจราจรถนนรามคำแหง",
            "โครงการปลูกต้นไม้ริมถนนพระราม 9",
        ]
        self.projects = [
            make_project(code=f"{agency.code}-{n:04d}", name=name, agency=agency)
            for n, name in enumerate(names, 1)
        ]
        self.draft_row, self.submitted_row, self.full_form, self.trees = self.projects
        Project.objects.filter(pk=self.trees.pk).update(
            progress_unit="ต้น", progress_target=Decimal(1000)
        )
        self.trees.refresh_from_db()
        for project in self.projects:
            add_steps(project, ("100", "2019-10-01", "2020-09-30"))
        refresh_projects([p.pk for p in self.projects])
        kpi_actions.load_default_scale(
            DEFAULT_DIR / "rating_scale.csv", DEFAULT_DIR / "evaluation_criteria.csv"
        )
        self.kpi = make_kpi(agency=agency, text="ร้อยละของถนนที่ได้รับการปรับปรุงตามแผน")
        q1 = self.kpi.fiscal_year.quarters.get(number=1)
        result = kpi_actions.enter_kpi_result(
            kpi=self.kpi,
            quarter=q1,
            result=Decimal(42),
            narrative="ปรับปรุงถนนแล้ว 21 สาย",
            by=self.personas.officer_a,
        )
        self.result = kpi_actions.submit_kpi_result(row=result, by=self.personas.officer_a)
        self.personas.administrator.is_superuser = True
        self.personas.administrator.save(update_fields=["is_superuser"])


class Journey:
    """One browser context (one width, one language) in which the roles take turns."""

    def __init__(self, chromium: Any, base: str, viewport: dict[str, int], lang: str) -> None:
        self.base = base
        self.lang = lang
        self.width = viewport["width"]
        self.context = chromium.new_context(viewport=viewport, locale="th-TH")
        preload_axe(self.context)
        self.page = self.context.new_page()
        self.role = ""

    @property
    def phone(self) -> bool:
        return self.width <= PHONE_MAX_WIDTH

    def t(self, message: str) -> str:
        with translation.override(self.lang):
            return gettext(message)

    def become(self, role: str, username: str) -> None:
        """Sign in afresh as `username`, in the language of the run, and open My work from
        the menu (folded on a phone); its heading is in the language of the run."""
        self.role = role
        self.context.clear_cookies()
        self.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": self.lang, "url": self.base}]
        )
        if role == "officer":  # the first of the day: the sign-in page, checked once a run
            self.page.goto(f"{self.base}/accounts/login/")
            self.check("sign-in")
        sign_in(self.page, self.base, username)
        self.menu("/me/")
        assert self.page.get_attribute("html", "lang") == self.lang
        assert self.page.inner_text("main h1") == self.t("My work")
        self.check("my-work")

    def menu(self, href: str) -> None:
        if self.phone:
            self.page.click("details.menu summary")
        self.follow(f"header.site nav a[href='{href}']")

    def follow(self, selector: str) -> None:
        with self.page.expect_navigation():
            self.page.click(selector)
        self.page.wait_for_load_state()

    def submit(self, selector: str) -> None:
        self.follow(selector)

    def check(self, step: str, *, touch: bool = True) -> None:
        check_page(self.page, f"month-{self.role}-{step}-{self.width}-{self.lang}", touch=touch)

    def main_text(self) -> str:
        return str(self.page.inner_text("main"))


DUE = "section[aria-labelledby=due-h]"
# "750 of 1,000 trees" in either language: only the unit is the project's own (Thai) word.
TREES = re.compile(r"\b750 \S+ 1,000 ต้น")


def officer(j: Journey, world: World, tmp_path: Path) -> None:
    page = j.page
    j.become("officer", "officer_a")
    due = page.locator(DUE)
    for project in world.projects:
        assert due.locator(f"a[href='/projects/{project.code}/reports/new/']").count() == 1

    # The monthly entry page: one row saved as a draft, one submitted, no page load between.
    agency = world.personas.agency_a.code
    j.follow(f"{DUE} a[href='/agencies/{agency}/monthly/']")
    j.check("monthly")
    page.evaluate("window.stillTheSamePage = true")
    row = page.locator(f"#row-{world.draft_row.code}")
    row.locator("input[name=percent]").fill("35")
    row.locator("textarea[name=narrative]").fill("วางท่อและเทฐานรากทางเท้าแล้ว 350 เมตร")
    row.locator("button[type=submit]:not([name])").click()
    notice = page.locator(f"#row-{world.draft_row.code} p.alert[role=status]")
    notice.wait_for()
    assert notice.inner_text() == j.t("The report is saved as a draft. Submit it when it is ready.")
    row = page.locator(f"#row-{world.submitted_row.code}")
    row.locator("input[name=percent]").fill("60")
    row.locator("textarea[name=narrative]").fill("ลอกท่อแล้ว 3 ซอยจาก 5 ซอย")
    row.locator("button[name=and_submit]").click()
    page.locator(f"#row-{world.submitted_row.code} p.alert[role=status]").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True
    assert ProgressReport.objects.get(project=world.draft_row).status == ReportStatus.DRAFT
    submitted = ProgressReport.objects.get(project=world.submitted_row)
    assert (submitted.status, submitted.percent) == (ReportStatus.SUBMITTED, Decimal(60))
    j.check("monthly-saved")

    # The full form of a third project, from the due list: a date in the run's era and a PDF.
    j.menu("/me/")
    j.follow(f"{DUE} a[href='/projects/{world.full_form.code}/reports/new/']")
    evidence = tmp_path / "ใบตรวจรับงานงวดที่ 1.pdf"
    evidence.write_bytes(PDF_BYTES)
    page.fill("input[name=report_date]", TYPED_TODAY[j.lang])
    page.fill("input[name=percent]", "45")
    page.fill("input[name=spent]", "812500")
    page.fill("textarea[name=narrative]", "ปรับปรุงผิวจราจรช่วงที่ 1 แล้วเสร็จ ระยะทาง 1.2 กิโลเมตร")
    page.set_input_files("input[name=attachments]", str(evidence))
    j.check("report-form")
    j.submit("form.report-form button[name=and_submit]")
    report = ProgressReport.objects.get(project=world.full_form)
    assert page.url == f"{j.base}/reports/{report.pk}/"
    assert (report.status, report.report_date) == (ReportStatus.SUBMITTED, TODAY)
    assert (report.percent, report.spent) == (Decimal(45), Decimal(812500))
    assert report.attachments.get().original_name == evidence.name
    assert page.locator(f"a[href^='/reports/{report.pk}/attachments/']").count() >= 1
    j.check("report-submitted")

    # The project measured in trees: reported by quantity, shown with its percent.
    j.menu("/me/")
    j.follow(f"{DUE} a[href='/projects/{world.trees.code}/reports/new/']")
    assert page.locator("input[name=percent]").count() == 0
    page.fill("input[name=report_date]", TYPED_TODAY[j.lang])
    page.fill("input[name=quantity]", "750")
    page.fill("textarea[name=narrative]", "ปลูกต้นไม้แล้ว 750 ต้น")
    j.check("quantity-form")
    j.submit("form.report-form button[name=and_submit]")
    trees = ProgressReport.objects.get(project=world.trees)
    assert (trees.status, trees.quantity, trees.percent) == (
        ReportStatus.SUBMITTED,
        Decimal(750),
        Decimal(75),
    )
    facts = page.inner_text("dl.facts")
    assert "75.00\u00a0%" in facts, facts
    assert TREES.search(facts), facts
    j.check("quantity-report")
    j.follow(f"nav.crumbs a[href='/projects/{world.trees.code}/']")
    listed = page.inner_text("section[aria-labelledby=reports-h] article.report h3")
    assert "75.00" in listed and TREES.search(listed), listed
    j.check("quantity-project")


def approver(j: Journey, world: World) -> None:
    page = j.page
    j.become("approver", "approver_a")
    full = ProgressReport.objects.get(project=world.full_form)
    row = ProgressReport.objects.get(project=world.submitted_row)
    mine = page.locator("section[aria-labelledby=to-review-h]")
    assert mine.locator(f"a[href='/reports/{full.pk}/']").count() == 1
    assert mine.locator(f"a[href='/kpis/{world.kpi.code}/?fy=2563']").count() == 1
    j.follow("section[aria-labelledby=to-review-h] a[href='/review/']")
    j.check("review-queue")

    j.follow(f"main a[href='/reports/{full.pk}/']")
    j.check("report")
    j.submit(f"form[action='/reports/{full.pk}/approve/'] button:not([formaction])")
    full.refresh_from_db()
    assert full.status == ReportStatus.APPROVED
    j.check("report-approved")

    j.page.goto(f"{j.base}/review/")
    j.follow(f"main a[href='/reports/{row.pk}/']")
    page.fill("textarea[name=comment]", "กรุณาแนบภาพถ่ายหน้างานของซอยที่ลอกแล้ว")
    j.submit(f"button[formaction='/reports/{row.pk}/return/']")
    row.refresh_from_db()
    assert row.status == ReportStatus.RETURNED
    assert row.review_comment == "กรุณาแนบภาพถ่ายหน้างานของซอยที่ลอกแล้ว"
    j.check("report-returned")

    # Approved, the quantity becomes the project's standing, with its percent.
    trees = ProgressReport.objects.get(project=world.trees)
    j.page.goto(f"{j.base}/reports/{trees.pk}/")
    j.submit(f"form[action='/reports/{trees.pk}/approve/'] button:not([formaction])")
    trees.refresh_from_db()
    assert trees.status == ReportStatus.APPROVED
    j.follow(f"nav.crumbs a[href='/projects/{world.trees.code}/']")
    overall = page.inner_text("section.progress .overall")
    assert re.search(r"75\.00\s*%", overall) and TREES.search(overall), overall
    j.check("quantity-project")

    j.page.goto(f"{j.base}/review/")
    j.follow(f"section[aria-labelledby=queue-results-h] a[href='/kpis/{world.kpi.code}/?fy=2563']")
    j.check("kpi")
    j.submit(f"form[action='/kpis/{world.kpi.code}/2563/q1/result/approve/'] button")
    assert KpiResult.objects.get(pk=world.result.pk).status == "approved"
    j.check("kpi-result-approved")


def evaluator(j: Journey, world: World) -> None:
    page = j.page
    j.become("evaluator", "evaluator")
    j.follow(f"section[aria-labelledby=scoring-h] a[href='/kpis/{world.kpi.code}/2563/q1/scores/']")
    j.check("kpi-scores")
    top = RatingLevel.objects.order_by("-value").first()
    assert top is not None
    selects = page.locator("form.stacked select")
    criteria = EvaluationCriterion.objects.count()
    assert criteria > 0 and selects.count() == criteria
    for n in range(criteria):
        selects.nth(n).select_option(str(top.value))
    j.submit("form.stacked button[type=submit]")
    assert page.url == f"{j.base}/kpis/{world.kpi.code}/?fy=2563"
    scores = KpiScore.objects.filter(kpi=world.kpi, quarter__number=1)
    assert sorted(s.score for s in scores) == [top.value] * criteria
    j.check("kpi-scored")

    j.menu("/me/")
    j.follow("section[aria-labelledby=scoring-h] a[href='/quarters/']")
    j.check("quarters")
    close = page.locator("form[action='/quarters/2563/q1/close/'] button")
    box = close.bounding_box()
    assert box is not None and box["x"] + box["width"] <= j.width  # in view, even on a phone
    j.submit("form[action='/quarters/2563/q1/close/'] button")
    assert Quarter.objects.get(fiscal_year_id=2563, number=1).closed_at is not None
    closed = j.t("Quarter %(n)s of fiscal year %(year)s is closed: its entries are locked.")
    assert closed % {"n": 1, "year": fiscal_year_label(2563, j.lang)} in j.main_text()
    assert page.locator("form[action='/quarters/2563/q1/close/']").count() == 0
    j.check("quarter-closed")


CITY_LINKS = (("dashboard", "/"), ("city-compliance", "/compliance/"), ("problems", "/problems/"))


def executive(j: Journey, world: World) -> None:
    j.become("executive", "executive")
    for step, href in CITY_LINKS:
        j.follow(f"section[aria-labelledby=city-h] a[href='{href}']")
        j.check(step)
        j.page.go_back()
        j.page.wait_for_load_state()


def administrator(j: Journey, world: World) -> None:
    j.become("administrator", "administrator")
    j.follow("main a[href='/audit/memberships/']")
    assert j.page.inner_text("main h1") == j.t("History of memberships")
    assert j.page.locator("main a[href='/admin/accounts/membership/']").count() == 1
    j.check("memberships")
    j.menu("/me/")
    j.follow("main a[href='/admin/']")
    assert j.page.locator("a[href='/admin/reporting/']").count() == 1
    # Django's admin keeps its own sizes.
    j.check("admin", touch=False)


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_month_of_each_role(
    chromium: Any, live_server: Any, viewport: dict[str, int], lang: str, tmp_path: Path
) -> None:
    world = World()
    journey = Journey(chromium, live_server.url, viewport, lang)
    try:
        officer(journey, world, tmp_path)
        approver(journey, world)
        evaluator(journey, world)
        executive(journey, world)
        administrator(journey, world)
    finally:
        journey.context.close()
