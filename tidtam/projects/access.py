"""The one way views reach a project: visibility and write rules live here and nowhere else."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from tidtam.accounts.access import access_for
from tidtam.orgs.models import Agency
from tidtam.projects.models import Project, ProjectQuerySet


def projects_for_user(user: object) -> ProjectQuerySet:
    return Project.objects.visible_to(user)


def get_project_for_user(
    user: object, code: str, *, write: bool = False, related: tuple[str, ...] = ()
) -> Project:
    """The project with this code if the user may see it; a hidden project is a 404.

    With `write`, a project the user may read but not change (another agency's published
    project, a reader across the city) is a 403. `related` names more one-to-one relations
    to read in the same query.
    """
    project = (
        projects_for_user(user)
        .select_related("agency", "fiscal_year", "owning_unit", "reporting_unit", *related)
        .filter(code=code)
        .first()
    )
    if project is None:
        raise Http404("no such project")
    if write and not can_edit_project(user, project):
        raise PermissionDenied(_("You may see this project, but not change it."))
    return project


def can_edit_project(user: object, project: Project) -> bool:
    return access_for(user).edits_agency(project.agency_id)


def agencies_for_new_project(user: object) -> list[Agency]:
    """The agencies in which the user registers projects: those they are an officer of."""
    agencies = list(Agency.objects.filter(pk__in=access_for(user).officer_of).order_by("code"))
    if not agencies:
        raise PermissionDenied(_("Only an officer of an agency creates a project."))
    return agencies


def get_agency_for_new_project(user: object, code: str) -> Agency:
    for agency in agencies_for_new_project(user):
        if agency.code == code:
            return agency
    raise PermissionDenied(
        _("You are not an officer of agency %(code)s: you may not register its projects.")
        % {"code": code}
    )
