from __future__ import annotations

import html

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tidtam.accounts.models import Role
from tidtam.dashboards.filters import ProjectFilters
from tidtam.indicators.tests.factories import make_kpi
from tidtam.orgs.models import Agency
from tidtam.projects.models import FiscalYear, Project
from tidtam.search.index import refresh_projects
from tidtam.test import make_agency, make_member, make_project


@pytest.fixture
def projects(db: None) -> None:
    water = make_agency("11000000", name_th="สำนักการระบายน้ำ")
    make_project(code="11000000-0001", name="โครงการขุดลอกคลองแสนแสบ", agency=water)
    make_project(
        code="11000000-0002",
        name="โครงการติดตั้งเครื่องสูบน้ำ",
        agency=water,
        fiscal_year=FiscalYear.ensure(2564),
    )
    make_project(code="50120000-0001", name="โครงการปลูกต้นไม้ล้านต้น")
    make_project(code="50120000-0002", name="โครงการที่ยังไม่เผยแพร่", published=False)
    # Made with the plain factory: indexed the way the actions' refresher does it.
    refresh_projects(Project.objects.values_list("pk", flat=True))


def listed(client: Client, query: str = "") -> str:
    return listed_at(client, f"/projects/{query}")


def listed_at(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return html.unescape(response.getvalue().decode("utf-8-sig"))


@pytest.mark.usefixtures("projects")
def test_the_list_shows_published_projects_to_the_public(client: Client) -> None:
    text = listed(client, "?fy=all")
    assert "11000000-0001" in text and "50120000-0001" in text
    assert "50120000-0002" not in text
    client.force_login(make_member("reader", Role.EXECUTIVE))
    assert "50120000-0002" in listed(client, "?fy=all")


@pytest.mark.usefixtures("projects")
def test_column_headers_show_a_single_percent_sign_in_thai_and_english(client: Client) -> None:
    # A label given to an include as _("…(%)") came out of the catalogue as "(%%)".
    thai = listed(client, "?fy=all")
    assert "ความก้าวหน้า (%)" in thai and "ตามแผน (%)" in thai
    assert "%%" not in thai
    client.cookies["django_language"] = "en"
    english = listed(client, "?fy=all")
    assert "Progress (%)" in english and "Planned (%)" in english
    assert "%%" not in english


@pytest.mark.usefixtures("projects")
def test_the_list_opens_on_the_newest_year_and_can_show_every_year(client: Client) -> None:
    text = listed(client)
    assert "11000000-0002" in text and "11000000-0001" not in text
    assert '<option value="2564" selected>' in text
    text = listed(client, "?fy=all")
    assert "11000000-0002" in text and "11000000-0001" in text
    assert '<option value="all" selected>' in text
    # Newest year first (fiscal years order themselves newest first: "-fiscal_year" would
    # reverse that into oldest first).
    assert text.index("11000000-0002") < text.index("11000000-0001")


@pytest.mark.usefixtures("projects")
def test_the_filter_form_keeps_every_choice_made_and_names_agencies_in_the_readers_language(
    client: Client,
) -> None:
    Agency.objects.filter(code="11000000").update(name_en="Drainage and Sewerage Department")
    query = "?fy=all&agency=11000000&status=behind&status=critical&sort=-budget"
    text = listed(client, query)
    assert '<option value="11000000" selected>สำนักการระบายน้ำ</option>' in text
    # The two statuses are one option, so that filtering again keeps both.
    assert '<option value="behind,critical" selected>' in text
    assert '<option value="behind">' in text and '<option value="on_track">' in text
    assert '<option value="-budget" selected>' in text and '<option value="budget">' in text
    # The year, the agency, the statuses, the order, and "Either" of the four yes-or-no filters.
    assert text.count(" selected>") == 8
    client.cookies["django_language"] = "en"
    text = listed(client, query)
    assert '<option value="11000000" selected>Drainage and Sewerage Department</option>' in text
    text = listed(client, "?fy=all&agency=11000000")
    assert '<td data-label="Agency">Drainage and Sewerage Department</td>' in text


@pytest.mark.usefixtures("projects")
def test_the_list_filters_by_fiscal_year_and_agency(client: Client) -> None:
    text = listed(client, "?fy=2564")
    assert "11000000-0002" in text and "11000000-0001" not in text
    text = listed(client, "?fy=all&agency=11000000")
    assert "11000000-0001" in text and "50120000-0001" not in text


@pytest.mark.usefixtures("projects")
def test_the_search_box_matches_code_and_thai_name(client: Client) -> None:
    assert "11000000-0001" in listed(client, "?fy=all&q=แสนแสบ")
    text = listed(client, "?fy=all&q=50120000")
    assert "50120000-0001" in text and "11000000-0001" not in text
    assert "ไม่มีโครงการ" in listed(client, "?q=ไม่มีคำนี้แน่นอน")


@pytest.mark.usefixtures("projects")
def test_words_within_one_year_are_listed_counted_and_paged(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3, 6):
        make_project(code=f"50120000-000{n}", name=f"โครงการปลูกต้นไม้ริมคลอง {n}")
    refresh_projects(Project.objects.values_list("pk", flat=True))
    monkeypatch.setattr("tidtam.dashboards.views.PAGE_SIZE", 2)
    first = client.get("/projects/?fy=2563&q=ต้นไม้")
    view = first.context["view"]
    assert view.total == 4 and not view.more
    assert view.page.paginator.num_pages == 2
    rest = client.get("/projects/?fy=2563&q=ต้นไม้&page=2").context["view"]
    listed = [p.code for p in view.page.object_list] + [p.code for p in rest.page.object_list]
    assert listed == ["50120000-0001", "50120000-0003", "50120000-0004", "50120000-0005"]


@pytest.mark.usefixtures("projects")
def test_words_over_every_year_list_the_first_matches_and_say_there_are_more(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tidtam.dashboards.filters.CAP", 2)
    response = client.get("/projects/?fy=all&q=โครงการ")
    view = response.context["view"]
    # Three published projects match; two are listed, newest year first, and a third is
    # known to exist without every match being counted.
    assert view.total == 2 and view.more
    assert [p.code for p in view.page.object_list] == ["11000000-0002", "11000000-0001"]
    assert "มากกว่า 2 โครงการ" in html.unescape(response.content.decode())
    # Exactly as many as the cap: counted, not "more".
    monkeypatch.setattr("tidtam.dashboards.filters.CAP", 3)
    view = client.get("/projects/?fy=all&q=โครงการ").context["view"]
    assert view.total == 3 and not view.more


@pytest.mark.usefixtures("projects")
def test_bad_filter_values_are_ignored_not_errors(client: Client) -> None:
    # An unreadable year is the default one, the newest.
    assert "11000000-0002" in listed(client, "?fy=abc&page=zz")


@pytest.mark.django_db
def test_the_list_query_count_does_not_grow_with_rows(client: Client) -> None:
    make_project(code="33330000-0001")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/projects/").status_code == 200
        return len(queries)

    few = count()
    for n in range(2, 30):
        make_project(code=f"33330000-{n:04d}")
    assert count() == few


@pytest.mark.usefixtures("projects")
def test_an_agency_with_an_english_name_is_named_in_the_readers_language_everywhere(
    client: Client,
) -> None:
    water = Agency.objects.get(code="11000000")
    water.name_en = "Drainage and Sewerage Department"
    water.save()
    make_kpi(
        "1100-0001",
        agency=water,
        fiscal_year=2564,
        projects=(Project.objects.get(code="11000000-0002"),),
    )
    pages = ("/projects/11000000-0002/", "/kpis/?fy=2564", "/projects/export.csv?fy=2564")
    for path in pages:
        assert "สำนักการระบายน้ำ" in listed_at(client, path), path
    client.cookies["django_language"] = "en"
    for path in pages:
        text = listed_at(client, path)
        assert "Drainage and Sewerage Department" in text, path
        assert "สำนักการระบายน้ำ" not in text, path


def test_several_statuses_read_alike_from_repeated_parameters_and_the_forms_one_option() -> None:
    def statuses(query: str) -> tuple[str, ...]:
        return ProjectFilters.from_query(QueryDict(query), None).statuses

    assert statuses("status=critical&status=behind") == ("behind", "critical")
    assert statuses("status=behind,critical") == ("behind", "critical")
    assert statuses("status=behind,nonsense,") == ("behind",)
    assert ProjectFilters.from_query(QueryDict("status=critical,behind"), None).status_value == (
        "behind,critical"
    )
