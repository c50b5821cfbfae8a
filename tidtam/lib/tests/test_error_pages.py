"""The 404, 403 and 500 pages in the site's layout, in Thai and English."""

from __future__ import annotations

import pytest
from django.template.loader import get_template
from django.test import Client
from django.utils import translation

from tidtam.test import Personas, make_project


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "title"), [("th", "ไม่พบหน้านี้"), ("en", "Page not found")])
def test_a_missing_page_says_so_in_the_layout_in_the_readers_language(
    client: Client, lang: str, title: str
) -> None:
    client.cookies["django_language"] = lang
    response = client.get("/projects/00000000-0000/")
    assert response.status_code == 404
    text = response.content.decode()
    assert title in text and 'class="site"' in text


@pytest.mark.django_db
def test_a_refusal_has_no_script_link(client: Client, personas: Personas) -> None:
    project = make_project()
    client.force_login(personas.evaluator)
    response = client.get(f"/projects/{project.code}/edit/")
    assert response.status_code == 403
    assert "javascript:" not in response.content.decode()


@pytest.mark.parametrize(("lang", "title"), [("th", "ระบบขัดข้อง"), ("en", "Server error")])
def test_the_server_error_page_renders_without_a_request_or_the_database(
    lang: str, title: str
) -> None:
    # As Django's server_error renders it: no request, no context processors, no queries
    # (this test has no database access).
    with translation.override(lang):
        text = get_template("500.html").render({})
    assert title in text and 'class="site"' in text and f'lang="{lang}"' in text
