"""Shared test builders: the seed pages where they lie, personas and plain factories."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from tidtam.orgs.models import Agency, AgencyKind, Origin
from tidtam.projects.models import FiscalYear, PlanStep, Project

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
    return cast(User, user)


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
