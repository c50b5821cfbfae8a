"""What every response owes a signed-in person: an end to idle sessions, no copies kept, and
the second factor their account or their role asks for."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext

from tidtam.accounts import two_factor

LAST_SEEN = "tidtam_last_seen"
# The session is written at most once a minute to note activity, not on every request.
TOUCH_EVERY_SECONDS = 60
# No page of the site uses these browser features; denying them limits what injected content
# could do.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()"
)


def start_idle_clock(sender: object, request: HttpRequest, **kwargs: object) -> None:
    request.session[LAST_SEEN] = int(time.time())


class SessionSafetyMiddleware:
    """Signs out a session idle for more than SESSION_IDLE_MINUTES, and marks every page
    served to a signed-in person `Cache-Control: private, no-store` so that neither a shared
    cache nor the browser's history keeps a copy of what only they may see."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = request.user.is_authenticated
        if signed_in:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if isinstance(last_seen, int) and now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    gettext("You were signed out after %(minutes)d minutes without activity.")
                    % {"minutes": settings.SESSION_IDLE_MINUTES},
                )
            elif not isinstance(last_seen, int) or now - last_seen >= TOUCH_EVERY_SECONDS:
                request.session[LAST_SEEN] = now
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# What a person whose role requires two-factor sign-in may reach before turning it on.
OPEN_BEFORE_ENROLMENT = frozenset({"two-factor-setup", "logout", "set_language"})


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware: a person whose role requires two-factor sign-in
    (TWO_FACTOR_REQUIRED) and whose session was not signed in with a code is sent to turn it
    on, from every page, the admin's too. No query is made for anyone else: a session of a
    person with two-factor sign-in is always verified, since it is signed in only by the code
    step, and turning it on signs the person's other sessions out (accounts.actions). API
    tokens are not concerned: a token is made on a signed-in page, which these rules have
    already guarded."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: object, args: object, kwargs: object
    ) -> HttpResponse | None:
        user: Any = request.user  # django-otp's OTPMiddleware gave it is_verified()
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_ENROLMENT:
            return None
        if two_factor.required_for(user):
            messages.info(
                request,
                gettext("Your role requires two-factor sign-in: turn it on before going further."),
            )
            return redirect("two-factor-setup")
        return None
