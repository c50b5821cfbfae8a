#!/bin/sh
# PDFs are drawn by WeasyPrint, which needs Pango (with HarfBuzz) from the system; the tests read
# PDFs back with poppler's pdftotext, pdffonts and pdftoppm. Install them with apt-get when missing.
set -e
missing=""
ldconfig -p | grep -q 'libpango-1.0.so.0' || missing="$missing libpango-1.0-0"
ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || missing="$missing libpangoft2-1.0-0"
ldconfig -p | grep -q 'libharfbuzz-subset.so.0' || missing="$missing libharfbuzz-subset0"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
