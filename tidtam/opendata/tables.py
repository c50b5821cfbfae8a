"""The tables of a fiscal year's open-data package: what each holds, its columns as a Table
Schema, and its rows, read as an anonymous visitor reads the public pages.

Every row comes through the visibility rules of the pages (`projects_for_user`,
`kpis_for_user`, `ProgressReport.visible_to`, `KpiResult.visible_to`, `Problem.visible_to`,
`Person.phone_visible`) asked for the public, never through filters of the package's own:
published projects, their plan steps, their approved reports and the problems raised in them,
the KPIs they support with their approved quarterly results and the evaluators' scores, and
the stored standings. A contact's phone is given only where the public page shows it; no
officer's name is given (the public pages show none).

Titles and descriptions are in Thai and English at once: the package is the same file for
every reader, whatever their language. Values are written for programs: dates in ISO 8601,
decimals with a point, booleans as true/false, an empty cell for nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import translation

from tidtam.indicators.access import kpis_for_user
from tidtam.indicators.models import (
    Kpi,
    KpiDirection,
    KpiLevel,
    KpiMode,
    KpiResult,
    KpiScore,
    KpiSupport,
    KpiType,
    ProjectEvaluation,
)
from tidtam.lib.people import person_name
from tidtam.orgs.models import Agency, AgencyKind
from tidtam.projects.access import projects_for_user
from tidtam.projects.models import FiscalYear, PlanStep, Project, ProjectContact, ProjectItem
from tidtam.reporting.models import Problem, ProgressReport
from tidtam.standing.models import KpiStanding, ProjectStanding, StandingStatus

# The reader of every table: the public.
PUBLIC = AnonymousUser()
# Rows read per query of a table that reads model instances.
CHUNK = 1000


@dataclass(frozen=True)
class Scope:
    """A fiscal year's records as the public sees them."""

    year: FiscalYear
    projects: QuerySet[Project]
    kpis: QuerySet[Kpi]


def public_scope(fiscal_year: int) -> Scope | None:
    """The year's published projects and the KPIs the public sees; None for an unknown year."""
    year = FiscalYear.objects.filter(year=fiscal_year).first()
    if year is None:
        return None
    return Scope(
        year=year,
        projects=projects_for_user(PUBLIC).filter(fiscal_year=year),
        kpis=kpis_for_user(PUBLIC).filter(fiscal_year=year),
    )


def published_years() -> list[tuple[int, int]]:
    """(fiscal year, published projects) for every year that has any, newest first."""
    return list(
        projects_for_user(PUBLIC)
        .order_by()
        .values_list("fiscal_year_id")
        .annotate(n=Count("pk"))
        .order_by("-fiscal_year_id")
    )


def both(label: Any) -> tuple[str, str]:
    """A translatable label in Thai and in English."""
    with translation.override("th"):
        thai = str(label)
    with translation.override("en"):
        english = str(label)
    return thai, english


def choices_note(choices: Iterable[tuple[str, Any]]) -> str:
    """What each code of a choice means, in Thai and English: "code: ไทย / English; …"."""
    return "; ".join(f"{value}: {' / '.join(both(label))}" for value, label in choices)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, date
    title_th: str
    title_en: str
    required: bool = False
    enum: tuple[str, ...] = ()
    note: str = ""

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "title": f"{self.title_th} / {self.title_en}",
        }
        if self.type == "date":
            out["format"] = "%Y-%m-%d"
        if self.note:
            out["description"] = self.note
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            out["constraints"] = constraints
        return out


def choice(name: str, title_th: str, title_en: str, choices: Any, **extra: Any) -> Column:
    """A column holding the code of a TextChoices, its codes listed with their meaning."""
    return Column(
        name,
        "string",
        title_th,
        title_en,
        enum=tuple(choices.values),
        note=choices_note(choices.choices),
        **extra,
    )


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    resource: str
    to: tuple[str, ...]

    def schema(self) -> dict[str, Any]:
        return {
            "fields": list(self.columns),
            "reference": {"resource": self.resource, "fields": list(self.to)},
        }


