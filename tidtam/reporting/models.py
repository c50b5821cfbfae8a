"""Monthly progress reports and their review, problems tracked across reports, attachments,
and the reporting calendar."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    Subquery,
)
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tidtam.accounts.access import access_for
from tidtam.audit import authorship
from tidtam.lib import limits
from tidtam.lib.fiscal import EARLIEST, LATEST
from tidtam.lib.forms import validate_recorded_date
from tidtam.lib.language import current_language
from tidtam.lib.limits import bounded_text, length_check
from tidtam.lib.thai import format_date
from tidtam.orgs.models import Origin
from tidtam.projects.models import PERCENT, Project
from tidtam.reporting.review import EDITABLE, ReviewQuerySet, ReviewStatus

# The review cycle's states, the same for KPI results (tidtam/reporting/review.py).
ReportStatus = ReviewStatus
# A month counts as reported once its report has gone to the approver.
REPORTED = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


class ProgressReportQuerySet(ReviewQuerySet["ProgressReport"]):
    agency_field = "project__agency_id"

    def _entered_by(self, pk: int) -> Q:
        """A report the user created, submitted or changed while it was being entered (any
        change in its history but a reviewer's decision), or whose files they added or
        removed."""
        return (
            Q(created_by_id=pk)
            | Q(submitted_by_id=pk)
            | Q(authorship.entered(ProgressReport, pk))
            | Q(authorship.dependants_by(ReportAttachment, pk, "report"))
        )

    def newest_first(self) -> ProgressReportQuerySet:
        return self.order_by("-report_date", "-id")

    def visible_to(self, user: object) -> ProgressReportQuerySet:
        """Approved reports of published projects, and every report of the user's own
        agencies (all for readers across the city)."""
        access = access_for(user)
        if access.reads_all:
            return self
        public = Q(status=ReportStatus.APPROVED, project__published=True)
        if access.agencies:
            return self.filter(public | Q(project__agency_id__in=access.agencies))
        return self.filter(public)

    def in_month(self, day: date) -> ProgressReportQuerySet:
        return self.filter(report_date__gte=month_start(day), report_date__lt=next_month(day))

    def for_list(self) -> ProgressReportQuerySet:
        return self.select_related("project__agency", "submitted_by", "created_by")

    def to_complete_by(self, user: object) -> ProgressReportQuerySet:
        """Drafts and returned reports of the agencies the user reports for."""
        return self.filter(
            status__in=EDITABLE, project__agency_id__in=access_for(user).officer_of
        ).order_by("-status", "-report_date", "id")


class ProgressReport(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="reports"
    )
    report_date = models.DateField(_("report date"), validators=[validate_recorded_date])
    percent = models.DecimalField(
        _("cumulative progress (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    quantity = models.DecimalField(
        _("cumulative quantity"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    spent = models.DecimalField(
        _("cumulative spending (baht)"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    # Legacy narratives open with their own date ("19/2/2563 : …"); kept apart from the text.
    narrative_date = models.DateField(_("narrative date"), null=True, blank=True)
    narrative = bounded_text(_("progress narrative"), limits.NARRATIVE, blank=True)
    decrease_reason = bounded_text(_("reason for a lower figure"), limits.PARAGRAPH, blank=True)
    # Free text of imported reports; reports entered in Tidtam track Problem records instead.
    problems = bounded_text(_("problems"), limits.PARAGRAPH, blank=True)
    obstacles = bounded_text(_("obstacles"), limits.PARAGRAPH, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    review_comment = bounded_text(_("review comment"), limits.PARAGRAPH, blank=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
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
    # Optimistic locking: every change adds one; a form saved against an older version is
    # refused instead of silently overwriting someone else's change.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-report_date"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            length_check("narrative", limits.NARRATIVE, "report_narrative_length"),
            length_check("decrease_reason", limits.PARAGRAPH, "report_decrease_reason_length"),
            length_check("problems", limits.PARAGRAPH, "report_problems_length"),
            length_check("obstacles", limits.PARAGRAPH, "report_obstacles_length"),
            length_check("review_comment", limits.PARAGRAPH, "report_review_comment_length"),
            models.UniqueConstraint(fields=["project", "report_date"], name="report_date_unique"),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="report_percent_range"
            ),
            models.CheckConstraint(
                condition=Q(spent__isnull=True) | Q(spent__gte=0), name="report_spent_positive"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="report_version_positive"),
            models.CheckConstraint(
                condition=Q(report_date__range=(EARLIEST, LATEST)), name="report_date_bounded"
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.project_id} {self.report_date} {self.percent}%"

    def get_absolute_url(self) -> str:
        return reverse("report-detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE and self.origin != Origin.IMPORT

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.APPROVED or self.origin == Origin.IMPORT

    @property
    def is_deletable(self) -> bool:
        return self.status == ReportStatus.DRAFT and self.origin != Origin.IMPORT

    @property
    def is_reviewable(self) -> bool:
        return self.status == ReportStatus.SUBMITTED


class ProblemCategory(models.Model):
    """A kind of problem or obstacle, from a list the administrator keeps."""

    name_th = models.CharField(_("name (Thai)"), max_length=200, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Only active categories are offered for new problems."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name_th"]
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.name_en and current_language() == "en":
            return self.name_en
        return self.name_th


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("open")
    RESOLVED = "resolved", _("resolved")


class ProblemQuerySet(models.QuerySet["Problem"]):
    def open(self) -> ProblemQuerySet:
        return self.filter(status=ProblemStatus.OPEN)

    def official(self) -> ProblemQuerySet:
        """Problems raised in approved reports: the ones a project's standing counts."""
        return self.filter(opened_in__status=ReportStatus.APPROVED)

    def official_open_counts(self, project_ids: list[int]) -> list[tuple[int, int]]:
        """(project id, open official problems) for the projects that have any."""
        return list(
            self.official()
            .open()
            .filter(project_id__in=project_ids)
            .order_by()
            .values("project_id")
            .annotate(n=Count("id"))
            .values_list("project_id", "n")
        )

    def visible_to(self, user: object) -> ProblemQuerySet:
        """Problems as visible as the report that raised them."""
        access = access_for(user)
        if access.reads_all:
            return self
        public = Q(opened_in__status=ReportStatus.APPROVED, project__published=True)
        if access.agencies:
            return self.filter(public | Q(project__agency_id__in=access.agencies))
        return self.filter(public)

    def count_by_category(self) -> list[tuple[ProblemCategory, int]]:
        counts = dict(
            self.order_by().values("category").annotate(n=Count("id")).values_list("category", "n")
        )
        categories = ProblemCategory.objects.filter(pk__in=counts)
        return sorted(
            ((c, counts[c.pk]) for c in categories), key=lambda row: (-row[1], row[0].order)
        )

    def count_by_agency(self) -> list[tuple[str, str, int]]:
        """(agency code, agency name, count), the most first."""
        rows = (
            self.order_by()
            .values_list("project__agency__code", "project__agency__name_th")
            .annotate(n=Count("id"))
        )
        return sorted(rows, key=lambda row: (-row[2], row[0]))

    def as_of(self, report: ProgressReport) -> ProblemQuerySet:
        """Problems of the report's project that were open when the report was made, or were
        resolved by it."""
        return self.filter(project_id=report.project_id).filter(
            Q(opened_in__report_date__lte=report.report_date)
            & (Q(resolved_in__isnull=True) | Q(resolved_in__report_date__gte=report.report_date))
        )


class Problem(models.Model):
    """A problem or obstacle of a project, raised in one report and carried forward in the
    following reports until one of them resolves it."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="problem_records",
    )
    category = models.ForeignKey(
        ProblemCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="problems",
    )
    description = bounded_text(_("description"), limits.PARAGRAPH)
    status = models.CharField(
        _("status"), max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    # RESTRICT: deleting a draft report goes through delete_report, which removes the problems
    # it raised and reopens those it resolved, with their history.
    opened_in = models.ForeignKey(
        ProgressReport,
        verbose_name=_("raised in report"),
        on_delete=models.RESTRICT,
        related_name="problems_opened",
    )
    resolved_in = models.ForeignKey(
        ProgressReport,
        verbose_name=_("resolved in report"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="problems_resolved",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["project", "id"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        indexes = [models.Index(fields=["status", "category"])]
        constraints = [
            length_check("description", limits.PARAGRAPH, "problem_description_length"),
            models.CheckConstraint(
                condition=(
                    Q(status=ProblemStatus.OPEN, resolved_in__isnull=True)
                    | Q(status=ProblemStatus.RESOLVED, resolved_in__isnull=False)
                ),
                name="problem_resolved_in_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.description[:40]}"


class ReportAttachment(models.Model):
    """A file attached to a report, kept in Django's storage under a name of Tidtam's choosing
    and handed out only through an access-checked view, under its original name."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    stored_name = models.CharField(
        _("stored file name"), max_length=300, unique=True, editable=False
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ReportingSettings(models.Model):
    """The administrator's reporting calendar (one row)."""

    deadline_day = models.PositiveSmallIntegerField(
        _("deadline day of the month"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Each month's report is due by this day (1–28)."),
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("remind this many days before the deadline"),
        default=3,
        validators=[MaxValueValidator(27)],
        help_text=_("Reminders go out from this many days before the deadline day on."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting calendar")
        verbose_name_plural = _("reporting calendar")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_day__gte=1, deadline_day__lte=28), name="deadline_day_range"
            ),
            models.CheckConstraint(
                condition=Q(reminder_days_before__lte=27), name="reminder_days_range"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Reports due by day %(day)s of each month") % {"day": self.deadline_day})

    @classmethod
    def current(cls) -> ReportingSettings:
        return cls.objects.order_by("pk").first() or cls()


class ReminderLog(models.Model):
    """One reminder e-mail sent to one person for one month: the command never sends twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    month = models.DateField(_("month"))
    projects = models.PositiveIntegerField(_("projects listed"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-month", "user"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "month"], name="reminder_once_a_month"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {format_date(self.month, style='month', lang=current_language())}"


def with_month_report(projects: models.QuerySet[Project], day: date) -> models.QuerySet[Project]:
    """The projects annotated with whether the month of `day` is reported (`reported`) and
    the report under way for it, if any (`month_draft`: a draft or returned report's id)."""
    month = ProgressReport.objects.filter(project=OuterRef("pk")).in_month(day)
    return projects.annotate(
        reported=Exists(month.filter(status__in=REPORTED)),
        month_draft=Subquery(month.editable().values("pk")[:1]),
        # A project whose 100 percent is approved is done and reports no more.
        completed=Exists(
            ProgressReport.objects.filter(
                project=OuterRef("pk"), status=ReportStatus.APPROVED, percent__gte=100
            )
        ),
    )


def missing_report(projects: models.QuerySet[Project], day: date) -> models.QuerySet[Project]:
    """The projects still owing the report for the month of `day`."""
    return with_month_report(projects, day).filter(Q(reported=False) & Q(completed=False))
