"""Contradiction flags: facts on one project's record that cannot all be true.

The legacy system stored a project's progress, its KPI results and the evaluator's scores
side by side and never compared them (seed 03000000-2457: 30 % progress, KPI achieved 0,
KPI evaluation 100/100). These rules compare them. They are pure functions over plain
values, so the project page and the dashboard counts flag exactly the same projects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tidtam.indicators.achievement import overshoot
from tidtam.lib.thai import format_date
from tidtam.projects.schedule import Status, StepWindow


class FlagKind:
    HIGH_SCORE_BEHIND = "high_score_behind"
    ZERO_KPI_FULL_SCORE = "zero_kpi_full_score"
    COMPLETE_WITH_FUTURE_STEPS = "complete_future_steps"
    REPORTS_MISSING = "reports_missing"
    RESULT_OVERSHOOT = "result_overshoot"


KINDS = (
    FlagKind.HIGH_SCORE_BEHIND,
    FlagKind.ZERO_KPI_FULL_SCORE,
    FlagKind.COMPLETE_WITH_FUTURE_STEPS,
    FlagKind.REPORTS_MISSING,
    FlagKind.RESULT_OVERSHOOT,
)

KIND_LABELS = {
    FlagKind.HIGH_SCORE_BEHIND: gettext_lazy("High evaluation score while behind plan"),
    FlagKind.ZERO_KPI_FULL_SCORE: gettext_lazy("KPI achieved nothing yet scored in full"),
    FlagKind.COMPLETE_WITH_FUTURE_STEPS: gettext_lazy("Reported complete before steps began"),
    FlagKind.REPORTS_MISSING: gettext_lazy("Reports missing for a month or more"),
    FlagKind.RESULT_OVERSHOOT: gettext_lazy("Result far above target (unit?)"),
}


@dataclass(frozen=True)
class FlagThresholds:
    high_score: Decimal = Decimal(80)
    full_score: Decimal = Decimal(100)
    overshoot_factor: Decimal = Decimal(2)


@dataclass(frozen=True)
class KpiFacts:
    code: str
    target: Decimal | None
    # derived from the quarterly results, or as recorded when no quarter has a result
    achieved: Decimal | None
    results: Mapping[int, Decimal | None] = field(default_factory=dict)
    # {quarter: the scores under every criterion scored that quarter}
    scores: Mapping[int, Sequence[Decimal]] = field(default_factory=dict)


@dataclass(frozen=True)
class ProjectFacts:
    steps: Sequence[StepWindow]
    reports: Sequence[tuple[date, Decimal]]
    # the schedule status; None when the caller skipped it (it matters only for a high score)
    status: str | None = None
    # the latest quarterly project evaluation with a score: (quarter, score)
    evaluation: tuple[int, Decimal] | None = None
    kpis: Sequence[KpiFacts] = ()


@dataclass(frozen=True)
class Flag:
    kind: str
    details: Mapping[str, Any]

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


# Details that are dates or decimals, stored as text in a JSON column.
_DATES = ("date", "first_start", "from", "to")
_DECIMALS = ("score", "value", "target", "factor")


def flag_to_json(flag: Flag) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in flag.details.items():
        if isinstance(value, (date, Decimal)):
            out[key] = str(value) if isinstance(value, Decimal) else value.isoformat()
        elif key == "scores":
            out[key] = [str(s) for s in value]
        else:
            out[key] = value
    return out


def flag_from_json(kind: str, details: Mapping[str, Any]) -> Flag:
    out: dict[str, Any] = {}
    for key, value in details.items():
        if key in _DATES and value is not None:
            out[key] = date.fromisoformat(value)
        elif key in _DECIMALS and value is not None:
            out[key] = Decimal(value)
        elif key == "scores":
            out[key] = [Decimal(s) for s in value]
        else:
            out[key] = value
    return Flag(kind, out)


def needs_status(facts: ProjectFacts, thresholds: FlagThresholds) -> bool:
    """Whether the status can change the flags: only a high evaluation score makes it count."""
    return facts.evaluation is not None and facts.evaluation[1] >= thresholds.high_score


def project_flags(facts: ProjectFacts, thresholds: FlagThresholds, today: date) -> list[Flag]:
    return [
        *high_score_behind(facts, thresholds),
        *zero_kpi_full_score(facts.kpis, thresholds),
        *complete_with_future_steps(facts.steps, facts.reports),
        *reports_missing(facts.steps, [d for d, _ in facts.reports], today),
        *result_overshoot(facts.kpis, thresholds),
    ]


def high_score_behind(facts: ProjectFacts, thresholds: FlagThresholds) -> list[Flag]:
    """The evaluator's latest quarterly score is high while the schedule is behind."""
    if not needs_status(facts, thresholds) or facts.status not in (Status.BEHIND, Status.CRITICAL):
        return []
    assert facts.evaluation is not None
    quarter, score = facts.evaluation
    return [
        Flag(
            FlagKind.HIGH_SCORE_BEHIND, {"quarter": quarter, "score": score, "status": facts.status}
        )
    ]


