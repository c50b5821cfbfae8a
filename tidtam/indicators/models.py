"""KPIs, their quarterly results, evaluation criteria and the evaluator's scores."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tidtam.accounts.access import access_for
from tidtam.audit import authorship
from tidtam.indicators.achievement import Direction, Mode
from tidtam.lib import limits
from tidtam.lib.language import current_language, named
from tidtam.lib.limits import bounded_text, length_check
from tidtam.lib.thai import format_date
from tidtam.orgs.models import Agency, Origin
from tidtam.projects.models import FiscalYear, Project, Quarter
from tidtam.reporting.review import EDITABLE, ReviewQuerySet, ReviewStatus


class EvaluationCriterion(models.Model):
    """A named criterion under which KPIs are scored each quarter (the seeds use 2.1 and 2.2)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

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


class KpiDirection(models.TextChoices):
    HIGHER = Direction.HIGHER, _("higher is better")
    LOWER = Direction.LOWER, _("lower is better")


class KpiMode(models.TextChoices):
    CUMULATIVE = Mode.CUMULATIVE, _("cumulative from 1 October (achieved = latest quarter)")
    SUM = Mode.SUM, _("per quarter, added up (achieved = sum of quarters)")
    AVERAGE = Mode.AVERAGE, _("per quarter, a rate (achieved = average of quarters)")


class KpiQuerySet(models.QuerySet["Kpi"]):
    def visible_to(self, user: object) -> KpiQuerySet:
        """Readers across the city see every KPI; the staff of an agency see its KPIs and those
        their projects support; everyone else sees a KPI once it supports a published project.

        A KPI no published project supports yet is the agency's work in progress, like an
        unpublished project: it stays hidden from other agencies and the public.
        """
        access = access_for(user)
        if access.reads_all:
            return self
        supports = KpiSupport.objects.filter(kpi=OuterRef("pk"))
        shown = Q(Exists(supports.filter(project__published=True)))
        if access.agencies:
            shown |= Q(agency_id__in=access.agencies) | Q(
                Exists(supports.filter(project__agency_id__in=access.agencies))
            )
        return self.filter(shown)

    def for_list(self) -> KpiQuerySet:
        return self.select_related("agency").order_by("-fiscal_year_id", "code")

    def unscored_in(self, quarter: Quarter) -> KpiQuerySet:
        """The KPIs of the quarter's fiscal year that no evaluator has scored for it yet."""
        scored = KpiScore.objects.filter(kpi=OuterRef("pk"), quarter=quarter)
        return self.filter(fiscal_year_id=quarter.fiscal_year_id).filter(~Exists(scored))

    def search(self, text: str) -> KpiQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(code__icontains=text) | Q(text__icontains=text))


class Kpi(models.Model):
    code = models.CharField(_("KPI code"), max_length=30)
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("fiscal year"), on_delete=models.PROTECT, related_name="kpis"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="kpis"
    )
    text = bounded_text(_("indicator"), limits.LINE)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    target = models.DecimalField(_("target"), max_digits=15, decimal_places=4, null=True)
    achieved = models.DecimalField(_("achieved"), max_digits=15, decimal_places=4, null=True)
    kpi_type = models.CharField(_("type"), max_length=20, choices=KpiType.choices)
    level = models.CharField(_("level"), max_length=20, choices=KpiLevel.choices, blank=True)
    definition = bounded_text(_("definition"), limits.PARAGRAPH, blank=True)
    method = bounded_text(_("calculation method"), limits.PARAGRAPH, blank=True)
    data_source = bounded_text(_("data source"), limits.PARAGRAPH, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=KpiDirection.choices, default=KpiDirection.HIGHER
    )
    mode = models.CharField(
        _("quarterly results"),
        max_length=20,
        choices=KpiMode.choices,
        default=KpiMode.CUMULATIVE,
        help_text=_("How the quarterly results add up to the year's achievement."),
    )
    projects: models.ManyToManyField[Project, KpiSupport] = models.ManyToManyField(
        Project, related_name="kpis", through="KpiSupport"
    )
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    # Optimistic locking of the KPI form, as for projects.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    objects = KpiQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            length_check("text", limits.LINE, "kpi_text_length"),
            length_check("definition", limits.PARAGRAPH, "kpi_definition_length"),
            length_check("method", limits.PARAGRAPH, "kpi_method_length"),
            length_check("data_source", limits.PARAGRAPH, "kpi_data_source_length"),
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="kpi_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def is_sample(self) -> bool:
        """Synthetic data made by generate_demo, badged wherever the KPI appears."""
        return self.origin == Origin.SAMPLE


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


# The same review cycle as monthly reports (tidtam/reporting/review.py): an officer
# submits, an approver decides.
ResultStatus = ReviewStatus
EDITABLE_RESULTS = EDITABLE


class KpiResultQuerySet(ReviewQuerySet["KpiResult"]):
    agency_field = "kpi__agency_id"

    def _entered_by(self, pk: int) -> Q:
        """A result the user submitted, or entered or changed while it was being entered (any
        change in its history but a reviewer's decision)."""
        return Q(submitted_by_id=pk) | Q(authorship.entered(KpiResult, pk))

    def visible_to(self, user: object) -> KpiResultQuerySet:
        """Approved results for everyone; the entries on their way too for the KPI agency's
        staff and the readers across the city."""
        access = access_for(user)
        if access.reads_all:
            return self
        approved = Q(status=ResultStatus.APPROVED)
        if access.agencies:
            return self.filter(approved | Q(kpi__agency_id__in=access.agencies))
        return self.filter(approved)

    def for_list(self) -> KpiResultQuerySet:
        return self.select_related("kpi__agency", "quarter", "submitted_by")

    def to_complete_by(self, user: object) -> KpiResultQuerySet:
        """Drafts and returned results of the agencies the user reports for, returned first."""
        return self.filter(
            status__in=EDITABLE_RESULTS, kpi__agency_id__in=access_for(user).officer_of
        ).order_by("-status", "-quarter__fiscal_year_id", "-quarter__number", "kpi__code")


