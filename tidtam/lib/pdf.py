"""HTML to PDF with WeasyPrint, fetching nothing but the project's own static files.

Every PDF of the site goes through `render_pdf`. Its URL fetcher answers only addresses under
STATIC_URL that name a file among the static files (the print style sheet, the vendored
Sarabun fonts); any other address — http, https, file, data, or a path outside the static
files — is refused without a request. Text that people typed (a project name, a report
narrative) ends up in the HTML, so an address in it must never become a request from the
server (CVE-2025-68616: WeasyPrint followed such addresses, redirects included).

The fonts are full TTFs (static/fonts/print/, named by static/css/print.css): WeasyPrint does
not combine @font-face rules split by unicode-range, so the web's woff2 subsets would print
Thai in a fallback font.

SARA AM is written apart (`thai.spell_sara_am_apart`) before rendering, so that the PDF's text
layer gives back what the page shows; see there. Of static/css/positions.css, only the rules
the document uses are given (`positions.inline_used`).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

from tidtam.lib.positions import inline_used
from tidtam.lib.thai import spell_sara_am_apart

# The base address of every PDF's HTML: relative and root-relative addresses resolve against
# it, and the fetcher maps its paths back onto static files. ".invalid" never resolves (RFC
# 2606), so even a bug in the fetcher could not reach a real host.
BASE_URL = "https://tidtam.invalid/"


class FetchRefused(ValueError):
    """An address the PDF renderer may not fetch."""


def static_file_for(url: str) -> Path | None:
    """The static file an address in a PDF's HTML names, or None when it names none.

    Only `BASE_URL` + STATIC_URL + a relative path counts; the path may not climb out with
    `..`. Collected files (production, hashed names included) are looked up first, then the
    finders (development).
    """
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    path = unquote(parts.path)
    if not path.startswith(prefix):
        return None
    relative = path.removeprefix(prefix)
    if not relative or any(part in ("", ".", "..") for part in relative.split("/")):
        return None
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        collected = (root / relative).resolve()
        if collected.is_relative_to(root) and collected.is_file():
            return collected
    found = finders.find(relative)
    if isinstance(found, str) and Path(found).is_file():
        return Path(found)
    return None


def _fetcher() -> Any:
    # Imported here: WeasyPrint loads Pango through cffi on import, which pages without PDFs
    # should not pay for.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint ships no types
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = static_file_for(url)
            if path is None:
                raise FetchRefused(f"refused to fetch {url[:200]!r}: not a static file")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticOnlyFetcher(allowed_protocols=("https",), allow_redirects=False)


def render_pdf(html: str, *, page_offset: Callable[[int], int] | None = None) -> bytes:
    """The PDF of a complete HTML document (a print template rendered to a string).

    `page_offset`, for a document that continues another (a part of a report book): called
    once, with the document's page count, when its pages are laid out and before their margins
    are; what it returns is added to every page number the margins show. A book's parts can so
    be laid out at the same time, each told where it starts once the parts before it are laid
    out (dashboards.book_pdf).
    """
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    html = inline_used(spell_sara_am_apart(html))
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher())
    with _numbered_from(page_offset):
        pdf: bytes = document.write_pdf(font_config=fonts)
    return pdf


@contextmanager
def _numbered_from(page_offset: Callable[[int], int] | None) -> Iterator[None]:
    """WeasyPrint lays out all the pages of a document, then the margin boxes of each page
    (`weasyprint.layout.layout_document` calls `make_margin_boxes(context, page, state)`, the
    state's counters holding "page" and "pages"): shift the page counter there. Tied to
    WeasyPrint's layout code (pinned in pyproject.toml); the books' tests read the numbers
    back from the PDF."""
    if page_offset is None:
        yield
        return
    from weasyprint import layout

    real = layout.make_margin_boxes
    offset: list[int] = []

    def numbered(context: Any, page: Any, state: Any) -> Any:
        quote_depth, counters, scopes, groups = state
        if not offset:
            offset.append(page_offset(counters["pages"][-1]))
        counters = {**counters, "page": [n + offset[0] for n in counters["page"]]}
        return real(context, page, (quote_depth, counters, scopes, groups))

    layout.make_margin_boxes = numbered
    try:
        yield
    finally:
        layout.make_margin_boxes = real
