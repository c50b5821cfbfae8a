from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "tidtam.jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # Each app registers its job kinds in its own job_kinds module (the exports in
        # dashboards), so the worker knows them without this app importing those above it.
        autodiscover_modules("job_kinds")
