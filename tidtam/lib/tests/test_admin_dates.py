"""The admin writes and reads dates in the reader's era, like the rest of the site."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import Client
from django.utils import timezone

from tidtam.indicators.models import QuarterClosure
from tidtam.lib.admin import ReaderValues
from tidtam.projects.models import FiscalYear
from tidtam.reporting import actions
from tidtam.reporting.models import ReminderLog
from tidtam.test import Personas, make_project, make_user


@pytest.fixture
def root(db: None) -> Client:
    client = Client()
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


def test_every_model_admin_and_inline_of_the_project_writes_dates_in_the_readers_era() -> None:
    ours = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("tidtam.")
    }
    assert ours
    for model_admin in ours.values():
        assert isinstance(model_admin, ReaderValues), type(model_admin)
        for inline in model_admin.inlines:
            assert issubclass(inline, ReaderValues), inline


@pytest.mark.parametrize(
    ("lang", "shown", "not_shown"),
    [("th", "31 ม.ค. 2563", "Jan. 31, 2020"), ("en", "31 Jan 2020", "2563")],
)
def test_a_list_of_the_admin_shows_its_dates_in_the_readers_era(
    root: Client, personas: Personas, lang: str, shown: str, not_shown: str
) -> None:
    project = make_project(code=f"{personas.agency_a.code}-0001")
    actions.create_report(
        project=project,
        values=actions.ReportValues(
            report_date=date(2020, 1, 31), percent=Decimal(40), narrative="ก"
        ),
        by=personas.officer_a,
    )
    root.cookies["django_language"] = lang
    page = root.get("/admin/reporting/progressreport/").content.decode()
    assert shown in page
    assert not_shown not in page


def test_a_read_only_record_of_the_admin_shows_its_moment_in_the_buddhist_era(
    root: Client, personas: Personas
) -> None:
    make_project(code=f"{personas.agency_a.code}-0001")
    closure = QuarterClosure.objects.create(
        quarter=FiscalYear.ensure(2563).quarters.get(number=1),
        closed_by=personas.evaluator,
        closed_at=timezone.make_aware(datetime(2020, 1, 5, 9, 30)),
    )
    page = root.get(f"/admin/indicators/quarterclosure/{closure.pk}/change/").content.decode()
    assert "5 ม.ค. 2563 09:30" in page
    log = ReminderLog.objects.create(user=personas.officer_a, month=date(2020, 1, 1), projects=1)
    page = root.get(f"/admin/reporting/reminderlog/{log.pk}/change/").content.decode()
    assert "1 ม.ค. 2563" in page


def test_a_date_of_the_admin_is_typed_and_shown_in_the_buddhist_era(root: Client) -> None:
    year = FiscalYear.ensure(2563)
    url = f"/admin/projects/fiscalyear/{year.pk}/change/"
    page = root.get(url)
    form = page.content.decode()
    start = re.search(r'<input[^>]*name="start"[^>]*>', form)
    assert start and 'value="1/10/2562"' in start[0] and 'inputmode="numeric"' in start[0]
    formset = page.context["inline_admin_formsets"][0].formset
    data = {
        "year": "2563",
        "start": "2/10/2562",
        "end": "30/9/2563",
        **{f"{formset.prefix}-{k}": v for k, v in _management(formset).items()},
    }
    response = root.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    year.refresh_from_db()
    assert year.start == date(2019, 10, 2)


def test_a_christian_era_year_typed_in_the_thai_admin_is_refused(root: Client) -> None:
    year = FiscalYear.ensure(2563)
    url = f"/admin/projects/fiscalyear/{year.pk}/change/"
    formset = root.get(url).context["inline_admin_formsets"][0].formset
    data = {
        "year": "2563",
        "start": "2/10/2019",
        "end": "30/9/2563",
        **{f"{formset.prefix}-{k}": v for k, v in _management(formset).items()},
    }
    response = root.post(url, data)
    assert response.status_code == 200
    assert "ปี 2019 เป็นปี ค.ศ." in response.content.decode()
    year.refresh_from_db()
    assert year.start == date(2019, 10, 1)


def _management(formset: object) -> dict[str, str]:
    """The inline's management form and its rows unchanged (dates in ISO, which is read too)."""
    forms = formset.forms  # type: ignore[attr-defined]
    data = {"TOTAL_FORMS": str(len(forms)), "INITIAL_FORMS": str(len(forms))}
    data |= {"MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}
    for n, form in enumerate(forms):
        for name in form.fields:
            value = form[name].value()
            data[f"{n}-{name}"] = "" if value is None else str(value)
    return data


def test_the_admin_history_of_a_record_writes_its_moments_in_the_buddhist_era(
    root: Client,
) -> None:
    year = FiscalYear.ensure(2563)
    url = f"/admin/projects/fiscalyear/{year.pk}/change/"
    formset = root.get(url).context["inline_admin_formsets"][0].formset
    data = {"year": "2563", "start": "1/10/2562", "end": "30/9/2563"}
    data |= {f"{formset.prefix}-{k}": v for k, v in _management(formset).items()}
    assert root.post(url, data).status_code == 302
    page = root.get(f"/admin/projects/fiscalyear/{year.pk}/history/").content.decode()
    now = timezone.localtime()
    assert f"{now.day} " in page and f" {now.year + 543} " in page
