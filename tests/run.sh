#!/bin/sh
# Run every test program and add up their "N passed, N failed" lines.
# The last line printed is the total, in the same form.
BUILD=${BUILD:-build}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
run() {
    "$@" >>"$out" 2>&1 || status=1
}
run "$BUILD/tests/unit"
run "$BUILD/tests/vectors" tests/vectors/*.txt
run "$BUILD/tests/vectors" --cli "$BUILD/sarx" tests/vectors/*.txt
run sh tests/cli/cli.sh "$BUILD/sarx"
cat "$out"
awk '/: [0-9]+ passed, [0-9]+ failed$/ { p += $(NF-3); f += $(NF-1) }
     END { printf "%d passed, %d failed\n", p, f; exit (f > 0) }' "$out" || status=1
exit $status
