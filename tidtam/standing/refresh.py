"""Writing standings: after every action that changes official facts (in its transaction)
and once a day for the passage of time (`manage.py refresh_standings`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from tidtam.audit.published import published_data_changed
from tidtam.indicators.models import FlagSettings, Kpi, KpiSupport
from tidtam.lib.fiscal import fiscal_year_of
from tidtam.projects.models import Project, ScheduleSettings
from tidtam.standing.compute import StandingValues, compute, kpi_values
from tidtam.standing.facts import CHUNK, KpiRecord, load_kpis, load_official_facts
from tidtam.standing.flags import FlagThresholds, flag_to_json
from tidtam.standing.models import KpiStanding, ProjectStanding, StandingFlag

PROJECT_FIELDS = [f.name for f in ProjectStanding._meta.concrete_fields if not f.primary_key]
KPI_FIELDS = [f.name for f in KpiStanding._meta.concrete_fields if not f.primary_key]


def flag_thresholds() -> FlagThresholds:
    row = FlagSettings.current()
    return FlagThresholds(
        high_score=row.high_score,
        full_score=row.full_score,
        overshoot_factor=row.overshoot_factor,
    )


def standing_row(project_id: int, values: StandingValues) -> ProjectStanding:
    a = values.assessment
    reported = a.reported_on is not None
    return ProjectStanding(
        project_id=project_id,
        fiscal_year=values.fiscal_year,
        as_of=values.as_of,
        next_refresh=values.next_refresh,
        status=a.status,
        planned_today=values.planned_today,
        planned_then=a.planned if reported else None,
        reported_percent=a.actual,
        reported_quantity=values.reported_quantity,
        reported_on=a.reported_on,
        variance=a.variance,
        earned_on=a.earned_on,
        days_late=a.days_late,
        spi=a.spi,
        forecast_finish=a.forecast_finish,
        plan_end=values.plan_end,
        missing_report=values.missing_report,
        flag_count=len(values.flags),
        kpi_count=values.kpi_count,
        kpis_met=values.kpis_met,
        kpi_achievement=values.kpi_achievement,
        evaluation_score=values.evaluation_score,
        budget_allocated=values.budget_allocated,
        budget_released=values.budget_released,
        budget_spent=values.budget_spent,
        spent_on=values.spent_on,
        open_problems=values.open_problems,
        rebaselined=values.rebaselined,
        flags=[{"kind": flag.kind, "details": flag_to_json(flag)} for flag in values.flags],
        reported_points=[
            [day.isoformat(), str(percent)]
            + ([str(values.quantities[day])] if day in values.quantities else [])
            for day, percent in values.reports
        ],
        evaluations=[[year, quarter, str(score)] for year, quarter, score in values.evaluations],
    )


def kpi_row(kpi: KpiRecord, today: date) -> KpiStanding:
    values = kpi_values(kpi)
    return KpiStanding(
        kpi_id=kpi.pk,
        as_of=today,
        achieved=values.achieved,
        ratio=values.ratio,
        met=values.met,
        quarters_reported=values.quarters_reported,
    )


def _write_kpis(kpis: Iterable[KpiRecord], today: date) -> None:
    rows = [kpi_row(kpi, today) for kpi in kpis]
    KpiStanding.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["kpi"], update_fields=KPI_FIELDS
    )


@transaction.atomic
def refresh_projects(project_ids: Collection[int], today: date | None = None) -> int:
    """Recompute and store the standing of these projects and of the KPIs they support.
    Ids of projects that no longer exist are passed over. Returns how many were written."""
    today = today or timezone.localdate()
    published_data_changed()
    schedule = ScheduleSettings.current()
    thresholds = flag_thresholds()
    written = 0
    ids = sorted(set(project_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        # Two transactions changing one project's facts at once must not leave the standing
        # computed by the one that could not see the other's change: the second waits here
        # for the first to commit, then reads its facts (PostgreSQL reads each statement
        # afresh; SQLite runs one writing transaction at a time anyway). In key order, so
        # that two refreshes never wait on each other.
        list(Project.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values("pk"))
        facts = load_official_facts(chunk, today)
        standings: list[ProjectStanding] = []
        flags: list[StandingFlag] = []
        kpis: dict[int, KpiRecord] = {}
        for project_id, project_facts in facts.items():
            values = compute(
                project_facts, today=today, schedule=schedule, flag_thresholds=thresholds
            )
            standings.append(standing_row(project_id, values))
            flags.extend(
                StandingFlag(
                    project_id=project_id, order=n, kind=flag.kind, details=flag_to_json(flag)
                )
                for n, flag in enumerate(values.flags)
            )
            kpis.update((kpi.pk, kpi) for kpi in project_facts.kpis)
        StandingFlag.objects.filter(project_id__in=list(facts)).delete()
        ProjectStanding.objects.bulk_create(
            standings,
            update_conflicts=True,
            unique_fields=["project"],
            update_fields=PROJECT_FIELDS,
        )
        StandingFlag.objects.bulk_create(flags, batch_size=1000)
        _write_kpis(kpis.values(), today)
        written += len(standings)
    return written


@transaction.atomic
def refresh_kpis(kpi_ids: Collection[int], today: date | None = None) -> None:
    """Recompute the standing of these KPIs alone (one no project supports yet, say)."""
    today = today or timezone.localdate()
    published_data_changed()
    _write_kpis(load_kpis(kpi_ids).values(), today)


def refresh_changed(project_ids: set[int], kpi_ids: set[int]) -> None:
    """The actions' refresher: the projects named, the KPIs named, and every project that
    supports one of those KPIs (its flags and achievement read the KPI)."""
    if kpi_ids:
        supports = list(
            KpiSupport.objects.filter(kpi_id__in=kpi_ids).values_list("project_id", "kpi_id")
        )
        project_ids = project_ids | {project_id for project_id, _ in supports}
        # A KPI some project supports is refreshed with that project; the others alone.
        alone = kpi_ids - {kpi_id for _, kpi_id in supports}
        if alone:
            refresh_kpis(alone)
    if project_ids:
        refresh_projects(project_ids)


def refresh_standings(
    *,
    fiscal_years: Iterable[int] | None = None,
    due_only: bool = False,
    today: date | None = None,
) -> int:
    """Refresh every project's standing (of these fiscal years; only those the calendar may
    have changed, with `due_only`) and every KPI's. Returns the projects written."""
    today = today or timezone.localdate()
    projects = Project.objects.all()
    if fiscal_years is not None:
        projects = projects.filter(fiscal_year_id__in=list(fiscal_years))
    if due_only:
        stale = ProjectStanding.objects.due_for_refresh(today).values("project_id")
        # A project without a standing yet is due as well.
        projects = projects.filter(pk__in=stale) | projects.filter(standing__isnull=True)
    ids = list(projects.order_by("pk").values_list("pk", flat=True))
    written = 0
    # A transaction per round keeps a refresh of many years from holding one write lock long.
    for start in range(0, len(ids), CHUNK):
        written += refresh_projects(ids[start : start + CHUNK], today)
    kpis = Kpi.objects.filter(standing__isnull=True)
    if fiscal_years is not None:
        kpis = kpis.filter(fiscal_year_id__in=list(fiscal_years))
    refresh_kpis(list(kpis.values_list("pk", flat=True)), today)
    return written


@transaction.atomic
def apply_new_thresholds(today: date | None = None) -> int:
    """After the administrator changes a threshold: every standing is due again, and those of
    the current fiscal year are refreshed at once. Returns how many were refreshed."""
    today = today or timezone.localdate()
    ProjectStanding.objects.update(next_refresh=today)
    return refresh_standings(fiscal_years=[fiscal_year_of(today)], today=today)
