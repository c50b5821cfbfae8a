"""Who may do what: a user's memberships, each a role in an agency or across the city."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tidtam.lib import limits
from tidtam.lib.limits import bounded_text, length_check
from tidtam.orgs.models import Agency


class Role(models.TextChoices):
    OFFICER = "officer", _("agency officer")
    APPROVER = "approver", _("agency approver")
    EVALUATOR = "evaluator", _("evaluator")
    EXECUTIVE = "executive", _("executive")
    ADMINISTRATOR = "administrator", _("administrator")


# Officers and approvers act for one agency; the other roles read or act across the city.
AGENCY_ROLES = (Role.OFFICER, Role.APPROVER)


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("Required for officers and approvers; empty for city-wide roles."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["user", "role", "agency"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "agency"], name="membership_unique_in_agency"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(agency__isnull=True),
                name="membership_unique_citywide",
            ),
            models.CheckConstraint(
                condition=(
                    Q(role__in=[r.value for r in AGENCY_ROLES], agency__isnull=False)
                    | (~Q(role__in=[r.value for r in AGENCY_ROLES]) & Q(agency__isnull=True))
                ),
                name="membership_agency_matches_role",
            ),
        ]

    def __str__(self) -> str:
        where = f" · {self.agency_id}" if self.agency_id else ""
        return f"{self.user_id}: {self.get_role_display()}{where}"


class AccountChange(models.TextChoices):
    DEACTIVATED = "deactivated", _("deactivated")
    MOVED = "moved", _("moved to another agency")
    ERASED = "erased", _("personal data erased")


class AccountEvent(models.Model):
    """What happened to an account once its holder left, moved or asked to be forgotten: who
    did it (`history_user` of its history row), when, and why. People are never deleted once
    they have records (see accounts/records.py), so the account this points to stays."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="account_events",
    )
    change = models.CharField(_("change"), max_length=20, choices=AccountChange.choices)
    # The agency moved to; empty for the other changes.
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = bounded_text(_("reason"), limits.LINE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("account change")
        verbose_name_plural = _("account changes")
        constraints = [
            length_check("reason", limits.LINE, "account_event_reason_length"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.get_change_display()}"
