"""City-scale figures, on a copy of the generated data set (SPEC §6: 120,000 projects over 20
fiscal years, about 1.5 million reports).

Targets: the dashboard of one fiscal year ≤ 150 ms; CSV and XLSX exports of one fiscal year
≤ 3 s and ≤ 10 s with at most 300 MB; Thai search p95 ≤ 100 ms and rebuilding its index
≤ 10 min (bench/exports.py, bench/search.py); refreshing every standing of one fiscal year
≤ 30 s; /flags/?fy= median ≤ 150 ms; /projects/ with any filter ≤ 50 ms; /kpis/ ≤ 100 ms; a
project page ≤ 30 ms with at most 15 queries, for the public, an evaluator and an officer; no
list page makes more queries on this data than on a small data set; legacy import into this
database ≥ 200 pages/s.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import exports
import search
from django.contrib.auth.models import User
from django.db.models import Count
from django.test import Client
from django.utils import timezone
from figures import check, miss, note, time_page
from foundation import bench_import

from tidtam.accounts.models import Role
from tidtam.lib.fiscal import fiscal_year_of
from tidtam.orgs.models import Agency
from tidtam.projects.models import Project
from tidtam.test import make_member

REQUESTS = int(os.environ.get("BENCH_CITY_REQUESTS", "30"))
# Only the pages whose label matches this regular expression (every page when empty).
MATCH = os.environ.get("BENCH_MATCH", "")
REFRESH_TARGET = 30  # seconds
# The list pages (of `measure_pages`) that showed no row: a list without rows skips the queries
# of its rows, so its count is no measure of how the count grows with them.
EMPTY: set[str] = set()


@dataclass(frozen=True)
class Page:
    key: str  # names the page across data sets, for the query counts
    label: str
    url: str
    data: dict[str, str] | None
    target: float | None  # median milliseconds


def busiest_agency(fiscal_year: int) -> Agency:
    """The agency with the most projects of the year."""
    busiest = (
        Project.objects.filter(fiscal_year=fiscal_year)
        .values_list("agency", flat=True)
        .annotate(n=Count("id"))
        .order_by("-n", "agency")
        .first()
    )
    return Agency.objects.get(pk=busiest)


def pages(fiscal_year: int) -> list[Page]:
    agency = busiest_agency(fiscal_year).code
    # The project with the most reports of the last full year: the heaviest page.
    project = (
        Project.objects.filter(fiscal_year=fiscal_year - 1, published=True)
        .annotate(n=Count("reports"))
        .order_by("-n", "code")
        .first()
    )
    fy = str(fiscal_year)
    listed = [
        Page("flags", f"flags page fy {fy}", "/flags/", {"fy": fy}, 150),
        Page("projects", "project list", "/projects/", None, 50),
        Page("projects fy", f"project list fy {fy}", "/projects/", {"fy": fy}, 50),
        Page(
            "projects fy agency",
            f"project list fy {fy} agency {agency}",
            "/projects/",
            {"fy": fy, "agency": agency},
            50,
        ),
        Page("projects all", "project list of every year", "/projects/", {"fy": "all"}, 50),
        Page("projects page", "project list page 100", "/projects/", {"page": "100"}, 50),
        Page("projects search", "project list search ถนน", "/projects/", {"q": "ถนน"}, 50),
        Page(
            "projects filtered",
            f"project list fy {fy} behind or critical, by variance",
            "/projects/",
            {"fy": fy, "status": "critical", "sort": "variance"},
            50,
        ),
        Page(
            "projects many filters",
            f"project list fy {fy} district group, open problems, missing report, by days late",
            "/projects/",
            {"fy": fy, "group": "1", "problems": "1", "missing": "1", "sort": "-days_late"},
            50,
        ),
        Page(
            "projects plan node",
            f"project list fy {fy} plan node 1 and below, strategic KPIs",
            "/projects/",
            {"fy": fy, "node": "1", "kpi_type": "strategic"},
            50,
        ),
        Page(
            "projects all sorted",
            "project list of every year by budget",
            "/projects/",
            {"fy": "all", "sort": "-budget"},
            50,
        ),
        Page("kpis", "KPI list", "/kpis/", None, 100),
        Page("home", f"dashboard fy {fy}", "/", None, 150),
        Page(
            "home past",
            f"dashboard fy {fiscal_year - 1} quarter 4",
            "/",
            {"fy": str(fiscal_year - 1), "quarter": "4"},
            150,
        ),
    ]
    if project is not None:
        listed.append(
            Page("project", f"project page {project.code}", f"/projects/{project.code}/", None, 30)
        )
    return listed


def clients(fiscal_year: int) -> dict[str, Client]:
    """The public, an evaluator, and an officer of the agency with the most projects."""
    roles = {
        "evaluator": (Role.EVALUATOR, None),
        "officer": (Role.OFFICER, busiest_agency(fiscal_year)),
    }
    out = {"anonymous": Client()}
    for name, (role, agency) in roles.items():
        # Made once: the pages alone may be measured again on the same database.
        user = User.objects.filter(username=f"bench-{name}").first()
        client = Client()
        client.force_login(user or make_member(f"bench-{name}", role, agency))
        out[name] = client
    return out


def measure_pages(fiscal_year: int, requests: int) -> dict[str, int]:
    """Time every page for every persona against its target; the query counts by page."""
    counts: dict[str, int] = {}
    for persona, client in clients(fiscal_year).items():
        for page in pages(fiscal_year):
            key = f"{page.key} as {persona}"
            label = f"{page.label} ({persona})"
            if MATCH and not re.search(MATCH, label):
                continue
            timing = time_page(client, page.url, page.data, requests)
            if timing.status != 200:
                miss(f"{label}: not measured, the page answers {timing.status}")
                continue
            counts[key] = timing.queries
            if timing.empty and page.key.startswith("projects"):
                EMPTY.add(key)
            if not requests:
                continue
            what = (
                f"{timing.queries} queries, processor {timing.cpu:.1f} ms, "
                f"p95 {timing.p95:.1f} ms, median "
            )
            if page.target is None:
                note(f"{label}: {what}{timing.median:.1f} ms (no target named)")
                continue
            check(label, timing.median, target=page.target, unit="ms", what=what)
            if page.key == "project":
                check(label, timing.queries, target=15, what="queries ", digits=0)
    return counts


def refresh_figures(fiscal_year: int) -> None:
    try:
        from tidtam.standing.refresh import refresh_standings
    except ImportError:
        note("standing refresh: not measured: standing not built yet")
        return
    for year in (fiscal_year, fiscal_year - 1):
        count = Project.objects.filter(fiscal_year=year).count()
        if not count:
            continue
        started = time.perf_counter()
        refresh_standings(fiscal_years=[year])
        elapsed = time.perf_counter() - started
        label = f"refresh every standing of fiscal year {year} ({count:,} projects)"
        check(label, elapsed, target=REFRESH_TARGET, unit="s")


def compare_counts(
    small: dict[str, int], large: dict[str, int], sizes: tuple[int, int], empty: set[str]
) -> None:
    """Per page, the queries of each persona on the small and on the large data set; a list
    that showed no row on the small data set (`empty`) is not compared."""
    by_page: dict[str, list[str]] = {}
    for key in large:
        by_page.setdefault(key.split(" as ")[0], []).append(key)
    for page, keys in by_page.items():
        if any(k in empty for k in keys):
            note(
                f"query count of {page}: not compared, the list shows no project on the "
                f"{sizes[0]:,}-project data set (its rows' queries are skipped there)"
            )
            continue
        keys = [k for k in keys if k in small]
        personas = "/".join(k.split(" as ")[1] for k in keys)
        before = "/".join(str(small[k]) for k in keys)
        after = "/".join(str(large[k]) for k in keys)
        grows = any(large[k] > small[k] for k in keys)
        line = (
            f"query count of {page} ({personas}): {before} with {sizes[0]:,} projects, {after} "
            f"with {sizes[1]:,}: {'grows' if grows else 'does not grow'}"
        )
        if grows:
            miss(line)
        else:
            note(line)


def main(small_counts: Path) -> None:
    fiscal_year = fiscal_year_of(timezone.localdate())
    total = Project.objects.count()
    note(f"-- city scale: {total:,} projects, a copy of the generated data set --")
    refresh_figures(fiscal_year)
    counts = measure_pages(fiscal_year, REQUESTS)
    small: dict[str, Any] = json.loads(small_counts.read_text())
    compare_counts(small["counts"], counts, (small["projects"], total), set(small["empty"]))
    exports.figures(fiscal_year)
    search.figures()
    search.rebuild_figure()
    bench_import("legacy import into the city-scale database")


def page_figures() -> None:
    """The list and dashboard pages alone (BENCH_ONLY=pages), on the data as it is."""
    note(f"-- city scale: {Project.objects.count():,} projects, the pages alone --")
    measure_pages(fiscal_year_of(timezone.localdate()), REQUESTS)


def count_queries(out: Path) -> None:
    """The query counts of every page on the small data set, for main() to compare."""
    fiscal_year = fiscal_year_of(timezone.localdate())
    counts = measure_pages(fiscal_year, 0)
    record = {"projects": Project.objects.count(), "counts": counts, "empty": sorted(EMPTY)}
    out.write_text(json.dumps(record))
    note(f"query counts on {Project.objects.count():,} projects taken")
