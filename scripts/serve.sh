#!/usr/bin/env bash
# The production configuration on one machine (`make serve`): gunicorn with
# deploy/gunicorn.conf.py and the background-job worker beside it, stopped together (Ctrl-C or
# SIGTERM) and reloaded together (SIGHUP). Settings come from the environment; development mode
# (TIDTAM_DEV) is never on here.
# Usage: scripts/serve.sh .venv/bin 127.0.0.1:8000
set -euo pipefail
# SIGHUP reloads. A shell cannot trap a signal it was started with ignored (`nohup make serve`,
# a CI runner under nohup): start again once with SIGHUP at its default, so that it can.
if [ -z "${TIDTAM_SERVE_HUP:-}" ]; then
    export TIDTAM_SERVE_HUP=1
    exec env --default-signal=HUP "$0" "$@"
fi
cd "$(dirname "$0")/.."
BIN=$1
HOST=${2:-127.0.0.1:8000}
unset TIDTAM_DEV

# A local trial needs no secret key of its own: one is generated into var/ once and kept, so
# that sessions survive a restart. Servers set SECRET_KEY (the same on every one of them).
if [ -z "${SECRET_KEY:-}" ]; then
    KEYFILE=var/secret-key
    if [ ! -s "$KEYFILE" ]; then
        mkdir -p var
        (umask 077 && "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$KEYFILE")
        echo "make serve: SECRET_KEY is not set: generated one into $KEYFILE for this machine." >&2
        echo "  With several application servers, set the same SECRET_KEY on each instead." >&2
    fi
    SECRET_KEY=$(cat "$KEYFILE")
    export SECRET_KEY
fi

# Settings, migrations, collectstatic: a clear sentence and exit status 2 when one is missing.
"$BIN/python" scripts/serve_preflight.py

if [ -n "${LOG_DIR:-}" ]; then
    mkdir -p "$LOG_DIR"
    WORKER_LOG="$LOG_DIR/worker.log"
else
    WORKER_LOG=/dev/stderr
fi
mkdir -p var
# The job worker of the queue the settings name: RQ on Redis when REDIS_URL is set (with its
# scheduler, for the notices retried later), else the database queue.
start_worker() {
    if [ -n "${REDIS_URL:-}" ]; then
        "$BIN/python" manage.py rqworker --with-scheduler default >>"$WORKER_LOG" 2>&1 &
    else
        "$BIN/python" manage.py db_worker >>"$WORKER_LOG" 2>&1 &
    fi
    WORKER=$!
}
start_worker
"$BIN/gunicorn" --config deploy/gunicorn.conf.py --bind "$HOST" &
WEB=$!
echo "make serve: http://$HOST (gunicorn $WEB, job worker $WORKER); Ctrl-C stops both." >&2

# SIGTERM lets gunicorn finish the requests in flight and the worker the job it is running.
stop() {
    trap - INT TERM HUP
    kill -TERM "$WEB" "$WORKER" 2>/dev/null || true
    wait "$WEB" "$WORKER" 2>/dev/null || true
}
# SIGHUP (after an upgrade: new code, new settings) reloads without a pause, once the checks
# pass again and the new static files are collected: gunicorn starts new workers and lets the
# old ones finish; the job worker finishes its job and starts again.
RELOADING=0
reload() {
    RELOADING=1
    if ! "$BIN/python" scripts/serve_preflight.py; then
        echo "make serve: not reloaded; the servers go on as they were" >&2
        return
    fi
    echo "make serve: reloading gunicorn and the job worker" >&2
    kill -HUP "$WEB" 2>/dev/null || true
    kill -TERM "$WORKER" 2>/dev/null || true
    wait "$WORKER" 2>/dev/null || true
    start_worker
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap reload HUP
# Whichever ends first (a failed start, a crash) takes the other with it.
while true; do
    STATUS=0
    wait -n "$WEB" "$WORKER" || STATUS=$?
    if [ "$RELOADING" = 1 ]; then
        RELOADING=0
        continue
    fi
    break
done
stop
exit "$STATUS"
