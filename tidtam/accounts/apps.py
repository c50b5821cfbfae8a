from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tidtam.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from tidtam.accounts.middleware import start_idle_clock

        # Signing in is the one moment Django announces only by a signal; the session's idle
        # clock starts there, so that the first page after it writes nothing.
        user_logged_in.connect(start_idle_clock, dispatch_uid="tidtam-idle-clock")
