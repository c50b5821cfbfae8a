"""The API's error shape, languages, rate limits, pagination totals, and the web list's
filters giving the same projects."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import redis
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tidtam.accounts.actions import create_api_token
from tidtam.test import make_project, make_user

API = "/api/v1/projects"


def shape(body: dict) -> set[str]:
    return set(body["error"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page_size=101",
        "page=99999999999999999999999999999999",
        "page=abc",
        "fy=abcd",
        "sort=nonsense",
        "missing=2",
        "q=%00",
    ],
)
def test_bad_parameters_are_a_422_naming_the_field_never_a_500(query: str) -> None:
    response = Client().get(f"{API}?{query}")
    assert response.status_code == 422
    body = response.json()
    assert shape(body) == {"code", "message", "fields"}
    assert body["error"]["code"] == "invalid"
    assert list(body["error"]["fields"]) == [query.split("=")[0]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "field"),
    [("projects/%00", "code"), ("plans/a%00b", "code"), ("kpis/2563/%00", "code")],
)
def test_a_nul_character_in_a_path_is_a_422_naming_it(path: str, field: str) -> None:
    response = Client().get(f"/api/v1/{path}")
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == [field]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["group=99999999999999999999999", "node=-99999999999999999999", "problem_category=9e9"]
)
def test_huge_numbers_in_the_filters_match_nothing_instead_of_failing(query: str) -> None:
    make_project()
    assert Client().get(f"{API}?fy=all&{query}").status_code in (200, 422)
    assert Client().get(f"{reverse('project-list')}?fy=all&{query}").status_code == 200


@pytest.mark.django_db
def test_messages_are_thai_by_default_and_english_on_request() -> None:
    thai = Client().get(f"{API}?page=0").json()["error"]
    assert thai["message"] == "พารามิเตอร์บางตัวไม่ถูกต้อง"
    assert thai["fields"]["page"] == ["ระบุจำนวนอย่างน้อย 1"]
    for english in (
        Client().get(f"{API}?page=0&lang=en").json()["error"],
        Client()
        .get(f"{API}?page=0", headers={"Accept-Language": "en-GB,en;q=0.8"})
        .json()["error"],
    ):
        assert english["message"] == "Some parameters are not valid."
        assert english["fields"]["page"] == ["Enter a number of at least 1."]


@pytest.mark.django_db
def test_an_unknown_project_is_a_404_in_the_error_shape() -> None:
    response = Client().get(f"{API}/nope?lang=en")
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "not_found",
        "message": "There is no such record, or you may not see it.",
        "fields": {},
    }


@pytest.mark.django_db
@override_settings(API_RATE_ANONYMOUS=3, API_RATE_TOKEN=5)
def test_requests_beyond_the_limit_are_a_429_per_address_and_per_token() -> None:
    here, there = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    assert [here.get(API).status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = here.get(API)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "rate_limited"
    assert there.get(API).status_code == 200  # another address counts on its own
    user = make_user("officer")
    _, secret = create_api_token(
        user=user, name="x", expires_on=timezone.localdate() + timedelta(days=5), by=user
    )
    auth = {"Authorization": f"Bearer {secret}"}
    # From the exhausted address, the token counts on its own, up to its own limit.
    assert [here.get(API, headers=auth).status_code for _ in range(6)] == [200] * 5 + [429]


@pytest.mark.django_db
def test_pages_report_the_totals() -> None:
    for n in range(1, 6):
        make_project(code=f"99990000-000{n}")
    first = Client().get(f"{API}?fy=2563&page_size=2").json()
    assert (first["count"], first["pages"], first["page"]) == (5, 3, 1)
    assert [r["code"] for r in first["results"]] == ["99990000-0001", "99990000-0002"]
    last = Client().get(f"{API}?fy=2563&page_size=2&page=3").json()
    assert [r["code"] for r in last["results"]] == ["99990000-0005"]
    with CaptureQueriesContext(connection) as on_last:
        Client().get(f"{API}?fy=2563&page_size=2&page=3")
    with CaptureQueriesContext(connection) as past_end:
        beyond = Client().get(f"{API}?fy=2563&page_size=2&page=4").json()
    assert beyond["results"] == [] and beyond["count"] == 5
    # Past the end, neither the page's keys nor its rows are read.
    assert len(past_end) == len(on_last) - 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "fy=all",
        "fy=2563&sort=-name",
        "fy=all&agency=99980000",
        "fy=2563&q=สะพาน",
        "fy=all&sample=0",
        "fy=2563&status=not_started&status=on_track",
        "fy=2563&status=not_started,on_track",
    ],
)
def test_the_filters_give_the_same_projects_as_the_web_list(query: str) -> None:
    make_project(code="99990000-0001", name="สะพานคลองหนึ่ง")
    make_project(code="99980000-0001", name="ถนนสาย ข")
    make_project(code="99990000-0002", name="สะพานลอย", published=False)
    call_command("refresh_standings", stdout=StringIO())
    call_command("rebuild_search_index", stdout=StringIO())
    web = Client().get(f"{reverse('project-list')}?{query}")
    web_codes = [p.code for p in web.context["view"].page.object_list]
    api_codes = [r["code"] for r in Client().get(f"{API}?{query}").json()["results"]]
    assert api_codes == web_codes and web_codes


def test_the_documentation_loads_nothing_from_outside(client: Client) -> None:
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "http://" not in page and "https://" not in page and "//cdn" not in page
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert '"validatorUrl": null' in page


@pytest.mark.django_db
@override_settings(API_RATE_ANONYMOUS=3)
def test_with_redis_the_rate_limits_are_counted_once_for_every_server(
    settings: Any, redis_url: str
) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "tidtam",
        }
    }
    server = redis.Redis.from_url(redis_url)
    server.flushdb()
    here = Client(REMOTE_ADDR="10.0.0.1")
    assert [here.get(API).status_code for _ in range(3)] == [200] * 3
    (key,) = server.keys("tidtam:*api-rate:address:10.0.0.1:*")
    assert int(server.get(key) or 0) == 3  # counted in Redis, which every server reads
    caches["default"].close()  # a fresh connection, as another server has
    assert here.get(API).status_code == 429
