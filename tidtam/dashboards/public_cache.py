"""Public pages served from Django's cache: the same page for every anonymous reader of one
language, keyed on the published data's version, so that a change is seen at once.

Only an anonymous GET is cached (a signed-in person sees what only they may see, always fresh);
a reader with messages waiting gets a fresh page too (the messages are theirs). The page is
stored with a placeholder where the CSRF token goes (the language switch is a form) and each
reader gets their own token in its place, with its cookie.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import translation

from tidtam.audit.published import published_version

log = logging.getLogger(__name__)

CSRF_PLACEHOLDER = "tidtam-csrf-token-placeholder"
_RENDERING = "_tidtam_public_render"


def csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """The context processor that puts the placeholder in the page being rendered for the
    cache (listed after Django's own csrf processor, it wins)."""
    return {"csrf_token": CSRF_PLACEHOLDER} if getattr(request, _RENDERING, False) else {}


def page_key(request: HttpRequest, version: int) -> str:
    """The published version, the language, whether HTMX asks for a part, and the address."""
    parts = "\n".join(
        [
            translation.get_language() or settings.LANGUAGE_CODE,
            request.headers.get("HX-Request", ""),
            request.headers.get("HX-Target", ""),
            request.get_full_path(),
        ]
    )
    return f"public-page:{version}:{hashlib.sha256(parts.encode()).hexdigest()}"


def _cacheable(request: HttpRequest) -> bool:
    if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0 or request.method != "GET":
        return False
    if request.user.is_authenticated:
        return False
    return len(get_messages(request)) == 0


def _with_token(request: HttpRequest, content: bytes) -> bytes:
    if CSRF_PLACEHOLDER.encode() not in content:
        return content
    return content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())


def public_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Serve the view's answer to anonymous readers from the cache (PUBLIC_PAGE_CACHE_SECONDS
    at most; 0 turns it off). A cache that cannot be reached is passed over: the page is
    rendered as if nothing were cached."""

    @functools.wraps(view)
    def serve(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = page_key(request, published_version())
        try:
            stored = cache.get(key)
        except Exception:
            log.warning("the page cache cannot be read", exc_info=True)
            stored = None
        if stored is not None:
            content, content_type = stored
            return HttpResponse(_with_token(request, content), content_type=content_type)
        setattr(request, _RENDERING, True)
        try:
            response = view(request, *args, **kwargs)
        finally:
            setattr(request, _RENDERING, False)
        if not isinstance(response, HttpResponse):
            return response  # streamed: never a page of the site
        content = response.content
        if response.status_code == 200 and not response.cookies:
            try:
                cache.set(
                    key, (content, response["Content-Type"]), settings.PUBLIC_PAGE_CACHE_SECONDS
                )
            except Exception:
                log.warning("the page cache cannot be written", exc_info=True)
        response.content = _with_token(request, content)
        return response

    return serve
