"""Small helpers every app's views share: query parameters, an action's refusal on a form and
the confirmation step of a deletion."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import render

from tidtam.lib.fiscal import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR
from tidtam.lib.thai import typed_number

# The range of the narrowest integer column the site keeps (PostgreSQL's integer): a number
# sent past it names no year, quarter, page or row, and the database would refuse it with an
# error instead of finding nothing.
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1
# Nineteen digits hold the widest key column (bigint); longer is out of any range.
_INTEGER = re.compile(r"-?[0-9]{1,19}")


def int_or_none(value: str | None, *, low: int = 0, high: int = INT_MAX) -> int | None:
    """The one reading of a number sent in a URL or a form's hidden field (a year, a quarter,
    a page, a row's id, a version): Arabic or Thai digits, between `low` and `high`; anything
    else (empty, letters, another script's digits, out of range) is None, as if not sent.

    "2563", "๒๕๖๓" and " 7 " are numbers; "²", "1e3", "99999999999999999999" and, below the
    default `low` of 0, "-1" are not."""
    typed = typed_number(value.strip()) if isinstance(value, str) else None
    if not typed or not _INTEGER.fullmatch(typed):
        return None
    number = int(typed)
    return number if low <= number <= high else None


def year_or_none(value: str | None) -> int | None:
    """A fiscal year (BE) sent as `?fy=`: one of the years dates may fall in, or None."""
    return int_or_none(value, low=FIRST_FISCAL_YEAR, high=LAST_FISCAL_YEAR)


class NumberConverter:
    """`<number:pk>` in a URL's path, read by `int_or_none`: a number past the database's
    range matches nothing (a 404) instead of reaching a query the database refuses."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int_or_none(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


API_PREFIX = "/api/"


class RefuseNulMiddleware:
    """A NUL character anywhere in the path, the query or a form's fields is refused (400)
    before a view reads it: no one types one, and PostgreSQL refuses it in any text, so a
    lookup by it (a project's code, an agency filter, a comment) would be a server error on
    PostgreSQL only. Django's form fields refuse it too; this covers what views read
    themselves. The API is left to refuse it itself, in its own error shape naming the
    parameter (its schemas forbid NUL in every text)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX) and (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            return HttpResponseBadRequest("NUL characters are not accepted.")
        return self.get_response(request)


def _has_nul(values: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in vs) for key, vs in values.lists())


def show_refusal(form: BaseForm, error: ValidationError) -> None:
    """Put an action's refusal next to the field it names, or at the top of the form when the
    form has no such field (Django's add_error would raise instead). A form whose field has
    another name than the action's says so in `action_fields` (action's name → form's)."""
    if hasattr(error, "error_dict"):
        renamed: dict[str, str] = getattr(form, "action_fields", {})
        for name, errors in error.error_dict.items():
            field = renamed.get(name, name)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@dataclass(frozen=True)
class Confirmation:
    """A deletion's confirmation step: the page a delete button leads to, whose button posts
    the deletion (it works without JavaScript)."""

    question: str
    consequence: str
    action: str
    cancel_url: str


def confirm_page(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    return render(request, "confirm_delete.html", {"view": confirmation})


def client_address(request: HttpRequest) -> str:
    """The address a request came from, for sign-in lockout and rate limits.

    With PROXY_COUNT reverse proxies in front (each appending the address it received the
    request from to X-Forwarded-For), the client is the PROXY_COUNT-th address from the right;
    what the client itself put further left is not trusted. Without proxies: REMOTE_ADDR.
    """
    count = settings.PROXY_COUNT
    if count > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= count:
            return str(forwarded[-count])
    return str(request.META.get("REMOTE_ADDR", ""))
