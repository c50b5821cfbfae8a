from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Overrides of the Django admin's own pages keep the admin's markup and its own narrow-screen
# styles, where {% table_wrap %} and the site's CSS do not apply.
ADMIN = {"admin", "simple_history"}
# Pages only ever drawn into a PDF on A4 (the report books), never shown in a browser.
PDF_ONLY = {"print/book.html", "print/book_sections.html", "print/kpi_report.html"}
TOKEN = re.compile(r"\{%\s*table_wrap\b|\{%\s*endtable_wrap\s*%\}|<table\b[^>]*>")


def test_a_wrapped_table_scrolls_in_a_named_region_the_keyboard_can_reach() -> None:
    html = Template(
        '{% load layout %}{% table_wrap name %}<table class="list"></table>{% endtable_wrap %}'
    ).render(Context({"name": 'งาน "ค้าง" <ของฉัน>'}))
    assert html == (
        '<div class="table-wrap" role="region" aria-label="งาน &quot;ค้าง&quot; &lt;ของฉัน&gt;" '
        'tabindex="0"><table class="list"></table></div>'
    )


@override_settings(LANGUAGE_CODE="en")
def test_the_region_is_named_in_the_readers_language() -> None:
    source = '{% load layout %}{% table_wrap _("Projects") %}<table></table>{% endtable_wrap %}'
    with translation.override("th"):
        assert 'aria-label="โครงการ"' in Template(source).render(Context())
    with translation.override("en"):
        assert 'aria-label="Projects"' in Template(source).render(Context())


def test_every_table_in_the_templates_is_wrapped_or_fits_a_phone() -> None:
    """A table outside {% table_wrap %} makes the whole page scroll sideways on a phone, unless
    it is laid out to fit (class "fits": fixed layout, cells that wrap)."""
    loose = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES)
        if relative.parts[0] in ADMIN or relative.as_posix() in PDF_ONLY:
            continue
        depth = 0
        for match in TOKEN.finditer(path.read_text(encoding="utf-8")):
            token = match.group(0)
            if token.startswith("<table"):
                if depth == 0 and not re.search(r'class="[^"]*\bfits\b', token):
                    loose.append(f"{path.relative_to(TEMPLATES)}: {token}")
            elif "endtable_wrap" in token:
                depth -= 1
            else:
                depth += 1
    assert loose == [], "wrap these in {% table_wrap _('…') %}…{% endtable_wrap %}: " + str(loose)
