"""Shared test builders: the seed pages where they lie, personas and plain factories."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tidtam.accounts.actions import deactivate_user
from tidtam.accounts.models import Membership, Role
from tidtam.orgs.models import Agency, AgencyKind, Origin
from tidtam.projects.models import FiscalYear, PlanLink, PlanStep, Project
from tidtam.strategy.models import PlanNode

SEED_CODES = ("03000000-2457", "21000000-3137")


def seeds_dir() -> Path:
    """The legacy pages in ../shared/seeds (or $TIDTAM_SEEDS): read in place, never copied."""
    return Path(os.environ.get("TIDTAM_SEEDS", Path(settings.BASE_DIR).parent / "shared" / "seeds"))


def seed_path(code: str) -> Path:
    for path in sorted(seeds_dir().glob("*.txt")):
        if code in path.read_text(encoding="utf-8-sig"):
            return path
    raise FileNotFoundError(f"no seed page for {code} in {seeds_dir()}")


def make_user(username: str = "officer", **extra: Any) -> User:
    user = get_user_model().objects.create_user(username=username, password="pw-for-tests", **extra)
    return user


def make_member(username: str, role: Role, agency: Agency | None = None, **extra: Any) -> User:
    """A user holding one role, in an agency for officers and approvers."""
    user = make_user(username, email=f"{username}@example.test", **extra)
    Membership.objects.create(user=user, role=role, agency=agency)
    return user


# Every persona a permission test asks about, "public" being the anonymous visitor.
ROLES = (
    "public",
    "no_role",
    "officer_a",
    "officer_b",
    "approver_a",
    "approver_b",
    "evaluator",
    "executive",
    "administrator",
)
# And a former officer of agency A whose account was deactivated: the permission matrix
# asks about them too (they can do nothing a visitor cannot).
PERSONAS = (*ROLES, "deactivated")
AGENCY_A = "99990000"
AGENCY_B = "99980000"


@dataclass(frozen=True)
class Personas:
    """The people every permission test asks about; `public` is the anonymous visitor."""

    agency_a: Agency
    agency_b: Agency
    officer_a: User
    officer_b: User
    approver_a: User
    approver_b: User
    evaluator: User
    executive: User
    administrator: User
    no_role: User
    deactivated: User

    def by_name(self, names: tuple[str, ...] = ROLES) -> dict[str, User | None]:
        """The personas of ROLES by name; of PERSONAS (the deactivated one too) when asked."""
        return {name: getattr(self, name, None) for name in names}


def make_personas() -> Personas:
    agency_a = make_agency(AGENCY_A, name_th="สำนักทดสอบเอ", name_key="สำนักทดสอบเอ")
    agency_b = make_agency(AGENCY_B, name_th="สำนักทดสอบบี", name_key="สำนักทดสอบบี")
    personas = Personas(
        agency_a=agency_a,
        agency_b=agency_b,
        officer_a=make_member("officer_a", Role.OFFICER, agency_a),
        officer_b=make_member("officer_b", Role.OFFICER, agency_b),
        approver_a=make_member("approver_a", Role.APPROVER, agency_a),
        approver_b=make_member("approver_b", Role.APPROVER, agency_b),
        evaluator=make_member("evaluator", Role.EVALUATOR),
        executive=make_member("executive", Role.EXECUTIVE),
        administrator=make_member("administrator", Role.ADMINISTRATOR, is_staff=True),
        no_role=make_user("no_role", email="no_role@example.test"),
        deactivated=make_member("deactivated", Role.OFFICER, agency_a),
    )
    deactivate_user(user=personas.deactivated, by=personas.administrator, reason="ลาออก")
    return personas


def make_agency(code: str = "99990000", **overrides: Any) -> Agency:
    values: dict[str, Any] = {
        "name_th": "สำนักทดสอบ",
        "name_key": "สำนักทดสอบ",
        "kind": AgencyKind.DEPARTMENT,
        "origin": Origin.MANUAL,
    }
    values.update(overrides)
    return Agency.objects.get_or_create(code=code, defaults=values)[0]


def make_project(**overrides: Any) -> Project:
    values: dict[str, Any] = {
        "code": "99990000-0001",
        "name": "โครงการทดสอบ",
        "fiscal_year": FiscalYear.ensure(2563),
        "published": True,
        "origin": Origin.MANUAL,
    }
    values.update(overrides)
    if "agency" not in values:
        values["agency"] = make_agency(values["code"][:8])
    return Project.objects.create(**values)


def link_to_plan(project: Project, node: PlanNode) -> PlanLink:
    """A plan link as `set_plan_links` writes one: with its project's fiscal year."""
    return PlanLink.objects.create(project=project, node=node, fiscal_year=project.fiscal_year_id)


def add_steps(project: Project, *windows: tuple[str, str, str]) -> list[PlanStep]:
    """Steps given as (weight, start ISO, end ISO)."""
    return PlanStep.objects.bulk_create(
        PlanStep(
            project=project,
            order=n,
            text=f"ขั้นตอนที่ {n}",
            weight=Decimal(weight),
            start=date.fromisoformat(start),
            end=date.fromisoformat(end),
        )
        for n, (weight, start, end) in enumerate(windows, 1)
    )


def signs_in(username: str, password: str, address: str = "127.0.0.1") -> bool:
    """Whether the sign-in form accepts these credentials from this address, as a person would
    use it (django-axes counts the attempt; `Client.login` would bypass the request)."""
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session
