"""Plan trees: any number of plans (the city's 20-year plan is one), each a tree of coded nodes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tidtam.lib.thai import to_thai_digits
from tidtam.orgs.models import Origin


class Plan(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    first_year = models.PositiveSmallIntegerField(_("first year (BE)"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("last year (BE)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.name_th


class PlanLevel(models.Model):
    """A level of a plan's tree: the 20-year plan has ด้าน → มิติ → เป้าหมาย → เป้าประสงค์."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="levels"
    )
    depth = models.PositiveSmallIntegerField(_("depth"))
    key = models.SlugField(_("key"), max_length=50)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        ordering = ["plan", "depth"]
        verbose_name = _("plan level")
        verbose_name_plural = _("plan levels")
        constraints = [
            models.UniqueConstraint(fields=["plan", "depth"], name="planlevel_depth_unique"),
            models.UniqueConstraint(fields=["plan", "key"], name="planlevel_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name_th


class PlanNode(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="nodes"
    )
    level = models.ForeignKey(
        PlanLevel, verbose_name=_("level"), on_delete=models.PROTECT, related_name="nodes"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent node"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=50, help_text=_("Arabic digits, e.g. 5.3.1.2"))
    # Codes sort as numbers ("5.10" after "5.9"): a zero-padded key kept beside the code.
    sort_key = models.CharField(max_length=200, editable=False, db_index=True)
    name_th = models.CharField(_("name (Thai)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    complete = models.BooleanField(
        _("name complete"),
        default=True,
        help_text=_("Unset when the name is known only in a cut-off form."),
    )
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "sort_key"]
        verbose_name = _("plan node")
        verbose_name_plural = _("plan nodes")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="plannode_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"

    @staticmethod
    def sort_key_for(code: str) -> str:
        return ".".join(part.zfill(4) for part in code.split("."))

    @property
    def code_thai(self) -> str:
        return to_thai_digits(self.code)
