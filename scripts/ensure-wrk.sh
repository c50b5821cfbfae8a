#!/bin/sh
# wrk, the HTTP load generator of the serving benchmark (bench/serving.py): install Debian's wrk
# package with apt-get when it is missing.
set -e
command -v wrk >/dev/null 2>&1 && exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
# Another apt-get (a neighbour's install) may hold the lock for a while: wait for it.
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends wrk >/dev/null
