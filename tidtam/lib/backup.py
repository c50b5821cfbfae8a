"""Backups of the whole site, its database and its uploaded files, in one tar file whose
manifest holds the SHA-256 of every other member; and their restoring.

The database is copied while the site goes on writing: SQLite through its online backup API
(one step, so the copy is the snapshot of one read transaction; in WAL mode the site's writers
do not wait for it), PostgreSQL by `pg_dump --format=custom` (one snapshot of a repeatable-read
transaction) with the credentials of DATABASE_URL. The uploaded files (MEDIA_ROOT) are copied
after the database: every file a row of the snapshot names was stored before that row
committed, so it is there.

A restore checks every checksum before it changes anything, and refuses a damaged backup,
a backup of the other database engine, and a database that already holds data unless told
to replace it (`force`). It replaces the database as a whole (SQLite through the backup API
into the live file, PostgreSQL by `pg_restore --clean --single-transaction`: a failure
leaves the database as it was), then writes the uploaded files back over MEDIA_ROOT; files
that are not in the backup are left where they are.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

FORMAT = "tidtam-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024

# Rows that `migrate` writes by itself into a new, empty database: they are not data a
# restore would destroy.
WRITTEN_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission", "reporting.problemcategory"}


class BackupError(Exception):
    """Why a backup could not be taken or restored, for the person running the command."""


@dataclass
class Manifest:
    engine: str
    created: str
    files: dict[str, str] = field(default_factory=dict)  # member name → SHA-256

    @property
    def database(self) -> str:
        return DATABASE[self.engine]

    @property
    def media(self) -> list[str]:
        return sorted(name for name in self.files if name.startswith(MEDIA + "/"))

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "format": FORMAT,
                "version": VERSION,
                "engine": self.engine,
                "created": self.created,
                "files": self.files,
            },
            indent=1,
            sort_keys=True,
        ).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            raw = json.loads(data)
            if raw["format"] != FORMAT or raw["version"] != VERSION:
                raise ValueError(raw["format"], raw["version"])
            manifest = cls(engine=raw["engine"], created=raw["created"], files=dict(raw["files"]))
            if manifest.database not in manifest.files:
                raise ValueError("no database")
        except (ValueError, KeyError, TypeError) as error:
            raise BackupError(
                f"The backup's manifest is damaged or of an unknown format ({error!r})."
            ) from error
        return manifest


def engine_of(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DATABASE:
        raise BackupError(f"Backups of a {connection.vendor} database are not supported.")
    return connection.vendor


def default_output(now: Any = None) -> Path:
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "var" / "backups" / f"tidtam-{stamp}.tar"


# Taking a backup.


def take_backup(output: Path, connection: BaseDatabaseWrapper) -> Manifest:
    """Write the database and MEDIA_ROOT into the tar `output` (through a `.partial` file
    renamed at the end: a backup that failed half way never looks complete)."""
    manifest = Manifest(engine=engine_of(connection), created=timezone.now().isoformat())
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as work:
        dump = Path(work) / manifest.database
        if manifest.engine == "sqlite":
            _sqlite_snapshot(connection, dump)
        else:
            _pg_run("pg_dump", connection, "--format=custom", "--file", str(dump))
        try:
            with tarfile.open(partial, "w") as tar:
                manifest.files[manifest.database] = _add(tar, dump, manifest.database)
                for path, name in _media_files():
                    try:
                        manifest.files[name] = _add(tar, path, name)
                    except FileNotFoundError:
                        continue  # deleted since it was listed: its row is gone too
                data = manifest.to_json()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
                tar.addfile(info, _BytesReader(data))
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def _sqlite_snapshot(connection: BaseDatabaseWrapper, path: Path) -> None:
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        # pages=-1: one step, so the copy is one consistent snapshot; copied page by page
        # it would start over each time the site wrote.
        connection.connection.backup(target, pages=-1)
    finally:
        target.close()


def _media_files() -> Iterator[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for folder, _dirs, names in sorted(os.walk(root)):
        for filename in sorted(names):
            path = Path(folder) / filename
            if path.is_file() and not path.is_symlink():
                yield path, f"{MEDIA}/{path.relative_to(root).as_posix()}"


def _add(tar: tarfile.TarFile, path: Path, name: str) -> str:
    """Add the file under `name`, returning the SHA-256 of exactly the bytes added."""
    with path.open("rb") as source:
        info = tar.gettarinfo(fileobj=source, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = _HashingReader(source)
        tar.addfile(info, reader)
    return reader.digest.hexdigest()


class _HashingReader:
    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.digest.update(chunk)
        return chunk


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.at + size
        chunk, self.at = self.data[self.at : end], min(end, len(self.data))
        return chunk


# Checking and restoring.


def verify(backup: Path, into: Path) -> Manifest:
    """Extract the backup into the folder `into`, checking every member against the
    manifest; a damaged, incomplete or tampered backup raises BackupError."""
    try:
        with tarfile.open(backup, "r:") as tar:
            members = {member.name: member for member in tar.getmembers()}
            if MANIFEST not in members:
                raise BackupError(f"{backup} has no {MANIFEST}: it is not a Tidtam backup.")
            manifest_file = tar.extractfile(members[MANIFEST])
            assert manifest_file is not None
            manifest = Manifest.from_json(manifest_file.read())
            unlisted = sorted(set(members) - set(manifest.files) - {MANIFEST})
            missing = sorted(set(manifest.files) - set(members))
            if unlisted or missing:
                raise BackupError(
                    "The backup does not hold what its manifest lists "
                    f"(missing: {missing[:5]}, not listed: {unlisted[:5]})."
                )
            for name, expected in manifest.files.items():
                member = members[name]
                target = _safe_path(into, name)
                source = tar.extractfile(member) if member.isfile() else None
                if source is None:
                    raise BackupError(f"The backup's member {name} is not a regular file.")
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != expected:
                    raise BackupError(
                        f"The backup is damaged: the checksum of {name} does not match its "
                        "manifest."
                    )
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"The backup {backup} cannot be read: {error}.") from error
    return manifest


def _safe_path(root: Path, name: str) -> Path:
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or ".." in parts:
        raise BackupError(f"The backup names a file outside its folders: {name!r}.")
    return root.joinpath(*parts)


def rows_of_data(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """The tables holding rows, by model label, leaving out what `migrate` writes itself:
    empty for a new database."""
    tables = set(connection.introspection.table_names())
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in WRITTEN_BY_MIGRATE:
            continue
        if meta.db_table not in tables:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(meta.db_table)}")
            count = cursor.fetchone()[0]
        if count:
            counts[meta.label_lower] = count
    return counts


@dataclass
class Restored:
    manifest: Manifest
    media_files: int


def restore(backup: Path, connection: BaseDatabaseWrapper, *, force: bool) -> Restored:
    """Check the backup, then replace the database and write the uploaded files back."""
    engine = engine_of(connection)
    with tempfile.TemporaryDirectory(prefix="tidtam-restore-") as work:
        folder = Path(work)
        manifest = verify(backup, folder)
        if manifest.engine != engine:
            raise BackupError(
                f"This backup is of a {manifest.engine} database; this site uses {engine}. "
                "Nothing was changed."
            )
        if not force:
            held = rows_of_data(connection)
            if held:
                largest = sorted(held.items(), key=lambda item: -item[1])[:5]
                listed = ", ".join(f"{label} {count}" for label, count in largest)
                raise BackupError(
                    f"The database already holds data ({sum(held.values())} rows: {listed}, "
                    "…). Restoring would replace all of it: run again with --force if that "
                    "is what you mean. Nothing was changed."
                )
        dump = folder / manifest.database
        if engine == "sqlite":
            _sqlite_restore(connection, dump)
        else:
            connection.close()
            _pg_run(
                "pg_restore",
                connection,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                str(dump),
            )
        root = Path(settings.MEDIA_ROOT)
        for name in manifest.media:
            target = _safe_path(root, name.removeprefix(MEDIA + "/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(_safe_path(folder, name), target)
    return Restored(manifest=manifest, media_files=len(manifest.media))


def _sqlite_restore(connection: BaseDatabaseWrapper, dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        # The backup API writes into the live database in one transaction, under its lock:
        # the site's other connections see the old database or the restored one, never half.
        source.backup(connection.connection, pages=-1)
    finally:
        source.close()


def _pg_run(program: str, connection: BaseDatabaseWrapper, *arguments: str) -> None:
    """Run pg_dump or pg_restore against the connection's database, with its credentials."""
    db = connection.settings_dict
    options = [f"--dbname={db['NAME']}"]
    if db.get("HOST"):
        options.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        options.append(f"--port={db['PORT']}")
    if db.get("USER"):
        options.append(f"--username={db['USER']}")
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if db.get("PASSWORD"):
        # Through the environment: a password on the command line is visible to `ps`.
        env["PGPASSWORD"] = db["PASSWORD"]
    try:
        done = subprocess.run(
            [program, "--no-password", *options, *arguments],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as error:
        raise BackupError(
            f"{program} is not installed (Debian: apt-get install postgresql-client-15)."
        ) from error
    if done.returncode != 0:
        raise BackupError(f"{program} failed: {done.stderr.strip()}")
