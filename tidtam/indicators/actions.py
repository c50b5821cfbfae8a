"""Audited writes on KPIs, their quarterly results and scores, and project evaluations."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tidtam.audit import write
from tidtam.audit.models import Event
from tidtam.audit.write import Actor, SyncResult, action, checked_action
from tidtam.indicators import mail
from tidtam.indicators.models import (
    EvaluationCriterion,
    Kpi,
    KpiDirection,
    KpiMode,
    KpiResult,
    KpiScore,
    KpiSupport,
    ProjectEvaluation,
    QuarterClosure,
    RatingLevel,
    ResultStatus,
)
from tidtam.lib.fiscal import fiscal_year_label
from tidtam.lib.language import current_language
from tidtam.lib.thai import format_date
from tidtam.orgs.models import Agency, Origin
from tidtam.projects.actions import entered_fiscal_year
from tidtam.projects.models import FiscalYear, Project, Quarter
from tidtam.reporting import review


@dataclass
class ScaleLoaded:
    levels: int = 0  # rating levels created
    criteria: int = 0  # evaluation criteria created


@action
def load_default_scale(scale: Path, criteria: Path, *, by: Actor = None) -> ScaleLoaded:
    """The default rating scale and KPI evaluation criteria of the reference data, so that
    evaluators can score on a fresh install. Only where there are none: a scale or criteria
    the administrator has set are never replaced (running it again changes nothing)."""
    loaded = ScaleLoaded()
    reason = f"reference data: {scale.name}"
    if not RatingLevel.objects.exists():
        with scale.open(encoding="utf-8-sig", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                try:
                    value = Decimal((row.get("value") or "").strip())
                except ArithmeticError:
                    value = Decimal(-1)
                label = (row.get("label_th") or "").strip()
                if not value.is_finite() or value < 0 or not label:
                    raise ValidationError(
                        _(
                            "%(file)s, line %(line)s: a level needs a score of 0 or more "
                            "(value) and a Thai label (label_th)."
                        )
                        % {"file": scale.name, "line": line},
                        code="bad_scale",
                    )
                level = RatingLevel(
                    value=value,
                    label_th=label,
                    label_en=(row.get("label_en") or "").strip(),
                    meaning=(row.get("meaning_th") or "").strip(),
                )
                write.save(level, by=by, reason=reason)
                loaded.levels += 1
    if not EvaluationCriterion.objects.exists():
        with criteria.open(encoding="utf-8-sig", newline="") as handle:
            codes = {row["code"].strip() for row in csv.DictReader(handle) if row["code"].strip()}
        loaded.criteria = len(criteria_by_code(codes))
    return loaded


def criteria_by_code(codes: set[str]) -> dict[str, EvaluationCriterion]:
    if not codes:
        return {}
    known = {c.code: c for c in EvaluationCriterion.objects.filter(code__in=codes)}
    for n, code in enumerate(sorted(codes - known.keys()), len(known) + 1):
        known[code] = EvaluationCriterion.objects.create(code=code, order=n)
    return known


@dataclass(frozen=True)
class KpiInput:
    """A KPI as the KPI form and the annual-plan import give it to the actions: parsed, not
    yet checked (the actions hold every rule)."""

    text: str
    kpi_type: str
    unit: str = ""
    target: Decimal | None = None
    direction: str = KpiDirection.HIGHER
    mode: str = KpiMode.CUMULATIVE
    level: str = ""
    definition: str = ""
    method: str = ""
    data_source: str = ""
    # The agency's projects of the same fiscal year it is supported by.
    projects: Sequence[Project] = ()

    def record_values(self) -> dict[str, Any]:
        """The KPI row's own fields, as `kpi_value_errors` and the model read them."""
        return {
            "text": self.text.strip(),
            "kpi_type": self.kpi_type,
            "unit": self.unit.strip(),
            "target": self.target,
            "direction": self.direction,
            "mode": self.mode,
            "level": self.level,
            "definition": self.definition.strip(),
            "method": self.method.strip(),
            "data_source": self.data_source.strip(),
        }


