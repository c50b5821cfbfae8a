"""Exports of one fiscal year's project list, as CSV and as XLSX, through `write_export` (what
the export job runs), for a reader who sees every project of the year.

Targets: CSV ≤ 3 s, XLSX ≤ 10 s, peak memory of an export ≤ 300 MB.

Each export runs in a process of its own (`python bench/exports.py <format> <year>`), which
reports its time and its peak resident memory from `resource.getrusage` (ru_maxrss): the
whole process, Django and the database driver included, not only Python's allocations. The
process starts Django before the clock starts; the time is the export's alone.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSV_TARGET = 3  # seconds
XLSX_TARGET = 10  # seconds
MEMORY_TARGET = 300  # MB


def figures(fiscal_year: int) -> None:
    from figures import check, miss

    for fmt, target in (("csv", CSV_TARGET), ("xlsx", XLSX_TARGET)):
        label = f"{fmt.upper()} export of the project list of fiscal year {fiscal_year}"
        done = subprocess.run(
            [sys.executable, __file__, fmt, str(fiscal_year)],
            env={**os.environ, "TIDTAM_DEV": os.environ.get("TIDTAM_DEV", "1")},
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            miss(f"{label}: not measured, the export failed: {done.stderr.strip()[-300:]}")
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        what = f"{result['rows']:,} rows, {result['bytes'] / 1e6:.1f} MB file, "
        check(label, result["seconds"], target=target, unit="s", what=what, digits=2)
        check(
            f"{label}: peak memory of the process (getrusage)",
            result["peak_mb"],
            target=MEMORY_TARGET,
            unit="MB",
        )


def export_once(fmt: str, fiscal_year: int) -> dict[str, float]:
    """Set Django up, then time one export of the year to a temporary file."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidtam.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.http import QueryDict

    from tidtam.accounts.models import Role
    from tidtam.dashboards.exports import exported_projects, write_export
    from tidtam.test import make_member

    reader = User.objects.filter(username="bench-exporter").first() or make_member(
        "bench-exporter", Role.EVALUATOR
    )
    query = QueryDict(f"fy={fiscal_year}")
    rows = exported_projects(reader, query).count()
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        write_export("projects", fmt, user=reader, query=query, lang="th", out=out)
        seconds = time.perf_counter() - started
        size = out.tell()
    # ru_maxrss is in kilobytes on Linux.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak, "rows": rows, "bytes": size}


if __name__ == "__main__":
    print(json.dumps(export_once(sys.argv[1], int(sys.argv[2]))))