def zero_kpi_full_score(kpis: Sequence[KpiFacts], thresholds: FlagThresholds) -> list[Flag]:
    """A KPI achieved 0 while a quarter's evaluation gave it the full score on every criterion."""
    flags = []
    for kpi in kpis:
        if kpi.achieved is None or kpi.achieved != 0:
            continue
        full = [
            q
            for q, scores in sorted(kpi.scores.items())
            if scores and all(s >= thresholds.full_score for s in scores)
        ]
        if full:
            flags.append(
                Flag(
                    FlagKind.ZERO_KPI_FULL_SCORE,
                    {"code": kpi.code, "quarter": full[0], "scores": list(kpi.scores[full[0]])},
                )
            )
    return flags


def complete_with_future_steps(
    steps: Sequence[StepWindow], reports: Sequence[tuple[date, Decimal]]
) -> list[Flag]:
    """100 % was reported before some step of the plan was even due to start."""
    complete = sorted(d for d, percent in reports if percent >= 100)
    if not complete:
        return []
    on = complete[0]
    later = sorted(min(s.start, s.end) for s in steps if min(s.start, s.end) > on)
    if not later:
        return []
    return [
        Flag(
            FlagKind.COMPLETE_WITH_FUTURE_STEPS,
            {"date": on, "count": len(later), "first_start": later[0]},
        )
    ]


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def reports_missing(
    steps: Sequence[StepWindow], reports: Sequence[date], today: date
) -> list[Flag]:
    """A whole calendar month of the running plan passed without a report.

    Reports are monthly, so the month is the unit: between reports on 19 December and
    20 January nothing is missing, between 19 December and 3 February January is. The months
    counted run from the plan's first start to its last end, and stop before the current
    month, which is not over yet.
    """
    if not steps:
        return []
    first = _month_index(min(min(s.start, s.end) for s in steps))
    last = min(_month_index(max(s.end for s in steps)), _month_index(today) - 1)
    reported = {_month_index(d) for d in reports}
    missing = [m for m in range(first, last + 1) if m not in reported]
    if not missing:
        return []
    # The longest run of consecutive months without a report is the one worth naming.
    runs: list[list[int]] = []
    for month in missing:
        if runs and runs[-1][-1] == month - 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    longest = max(runs, key=len)
    return [
        Flag(
            FlagKind.REPORTS_MISSING,
            {"months": len(missing), "from": _month(longest[0]), "to": _month(longest[-1])},
        )
    ]


def result_overshoot(kpis: Sequence[KpiFacts], thresholds: FlagThresholds) -> list[Flag]:
    """A KPI result many times its target: most likely reported in another unit."""
    flags = []
    for kpi in kpis:
        values = [v for _, v in sorted(kpi.results.items()) if v is not None]
        if kpi.achieved is not None:
            values.append(kpi.achieved)
        over = [v for v in values if overshoot(v, kpi.target, thresholds.overshoot_factor)]
        if over:
            flags.append(
                Flag(
                    FlagKind.RESULT_OVERSHOOT,
                    {
                        "code": kpi.code,
                        "value": max(over),
                        "target": kpi.target,
                        "factor": thresholds.overshoot_factor,
                    },
                )
            )
    return flags


def describe(flag: Flag, lang: str) -> str:
    """One sentence saying what contradicts what."""
    d = flag.details
    if flag.kind == FlagKind.HIGH_SCORE_BEHIND:
        status = _("critically behind plan") if d["status"] == Status.CRITICAL else _("behind plan")
        return _(
            "The evaluator scored the project %(score)s in quarter %(quarter)s, "
            "while it is %(status)s."
        ) % {"score": f"{d['score']:.2f}", "quarter": d["quarter"], "status": status}
    if flag.kind == FlagKind.ZERO_KPI_FULL_SCORE:
        return _(
            "Indicator %(code)s achieved 0, yet its evaluation in quarter %(quarter)s "
            "is the full score (%(scores)s)."
        ) % {
            "code": d["code"],
            "quarter": d["quarter"],
            "scores": " / ".join(f"{s:.0f}" for s in d["scores"]),
        }
    if flag.kind == FlagKind.COMPLETE_WITH_FUTURE_STEPS:
        return ngettext(
            "100 percent was reported on %(date)s, while %(count)s step of the plan was "
            "not due to start until %(start)s.",
            "100 percent was reported on %(date)s, while %(count)s steps of the plan were "
            "not due to start yet (the first on %(start)s).",
            d["count"],
        ) % {
            "date": format_date(d["date"], lang=lang),
            "count": d["count"],
            "start": format_date(d["first_start"], lang=lang),
        }
    if flag.kind == FlagKind.REPORTS_MISSING:
        first = format_date(d["from"], style="month", lang=lang)
        if d["months"] == 1:
            return _("No progress report in %(month)s while the plan was running.") % {
                "month": first
            }
        last = format_date(d["to"], style="month", lang=lang)
        return _(
            "No progress report in %(count)s months while the plan was running; "
            "the longest gap: %(span)s."
        ) % {"count": d["months"], "span": first if first == last else f"{first} – {last}"}
    if flag.kind == FlagKind.RESULT_OVERSHOOT:
        return _(
            "Indicator %(code)s reports %(value)s against a target of %(target)s, more than "
            "%(factor)s times the target: check that both are in the same unit."
        ) % {
            "code": d["code"],
            "value": f"{d['value']:,.2f}",
            "target": f"{d['target']:,.2f}",
            "factor": f"{d['factor']:g}",
        }
    raise ValueError(f"unknown flag kind {flag.kind!r}")
