"""What a user may do, read once per request from their memberships."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from tidtam.accounts.models import (
    AGENCY_ROLES,
    TOKEN_TAG,
    ApiToken,
    Membership,
    Role,
    token_digest,
)
from tidtam.orgs.models import Agency

# Who reads what is not public yet (an unpublished project, a report or result before its
# approval): the holders of AGENCY_ROLES in its agency, and the holders of these roles across
# the city. The rule and the pages that say who can see a draft both read these.
CITY_READERS = (Role.EVALUATOR, Role.EXECUTIVE, Role.ADMINISTRATOR)


@dataclass(frozen=True)
class Access:
    authenticated: bool = False
    officer_of: frozenset[int] = frozenset()
    approver_of: frozenset[int] = frozenset()
    evaluator: bool = False
    executive: bool = False
    administrator: bool = False

    def agencies_as(self, role: Role) -> frozenset[int]:
        """The agencies in which the user holds an agency role."""
        return {Role.OFFICER: self.officer_of, Role.APPROVER: self.approver_of}.get(
            role, frozenset()
        )

    def holds(self, role: Role) -> bool:
        """Whether the user holds a city-wide role."""
        return {
            Role.EVALUATOR: self.evaluator,
            Role.EXECUTIVE: self.executive,
            Role.ADMINISTRATOR: self.administrator,
        }.get(role, False)

    @property
    def agencies(self) -> frozenset[int]:
        """Agencies whose unpublished projects and unapproved reports this user may read."""
        return frozenset().union(*(self.agencies_as(role) for role in AGENCY_ROLES))

    @property
    def reads_all(self) -> bool:
        return any(self.holds(role) for role in CITY_READERS)

    @property
    def follows_reporting(self) -> bool:
        """Reads the reporting calendar: agency staff (their agencies') and the readers across
        the city (every agency's)."""
        return self.reads_all or bool(self.agencies)

    def reads_agency(self, agency_id: int) -> bool:
        return self.reads_all or agency_id in self.agencies

    def edits_agency(self, agency_id: int) -> bool:
        return agency_id in self.officer_of

    def approves_agency(self, agency_id: int) -> bool:
        return agency_id in self.approver_of


PUBLIC = Access()
_CACHE = "_tidtam_access"


def access_for(user: Any) -> Access:
    """The user's access, computed once and kept on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return PUBLIC
    cached: Access | None = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    officer: set[int] = set()
    approver: set[int] = set()
    city: set[str] = set()
    for role, agency_id in Membership.objects.filter(user_id=user.pk).values_list(
        "role", "agency_id"
    ):
        if role == Role.OFFICER:
            officer.add(agency_id)
        elif role == Role.APPROVER:
            approver.add(agency_id)
        else:
            city.add(role)
    access = Access(
        authenticated=True,
        officer_of=frozenset(officer),
        approver_of=frozenset(approver),
        evaluator=Role.EVALUATOR in city,
        executive=Role.EXECUTIVE in city,
        administrator=Role.ADMINISTRATOR in city or bool(getattr(user, "is_superuser", False)),
    )
    setattr(user, _CACHE, access)
    return access


def readers_before_approval(agency: Agency) -> str:
    """Who sees the agency's records before they are public, named from the roles that
    `Access.agencies` and `Access.reads_all` read by: "agency officer and agency approver of
    <agency>; evaluator, executive and administrator"."""
    return _("%(agency_roles)s of %(agency)s; %(city_roles)s") % {
        "agency_roles": get_text_list([role.label for role in AGENCY_ROLES], _("and")),
        "agency": agency.name_th,
        "city_roles": get_text_list([role.label for role in CITY_READERS], _("and")),
    }


# An agency's own settings: its approvers (the agency head) and administrators manage them.
# That an agency exists is public (its code and name are on every project page), so a
# signed-in user without the role gets a 403 rather than a 404; only an unknown code is a 404.


def can_manage_agency(user: object, agency: Agency) -> bool:
    access = access_for(user)
    return access.administrator or access.approves_agency(agency.pk)


def may_publish_phones(user: object, agency: Agency) -> bool:
    """Whether the user may make a contact's phone number public: the agency's approvers and
    the administrators (those who manage its settings). Officers enter contacts with their
    numbers, which only the agency's staff and the readers across the city then see."""
    return can_manage_agency(user, agency)


def get_agency_for_manager(user: object, code: str) -> Agency:
    agency = get_object_or_404(Agency, code=code)
    if not can_manage_agency(user, agency):
        raise PermissionDenied(
            _("Only an approver of the agency or an administrator manages its settings.")
        )
    return agency


# last_used_at is written at most this often per token, not on every request.
TOKEN_TOUCH_SECONDS = 60


def api_token_for(secret: str) -> ApiToken | None:
    """The usable token (not revoked, not expired, its owner active) whose digest matches;
    None for anything else. Notes when it was last used."""
    if not secret.startswith(TOKEN_TAG) or len(secret) > 100:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.usable(now).filter(digest=token_digest(secret)).select_related("user")
    ).first()
    if token is None:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > (
        TOKEN_TOUCH_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def get_own_token(user: object, pk: int) -> ApiToken:
    """One of the user's own tokens; anyone else's is a 404."""
    return get_object_or_404(ApiToken.objects.of(user), pk=pk)
