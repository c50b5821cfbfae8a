"""Synthetic projects of a city's fiscal years, for demonstrations and benchmarks.

Pure: a `random.Random` seeded with (seed, fiscal year) draws plain dataclasses from the
reference data it is given, so the same seed always gives the same data, and each fiscal year
the same data whichever other years are generated with it. load.py writes them.

What the data looks like: every agency has projects in proportion to its size; each project
has a weighted, dated operating plan, monthly cumulative reports that follow the plan with a
delay, a pace and an occasional stall, skipped month or correction, spending behind the
money released to it, problems raised and resolved in its reports, and quarterly scores.
Each agency has KPIs its projects support, with quarterly results and scores.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_left
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from tidtam.demo.records import (
    AgencyRef,
    Contact,
    Instalment,
    KpiResult,
    Problem,
    Reference,
    Report,
    SampleKpi,
    SampleProject,
    SampleYear,
    Step,
)
from tidtam.demo.themes import DEPARTMENTS, DISTRICT_THEMES, OTHER_DEPARTMENT, THEMES, Theme
from tidtam.demo.words import (
    DECREASE_REASONS,
    DEFAULT_RATIONALE,
    FILLERS,
    FIRST_NAMES,
    KPI_NARRATIVES,
    KPI_RETURN_COMMENTS,
    LAST_NAMES,
    OTHER_PROBLEMS,
    PROBLEMS,
    REPORT_BEFORE_START,
    REPORT_DONE,
    REPORT_OPENINGS,
    RETURN_COMMENTS,
    TITLES,
)
from tidtam.indicators.achievement import achieved_value
from tidtam.lib.fiscal import fiscal_year_bounds, quarter_bounds

DISTRICT_OFFICE = "district_office"
# Sample project codes are the agency code, a dash, the fiscal year and a 4-digit number
# (03000000-25700042): longer than the 4-digit numbers of real and hand-entered codes
# (projects.actions.CODE_PATTERN), so they never collide with them.
MAX_PER_AGENCY_YEAR = 9999
# Sample KPI codes are the agency's 4-digit prefix and a number from 9000 (0300-9000): the
# legacy KPIs of an agency are numbered from the bottom of the range.
FIRST_KPI_NUMBER = 9000
MAX_KPIS_PER_AGENCY_YEAR = 1000
# Reports, KPI results and quarter scores this recent may still be on their way through review:
# so many of them are drafts, submitted and returned (cumulative shares), the rest approved.
REVIEW_DAYS = 40
KPI_REVIEW_DAYS = 75
IN_REVIEW = (("draft", 0.15), ("submitted", 0.35), ("returned", 0.45))
SKIPPED_MONTHS = 0.04
SKIPPED_MONTHS_STALLED = 0.25
CRITERIA = ("2.1", "2.2")
BANGKOK_OFFSET = timedelta(hours=7)

_HUNDREDTHS = [Decimal(n).scaleb(-2) for n in range(10001)]


def fiscal_years(count: int, current: int) -> list[int]:
    """The `count` fiscal years ending with the current one."""
    return list(range(current - count + 1, current + 1))


def projects_per_year(total: int, years: Sequence[int]) -> dict[int, int]:
    """`total` projects spread evenly, the remainder going to the latest years."""
    base, extra = divmod(total, len(years))
    return {year: base + (1 if n >= len(years) - extra else 0) for n, year in enumerate(years)}


def contacts(reference: Reference, seed: int) -> dict[str, list[Contact]]:
    """The few people of each agency who answer for its sample projects."""
    rng = random.Random(f"tidtam-demo:{seed}:people")
    pool = {}
    for agency in reference.agencies:
        pool[agency.code] = [
            Contact(
                f"{rng.choice(TITLES)}{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                f"{rng.randint(1000, 9999)}",
            )
            for _ in range(6)
        ]
    return pool


def _agency_weights(reference: Reference, seed: int) -> list[tuple[float, tuple[str, ...]]]:
    # Drawn once per seed, not per year: a district keeps its size from one year to the next.
    rng = random.Random(f"tidtam-demo:{seed}:agencies")
    weights: list[tuple[float, tuple[str, ...]]] = []
    for agency in reference.agencies:
        if agency.kind == DISTRICT_OFFICE:
            weights.append((rng.uniform(0.6, 1.5), DISTRICT_THEMES))
        else:
            weights.append(DEPARTMENTS.get(agency.code, OTHER_DEPARTMENT))
    return weights


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split in proportion to the weights, in whole numbers that add up to it."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def generate_year(
    reference: Reference,
    *,
    seed: int,
    year: int,
    count: int,
    today: date,
    people: dict[str, list[Contact]] | None = None,
) -> SampleYear:
    """`count` projects of fiscal year `year` and their agencies' KPIs, as of `today`."""
    rng = random.Random(f"tidtam-demo:{seed}:{year}")
    weights = _agency_weights(reference, seed)
    counts = apportion(count, [w * rng.uniform(0.85, 1.15) for w, _ in weights])
    people = people if people is not None else contacts(reference, seed)
    maker = _YearMaker(rng, reference, year, today)
    sample = SampleYear(year, [], [])
    for agency, n, (_, themes) in zip(reference.agencies, counts, weights, strict=True):
        if n == 0:
            continue
        if n > MAX_PER_AGENCY_YEAR:
            raise ValueError(f"{n} projects for {agency.code} in {year}: at most 9,999")
        first = len(sample.projects)
        for number in range(1, n + 1):
            theme = THEMES[rng.choice(themes)]
            code = f"{agency.code}-{year}{number:04d}"
            sample.projects.append(maker.project(code, agency, theme, people[agency.code]))
        maker.kpis(agency, themes, sample, sample.projects[first:])
    return sample


