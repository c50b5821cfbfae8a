"""The texts of a project that search reads, each with where it comes from: read in bulk, the
same way for the index and for the passages a results page shows.

Only official facts: approved reports, problems raised in approved reports. A draft's words
are never indexed, so nobody finds a project through text they may not read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from tidtam.indicators.models import KpiSupport
from tidtam.projects.models import Project, ProjectItem
from tidtam.reporting.models import Problem, ProgressReport


class Source(StrEnum):
    CODE = "code"
    NAME = "name"
    AGENCY = "agency"
    RATIONALE = "rationale"
    OBJECTIVE = "objective"
    TARGET = "target"
    REPORT = "report"
    PROBLEM = "problem"
    KPI = "kpi"


@dataclass(frozen=True)
class Passage:
    source: Source
    text: str
    month: date | None = None  # the report's date, for a report's passages


@dataclass(frozen=True)
class ProjectTexts:
    code: str
    name: str
    others: tuple[Passage, ...]  # in the order a results page prefers them
    fiscal_year: int | None = None

    def passages(self) -> list[Passage]:
        return [
            Passage(Source.CODE, self.code),
            Passage(Source.NAME, self.name),
            *self.others,
        ]


_ITEM_SOURCE: dict[str, Source] = {
    ProjectItem.Kind.OBJECTIVE: Source.OBJECTIVE,
    ProjectItem.Kind.TARGET: Source.TARGET,
}


def collect(project_ids: Collection[int]) -> dict[int, ProjectTexts]:
    """The searchable texts of these projects, in five queries (projects that no longer exist
    are simply absent)."""
    extra: dict[int, list[Passage]] = defaultdict(list)
    projects = (
        Project.objects.filter(pk__in=project_ids)
        .order_by()
        .values_list(
            "pk", "code", "name", "agency__name_th", "agency__name_en", "rationale", "fiscal_year"
        )
    )
    rows = list(projects)
    for pk, _, _, agency_th, agency_en, rationale, _ in rows:
        extra[pk].extend(
            Passage(Source.AGENCY, name) for name in (agency_th, agency_en) if name.strip()
        )
        if rationale.strip():
            extra[pk].append(Passage(Source.RATIONALE, rationale))
    items = (
        ProjectItem.objects.filter(project_id__in=project_ids)
        .order_by("project_id", "kind", "order")
        .values_list("project_id", "kind", "text")
    )
    for pk, kind, text in items:
        if text.strip():
            extra[pk].append(Passage(_ITEM_SOURCE.get(kind, Source.OBJECTIVE), text))
    reports = (
        ProgressReport.objects.official()
        .filter(project_id__in=project_ids)
        .order_by("project_id", "-report_date", "-id")
        .values_list("project_id", "report_date", "narrative", "problems", "obstacles")
    )
    for pk, day, *texts in reports:
        extra[pk].extend(Passage(Source.REPORT, text, day) for text in texts if text.strip())
    problems = (
        Problem.objects.official()
        .filter(project_id__in=project_ids)
        .order_by("project_id", "id")
        .values_list("project_id", "description")
    )
    for pk, text in problems:
        if text.strip():
            extra[pk].append(Passage(Source.PROBLEM, text))
    kpis = (
        KpiSupport.objects.filter(project_id__in=project_ids)
        .order_by("project_id", "order", "kpi_id")
        .values_list("project_id", "kpi__code", "kpi__text", "kpi__definition")
    )
    for pk, code, text, definition in kpis:
        extra[pk].extend(Passage(Source.KPI, t) for t in (code, text, definition) if t.strip())
    return {
        pk: ProjectTexts(code=code, name=name, others=tuple(extra[pk]), fiscal_year=year)
        for pk, code, name, *_, year in rows
    }