def kpi_value_errors(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """Every rule a KPI's own values break, whatever sent them: the form, the API, the
    annual-plan import, the legacy import (field name → messages)."""
    target = values.get("target")
    if target is not None and target < 0:
        return {"target": [_("The target cannot be negative.")]}
    return {}


# What a legacy page says of a KPI; its direction, mode, definition, method and data source
# are entered in Tidtam and kept when the page is imported again.
LEGACY_KPI_FIELDS = frozenset({"text", "unit", "target", "kpi_type", "level"})


@action
def import_kpi(
    *,
    code: str,
    fiscal_year: FiscalYear,
    agency: Agency,
    data: KpiInput,
    achieved: Decimal | None,
    by: Actor,
    reason: str,
    known_new: bool = False,
) -> tuple[Kpi, bool]:
    """The legacy importer's write of a KPI: the same typed input and value rules as
    create_kpi and update_kpi (`kpi_value_errors`), lenient where the old site's page is the
    authority: its code is taken as it is, no version is asked, and only the fields a page
    carries (LEGACY_KPI_FIELDS, and what the page says was achieved) are written. Creates the
    KPI or changes the fields that differ; tells whether it is new.

    `known_new`, the importer's speed path, skips the look-up of a code it knows is unused."""
    values: dict[str, Any] = {
        **{k: v for k, v in data.record_values().items() if k in LEGACY_KPI_FIELDS},
        "achieved": achieved,
        "origin": Origin.IMPORT,
    }
    if errors := kpi_value_errors(values):
        raise ValidationError(errors)
    kpi = None if known_new else Kpi.objects.filter(fiscal_year=fiscal_year, code=code).first()
    if kpi is None:
        kpi = write.save(
            Kpi(code=code, fiscal_year=fiscal_year, agency=agency, **values), by=by, reason=reason
        )
        write.facts_changed(kpis=[kpi.pk])
        return kpi, True
    if write.assign(kpi, values):
        write.save(kpi, by=by, reason=reason)
        write.facts_changed(kpis=[kpi.pk])
    return kpi, False


@action
def link_kpi(
    *, kpi: Kpi, project: Project, order: int, by: Actor, reason: str, new: bool = False
) -> None:
    _check_supports(kpi.agency_id, kpi.fiscal_year_id, [project])
    support = None if new else KpiSupport.objects.filter(kpi=kpi, project=project).first()
    write.facts_changed(projects=[project.pk], kpis=[kpi.pk])
    if support is None:
        write.save(KpiSupport(kpi=kpi, project=project, order=order), by=by, reason=reason)
    elif support.order != order:
        support.order = order
        write.save(support, by=by, reason=reason)


@action
def set_kpi_quarters(
    *,
    kpi: Kpi,
    quarters: Mapping[int, Quarter],
    results: Mapping[int, Decimal],
    scores: Mapping[tuple[int, str], Decimal],
    by: Actor,
    reason: str,
    new: bool = False,
    criteria: Mapping[str, EvaluationCriterion] | None = None,
) -> SyncResult:
    """Record quarterly results {quarter: value} and scores {(quarter, criterion): score}.

    `criteria` may carry the criteria already looked up by a caller that records many KPIs.
    """
    needed = {criterion for _, criterion in scores}
    if criteria is None or not needed <= criteria.keys():
        criteria = criteria_by_code(needed)
    done = write.sync_rows(
        KpiResult,
        existing=[] if new else kpi.results.select_related("quarter"),
        key=lambda r: r.quarter.number,
        wanted={q: {"result": value} for q, value in results.items()},
        make=lambda q, v: KpiResult(
            kpi=kpi, quarter=quarters[q], status=ResultStatus.APPROVED, **v
        ),
        by=by,
        reason=reason,
        delete_missing=False,
    )
    scored = write.sync_rows(
        KpiScore,
        existing=[] if new else kpi.scores.select_related("quarter", "criterion"),
        key=lambda s: (s.quarter.number, s.criterion.code),
        wanted={k: {"score": value} for k, value in scores.items()},
        make=lambda k, v: KpiScore(kpi=kpi, quarter=quarters[k[0]], criterion=criteria[k[1]], **v),
        by=by,
        reason=reason,
        delete_missing=False,
    )
    write.facts_changed(kpis=[kpi.pk])
    return write.SyncResult(done.created + scored.created, done.updated + scored.updated, 0)


@action
def set_project_evaluation(
    *,
    project: Project,
    quarter: Quarter,
    score: Decimal | None,
    by: Actor,
    reason: str,
    new: bool = False,
) -> bool:
    evaluation = (
        None if new else ProjectEvaluation.objects.filter(project=project, quarter=quarter).first()
    )
    write.facts_changed(projects=[project.pk])
    if evaluation is None:
        write.save(
            ProjectEvaluation(project=project, quarter=quarter, score=score), by=by, reason=reason
        )
        return True
    if evaluation.score != score:
        evaluation.score = score
        write.save(evaluation, by=by, reason=reason)
        return True
    return False


def _refuse_closed(quarter: Quarter) -> None:
    """A closed quarter's entries are locked. Read the flag afresh: the evaluator may have
    closed the quarter while the form was open."""
    if Quarter.objects.filter(pk=quarter.pk, closed_at__isnull=False).exists():
        raise ValidationError(
            _(
                "Quarter %(quarter)s of fiscal year %(year)s is closed: its results and scores "
                "are locked."
            )
            % {"quarter": quarter.number, "year": fiscal_year_label(quarter.fiscal_year_id)},
            code="closed",
        )


def not_started_reason(quarter: Quarter) -> str:
    return _(
        "Quarter %(quarter)s of fiscal year %(year)s begins on %(date)s: its result can be "
        "entered and submitted from that day."
    ) % {
        "quarter": quarter.number,
        "year": fiscal_year_label(quarter.fiscal_year_id),
        "date": format_date(quarter.start, lang=current_language()),
    }


def _refuse_unstarted(quarter: Quarter, today: date | None) -> None:
    """A result reports what was done in a quarter: one that has not begun has none yet (a
    result typed for a quarter to come is almost always meant for the current one)."""
    if not quarter.has_started(today or timezone.localdate()):
        raise ValidationError(not_started_reason(quarter), code="not_started")


def _refuse_off_scale(values: Mapping[str, Decimal | None]) -> None:
    """Every score must be a level of the administrator's rating scale."""
    levels = set(RatingLevel.objects.values_list("value", flat=True))
    if not levels:
        raise ValidationError(
            _("The administrator has not set the rating scale yet: nothing can be scored."),
            code="no_scale",
        )
    errors = {
        field: _("Choose a level of the rating scale.")
        for field, value in values.items()
        if value is not None and value not in levels
    }
    if errors:
        raise ValidationError(errors, code="off_scale")


def _same_year(quarter: Quarter, fiscal_year_id: int) -> None:
    if quarter.fiscal_year_id != fiscal_year_id:
        raise ValueError("the quarter is of another fiscal year")


def kpi_result_errors(result: Decimal | None, narrative: str) -> dict[str, list[str]]:
    """Every rule a quarterly result's values break, whatever sent them: the KPI page's form
    (which shows them with its own), the API (field name → messages)."""
    errors: dict[str, list[str]] = {}
    if result is not None and result < 0:
        errors["result"] = [_("A result cannot be negative.")]
    if not narrative.strip():
        errors["narrative"] = [_("Say what was done and how the result was measured.")]
    return errors


@checked_action
def enter_kpi_result(
    *,
    kpi: Kpi,
    quarter: Quarter,
    result: Decimal,
    narrative: str,
    by: Actor,
    today: date | None = None,
    expected_version: int | None = None,
    submit: bool = False,
) -> KpiResult:
    """An officer's result for a quarter that has begun, with the narrative that explains it:
    a draft until it is submitted (at once with `submit`, in the same transaction); a
    submitted or approved result is no longer changed. `expected_version`: the result's
    version when the form was loaded (a changed result is refused, as a changed monthly
    report is)."""
    _same_year(quarter, kpi.fiscal_year_id)
    if errors := kpi_result_errors(result, narrative):
        raise ValidationError(errors)
    _refuse_unstarted(quarter, today)
    _refuse_closed(quarter)
    narrative = narrative.strip()
    row = KpiResult.objects.filter(kpi=kpi, quarter=quarter).first()
    write.facts_changed(kpis=[kpi.pk])
    if row is None:
        row = write.save(
            KpiResult(kpi=kpi, quarter=quarter, result=result, narrative=narrative),
            by=by,
            event=Event.RESULT_ENTERED,
        )
    else:
        row = review.lock(RESULT, row, expected_version)
        review.require_editable(row, RESULT_LOCKED)
        if write.assign(row, {"result": result, "narrative": narrative}):
            review.changed(RESULT, row, by=by, event=Event.RESULT_ENTERED)
    if submit:
        return submit_kpi_result(row=row, by=by, today=today)
    return row


RESULT_LOCKED = gettext_lazy("This result is %(status)s: it can no longer be changed.")


def _check_submit(row: KpiResult) -> None:
    # A quarter yet to begin is refused by submit_kpi_result, which knows the day.
    _refuse_closed(row.quarter)


def _check_review(row: KpiResult) -> None:
    # Closing a quarter freezes its results, decided or not.
    _refuse_closed(row.quarter)


RESULT = review.ReviewKind(
    model=KpiResult,
    related=("kpi", "quarter"),
    texts=review.ReviewTexts(
        stale=gettext_lazy(
            "Someone else changed this result after you opened it. Nothing was saved: open "
            "the KPI again to see their change."
        ),
        not_submittable=gettext_lazy("Only a draft or a returned result can be submitted."),
        not_reviewable=gettext_lazy(
            "Only a submitted result can be reviewed; this one is %(status)s."
        ),
        entered=gettext_lazy(
            "You entered this result: another approver of the agency must approve it."
        ),
        comment_required=gettext_lazy("Say what the officer should correct."),
        not_approved=gettext_lazy(
            "Only an approved result can have its approval withdrawn; this one is %(status)s."
        ),
    ),
    facts=lambda row: write.facts_changed(kpis=[row.kpi_id]),
    on_submitted=mail.send_submitted,
    on_approved=mail.send_approved,
    on_returned=mail.send_returned,
    check_submit=_check_submit,
    check_review=_check_review,
    check_return=_check_review,
)


@checked_action
def submit_kpi_result(
    *, row: KpiResult, by: Actor, today: date | None = None, expected_version: int | None = None
) -> KpiResult:
    """Send a draft or returned result to the agency's approvers."""
    # `today` moves the start of the quarter's reporting, for the tests of its edges.
    _refuse_unstarted(row.quarter, today)
    return review.submit(RESULT, row, by=by, expected_version=expected_version)


@checked_action
def approve_kpi_result(
    *, row: KpiResult, by: Actor, comment: str = "", expected_version: int | None = None
) -> KpiResult:
    """Approve a submitted result: it is public and counts from then on.

    Four eyes, as for monthly reports (see reporting.actions.approve_report): nobody approves
    a result they entered, submitted (now or before a return) or changed while it was being
    entered, whoever submitted it last (KpiResultQuerySet._entered_by). They may return it."""
    return review.approve(RESULT, row, by=by, comment=comment, expected_version=expected_version)


@checked_action
def return_kpi_result(
    *, row: KpiResult, by: Actor, comment: str, expected_version: int | None = None
) -> KpiResult:
    """Send a submitted result back to its officer, saying what to correct."""
    return review.return_(RESULT, row, by=by, comment=comment, expected_version=expected_version)


@checked_action
def score_kpi(
    *,
    kpi: Kpi,
    quarter: Quarter,
    scores: Mapping[EvaluationCriterion, Decimal],
    by: Actor,
) -> SyncResult:
    """An evaluator's scores of a KPI for a quarter, one per criterion."""
    _same_year(quarter, kpi.fiscal_year_id)
    _refuse_closed(quarter)
    _refuse_off_scale({c.code: s for c, s in scores.items()})
    write.facts_changed(kpis=[kpi.pk])
    return write.sync_rows(
        KpiScore,
        existing=KpiScore.objects.filter(kpi=kpi, quarter=quarter).select_related("criterion"),
        key=lambda s: s.criterion_id,
        wanted={c.pk: {"score": s} for c, s in scores.items()},
        make=lambda pk, v: KpiScore(kpi=kpi, quarter=quarter, criterion_id=pk, **v),
        by=by,
        reason=Event.EVALUATED,
        delete_missing=False,
    )


@checked_action
def score_project(*, project: Project, quarter: Quarter, score: Decimal, by: Actor) -> bool:
    """The evaluator's quarterly score of a project, on the rating scale."""
    _same_year(quarter, project.fiscal_year_id)
    _refuse_closed(quarter)
    _refuse_off_scale({"score": score})
    return set_project_evaluation(
        project=project, quarter=quarter, score=score, by=by, reason=Event.EVALUATED
    )


@checked_action
def close_quarter(*, quarter: Quarter, by: Actor, today: date | None = None) -> QuarterClosure:
    """Close a quarter once it is over: its KPI results and scores are locked from then on."""
    today = today or timezone.localdate()
    if not quarter.has_ended(today):
        raise ValidationError(
            _("Quarter %(quarter)s runs until %(date)s: it can be closed only after it ends.")
            % {
                "quarter": quarter.number,
                "date": format_date(quarter.end, lang=current_language()),
            },
            code="running",
        )
    _refuse_closed(quarter)
    closed_at = timezone.now()
    # Quarter keeps no history of its own: the closure row is the audited record of who
    # closed it and when, written in the same transaction as the lock.
    Quarter.objects.filter(pk=quarter.pk).update(closed_at=closed_at)
    quarter.closed_at = closed_at
    return write.save(
        QuarterClosure(
            quarter=quarter,
            closed_by_id=by.pk if isinstance(by, AbstractBaseUser) else None,
            closed_at=closed_at,
        ),
        by=by,
        event=Event.QUARTER_CLOSED,
    )


# --- KPIs entered by officers ---

KPI_CODE = re.compile(r"^[0-9]{4}-[0-9]{4}$")


class StaleKpiEdit(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else saved this KPI after you opened the form. Nothing was saved: "
                "your input is still below; open the KPI again to see their change."
            ),
            code="stale",
        )


