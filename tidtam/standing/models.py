"""Where every project and KPI stands, derived from official facts only and stored.

A standing is never edited: `refresh.refresh_standings` writes it, in the transaction of the
action that changed the facts, and once a day for the passage of time. Every list reads it,
so no page recomputes a schedule per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tidtam.indicators.models import Kpi
from tidtam.projects.models import Project
from tidtam.projects.schedule import Assessment, Status
from tidtam.standing.flags import KINDS, Flag, flag_from_json


class StandingStatus(models.TextChoices):
    NOT_STARTED = Status.NOT_STARTED, _("Not started")
    ON_TRACK = Status.ON_TRACK, _("On track")
    BEHIND = Status.BEHIND, _("Behind plan")
    CRITICAL = Status.CRITICAL, _("Critical")
    COMPLETED = Status.COMPLETED, _("Completed")
    NOT_REPORTED = Status.NOT_REPORTED, _("Not reported this month")


@dataclass(frozen=True)
class EvaluationRow:
    fiscal_year: int
    quarter: int
    score: Decimal


class ProjectStandingQuerySet(models.QuerySet["ProjectStanding"]):
    def due_for_refresh(self, today: date) -> ProjectStandingQuerySet:
        """Standings the calendar may have changed since they were computed."""
        return self.filter(next_refresh__lte=today)


class ProjectStanding(models.Model):
    project = models.OneToOneField(
        Project, primary_key=True, on_delete=models.CASCADE, related_name="standing"
    )
    # The day the standing was computed for, and the next day on which the calendar alone can
    # change it (None once nothing but new facts can: a finished project of a closed year).
    as_of = models.DateField(_("as of"))
    next_refresh = models.DateField(null=True, blank=True)
    # The project's fiscal year again: counts of one year read this table's index instead of
    # joining its wide rows to every project's.
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    status = models.CharField(_("status"), max_length=20, choices=StandingStatus.choices)
    planned_today = models.DecimalField(_("planned today (%)"), max_digits=5, decimal_places=2)
    # Planned progress on the date of the latest approved report, and that report's figures.
    planned_then = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    reported_percent = models.DecimalField(
        _("reported (%)"), max_digits=5, decimal_places=2, null=True
    )
    # The latest approved report's quantity, for a project measured as a quantity.
    reported_quantity = models.DecimalField(
        _("reported quantity"), max_digits=15, decimal_places=2, null=True
    )
    reported_on = models.DateField(_("reported on"), null=True)
    variance = models.DecimalField(
        _("variance (points)"), max_digits=6, decimal_places=2, null=True
    )
    earned_on = models.DateField(null=True)
    days_late = models.IntegerField(_("days late"), null=True)
    spi = models.DecimalField(_("SPI(t)"), max_digits=10, decimal_places=2, null=True)
    forecast_finish = models.DateField(_("forecast finish"), null=True)
    plan_end = models.DateField(_("plan ends"), null=True)
    # This month's report is owed and not yet submitted (the compliance page's rule).
    missing_report = models.BooleanField(_("missing this month's report"), default=False)
    flag_count = models.PositiveSmallIntegerField(_("contradictions"), default=0)
    kpi_count = models.PositiveSmallIntegerField(_("KPIs"), default=0)
    kpis_met = models.PositiveSmallIntegerField(_("KPIs met"), default=0)
    # The mean of the supported KPIs' achieved/target ratios, in percent.
    # Wide: a KPI reported in the wrong unit can achieve millions of times its target.
    kpi_achievement = models.DecimalField(
        _("KPI achievement (%)"), max_digits=24, decimal_places=2, null=True
    )
    evaluation_score = models.DecimalField(max_digits=7, decimal_places=4, null=True)
    budget_allocated = models.DecimalField(max_digits=15, decimal_places=2, null=True)
    budget_released = models.DecimalField(max_digits=15, decimal_places=2, default=Decimal(0))
    budget_spent = models.DecimalField(max_digits=15, decimal_places=2, null=True)
    spent_on = models.DateField(null=True)
    open_problems = models.PositiveIntegerField(_("open problems"), default=0)
    # The plan was changed after a report was approved against it (PlanBaseline rows).
    rebaselined = models.BooleanField(default=False)
    # The flags again, as the project page reads them in the standing's own row; the
    # StandingFlag rows are for counting and listing by kind.
    flags = models.JSONField(default=list)
    # The official series the project page draws and lists, kept with the figures derived
    # from them: approved reports [[date, percent], …] oldest first (with the quantity third,
    # [date, percent, quantity], for a project measured as a quantity), and recorded quarterly
    # evaluations [[fiscal year, quarter, score], …] newest first.
    reported_points = models.JSONField(default=list)
    evaluations = models.JSONField(default=list)

    objects = ProjectStandingQuerySet.as_manager()

    class Meta:
        verbose_name = _("project standing")
        verbose_name_plural = _("project standings")
        indexes = [
            models.Index(fields=["fiscal_year", "status"], name="standing_year_status"),
            models.Index(fields=["fiscal_year", "flag_count"], name="standing_year_flags"),
            models.Index(fields=["next_refresh"]),
            # The project list sorted by a figure over every year walks these (see
            # dashboards.filters.ByFigure): a sort of 120,000 rows per page otherwise.
            models.Index(fields=["reported_percent", "project"], name="standing_by_progress"),
            models.Index(fields=["variance", "project"], name="standing_by_variance"),
            models.Index(fields=["days_late", "project"], name="standing_by_days_late"),
            models.Index(fields=["budget_allocated", "project"], name="standing_by_budget"),
            # Every figure the dashboard adds up, by year and project: its sums over a year's
            # projects read this index, one year's part of it, not the wide rows with their
            # series nor every year's standings (see dashboards.portfolio).
            models.Index(
                fields=[
                    "fiscal_year",
                    "project",
                    "status",
                    "reported_percent",
                    "missing_report",
                    "kpi_achievement",
                    "budget_allocated",
                    "budget_released",
                    "budget_spent",
                    "forecast_finish",
                    "open_problems",
                ],
                name="standing_dashboard_figures",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_today__gte=0, planned_today__lte=100),
                name="standing_planned_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.status} {self.as_of}"

    @property
    def assessment(self) -> Assessment:
        """The schedule assessment the standing was derived from, for its explanation."""
        return Assessment(
            status=self.status,
            as_of=self.as_of,
            planned=self.planned_then if self.planned_then is not None else self.planned_today,
            actual=self.reported_percent,
            reported_on=self.reported_on,
            variance=self.variance,
            earned_on=self.earned_on,
            days_late=self.days_late,
            spi=self.spi,
            forecast_finish=self.forecast_finish,
        )

    @property
    def points(self) -> list[tuple[date, Decimal]]:
        return [(date.fromisoformat(point[0]), Decimal(point[1])) for point in self.reported_points]

    @property
    def quantities(self) -> dict[date, Decimal]:
        """The quantity each approved report gave, for a project measured as a quantity."""
        return {
            date.fromisoformat(point[0]): Decimal(point[2])
            for point in self.reported_points
            if len(point) > 2
        }

    @property
    def evaluation_rows(self) -> list[EvaluationRow]:
        return [
            EvaluationRow(year, quarter, Decimal(score))
            for year, quarter, score in self.evaluations
        ]

    @property
    def flag_list(self) -> list[Flag]:
        return [flag_from_json(f["kind"], f["details"]) for f in self.flags]

    @property
    def budget_spent_percent(self) -> Decimal | None:
        if not self.budget_allocated or self.budget_spent is None:
            return None
        return self.budget_spent * 100 / self.budget_allocated


class StandingFlag(models.Model):
    """One contradiction on a project's record, as of its standing."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="standing_flags")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=30, choices=[(k, k) for k in KINDS])
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["project", "order"]
        indexes = [models.Index(fields=["kind", "project"])]

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind}"

    @property
    def flag(self) -> Flag:
        return flag_from_json(self.kind, self.details)


class KpiStanding(models.Model):
    """What a KPI achieved from its approved results, against its target."""

    kpi = models.OneToOneField(
        Kpi, primary_key=True, on_delete=models.CASCADE, related_name="standing"
    )
    as_of = models.DateField(_("as of"))
    achieved = models.DecimalField(_("achieved"), max_digits=15, decimal_places=4, null=True)
    ratio = models.DecimalField(max_digits=24, decimal_places=4, null=True)
    met = models.BooleanField(null=True)
    quarters_reported = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("KPI standing")
        verbose_name_plural = _("KPI standings")

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.achieved}"

    @property
    def percent_of_target(self) -> Decimal | None:
        return self.ratio * 100 if self.ratio is not None else None
