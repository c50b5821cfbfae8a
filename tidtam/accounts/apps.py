from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tidtam.accounts"
    label = "accounts"
    # This module also holds SignInLockoutConfig: name the app's own config explicitly.
    default = True
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import pre_delete

        from tidtam.accounts.middleware import start_idle_clock
        from tidtam.accounts.records import refuse_deleting_people_with_records

        # Django's user model and its sign-in can only be hooked by signals: deleting a person
        # with records is refused on every path, and the session's idle clock starts at
        # sign-in so that the first page after it writes nothing.
        pre_delete.connect(
            refuse_deleting_people_with_records,
            sender=get_user_model(),
            dispatch_uid="refuse_deleting_people_with_records",
        )
        user_logged_in.connect(start_idle_clock, dispatch_uid="tidtam-idle-clock")


class SignInLockoutConfig(AxesConfig):  # type: ignore[misc]  # django-axes ships no types
    """django-axes under a name in the reader's language (the admin lists its attempts)."""

    verbose_name = _("Sign-in lockout")
