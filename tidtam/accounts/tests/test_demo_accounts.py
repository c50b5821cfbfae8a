from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from tidtam.accounts.models import Membership, Role
from tidtam.test import make_agency, signs_in

pytestmark = pytest.mark.django_db


def test_demo_accounts_sign_in_with_their_roles_and_loading_twice_changes_nothing() -> None:
    make_agency("03000000", name_th="สำนักงานคณะกรรมการข้าราชการกรุงเทพมหานคร")
    make_agency("21000000", name_th="สำนักยุทธศาสตร์และประเมินผล (สยป.)")
    call_command("load_demo_accounts")
    call_command("load_demo_accounts")
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
