"""The API's one error shape, for every refusal:
`{"error": {"code": "...", "message": "<in the reader's language>", "fields": {name: [...]}}}`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as RecordRefused
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    409: "stale",
    422: "invalid",
    429: "rate_limited",
}
# Every operation declares these answers besides its own, so that the schema describes them.
ERROR_STATUSES = frozenset(CODES)


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorBody


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    body = {
        "error": {"code": CODES.get(status, "error"), "message": message, "fields": fields or {}}
    }
    return api.create_response(request, body, status=status)


def field_message(error: dict[str, Any]) -> str:
    """A parameter's validation error in the reader's language (pydantic's own are English)."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("This parameter is required.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if kind in ("greater_than_equal", "greater_than"):
        limit = context.get("ge", context.get("gt"))
        return _("Enter a number of at least %(limit)s.") % {"limit": limit}
    if kind in ("less_than_equal", "less_than"):
        limit = context.get("le", context.get("lt"))
        return _("Enter a number of at most %(limit)s.") % {"limit": limit}
    if kind == "string_too_long":
        return _("Enter at most %(limit)s characters.") % {"limit": context.get("max_length")}
    if kind == "string_pattern_mismatch":
        return _("This value contains characters that are not allowed.")
    if kind in ("literal_error", "enum"):
        return _("Choose one of: %(choices)s.") % {"choices": context.get("expected", "")}
    return _("This value is not valid.")


def _field_name(location: tuple[Any, ...] | list[Any]) -> str:
    """("query", "page_size") → "page_size": the parameter as the caller named it."""
    parts = [str(part) for part in location[1:]] or [str(part) for part in location]
    return ".".join(parts) or "request"


def validation_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(field_message(error))
    return fields


def refusal(error: RecordRefused) -> tuple[int, str, dict[str, list[str]]]:
    """An action's refusal as the API answers it: 409 when the record changed since it was
    read (its version), else 422; the record's own messages, by field, in the message when
    they name no field."""
    if not hasattr(error, "error_dict"):
        status = 409 if error.code == "stale" else 422
        return status, " ".join(error.messages), {}
    fields = {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
    general = fields.pop(NON_FIELD_ERRORS, [])
    stale = any(e.code == "stale" for errors in error.error_dict.values() for e in errors)
    message = " ".join(general) or _("Nothing was saved: see the fields' messages.")
    return (409 if stale else 422), message, fields


def install_handlers(api: NinjaAPI) -> None:
    """Every refusal in the one shape; anything else is a bug and stays a 500."""

    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = validation_fields(list(exc.errors))
        return error_response(api, request, 422, _("Some parameters are not valid."), fields)

    def refused(request: HttpRequest, exc: RecordRefused) -> HttpResponse:
        status, message, fields = refusal(exc)
        return error_response(api, request, status, message, fields)

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(
            api, request, 404, _("There is no such record, or you may not see it.")
        )

    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) if exc.args else _("You may not do this.")
        return error_response(api, request, 403, message)

    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(api, request, 401, _("The API token is unknown, expired or revoked."))

    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return error_response(
            api,
            request,
            429,
            _("Too many requests: wait a minute and try again (see the Retry-After header)."),
        )

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code if exc.status_code in CODES else 400
        return error_response(api, request, status, _("The request is not valid."))

    # ninja's stubs type the handler's exception as "the class or an instance".
    handlers: list[tuple[type[Exception], Any]] = [
        (ValidationError, invalid),
        (RecordRefused, refused),
        (Http404, not_found),
        (PermissionDenied, forbidden),
        (AuthenticationError, unauthorized),
        (Throttled, throttled),
        (HttpError, http_error),
    ]
    for exception, handler in handlers:
        api.add_exception_handler(exception, handler)
