#!/usr/bin/env bash
# Django's deployment checks with production settings (TIDTAM_DEV unset, DEBUG off, a random
# secret key) on the database DATABASE_URL names, SQLite in memory unless set: `make lint` runs
# it on SQLite, `make test-postgres` on its throw-away PostgreSQL server.
# Usage: scripts/check-deploy.sh .venv/bin/python
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=$1
SECRET_KEY=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY ALLOWED_HOSTS=tidtam.example DEBUG=0
export DATABASE_URL=${DATABASE_URL:-sqlite:///:memory:}
unset TIDTAM_DEV
"$PYTHON" manage.py check --deploy --database default --fail-level WARNING
