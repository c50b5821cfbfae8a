"""Before `make serve` starts the servers: the settings load, the database is migrated, the static
files are collected (at each start, so that an upgrade cannot forget them). What is missing is
said in a sentence with what to do (exit status 2), never as a traceback.
Usage: .venv/bin/python scripts/serve_preflight.py"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELP = """\
Set them in the environment of `make serve` (README, "Deployment"):
  SECRET_KEY     a random string of at least 32 characters, the same on every application server
  ALLOWED_HOSTS  the names the site is reached by, comma-separated (tidtam.example.go.th)
For a trial on this machine without TLS in front:
  ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0 make serve"""


def refuse(message: str) -> None:
    print(f"make serve: {message}", file=sys.stderr)
    sys.exit(2)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidtam.settings")
    from tidtam.lib.env import ConfigurationError, env_bool

    try:
        import django

        django.setup()
        # COLLECTSTATIC=0 when a release step collected them already (into a shared STATIC_ROOT).
        collect = env_bool("COLLECTSTATIC", default=True)
    except ConfigurationError as error:
        needed = any(name in str(error) for name in ("SECRET_KEY", "ALLOWED_HOSTS"))
        refuse(f"{error}.\n" + (HELP if needed else 'See the README, "Configuration".'))

    from django.conf import settings
    from django.core.management import call_command
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    if settings.DEVELOPMENT:
        refuse("TIDTAM_DEV is set: development mode is never served in production. Unset it.")
    try:
        executor = MigrationExecutor(connection)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        refuse(f"the database of DATABASE_URL cannot be reached: {error}".rstrip())
    if unapplied:
        refuse(
            f"the database has {len(unapplied)} migrations not applied yet. Run `make migrate` "
            "(a new site: `make setup` also loads the reference data), then start again."
        )
    connection.close()
    if collect:
        call_command("collectstatic", interactive=False, verbosity=0)


if __name__ == "__main__":
    main()
