"""Audited changes of who may do what, of people who leave, move or ask to be forgotten, of
personal API tokens, of two-factor sign-in, and of which contact phone numbers an agency
publishes."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tidtam.accounts import two_factor
from tidtam.accounts.access import may_publish_phones
from tidtam.accounts.models import (
    AGENCY_ROLES,
    TOKEN_TAG,
    AccountChange,
    AccountEvent,
    ApiToken,
    Membership,
    Role,
    token_digest,
)
from tidtam.audit import write
from tidtam.audit.erase import erasure_reason, replace_everywhere
from tidtam.audit.write import REASON_LIMIT, Actor, action, checked_action, required_reason
from tidtam.lib.people import erased_username, stored_label, user_label
from tidtam.lib.thai import truncate
from tidtam.orgs.actions import erase_contact
from tidtam.orgs.models import Agency, Person


def require_phone_publisher(*, agency: Agency, by: Actor, names: Iterable[str]) -> None:
    """Refuse to make the phone numbers of these people public unless `by` may publish them
    (see may_publish_phones). Every write that can make a phone public calls it: the agency
    settings, the project form, the API and any importer. Hiding a number is anyone's who may
    edit the contact: withdrawing personal data from the public is always safe."""
    names = [name for name in names if name.strip()]
    if not names or may_publish_phones(by, agency):
        return
    raise ValidationError(
        {
            NON_FIELD_ERRORS: [
                _(
                    "Only an approver of the agency or an administrator may make a phone number "
                    "public (%(names)s). Nothing was saved: leave “phone is public” unticked, "
                    "and ask an approver to publish it on the agency settings page."
                )
                % {"names": ", ".join(names)}
            ]
        },
        code="publish",
    )


@dataclass
class PublicationChanges:
    agency: bool = False
    people: int = 0

    @property
    def any(self) -> bool:
        return self.agency or self.people > 0


@checked_action
def set_contact_publication(
    *,
    agency: Agency,
    publish_phones: bool,
    public_people: Iterable[int],
    by: Actor,
    reason: str = "",
) -> PublicationChanges:
    """Choose which of the agency's contact phone numbers the public sees: all of them
    (`publish_phones`), or those of the people listed; only what differs is written. Only a
    person who may publish phones makes any of them public (require_phone_publisher)."""
    changes = PublicationChanges()
    public = set(public_people)
    people = list(Person.objects.filter(agency=agency).select_for_update().order_by("pk"))
    publishing = [p.name for p in people if p.pk in public and not p.phone_public]
    if publish_phones and not agency.publish_contact_phones:
        publishing.insert(0, str(_("every contact of the agency")))
    require_phone_publisher(agency=agency, by=by, names=publishing)
    if write.assign(agency, {"publish_contact_phones": publish_phones}):
        write.save(agency, by=by, reason=reason)
        changes.agency = True
    for person in people:
        if write.assign(person, {"phone_public": person.pk in public}):
            write.save(person, by=by, reason=reason)
            changes.people += 1
    return changes


@action
def grant_role(
    *, user: Any, role: Role, agency: Agency | None, by: Actor, reason: str = ""
) -> Membership:
    """Give the user the role (in the agency for officers and approvers); no-op when held."""
    existing = Membership.objects.filter(user=user, role=role, agency=agency).first()
    if existing is not None:
        return existing
    return write.save(Membership(user=user, role=role, agency=agency), by=by, reason=reason)


def _end_membership(membership: Membership, *, by: Actor, reason: str) -> None:
    # Its history keeps the role, the agency, who ended it, when and why (the history of
    # memberships, /audit/memberships/).
    write.delete(membership, by=by, reason=truncate(reason, REASON_LIMIT))


def _end_sessions(user: Any, *, by: Actor) -> int:
    """Sign the user out everywhere: their sessions are deleted and their API tokens revoked
    (an inactive owner's tokens open nothing already; revoking says so on their record)."""
    for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
        revoke_api_token(token=token, by=by)
    return _delete_sessions(user)


def _delete_sessions(user: Any, *, keep: str | None = None) -> int:
    ended = 0
    # Django keeps no index of sessions by user: one pass over the unexpired ones, for the
    # rare moment someone leaves or turns two-factor sign-in on.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key == keep:
            continue
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _record(
    user: Any, change: AccountChange, *, by: Actor, reason: str, agency: Agency | None = None
) -> AccountEvent:
    event = AccountEvent(user=user, change=change, agency=agency, reason=reason)
    return write.save(event, by=by, reason=truncate(reason, REASON_LIMIT))


def _deactivate(user: Any, *, by: Actor, audit_reason: str) -> None:
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    # By key: the default ordering joins the agency (an outer join PostgreSQL cannot lock).
    for membership in Membership.objects.filter(user=user).order_by("pk").select_for_update():
        _end_membership(membership, by=by, reason=audit_reason)
    _end_sessions(user, by=by)


@checked_action
def deactivate_user(*, user: Any, by: Actor, reason: str) -> AccountEvent:
    """The person left: they can no longer sign in (their sessions end now), their roles end
    today (their history stays), and everything they did stays on the record, under their
    name. Their account is kept, never deleted."""
    text = required_reason(reason)
    if not user.is_active:
        raise ValidationError(_("This account is already deactivated."), code="inactive")
    _deactivate(user, by=by, audit_reason=_("account deactivated: %(reason)s") % {"reason": text})
    return _record(user, AccountChange.DEACTIVATED, by=by, reason=text)


@checked_action
def move_to_agency(*, user: Any, agency: Agency, by: Actor, reason: str) -> AccountEvent:
    """The person now works for another agency: each of their roles in an agency (officer,
    approver) ends and starts again in `agency`. What they did for the old agency stays
    theirs and stays with that agency's projects; the new agency sees none of it through
    them (who sees a record follows the record's agency, never its author)."""
    text = required_reason(reason)
    if not user.is_active:
        raise ValidationError(_("A deactivated account cannot move."), code="inactive")
    held = list(
        Membership.objects.filter(user=user, role__in=AGENCY_ROLES)
        .order_by("pk")
        .select_for_update()
    )
    if not held:
        raise ValidationError(
            _("This person holds no role in an agency: give them one instead."), code="no_role"
        )
    moving = [m for m in held if m.agency_id != agency.pk]
    if not moving:
        raise ValidationError(
            {"agency": _("This person already works for %(agency)s.") % {"agency": agency}},
            code="same_agency",
        )
    audit_reason = _("moved to %(code)s: %(reason)s") % {"code": agency.code, "reason": text}
    for membership in moving:
        role = Role(membership.role)
        _end_membership(membership, by=by, reason=audit_reason)
        grant_role(
            user=user, role=role, agency=agency, by=by, reason=truncate(audit_reason, REASON_LIMIT)
        )
    return _record(user, AccountChange.MOVED, by=by, reason=text, agency=agency)


def _username_is_personal(user: Any) -> bool:
    """Whether the username says who the person is: it contains their first or last name or
    the name part of their e-mail address ("somchai.j", "j.smith@city.example"). Such a
    username is personal data, searched for and replaced in texts like the name; a plain one
    ("officer7") is not searched for, so that a word such as "admin" is not taken from every
    text. The account's username itself is replaced either way."""
    username = user.get_username().casefold()
    parts = [user.first_name, user.last_name, user.email.partition("@")[0]]
    return any(len(part) >= 3 and part.casefold() in username for part in parts)


def _names_of(user: Any) -> list[str]:
    """What identifies the person in a text: their whole name, e-mail address, and username
    when it is personal. A first or last name alone is not searched for: another person may
    bear it."""
    names = [user.get_full_name(), f"{user.first_name} {user.last_name}", user.email]
    if _username_is_personal(user):
        names.append(user.get_username())
    return [n.strip() for n in names if n.strip()]


@checked_action
def erase_personal_data(*, user: Any, by: Actor, reason: str) -> AccountEvent:
    """A PDPA erasure request: the person becomes "เจ้าหน้าที่ #<id>" ("Officer #<id>")
    everywhere. Their name, e-mail address and username are replaced by that label in their
    account, in every historical copy and in every text that quoted them; they can never sign
    in again; every record they made stays, attributed to the label. The erasure is recorded
    with its reason, which must not repeat the name."""
    if user.get_username() == erased_username(user.pk):
        raise ValidationError(_("This person's data has already been erased."), code="erased")
    names = _names_of(user)
    text = erasure_reason(reason, [*names, user.get_username()])
    label = stored_label(user_label, user.pk)
    _deactivate(user, by=by, audit_reason=_("personal data erased"))
    # A project contact of the same whole name or address is taken to be the same person:
    # their phone number goes as well.
    full_name = user.get_full_name().strip()
    same = Q(name=full_name) if full_name else Q(pk__in=[])
    if user.email:
        same |= Q(email__iexact=user.email)
    for person in Person.objects.filter(same).select_for_update():
        erase_contact(person=person, by=by, reason=text)
    user.first_name, user.last_name, user.email = label, "", ""
    user.username = erased_username(user.pk)
    user.set_unusable_password()
    user.save()
    # Other accounts keep their own names, even equal ones.
    erased = replace_everywhere(names, label, only={type(user): Q(pk=user.pk)})
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(user)), object_id=str(user.pk)
    ).update(object_repr=user.get_username())
    write.facts_changed(projects=erased.projects)
    return _record(user, AccountChange.ERASED, by=by, reason=text)


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


