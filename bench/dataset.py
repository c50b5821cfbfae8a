"""The data sets the benchmarks run on: where they are kept, how they are built and copied.

The city-scale data set is generated once per set of parameters, fiscal year and version of
the generator and schema, and kept: under var/bench/ as a SQLite file, or as a database of the
PostgreSQL server. Anything that writes works on a copy of it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
SEED = 1


def data_key(projects: int, years: int) -> str:
    """Names a data set: its parameters, the fiscal year it ends with, and a digest of the
    generator's code and of the migrations, so that a change to either makes it again (a
    migration edited in place as well)."""
    from tidtam.lib.fiscal import fiscal_year_of

    digest = hashlib.sha1(usedforsecurity=False)
    sources = sorted((ROOT / "tidtam" / "demo").glob("**/*.py"))
    for path in sources:
        if "tests" not in path.parts:
            digest.update(path.read_bytes())
    for path in sorted(ROOT.glob("tidtam/*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    year = fiscal_year_of(date.today())
    return f"city-{projects}x{years}-fy{year}-seed{SEED}-{digest.hexdigest()[:10]}"


class SqliteFiles:
    """Databases as files under var/bench/."""

    def __init__(self) -> None:
        VAR.mkdir(parents=True, exist_ok=True)

    def path(self, name: str) -> Path:
        return VAR / f"{name}.sqlite3"

    def url(self, name: str) -> str:
        return f"sqlite:///{self.path(name)}"

    def describe(self, name: str) -> str:
        return str(self.path(name).relative_to(ROOT))

    def record(self, name: str) -> Path:
        """Where the timings of the data set's making are kept."""
        return VAR / f"{name}.json"

    def exists(self, name: str) -> bool:
        return self.path(name).exists()

    def drop(self, name: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path(name)}{suffix}").unlink(missing_ok=True)

    def fresh(self, name: str) -> str:
        self.drop(name)
        return self.url(name)

    def rename(self, old: str, new: str) -> None:
        self.drop(new)
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path(old)}{suffix}")
            if source.exists():
                source.replace(f"{self.path(new)}{suffix}")

    def copy(self, source: str, name: str) -> str:
        self.drop(name)
        for suffix in ("", "-wal"):
            if Path(f"{self.path(source)}{suffix}").exists():
                shutil.copyfile(f"{self.path(source)}{suffix}", f"{self.path(name)}{suffix}")
        return self.url(name)

    def drop_others(self, prefix: str, keep: str) -> None:
        """Earlier versions of a data set: a gigabyte each."""
        for path in VAR.glob(f"{prefix}*.sqlite3"):
            if path.stem != keep:
                self.drop(path.stem)
                self.record(path.stem).unlink(missing_ok=True)


class PostgresServer:
    """Databases of the PostgreSQL server DATABASE_URL points at."""

    def __init__(self, url: str) -> None:
        if not url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("BENCH_POSTGRES=1 needs DATABASE_URL=postgres://…")
        self.base = urlsplit(url)
        VAR.mkdir(parents=True, exist_ok=True)

    def _name(self, name: str) -> str:
        return "tidtam_bench_" + name.replace("-", "_")

    def url(self, name: str) -> str:
        return urlunsplit(self.base._replace(path="/" + self._name(name)))

    def describe(self, name: str) -> str:
        return f"database {self._name(name)} on {self.base.hostname}:{self.base.port}"

    def record(self, name: str) -> Path:
        return VAR / f"postgres-{name}.json"

    def _execute(self, sql: str, params: tuple[str, ...] = ()) -> list[tuple[object, ...]]:
        import psycopg

        admin = urlunsplit(self.base._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as connection:
            cursor = connection.execute(sql, params)  # type: ignore[call-overload]
            return cursor.fetchall() if cursor.description else []

    def exists(self, name: str) -> bool:
        found = self._execute("SELECT 1 FROM pg_database WHERE datname = %s", (self._name(name),))
        return bool(found)

    def drop(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self._name(name)}" WITH (FORCE)')

    def fresh(self, name: str) -> str:
        self.drop(name)
        self._execute(f'CREATE DATABASE "{self._name(name)}"')
        return self.url(name)

    def rename(self, old: str, new: str) -> None:
        self.drop(new)
        self._execute(f'ALTER DATABASE "{self._name(old)}" RENAME TO "{self._name(new)}"')

    def copy(self, source: str, name: str) -> str:
        self.drop(name)
        self._execute(f'CREATE DATABASE "{self._name(name)}" TEMPLATE "{self._name(source)}"')
        return self.url(name)

    def drop_others(self, prefix: str, keep: str) -> None:
        pattern = self._name(prefix).replace("_", r"\_") + "%"
        for (name,) in self._execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (pattern,)
        ):
            if name != self._name(keep):
                self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build(projects: int, years: int, record: Path | None) -> None:
    """Stage: migrate the (empty) database, load the reference data, generate the sample data,
    make sure every project has its standing and build the search index; write the timings to
    `record`."""
    from django.core.management import call_command
    from django.db import connection

    from tidtam.projects.models import Project
    from tidtam.reporting.models import ProgressReport

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    started = time.perf_counter()
    call_command(
        "generate_demo",
        f"--projects={projects}",
        f"--years={years}",
        f"--seed={SEED}",
        stdout=sys.stdout,
    )
    generated = time.perf_counter() - started
    refreshed = _ensure_standings()
    indexed = _build_search_index()
    facts = {
        "generate_seconds": generated,
        "refresh_seconds": refreshed,
        "search_index_seconds": indexed,
        "projects": Project.objects.count(),
        "reports": ProgressReport.objects.count(),
        "on": date.today().isoformat(),
    }
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        # As autovacuum leaves a database the city has run for a while: the rows the standings'
        # refresh and the index rewrote marked visible, so that an index-only scan reads the
        # index alone (not the table, row by row, as right after a bulk load), and every
        # table's statistics current.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    connection.close()
    if record is not None:
        record.write_text(json.dumps(facts))


def _build_search_index() -> float:
    """generate_demo writes in bulk, past the actions that keep the search index: build it
    whole; the time it took."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("rebuild_search_index", stdout=open(os.devnull, "w"))  # noqa: SIM115
    elapsed = time.perf_counter() - started
    print(f"search index of every project built in {elapsed:.1f} s", flush=True)
    return elapsed


def _ensure_standings() -> float | None:
    """Every standing of the data set, when generate_demo did not refresh them itself; the
    time it took."""
    try:
        from tidtam.standing.models import ProjectStanding
        from tidtam.standing.refresh import refresh_standings
    except ImportError:
        return None
    from tidtam.projects.models import Project

    if ProjectStanding.objects.count() >= Project.objects.count():
        return None
    started = time.perf_counter()
    refresh_standings()
    elapsed = time.perf_counter() - started
    print(f"standings of every project refreshed in {elapsed:.1f} s", flush=True)
    return elapsed
