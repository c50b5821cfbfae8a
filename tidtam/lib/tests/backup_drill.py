"""The backup drill that test_backup runs in a process of its own, on a database of its own
(DATABASE_URL: a SQLite file in WAL mode as in production, or a new PostgreSQL database):

    python -m tidtam.lib.tests.backup_drill <backup.tar>

A thread writes progress reports through the real actions, one committed transaction after
another, and records every table's row count and content hash after each commit: the states
the site went through. An action commits twice: its own transaction, then the raise of the
published version (audit.published) in a statement of its own; the state between the two is
recorded too. `manage.py backup` runs meanwhile. The restore is then refused over the
data and from a damaged copy, changing nothing; forced, it must bring back exactly one of the
recorded states (every table, row for row), with the uploaded file, and on SQLite exactly
what the backup's own database file holds.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import sys
import tarfile
import tempfile
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import django
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidtam.settings")
django.setup()
settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.base import CommandError  # noqa: E402
from django.db import connection  # noqa: E402

from tidtam.audit import published  # noqa: E402
from tidtam.reporting import actions  # noqa: E402
from tidtam.reporting.models import ProgressReport, ReportStatus  # noqa: E402
from tidtam.test import AGENCY_A, make_personas, make_project  # noqa: E402

Tables = dict[str, tuple[int, str]]
# Large enough (4 MB) that copying the uploaded files takes a while of the backup.
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 16384 + b"\n%%EOF\n"
PROJECTS = 60


def table_hashes() -> Tables:
    """Every table's row count and a hash of its rows (sorted: the order rows come back in
    does not matter)."""
    with connection.cursor() as cursor:
        return {
            name: _hash(cursor, connection.ops.quote_name(name))
            for name in connection.introspection.table_names(cursor)
        }


def sqlite_file_hashes(path: Path) -> Tables:
    """The same of a SQLite file read as it is, without Django's conversions of values."""
    database = sqlite3.connect(path)
    try:
        cursor = database.cursor()
        names = cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        return {name: _hash(cursor, f'"{name}"') for (name,) in names}
    finally:
        database.close()


def _hash(cursor: Any, quoted_table: str) -> tuple[int, str]:
    cursor.execute(f"SELECT * FROM {quoted_table}")
    rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
    return len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()


def report_values(n: int) -> actions.ReportValues:
    return actions.ReportValues(
        report_date=date(2020, 1, 31), percent=Decimal(n % 100), narrative=f"รายงานฉบับที่ {n}"
    )


def main(backup: Path) -> None:
    call_command("migrate", verbosity=0)
    personas = make_personas()
    officer = personas.officer_a
    projects = [make_project(code=f"{AGENCY_A}-{n:04d}") for n in range(PROJECTS)]
    first = actions.create_report(project=projects[0], values=report_values(0), by=officer)
    actions.add_attachment(report=first, upload=SimpleUploadedFile("แผนงาน.pdf", PDF), by=officer)
    attachment = first.attachments.get()
    media_file = Path(settings.MEDIA_ROOT) / attachment.stored_name

    states: list[Tables] = [table_hashes()]
    stop = threading.Event()
    failures: list[BaseException] = []

    raise_version = published._raise

    def record_then_raise() -> None:
        """The version is raised after the action's commit, as a commit of its own: the state
        in between is one the site goes through, and the backup may take it."""
        try:
            states.append(table_hashes())
        except BaseException as error:  # on_commit(robust=True) would only log it
            failures.append(error)
        raise_version()

    published._raise = record_then_raise

    def write() -> None:
        try:
            for n, project in enumerate(projects[1:], 1):
                if stop.is_set():
                    break
                report = actions.create_report(project=project, values=report_values(n), by=officer)
                states.append(table_hashes())
                actions.submit_report(report=report, by=officer)
                states.append(table_hashes())
        except BaseException as error:
            failures.append(error)
            raise
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    while len(states) < 6 and writer.is_alive():
        time.sleep(0.005)
    reports_before, states_before = ProgressReport.objects.count(), len(states)
    call_command("backup", output=backup, verbosity=0)
    reports_after, states_after = ProgressReport.objects.count(), len(states)
    while len(states) < states_after + 4 and writer.is_alive():
        time.sleep(0.005)
    stop.set()
    writer.join()
    assert not failures, failures
    print(
        f"{settings.DATABASES['default']['ENGINE']}: reports {reports_before} before the "
        f"backup, {reports_after} after; {states_after - states_before} commits while it ran"
    )
    final = table_hashes()
    assert final == states[-1]

    try:
        call_command("restore", backup, verbosity=0)
        raise AssertionError("restored over a database holding data without --force")
    except CommandError as refused:
        assert "already holds data" in str(refused), refused
    assert table_hashes() == final

    damaged = backup.with_name("damaged.tar")
    shutil.copy(backup, damaged)
    with damaged.open("r+b") as copy:
        copy.seek(4096)
        byte = copy.read(1)
        copy.seek(4096)
        copy.write(bytes([byte[0] ^ 0xFF]))
    try:
        call_command("restore", damaged, force=True, verbosity=0)
        raise AssertionError("restored a damaged backup")
    except CommandError as refused:
        assert "damaged" in str(refused), refused
    assert table_hashes() == final

    shutil.rmtree(settings.MEDIA_ROOT)
    call_command("restore", backup, force=True, verbosity=0)
    restored = table_hashes()
    matches = [k for k, state in enumerate(states) if state == restored]
    assert matches, "the restored database is none of the states the site went through"
    different = {name for name in restored if restored[name] != final.get(name)}
    print(
        f"restored state {matches[0]} of {len(states) - 1}; tables differing from the end: "
        f"{len(different)}"
    )

    reports = ProgressReport.objects.count()
    assert reports_before <= reports <= reports_after, (reports_before, reports, reports_after)
    created = set(ProgressReport.history.filter(history_type="+").values_list("id", flat=True))
    assert created == set(ProgressReport.objects.values_list("id", flat=True))
    for report in ProgressReport.objects.filter(status=ReportStatus.SUBMITTED):
        assert report.history.filter(status=ReportStatus.SUBMITTED).exists(), report.pk
    assert media_file.read_bytes() == PDF

    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory() as work, tarfile.open(backup) as tar:
            tar.extract("database.sqlite3", work, filter="data")
            snapshot = sqlite_file_hashes(Path(work) / "database.sqlite3")
        assert snapshot == sqlite_file_hashes(Path(settings.DATABASES["default"]["NAME"]))
    print("backup drill passed")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
