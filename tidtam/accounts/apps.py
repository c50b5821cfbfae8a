from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tidtam.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete

        from tidtam.accounts.records import refuse_deleting_people_with_records

        pre_delete.connect(
            refuse_deleting_people_with_records,
            sender=get_user_model(),
            dispatch_uid="refuse_deleting_people_with_records",
        )
