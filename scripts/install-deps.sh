#!/bin/sh
# Install the Debian packages sarx needs to build and run: the library,
# the sarx command (registry server, Stata/SPSS/SAS files, PNG figures) and
# `make check`'s C tests.  What only the wider test runs need (clang for
# fuzzing and the clang build, Chromium and Node for the browser test, a
# comma-decimal locale, pandas) is scripts/install-test-deps.sh, which CI
# runs after this one and which installs through this script.
# usage: sh scripts/install-deps.sh [MORE-PACKAGES...]
set -eu
PKGS="build-essential pkg-config libjansson-dev libsqlite3-dev libmicrohttpd-dev libzstd-dev libreadstat-dev librsvg2-dev fonts-dejavu-core sqlite3 postgresql-15 postgresql-server-dev-15 libpq-dev $*"
SUDO=
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
missing=
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
