#!/bin/sh
# The Python package's tests (pytest, Debian python3-pytest) against the
# package built into BUILD/python/lib; the last line is
# "python: N passed, N failed" for tests/run.sh.
# usage: sh python/run-tests.sh BUILD [pytest arguments]   (from the top of the repository)
BUILD=${1:?usage: sh python/run-tests.sh BUILD}
shift
PYTHON=${PYTHON:-/usr/bin/python3}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
# SARX_PY_INSTALLED=1: test the package that $PYTHON imports (one installed
# with pip into a virtual environment, PYTHON=ENV/bin/python), not BUILD's.
PYPATH="$BUILD/python/lib"
if [ "${SARX_PY_INSTALLED:-}" = 1 ]; then
    PYPATH=
elif [ ! -f "$BUILD/python/lib/.stamp" ]; then
    echo "python: the package is not built in $BUILD/python/lib (make BUILD=...)" >&2
    echo "python: 0 passed, 1 failed"
    exit 1
fi
# A sanitized extension (make check SAN=1) loads into Debian's python3 only
# with its ASan runtime preloaded.
SAN_ENV=
so=$(cd / && env ${PYPATH:+PYTHONPATH="$PYPATH"} "$PYTHON" -c 'import glob, importlib.util, os
s = importlib.util.find_spec("sarx")  # found, not imported: a sanitized extension would not load
print((glob.glob(os.path.join(os.path.dirname(s.origin), "_sarx*.so")) + [""])[0])' 2>/dev/null)
pre=$(ldd "$so" 2>/dev/null | awk '/libasan/ { print $3; exit }')
if [ -z "$pre" ] && nm -D --undefined-only "$so" 2>/dev/null | grep -q '__asan_'; then
    pre=$(${CC:-cc} -print-file-name=libclang_rt.asan-x86_64.so 2>/dev/null)
    [ -f "$pre" ] || pre=$(${CC:-cc} -print-file-name=libasan.so 2>/dev/null)
fi
if [ -n "$pre" ]; then
    SAN_ENV="LD_PRELOAD=$pre ASAN_OPTIONS=detect_leaks=0"
    echo "python: the extension is sanitized: python3 runs with LD_PRELOAD=$pre" >&2
fi
tmp=$(mktemp -d)
log=$tmp/log
trap 'rm -rf "$tmp"' EXIT
# Nothing written into the source tree (-p no:cacheprovider, no byte code)
# nor left in /tmp: pytest's directories and Dask's worker space are in $tmp.
env $SAN_ENV ${PYPATH:+PYTHONPATH="$PYPATH"} SARX_CLI="$BUILD/sarx" PYTHONDONTWRITEBYTECODE=1 \
    DASK_TEMPORARY_DIRECTORY="$tmp/dask" \
    "$PYTHON" -m pytest -p no:cacheprovider --basetemp "$tmp/pytest" -q -rfE "$@" python/tests >"$log" 2>&1
rc=$?
cat "$log"
last=$(grep -E '(passed|failed|error|no tests ran).* in [0-9.]+s' "$log" | tail -n 1)
passed=$(echo "$last" | grep -oE '[0-9]+ passed' | cut -d' ' -f1)
failed=$(echo "$last" | grep -oE '[0-9]+ failed' | cut -d' ' -f1)
errors=$(echo "$last" | grep -oE '[0-9]+ errors?' | cut -d' ' -f1)
passed=${passed:-0}
failed=$(( ${failed:-0} + ${errors:-0} ))
[ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "python: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
