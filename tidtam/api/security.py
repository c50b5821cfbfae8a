"""Who reads through the API (a personal token's owner, or the public) and how often."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import translation
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from tidtam.accounts.access import api_token_for
from tidtam.lib.language import requested_language
from tidtam.lib.web import client_address

WINDOW_SECONDS = 60


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` reads as the token's owner; no header reads as the
    public; any other header (an unknown, expired or revoked token, another scheme) is a 401.

    The session cookie is not read: a page open in a browser does not lend its rights to a
    script, and writes will need no CSRF token. The reader's language is chosen here too,
    as this runs first for every operation."""

    def __call__(self, request: HttpRequest) -> Any:
        language = requested_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        request.api_token = None  # type: ignore[attr-defined]
        header = request.headers.get("Authorization", "")
        if not header:
            request.user = AnonymousUser()
            return request.user
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            raise AuthenticationError()
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = api_token_for(token)
        if found is None:
            raise AuthenticationError()
        request.api_token = found  # type: ignore[attr-defined]
        # As the signed-in pages: SessionSafetyMiddleware marks the answer private, no-store.
        request.user = found.user
        return found.user


def reader(request: HttpRequest) -> Any:
    """Who reads: the token's owner, or the anonymous public (set by TokenAuth)."""
    return getattr(request, "auth", None) or AnonymousUser()


class RateLimit(BaseThrottle):
    """API_RATE_TOKEN requests a minute per token, API_RATE_ANONYMOUS per address without one,
    counted in fixed one-minute windows in Django's cache."""

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "api_token", None)
        if token is not None:
            key, limit = f"api-rate:token:{token.pk}", settings.API_RATE_TOKEN
        else:
            key, limit = f"api-rate:address:{client_address(request)}", settings.API_RATE_ANONYMOUS
        key = f"{key}:{int(time.time() // WINDOW_SECONDS)}"
        cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
            count = 1
        return count <= limit

    def wait(self) -> float:
        return WINDOW_SECONDS - time.time() % WINDOW_SECONDS


def writer(request: HttpRequest) -> Any:
    """The token's owner, for an operation that writes: without a token it is a 401 (the
    public writes nothing)."""
    user = reader(request)
    if not user.is_authenticated:
        raise AuthenticationError()
    return user
