from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_text_indexes(using: str, **kwargs: Any) -> None:
    # A database made from the models without migrations (the tests') gets the text indexes
    # the migration would have created.
    from django.db import connections

    from tidtam.search.store import install

    install(connections[using])


class SearchConfig(AppConfig):
    name = "tidtam.search"
    verbose_name = "Search"

    def ready(self) -> None:
        from tidtam.audit.write import on_facts_changed
        from tidtam.search.index import refresh_changed

        on_facts_changed(refresh_changed)
        post_migrate.connect(_install_text_indexes, sender=self)
