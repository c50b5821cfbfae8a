"""The one way views reach a project: visibility and write rules live here and nowhere else."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from tidtam.accounts.access import access_for
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
