#!/usr/bin/env bash
# manage.py with the production settings of /etc/tidtam/env (TIDTAM_ENV names another file), for
# cron and the operator: deploy/manage.sh migrate, deploy/manage.sh createsuperuser, ...
set -euo pipefail
cd "$(dirname "$0")/.."
set -a
# shellcheck disable=SC1090
. "${TIDTAM_ENV:-/etc/tidtam/env}"
set +a
unset TIDTAM_DEV
exec .venv/bin/python manage.py "$@"
