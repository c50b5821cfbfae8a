#!/bin/sh
# Redis (the shared cache and the RQ job queue when REDIS_URL is set; the scale test starts its
# own): install Debian's redis-server with apt-get when it is missing.
set -e
command -v redis-server >/dev/null 2>&1 && exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
# Another apt-get (a neighbour's install) may hold the lock for a while: wait for it.
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends redis-server >/dev/null
# Debian starts the packaged service; only the servers the scripts start are wanted here.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
    $SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true
fi
