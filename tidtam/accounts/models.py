"""Who may do what: a user's memberships, each a role in an agency or across the city."""

from __future__ import annotations

import hashlib
from datetime import datetime

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
    TWO_FACTOR_ON = "two_factor_on", _("two-factor sign-in turned on")
    TWO_FACTOR_OFF = "two_factor_off", _("two-factor sign-in turned off")
    BACKUP_CODES = "backup_codes", _("new backup codes")
    TWO_FACTOR_RESET = "two_factor_reset", _("two-factor sign-in reset by an administrator")


class AccountEvent(models.Model):
    """What happened to an account: its holder left, moved or asked to be forgotten, or their
    two-factor sign-in was turned on, off or reset; who did it (`history_user` of its history
    row), when, and why. People are never deleted once they have records (see
    accounts/records.py), so the account this points to stays."""

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


# Every token starts with this, so that a token pasted where it does not belong (a public
# repository, a chat) can be recognised by secret scanners.
TOKEN_TAG = "tdt_"


def token_digest(secret: str) -> str:
    """What is stored of a personal API token: its SHA-256. The token itself is shown once, at
    creation, and kept nowhere (a random 32-byte secret needs no slow hash: it cannot be
    guessed from a dictionary)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, now: datetime) -> ApiTokenQuerySet:
        """Tokens that still open the API: not revoked, not expired, their owner active."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)

    def of(self, user: object) -> ApiTokenQuerySet:
        """A person's own tokens, newest first, for their tokens page."""
        key = getattr(user, "pk", None)
        if key is None:
            return self.none()
        return self.filter(user_id=key).order_by("-created_at", "-pk")


class ApiToken(models.Model):
    """A personal API token: `Authorization: Bearer <token>` reads as its owner reads."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    # The token's first characters, shown in lists so that its owner can tell tokens apart.
    prefix = models.CharField(_("prefix"), max_length=16)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Every use updates last_used_at; only creation and revocation are history.
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["user", "-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"

    def state(self, now: datetime) -> str:
        """ "revoked", "expired" or "active", as the tokens page shows it."""
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.expires_at > now else "expired"
