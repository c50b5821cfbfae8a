from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class JobsConfig(AppConfig):
    name = "tidtam.jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # Each app registers its job kinds in its own job_kinds module (the exports in
        # dashboards), so the worker knows them without this app importing those above it.
        autodiscover_modules("job_kinds")


class TaskResultsConfig(TasksAppConfig):
    """django-tasks-db under a name in the reader's language (the admin lists its results)."""

    verbose_name = _("Job queue")  # type: ignore[assignment]  # lazy, as Django allows
