#!/bin/sh
# Install what the test runs beyond `make check` need, on top of
# scripts/install-deps.sh (CI runs both):
#   clang, libclang-rt-dev   the clang build and the libFuzzer targets (make fuzz)
#   node-csv-spectrum        the CSV reader's conformance files (tests/csv skips without them)
#   curl                     tests/docs.sh checks docs/API.md's health answer against a live server
#   python3-pandas           tests/statfile reads a .dta that pandas wrote (skipped without it)
#   chromium, nodejs, npm    the browser test of the web page (tests/browser), and its
#                            npm packages pinned by tests/browser/package-lock.json; the two
#                            FHIR validators pinned by tests/fhir/package-lock.json
#   locales (de_DE.UTF-8)    the locale-independence tests (they skip without a comma-decimal locale)
#   python3-dev, -numpy, -setuptools, -pip, -venv, -pytest, -dask, -distributed
#                            the Python package (python/): its build, pip install, tests, Dask
#   r-base-dev, r-cran-testthat, r-cran-tibble
#                            the R package (r/): its build, R CMD check, tests, tibbles in and out
set -eu
cd "$(dirname "$0")/.."
PKGS="clang libclang-rt-dev node-csv-spectrum curl python3-pandas locales
      python3-dev python3-numpy python3-setuptools python3-pip python3-venv python3-pytest python3-dask python3-distributed
      r-base-dev r-cran-testthat r-cran-tibble"
# Node and Chromium by their commands: a machine may have them from
# elsewhere (a Node whose npm conflicts with Debian's npm package).
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
[ -x /usr/bin/chromium ] || PKGS="$PKGS chromium"
# shellcheck disable=SC2086
sh scripts/install-deps.sh $PKGS   # the same check of what is installed, for these too
SUDO=
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
if ! locale -a 2>/dev/null | grep -qi '^de_DE.utf8$'; then
    $SUDO sed -i 's/^# *de_DE.UTF-8 UTF-8/de_DE.UTF-8 UTF-8/' /etc/locale.gen
    $SUDO locale-gen >/dev/null
fi
(cd tests/browser && npm ci --no-audit --no-fund --silent)
(cd tests/fhir && npm ci --no-audit --no-fund --silent)