@dataclass(frozen=True)
class Table:
    name: str  # lowercase: a CKAN resource name and the CSV file's name
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[Scope], Iterator[Sequence[Any]]]
    foreign_keys: tuple[ForeignKey, ...] = field(default=())

    @property
    def path(self) -> str:
        return f"data/{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    def descriptor(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [column.schema() for column in self.columns],
            "primaryKey": list(self.primary_key),
            "missingValues": [""],
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [key.schema() for key in self.foreign_keys]
        return {
            "name": self.name,
            "path": self.path,
            "profile": "tabular-data-resource",
            "title": f"{self.title_th} / {self.title_en}",
            "description": f"{self.description_th}\n\n{self.description_en}",
            "title_th": self.title_th,
            "title_en": self.title_en,
            "description_th": self.description_th,
            "description_en": self.description_en,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": schema,
        }


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _project_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    projects = (
        scope.projects.select_related("agency", "owning_unit", "reporting_unit")
        .defer("agency_name_source", "source_ref")
        .order_by("code")
    )
    for p in projects.iterator(chunk_size=CHUNK):
        yield (
            p.code,
            p.name,
            p.fiscal_year_id,
            p.agency.code,
            p.owning_unit.code if p.owning_unit else None,
            p.reporting_unit.code if p.reporting_unit else None,
            p.responsible_unit,
            p.rationale,
            p.budget,
            p.progress_unit,
            p.progress_target,
            p.is_sample,
            _site(reverse("project-detail", args=[p.code])),
        )


def _agency_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    used = Q(pk__in=scope.projects.order_by().values("agency_id")) | Q(
        pk__in=scope.kpis.order_by().values("agency_id")
    )
    yield from (
        Agency.objects.filter(used)
        .order_by("code")
        .values_list(
            "code",
            "name_th",
            "name_en",
            "kind",
            "district_group__name_th",
            "district_group__name_en",
        )
    )


def _item_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    yield from (
        ProjectItem.objects.filter(project__in=scope.projects)
        .order_by("project__code", "kind", "order")
        .values_list("project__code", "kind", "order", "label", "text")
        .iterator(chunk_size=CHUNK)
    )


def _contact_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    """The contacts the project page names, numbered in its order; a phone only where the
    public page shows it (the person or the agency publishes it)."""
    contacts = (
        ProjectContact.objects.filter(project__in=scope.projects)
        .select_related("person__agency")
        .annotate(project_code=F("project__code"))
        .order_by("project_code", "order", "pk")
    )
    current, number = "", 0
    for contact in contacts.iterator(chunk_size=CHUNK):
        code = contact.project_code
        number = number + 1 if code == current else 1
        current = code
        person = contact.person
        phone = person.phone if person.phone_visible(insider=False) else ""
        yield (code, number, person_name(person), phone)


def _step_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    yield from (
        PlanStep.objects.filter(project__in=scope.projects)
        .order_by("project__code", "order")
        .values_list("project__code", "order", "text", "weight", "start", "end")
        .iterator(chunk_size=CHUNK)
    )


def _report_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    reports = (
        ProgressReport.objects.visible_to(PUBLIC)
        .official()
        .filter(project__in=scope.projects)
        .order_by("project__code", "report_date")
        .values_list(
            "pk",
            "project__code",
            "report_date",
            "percent",
            "quantity",
            "spent",
            "narrative_date",
            "narrative",
            "problems",
            "obstacles",
        )
    )
    for pk, *values in reports.iterator(chunk_size=CHUNK):
        yield (*values, _site(reverse("report-detail", args=[pk])))


def _problem_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    yield from (
        Problem.objects.visible_to(PUBLIC)
        .filter(project__in=scope.projects)
        .order_by("project__code", "opened_in__report_date", "pk")
        .values_list(
            "pk",
            "project__code",
            "opened_in__report_date",
            "category__name_th",
            "category__name_en",
            "description",
        )
        .iterator(chunk_size=CHUNK)
    )


def _standing_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    yield from (
        ProjectStanding.objects.filter(project__in=scope.projects)
        .order_by("project__code")
        .values_list("project__code", *STANDING_FIGURES)
        .iterator(chunk_size=CHUNK)
    )


def _evaluation_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    yield from (
        ProjectEvaluation.objects.official()
        .filter(project__in=scope.projects)
        .order_by("project__code", "quarter__fiscal_year_id", "quarter__number")
        .values_list("project__code", "quarter__fiscal_year_id", "quarter__number", "score")
        .iterator(chunk_size=CHUNK)
    )


