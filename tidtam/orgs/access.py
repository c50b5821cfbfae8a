"""Who may manage an agency's own settings: its approvers (the agency head) and administrators.

That an agency exists is public (its code and name are on every project page), so a signed-in
user without the role gets a 403 rather than a 404; only an unknown code is a 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from tidtam.accounts.access import access_for
from tidtam.orgs.models import Agency


def can_manage_agency(user: object, agency: Agency) -> bool:
    access = access_for(user)
    return access.administrator or access.approves_agency(agency.pk)


def get_agency_for_manager(user: object, code: str) -> Agency:
    agency = get_object_or_404(Agency, code=code)
    if not can_manage_agency(user, agency):
        raise PermissionDenied("agency approvers and administrators only")
    return agency
