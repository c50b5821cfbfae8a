"""Audited changes of who may do what, and of personal API tokens."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from tidtam.accounts.models import TOKEN_TAG, ApiToken, Membership, Role, token_digest
from tidtam.audit import write
from tidtam.audit.write import Actor, action, checked_action
from tidtam.orgs.models import Agency


@action
def grant_role(
    *, user: Any, role: Role, agency: Agency | None, by: Actor, reason: str = ""
) -> Membership:
    """Give the user the role (in the agency for officers and approvers); no-op when held."""
    existing = Membership.objects.filter(user=user, role=role, agency=agency).first()
    if existing is not None:
        return existing
    return write.save(Membership(user=user, role=role, agency=agency), by=by, reason=reason)


# A token lasts at most this long: a forgotten token in a script stops working by itself.
TOKEN_MAX_DAYS = 366


@checked_action
def create_api_token(
    *, user: Any, name: str, expires_on: date, by: Actor, today: date | None = None
) -> tuple[ApiToken, str]:
    """A new personal API token of the user's, and the token itself: shown once, stored only
    as its digest. It expires at the end of `expires_on` (Bangkok time), within a year."""
    today = today or timezone.localdate()
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = gettext("Give the token a name, e.g. the tool that will use it.")
    if expires_on <= today:
        errors["expires_on"] = gettext("The expiry date must be after today.")
    elif expires_on > today + timedelta(days=TOKEN_MAX_DAYS):
        errors["expires_on"] = gettext("A token lasts at most a year.")
    if errors:
        raise ValidationError(errors)
    secret = TOKEN_TAG + secrets.token_urlsafe(32)
    end = datetime.combine(expires_on + timedelta(days=1), time.min)
    token = ApiToken(
        user=user,
        name=name[:100],
        prefix=secret[: len(TOKEN_TAG) + 8],
        digest=token_digest(secret),
        expires_at=timezone.make_aware(end),
    )
    write.save(token, by=by, reason="api_token_created")
    return token, secret


@action
def revoke_api_token(*, token: ApiToken, by: Actor) -> ApiToken:
    """Stop the token working from now on; revoking it again changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        write.save(token, by=by, reason="api_token_revoked")
    return token