def _kpi_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    for kpi in (
        scope.kpis.select_related("agency", "standing").order_by("code").iterator(chunk_size=CHUNK)
    ):
        try:
            standing: KpiStanding | None = kpi.standing
        except KpiStanding.DoesNotExist:
            standing = None
        yield (
            kpi.code,
            kpi.fiscal_year_id,
            kpi.agency.code,
            kpi.text,
            kpi.unit,
            kpi.target,
            kpi.kpi_type,
            kpi.level,
            kpi.direction,
            kpi.mode,
            kpi.definition,
            kpi.method,
            kpi.data_source,
            standing.achieved if standing else None,
            standing.percent_of_target if standing else None,
            standing.met if standing else None,
            standing.quarters_reported if standing else None,
            kpi.is_sample,
        )


def _support_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    yield from (
        KpiSupport.objects.filter(kpi__in=scope.kpis, project__in=scope.projects)
        .order_by("kpi__code", "project__code")
        .values_list("kpi__code", "project__code", "order")
    )


def _result_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    yield from (
        KpiResult.objects.visible_to(PUBLIC)
        .official()
        .filter(kpi__in=scope.kpis)
        .order_by("kpi__code", "quarter__number")
        .values_list(
            "kpi__code", "quarter__number", "quarter__start", "quarter__end", "result", "narrative"
        )
    )


def _score_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    yield from (
        KpiScore.objects.official()
        .filter(kpi__in=scope.kpis)
        .order_by("kpi__code", "quarter__number", "criterion__order", "criterion__code")
        .values_list("kpi__code", "quarter__number", "criterion__code", "score")
    )


PROJECT = ForeignKey(("project_code",), "projects", ("code",))
KPI = ForeignKey(("kpi_code",), "kpis", ("code",))
# Whether a project or KPI is generated sample data (generate_demo), as its page's badge says.
SAMPLE = Column(
    "sample",
    "boolean",
    "ข้อมูลตัวอย่าง",
    "Sample data",
    required=True,
    note="ข้อมูลสังเคราะห์สำหรับสาธิต / Synthetic data made for demonstration",
)
STANDING_FIGURES = (
    "as_of",
    "status",
    "planned_today",
    "reported_percent",
    "reported_quantity",
    "reported_on",
    "variance",
    "days_late",
    "spi",
    "forecast_finish",
    "plan_end",
    "missing_report",
    "open_problems",
    "flag_count",
    "kpi_count",
    "kpis_met",
    "kpi_achievement",
    "evaluation_score",
    "budget_allocated",
    "budget_released",
    "budget_spent",
    "spent_on",
    "rebaselined",
)


def project_code(required: bool = True) -> Column:
    return Column("project_code", "string", "รหัสโครงการ", "Project code", required=required)


def kpi_code() -> Column:
    return Column("kpi_code", "string", "รหัสตัวชี้วัด", "KPI code", required=True)