def _wrong_code() -> ValidationError:
    return ValidationError({"code": two_factor.WRONG_CODE}, code="wrong_code")


def _replace_backup_codes(user: Any) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "backup", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = two_factor.new_backup_codes()
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _remove_two_factor(user: Any) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@checked_action
def enable_two_factor(
    *, user: Any, key: str, code: str, by: Actor, session_key: str | None = None
) -> tuple[TOTPDevice, list[str]]:
    """Turn on the user's two-factor sign-in with the authenticator app set up from `key`
    (shown to them as a QR code), once they type the code it shows now: proof that the app
    holds the key. Their other sessions (other browsers, signed in without a code) are signed
    out; the one of `session_key` goes on. Returns the device and their ten backup codes,
    shown once."""
    if two_factor.has_two_factor(user):
        raise ValidationError(_("Two-factor sign-in is already on."), code="already_on")
    step = two_factor.totp_matches(key, code)
    if step is None:
        raise _wrong_code()
    # The code just typed may not open a sign-in again (django-otp accepts steps after last_t).
    device = TOTPDevice.objects.create(
        user=user, name="authenticator", key=key, confirmed=True, last_t=step
    )
    codes = _replace_backup_codes(user)
    _delete_sessions(user, keep=session_key)
    _record(user, AccountChange.TWO_FACTOR_ON, by=by, reason="")
    return device, codes


