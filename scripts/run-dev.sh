#!/usr/bin/env bash
# The development server with a background worker beside it (exports and other jobs); the
# worker stops when the server does. Usage: scripts/run-dev.sh .venv/bin/python 127.0.0.1:8000
set -euo pipefail
PYTHON=$1
HOST=$2
"$PYTHON" manage.py db_worker --verbosity 0 &
WORKER=$!
# SIGTERM lets the worker finish the job it is running; the server stops on Ctrl-C.
trap 'kill -TERM "$WORKER" 2>/dev/null; wait "$WORKER" 2>/dev/null || true' EXIT
"$PYTHON" manage.py runserver "$HOST"
