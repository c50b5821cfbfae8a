from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "tidtam.search"
    verbose_name = "Search"
