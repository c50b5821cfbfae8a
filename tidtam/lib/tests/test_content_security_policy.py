"""Every response carries the Content-Security-Policy (settings.CONTENT_SECURITY_POLICY):
the site's own scripts, styles, images and fonts only, no inline code, no eval."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import Client, override_settings
from django.urls import path

from tidtam.lib.tests.site_pages import World, site_pages

EXPECTED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(header: str) -> dict[str, str]:
    pairs = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in pairs}


def assert_strict(response: HttpResponseBase, what: str) -> None:
    header = response.get("Content-Security-Policy")
    assert header, f"{what}: no Content-Security-Policy"
    assert "unsafe-inline" not in header and "unsafe-eval" not in header, what
    assert "unsafe-hashes" not in header and "nonce-" not in header, what
    assert directives(header) == EXPECTED, what


@pytest.mark.django_db
def test_every_main_page_carries_the_strict_policy(site_world: World) -> None:
    for page in site_pages(site_world):
        client = Client()
        if page.who:
            client.force_login(User.objects.get(username=page.who))
        response = client.get(page.url)
        assert response.status_code == page.status, page.name
        assert_strict(response, page.name)


@pytest.mark.django_db
def test_api_answers_redirects_and_static_files_carry_it_too(site_world: World) -> None:
    client = Client()
    code = site_world.project.code
    for url in (
        f"/api/v1/projects/{code}",
        "/api/v1/openapi.json",
        "/me/",  # a redirect to the sign-in page
        "/static/css/tidtam.css",
        "/static/js/back.js",
    ):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert_strict(response, url)
    response = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    assert_strict(response, "a refused sign-in")


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("fails/", fails)]


@override_settings(ROOT_URLCONF=__name__)
def test_the_server_error_page_carries_it(db: None) -> None:
    response = Client(raise_request_exception=False).get("/fails/")
    assert response.status_code == 500
    assert_strict(response, "the 500 page")


def test_the_check_refuses_a_lax_policy() -> None:
    lax = HttpResponse()
    lax["Content-Security-Policy"] = "default-src 'self'; script-src 'self' 'unsafe-inline'"
    with pytest.raises(AssertionError):
        assert_strict(lax, "lax")
    assert directives("default-src 'self'; img-src 'self' data:") == {
        "default-src": "'self'",
        "img-src": "'self' data:",
    }
