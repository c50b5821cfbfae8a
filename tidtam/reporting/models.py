"""Monthly progress reports: cumulative progress of a project on a date."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tidtam.accounts.access import access_for
from tidtam.orgs.models import Origin
from tidtam.projects.models import PERCENT, Project


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    APPROVED = "approved", _("approved")


class ProgressReportQuerySet(models.QuerySet["ProgressReport"]):
    def newest_first(self) -> ProgressReportQuerySet:
        return self.order_by("-report_date", "-id")

    def visible_to(self, user: object) -> ProgressReportQuerySet:
        """Approved reports, and every report of the user's own agencies (all for readers
        across the city)."""
        access = access_for(user)
        if access.reads_all:
            return self
        if access.agencies:
            return self.filter(
                Q(status=ReportStatus.APPROVED) | Q(project__agency_id__in=access.agencies)
            )
        return self.filter(status=ReportStatus.APPROVED)


class ProgressReport(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    report_date = models.DateField(_("report date"))
    percent = models.DecimalField(
        _("cumulative progress (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    quantity = models.DecimalField(
        _("cumulative quantity"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    # Legacy narratives open with their own date ("19/2/2563 : …"); kept apart from the text.
    narrative_date = models.DateField(_("narrative date"), null=True, blank=True)
    narrative = models.TextField(_("progress narrative"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    obstacles = models.TextField(_("obstacles"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-report_date"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(fields=["project", "report_date"], name="report_date_unique"),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="report_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.report_date} {self.percent}%"
