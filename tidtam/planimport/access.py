"""Who may import an agency's annual plan: its officers, and the administrators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from tidtam.accounts.access import access_for
from tidtam.orgs.models import Agency


def agencies_for_import(user: Any) -> QuerySet[Agency]:
    access = access_for(user)
    if access.administrator:
        return Agency.objects.order_by("code")
    return Agency.objects.filter(pk__in=access.officer_of).order_by("code")


def get_agency_for_import(user: Any, code: str) -> Agency:
    """The agency whose plan the user imports or exports: 404 when there is none, 403 when
    the user is not one of its officers nor an administrator."""
    agency = get_object_or_404(Agency, code=code)
    if not agencies_for_import(user).filter(pk=agency.pk).exists():
        raise PermissionDenied(
            _("Only an officer of the agency or an administrator imports its plan.")
        )
    return agency
