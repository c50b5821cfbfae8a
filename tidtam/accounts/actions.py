"""Audited changes of who may do what."""

from __future__ import annotations

from typing import Any

from tidtam.accounts.models import Membership, Role
from tidtam.audit import write
from tidtam.audit.write import Actor, action
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