class KpiScoreQuerySet(models.QuerySet["KpiScore"]):
    def official(self) -> KpiScoreQuerySet:
        """Scores are recorded by evaluators directly: every recorded score counts."""
        return self.all()


class ProjectEvaluationQuerySet(models.QuerySet["ProjectEvaluation"]):
    def official(self) -> ProjectEvaluationQuerySet:
        """Evaluations with a recorded score (a legacy quarter may carry none)."""
        return self.filter(score__isnull=False)


class KpiResult(models.Model):
    kpi = models.ForeignKey(
        Kpi, on_delete=models.CASCADE, related_name="results", verbose_name=_("KPI")
    )
    quarter = models.ForeignKey(
        Quarter, verbose_name=_("quarter"), on_delete=models.PROTECT, related_name="kpi_results"
    )
    result = models.DecimalField(_("result"), max_digits=15, decimal_places=4, null=True)
    narrative = bounded_text(_("report"), limits.NARRATIVE, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ResultStatus.choices, default=ResultStatus.DRAFT
    )
    review_comment = bounded_text(_("review comment"), limits.PARAGRAPH, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # Optimistic locking, as for monthly reports: every change adds one.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    objects = KpiResultQuerySet.as_manager()

    class Meta:
        ordering = ["kpi", "quarter__number"]
        verbose_name = _("KPI result")
        verbose_name_plural = _("KPI results")
        constraints = [
            length_check("narrative", limits.NARRATIVE, "kpi_result_narrative_length"),
            length_check("review_comment", limits.PARAGRAPH, "kpi_result_review_comment_length"),
            models.UniqueConstraint(fields=["kpi", "quarter"], name="kpiresult_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="kpiresult_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.quarter}: {self.result}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_RESULTS


class KpiScore(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="scores")
    quarter = models.ForeignKey(
        Quarter, verbose_name=_("quarter"), on_delete=models.PROTECT, related_name="kpi_scores"
    )
    criterion = models.ForeignKey(
        EvaluationCriterion, verbose_name=_("evaluation criterion"), on_delete=models.PROTECT
    )
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    history = HistoricalRecords()

    objects = KpiScoreQuerySet.as_manager()

    class Meta:
        ordering = ["kpi", "quarter__number", "criterion__order"]
        verbose_name = _("KPI score")
        verbose_name_plural = _("KPI scores")
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

    objects = ProjectEvaluationQuerySet.as_manager()

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


def unscored_projects(projects: QuerySet[Project], quarter: Quarter) -> QuerySet[Project]:
    """The projects of the quarter's fiscal year without a recorded evaluation for it."""
    scored = ProjectEvaluation.objects.official().filter(project=OuterRef("pk"), quarter=quarter)
    return projects.filter(fiscal_year_id=quarter.fiscal_year_id).filter(~Exists(scored))


class RatingLevel(models.Model):
    """One level of the scale evaluators score on, with what it means (set by the
    administrator)."""

    value = models.DecimalField(_("score"), max_digits=7, decimal_places=2, unique=True)
    label_th = models.CharField(_("label (Thai)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)
    meaning = bounded_text(_("meaning"), limits.PARAGRAPH, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["value"]
        verbose_name = _("rating level")
        verbose_name_plural = _("rating levels")
        constraints = [
            length_check("meaning", limits.PARAGRAPH, "rating_meaning_length"),
            models.CheckConstraint(condition=Q(value__gte=0), name="rating_value_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.value.normalize():f} {self.label_th}"

    def label(self, lang: str) -> str:
        return named(self.label_th, self.label_en, lang)


class QuarterClosure(models.Model):
    """The record of an evaluator closing a quarter: its entries are locked from then on."""

    quarter = models.OneToOneField(
        Quarter, verbose_name=_("quarter"), on_delete=models.CASCADE, related_name="closure"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quarter closure")
        verbose_name_plural = _("quarter closures")

    def __str__(self) -> str:
        day = timezone.localtime(self.closed_at).date()
        return f"{self.quarter} {format_date(day, lang=current_language())}"


class FlagSettings(models.Model):
    """The administrator's thresholds for contradiction flags (one row)."""

    high_score = models.DecimalField(
        _("high evaluation score (at or above)"),
        max_digits=7,
        decimal_places=2,
        default=Decimal(80),
    )
    full_score = models.DecimalField(
        _("full evaluation score"), max_digits=7, decimal_places=2, default=Decimal(100)
    )
    overshoot_factor = models.DecimalField(
        _("result above target by more than (times)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(2),
        help_text=_(
            "A result larger than the target times this factor is most likely in the wrong unit."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contradiction flag thresholds")
        verbose_name_plural = _("contradiction flag thresholds")
        constraints = [
            models.CheckConstraint(
                condition=Q(high_score__gt=0, full_score__gte=models.F("high_score"))
                & Q(overshoot_factor__gt=1),
                name="flag_thresholds_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.high_score} / {self.full_score} / ×{self.overshoot_factor}"

    @classmethod
    def current(cls) -> FlagSettings:
        """The administrator's row, or the defaults while there is none."""
        return cls.objects.order_by("pk").first() or cls()
