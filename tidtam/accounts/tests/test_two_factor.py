"""Two-factor sign-in: turning it on with a real authenticator code, the code step of the
site's and the admin's sign-in, throttling and lockout, backup codes, the roles that must use
it, and an administrator's reset for a lost phone."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission, User
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tidtam.accounts import actions, two_factor
from tidtam.accounts.models import AccountChange, AccountEvent
from tidtam.accounts.two_factor_views import PENDING, SETUP_KEY
from tidtam.test import Personas, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"


def code_of(key: str, *, steps_ahead: int = 0) -> str:
    """What the person's authenticator app shows now (or that many 30-second steps later):
    RFC 6238 computed from the key, as the phone computes it."""
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def turn_on(user: User) -> tuple[str, list[str]]:
    """Two-factor sign-in on for the user; their key and backup codes."""
    key = two_factor.new_key()
    _device, codes = actions.enable_two_factor(user=user, key=key, code=code_of(key), by=user)
    return key, codes


def english(address: str = "127.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies["django_language"] = "en"
    return client


def password_step(client: Client, username: str, url: str = "") -> Any:
    return client.post(url or reverse("login"), {"username": username, "password": PASSWORD})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def end_throttling(user: User) -> None:
    """As if the throttling delay after the last wrong code had passed."""
    long_ago = timezone.now() - timedelta(hours=1)
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=long_ago)
    StaticDevice.objects.filter(user=user).update(throttling_failure_timestamp=long_ago)


def test_a_person_turns_two_factor_sign_in_on_with_a_code_of_their_app(
    personas: Personas,
) -> None:
    officer = personas.officer_a
    client = english()
    client.force_login(officer)
    page = client.get(reverse("two-factor")).content.decode()
    assert "Two-factor sign-in is off for your account." in page

    setup = client.get(reverse("two-factor-setup"))
    assert setup.status_code == 200
    key = client.session[SETUP_KEY]
    html = setup.content.decode()
    assert '<svg viewBox="0 0 ' in html and 'class="qr"' in html
    assert two_factor.base32_key(key) in html  # for typing in by hand
    assert "<script" not in html.split("<main", 1)[1] and "style=" not in html

    wrong = client.post(reverse("two-factor-setup"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "This code is not valid." in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()

    done = client.post(reverse("two-factor-setup"), {"code": code_of(key)})
    assert done.status_code == 200
    codes = list(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True))
    assert len(codes) == 10
    for code in codes:
        assert f"<code>{code}</code>" in done.content.decode()
    device = TOTPDevice.objects.get(user=officer)
    assert device.confirmed and device.key == key
    assert SETUP_KEY not in client.session
    event = AccountEvent.objects.get(user=officer)
    assert event.change == AccountChange.TWO_FACTOR_ON
    assert event.history.get().history_user == officer
    # The session that turned it on goes on, verified; the codes are not shown again.
    assert client.get(reverse("my-work")).status_code == 200
    page = client.get(reverse("two-factor")).content.decode()
    assert "Two-factor sign-in is on for your account." in page
    assert "10 unused backup codes" in page
    assert codes[0] not in page


def test_the_setup_page_fits_thai_and_accepts_thai_digits(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.officer_a)
    page = client.get(reverse("two-factor-setup")).content.decode()
    assert "เปิดใช้การยืนยันตัวตนสองขั้นตอน" in page
    key = client.session[SETUP_KEY]
    thai = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
    typed = code_of(key)
    response = client.post(
        reverse("two-factor-setup"), {"code": f"{typed[:3]} {typed[3:]}".translate(thai)}
    )
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=personas.officer_a, confirmed=True).exists()


def test_signing_in_asks_for_a_code_after_the_password(personas: Personas) -> None:
    key, _codes = turn_on(personas.officer_a)
    client = english()
    response = password_step(client, "officer_a")
    assert response.status_code == 302
    assert response["Location"] == reverse("two-factor-code")
    assert not signed_in(client)  # nothing is signed in halfway
    assert client.get(reverse("my-work")).status_code == 302
    step = client.get(reverse("two-factor-code"))
    assert "Sign-in code" in step.content.decode()

    # The code that turned it on was used: the next one signs in.
    response = client.post(reverse("two-factor-code"), {"code": code_of(key, steps_ahead=1)})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in(client)
    assert PENDING not in client.session
    assert client.get(reverse("my-work")).status_code == 200


def test_the_code_step_goes_back_to_the_page_asked_for(personas: Personas) -> None:
    key, _codes = turn_on(personas.officer_a)
    client = english()
    client.post(
        reverse("login"),
        {"username": "officer_a", "password": PASSWORD, "next": reverse("api-tokens")},
    )
    response = client.post(reverse("two-factor-code"), {"code": code_of(key, steps_ahead=1)})
    assert response["Location"] == reverse("api-tokens")


def test_a_code_is_not_asked_of_someone_without_two_factor(personas: Personas) -> None:
    client = english()
    response = password_step(client, "officer_b")
    assert response["Location"] == reverse("home")
    assert signed_in(client)


def test_the_code_step_needs_the_password_first_and_expires(personas: Personas) -> None:
    key, _codes = turn_on(personas.officer_a)
    client = english()
    response = client.post(reverse("two-factor-code"), {"code": code_of(key, steps_ahead=1)})
    assert response["Location"] == reverse("login")
    assert not signed_in(client)

    password_step(client, "officer_a")
    session = client.session
    session[PENDING] = {**session[PENDING], "since": int(time.time()) - 6 * 60}
    session.save()
    response = client.post(reverse("two-factor-code"), {"code": code_of(key, steps_ahead=1)})
    assert response["Location"] == reverse("login")
    assert not signed_in(client)


def test_a_wrong_code_is_refused_and_the_next_try_must_wait(personas: Personas) -> None:
    officer = personas.officer_a
    key, _codes = turn_on(officer)
    client = english()
    password_step(client, "officer_a")
    right = code_of(key, steps_ahead=1)
    wrong = "000000" if right != "000000" else "111111"

    response = client.post(reverse("two-factor-code"), {"code": wrong})
    assert response.status_code == 200
    assert "This code is not valid." in response.content.decode()
    assert not signed_in(client)
    assert TOTPDevice.objects.get(user=officer).throttling_failure_count == 1
    assert AccessAttempt.objects.get(username="officer_a").failures_since_start == 1

    # Straight after a wrong code even the right one is refused, with the same answer.
    response = client.post(reverse("two-factor-code"), {"code": right})
    assert response.status_code == 200
    assert "This code is not valid." in response.content.decode()
    assert not signed_in(client)

    end_throttling(officer)
    response = client.post(reverse("two-factor-code"), {"code": right})
    assert response.status_code == 302
    assert signed_in(client)
    assert not AccessAttempt.objects.filter(username="officer_a").exists()


def test_five_wrong_codes_lock_the_sign_in_as_wrong_passwords_do(personas: Personas) -> None:
    key, _codes = turn_on(personas.officer_a)
    client = english()
    password_step(client, "officer_a")
    statuses = []
    for _ in range(5):
        statuses.append(client.post(reverse("two-factor-code"), {"code": "999999"}).status_code)
    assert statuses == [200, 200, 200, 200, 429]
    assert not signed_in(client)

    # Locked: the password is refused as after five wrong passwords, code or no code.
    response = password_step(client, "officer_a")
    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()
    end_throttling(personas.officer_a)
    response = client.post(reverse("two-factor-code"), {"code": code_of(key, steps_ahead=1)})
    assert not signed_in(client)


def test_wrong_passwords_and_wrong_codes_count_together(personas: Personas) -> None:
    turn_on(personas.officer_a)
    client = english()
    for _ in range(3):
        client.post(reverse("login"), {"username": "officer_a", "password": "wrong"})
    password_step(client, "officer_a")  # a right password does not clear the count ...
    assert client.post(reverse("two-factor-code"), {"code": "999999"}).status_code == 200
    # ... until the code is right too: the fifth failure locks.
    assert client.post(reverse("two-factor-code"), {"code": "999999"}).status_code == 429


def test_a_backup_code_signs_in_once(personas: Personas) -> None:
    _key, codes = turn_on(personas.officer_a)
    client = english()
    password_step(client, "officer_a")
    response = client.post(reverse("two-factor-code"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert signed_in(client)
    assert StaticToken.objects.filter(device__user=personas.officer_a).count() == 9

    again = english("10.0.0.5")
    password_step(again, "officer_a")
    response = again.post(reverse("two-factor-code"), {"code": codes[0]})
    assert response.status_code == 200
    assert "This code is not valid." in response.content.decode()
    assert not signed_in(again)


def test_a_session_from_before_two_factor_was_on_is_signed_out(personas: Personas) -> None:
    other_browser = english()
    other_browser.force_login(personas.officer_a)
    assert other_browser.get(reverse("my-work")).status_code == 200
    turn_on(personas.officer_a)
    response = other_browser.get(reverse("my-work"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert not signed_in(other_browser)


def test_turning_it_off_asks_for_a_current_code(personas: Personas) -> None:
    officer = personas.officer_a
    key, codes = turn_on(officer)
    client = english()
    password_step(client, "officer_a")
    client.post(reverse("two-factor-code"), {"code": codes[0]})

    page = client.get(reverse("two-factor-disable"))
    assert page.status_code == 200
    response = client.post(reverse("two-factor-disable"), {"code": "123456x"})
    assert response.status_code == 200
    assert "This code is not valid." in response.content.decode()
    assert TOTPDevice.objects.filter(user=officer).exists()

    end_throttling(officer)
    response = client.post(reverse("two-factor-disable"), {"code": code_of(key, steps_ahead=1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    assert AccountEvent.objects.filter(user=officer).first().change == (  # type: ignore[union-attr]
        AccountChange.TWO_FACTOR_OFF
    )
    # Signed in still, now by password alone.
    assert client.get(reverse("my-work")).status_code == 200
    assert english().post(reverse("login"), {"username": "officer_a", "password": PASSWORD})[
        "Location"
    ] == reverse("home")


def test_new_backup_codes_replace_the_old_ones(personas: Personas) -> None:
    officer = personas.officer_a
    key, old = turn_on(officer)
    client = english()
    password_step(client, "officer_a")
    client.post(reverse("two-factor-code"), {"code": code_of(key, steps_ahead=1)})

    response = client.post(reverse("two-factor-backup-codes"))
    assert response.status_code == 200
    new = set(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True))
    assert len(new) == 10 and not new & set(old)
    for code in new:
        assert code in response.content.decode()
    assert AccountEvent.objects.filter(user=officer).first().change == (  # type: ignore[union-attr]
        AccountChange.BACKUP_CODES
    )


def test_backup_codes_need_two_factor_on(personas: Personas) -> None:
    client = english()
    client.force_login(personas.officer_a)
    response = client.post(reverse("two-factor-backup-codes"), follow=True)
    assert "Two-factor sign-in is not on." in response.content.decode()
    assert not StaticToken.objects.exists()
    assert not AccountEvent.objects.filter(user=personas.officer_a).exists()


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_administrators_and_evaluators_must_turn_it_on_when_required(
    personas: Personas,
) -> None:
    for user in (personas.administrator, personas.evaluator):
        client = english()
        client.force_login(user)
        for url in (reverse("my-work"), reverse("home"), reverse("api-tokens"), "/admin/"):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"] == reverse("two-factor-setup")
        page = client.get(reverse("two-factor-setup")).content.decode()
        assert "Your role requires two-factor sign-in" in page
        assert client.post(reverse("logout")).status_code == 302

    # Other roles choose for themselves.
    client = english()
    client.force_login(personas.officer_a)
    assert client.get(reverse("my-work")).status_code == 200


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_an_administrator_who_turned_it_on_goes_anywhere(personas: Personas) -> None:
    client = english()
    client.force_login(personas.administrator)
    client.get(reverse("two-factor-setup"))
    key = client.session[SETUP_KEY]
    client.post(reverse("two-factor-setup"), {"code": code_of(key)})
    assert client.get(reverse("my-work")).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_without_the_setting_no_role_must_use_it(personas: Personas, settings: Any) -> None:
    assert settings.TWO_FACTOR_REQUIRED is False  # the default: the demo needs no phone
    client = english()
    client.force_login(personas.administrator)
    assert client.get(reverse("my-work")).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_the_admin_sign_in_asks_for_the_code(personas: Personas) -> None:
    root = make_user("root", is_staff=True, is_superuser=True)
    key, _codes = turn_on(root)
    client = english()
    response = password_step(client, "root", reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("two-factor-code")
    assert not signed_in(client)
    assert client.get(reverse("admin:index")).status_code == 302

    response = client.post(reverse("two-factor-code"), {"code": code_of(key, steps_ahead=1)})
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_sign_in_without_two_factor_is_unchanged(personas: Personas) -> None:
    make_user("root", is_staff=True, is_superuser=True)
    client = english()
    page = client.get(reverse("admin:login"))
    assert page.status_code == 200
    response = password_step(client, "root", reverse("admin:login"))
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_an_administrator_resets_the_two_factor_sign_in_of_a_lost_phone(
    personas: Personas,
) -> None:
    officer = personas.officer_a
    turn_on(officer)
    root = make_user("root", is_staff=True, is_superuser=True)
    client = english()
    client.force_login(root)
    changelist = reverse("admin:auth_user_changelist")
    chosen = {"action": "reset_two_factor", "_selected_action": [officer.pk]}
    asked = client.post(changelist, chosen)
    assert asked.status_code == 200
    assert "Reset two-factor sign-in" in asked.content.decode()

    refused = client.post(changelist, {**chosen, "apply": "1", "reason": " "})
    assert refused.status_code == 200
    assert TOTPDevice.objects.filter(user=officer).exists()

    done = client.post(
        changelist, {**chosen, "apply": "1", "reason": "โทรศัพท์หาย แจ้งด้วยตนเอง"}, follow=True
    )
    assert "was reset" in done.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    event = AccountEvent.objects.get(user=officer, change=AccountChange.TWO_FACTOR_RESET)
    assert event.reason == "โทรศัพท์หาย แจ้งด้วยตนเอง"
    assert event.history.get().history_user == root
    # The person signs in with their password alone again.
    assert password_step(english(), "officer_a")["Location"] == reverse("home")


def test_only_an_administrator_resets_two_factor_sign_in(personas: Personas) -> None:
    officer = personas.officer_a
    turn_on(officer)
    staff = make_user("clerk", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="auth", codename__endswith="user")
    )
    client = english()
    client.force_login(staff)
    client.post(
        reverse("admin:auth_user_changelist"),
        {
            "action": "reset_two_factor",
            "_selected_action": [officer.pk],
            "apply": "1",
            "reason": "x",
        },
    )
    assert TOTPDevice.objects.filter(user=officer).exists()


def test_resetting_someone_without_two_factor_is_refused(personas: Personas) -> None:
    with pytest.raises(ValidationError) as refusal:
        actions.reset_two_factor(user=personas.officer_b, by=personas.administrator, reason="x")
    assert refusal.value.code == "not_on"
    assert not AccountEvent.objects.filter(user=personas.officer_b).exists()


def test_the_code_step_is_in_thai_by_default(personas: Personas) -> None:
    turn_on(personas.officer_a)
    client = Client()
    password_step(client, "officer_a")
    page = client.get(reverse("two-factor-code")).content.decode()
    assert "รหัสยืนยันการเข้าสู่ระบบ" in page
    wrong = client.post(reverse("two-factor-code"), {"code": "999999"}).content.decode()
    assert "รหัสนี้ไม่ถูกต้อง" in wrong
