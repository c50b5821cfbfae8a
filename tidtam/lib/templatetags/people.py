"""`{{ report.submitted_by|person }}`: the one way a template names a person.

Safe for nobody (an empty string), for a deactivated person (their name) and for a person
whose data was erased (their label, in the reader's language); see tidtam/lib/people.py.
A builtin: templates need no `{% load %}`.
"""

from __future__ import annotations

from django import template

from tidtam.lib.people import person_name

register = template.Library()


@register.filter
def person(value: object) -> str:
    return person_name(value)
