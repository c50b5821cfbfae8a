"""The messages of Django, django-simple-history and django-tasks-db that our catalogue
translates are the libraries' own, byte for byte, and Thai."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import axes
import django
import django_tasks_db
import simple_history
from django.utils import translation
from django.utils.translation.template import templatize

from tidtam.lib import django_messages

_GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
_TEMPLATE_CALL = re.compile(r"(?:gettext|ngettext)\(u?'((?:[^'\\]|\\.)*)'")
THAI = re.compile("[\u0e01-\u0e5b]")


def _calls(source: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) in _GETTEXT
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ]


@cache
def library_messages() -> frozenset[str]:
    """Every message id the libraries' Python code and templates ask a catalogue for."""
    ids: set[str] = set()
    root = Path(django.__file__).parent
    packages = [root / "forms", root / "core", root / "db" / "models", root / "contrib" / "admin"]
    packages += [root / "contrib" / "auth", Path(simple_history.__file__).parent]
    packages += [Path(django_tasks_db.__file__).parent, Path(axes.__file__).parent]
    for package in packages:
        for path in package.rglob("*.py"):
            if "migrations" not in path.parts and "locale" not in path.parts:
                ids.update(str(call.args[0].value) for call in _calls(path.read_text("utf-8")))  # type: ignore[attr-defined]
        for path in package.rglob("templates/**/*.html"):
            text = templatize(path.read_text("utf-8"), origin=str(path))
            for match in _TEMPLATE_CALL.finditer(text):
                literal = ast.literal_eval(f"'{match[1]}'")
                ids.add(literal.replace("%%", "%"))
    return frozenset(ids)


def ours() -> list[tuple[str, str | None]]:
    """Each message id of `django_messages`, with its plural id when it has one."""
    source = Path(django_messages.__file__).read_text("utf-8")
    return [
        (call.args[0].value, call.args[1].value if len(call.args) > 2 else None)  # type: ignore[attr-defined]
        for call in _calls(source)
    ]


def test_every_message_we_translate_for_the_libraries_is_one_they_use() -> None:
    assert len(ours()) > 100
    assert not [m for m, _ in ours() if m not in library_messages()]


def test_every_message_we_translate_for_the_libraries_is_thai() -> None:
    with translation.override("th"):
        shown = [
            translation.ngettext(m, plural, 2) if plural else translation.gettext(m)
            for m, plural in ours()
        ]
    assert not [m for m in shown if not THAI.search(m)]