TABLES: tuple[Table, ...] = (
    Table(
        "agencies",
        "หน่วยงาน",
        "Agencies",
        "หน่วยงานเจ้าของโครงการและตัวชี้วัดในชุดข้อมูลนี้ ระบุด้วยรหัสงบประมาณ 8 หลัก",
        "The agencies that own the projects and KPIs of this package, by 8-digit budget code.",
        (
            Column("code", "string", "รหัสหน่วยงาน", "Agency code", required=True),
            Column("name_th", "string", "ชื่อหน่วยงาน (ไทย)", "Name (Thai)", required=True),
            Column("name_en", "string", "ชื่อหน่วยงาน (อังกฤษ)", "Name (English)"),
            choice("kind", "ประเภทหน่วยงาน", "Kind of agency", AgencyKind, required=True),
            Column("district_group_th", "string", "กลุ่มเขต (ไทย)", "District group (Thai)"),
            Column("district_group_en", "string", "กลุ่มเขต (อังกฤษ)", "District group (English)"),
        ),
        ("code",),
        _agency_rows,
    ),
    Table(
        "projects",
        "โครงการ",
        "Projects",
        "โครงการตามแผนปฏิบัติราชการประจำปีที่เผยแพร่ต่อสาธารณะ",
        "The published projects of the annual action plan.",
        (
            Column("code", "string", "รหัสโครงการ", "Project code", required=True),
            Column("name", "string", "ชื่อโครงการ", "Project name", required=True),
            Column(
                "fiscal_year",
                "integer",
                "ปีงบประมาณ (พ.ศ.)",
                "Fiscal year (Buddhist Era)",
                required=True,
            ),
            Column("agency_code", "string", "รหัสหน่วยงาน", "Agency code", required=True),
            Column("owning_unit", "string", "รหัสหน่วยงานเจ้าของ", "Owning unit code"),
            Column("reporting_unit", "string", "รหัสหน่วยงานผู้รายงาน", "Reporting unit code"),
            Column("responsible_unit", "string", "หน่วยงานผู้รับผิดชอบ", "Responsible unit"),
            Column("rationale", "string", "หลักการและเหตุผล", "Rationale"),
            Column("budget", "number", "งบประมาณ (บาท)", "Budget (baht)"),
            Column(
                "progress_unit",
                "string",
                "หน่วยนับความก้าวหน้า",
                "Progress unit",
                note="ว่างเมื่อรายงานเป็นร้อยละ / Empty when progress is reported as a percentage",
            ),
            Column("progress_target", "number", "เป้าหมายความก้าวหน้า", "Progress target"),
            SAMPLE,
            Column("url", "string", "หน้าโครงการ", "Project page", required=True),
        ),
        ("code",),
        _project_rows,
        (ForeignKey(("agency_code",), "agencies", ("code",)),),
    ),
    Table(
        "project_items",
        "วัตถุประสงค์และเป้าหมายของโครงการ",
        "Objectives and targets of the projects",
        "วัตถุประสงค์และเป้าหมายของแต่ละโครงการ ตามลำดับ",
        "Each project's objectives and targets, in order.",
        (
            project_code(),
            choice("kind", "ประเภท", "Kind", ProjectItem.Kind, required=True),
            Column("order", "integer", "ลำดับ", "Order", required=True),
            Column("label", "string", "หัวข้อ", "Label"),
            Column("text", "string", "ข้อความ", "Text", required=True),
        ),
        ("project_code", "kind", "order"),
        _item_rows,
        (PROJECT,),
    ),
    Table(
        "contacts",
        "ผู้รับผิดชอบโครงการ",
        "Project contacts",
        "ผู้รับผิดชอบโครงการตามที่หน้าโครงการแสดง หมายเลขโทรศัพท์เฉพาะที่เผยแพร่ต่อสาธารณะ",
        "The people the project page names; a phone number only where it is published.",
        (
            project_code(),
            Column("number", "integer", "ลำดับ", "Number", required=True),
            Column("name", "string", "ชื่อ", "Name", required=True),
            Column("phone", "string", "โทรศัพท์", "Phone"),
        ),
        ("project_code", "number"),
        _contact_rows,
        (PROJECT,),
    ),
    Table(
        "plan_steps",
        "ขั้นตอนตามแผนการดำเนินงาน",
        "Operating-plan steps",
        "ขั้นตอนของแผนการดำเนินงานของแต่ละโครงการ พร้อมน้ำหนักและช่วงเวลา",
        "The steps of each project's operating plan, with their weights and dates.",
        (
            project_code(),
            Column("order", "integer", "ลำดับ", "Order", required=True),
            Column("text", "string", "รายละเอียด", "Description", required=True),
            Column("weight", "number", "น้ำหนัก (ร้อยละ)", "Weight (%)", required=True),
            Column("start", "date", "วันเริ่ม", "Start", required=True),
            Column("end", "date", "วันสิ้นสุด", "End", required=True),
        ),
        ("project_code", "order"),
        _step_rows,
        (PROJECT,),
    ),
    Table(
        "monthly_reports",
        "รายงานความก้าวหน้ารายเดือน",
        "Monthly progress reports",
        "รายงานความก้าวหน้าที่ได้รับอนุมัติแล้ว (ความก้าวหน้าสะสม)",
        "The approved progress reports (cumulative progress).",
        (
            project_code(),
            Column("report_date", "date", "วันที่รายงาน", "Report date", required=True),
            Column("percent", "number", "ความก้าวหน้าสะสม (ร้อยละ)", "Progress (%)", required=True),
            Column("quantity", "number", "ปริมาณสะสม", "Cumulative quantity"),
            Column("spent", "number", "การใช้จ่ายสะสม (บาท)", "Cumulative spending (baht)"),
            Column("narrative_date", "date", "วันที่ของคำบรรยาย", "Narrative date"),
            Column("narrative", "string", "ผลการดำเนินงาน", "Progress narrative"),
            Column(
                "problems",
                "string",
                "ปัญหา",
                "Problems",
                note="ข้อความของรายงานที่นำเข้าจากระบบเดิม; รายงานในระบบใหม่อยู่ในตาราง problems "
                "/ Text of reports imported from the old system; newer reports list theirs in "
                "the problems table",
            ),
            Column("obstacles", "string", "อุปสรรค", "Obstacles"),
            Column("url", "string", "หน้ารายงาน", "Report page", required=True),
        ),
        ("project_code", "report_date"),
        _report_rows,
        (PROJECT,),
    ),
    Table(
        "problems",
        "ปัญหาและอุปสรรค",
        "Problems and obstacles",
        "ปัญหาที่แจ้งในรายงานความก้าวหน้าที่ได้รับอนุมัติ",
        "The problems raised in approved progress reports.",
        (
            Column("id", "integer", "รหัส", "Id", required=True),
            project_code(),
            Column("report_date", "date", "แจ้งในรายงานวันที่", "Raised in the report of"),
            Column("category_th", "string", "ประเภท (ไทย)", "Category (Thai)", required=True),
            Column("category_en", "string", "ประเภท (อังกฤษ)", "Category (English)"),
            Column("description", "string", "รายละเอียด", "Description", required=True),
        ),
        ("id",),
        _problem_rows,
        (
            PROJECT,
            ForeignKey(
                ("project_code", "report_date"), "monthly_reports", ("project_code", "report_date")
            ),
        ),
    ),
    Table(
        "standings",
        "สถานะของโครงการ",
        "Project standings",
        "สถานะของแต่ละโครงการ คำนวณจากข้อมูลที่อนุมัติแล้ว ณ วันที่ในคอลัมน์ as_of",
        "Where each project stands, derived from its approved records, as of the date in as_of.",
        (
            project_code(),
            Column("as_of", "date", "ณ วันที่", "As of", required=True),
            choice("status", "สถานะ", "Status", StandingStatus, required=True),
            Column("planned_today", "number", "แผน ณ วันนั้น (ร้อยละ)", "Planned (%)"),
            Column("reported_percent", "number", "ผลที่รายงาน (ร้อยละ)", "Reported (%)"),
            Column("reported_quantity", "number", "ปริมาณที่รายงาน", "Reported quantity"),
            Column("reported_on", "date", "รายงานล่าสุดวันที่", "Last report date"),
            Column("variance", "number", "ส่วนต่างจากแผน (จุด)", "Variance (points)"),
            Column("days_late", "integer", "ล่าช้า (วัน)", "Days late"),
            Column("spi", "number", "SPI(t)", "SPI(t)"),
            Column("forecast_finish", "date", "คาดว่าจะแล้วเสร็จ", "Forecast finish"),
            Column("plan_end", "date", "แผนสิ้นสุด", "Plan ends"),
            Column("missing_report", "boolean", "ยังไม่รายงานเดือนนี้", "Report missing"),
            Column("open_problems", "integer", "ปัญหาที่ยังไม่แก้", "Open problems"),
            Column("flag_count", "integer", "ข้อขัดแย้ง", "Contradictions"),
            Column("kpi_count", "integer", "จำนวนตัวชี้วัด", "KPIs"),
            Column("kpis_met", "integer", "ตัวชี้วัดที่บรรลุ", "KPIs met"),
            Column("kpi_achievement", "number", "ผลสัมฤทธิ์ตัวชี้วัด (ร้อยละ)", "KPI achievement"),
            Column("evaluation_score", "number", "คะแนนประเมินล่าสุด", "Latest evaluation score"),
            Column("budget_allocated", "number", "งบประมาณที่ได้รับ (บาท)", "Budget allocated"),
            Column("budget_released", "number", "เงินประจำงวด (บาท)", "Budget released (baht)"),
            Column("budget_spent", "number", "ใช้จ่ายแล้ว (บาท)", "Budget spent (baht)"),
            Column("spent_on", "date", "ใช้จ่าย ณ วันที่", "Spent as of"),
            Column("rebaselined", "boolean", "ปรับแผน", "Re-baselined"),
        ),
        ("project_code",),
        _standing_rows,
        (PROJECT,),
    ),
    Table(
        "project_evaluations",
        "ผลการประเมินโครงการรายไตรมาส",
        "Quarterly project evaluations",
        "คะแนนประเมินโครงการรายไตรมาสของสำนักยุทธศาสตร์และประเมินผล",
        "The strategy and evaluation office's quarterly scores of the projects.",
        (
            project_code(),
            Column("fiscal_year", "integer", "ปีงบประมาณ", "Fiscal year", required=True),
            Column("quarter", "integer", "ไตรมาส", "Quarter", required=True),
            Column("score", "number", "คะแนน", "Score", required=True),
        ),
        ("project_code", "fiscal_year", "quarter"),
        _evaluation_rows,
        (PROJECT,),
    ),
    Table(
        "kpis",
        "ตัวชี้วัด",
        "Key performance indicators",
        "ตัวชี้วัดที่โครงการที่เผยแพร่สนับสนุน พร้อมผลสัมฤทธิ์จากผลรายไตรมาสที่อนุมัติแล้ว",
        "The KPIs published projects support, with what their approved quarterly results achieved.",
        (
            Column("code", "string", "รหัสตัวชี้วัด", "KPI code", required=True),
            Column("fiscal_year", "integer", "ปีงบประมาณ", "Fiscal year", required=True),
            Column("agency_code", "string", "รหัสหน่วยงาน", "Agency code", required=True),
            Column("text", "string", "ตัวชี้วัด", "Indicator", required=True),
            Column("unit", "string", "หน่วยนับ", "Unit"),
            Column("target", "number", "ค่าเป้าหมาย", "Target"),
            choice("kpi_type", "ประเภท", "Type", KpiType, required=True),
            choice("level", "ระดับ", "Level", KpiLevel),
            choice("direction", "ทิศทาง", "Direction", KpiDirection, required=True),
            choice("mode", "การรวมผลรายไตรมาส", "Quarterly results", KpiMode, required=True),
            Column("definition", "string", "นิยาม", "Definition"),
            Column("method", "string", "วิธีคำนวณ", "Calculation method"),
            Column("data_source", "string", "แหล่งข้อมูล", "Data source"),
            Column("achieved", "number", "ผลที่ได้", "Achieved"),
            Column("percent_of_target", "number", "ร้อยละของเป้าหมาย", "Percent of target"),
            Column("met", "boolean", "บรรลุเป้าหมาย", "Target met"),
            Column("quarters_reported", "integer", "ไตรมาสที่รายงาน", "Quarters reported"),
            SAMPLE,
        ),
        ("code",),
        _kpi_rows,
        (ForeignKey(("agency_code",), "agencies", ("code",)),),
    ),
    Table(
        "kpi_projects",
        "โครงการที่สนับสนุนตัวชี้วัด",
        "Projects supporting each KPI",
        "ความเชื่อมโยงระหว่างตัวชี้วัดกับโครงการที่สนับสนุน",
        "Which project supports which KPI.",
        (
            kpi_code(),
            project_code(),
            Column("order", "integer", "ลำดับ", "Order", required=True),
        ),
        ("kpi_code", "project_code"),
        _support_rows,
        (KPI, PROJECT),
    ),
    Table(
        "kpi_results",
        "ผลตัวชี้วัดรายไตรมาส",
        "Quarterly KPI results",
        "ผลรายไตรมาสของตัวชี้วัดที่ได้รับอนุมัติแล้ว",
        "The approved quarterly results of the KPIs.",
        (
            kpi_code(),
            Column("quarter", "integer", "ไตรมาส", "Quarter", required=True),
            Column("quarter_start", "date", "วันเริ่มไตรมาส", "Quarter start", required=True),
            Column("quarter_end", "date", "วันสิ้นไตรมาส", "Quarter end", required=True),
            Column("result", "number", "ผล", "Result"),
            Column("narrative", "string", "รายงานผล", "Report"),
        ),
        ("kpi_code", "quarter"),
        _result_rows,
        (KPI,),
    ),
    Table(
        "kpi_scores",
        "คะแนนประเมินตัวชี้วัด",
        "KPI scores",
        "คะแนนที่ผู้ประเมินให้ตัวชี้วัดในแต่ละไตรมาส ตามเกณฑ์การประเมิน",
        "The evaluators' scores of the KPIs in each quarter, by evaluation criterion.",
        (
            kpi_code(),
            Column("quarter", "integer", "ไตรมาส", "Quarter", required=True),
            Column("criterion", "string", "เกณฑ์", "Criterion", required=True),
            Column("score", "number", "คะแนน", "Score", required=True),
        ),
        ("kpi_code", "quarter", "criterion"),
        _score_rows,
        (KPI,),
    ),
)
