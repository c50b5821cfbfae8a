"""The search page: who finds what, the passage that matched, the messages, the queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tidtam.search.tests.conftest import Find, index_all
from tidtam.standing.refresh import refresh_projects as refresh_standings
from tidtam.test import Personas, make_project

pytestmark = pytest.mark.django_db


def test_the_public_finds_published_projects_only(personas: Personas, find: Find) -> None:
    make_project(code="99990000-0001", name="โครงการสวนสาธารณะ", published=True)
    make_project(code="99990000-0002", name="โครงการสวนหย่อม", published=False)
    make_project(code="99980000-0001", name="โครงการสวนผัก", published=False)
    index_all()
    assert find("สวน") == ["99990000-0001"]
    assert find("สวน", personas.officer_b) == ["99980000-0001", "99990000-0001"]
    assert find("สวน", personas.officer_a) == ["99990000-0001", "99990000-0002"]
    assert find("สวน", personas.executive) == [
        "99980000-0001",
        "99990000-0001",
        "99990000-0002",
    ]


def test_a_result_shows_the_project_and_the_passage_that_matched(
    client: Client, personas: Personas
) -> None:
    project = make_project(
        code="99990000-0001",
        name="โครงการพัฒนาคลอง",
        rationale="น้ำเน่าเสียส่งกลิ่นรบกวนชุมชนริมคลองมาเป็นเวลานาน",
    )
    refresh_standings([project.pk])
    index_all()
    response = client.get("/search/", {"q": "น้ำเน่า"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "99990000-0001" in page and "โครงการพัฒนาคลอง" in page
    assert personas.agency_a.name_th in page and "2563" in page
    assert "<mark>น้ำเน่า</mark>เสีย" in page
    assert "หลักการและเหตุผล" in page or "Rationale" in page
    assert f'class="status status-{project.standing.status}"' in page


def test_user_text_is_escaped_around_the_marks(client: Client) -> None:
    make_project(code="99990000-0001", name="<b>ตัวหนา</b> & <script>alert(1)</script>")
    index_all()
    page = client.get("/search/", {"q": "<script>"}).content.decode()
    assert "<mark>&lt;script&gt;</mark>" in page
    assert "<script>alert" not in page and "&lt;b&gt;" in page


def test_a_report_passage_says_which_month(client: Client) -> None:
    from datetime import date
    from decimal import Decimal

    from tidtam.orgs.models import Origin
    from tidtam.reporting.models import ProgressReport

    project = make_project(code="99990000-0001", name="โครงการหนึ่ง")
    ProgressReport.objects.create(
        project=project,
        report_date=date(2020, 3, 31),
        percent=Decimal(30),
        status="approved",
        origin=Origin.MANUAL,
        narrative="ติดตั้งเสาเข็มครบทุกต้น",
    )
    index_all()
    page = client.get("/search/", {"q": "เสาเข็ม"}).content.decode()
    assert "<mark>เสาเข็ม</mark>" in page
    assert "มี.ค. 2563" in page or "Mar 2020" in page


def test_an_empty_query_explains_what_to_type(client: Client) -> None:
    response = client.get("/search/", {"q": "   "})
    assert response.status_code == 200
    assert 'class="search-help"' in response.content.decode()


def test_no_results_say_so_and_suggest_another_try(client: Client) -> None:
    make_project(code="99990000-0001", name="โครงการหนึ่ง")
    index_all()
    page = client.get("/search/", {"q": "ไม่มีคำนี้แน่นอน"}).content.decode()
    assert 'class="search-none"' in page and "ไม่มีคำนี้แน่นอน" in page


def test_the_header_of_every_page_has_a_search_box(client: Client) -> None:
    page = client.get("/").content.decode()
    assert 'action="/search/"' in page and 'for="site-search-q"' in page


def count_queries(client: Client, q: str) -> int:
    client.get("/search/", {"q": q})  # warm caches (language, session)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/search/", {"q": q}).status_code == 200
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_results(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.officer_a)
    make_project(code="99990000-0001", name="โครงการถนนสายหนึ่ง")
    index_all()
    one = count_queries(client, "ถนน")
    for n in range(2, 26):
        make_project(code=f"99990000-{n:04d}", name=f"โครงการถนนสาย {n}")
    index_all()
    many = count_queries(client, "ถนน")
    assert many == one


def test_terms_in_the_name_are_marked_there_and_the_passage_shows_the_others(
    client: Client,
) -> None:
    make_project(code="99990000-0001", name="โครงการขุดลอกคลอง", rationale="คลองตื้นเขิน")
    index_all()
    only_name = client.get("/search/", {"q": "ขุดลอก"}).content.decode()
    assert "โครงการ<mark>ขุดลอก</mark>คลอง" in only_name
    assert 'class="hit-passage"' not in only_name
    both = client.get("/search/", {"q": "ขุดลอก ตื้นเขิน"}).content.decode()
    assert "คลอง<mark>ตื้นเขิน</mark>" in both and 'class="hit-passage"' in both
