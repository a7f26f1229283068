#!/bin/sh
# Install the Debian packages sarx needs to build, test and fuzz.
# The one list used by the README and by CI.
set -eu
PKGS="build-essential pkg-config libjansson-dev libsqlite3-dev libmicrohttpd-dev libzstd-dev clang libclang-rt-dev node-csv-spectrum"
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
