"""Sign-in lockout, idle sessions and the headers every response carries."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tidtam.accounts.middleware import LAST_SEEN
from tidtam.test import Personas, make_user, signs_in

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"


def fail(username: str, times: int, address: str = "127.0.0.1") -> list[int]:
    return [
        Client(REMOTE_ADDR=address)
        .post(reverse("login"), {"username": username, "password": "wrong"})
        .status_code
        for _ in range(times)
    ]


def answer(username: str, password: str, address: str = "127.0.0.1") -> tuple[int, str]:
    client = Client(REMOTE_ADDR=address)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code, response.content.decode()


def without_tokens(page: str) -> str:
    return re.sub(r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_five_failures_lock_the_account_from_that_address(personas: Personas) -> None:
    assert fail("officer_a", 4) == [200] * 4
    assert signs_in("officer_a", PASSWORD)  # a success before the limit clears the count

    assert fail("officer_a", 5) == [200, 200, 200, 200, 429]
    status, page = answer("officer_a", PASSWORD)
    assert status == 429
    assert "Sign-in locked" in page
    assert "15 minutes" in page
    assert not signs_in("officer_a", PASSWORD)
    # Another address, and another account from the same address, are not locked.
    assert signs_in("officer_a", PASSWORD, address="10.0.0.7")
    assert signs_in("officer_b", PASSWORD)


def test_an_unknown_account_gets_the_same_answers_as_a_known_one(personas: Personas) -> None:
    assert fail("nobody-here", 5) == fail("officer_a", 5)
    unknown_status, unknown_page = answer("nobody-here", "whatever")
    known_status, known_page = answer("officer_a", "whatever")
    assert unknown_status == known_status == 429
    assert without_tokens(unknown_page) == without_tokens(known_page)


def test_the_lock_is_in_thai_by_default(personas: Personas) -> None:
    fail("officer_a", 5)
    response = Client().post(reverse("login"), {"username": "officer_a", "password": "x"})
    assert response.status_code == 429
    assert "ระงับการเข้าสู่ระบบ" in response.content.decode()


def test_failures_older_than_fifteen_minutes_do_not_count(personas: Personas) -> None:
    fail("officer_a", 4)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert fail("officer_a", 1) == [200]
    assert signs_in("officer_a", PASSWORD)


def test_the_admin_sign_in_is_locked_too(personas: Personas) -> None:
    make_user("root", is_staff=True, is_superuser=True)
    client = Client()
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "root", "password": "wrong"})
    response = client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_administrator_unlocks_an_account_in_the_admin(personas: Personas) -> None:
    fail("officer_a", 5)
    assert not signs_in("officer_a", PASSWORD)
    admin = make_user("root", is_staff=True, is_superuser=True)
    client = Client(REMOTE_ADDR="10.0.0.9")
    client.force_login(admin)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "officer_a" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="officer_a")
    client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert signs_in("officer_a", PASSWORD)


def test_an_idle_session_is_signed_out_and_an_active_one_is_not(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.officer_a)
    assert client.get("/me/").status_code == 200

    session = client.session
    session[LAST_SEEN] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/me/").status_code == 200  # and the visit counts as activity
    assert client.session[LAST_SEEN] >= int(time.time()) - 5

    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    client.cookies["django_language"] = "en"
    response = client.get("/me/")
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert "_auth_user_id" not in client.session
    sign_in_page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity." in sign_in_page


def test_the_idle_limit_is_a_setting(personas: Personas, settings: object) -> None:
    settings.SESSION_IDLE_MINUTES = 5  # type: ignore[attr-defined]
    client = Client()
    client.force_login(personas.officer_a)
    client.get("/me/")
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 6 * 60
    session.save()
    assert client.get("/me/").status_code == 302


def test_signed_in_pages_are_not_kept_and_public_ones_may_be(personas: Personas) -> None:
    public = Client().get("/projects/")
    assert "no-store" not in public.get("Cache-Control", "")

    client = Client()
    client.force_login(personas.officer_a)
    for url in ("/me/", "/projects/", "/"):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control
        assert "private" in cache_control


def test_every_response_denies_the_browser_features_no_page_uses(personas: Personas) -> None:
    for response in (Client().get("/projects/"), Client().get("/no-such-page/")):
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy
        assert "geolocation=()" in policy


def test_a_user_made_in_the_admin_can_sign_in(personas: Personas) -> None:
    User.objects.create_user("fresh", password="a-long-pass-2569")
    assert signs_in("fresh", "a-long-pass-2569")
