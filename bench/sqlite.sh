#!/bin/sh
# The SQLite extension's speed (docs/PERFORMANCE.md, docs/SQL.md): N subjects
# (default 1,000,000, from `sarx synth`, as JSON text made by json_object) in
# a table, and in one sqlite3 session, alternating, best of R runs each:
#   sarx:     SELECT count(*) FROM t WHERE sarx_category(subject, 'ewgsop2') = 'sarcopenia'
#   baseline: SELECT count(*) FROM t WHERE json_extract(subject, '$.grip_kg') < 27
# It prints rows/s for both and their ratio.  One core (sqlite3 runs a query
# on one thread).  About half a minute for 1M rows, most of it making the
# table.
#   sh bench/sqlite.sh [BUILD]      N=... R=... to change the size and runs;
#                                   KEEP=FILE keeps the table (for perf)
BUILD=${1:-build}
N=${N:-1000000}
R=${R:-3}
SARX=$BUILD/sarx
EXT=$BUILD/sarx_sqlite
command -v sqlite3 >/dev/null 2>&1 || { echo "bench-sqlite: the sqlite3 shell is not installed (apt install sqlite3)" >&2; exit 1; }
[ -x "$SARX" ] && [ -f "$EXT.so" ] || { echo "bench-sqlite: build $SARX and $EXT.so first (make BUILD=$BUILD)" >&2; exit 1; }
SQL_MAKE=$(cd "$(dirname "$0")/.." && pwd)/tests/cli/synth_subjects.sql
T=$(mktemp -d)
trap '[ -n "$KEEP" ] && cp "$T/b.db" "$KEEP"; rm -rf "$T"' EXIT

"$SARX" synth "$N" --seed 1 --quiet -o "$T/synth.csv" || exit 1
"$SARX" fields --format json >"$T/fields.json" || exit 1
# The subjects, as the test makes them (tests/cli/synth_subjects.sql).
(cd "$T" && printf '.read %s\nVACUUM;\n' "$SQL_MAKE" | sqlite3 b.db) || exit 1
rm -f "$T/synth.csv"

# R alternations in one session (the table in the page cache for both).
{
    echo ".load $EXT"
    echo ".timer on"
    echo "SELECT count(*) FROM t;"
    i=0
    while [ $i -lt "$R" ]; do
        echo "SELECT 'baseline', count(*) FROM t WHERE json_extract(subject, '\$.grip_kg') < 27;"
        echo "SELECT 'sarx', count(*) FROM t WHERE sarx_category(subject, 'ewgsop2') = 'sarcopenia';"
        i=$((i + 1))
    done
} >"$T/run.sql"
sqlite3 "$T/b.db" <"$T/run.sql" >"$T/out" 2>&1 || { cat "$T/out" >&2; exit 1; }
rows=$(sed -n 1p "$T/out")
awk -v rows="$rows" -v n="$N" -v r="$R" '
    /^(baseline|sarx)\|/ { split($0, f, "|"); what = f[1]; count[what] = f[2]; next }
    /^Run Time: real/ && what != "" {
        t = $4 + 0
        if (!(what in best) || t < best[what]) best[what] = t
        what = ""
    }
    END {
        if (rows != n || !best["sarx"] || !best["baseline"]) { print "bench-sqlite: no timings" > "/dev/stderr"; exit 1 }
        printf "sqlite: %d rows, best of %d runs each, one core\n", rows, r
        printf "  baseline json_extract(subject, '\''$.grip_kg'\'') < 27: %.3f s, %.0f rows/s (%d rows)\n", best["baseline"], rows / best["baseline"], count["baseline"]
        printf "  sarx_category(subject, '\''ewgsop2'\'') = '\''sarcopenia'\'': %.3f s, %.0f rows/s (%d rows)\n", best["sarx"], rows / best["sarx"], count["sarx"]
        printf "  ratio sarx / baseline: %.2f\n", best["sarx"] / best["baseline"]
    }' "$T/out"
