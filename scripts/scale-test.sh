#!/usr/bin/env bash
# `make scale-test`: nginx, two gunicorn application servers, PostgreSQL, Redis and an RQ job
# worker on loopback, under a bounded mixed load, one server and the worker killed with SIGKILL
# in the middle (bench/scale.py). Installs redis-server and nginx with apt-get when missing;
# PostgreSQL 15 comes from scripts/with-postgres.sh. Everything started is stopped at the end.
# Usage: scripts/scale-test.sh [.venv/bin]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.venv/bin}
scripts/ensure-package.sh redis-server redis-server redis-server
scripts/ensure-package.sh nginx nginx nginx
# A port of its own, so that it runs beside `make test-postgres`.
export TIDTAM_PG_PORT=${TIDTAM_PG_PORT:-55442}
exec scripts/with-postgres.sh "$BIN/python" bench/scale.py
