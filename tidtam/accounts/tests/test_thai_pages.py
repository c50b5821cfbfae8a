"""No English in the Thai interface: every page of the permission matrix, as every persona.

The pages are read as a reader meets them (their text, titles, placeholders and labels for
screen readers) and searched for the words of Django's own messages and of reasons written
for programmers. English that is meant to be there carries `lang="en"` (the brand) or is the
language switch itself.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client

from tidtam.accounts.tests.test_permission_matrix import CASES, build_world
from tidtam.indicators.models import Kpi, KpiLevel
from tidtam.projects.models import BudgetInstalment
from tidtam.test import ROLES, make_user

# Words of Django's validation, admin and permission messages and of programmers' reasons;
# none is a code, a name or a Thai loan word.
ENGLISH = re.compile(
    r"\b(Ensure|Enter|Please|Select a|This field|required|must|only|successfully|"
    r"permission|characters?|digits?|decimal|already exists|does not exist|not a valid|"
    r"Forbidden|read-only|officers|evaluators|administrators|approvers|output|outcome|"
    r"Object|Changed|Added|Deleted|Revert|Date/time|Yes|True|False|None)\b"
)
_SKIPPED = re.compile(
    r"<(script|style)\b.*?</\1>"
    r'|<(\w+)[^>]*\blang="en"[^>]*>.*?</\2>'
    r'|<form class="lang".*?</form>',
    re.S,
)
# A field's label on a form, a column's heading in a list.
_LABELS = re.compile(r'<label\b[^>]*>(.*?)</label>|<th scope="col"[^>]*>(.*?)</th>', re.S)
_THAI = re.compile("[\u0e01-\u0e5b]")
_READ_ATTRIBUTES = re.compile(r'\b(?:title|placeholder|aria-label|alt)="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")


def english_in(page: str) -> list[str]:
    """The English words a Thai reader would meet on the page."""
    kept = _SKIPPED.sub(" ", page)
    text = html.unescape(" ".join([_TAG.sub(" ", kept), *_READ_ATTRIBUTES.findall(kept)]))
    return [
        text[max(0, m.start() - 40) : m.end() + 40].replace("\n", " ")
        for m in ENGLISH.finditer(text)
    ]


def english_labels(page: str) -> list[str]:
    """Labels and column headings without a Thai word: a field's code name shown as is."""
    found = []
    for match in _LABELS.finditer(_SKIPPED.sub(" ", page)):
        text = html.unescape(_TAG.sub(" ", match[1] or match[2] or "")).strip(" *:\n")
        if re.search("[A-Za-z]", text) and not _THAI.search(text):
            found.append(text)
    return found


def test_the_search_finds_what_it_is_meant_to_find() -> None:
    assert english_in("<p>Ensure that there are no more than 15 digits in total.</p>")
    assert english_in('<div class="alert error"><p>read-only</p></div>')
    assert english_in("<dd>ผลผลิต (output)</dd>")
    assert english_in('<input placeholder="Select a date">')
    assert not english_in('<a class="brand">ติดตาม <small lang="en">Tidtam</small></a>')
    assert not english_in('<form class="lang"><button>English</button></form>')
    assert not english_in("<p>99990000-0001 officer_a หลักฐาน.pdf K-A</p>")
    assert english_labels('<label for="id_a">created at:</label>') == ["created at"]
    assert not english_labels('<th scope="col"><a href="?o=1">ค่าตรวจสอบ SHA-256</a></th>')


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_page_speaks_english_to_a_thai_reader(client: Client, role: str) -> None:
    world = build_world()
    # A KPI's level was shown with its code beside its name: "ผลผลิต (output)".
    Kpi.objects.update(level=KpiLevel.OUTPUT)
    user = world.personas.by_name()[role]
    if user is not None:
        client.force_login(user)
    english: dict[str, list[str]] = {}
    for case in CASES:
        if case.method != "GET":
            continue
        url = case.url(world)
        response = client.get(url)
        if response.status_code not in (200, 403) or "html" not in response["Content-Type"]:
            continue
        if found := english_in(response.content.decode()):
            english[f"{url} ({response.status_code})"] = found
    assert not english, "\n".join(f"{url}: {found}" for url, found in english.items())


@pytest.mark.django_db
def test_no_page_of_the_admin_speaks_english_to_a_thai_reader(client: Client) -> None:
    build_world()
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    english: dict[str, list[str]] = {}
    for model in admin.site._registry:
        if not model.__module__.startswith("tidtam."):
            continue
        opts = model._meta
        urls = [f"/admin/{opts.app_label}/{opts.model_name}/"]
        if first := model._default_manager.order_by("pk").first():
            urls += [f"{urls[0]}{first.pk}/change/", f"{urls[0]}{first.pk}/history/"]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.content.decode()
            if found := english_in(page) + english_labels(page):
                english[url] = found
    assert not english, "\n".join(f"{url}: {found}" for url, found in english.items())


@pytest.mark.django_db
def test_the_admin_index_names_every_application_and_model_in_thai(client: Client) -> None:
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    page = client.get("/admin/").content.decode()
    names = [
        _TAG.sub("", name).strip()
        for name in re.findall(
            r'<caption>(.*?)</caption>|<th scope="row"[^>]*>(.*?)</th>', page, re.S
        )
        for name in name
        if name
    ]
    assert len(names) > 10
    assert [name for name in names if not _THAI.search(name)] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "released_on"),
    [
        ("1234567890123456", "1/11/2562"),  # Django: "no more than 15 digits in total"
        ("12.345", "1/11/2562"),  # Django: "no more than 2 decimal places"
        ("", ""),  # Django: "This field is required."
        ("100", "1/11/2019"),  # ours: a Christian-era year typed in Thai
    ],
)
def test_a_refused_form_speaks_thai(client: Client, amount: str, released_on: str) -> None:
    world = build_world()
    client.force_login(world.personas.officer_a)
    url = f"/projects/{world.projects['A_pub'].code}/budget/"
    before = BudgetInstalment.objects.count()
    response = client.post(url, {"released_on": released_on, "amount": amount, "note": ""})
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not english_in(response.content.decode())
    assert BudgetInstalment.objects.count() == before


@pytest.mark.django_db
def test_an_expired_form_is_explained_in_thai() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "แบบฟอร์มหมดอายุแล้ว" in page
    assert not english_in(page)
