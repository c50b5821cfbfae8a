"""Fiscal years, projects of the annual plan, their operating-plan steps and strategic links."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tidtam.accounts.access import access_for
from tidtam.lib import limits
from tidtam.lib.fiscal import EARLIEST, LATEST, fiscal_year_bounds, quarter_bounds, quarter_of
from tidtam.lib.forms import validate_recorded_date
from tidtam.lib.language import current_language
from tidtam.lib.limits import bounded_text, length_check
from tidtam.lib.thai import fold_thai, format_date, normalise_thai
from tidtam.orgs.models import Agency, Origin, Person, Unit
from tidtam.projects.schedule import StepWindow, Thresholds, planned_percent
from tidtam.strategy.models import PlanNode

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class FiscalYear(models.Model):
    """A fiscal year, 1 October – 30 September, named by the Buddhist-Era year it ends in."""

    year = models.PositiveSmallIntegerField(_("fiscal year (BE)"), primary_key=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="fy_order"),
        ]

    def __str__(self) -> str:
        return str(self.year)

    @classmethod
    def ensure(cls, year: int) -> FiscalYear:
        start, end = fiscal_year_bounds(year)
        fiscal_year, created = cls.objects.get_or_create(
            year=year, defaults={"start": start, "end": end}
        )
        if created:
            quarters = []
            for number in range(1, 5):
                q_start, q_end = quarter_bounds(year, number)
                quarters.append(
                    Quarter(fiscal_year=fiscal_year, number=number, start=q_start, end=q_end)
                )
            Quarter.objects.bulk_create(quarters)
        return fiscal_year


def _year_has_projects() -> Exists:
    """The quarter's fiscal year has projects: a quarter in use."""
    return Exists(Project.objects.filter(fiscal_year=OuterRef("fiscal_year")))


class QuarterQuerySet(models.QuerySet["Quarter"]):
    def closed_on(self, day: date) -> Quarter | None:
        """The closed quarter the date falls in, if its quarter is closed. Read afresh on every
        write: the evaluator may close the quarter while a form is open."""
        return self.filter(closed_at__isnull=False, start__lte=day, end__gte=day).first()

    def in_use(self) -> QuarterQuerySet:
        """The quarters of the fiscal years that have projects."""
        return self.filter(_year_has_projects())

    def to_close(self, today: date) -> QuarterQuerySet:
        """Quarters in use that are over (`Quarter.has_ended`) and still open: the
        evaluators' to close."""
        return self.in_use().filter(end__lt=today, closed_at__isnull=True)

    def to_score(self, today: date) -> Quarter | None:
        """The quarter evaluators score on `today`: the quarter just ended while it is still
        open and in use (its results come in after it ends), else the quarter in progress. On
        15 January 2020 that is quarter 1 of 2563 until it is closed, then quarter 2; on a
        fresh install whose projects all belong to the fiscal year in progress, the quarter in
        progress, not the empty last quarter of the year before."""
        year, number = quarter_of(today)
        previous = (year, number - 1) if number > 1 else (year - 1, 4)
        rows = {
            (q.fiscal_year_id, q.number): q
            for q in self.filter(
                Q(fiscal_year_id=year, number=number)
                | Q(
                    _year_has_projects(),
                    fiscal_year_id=previous[0],
                    number=previous[1],
                )
            )
        }
        just_ended = rows.get(previous)
        if just_ended is not None and just_ended.closed_at is None:
            return just_ended
        return rows.get((year, number))


class Quarter(models.Model):
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("fiscal year"), on_delete=models.CASCADE, related_name="quarters"
    )
    number = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = QuarterQuerySet.as_manager()

    class Meta:
        ordering = ["fiscal_year", "number"]
        verbose_name = _("quarter")
        verbose_name_plural = _("quarters")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="quarter_unique"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=4), name="quarter_range"),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year_id}/Q{self.number}"

    def has_started(self, today: date) -> bool:
        """Whether the quarter's first day has come: nothing is reported on a quarter to come."""
        return self.start <= today

    def has_ended(self, today: date) -> bool:
        """Whether the quarter's last day is past: only then may it be closed."""
        return self.end < today


class ProjectQuerySet(models.QuerySet["Project"]):
    def visible_to(self, user: object) -> ProjectQuerySet:
        """Published projects, and every project of the user's own agencies (all for readers
        across the city): another agency's unpublished work is never shown."""
        access = access_for(user)
        if access.reads_all:
            return self
        if access.agencies:
            return self.filter(Q(published=True) | Q(agency_id__in=access.agencies))
        return self.filter(published=True)

    def editable_by(self, user: object) -> ProjectQuerySet:
        return self.filter(agency_id__in=access_for(user).officer_of)

    def for_list(self) -> ProjectQuerySet:
        return self.select_related("agency", "fiscal_year").order_by("-fiscal_year_id", "code")

    def missing_this_month(self) -> ProjectQuerySet:
        """Projects still owing this month's report, as their stored standing says (the
        reporting calendar's rule, refreshed daily and by every report action)."""
        return self.filter(standing__missing_report=True)


