"""KPIs, their quarterly results, evaluation criteria and the evaluator's scores."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tidtam.orgs.models import Agency, Origin
from tidtam.projects.models import FiscalYear, Project, Quarter


class EvaluationCriterion(models.Model):
    """A named criterion under which KPIs are scored each quarter (the seeds use 2.1 and 2.2)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")

    def __str__(self) -> str:
        return self.code


class KpiType(models.TextChoices):
    STRATEGIC = "strategic", _("strategic indicator")
    ROUTINE = "routine", _("routine-work indicator")


class KpiLevel(models.TextChoices):
    OUTCOME = "outcome", _("outcome")
    OUTPUT = "output", _("output")


class Kpi(models.Model):
    code = models.CharField(_("KPI code"), max_length=30)
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("fiscal year"), on_delete=models.PROTECT, related_name="kpis"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="kpis"
    )
    text = models.TextField(_("indicator"))
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    target = models.DecimalField(_("target"), max_digits=15, decimal_places=4, null=True)
    achieved = models.DecimalField(_("achieved"), max_digits=15, decimal_places=4, null=True)
    kpi_type = models.CharField(_("type"), max_length=20, choices=KpiType.choices)
    level = models.CharField(_("level"), max_length=20, choices=KpiLevel.choices, blank=True)
    projects: models.ManyToManyField[Project, KpiSupport] = models.ManyToManyField(
        Project, related_name="kpis", through="KpiSupport"
    )
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="kpi_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class KpiSupport(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="supports")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="kpi_supports")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "order"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "project"], name="kpisupport_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi_id} ← {self.project_id}"


class KpiResult(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="results")
    quarter = models.ForeignKey(Quarter, on_delete=models.PROTECT, related_name="kpi_results")
    result = models.DecimalField(_("result"), max_digits=15, decimal_places=4, null=True)
    narrative = models.TextField(_("report"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi", "quarter__number"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "quarter"], name="kpiresult_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.quarter}: {self.result}"


class KpiScore(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="scores")
    quarter = models.ForeignKey(Quarter, on_delete=models.PROTECT, related_name="kpi_scores")
    criterion = models.ForeignKey(EvaluationCriterion, on_delete=models.PROTECT)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi", "quarter__number", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "quarter", "criterion"], name="kpiscore_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.quarter} {self.criterion_id}: {self.score}"


class ProjectEvaluation(models.Model):
    """The strategy and evaluation office's score of a project for a quarter."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="evaluations")
    quarter = models.ForeignKey(Quarter, on_delete=models.PROTECT, related_name="evaluations")
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=4, null=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "-quarter__fiscal_year", "-quarter__number"]
        verbose_name = _("quarterly project evaluation")
        verbose_name_plural = _("quarterly project evaluations")
        constraints = [
            models.UniqueConstraint(fields=["project", "quarter"], name="evaluation_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0), name="evaluation_score_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.quarter}: {self.score}"
