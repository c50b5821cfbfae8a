"""No template runs script inline: every script is a static file, every style a class of a
static style sheet (the Content-Security-Policy, without 'unsafe-inline' for scripts and
styles, would block the rest). The templates are read as written, and a representative set of
pages as they are served, which also catches what Python writes into them (SVG charts, the
timeline's positions, Django's admin, django-ninja's API documentation, the error pages)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.test import Client

from tidtam.lib.tests.site_pages import SitePage, World, site_pages

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE = re.compile(
    r"javascript:|\son[a-z]+\s*=|\sstyle\s*=|<style\b|<script(?![^>]*\bsrc=)[^>]*>",
    re.IGNORECASE,
)
# Templates rendered only for WeasyPrint (PDFs, not browser responses): their <style> sets the
# page counters and page size of a report book.
PDF_ONLY = {"print/_book_style.html"}
# <script> elements that hold data for a script file to read, which no browser runs.
DATA_SCRIPT_TYPES = {"application/json"}


class InlineCode(HTMLParser):
    """Collects what a Content-Security-Policy without 'unsafe-inline' blocks: inline scripts,
    event handler attributes, javascript: addresses, <style> elements and style attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = (dict(attrs).get("type") or "").lower()
        if tag == "script" and "src" not in dict(attrs) and kind not in DATA_SCRIPT_TYPES:
            self.found.append(self.get_starttag_text() or tag)
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            javascript = (value or "").strip().lower().startswith("javascript:")
            if name == "style" or name.startswith("on") or javascript:
                self.found.append(f"<{tag} {name}={value!r}>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def test_no_template_has_an_inline_script_a_handler_a_style_or_a_javascript_link() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}: {match[0]}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        if str(path.relative_to(TEMPLATES)) not in PDF_ONLY
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_checks_find_what_they_look_for() -> None:
    for html in (
        '<a href="javascript:history.back()">',
        '<a href="#" onclick="window.print()">',
        "<script>alert(1)</script>",
        '<body onload="x()">',
        '<span class="bar" style="left:1%">',
        "<style>p { color: red }</style>",
    ):
        assert INLINE.search(html), html
        assert inline_code(html), html
    for html in (
        '<script src="/static/js/back.js" defer></script>',
        '<a href="/" data-back>',
        '<script type="application/json" id="settings">{"a": 1}</script>',
        '<span class="bar pl-12 pw-500">',
        "<p>style=, onclick= and javascript: as words of a text</p>",
    ):
        assert not inline_code(html), html
    assert INLINE.search('<script type="application/json">')  # templates hold none


def served(page: SitePage) -> str:
    client = Client()
    if page.who:
        client.force_login(User.objects.get(username=page.who))
    response = client.get(page.url)
    assert response.status_code == page.status, page.name
    return response.content.decode()


@pytest.mark.django_db
def test_no_page_served_has_an_inline_script_a_handler_or_a_style(site_world: World) -> None:
    found = {
        page.name: code for page in site_pages(site_world) if (code := inline_code(served(page)))
    }
    assert found == {}


def test_the_error_pages_have_no_inline_script_or_style(rf: object) -> None:
    """500.html is rendered without a request (Django's server_error), 403_csrf.html by the
    CSRF failure view: neither is reached by a plain request."""
    for name in ("500.html", "403_csrf.html", "403.html", "404.html"):
        assert inline_code(render_to_string(name, {"no_cookie": True})) == [], name
