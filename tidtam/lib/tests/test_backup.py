"""`manage.py backup` and `restore`: a backup taken while reports are being written restores
to one moment of the site, row for row, with its uploaded files; a damaged backup, or one
that would overwrite data without --force, is refused with nothing changed."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from tidtam.lib.backup import MANIFEST, Manifest, verify
from tidtam.test import make_user

IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"


@pytest.fixture
def drill_database(tmp_path: Path) -> Iterator[str]:
    """A database of the engine under test that nothing else uses: a SQLite file, or a new
    database on the PostgreSQL server of the tests."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        yield f"sqlite:///{tmp_path / 'site.sqlite3'}"
        return
    name = f"tidtam_drill_{uuid.uuid4().hex[:12]}"
    server: dict[str, Any] = {
        "host": db["HOST"],
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        yield f"postgres://{db['USER']}{password}@{db['HOST']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_taken_while_reports_are_written_restores_one_committed_moment(
    tmp_path: Path, drill_database: str
) -> None:
    """The drill (backup_drill.py) runs in a process of its own, as cron would run the
    backup beside the site: on a file-based database in WAL mode, not the tests' in-memory
    one."""
    env = {
        **os.environ,
        "TIDTAM_DEV": "1",
        "DATABASE_URL": drill_database,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "TASKS_BACKEND": IMMEDIATE,
    }
    done = subprocess.run(
        [sys.executable, "-m", "tidtam.lib.tests.backup_drill", str(tmp_path / "site.tar")],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "backup drill passed" in done.stdout


def backup_of(path: Path, members: dict[str, bytes], manifest: dict[str, Any] | None) -> Path:
    """A backup written by hand, with the members and manifest given."""
    with tarfile.open(path, "w") as tar:
        entries = dict(members)
        if manifest is not None:
            entries[MANIFEST] = json.dumps(manifest).encode()
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def manifest_of(members: dict[str, bytes], engine: str = "sqlite") -> dict[str, Any]:
    files = {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}
    return {
        "format": "tidtam-backup",
        "version": 1,
        "engine": engine,
        "created": "",
        "files": files,
    }


GOOD = {"database.sqlite3": b"SQLite format 3\x00", "media/reports/a.pdf": b"%PDF-1.4"}


def test_a_sound_backup_is_verified_and_extracted(tmp_path: Path) -> None:
    backup = backup_of(tmp_path / "b.tar", GOOD, manifest_of(GOOD))
    manifest = verify(backup, tmp_path / "out")
    assert isinstance(manifest, Manifest) and manifest.media == ["media/reports/a.pdf"]
    assert (tmp_path / "out" / "media" / "reports" / "a.pdf").read_bytes() == b"%PDF-1.4"


@pytest.mark.parametrize(
    ("members", "manifest", "message"),
    [
        ({**GOOD, "media/reports/a.pdf": b"%PDF-1.5"}, manifest_of(GOOD), "damaged"),
        ({"database.sqlite3": GOOD["database.sqlite3"]}, manifest_of(GOOD), "missing"),
        ({**GOOD, "media/extra.pdf": b"x"}, manifest_of(GOOD), "not listed"),
        (GOOD, None, "not a Tidtam backup"),
        (GOOD, {"format": "other"}, "manifest is damaged"),
        (
            {**GOOD, "media/../../escape": b"x"},
            manifest_of({**GOOD, "media/../../escape": b"x"}),
            "outside",
        ),
    ],
)
def test_a_damaged_or_foreign_backup_is_refused(
    tmp_path: Path, members: dict[str, bytes], manifest: dict[str, Any] | None, message: str
) -> None:
    backup = backup_of(tmp_path / "b.tar", members, manifest)
    with pytest.raises(CommandError, match=message):
        call_command("restore", backup, force=True, verbosity=0)


def test_a_file_that_is_not_a_tar_is_refused(tmp_path: Path) -> None:
    backup = tmp_path / "b.tar"
    backup.write_bytes(b"not a tar at all" * 100)
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("restore", backup, force=True, verbosity=0)


@pytest.mark.django_db
def test_a_backup_of_the_other_engine_is_refused_with_nothing_changed(tmp_path: Path) -> None:
    make_user("keeps")
    other = (
        "postgresql" if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") else "sqlite"
    )
    members = {"database.pgdump" if other == "postgresql" else "database.sqlite3": b"x"}
    backup = backup_of(tmp_path / "b.tar", members, manifest_of(members, engine=other))
    with pytest.raises(CommandError, match=f"backup is of a {other} database"):
        call_command("restore", backup, force=True, verbosity=0)
    assert list(User.objects.values_list("username", flat=True)) == ["keeps"]