class _YearMaker:
    def __init__(self, rng: random.Random, reference: Reference, year: int, today: date) -> None:
        self.rng = rng
        self.reference = reference
        self.year = year
        self.today_n = today.toordinal()
        start, end = fiscal_year_bounds(year)
        self.fy_start = start.toordinal()
        self.fy_end = end.toordinal()
        # Nothing happened after this morning: later timestamps are brought back to it.
        self.latest = datetime.combine(today, datetime.min.time(), UTC)
        self.quarter_ends = [quarter_bounds(year, q)[1].toordinal() for q in range(1, 5)]

    # --- projects ---------------------------------------------------------------------

    def project(
        self, code: str, agency: AgencyRef, theme: Theme, people: list[Contact]
    ) -> SampleProject:
        rng = self.rng
        budget_baht = None
        if rng.random() >= 0.05:
            low, high = theme.budget
            budget_baht = round(math.exp(rng.uniform(math.log(low), math.log(high))) / 1000) * 1000
        progress_unit, progress_target = "", None
        if theme.quantity and rng.random() < 0.1:
            progress_unit = theme.quantity[0]
            progress_target = rng.randrange(theme.quantity[1], theme.quantity[2], 10)
        steps, windows = self._steps(theme)
        instalments = self._instalments(budget_baht)
        reports, profile = self._reports(windows, budget_baht, instalments, progress_target)
        nodes = self.reference.plan_nodes
        return SampleProject(
            code=code,
            agency=agency.code,
            name=self._name(theme),
            rationale=self._rationale(theme),
            budget=Decimal(budget_baht) if budget_baht is not None else None,
            progress_unit=progress_unit,
            progress_target=Decimal(progress_target) if progress_target else None,
            published=rng.random() >= 0.05,
            responsible_unit=theme.section if agency.kind == DISTRICT_OFFICE else "",
            created_at=self._moment(self.fy_start - rng.randint(10, 80)),
            objectives=rng.sample(theme.objectives, rng.randint(1, len(theme.objectives))),
            targets=[
                self._fill(t) for t in rng.sample(theme.targets, rng.randint(1, len(theme.targets)))
            ],
            plan_nodes=rng.sample(nodes, min(len(nodes), rng.choice((1, 1, 1, 2, 2, 3)))),
            contact=rng.choice(people) if people and rng.random() < 0.65 else None,
            steps=steps,
            reports=reports,
            problems=self._problems(reports, profile),
            instalments=[
                Instalment(date.fromordinal(day), Decimal(satang).scaleb(-2))
                for day, satang in instalments
            ],
            evaluations=self._evaluations(windows, reports),
        )

    def _fill(self, template: str) -> str:
        rng = self.rng
        values = {key: rng.choice(words) for key, words in FILLERS.items() if "{" + key in template}
        values["soi"] = str(rng.randint(1, 120))
        values["n"] = f"{rng.randrange(100, 5000, 50):,}"
        values["small"] = str(rng.randint(2, 12))
        values["people"] = f"{rng.randrange(50, 3000, 50):,}"
        values["pct"] = str(rng.randrange(10, 50, 5))
        return template.format(**values)

    def _name(self, theme: Theme) -> str:
        name = self._fill(self.rng.choice(theme.names))
        if self.rng.random() < 0.4:
            name += f" ประจำปีงบประมาณ พ.ศ. {self.year}"
        return name

    def _rationale(self, theme: Theme) -> str:
        rng = self.rng
        sentences = rng.sample(theme.rationale, rng.randint(1, len(theme.rationale)))
        return " ".join([*sentences, rng.choice(DEFAULT_RATIONALE)])

    def _moment(self, day: int) -> datetime:
        """A time of the working day (Bangkok) on the day, in UTC, no later than this morning."""
        local = datetime.fromordinal(day).replace(
            hour=self.rng.randint(8, 16), minute=self.rng.randrange(60)
        )
        return min((local - BANGKOK_OFFSET).replace(tzinfo=UTC), self.latest)

    def _steps(self, theme: Theme) -> tuple[list[Step], _Windows]:
        rng = self.rng
        k = rng.choice((5, 6, 6, 7, 7, 8, 8, 9, 10, 11, 12, 13, 14, 15))
        fixed = len(theme.head) + len(theme.tail)
        if k > fixed:
            texts = [*theme.head, *(theme.work.format(n=n) for n in range(1, k - fixed + 1))]
            texts += theme.tail
            sizes = [1.0] * len(theme.head) + [4.0] * (k - fixed) + [1.0] * len(theme.tail)
        else:
            # A short plan keeps the work and some of the steps around it, in their order.
            every = [*theme.head, theme.work.format(n=1), *theme.tail]
            work = len(theme.head)
            others = [i for i in range(len(every)) if i != work]
            keep = sorted([work, *rng.sample(others, k - 1)])
            texts = [every[i] for i in keep]
            sizes = [4.0 if i == work else 1.0 for i in keep]
        # Most plans run inside the fiscal year; some start late, some run past its end.
        start = self.fy_start + rng.choice((0, 0, 0, 15, 30, 31, 45, 61, 92, 120))
        end = self.fy_end - rng.randint(0, 60)
        if rng.random() < 0.12:
            end = self.fy_end + rng.randint(10, 120)
        start = min(start, end - 60)
        milestones = rng.random() < 0.1  # the seeds' style: every step on the 1st of a month
        total, at, starts, ends = sum(sizes), 0.0, [], []
        for size in sizes:
            first = start + round(at / total * (end - start))
            at += size
            last = start + round(at / total * (end - start)) - 1
            if rng.random() < 0.3:
                last = min(end, last + rng.randint(1, 20))  # steps overlap a little
            if milestones:
                first = last = date.fromordinal(first).replace(day=1).toordinal()
            starts.append(first)
            ends.append(max(first, last))
        weights = _weights(rng, [s * rng.uniform(0.6, 1.4) for s in sizes])
        steps = [
            Step(n, text, _HUNDREDTHS[w], date.fromordinal(s), date.fromordinal(e))
            for n, (text, w, s, e) in enumerate(zip(texts, weights, starts, ends, strict=True), 1)
        ]
        return steps, _Windows(starts, ends, [w / 10000 for w in weights], texts)

    def _instalments(self, budget_baht: int | None) -> list[tuple[int, int]]:
        """(day, satang) of the money released to the project by today."""
        if budget_baht is None:
            return []
        rng = self.rng
        budget = budget_baht * 100
        count = 1 if budget_baht < 500_000 else rng.randint(2, 4)
        released = budget if rng.random() < 0.4 else int(budget * rng.uniform(0.85, 1.0))
        shares = apportion(released // 100, [rng.uniform(0.5, 1.5) for _ in range(count)])
        out, day = [], self.fy_start + rng.randint(15, 75)
        for share in shares:
            if day > min(self.fy_end, self.today_n) or share <= 0:
                break
            out.append((day, share * 100))
            day += rng.randint(50, 100)
        return out

    def _reports(
        self,
        windows: _Windows,
        budget_baht: int | None,
        instalments: list[tuple[int, int]],
        progress_target: int | None,
    ) -> tuple[list[Report], str]:
        rng = self.rng
        draw = rng.random()
        stall_from, stall_days = 0, 0
        if draw < 0.05:
            profile, lag = "ahead", -rng.randint(5, 30)
        elif draw < 0.55:
            profile, lag = "on track", rng.randint(-5, 20)
        elif draw < 0.8:
            profile, lag = "late", rng.randint(20, 60)
        elif draw < 0.93:
            profile, lag = "behind", rng.randint(60, 150)
        else:
            profile, lag = "stalled", rng.randint(0, 40)
            span = windows.end - windows.start
            stall_from = windows.start + int(span * rng.uniform(0.25, 0.7))
            stall_days = rng.randint(60, 240)
        final = 100.0
        if rng.random() < (0.3 if profile in ("behind", "stalled") else 0.08):
            final = rng.uniform(55, 98)
        whole = rng.random() < 0.75  # most agencies report whole percents
        budget = budget_baht * 100 if budget_baht is not None else None
        spend_pace = rng.uniform(0.8, 1.0)
        planned = windows.planned
        # Reporting starts in the month the plan starts, or up to a month before it.
        first = max(self.fy_start, windows.start - rng.randint(0, 40))
        # Unfinished work is reported until a few months after the plan's end, within a year.
        stop = windows.end + max(lag, 0) + rng.randint(30, 150)
        if final >= 100:
            stop = windows.end + max(lag, 0) + 366
        stop = min(stop, self.today_n)
        reports: list[Report] = []
        previous, spent_before = 0, 0
        month = date.fromordinal(first).replace(day=1)
        while True:
            day = rng.random()
            report_day = month.replace(
                day=rng.randint(1, 10) if day < 0.6 else rng.randint(11, 20 if day < 0.9 else 28)
            )
            when = report_day.toordinal()
            month = (month + timedelta(days=32)).replace(day=1)
            if when > stop:
                break
            stalled = stall_from <= when < stall_from + stall_days
            if rng.random() < (SKIPPED_MONTHS_STALLED if stalled else SKIPPED_MONTHS):
                continue
            effective = when - lag
            if stall_days and when >= stall_from:
                effective = (
                    stall_from - lag if when < stall_from + stall_days else when - lag - stall_days
                )
            value = planned(effective) * final / 100
            if value > 0:
                value *= rng.uniform(0.93, 1.07)
            hundredths = round(value) * 100 if whole else round(value * 100)
            if hundredths >= 10000 and (final < 100 or planned(effective) < 99.999):
                hundredths = 9900 if whole else 9950
            reason = ""
            if hundredths < previous:
                hundredths = previous
            if previous >= 1000 and previous < 10000 and reports and rng.random() < 0.006:
                hundredths = previous - rng.randint(1, 8) * 100
                reason = rng.choice(DECREASE_REASONS)
            hundredths = min(hundredths, 10000)
            spent = None
            if budget is not None:
                released = sum(satang for d, satang in instalments if d <= when)
                spent = min(released, int(budget * (hundredths / 10000) ** 1.3 * spend_pace))
                spent = max(spent - spent % 100, spent_before)
                spent_before = spent
            reports.append(
                Report(
                    report_date=report_day,
                    percent=_HUNDREDTHS[hundredths],
                    quantity=(
                        Decimal(round(progress_target * hundredths / 10000))
                        if progress_target
                        else None
                    ),
                    spent=Decimal(spent).scaleb(-2) if spent is not None else None,
                    narrative=self._narrative(windows, hundredths),
                    decrease_reason=reason,
                    status="approved",
                    review_comment="",
                    created_at=self._moment(when),
                    submitted_at=None,
                    reviewed_at=None,
                )
            )
            previous = hundredths
            if hundredths >= 10000:
                break
        for n, report in enumerate(reports):
            self._review(report, latest=n == len(reports) - 1)
        return reports, profile

    def _narrative(self, windows: _Windows, hundredths: int) -> str:
        rng = self.rng
        if hundredths >= 10000:
            return rng.choice(REPORT_DONE)
        if hundredths == 0:
            return rng.choice(REPORT_BEFORE_START)
        step = min(bisect_left(windows.cumulative, hundredths / 10000), len(windows.texts) - 1)
        return rng.choice(REPORT_OPENINGS) + windows.texts[step]

    def _review(self, report: Report, *, latest: bool) -> None:
        """Where the report stands in its review: the latest report of the last few weeks may
        still be a draft, submitted or returned; everything older was approved."""
        rng = self.rng
        recent = self.today_n - report.report_date.toordinal() <= REVIEW_DAYS
        status = _review_status(rng.random()) if latest and recent else "approved"
        report.status = status
        if status == "draft":
            return
        submitted = min(
            report.created_at + timedelta(minutes=rng.randint(5, 3 * 24 * 60)), self.latest
        )
        report.submitted_at = submitted
        if status == "submitted":
            return
        reviewed = submitted + timedelta(minutes=rng.randint(30, 10 * 24 * 60))
        report.reviewed_at = max(submitted, min(reviewed, self.latest))
        if status == "returned":
            report.review_comment = rng.choice(RETURN_COMMENTS)

    def _problems(self, reports: list[Report], profile: str) -> list[Problem]:
        rng = self.rng
        categories = self.reference.categories
        chance = {"behind": 0.45, "stalled": 0.6, "late": 0.2}.get(profile, 0.06)
        if not categories or len(reports) < 2 or rng.random() >= chance:
            return []
        problems = []
        for _ in range(rng.choice((1, 1, 1, 2))):
            opened = rng.randrange(1, len(reports))
            resolved = None
            if opened < len(reports) - 1 and rng.random() < 0.65:
                resolved = rng.randint(opened + 1, min(opened + 4, len(reports) - 1))
            category = rng.choice(categories)
            description = rng.choice(PROBLEMS.get(category, OTHER_PROBLEMS))
            problems.append(Problem(category, description, opened, resolved))
        return problems

    def _evaluations(self, windows: _Windows, reports: list[Report]) -> list[tuple[int, Decimal]]:
        """The evaluator's score of each quarter that has ended: full marks on plan, less the
        further behind; a few evaluations of the last weeks are still to come."""
        rng = self.rng
        out = []
        days = [r.report_date.toordinal() for r in reports]
        for quarter, end in enumerate(self.quarter_ends, 1):
            if end >= self.today_n:
                break
            if self.today_n - end <= KPI_REVIEW_DAYS and rng.random() < 0.6:
                continue
            if rng.random() < 0.03:
                continue
            i = bisect_left(days, end + 1) - 1
            actual = float(reports[i].percent) if i >= 0 else 0.0
            behind = windows.planned(end) - actual
            score = 100.0 - max(0.0, behind - 5) * 2 + rng.uniform(-8, 2)
            if rng.random() < 0.01:
                score = 100.0  # the evaluator's score and the schedule disagree
            out.append((quarter, self._score(min(100.0, max(0.0, score)) / 100)))
        return out

    def _score(self, fraction: float) -> Decimal:
        levels = self.reference.rating_levels
        if levels:
            return levels[round(fraction * (len(levels) - 1))]
        return _HUNDREDTHS[round(fraction * 100) * 100]

    # --- KPIs ---------------------------------------------------------------------------

    def kpis(
        self,
        agency: AgencyRef,
        themes: tuple[str, ...],
        sample: SampleYear,
        projects: list[SampleProject],
    ) -> None:
        rng = self.rng
        count = max(3, round(len(projects) / 3))
        if count > MAX_KPIS_PER_AGENCY_YEAR:
            raise ValueError(f"{count} KPIs for {agency.code} in {self.year}: at most 1,000")
        first = len(sample.kpis)
        for n in range(count):
            theme = THEMES[rng.choice(themes)]
            code = f"{agency.code[:4]}-{FIRST_KPI_NUMBER + n}"
            sample.kpis.append(self._kpi(code, agency, theme))
        # Every KPI is supported by at least one project, when there are projects enough.
        for n, project in enumerate(projects):
            wanted = min(count, rng.choice((1, 1, 1, 2, 2, 2, 3, 3, 4, 5)))
            chosen = [n % count, *rng.sample(range(count), wanted)]
            project.kpis = [first + i for i in dict.fromkeys(chosen)][:wanted]

    def _kpi(self, code: str, agency: AgencyRef, theme: Theme) -> SampleKpi:
        rng = self.rng
        template = rng.choice(theme.kpis)
        target = template.target
        if template.unit not in ("ร้อยละ", "ระดับ"):
            target = max(1, int(round(target * rng.uniform(0.3, 2.0), -1 if target >= 100 else 0)))
        pace = min(1.4, max(0.3, rng.gauss(1.0, 0.15)))
        oddity = rng.random()
        results, scores, approved = [], [], {}
        for quarter, end in enumerate(self.quarter_ends, 1):
            if end >= self.today_n or rng.random() < 0.03:
                continue
            value = _kpi_value(template.mode, template.direction, target, quarter, pace, rng)
            if template.unit == "ระดับ":
                value = float(min(5, max(1, round(value))))
            elif template.unit == "ร้อยละ":
                value = min(value, 100.0)
            if oddity < 0.004:
                value *= 50  # entered in another unit than the target's
            elif oddity < 0.008:
                value = 0.0
            result = Decimal(round(value * 100)).scaleb(-2)
            status = "approved"
            if self.today_n - end <= KPI_REVIEW_DAYS:
                status = _review_status(rng.random())
            comment = rng.choice(KPI_RETURN_COMMENTS) if status == "returned" else ""
            results.append(KpiResult(quarter, result, rng.choice(KPI_NARRATIVES), status, comment))
            if status != "approved":
                continue
            approved[quarter] = result
            if self.today_n - end <= KPI_REVIEW_DAYS and rng.random() < 0.3:
                continue  # not scored yet
            ratio = 1.0 if oddity < 0.008 else min(1.0, pace * rng.uniform(0.9, 1.1))
            first = self._score(ratio)
            second = self._score(min(1.0, max(0.0, ratio - rng.choice((0, 0, 0.05, 0.1)))))
            scores += [(quarter, CRITERIA[0], first), (quarter, CRITERIA[1], second)]
        return SampleKpi(
            code=code,
            agency=agency.code,
            text=template.text,
            unit=template.unit,
            target=Decimal(target),
            achieved=achieved_value(approved, template.mode),
            kpi_type="strategic" if rng.random() < 0.6 else "routine",
            level=rng.choice(("outcome", "output", "output")),
            direction=template.direction,
            mode=template.mode,
            results=results,
            scores=scores,
        )


def _review_status(draw: float) -> str:
    for status, below in IN_REVIEW:
        if draw < below:
            return status
    return "approved"


def _kpi_value(
    mode: str, direction: str, target: float, quarter: int, pace: float, rng: random.Random
) -> float:
    """One quarter's result of a KPI that keeps the given pace against its target."""
    noise = rng.uniform(0.92, 1.08)
    if mode == "sum":
        share = target / 4
        return share * (pace if direction == "higher" else 1 / pace) * noise
    if direction == "lower":
        return target / pace * noise
    if mode == "cumulative":
        return target * min(1.0, quarter / 4 * pace) * noise
    return target * pace * noise


def _weights(rng: random.Random, sizes: Sequence[float]) -> list[int]:
    """Step weights in hundredths of a percent, adding up to exactly 100.00, every step at
    least 0.01: most plans in multiples of 5 or whole percents, a few to two places."""
    draw = rng.random()
    unit = 500 if draw < 0.6 and len(sizes) <= 20 else 100 if draw < 0.9 else 1
    counts = [max(1, c) for c in apportion(10000 // unit, sizes)]
    while sum(counts) > 10000 // unit:
        counts[counts.index(max(counts))] -= 1
    return [c * unit for c in counts]


class _Windows:
    """An operating plan as day numbers and fractions, for the planned progress of the
    thousands of report dates a year has; the system's own rule, with exact fractions, is
    tidtam.projects.schedule.planned_percent."""

    __slots__ = ("cumulative", "end", "ends", "start", "starts", "texts", "weights")

    def __init__(
        self, starts: list[int], ends: list[int], weights: list[float], texts: list[str]
    ) -> None:
        self.starts, self.ends, self.weights, self.texts = starts, ends, weights, texts
        self.start, self.end = min(starts), max(ends)
        self.cumulative = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def planned(self, day: int) -> float:
        """Planned progress in percent at the end of the day."""
        total = 0.0
        for start, end, weight in zip(self.starts, self.ends, self.weights, strict=True):
            if day >= end:
                total += weight
            elif day >= start:
                total += weight * (day - start + 1) / (end - start + 1)
        return min(100.0, total * 100)
