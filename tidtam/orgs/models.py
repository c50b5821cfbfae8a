"""Agencies, their units, district groups and the people who answer for projects."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tidtam.lib.people import contact_name


class Origin(models.TextChoices):
    REFERENCE = "reference", _("reference data")
    IMPORT = "import", _("legacy import")
    MANUAL = "manual", _("entered by hand")
    # Synthetic records made by generate_demo: shown with a "sample data" badge everywhere.
    SAMPLE = "sample", _("sample data")


class DistrictGroup(models.Model):
    name_th = models.CharField(_("name (Thai)"), max_length=200, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("district group")
        verbose_name_plural = _("district groups")

    def __str__(self) -> str:
        return self.name_th


class AgencyKind(models.TextChoices):
    DEPARTMENT = "department", _("department")
    DISTRICT_OFFICE = "district_office", _("district office")


class Agency(models.Model):
    code = models.CharField(_("budget code"), max_length=8, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    # Normalised spelling (SARA AM, single spaces) used to match names from imported pages.
    name_key = models.CharField(max_length=300, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    district_group = models.ForeignKey(
        DistrictGroup,
        verbose_name=_("district group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
    )
    publish_contact_phones = models.BooleanField(
        _("publish contact phone numbers"),
        default=False,
        help_text=_("When set, the public sees the phone numbers of this agency's contacts."),
    )
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name_th


class Unit(models.Model):
    """A division inside an agency, known by its 8-digit code; it owns or reports projects."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="units"
    )
    code = models.CharField(_("unit code"), max_length=8, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=300, blank=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}".strip()


class Person(models.Model):
    """Someone to contact about a project. Phone numbers are personal data."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="people"
    )
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone_public = models.BooleanField(
        _("phone is public"),
        default=False,
        help_text=_("Show this person's phone number to the public."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(fields=["agency", "name", "phone"], name="person_unique"),
        ]

    def __str__(self) -> str:
        return contact_name(self.pk, self.name)

    def phone_visible(self, *, insider: bool) -> bool:
        """Whether to show the phone number; insiders are the agency's own staff and readers
        across the city. Everyone else sees it only when the person or the agency publishes."""
        return insider or self.phone_public or self.agency.publish_contact_phones
