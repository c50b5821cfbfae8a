"""Small helpers every app's views share: query parameters, an action's refusal on a form and
the confirmation step of a deletion."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# The largest key a database column holds (a signed 64-bit integer): a larger number in a
# query string matches nothing, and SQLite would fail to even compare it.
LARGEST_KEY = 2**63 - 1


def int_or_none(value: str | None) -> int | None:
    """A query parameter as a number; anything else (empty, letters, a number too large for
    any column) means no filter."""
    try:
        number = int(value) if value and len(value) < 25 else None
    except ValueError:
        return None
    return number if number is not None and abs(number) <= LARGEST_KEY else None


def show_refusal(form: BaseForm, error: ValidationError) -> None:
    """Put an action's refusal next to the field it names, or at the top of the form when the
    form has no such field (Django's add_error would raise instead)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
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
            return forwarded[-count]
    return str(request.META.get("REMOTE_ADDR", ""))
