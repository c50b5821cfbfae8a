"""Two-factor sign-in: who must use it, the codes it accepts and the QR code that sets it up.

A person's second factor is a TOTP device of django-otp (an authenticator app on their phone:
a six-digit code every 30 seconds) and a static device holding their ten one-time backup
codes. Both are made, replaced and removed only by accounts.actions; sign-in checks a code
with `check_code`, which django-otp throttles per device (after each failure the next try
waits 1, 2, 4, 8 … seconds) and the sign-in view counts toward the lockout as a wrong
password.
"""

from __future__ import annotations

import re
from base64 import b32encode
from typing import Any
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from tidtam.accounts.access import access_for
from tidtam.lib.thai import to_arabic_digits

BACKUP_CODE_COUNT = 10
# A TOTP key of 20 random bytes (160 bits), as RFC 4226 recommends.
KEY_BYTES = 20
# One answer for a wrong code, a throttled one and a used backup code, at sign-in as on the
# pages that ask for a code.
WRONG_CODE = _(
    "This code is not valid. Type the six-digit code your authenticator app shows now, or one "
    "of your backup codes; after a wrong code, wait a few seconds before the next."
)
# Spaces and dashes people type between groups of digits, and any case.
_SEPARATORS = re.compile(r"[\s\-]+")


def required_for(user: Any) -> bool:
    """Whether the user must sign in with a second factor: administrators and evaluators,
    when TWO_FACTOR_REQUIRED is on."""
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    access = access_for(user)
    return access.administrator or access.evaluator


def has_two_factor(user: Any) -> bool:
    """Whether the user turned two-factor sign-in on (a confirmed authenticator app)."""
    return bool(TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists())


def new_key() -> str:
    """A new TOTP key, in hex as django-otp stores it."""
    return str(random_hex(KEY_BYTES))


def base32_key(key: str) -> str:
    """The key as an authenticator app asks for it when typed: base32 in groups of four."""
    text = b32encode(bytes.fromhex(key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def setup_uri(user: Any, key: str) -> str:
    """The otpauth:// address the QR code holds (Google's Key Uri Format, which every
    authenticator app reads): the issuer and the username name the entry in the app."""
    issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
    label = quote(f"{issuer}:{user.get_username()}")
    params = urlencode({"secret": base32_key(key).replace(" ", ""), "issuer": issuer})
    return f"otpauth://totp/{label}?{params}&algorithm=SHA1&digits=6&period=30"


def qr_svg(uri: str, title: str) -> SafeString:
    """The QR code of `uri` as inline SVG markup (no script, no style attribute, nothing
    fetched): drawn by segno, whose output holds only what it is given."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, svgclass="qr", lineclass=None, title=title, omitsize=True
    )
    # segno escapes the title and writes nothing else but path data.
    return mark_safe(svg)


def normalise_code(text: str) -> str:
    """A code as typed, compared as stored: Thai digits made Arabic, spaces and dashes gone,
    letters (of a backup code) in lower case."""
    return _SEPARATORS.sub("", to_arabic_digits(text or "")).lower()[:32]


def totp_matches(key: str, code: str) -> int | None:
    """The time step a code of the key's authenticator is valid for now (one step either
    side accepted, for a phone's clock a little off), or None."""
    code = normalise_code(code)
    if not re.fullmatch(r"[0-9]{6}", code):
        return None
    totp = TOTP(bytes.fromhex(key))
    return totp.t() if totp.verify(int(code), tolerance=1) else None


def check_code(user: Any, code: str) -> Device | None:
    """The device of the user's that accepts the code (six digits: the authenticator's
    current code; anything else: a backup code, which is then used up), or None. Each device
    counts its failures and refuses any code while its throttling delay runs; those counts
    are written here, in their own transaction, so that a refusal later in the request does
    not undo them. Only the device the code's shape names is tried, so that a backup code
    does not count as a failure of the authenticator."""
    code = normalise_code(code)
    if not code:
        return None
    model = TOTPDevice if re.fullmatch(r"[0-9]{6}", code) else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return device
    return None


def new_backup_codes() -> list[str]:
    return [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]


def backup_codes_left(user: Any) -> int:
    return int(StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count())
