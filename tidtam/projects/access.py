"""The one way views reach a project: visibility rules live here and nowhere else."""

from __future__ import annotations

from django.http import Http404

from tidtam.projects.models import Project, ProjectQuerySet


def projects_for_user(user: object) -> ProjectQuerySet:
    return Project.objects.visible_to(user)


def get_project_for_user(user: object, code: str) -> Project:
    """The project with this code if the user may see it; a hidden project is a 404."""
    project = (
        projects_for_user(user)
        .select_related("agency", "fiscal_year", "owning_unit", "reporting_unit")
        .filter(code=code)
        .first()
    )
    if project is None:
        raise Http404("no such project")
    return project