class Project(models.Model):
    code = models.CharField(
        _("project code"),
        max_length=30,
        unique=True,
        help_text=_("Agency budget code, a dash and a running number, e.g. 03000000-2457"),
    )
    name = models.CharField(_("project name"), max_length=500)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="projects"
    )
    owning_unit = models.ForeignKey(
        Unit,
        verbose_name=_("owning unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_projects",
    )
    reporting_unit = models.ForeignKey(
        Unit,
        verbose_name=_("reporting unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_projects",
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("fiscal year"), on_delete=models.PROTECT, related_name="projects"
    )
    # The agency's name exactly as the source printed it (legacy pages spell สำนัก several ways).
    agency_name_source = models.CharField(
        _("agency name as printed on the source page"), max_length=300, blank=True
    )
    responsible_unit = models.CharField(
        _("responsible unit"),
        max_length=300,
        blank=True,
        help_text=_("When a unit rather than a person answers for the project."),
    )
    rationale = bounded_text(_("rationale"), limits.RATIONALE, blank=True)
    budget = models.DecimalField(
        _("budget (baht)"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    progress_unit = models.CharField(
        _("progress unit"),
        max_length=50,
        blank=True,
        help_text=_("Empty when progress is reported as a percentage."),
    )
    progress_target = models.DecimalField(
        _("progress target"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    published = models.BooleanField(_("published"), default=False)
    # Optimistic locking: every edit through the web bumps it; a form loaded at an older
    # version is refused instead of silently overwriting someone else's change.
    version = models.PositiveIntegerField(_("version"), default=1)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    source_ref = models.CharField(_("source"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            length_check("rationale", limits.RATIONALE, "project_rationale_length"),
        ]
        indexes = [
            # A year's projects by agency, with every column the visibility rule and the
            # sample count read, and the key: the dashboard's figures and the list's counts
            # find one year's visible projects in this index alone, never in the wide rows
            # (SQLite keeps a row's key in each index; PostgreSQL only where it is named).
            models.Index(
                fields=["fiscal_year", "agency", "published", "origin", "id"],
                name="project_year_visibility",
            ),
            # The lists' order, newest year first, and the visibility rule's columns (the
            # public's count reads the index, not the wide rows).
            models.Index(fields=["-fiscal_year", "code"], name="project_list_order"),
            models.Index(fields=["published", "agency"], name="project_visibility"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def agency_name_as_printed(self) -> str:
        """The agency's name as the source printed it, when it is another name than the
        agency's own ("" when it differs only in how it was typed, e.g. SARA AM in two code
        points): shown beside the agency's name, it must never repeat it."""
        source = self.agency_name_source
        if source and normalise_thai(source) != normalise_thai(self.agency.name_th):
            return fold_thai(source)
        return ""

    @property
    def is_sample(self) -> bool:
        """Synthetic data made by generate_demo, badged wherever the project appears."""
        return self.origin == Origin.SAMPLE

    @property
    def measures_quantity(self) -> bool:
        """Progress is reported as a quantity of a unit towards a target (750 of 1,000 trees),
        the percent worked out from it; otherwise it is reported as a percent."""
        return bool(self.progress_unit) and bool(self.progress_target)

    def step_windows(self) -> list[StepWindow]:
        return [step.window for step in self.steps.all()]

    def planned_progress(self, on: date) -> Decimal:
        return planned_percent(self.step_windows(), on)

    def plan_is_baselined(self) -> bool:
        """Whether a report has been approved against the plan (changing it re-baselines)."""
        # The reverse relation from reporting: projects must not import the app above it.
        return self.reports.filter(status="approved").exists()

    def original_plan(self) -> list[StepWindow] | None:
        """The plan before the first re-baseline, or None when it never changed."""
        if "baselines" in getattr(self, "_prefetched_objects_cache", {}):
            # Read with the project (dashboards.project_page.projects_with_page_data).
            first = min(self.baselines.all(), key=lambda b: (b.created_at, b.id), default=None)
        else:
            first = self.baselines.order_by("created_at", "id").first()
        return first.windows if first else None


class ProjectItem(models.Model):
    """One numbered objective or target of a project, kept in order with its printed label."""

    class Kind(models.TextChoices):
        OBJECTIVE = "objective", _("objective")
        TARGET = "target", _("target")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField()
    label = models.CharField(_("label"), max_length=20, blank=True)
    text = bounded_text(_("text"), limits.PARAGRAPH)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "kind", "order"]
        constraints = [
            length_check("text", limits.PARAGRAPH, "project_item_text_length"),
            models.UniqueConstraint(fields=["project", "kind", "order"], name="item_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.text}".strip()


class ProjectContact(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="contacts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="project_roles")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="contact_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.person_id}"


class PlanLink(models.Model):
    """A project's support of a plan node, with the node's text as the source page printed it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="plan_links")
    node = models.ForeignKey(PlanNode, on_delete=models.PROTECT, related_name="project_links")
    # The project's fiscal year again, written with the link by `set_plan_links` (which every
    # change of a project's links or year goes through): one year's links of a plan are read
    # from the index below, not looked up project by project among every year's.
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    order = models.PositiveSmallIntegerField(default=0)
    source_text = models.CharField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "node"], name="planlink_unique"),
        ]
        indexes = [
            models.Index(fields=["fiscal_year", "node", "project"], name="planlink_by_year"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} → {self.node_id}"

    @property
    def source_differs(self) -> bool:
        return bool(self.source_text) and self.source_text != self.node.name_th


class PlanStep(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    text = bounded_text(_("description"), limits.LINE)
    weight = models.DecimalField(
        _("weight (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    start = models.DateField(_("start"), validators=[validate_recorded_date])
    end = models.DateField(_("end"), validators=[validate_recorded_date])
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "order"]
        verbose_name = _("operating-plan step")
        verbose_name_plural = _("operating-plan steps")
        constraints = [
            length_check("text", limits.LINE, "step_text_length"),
            models.UniqueConstraint(fields=["project", "order"], name="step_order_unique"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="step_dates"),
            models.CheckConstraint(condition=Q(weight__gte=0, weight__lte=100), name="step_weight"),
            # See tidtam.lib.fiscal.EARLIEST: a date past them breaks every page of the project.
            models.CheckConstraint(
                condition=Q(start__gte=EARLIEST, end__lte=LATEST), name="step_dates_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text}"

    @property
    def window(self) -> StepWindow:
        return StepWindow(self.weight, self.start, self.end)


class PlanBaseline(models.Model):
    """The operating plan as it stood before a re-baseline; the first one is the original."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="baselines")
    steps = models.JSONField(_("steps"))
    reason = bounded_text(_("reason for re-baselining"), limits.LINE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "created_at", "id"]
        verbose_name = _("plan baseline")
        verbose_name_plural = _("plan baselines")
        constraints = [
            length_check("reason", limits.LINE, "baseline_reason_length"),
        ]

    def __str__(self) -> str:
        day = timezone.localtime(self.created_at).date()
        return f"{self.project_id} {format_date(day, lang=current_language())}"

    @property
    def windows(self) -> list[StepWindow]:
        return [
            StepWindow(
                Decimal(s["weight"]), date.fromisoformat(s["start"]), date.fromisoformat(s["end"])
            )
            for s in self.steps
        ]


class BudgetInstalment(models.Model):
    """Money released to the project (เงินประจำงวด) on a date."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="instalments")
    released_on = models.DateField(_("released on"), validators=[validate_recorded_date])
    amount = models.DecimalField(_("amount (baht)"), max_digits=15, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "released_on", "id"]
        verbose_name = _("budget instalment")
        verbose_name_plural = _("budget instalments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_positive"),
            models.CheckConstraint(
                condition=Q(released_on__range=(EARLIEST, LATEST)), name="instalment_date_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.released_on} {self.amount}"


class DataWarning(models.Model):
    """Something in a record that a person should check: damaged legacy text, a mismatch."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="warnings"
    )
    field = models.CharField(_("field"), max_length=100)
    code = models.CharField(_("kind"), max_length=50)
    message = models.CharField(_("message"), max_length=500)
    excerpt = models.CharField(_("excerpt"), max_length=500, blank=True)
    source_line = models.PositiveIntegerField(_("line"), null=True, blank=True)
    resolved = models.BooleanField(_("resolved"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "source_line", "id"]
        verbose_name = _("data warning")
        verbose_name_plural = _("data warnings")

    def __str__(self) -> str:
        return self.message


class ScheduleSettings(models.Model):
    """The administrator's thresholds for a project's schedule status (one row)."""

    behind_points = models.DecimalField(
        _("behind at (points below plan)"), max_digits=5, decimal_places=2, default=Decimal(10)
    )
    critical_points = models.DecimalField(
        _("critical at (points below plan)"), max_digits=5, decimal_places=2, default=Decimal(25)
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("schedule thresholds")
        verbose_name_plural = _("schedule thresholds")
        constraints = [
            models.CheckConstraint(
                condition=Q(behind_points__gt=0, critical_points__gt=models.F("behind_points")),
                name="thresholds_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.behind_points} / {self.critical_points}"

    @classmethod
    def current(cls) -> Thresholds:
        row = cls.objects.order_by("pk").first()
        if row is None:
            return Thresholds()
        return Thresholds(behind=row.behind_points, critical=row.critical_points)
