"""Personal API tokens: created and revoked on the person's own page, stored as a digest only,
refused once expired, revoked or when their owner is deactivated."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import serializers
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tidtam.accounts.actions import create_api_token, revoke_api_token
from tidtam.accounts.models import ApiToken, token_digest
from tidtam.test import make_project, make_user

API = "/api/v1/projects?fy=all"


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.django_db
def test_a_token_created_on_the_page_is_shown_once_and_stored_as_its_digest_only(
    client: Client,
) -> None:
    user = make_user("officer")
    client.force_login(user)
    expires = timezone.localdate() + timedelta(days=30)
    response = client.post(reverse("api-tokens"), {"name": "สเปรดชีต", "expires_on": expires})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("tdt_") and secret in response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert token.digest == token_digest(secret) and token.name == "สเปรดชีต"
    # Nowhere in the database: neither the token's row nor its history holds the secret.
    dumped = serializers.serialize("json", [*ApiToken.objects.all(), *ApiToken.history.all()])
    assert secret not in dumped and secret[len(token.prefix) :] not in dumped
    # Listed again later without it.
    again = client.get(reverse("api-tokens")).content.decode()
    assert token.prefix in again and secret not in again
    # On a phone each token is a card headed by its name, its revoke button in reach.
    assert '<table class="list reflow">' in again and '<td class="name">สเปรดชีต</td>' in again
    assert Client().get(API, headers=bearer(secret)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("days", [0, -1, 367])
def test_a_token_must_expire_within_a_year_and_after_today(client: Client, days: int) -> None:
    user = make_user("officer")
    client.force_login(user)
    expires = timezone.localdate() + timedelta(days=days)
    response = client.post(reverse("api-tokens"), {"name": "x", "expires_on": expires})
    assert response.status_code == 200 and response.context["form"].errors["expires_on"]
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_an_expired_token_is_refused() -> None:
    user = make_user("officer")
    token, secret = create_api_token(
        user=user, name="x", expires_on=date(2030, 1, 1), by=user, today=date(2029, 6, 1)
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().get(API, headers=bearer(secret))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


@pytest.mark.django_db
def test_a_revoked_token_is_refused_and_only_its_owner_revokes_it(client: Client) -> None:
    owner, other = make_user("owner"), make_user("other")
    token, secret = create_api_token(
        user=owner, name="x", expires_on=timezone.localdate() + timedelta(days=5), by=owner
    )
    assert Client().get(API, headers=bearer(secret)).status_code == 200
    client.force_login(other)
    assert client.post(reverse("api-token-revoke", args=[token.pk])).status_code == 404
    assert Client().get(API, headers=bearer(secret)).status_code == 200
    client.force_login(owner)
    assert client.post(reverse("api-token-revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get(API, headers=bearer(secret)).status_code == 401


@pytest.mark.django_db
def test_a_deactivated_persons_tokens_stop_working() -> None:
    user = make_user("officer")
    _, secret = create_api_token(
        user=user, name="x", expires_on=timezone.localdate() + timedelta(days=5), by=user
    )
    user.is_active = False
    user.save()
    assert Client().get(API, headers=bearer(secret)).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Bearer tdt_unknown", "Bearer ", "Basic b2ZmaWNlcjpwdw==", "x"])
def test_an_unknown_token_or_another_scheme_is_a_401_in_the_error_shape(header: str) -> None:
    response = Client().get(API, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "unauthorized",
            "message": "โทเค็น API นี้ไม่รู้จัก หมดอายุ หรือถูกเพิกถอนแล้ว",
            "fields": {},
        }
    }


@pytest.mark.django_db
def test_a_token_notes_when_it_was_last_used() -> None:
    user = make_user("officer")
    token, secret = create_api_token(
        user=user, name="x", expires_on=timezone.localdate() + timedelta(days=5), by=user
    )
    assert token.last_used_at is None
    Client().get(API, headers=bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db
def test_a_token_reads_as_its_owner_and_the_session_cookie_is_not_read(client: Client) -> None:
    officer = make_user("officer")
    from tidtam.accounts.models import Membership, Role
    from tidtam.test import make_agency

    Membership.objects.create(user=officer, role=Role.OFFICER, agency=make_agency("99990000"))
    make_project(code="99990000-0001", published=False)
    client.force_login(officer)
    # Signed in on the site, but no token: the API answers as to the public.
    assert client.get(API).json()["count"] == 0
    _, secret = create_api_token(
        user=officer, name="x", expires_on=timezone.localdate() + timedelta(days=5), by=officer
    )
    response = Client().get(API, headers=bearer(secret))
    assert response.json()["count"] == 1
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_revoking_twice_changes_nothing() -> None:
    user = make_user("officer")
    token, _ = create_api_token(
        user=user, name="x", expires_on=timezone.localdate() + timedelta(days=5), by=user
    )
    revoke_api_token(token=token, by=user)
    first = token.revoked_at
    revoke_api_token(token=token, by=user)
    assert token.revoked_at == first
    assert ApiToken.history.filter(id=token.pk).count() == 2
