#!/bin/sh
# ensure-package.sh COMMAND PACKAGE [SERVICE]: install Debian's PACKAGE with apt-get when COMMAND
# is missing; if Debian starts SERVICE on installing it, stop and disable it, because only the
# servers the project's scripts start are wanted (the scale test's nginx and Redis, the tests'
# Redis). Used for wrk (bench/serving.py), nginx and redis-server (scripts/scale-test.sh,
# tidtam/conftest.py).
set -e
[ $# -ge 2 ] || { echo "usage: $0 COMMAND PACKAGE [SERVICE]" >&2; exit 2; }
command -v "$1" >/dev/null 2>&1 && exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
# Another apt-get (a neighbour's install) may hold the lock for a while: wait for it.
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "$2" >/dev/null
if [ -n "$3" ] && command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$3" 2>/dev/null; then
    $SUDO systemctl disable --now "$3" >/dev/null 2>&1 || true
fi
