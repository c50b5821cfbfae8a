from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from tidtam.accounts.models import Membership, Role
from tidtam.lib.fiscal import fiscal_year_bounds, fiscal_year_of
from tidtam.orgs.models import Origin
from tidtam.projects.models import FiscalYear
from tidtam.reporting.models import ProgressReport
from tidtam.test import add_steps, make_agency, make_project, signs_in

pytestmark = pytest.mark.django_db


def test_demo_accounts_sign_in_with_their_roles_and_loading_twice_changes_nothing() -> None:
    make_agency("03000000", name_th="สำนักงานคณะกรรมการข้าราชการกรุงเทพมหานคร")
    make_agency("21000000", name_th="สำนักยุทธศาสตร์และประเมินผล (สยป.)")
    call_command("load_demo_accounts", stdout=StringIO())
    call_command("load_demo_accounts", stdout=StringIO())
    assert Membership.objects.count() == 6
    assert Membership.history.count() == 6
    assert Membership.objects.get(user__username="officer").role == Role.OFFICER
    assert signs_in("approver", "tidtam-demo")
    # Each agency account is named after its agency as loaded, not a name written beside it.
    officer = Membership.objects.get(user__username="officer").user
    assert officer.get_full_name() == "เจ้าหน้าที่ สำนักงานคณะกรรมการข้าราชการกรุงเทพมหานคร"
    officer2 = Membership.objects.get(user__username="officer2").user
    assert officer2.last_name == "สำนักยุทธศาสตร์และประเมินผล (สยป.)"


@override_settings(DEVELOPMENT=False)
def test_demo_accounts_are_refused_outside_development() -> None:
    with pytest.raises(CommandError):
        call_command("load_demo_accounts")
    assert not Membership.objects.exists()


def test_the_demo_approver_finds_a_report_of_the_demo_officer_waiting_for_review() -> None:
    agency = make_agency("03000000", name_th="สำนักงานคณะกรรมการข้าราชการกรุงเทพมหานคร")
    make_agency("21000000", name_th="สำนักยุทธศาสตร์และประเมินผล (สยป.)")
    today = timezone.localdate()
    year = fiscal_year_of(today)
    start, end = fiscal_year_bounds(year)
    manual = make_project(code="03000000-0001", agency=agency, fiscal_year=FiscalYear.ensure(year))
    sample = make_project(
        code="03000000-0002",
        agency=agency,
        fiscal_year=FiscalYear.ensure(year),
        origin=Origin.SAMPLE,
    )
    for project in (manual, sample):
        add_steps(project, ("100", start.isoformat(), end.isoformat()))

    call_command("load_demo_accounts", stdout=StringIO())
    call_command("load_demo_accounts", stdout=StringIO())

    # One report, of the sample project (never of an officer's own record), submitted by the
    # demo officer with the planned percent of today, and the approver has it to review.
    report = ProgressReport.objects.get()
    assert (report.project, report.status, report.report_date) == (sample, "submitted", today)
    assert report.submitted_by.username == "officer"
    assert report.percent == sample.planned_progress(today).quantize(Decimal(1))
    approver = Membership.objects.get(user__username="approver").user
    assert list(ProgressReport.objects.awaiting_review_by(approver)) == [report]
