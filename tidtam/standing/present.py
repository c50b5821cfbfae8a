"""A stored standing in the reader's language: the status label, the sentence that explains
it, and the flags as sentences. Every page that shows a standing goes through here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from tidtam.lib.thai import format_date
from tidtam.projects.models import Project, ScheduleSettings
from tidtam.projects.schedule import Assessment, Status
from tidtam.standing.compute import compute
from tidtam.standing.facts import CHUNK, load_official_facts
from tidtam.standing.flags import Flag, describe
from tidtam.standing.models import ProjectStanding, StandingStatus
from tidtam.standing.refresh import flag_thresholds, standing_row


def status_label(status: str) -> str:
    return str(StandingStatus(status).label)


def explain(result: Assessment, lang: str) -> str:
    """One sentence on why the project has its status."""

    def day(value: date | None) -> str:
        return format_date(value, lang=lang) if value else ""

    if result.status == Status.COMPLETED:
        return _("Completed: 100 percent reported on %(date)s.") % {"date": day(result.reported_on)}
    if result.actual is None or result.variance is None:
        if result.status == Status.NOT_STARTED:
            return _("Nothing is planned or reported yet.")
        return _("No progress reported yet, while %(planned)s percent is planned by %(date)s.") % {
            "planned": result.planned,
            "date": day(result.as_of),
        }
    if result.variance < 0:
        sentence = _("%(points)s points behind plan on %(date)s") % {
            "points": -result.variance,
            "date": day(result.reported_on),
        }
    elif result.variance > 0:
        sentence = _("%(points)s points ahead of plan on %(date)s") % {
            "points": result.variance,
            "date": day(result.reported_on),
        }
    else:
        sentence = _("On plan on %(date)s") % {"date": day(result.reported_on)}
    if result.days_late is not None and result.days_late > 0:
        sentence += _(", about %(days)s days late") % {"days": result.days_late}
    if result.forecast_finish is not None and result.variance < 0:
        sentence += _(", forecast to finish on %(date)s") % {"date": day(result.forecast_finish)}
    sentence += "."
    if result.status == Status.NOT_REPORTED:
        sentence = _("No report this month.") + " " + sentence
    return sentence


@dataclass(frozen=True)
class FlagLine:
    kind: str
    label: str
    sentence: str


def flag_lines(flags: Iterable[Flag], lang: str) -> list[FlagLine]:
    return [FlagLine(flag.kind, flag.label, describe(flag, lang)) for flag in flags]


def give_todays_standings(projects: list[Project]) -> None:
    """Give each project whose stored standing is not of today (the day's refresh has not run
    yet) the standing `standing_of` would compute for it, computed for all of them at once, in
    a fixed number of queries, without writing: a report book reads hundreds of projects,
    which `standing_of` would otherwise read the facts of one by one."""
    today = timezone.localdate()
    stale = []
    for project in projects:
        try:
            stored: ProjectStanding | None = project.standing
        except ProjectStanding.DoesNotExist:
            stored = None
        if stored is None or stored.as_of != today:
            stale.append(project)
    if not stale:
        return
    schedule = ScheduleSettings.current()
    thresholds = flag_thresholds()
    for start in range(0, len(stale), CHUNK):
        part = stale[start : start + CHUNK]
        facts = load_official_facts([p.pk for p in part], today)
        for project in part:
            if project.pk in facts:
                values = compute(
                    facts[project.pk], today=today, schedule=schedule, flag_thresholds=thresholds
                )
                project.standing = standing_row(project.pk, values)


def standing_of(project: Project) -> tuple[ProjectStanding, list[Flag]]:
    """The project's standing as of today, with its flags.

    The stored one, when it was computed today, as it is after every change of facts and
    after the daily refresh. Before the day's refresh has run (or for a project whose
    standing was never stored) the same computation is made for today, without writing.
    """
    today = timezone.localdate()
    try:
        stored: ProjectStanding | None = project.standing
    except ProjectStanding.DoesNotExist:
        stored = None
    if stored is not None and stored.as_of == today:
        return stored, stored.flag_list
    facts = load_official_facts([project.pk], today)[project.pk]
    values = compute(
        facts, today=today, schedule=ScheduleSettings.current(), flag_thresholds=flag_thresholds()
    )
    return standing_row(project.pk, values), values.flags
