"""A fiscal year as the open-data tests see it: what the public may read beside what it may not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from tidtam.indicators.models import (
    EvaluationCriterion,
    Kpi,
    KpiResult,
    KpiScore,
    KpiSupport,
    KpiType,
    ProjectEvaluation,
)
from tidtam.orgs.models import Agency, AgencyKind, Origin, Person
from tidtam.projects.models import FiscalYear, Project, ProjectContact, ProjectItem
from tidtam.reporting.models import Problem, ProblemCategory, ProgressReport, ReportStatus
from tidtam.standing.refresh import refresh_standings
from tidtam.test import Personas, add_steps, make_agency, make_project

YEAR = 2563
PUBLISHED = "99990000-0001"
HIDDEN = "99990000-0002"
OTHER_YEAR = "99990000-0003"
DISTRICT_PROJECT = "50120000-0001"
DISTRICT = "50120000"

APPROVED_TEXT = "ขุดลอกคลองแล้วเสร็จร้อยละสามสิบ"
LATER_TEXT = "ปลูกต้นไม้ริมคลองแล้วครึ่งหนึ่ง"
SUBMITTED_TEXT = "รายงานที่รออนุมัติ"
DRAFT_TEXT = "ร่างรายงานที่ยังไม่ส่ง"
RETURNED_TEXT = "รายงานที่ถูกส่งกลับให้แก้ไข"
HIDDEN_TEXT = "รายงานของโครงการที่ยังไม่เผยแพร่"
OTHER_YEAR_TEXT = "รายงานของปีงบประมาณถัดไป"
DISTRICT_TEXT = "เขตบางรักซ่อมทางเท้าแล้ว"
PUBLIC_PROBLEM = "ฝนตกหนักทำให้งานล่าช้า"
DRAFT_PROBLEM = "ปัญหาในร่างรายงาน"
PUBLIC_PHONE = "02-111-1111"
PRIVATE_PHONE = "081-999-9999"
CONTACT_NAME = "นายสมชาย ใจดี"
PRIVATE_CONTACT = "นางสาวสมศรี มีสุข"
KPI_TEXT = "ร้อยละของคลองที่ได้รับการขุดลอก"
HIDDEN_KPI_TEXT = "ตัวชี้วัดของโครงการที่ยังไม่เผยแพร่"
APPROVER_NAME = ("สมหญิง", "ผู้อนุมัติ")


@dataclass
class World:
    personas: Personas
    published: Project
    hidden: Project
    other_year: Project
    district: Agency
    approved: ProgressReport


def report(
    project: Project,
    day: date,
    percent: int,
    status: str,
    text: str,
    *,
    approved_at: datetime | None = None,
    personas: Personas | None = None,
) -> ProgressReport:
    officer = personas.officer_a if personas else None
    return ProgressReport.objects.create(
        project=project,
        report_date=day,
        percent=Decimal(percent),
        narrative=text,
        status=status,
        origin=Origin.MANUAL,
        created_by=officer,
        submitted_by=officer if status != ReportStatus.DRAFT else None,
        reviewed_by=personas.approver_a if personas and approved_at else None,
        reviewed_at=approved_at,
    )


def moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def build_world(personas: Personas) -> World:
    approver = personas.approver_a
    approver.first_name, approver.last_name = APPROVER_NAME
    approver.save()
    a = personas.agency_a
    published = make_project(
        code=PUBLISHED, name="โครงการขุดลอกคลองแสนแสบ", agency=a, budget=Decimal("500000.50")
    )
    hidden = make_project(code=HIDDEN, name="โครงการลับ", agency=a, published=False)
    other_year = make_project(
        code=OTHER_YEAR, name="โครงการปีหน้า", agency=a, fiscal_year=FiscalYear.ensure(YEAR + 1)
    )
    district = make_agency(
        DISTRICT,
        name_th="สำนักงานเขตบางรัก",
        name_key="สำนักงานเขตบางรัก",
        kind=AgencyKind.DISTRICT_OFFICE,
    )
    in_district = make_project(code=DISTRICT_PROJECT, name="โครงการซ่อมทางเท้า", agency=district)
    for project in (published, hidden, in_district):
        add_steps(project, ("40", "2019-10-01", "2020-03-31"), ("60", "2020-04-01", "2020-09-30"))
    add_steps(other_year, ("100", "2020-10-01", "2021-09-30"))
    ProjectItem.objects.create(
        project=published, kind=ProjectItem.Kind.OBJECTIVE, order=1, label="1.", text="ลดน้ำท่วม"
    )
    for order, (name, phone, public) in enumerate(
        ((CONTACT_NAME, PUBLIC_PHONE, True), (PRIVATE_CONTACT, PRIVATE_PHONE, False))
    ):
        person = Person.objects.create(
            agency=a, name=name, phone=phone, phone_public=public, email=f"p{order}@example.test"
        )
        ProjectContact.objects.create(project=published, person=person, order=order)

    approved = report(
        published,
        date(2020, 1, 28),
        30,
        ReportStatus.APPROVED,
        APPROVED_TEXT,
        approved_at=moment(date(2020, 2, 3)),
        personas=personas,
    )
    report(
        published,
        date(2020, 2, 27),
        45,
        ReportStatus.APPROVED,
        LATER_TEXT,
        approved_at=moment(date(2020, 3, 2)),
        personas=personas,
    )
    report(
        published, date(2020, 3, 27), 50, ReportStatus.SUBMITTED, SUBMITTED_TEXT, personas=personas
    )
    report(
        published, date(2020, 4, 27), 55, ReportStatus.RETURNED, RETURNED_TEXT, personas=personas
    )
    draft = report(
        published, date(2020, 5, 27), 60, ReportStatus.DRAFT, DRAFT_TEXT, personas=personas
    )
    report(
        hidden,
        date(2020, 1, 28),
        20,
        ReportStatus.APPROVED,
        HIDDEN_TEXT,
        approved_at=moment(date(2020, 2, 4)),
        personas=personas,
    )
    report(
        other_year,
        date(2020, 11, 27),
        10,
        ReportStatus.APPROVED,
        OTHER_YEAR_TEXT,
        approved_at=moment(date(2020, 12, 1)),
        personas=personas,
    )
    report(
        in_district,
        date(2020, 1, 29),
        25,
        ReportStatus.APPROVED,
        DISTRICT_TEXT,
        approved_at=moment(date(2020, 2, 5)),
    )
    category = ProblemCategory.objects.create(name_th="สภาพอากาศ", name_en="Weather")
    Problem.objects.create(
        project=published, category=category, description=PUBLIC_PROBLEM, opened_in=approved
    )
    Problem.objects.create(
        project=published, category=category, description=DRAFT_PROBLEM, opened_in=draft
    )

    quarters = {q.number: q for q in published.fiscal_year.quarters.all()}
    for code, text, project in (("K-1", KPI_TEXT, published), ("K-2", HIDDEN_KPI_TEXT, hidden)):
        kpi = Kpi.objects.create(
            code=code,
            fiscal_year=published.fiscal_year,
            agency=a,
            text=text,
            unit="ร้อยละ",
            target=Decimal(80),
            kpi_type=KpiType.STRATEGIC,
            origin=Origin.MANUAL,
        )
        KpiSupport.objects.create(kpi=kpi, project=project)
        KpiResult.objects.create(
            kpi=kpi, quarter=quarters[1], result=Decimal("12.5"), status="approved"
        )
        KpiResult.objects.create(
            kpi=kpi, quarter=quarters[2], result=Decimal("77.25"), status="submitted"
        )
    criterion = EvaluationCriterion.objects.create(code="2.1", name_th="ผลสัมฤทธิ์")
    KpiScore.objects.create(
        kpi=Kpi.objects.get(code="K-1"),
        quarter=quarters[1],
        criterion=criterion,
        score=Decimal(4),
    )
    ProjectEvaluation.objects.create(project=published, quarter=quarters[1], score=Decimal("3.5"))
    refresh_standings()
    return World(personas, published, hidden, other_year, district, approved)
