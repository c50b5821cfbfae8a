"""No template runs script inline: every script is a static file (a Content-Security-Policy
without 'unsafe-inline' for scripts would block the rest)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE = re.compile(r"javascript:|\son[a-z]+\s*=|<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def test_no_template_has_an_inline_script_a_handler_or_a_javascript_link() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}: {match[0]}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_check_finds_what_it_looks_for() -> None:
    for html in (
        '<a href="javascript:history.back()">',
        '<a href="#" onclick="window.print()">',
        "<script>alert(1)</script>",
        '<body onload="x()">',
    ):
        assert INLINE.search(html), html
    for html in ('<script src="/static/js/back.js" defer></script>', '<a href="/" data-back>'):
        assert not INLINE.search(html), html