def disable_two_factor(*, user: Any, code: str, by: Actor) -> AccountEvent:
    """Turn off the user's two-factor sign-in, once they type a current code (or a backup
    code). The code is checked before the change's transaction, so that a wrong one stays
    counted (and throttled) although nothing else is written."""
    if not two_factor.has_two_factor(user):
        raise ValidationError(_("Two-factor sign-in is not on."), code="not_on")
    if two_factor.check_code(user, code) is None:
        raise _wrong_code()
    return _turn_off(user=user, change=AccountChange.TWO_FACTOR_OFF, by=by, reason="")


@action
def _turn_off(*, user: Any, change: AccountChange, by: Actor, reason: str) -> AccountEvent:
    _remove_two_factor(user)
    return _record(user, change, by=by, reason=reason)


@checked_action
def renew_backup_codes(*, user: Any, by: Actor) -> list[str]:
    """Ten new backup codes for the user, replacing the old ones (used or not); shown once."""
    if not two_factor.has_two_factor(user):
        raise ValidationError(_("Two-factor sign-in is not on."), code="not_on")
    codes = _replace_backup_codes(user)
    _record(user, AccountChange.BACKUP_CODES, by=by, reason="")
    return codes


@checked_action
def reset_two_factor(*, user: Any, by: Actor, reason: str) -> AccountEvent:
    """An administrator removes a person's authenticator and backup codes (a lost phone): they
    sign in with their password alone until they turn two-factor sign-in on again, which
    their role may require at once (TWO_FACTOR_REQUIRED)."""
    text = required_reason(reason)
    if not TOTPDevice.objects.filter(user=user).exists():
        raise ValidationError(_("This person has not turned two-factor sign-in on."), code="not_on")
    _remove_two_factor(user)
    return _record(user, AccountChange.TWO_FACTOR_RESET, by=by, reason=text)
