"""Progress measured as a quantity (750 of 1,000 trees): the report form asks for the quantity,
the action works the percent out of it, and the report page, the project page, its chart and
the stored standing show the quantity with its percent."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tidtam.projects.models import Project
from tidtam.projects.schedule import percent_of_target
from tidtam.reporting import actions
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.reporting.tests.conftest import form_data, values
from tidtam.standing.models import ProjectStanding
from tidtam.test import Personas, make_project

D = Decimal


@pytest.fixture
def trees(personas: Personas) -> Project:
    return make_project(
        code=f"{personas.agency_a.code}-0002",
        name="ปลูกต้นไม้ริมคลอง",
        progress_unit="ต้น",
        progress_target=D(1000),
    )


def text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def quantity_post(**overrides: str) -> dict[str, str]:
    data = form_data(**{"quantity": "750", **overrides})
    del data["percent"]
    return data


@pytest.mark.parametrize(
    ("quantity", "target", "percent"),
    [
        ("750", "1000", "75.00"),
        ("0", "1000", "0.00"),
        ("1", "3", "33.33"),
        ("2", "3", "66.67"),
        ("1000", "1000", "100.00"),
        # More than the target: the work is done; the report keeps the quantity itself.
        ("1050", "1000", "100.00"),
    ],
)
def test_the_percent_is_the_quantity_of_the_target_to_two_places(
    quantity: str, target: str, percent: str
) -> None:
    assert percent_of_target(D(quantity), D(target)) == D(percent)


def test_the_report_form_asks_for_the_quantity_instead_of_the_percent(
    client: Client, personas: Personas, trees: Project
) -> None:
    client.force_login(personas.officer_a)
    page = text(client.get(f"/projects/{trees.code}/reports/new/"))
    assert 'name="quantity"' in page and 'name="percent"' not in page
    assert "ปริมาณงานสะสม (ต้น)" in page and "จากเป้าหมาย 1,000 ต้น" in page
    # A project reported in percent keeps its percent field.
    plain = make_project(code=f"{personas.agency_a.code}-0003")
    page = text(client.get(f"/projects/{plain.code}/reports/new/"))
    assert 'name="percent"' in page and 'name="quantity"' not in page


def test_the_officer_enters_750_trees_and_the_report_stores_75_percent(
    client: Client, personas: Personas, trees: Project
) -> None:
    client.force_login(personas.officer_a)
    response = client.post(f"/projects/{trees.code}/reports/new/", quantity_post())
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.quantity, report.percent) == (D(750), D(75))
    edit = text(client.get(f"/reports/{report.pk}/edit/"))
    assert 'name="quantity"' in edit and 'value="750.00"' in edit


@pytest.mark.parametrize(
    ("quantity", "message"),
    [("", "กรุณาระบุปริมาณงานสะสมที่ทำได้"), ("-5", "ปริมาณงานต้องไม่ติดลบ")],
)
def test_a_missing_or_negative_quantity_is_refused_and_nothing_is_saved(
    client: Client, personas: Personas, trees: Project, quantity: str, message: str
) -> None:
    client.force_login(personas.officer_a)
    response = client.post(f"/projects/{trees.code}/reports/new/", quantity_post(quantity=quantity))
    assert response.status_code == 200
    page = text(response)
    assert message in page[page.index('name="quantity"') :]
    assert not ProgressReport.objects.exists()


def test_the_action_works_the_percent_out_whatever_percent_a_caller_sends(
    personas: Personas, trees: Project
) -> None:
    report = actions.create_report(
        project=trees,
        values=values(percent=D(10), quantity=D(250)),
        by=personas.officer_a,
    )
    assert (report.quantity, report.percent) == (D(250), D(25))
    with pytest.raises(ValidationError) as refused:
        actions.create_report(
            project=trees,
            values=values(report_date=date(2020, 2, 28), percent=D(40)),
            by=personas.officer_a,
        )
    assert refused.value.message_dict == {"quantity": ["กรุณาระบุปริมาณงานสะสมที่ทำได้ (หน่วย: ต้น)"]}
    # A lower quantity than before needs a reason, as a lower percent does.
    with pytest.raises(ValidationError) as lower:
        actions.create_report(
            project=trees,
            values=values(report_date=date(2020, 2, 28), quantity=D(200), percent=None),
            by=personas.officer_a,
        )
    assert "ปริมาณงานต่ำกว่ารายงานครั้งก่อน (250 ต้น" in " ".join(lower.value.messages)
    assert ProgressReport.objects.count() == 1


def test_a_project_reported_in_percent_keeps_no_quantity(
    personas: Personas, project: Project
) -> None:
    report = actions.create_report(
        project=project, values=values(quantity=D(9)), by=personas.officer_a
    )
    assert (report.percent, report.quantity) == (D(40), None)


def test_the_report_and_project_pages_chart_and_standing_show_the_quantity_with_its_percent(
    client: Client, personas: Personas, trees: Project
) -> None:
    client.force_login(personas.officer_a)
    client.post(f"/projects/{trees.code}/reports/new/", quantity_post(and_submit="1", spent=""))
    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED
    client.force_login(personas.approver_a)
    assert client.post(f"/reports/{report.pk}/approve/", {"version": "2"}).status_code == 302

    standing = ProjectStanding.objects.get(project=trees)
    assert (standing.reported_percent, standing.reported_quantity) == (D(75), D(750))
    assert standing.quantities == {date(2020, 1, 31): D(750)}

    detail = text(Client().get(f"/reports/{report.pk}/"))
    assert "75.00\u00a0%</strong> (750 จาก 1,000 ต้น)" in detail
    page = text(Client().get(f"/projects/{trees.code}/"))
    overall = page[page.index('id="progress-h"') : page.index("</section>")]
    assert "750 จาก 1,000 ต้น" in overall
    assert "31 ม.ค. 2563: 750 ต้น (75.00%)" in overall  # the chart's point
    assert "(750 จาก 1,000 ต้น)" in page[page.index('id="reports-h"') :]
