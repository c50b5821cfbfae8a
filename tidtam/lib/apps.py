from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class LibConfig(AppConfig):
    name = "tidtam.lib"
    label = "lib"
    verbose_name = _("Helpers")

    def ready(self) -> None:
        from tidtam.lib.web import NumberConverter

        # Before any URLconf is read: the apps' URLs use it for every number in a path.
        register_converter(NumberConverter, "number")
