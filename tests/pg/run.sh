#!/bin/sh
# The PostgreSQL extension's tests (make check, make installcheck):
#   sh tests/pg/run.sh BUILD
# Builds nothing: it needs BUILD/postgres/stage (the extension, `make
# install DESTDIR=`-staged by make), BUILD/sarx and BUILD/tests/vectors.
#   1. a throwaway cluster (tests/pg/cluster.sh) in a temporary folder;
#   2. pg_regress: ext/postgres/sql/*.sql against expected/ (sarx, parallel,
#      omop when present), in a database with the extension;
#   3. every vector (tests/vectors --postgres);
#   4. the aggregates against `sarx cohort` on the same rows: a synthetic
#      cohort with invalid rows, every definition's prevalence and every
#      pair's agreement.
# Under SAN=1 sarx.so and its libsarx have UBSan (not ASan: the server
# would need the ASan runtime preloaded, and Debian's deadlocks with it;
# ext/postgres/postgres.mk); a sanitizer report or a crash fails the run.  The last line is "postgres: N passed, N failed".
# Without pg_config (and CI not true) it reports 0 and 0 with a notice.
BUILD=${1:-build}
NAME=postgres
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/cli/lib.sh"
case "$BUILD" in /*) ;; *) BUILD=$top/$BUILD ;; esac
PG_CONFIG=${PG_CONFIG:-pg_config}

if ! command -v "$PG_CONFIG" >/dev/null 2>&1 && [ "${CI:-}" != true ]; then
    echo "postgres: $PG_CONFIG not found: the PostgreSQL extension is not built, nothing to test"
    report
    exit 0
fi
for f in "$BUILD/postgres/stage/.stamp" "$BUILD/sarx" "$BUILD/tests/vectors"; do
    [ -e "$f" ] || { no "$f is missing (make check BUILD=... builds it)"; report; exit 1; }
done
PG_BIN=$("$PG_CONFIG" --bindir)
PGXS_DIR=$(dirname "$("$PG_CONFIG" --pgxs)")/../..
export PG_BIN

# The cluster: socket and files in $T/pg (readable by the server's user).
chmod 755 "$T"
port=$((20000 + $$ % 30000))
db=$T/pg
trap 'sh "$top/tests/pg/cluster.sh" stop "$db"; rm -rf "$T"' EXIT
if ! sh "$top/tests/pg/cluster.sh" start "$db" "$port" "$BUILD/postgres/stage" >"$T/cluster.out" 2>&1; then
    no "the cluster did not start"
    cat "$T/cluster.out" "$db/server.log" 2>/dev/null | tail -n 20 >&2
    report
    exit 1
fi
user=$(cat "$db/user")
psql_() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$db" -p "$port" -U "$user" "$@"; }

# 2. pg_regress (the list as ext/postgres/Makefile's REGRESS).
tests="sarx parallel"
[ -f "$top/ext/postgres/sql/omop.sql" ] && tests="$tests omop"
mkdir -p "$T/regress"
# shellcheck disable=SC2086
"$PGXS_DIR/src/test/regress/pg_regress" --inputdir="$top/ext/postgres" --outputdir="$T/regress" \
    --bindir="$PG_BIN" --host="$db" --port="$port" --user="$user" --dbname=contrib_regression \
    --load-extension=sarx $tests >"$T/regress.out" 2>&1
for t in $tests; do
    if grep -Eq "[ ]$t +\.\.\. ok" "$T/regress.out"; then
        ok
    else
        no "pg_regress $t"
    fi
done
echo "postgres: pg_regress: $(grep -c '\.\.\. ok' "$T/regress.out") of $(echo $tests | wc -w) tests ok ($tests)"
if [ -s "$T/regress/regression.diffs" ]; then
    head -n 60 "$T/regress/regression.diffs" >&2
fi
grep -q "tests passed" "$T/regress.out" || cat "$T/regress.out" >&2

# 3. The vectors.
psql_ -d postgres -c "CREATE DATABASE sarx_vectors" -c "\\c sarx_vectors" -c "CREATE EXTENSION sarx"
"$BUILD/tests/vectors" --postgres "host=$db port=$port user=$user dbname=sarx_vectors" \
    "$top"/tests/vectors/*.txt >"$T/vectors.out" 2>&1
line=$(tail -n 1 "$T/vectors.out")
vp=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
vf=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
if [ -z "$vp" ]; then
    no "vectors: no summary"
    tail -n 20 "$T/vectors.out" >&2
else
    echo "postgres: the vectors (tests/vectors --postgres): $vp checks passed and $vf failed"
    pass=$((pass + vp))
    fail=$((fail + vf))
    [ "$vf" -eq 0 ] || grep FAIL "$T/vectors.out" | head -n 30 >&2
fi

# 4. The aggregates against sarx cohort on the same rows.
"$BUILD/sarx" synth 3000 --seed 28 --bad 0.03 --quiet -o "$T/synth.csv"
"$BUILD/sarx" fields --format json >"$T/fields.json"
python3 "$top/tests/pg/csv2jsonl.py" "$T/fields.json" "$T/synth.csv" "$T/cohort.csv" >"$T/cohort.jsonl"
"$BUILD/sarx" cohort "$T/cohort.csv" --summary "$T/summary.json" -o /dev/null --quiet >/dev/null 2>&1
[ -s "$T/summary.json" ] && ok || no "sarx cohort wrote no summary"
psql_ -d sarx_vectors -c "CREATE TABLE cohort (subject jsonb)" \
    -c "\\copy cohort FROM '$T/cohort.jsonl' WITH (FORMAT text)"
psql_ -d sarx_vectors -At -F '	' >"$T/prevalence.tsv" <<'EOF'
SELECT d, sarx_prevalence(subject, d) FROM cohort, unnest(enum_range(NULL::sarx_definition)) d GROUP BY d;
EOF
psql_ -d sarx_vectors -At -F '	' >"$T/kappa.tsv" <<'EOF'
SELECT a, b, sarx_kappa(subject, a, b)
FROM cohort, unnest(enum_range(NULL::sarx_definition)) WITH ORDINALITY x(a, i),
     unnest(enum_range(NULL::sarx_definition)) WITH ORDINALITY y(b, j)
WHERE i < j GROUP BY a, b;
EOF
python3 "$top/tests/pg/compare_cohort.py" "$T/summary.json" "$T/prevalence.tsv" "$T/kappa.tsv" >"$T/compare.out" 2>&1
cp=$(sed -n 's/^compare: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$T/compare.out")
cf=$(sed -n 's/^compare: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$T/compare.out")
if [ -z "$cp" ]; then
    no "the aggregates against sarx cohort: no result"
    tail -n 20 "$T/compare.out" >&2
else
    echo "postgres: the aggregates against sarx cohort: $cp checks passed and $cf failed"
    pass=$((pass + cp))
    fail=$((fail + cf))
    [ "$cf" -eq 0 ] || grep -v "^compare:" "$T/compare.out" | head -n 20 >&2
fi

# 5. The SQL blocks of docs/SQL.md's PostgreSQL section, in order, in a
# database of their own (the first creates the extension): each must run.
awk '/^## PostgreSQL/ { on = 1; next } /^## / { on = 0 } on && /^```sql/ { blk = 1; next }
     blk && /^```/ { blk = 0; print ""; next } blk' "$top/docs/SQL.md" >"$T/docs.sql"
psql_ -d postgres -c "CREATE DATABASE sarx_docs"
nsql=$(grep -c "" "$T/docs.sql")
if [ "$nsql" -gt 20 ] && psql_ -d sarx_docs -f "$T/docs.sql" >"$T/docs.out" 2>&1; then
    ok
    echo "postgres: docs/SQL.md: the PostgreSQL section's SQL ($nsql lines) ran"
else
    no "docs/SQL.md: the PostgreSQL section's SQL ($nsql lines) did not run"
    tail -n 20 "$T/docs.out" >&2
fi

# The server: no crash, no sanitizer report.
if grep -q "terminated by signal" "$db/server.log"; then
    no "a server process crashed"
    grep -B2 -A2 "terminated by signal" "$db/server.log" | head -n 20 >&2
else
    ok
fi
if ls "$db"/asan.* "$db"/ubsan.* >/dev/null 2>&1; then
    no "sanitizer reports in the server"
    head -n 40 "$db"/asan.* "$db"/ubsan.* 2>/dev/null >&2
else
    ok
fi
report
