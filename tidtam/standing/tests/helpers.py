"""Comparing a stored standing with a fresh computation from the official facts."""

from __future__ import annotations

from datetime import date
from typing import Any

from tidtam.projects.models import ScheduleSettings
from tidtam.standing.compute import compute
from tidtam.standing.facts import load_official_facts
from tidtam.standing.flags import flag_to_json
from tidtam.standing.models import ProjectStanding, StandingFlag
from tidtam.standing.refresh import PROJECT_FIELDS, flag_thresholds, standing_row


def as_dict(standing: ProjectStanding) -> dict[str, Any]:
    return {name: getattr(standing, name) for name in PROJECT_FIELDS}


def fresh(project_id: int, today: date) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    facts = load_official_facts([project_id], today)[project_id]
    values = compute(
        facts, today=today, schedule=ScheduleSettings.current(), flag_thresholds=flag_thresholds()
    )
    row = standing_row(project_id, values)
    return as_dict(row), [(f.kind, flag_to_json(f)) for f in values.flags]


def stored(project_id: int) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    standing = ProjectStanding.objects.get(pk=project_id)
    flags = [
        (row.kind, row.details)
        for row in StandingFlag.objects.filter(project_id=project_id).order_by("order")
    ]
    return as_dict(standing), flags
