"""What every page's menu needs to know about the reader."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from tidtam.accounts.access import access_for


def access(request: HttpRequest) -> dict[str, object]:
    """The reader's `Access`, read only when a template asks (most views have read it
    already, and it is kept on the user for the request)."""
    return {"access": SimpleLazyObject(lambda: access_for(getattr(request, "user", None)))}