def _check_supports(agency_id: int, fiscal_year: int, projects: Sequence[Project]) -> None:
    """A KPI is supported only by projects of its own agency and fiscal year: the form, the
    API and the legacy importer's links all keep to it (and update_project keeps a supporting
    project in its year)."""
    for project in projects:
        if project.agency_id != agency_id or project.fiscal_year_id != fiscal_year:
            raise ValidationError(
                {
                    "projects": _(
                        "Project %(code)s is not one of the agency's projects of fiscal year "
                        "%(year)s."
                    )
                    % {"code": project.code, "year": fiscal_year_label(fiscal_year)}
                }
            )


def _set_supports(kpi: Kpi, projects: Sequence[Project], *, by: Actor, reason: str) -> None:
    # The projects it no longer supports lose its facts; the new ones gain them.
    before = list(kpi.supports.values_list("project_id", flat=True))
    write.facts_changed(projects=[*before, *(p.pk for p in projects)], kpis=[kpi.pk])
    write.sync_rows(
        KpiSupport,
        existing=kpi.supports.all(),
        key=lambda support: support.project_id,
        wanted={p.pk: {"order": n} for n, p in enumerate(projects, 1)},
        make=lambda project_id, v: KpiSupport(kpi=kpi, project_id=project_id, **v),
        by=by,
        reason=reason,
    )


