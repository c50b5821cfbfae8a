from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from tidtam.accounts.models import Membership, Role
from tidtam.indicators.models import KpiResult
from tidtam.indicators.tests.factories import make_kpi
from tidtam.lib.fiscal import quarter_of
from tidtam.orgs.models import Origin
from tidtam.projects.models import FiscalYear
from tidtam.reporting.models import ProgressReport
from tidtam.test import make_agency, make_project, signs_in

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


def test_the_demo_approver_finds_a_kpi_result_of_the_demo_officer_waiting_for_review() -> None:
    agency = make_agency("03000000", name_th="สำนักงานคณะกรรมการข้าราชการกรุงเทพมหานคร")
    make_agency("21000000", name_th="สำนักยุทธศาสตร์และประเมินผล (สยป.)")
    year, number = quarter_of(timezone.localdate())
    project = make_project(code="03000000-0002", agency=agency, fiscal_year=FiscalYear.ensure(year))
    # A KPI an officer entered is left alone; the sample one gets the result.
    make_kpi("0300-0001", agency=agency, fiscal_year=year, projects=(project,))
    sample = make_kpi(
        "0300-9000", agency=agency, fiscal_year=year, origin=Origin.SAMPLE, target=Decimal(120)
    )
    make_kpi("0300-9001", agency=agency, fiscal_year=year, origin=Origin.SAMPLE)

    call_command("load_demo_accounts", stdout=StringIO())
    call_command("load_demo_accounts", stdout=StringIO())

    # One result, of this quarter, for the quarters' share of the target, submitted by the
    # demo officer, and the approver has it to review; the officer's monthly reports are
    # left for the officer to write.
    result = KpiResult.objects.get()
    assert (result.kpi, result.quarter.number, result.status) == (sample, number, "submitted")
    assert result.result == Decimal(120 * number // 4)
    assert result.submitted_by is not None and result.submitted_by.username == "officer"
    approver = Membership.objects.get(user__username="approver").user
    assert list(KpiResult.objects.awaiting_review_by(approver)) == [result]
    assert not ProgressReport.objects.exists()

    # Approved, it is not followed by another demo result when the command runs again.
    result.status = "approved"
    result.save()
    call_command("load_demo_accounts", stdout=StringIO())
    assert KpiResult.objects.count() == 1
