"""The history tab names every field that can change in Thai, never by its code name."""

from __future__ import annotations

import re

from django.utils import translation

from tidtam.audit.history import _tracked
from tidtam.dashboards.history import MEMBERSHIP_SOURCES, SOURCES

THAI = re.compile("[\u0e01-\u0e5b]")


def test_every_field_a_history_shows_has_a_thai_name() -> None:
    english = []
    with translation.override("th"):
        for source in [*SOURCES, *MEMBERSHIP_SOURCES]:
            for field in _tracked(source.model):
                if field.name in source.skip:
                    continue
                name = str(source.names.get(field.name, field.verbose_name))
                if not THAI.search(name):
                    english.append(f"{source.model.__name__}.{field.name}: {name}")
    assert not english