@checked_action
def create_kpi(
    *,
    agency: Agency,
    fiscal_year: int,
    code: str,
    data: KpiInput,
    by: Actor,
) -> Kpi:
    """A new KPI of the agency for a fiscal year (Buddhist Era), supported by its projects."""
    year = entered_fiscal_year(fiscal_year)
    if not KPI_CODE.match(code):
        raise ValidationError(
            {"code": _("A KPI code is 4 digits, a dash and 4 digits, e.g. 0300-0760.")}
        )
    if code[:4] != agency.code[:4]:
        raise ValidationError(
            {
                "code": _("The code must start with %(prefix)s, from the agency's budget code.")
                % {"prefix": agency.code[:4]}
            }
        )
    if Kpi.objects.filter(fiscal_year=year, code=code).exists():
        raise ValidationError(
            {
                "code": _("Fiscal year %(year)s already has a KPI %(code)s.")
                % {"year": fiscal_year_label(year.pk), "code": code}
            }
        )
    values = data.record_values()
    if errors := kpi_value_errors(values):
        raise ValidationError(errors)
    _check_supports(agency.pk, year.pk, data.projects)
    kpi = write.save(
        Kpi(code=code, fiscal_year=year, agency=agency, origin=Origin.MANUAL, **values),
        by=by,
        event=Event.CREATED,
    )
    _set_supports(kpi, data.projects, by=by, reason="")
    return kpi


@checked_action
def update_kpi(
    *,
    kpi: Kpi,
    expected_version: int,
    data: KpiInput,
    by: Actor,
    reason: str = "",
) -> Kpi:
    current = Kpi.objects.select_for_update().get(pk=kpi.pk)
    if current.version != expected_version:
        raise StaleKpiEdit()
    values = data.record_values()
    if errors := kpi_value_errors(values):
        raise ValidationError(errors)
    _check_supports(kpi.agency_id, kpi.fiscal_year_id, data.projects)
    write.assign(current, values)
    current.version += 1
    write.save(current, by=by, comment=reason)
    _set_supports(current, data.projects, by=by, reason=reason)
    return current
