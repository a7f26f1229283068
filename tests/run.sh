#!/bin/sh
# Run every test program and add up their "N passed, N failed" lines.  A
# program that exits non-zero without reporting a failure (a crash, a
# sanitizer abort) counts as one failure.  The last line is the total.
BUILD=${BUILD:-build}
out=$(mktemp)
one=$(mktemp)
trap 'rm -f "$out" "$one"' EXIT
run() {
    name=$1
    shift
    "$@" >"$one" 2>&1
    rc=$?
    cat "$one" >>"$out"
    last=$(grep -E ': [0-9]+ passed, [0-9]+ failed$' "$one" | tail -n 1)
    case "$last" in
        *" 0 failed") [ "$rc" -eq 0 ] || echo "$name: 0 passed, 1 failed (exit status $rc)" >>"$out" ;;
        "") echo "$name: 0 passed, 1 failed (no summary, exit status $rc)" >>"$out" ;;
    esac
}
run unit "$BUILD/tests/unit"
run unit-batch "$BUILD/tests/unit_batch"
run unit-cohort "$BUILD/tests/unit_cohort"
run unit-assess "$BUILD/tests/unit_assess"
run csv "$BUILD/tests/csv"
run readopts "$BUILD/tests/readopts"
run hostjson "$BUILD/tests/hostjson" tests/vectors/*.txt
run classify "$BUILD/tests/classify" tests/vectors/*.txt
run simulator "$BUILD/tests/sim"
run vectors-api "$BUILD/tests/vectors" tests/vectors/*.txt
run vectors-cli "$BUILD/tests/vectors" --cli "$BUILD/sarx" tests/vectors/*.txt
run vectors-cohort "$BUILD/tests/vectors" --cohort "$BUILD/sarx" tests/vectors/*.txt
run columns "$BUILD/tests/columns" "$BUILD/sarx"
run columns-vectors "$BUILD/tests/columns_vectors" tests/vectors/*.txt
run counts "$BUILD/tests/counts" "$BUILD/sarx"
run vectors-http "$BUILD/tests/vectors" --http "$BUILD/sarx" tests/vectors/*.txt
run vectors-sqlite "$BUILD/tests/vectors" --sqlite "$BUILD/sarx_sqlite.so" tests/vectors/*.txt
run sqlite "$BUILD/tests/sqlite" "$BUILD/sarx_sqlite.so"
run sqlite-cli sh tests/cli/sqlite.sh "$BUILD"
run postgres sh tests/pg/run.sh "$BUILD"
run multinode sh tests/pg/multinode.sh "$BUILD"
run fhir-in "$BUILD/tests/fhir_in"
run fhir-cli sh tests/cli/fhir.sh "$BUILD/sarx"
run fhir-out "$BUILD/tests/fhir_out" - tests/vectors/*.txt
run fhir-roundtrip "$BUILD/tests/fhir_roundtrip" tests/vectors/*.txt
run fhir-docs "$BUILD/tools/fhir-terminology" --check docs/fhir
run fhir-validate sh tests/cli/fhir_validate.sh "$BUILD"
run api "$BUILD/tests/api" "$BUILD/sarx"
run fhir-api "$BUILD/tests/fhir_api" "$BUILD/sarx"
run registry "$BUILD/tests/registry" "$BUILD/sarx"
run http "$BUILD/tests/http" "$BUILD/sarx"
run http-slow "$BUILD/tests/http_slow" "$BUILD/sarx"
run cli sh tests/cli/cli.sh "$BUILD/sarx"
run cohort-cli sh tests/cli/cohort.sh "$BUILD/sarx"
run simulate-cli sh tests/cli/simulate.sh "$BUILD/sarx"
run registry-cli sh tests/cli/registry.sh "$BUILD/sarx"
run statfile "$BUILD/tests/statfile"
run statfile-sarx "$BUILD/tests/statfile_sarx" "$BUILD/sarx"
run plots "$BUILD/tests/plots"
run plots-cli sh tests/cli/plots.sh "$BUILD/sarx"
run progress-cli sh tests/cli/progress.sh "$BUILD/sarx"
run options-cli sh tests/cli/options.sh "$BUILD/sarx"
run files-cli sh tests/cli/files.sh "$BUILD/sarx"
run python sh python/run-tests.sh "$BUILD"
run r sh r/run-tests.sh "$BUILD"
run docs sh tests/docs.sh "$BUILD/sarx"
cat "$out"
awk '/: [0-9]+ passed, [0-9]+ failed( \(.*\))?$/ { for (i = 1; i <= NF; i++) if ($i ~ /^passed,?$/) p += $(i-1); else if ($i ~ /^failed/) f += $(i-1) }
     END { printf "%d passed, %d failed\n", p, f; exit (f > 0) }' "$out"
