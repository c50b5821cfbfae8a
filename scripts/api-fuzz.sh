#!/usr/bin/env bash
# schemathesis against /api/v1/openapi.json on a throw-away SQLite database with demo data, as
# the public and as an officer (a token made by `manage.py create_api_token`): no server error
# and no answer outside the schema, a bounded number of examples per operation.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
PYTHON=${PYTHON:-$BIN/python}
ST=${ST:-$(dirname "$PYTHON")/schemathesis}
EXAMPLES=${API_FUZZ_EXAMPLES:-30}
PORT=${API_FUZZ_PORT:-8765}
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
# Another server on the port would be fuzzed instead of this one (and fail on its tokens).
if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
  echo "api-fuzz: port $PORT is taken by another server: stop it, or set API_FUZZ_PORT" >&2
  exit 1
fi
export TIDTAM_DEV=1 DATABASE_URL="sqlite:///$work/fuzz.sqlite3" MEDIA_ROOT="$work/media"
# High limits: the fuzzer itself must not be rate limited (the limits have their own tests).
export API_RATE_ANONYMOUS=100000 API_RATE_TOKEN=100000
$PYTHON manage.py migrate --noinput -v 0
$PYTHON manage.py load_reference -v 0
$PYTHON manage.py generate_demo --projects 40 --years 1 --seed 1 -v 0
$PYTHON manage.py refresh_standings -v 0
$PYTHON manage.py load_demo_accounts -v 0 >/dev/null
token=$($PYTHON manage.py create_api_token officer --name fuzz --days 1)
$PYTHON manage.py runserver "127.0.0.1:$PORT" --noreload --nothreading >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/api/v1/openapi.json" >/dev/null && break; sleep 0.2; done
if ! kill -0 "$server" 2>/dev/null; then
  echo "api-fuzz: the server did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
status=0
for who in public officer; do
  auth=()
  [ "$who" = officer ] && auth=(--header "Authorization: Bearer $token")
  echo "== schemathesis as $who"
  "$ST" run "http://127.0.0.1:$PORT/api/v1/openapi.json" --checks "$checks" \
    --max-examples "$EXAMPLES" --seed 1 --no-color "${auth[@]}" || status=1
done
[ $status -eq 0 ] || tail -50 "$work/server.log"
exit $status
