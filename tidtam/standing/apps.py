from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandingConfig(AppConfig):
    name = "tidtam.standing"
    label = "standing"
    verbose_name = _("Standings")

    def ready(self) -> None:
        from tidtam.audit.write import on_facts_changed
        from tidtam.standing.refresh import refresh_changed

        on_facts_changed(refresh_changed)
