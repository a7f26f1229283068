#!/bin/sh
# Scale-out across PostgreSQL nodes (docs/SCALEOUT.md):
#
#   sh tests/pg/multinode.sh BUILD
#
# starts three throwaway clusters with tests/pg/cluster.sh (a coordinator
# and two data nodes, each with its socket in a temporary folder, no TCP),
# installs the extension sarx of BUILD/postgres/stage in all three, loads a
# cohort of `sarx synth` as JSON subjects, sites site0 and site1 on node 1,
# site2 to site4 on node 2 (plus three rows of our own: two invalid, one
# empty), and on the coordinator a table visits partitioned by site whose
# partitions are the nodes' tables through postgres_fdw (servers with
# extensions 'sarx').  It then checks, with EXPLAIN VERBOSE and the answers:
#   a  the per-site aggregates run on the nodes (Remote SQL with
#      sarx_prevalence_state / sarx_kappa_state and GROUP BY; one row per
#      site reaches the coordinator);
#   b  which sarx functions in WHERE the nodes evaluate, and which the
#      coordinator does (a text comparison: postgres_fdw's collation rule);
#   c  the merged per-site states equal the aggregate over one single-node
#      table holding every row (the same JSON) and `sarx cohort` on the CSV;
#   d  a plain aggregate over visits (no GROUP BY site) is not pushed down:
#      every row crosses and the coordinator aggregates.
# The last line is "multinode: N passed, N failed".  Without PostgreSQL
# (pg_config, initdb, postgres_fdw) it is skipped, unless CI=true.
#
# MN_ROWS=N (default 3000): rows of `sarx synth`.  MN_BENCH=1 also times the
# queries (bench/multinode.sh).  PG_CONFIG: another pg_config.  Every
# cluster and file is removed at the end, also on failure or interrupt.
BUILD=${1:-build}
ROWS=${MN_ROWS:-3000}
PG_CONFIG=${PG_CONFIG:-pg_config}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() {
    fail=$((fail + 1))
    echo "FAIL - $1"
    if [ -n "${2:-}" ] && [ -f "$2" ]; then sed 's/^/    | /' "$2"; fi
}
summary() { echo "multinode: $pass passed, $fail failed"; }

skip() {
    if [ "${CI:-}" = true ]; then
        echo "multinode: $1: CI=true needs PostgreSQL 15 with postgres_fdw (apt-get install postgresql-15 postgresql-server-dev-15)"
        echo "multinode: 0 passed, 1 failed"
        exit 1
    fi
    echo "multinode: skipped: $1"
    echo "multinode: 0 passed, 0 failed"
    exit 0
}
command -v "$PG_CONFIG" >/dev/null 2>&1 || skip "$PG_CONFIG not found"
PG_BIN=$("$PG_CONFIG" --bindir)
export PG_BIN
for p in initdb pg_ctl postgres psql; do
    [ -x "$PG_BIN/$p" ] || skip "$PG_BIN/$p not found (the PostgreSQL server is not installed)"
done
[ -f "$("$PG_CONFIG" --sharedir)/extension/postgres_fdw.control" ] || skip "postgres_fdw is not installed"

# What the build must have made (make BUILD=... builds both).
STAGE=$BUILD/postgres/stage
SARX=$BUILD/sarx
if [ ! -f "$STAGE/.stamp" ] || [ ! -x "$SARX" ]; then
    echo "multinode: $STAGE or $SARX missing: run make BUILD=$BUILD first"
    echo "multinode: 0 passed, 1 failed"
    exit 1
fi
case $STAGE in /*) ;; *) STAGE=$(pwd)/$STAGE ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)

# A sanitized build (SAN=1): when sarx.so needs the AddressSanitizer
# runtime, the servers preload it (tests/pg/cluster.sh PG_PRELOAD;
# detect_leaks=0: the server itself is not sanitized), as tests/pg/run.sh
# does.  A sanitizer report (DIR/asan.*) or a crashed server process (UBSan
# aborts) fails the test.
if ldd "$BUILD/postgres/sarx.so" 2>/dev/null | grep -q libasan; then
    PG_PRELOAD=$(ldd "$BUILD/postgres/sarx.so" | awk '/libasan/ { print $3 }')
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=0
    export PG_PRELOAD ASAN_OPTIONS
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/sarx-multinode.XXXXXX") || exit 1
# The server may run as another user (postgres, when we are root).
chmod 755 "$T"
cleanup() {
    wait 2>/dev/null # a cluster still starting, a load still running
    for n in coord node1 node2; do
        [ -d "$T/$n/data" ] && sh "$HERE/cluster.sh" stop "$T/$n"
    done
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# --- three clusters ------------------------------------------------------
# The port only names each socket (no TCP): any number will do.
port_of() {
    case $1 in coord) echo 54391 ;; node1) echo 54392 ;; node2) echo 54393 ;; esac
}
port_node1=$(port_of node1)
port_node2=$(port_of node2)
BENCH_SETTINGS=
if [ "${MN_BENCH:-0}" = 1 ]; then
    # One process per node (no parallel workers): the two nodes are the
    # parallelism being measured.
    BENCH_SETTINGS="-c max_parallel_workers_per_gather=0 -c shared_buffers=256MB"
fi
start() {
    PG_SETTINGS="${PG_SETTINGS:-} $BENCH_SETTINGS" sh "$HERE/cluster.sh" start "$T/$1" "$(port_of "$1")" "$STAGE" \
        >"$T/start-$1.log" 2>&1
}
start coord &
pid_coord=$!
start node1 &
pid_node1=$!
start node2 &
pid_node2=$!
started=1
wait "$pid_coord" || { no "start cluster coord" "$T/start-coord.log"; started=0; }
wait "$pid_node1" || { no "start cluster node1" "$T/start-node1.log"; started=0; }
wait "$pid_node2" || { no "start cluster node2" "$T/start-node2.log"; started=0; }
if [ "$started" = 0 ]; then
    summary
    exit 1
fi
ok "three clusters started (coordinator, node1, node2)"
PGUSER=$(cat "$T/coord/user")
export PGUSER
PGOPTIONS="-c statement_timeout=300000"
export PGOPTIONS

# sql NODE [psql options...]: run psql on NODE, unaligned, errors stop it.
sql() {
    n=$1
    shift
    "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$T/$n" -p "$(port_of "$n")" -d postgres "$@"
}
# q NODE QUERY: one query's result; "ERROR" (and the message in $T/err) on failure.
q() {
    sql "$1" -c "$2" 2>"$T/err" || echo ERROR
}
# plan NAME QUERY: EXPLAIN VERBOSE (COSTS OFF) of QUERY on the coordinator into $T/NAME.plan;
# aplan: EXPLAIN ANALYZE VERBOSE (actual row counts).
plan() { sql coord -c "EXPLAIN (VERBOSE, COSTS OFF) $2" >"$T/$1.plan" 2>&1; }
aplan() { sql coord -c "EXPLAIN (ANALYZE, VERBOSE, COSTS OFF, TIMING OFF, SUMMARY OFF) $2" >"$T/$1.plan" 2>&1; }
# count FILE REGEX: lines of FILE matching the extended REGEX
count() { grep -c -E "$2" "$1"; }
# same NAME GOT WANT
same() {
    if [ "$2" = "$3" ]; then
        ok "$1"
    else
        printf 'got:  %s\nwant: %s\n' "$2" "$3" >"$T/diff"
        [ -s "$T/err" ] && cat "$T/err" >>"$T/diff"
        no "$1" "$T/diff"
    fi
}

# --- the data -------------------------------------------------------------
# sarx synth's rows, then an out-of-range age (site0), an out-of-range grip
# (site3) and a row with no field at all (site2): invalid rows are counted
# apart by the aggregates, and a subject with nothing measured is undecided.
"$SARX" synth "$ROWS" --seed 28 --quiet >"$T/cohort.csv" || { no "sarx synth"; summary; exit 1; }
header=$(head -n 1 "$T/cohort.csv")
case $header in *,site) ;; *) no "sarx synth: the last column is not site: $header"; summary; exit 1 ;; esac
ncols=$(printf '%s\n' "$header" | awk -F, '{ print NF }')
# The extra rows' cells line up with the header's first columns.
case $header in
    id,sex,age_years,population,height_cm,weight_kg,grip_kg,*) ;;
    *) no "sarx synth's header changed: fix the extra rows of tests/pg/multinode.sh: $header"; summary; exit 1 ;;
esac
extra() { # CELLS SITE: the first cells of a row, then empty ones up to the site
    printf '%s\n' "$1" | awk -F, -v n="$ncols" -v site="$2" '{ s = $0; for (i = NF; i < n - 1; i++) s = s ","; print s "," site }'
}
{
    extra bad_age,female,150,general,160,60,20 site0
    extra bad_grip,male,70,general,170,70,150 site3
    extra empty site2
} >>"$T/cohort.csv"
total=$((ROWS + 3))
columns=$(printf '%s\n' "$header" | sed 's/,/ text, /g; s/$/ text/')
"$SARX" fields --format json >"$T/fields.json"

load() { # NODE SITES TABLE VIEW
    sql "$1" -v columns="$columns" -v fields="$(cat "$T/fields.json")" -v sites="$2" -v table="$3" -v view="$4" \
        -f "$HERE/multinode/node.sql" <"$T/cohort.csv" >"$T/load-$1.log" 2>&1
}
load node1 site0,site1 visits visits_ewgsop2 &
p1=$!
load node2 site2,site3,site4 visits visits_ewgsop2 &
p2=$!
load coord '*' visits_single visits_single_ewgsop2 &
p3=$!
loaded=1
wait $p1 || { no "load node1" "$T/load-node1.log"; loaded=0; }
wait $p2 || { no "load node2" "$T/load-node2.log"; loaded=0; }
wait $p3 || { no "load the single-node table" "$T/load-coord.log"; loaded=0; }
if [ "$loaded" = 0 ]; then
    summary
    exit 1
fi
if sql coord -v host1="$T/node1" -v port1="$port_node1" -v host2="$T/node2" -v port2="$port_node2" \
    -v user="$PGUSER" -v sites1="'site0','site1'" -v sites2="'site2','site3','site4'" \
    -f "$HERE/multinode/coordinator.sql" >"$T/coord.log" 2>&1; then
    ok "coordinator: postgres_fdw servers (extensions 'sarx'), visits partitioned by site"
else
    no "coordinator setup" "$T/coord.log"
    summary
    exit 1
fi

v0=$(q coord "SELECT sarx_version()")
same "sarx_version() on node1 = coordinator" "$(q node1 "SELECT sarx_version()")" "$v0"
same "sarx_version() on node2 = coordinator" "$(q node2 "SELECT sarx_version()")" "$v0"
n1=$(q node1 "SELECT count(*) FROM visits")
n2=$(q node2 "SELECT count(*) FROM visits")
same "visits through the coordinator: every row, node1 + node2 ($n1 + $n2)" \
    "$(q coord "SELECT count(*) FROM visits")" "$total"
same "the single-node table: every row" "$(q coord "SELECT count(*) FROM visits_single")" "$total"

# --- a: the per-site aggregates run on the nodes --------------------------
STATE="SELECT site, sarx_prevalence_state(subject, 'ewgsop2') FROM visits GROUP BY site"
plan a "$STATE"
remote="Remote SQL: SELECT site, (public\.)?sarx_prevalence_state\(subject, 'ewgsop2'::(public\.)?sarx_definition\) FROM public\.visits GROUP BY 1$"
if [ "$(count "$T/a.plan" "$remote")" = 2 ] && [ "$(count "$T/a.plan" 'Remote SQL')" = 2 ]; then
    ok "a: Remote SQL on both nodes is sarx_prevalence_state(...) ... GROUP BY"
else
    no "a: Remote SQL on both nodes is sarx_prevalence_state(...) ... GROUP BY" "$T/a.plan"
fi
if grep -q -F 'Relations: Aggregate on (public.visits_node1 visits)' "$T/a.plan" &&
    grep -q -E 'Relations: Aggregate on \(public\.visits_node2 visits(_[0-9]+)?\)' "$T/a.plan" &&
    [ "$(count "$T/a.plan" 'Aggregate|Sort')" = 2 ]; then
    ok "a: Foreign Scans with relations Aggregate on each node; no aggregation on the coordinator"
else
    no "a: Foreign Scans with relations Aggregate on each node; no aggregation on the coordinator" "$T/a.plan"
fi
if [ "$(count "$T/a.plan" '^ *-> *Async Foreign Scan')" = 2 ]; then
    ok "a: the two nodes are scanned asynchronously (async_capable)"
else
    no "a: the two nodes are scanned asynchronously (async_capable)" "$T/a.plan"
fi
MERGE="SELECT sarx_prevalence_merge(st) FROM ($STATE) x(site, st)"
aplan am "$MERGE"
if [ "$(count "$T/am.plan" 'Foreign Scan \(actual rows=2 loops=1\)')" = 1 ] &&
    [ "$(count "$T/am.plan" 'Foreign Scan \(actual rows=3 loops=1\)')" = 1 ] &&
    [ "$(count "$T/am.plan" 'Append \(actual rows=5 loops=1\)')" = 1 ]; then
    ok "a: one row per site reaches the coordinator (2 from node1, 3 from node2; EXPLAIN ANALYZE)"
else
    no "a: one row per site reaches the coordinator (EXPLAIN ANALYZE)" "$T/am.plan"
fi
KSTATE="SELECT site, sarx_kappa_state(subject, 'ewgsop2', 'awgs2019') FROM visits GROUP BY site"
plan ak "$KSTATE"
kremote="Remote SQL: SELECT site, (public\.)?sarx_kappa_state\(subject, 'ewgsop2'::(public\.)?sarx_definition, 'awgs2019'::(public\.)?sarx_definition\) FROM public\.visits GROUP BY 1$"
if [ "$(count "$T/ak.plan" "$kremote")" = 2 ] && [ "$(count "$T/ak.plan" 'Relations: Aggregate on')" = 2 ]; then
    ok "a: Remote SQL on both nodes is sarx_kappa_state(...) ... GROUP BY"
else
    no "a: Remote SQL on both nodes is sarx_kappa_state(...) ... GROUP BY" "$T/ak.plan"
fi
same "a: the per-site states through the coordinator = the single-node table's" \
    "$(q coord "SELECT string_agg(site || ' ' || st::text, '; ' ORDER BY site) FROM ($STATE) x(site, st)")" \
    "$(q coord "SELECT string_agg(site || ' ' || st::text, '; ' ORDER BY site) FROM (SELECT site, sarx_prevalence_state(subject, 'ewgsop2') FROM visits_single GROUP BY site) x(site, st)")"

# --- b: sarx functions in WHERE ---------------------------------------------
# sarx_check first: sarx_complete and sarx_category raise on an invalid
# subject, and quals of equal cost keep their order.
COMPLETE="SELECT site, count(*) FROM visits WHERE sarx_check(subject) IS NULL AND sarx_complete(subject, 'ewgsop2') GROUP BY site"
plan b1 "$COMPLETE"
if [ "$(count "$T/b1.plan" "Remote SQL: SELECT site, count\(\*\) FROM public\.visits WHERE \(\((public\.)?sarx_check\(subject\) IS NULL\)\) AND \((public\.)?sarx_complete\(subject, 'ewgsop2'::(public\.)?sarx_definition\)\) GROUP BY 1$")" = 2 ] &&
    ! grep -q 'Filter:' "$T/b1.plan"; then
    ok "b: WHERE sarx_check(...) IS NULL AND sarx_complete(subject, 'ewgsop2') runs on the nodes (Remote SQL)"
else
    no "b: WHERE sarx_check(...) IS NULL AND sarx_complete(subject, 'ewgsop2') runs on the nodes (Remote SQL)" "$T/b1.plan"
fi
same "b: complete ewgsop2 results per site through the coordinator = single node" \
    "$(q coord "SELECT string_agg(site || '=' || n, ' ' ORDER BY site) FROM ($COMPLETE) x(site, n)")" \
    "$(q coord "SELECT string_agg(site || '=' || n, ' ' ORDER BY site) FROM (SELECT site, count(*) FROM visits_single WHERE sarx_check(subject) IS NULL AND sarx_complete(subject, 'ewgsop2') GROUP BY site) x(site, n)")"

# sarx_category(...) = 'sarcopenia': the function alone could be shipped (its
# arguments jsonb and sarx_definition have no collation), but its text result
# has the default collation, and postgres_fdw does not ship a comparison in
# a collation that does not come from a foreign column (the remote default
# collation might differ).  The coordinator filters: every row crosses.
CAT="SELECT site, subject->>'id' FROM visits WHERE sarx_check(subject) IS NULL AND sarx_category(subject, 'ewgsop2') = 'sarcopenia'"
plan b2 "$CAT"
if [ "$(count "$T/b2.plan" "Filter: \(sarx_category\(visits_[0-9]+\.subject, 'ewgsop2'::sarx_definition\) = 'sarcopenia'::text\)")" = 2 ] &&
    [ "$(count "$T/b2.plan" "Remote SQL: SELECT site, subject FROM public\.visits WHERE \(\((public\.)?sarx_check\(subject\) IS NULL\)\)$")" = 2 ]; then
    ok "b: sarx_category(...) = 'sarcopenia' is a Filter on the coordinator (text comparison, default collation), sarx_check is shipped"
else
    no "b: sarx_category(...) = 'sarcopenia' is a Filter on the coordinator, sarx_check is shipped" "$T/b2.plan"
fi
ncat=$(q coord "SELECT count(*) FROM visits_single WHERE sarx_check(subject) IS NULL AND sarx_category(subject, 'ewgsop2') = 'sarcopenia'")
same "b: rows with ewgsop2 sarcopenia through the coordinator = single node ($ncat)" \
    "$(q coord "SELECT count(*) FROM ($CAT) x")" "$ncat"

# What is shipped instead: grouping by the category (no comparison) ...
GCAT="SELECT site, sarx_category(subject, 'ewgsop2') AS category, count(*) FROM visits WHERE sarx_check(subject) IS NULL GROUP BY site, category"
plan b3 "$GCAT"
if [ "$(count "$T/b3.plan" "Remote SQL: SELECT site, (public\.)?sarx_category\(subject, 'ewgsop2'::(public\.)?sarx_definition\), count\(\*\) FROM public\.visits WHERE \(\((public\.)?sarx_check\(subject\) IS NULL\)\) GROUP BY 1, 2$")" = 2 ] &&
    ! grep -q 'Filter:' "$T/b3.plan"; then
    ok "b: GROUP BY site, sarx_category(subject, 'ewgsop2') runs on the nodes (Remote SQL)"
else
    no "b: GROUP BY site, sarx_category(subject, 'ewgsop2') runs on the nodes (Remote SQL)" "$T/b3.plan"
fi
same "b: ewgsop2 sarcopenia from the per-site category counts = single node" \
    "$(q coord "WITH g AS MATERIALIZED ($GCAT) SELECT sum(count) FROM g WHERE category = 'sarcopenia'")" "$ncat"
# ... or a view on each node with the category as a column: a foreign
# column's collation may be compared remotely.
VCAT="SELECT site, count(*) FROM visits_ewgsop2 WHERE category = 'sarcopenia' GROUP BY site"
plan b4 "$VCAT"
if [ "$(count "$T/b4.plan" "Remote SQL: SELECT site, count\(\*\) FROM public\.visits_ewgsop2 WHERE \(\(category = 'sarcopenia'(::text)?\)\) GROUP BY 1$")" = 2 ]; then
    ok "b: WHERE category = 'sarcopenia' on a node-side view of sarx_category runs on the nodes"
else
    no "b: WHERE category = 'sarcopenia' on a node-side view of sarx_category runs on the nodes" "$T/b4.plan"
fi
same "b: ewgsop2 sarcopenia through the node-side views = single node" \
    "$(q coord "SELECT sum(n) FROM ($VCAT) x(site, n)")" "$ncat"

# --- c: merged states = one node = sarx cohort -------------------------------
got=$(q coord "$MERGE")
want=$(q coord "SELECT sarx_prevalence(subject, 'ewgsop2') FROM visits_single")
same "c: sarx_prevalence_merge over the nodes' states = sarx_prevalence over the single-node table" "$got" "$want"
same "c: = sarx_prevalence over visits through the coordinator (not pushed down)" \
    "$(q coord "SELECT sarx_prevalence(subject, 'ewgsop2') FROM visits")" "$want"
KMERGE="SELECT sarx_kappa_merge(st) FROM ($KSTATE) x(site, st)"
kgot=$(q coord "$KMERGE")
kwant=$(q coord "SELECT sarx_kappa(subject, 'ewgsop2', 'awgs2019') FROM visits_single")
same "c: sarx_kappa_merge over the nodes' states = sarx_kappa over the single-node table" "$kgot" "$kwant"
echo "    prevalence: $got"
echo "    kappa:      $kgot"

# sarx cohort on the same CSV: its summary's "positive" entry for ewgsop2
# and its agreement entry for (ewgsop2, awgs2019).  It exits 1 because rows
# were rejected (the two invalid ones).
"$SARX" cohort "$T/cohort.csv" --summary "$T/summary.json" --quiet >/dev/null 2>"$T/cohort.err"
rc=$?
if [ "$rc" -le 1 ] && [ -s "$T/summary.json" ]; then
    # shellcheck disable=SC2016
    cmp=$({
        printf '\\set s `cat %s`\n' "$T/summary.json"
        cat <<'EOF'
WITH c AS (SELECT :'s'::jsonb AS s, :'m'::jsonb AS m, :'k'::jsonb AS k),
     p AS (SELECT d->'by'->'all'->'positive' AS p FROM c, jsonb_array_elements(s->'definitions') d
            WHERE d->>'definition' = 'ewgsop2'),
     a AS (SELECT e AS a FROM c, jsonb_array_elements(s->'agreement') e
            WHERE e->>'a' = 'ewgsop2' AND e->>'b' = 'awgs2019')
SELECT x.what, x.merged, x.cohort, x.merged IS NOT NULL AND x.merged = x.cohort
  FROM c, p, a, LATERAL (VALUES
       ('prevalence n', m->'n', s->'rows'), ('prevalence invalid', m->'invalid', s->'rejected'),
       ('positive', m->'positive', p->'count'), ('decided', m->'decided', p->'of'),
       ('prevalence', m->'prevalence', p->'prevalence'), ('ci95', m->'ci95', p->'ci95'),
       ('kappa invalid', k->'invalid', s->'rejected'), ('pairs', k->'pairs', a->'n'),
       ('table', k->'table', a->'table'), ('agreement', k->'agreement', a->'agreement'),
       ('kappa', k->'kappa', a->'kappa')) x(what, merged, cohort);
EOF
    } | sql coord -v m="$got" -v k="$kgot" 2>"$T/err") || cmp=ERROR
    printf '%s\n' "$cmp" | sed 's/^/    merged vs sarx cohort: /'
    if [ "$cmp" != ERROR ] && [ "$(printf '%s\n' "$cmp" | grep -c '|t$')" = 11 ]; then
        ok "c: prevalence = sarx cohort's positive prevalence for ewgsop2 (n, invalid, positive, decided, prevalence, ci95)"
        ok "c: kappa = sarx cohort's agreement of ewgsop2 and awgs2019 (invalid, pairs, table, agreement, kappa)"
    else
        printf '%s\n' "$cmp" >>"$T/err"
        no "c: merged prevalence and kappa = sarx cohort's summary" "$T/err"
    fi
else
    no "c: sarx cohort on the CSV (exit status $rc)" "$T/cohort.err"
fi

# --- d: what is not pushed down ----------------------------------------------
PLAIN="SELECT sarx_prevalence(subject, 'ewgsop2') FROM visits"
aplan d "$PLAIN"
if [ "$(count "$T/d.plan" 'Remote SQL: SELECT subject FROM public\.visits$')" = 2 ] &&
    ! grep -q 'Remote SQL:.*sarx' "$T/d.plan" &&
    grep -q -E '^ *Finalize Aggregate' "$T/d.plan" && [ "$(count "$T/d.plan" 'Partial Aggregate')" = 2 ]; then
    ok "d: without GROUP BY site the aggregate is not shipped: Partial Aggregate per partition on the coordinator, Remote SQL SELECT subject"
else
    no "d: without GROUP BY site the aggregate is not shipped" "$T/d.plan"
fi
if grep -q -E "Foreign Scan on public\.visits_node1 .*\(actual rows=$n1 loops=1\)" "$T/d.plan" &&
    grep -q -E "Foreign Scan on public\.visits_node2 .*\(actual rows=$n2 loops=1\)" "$T/d.plan"; then
    ok "d: then every row crosses to the coordinator ($n1 + $n2)"
else
    no "d: then every row crosses to the coordinator ($n1 + $n2)" "$T/d.plan"
fi

# --- docs/SCALEOUT.md: its queries run, its plan lines are the plans' -------
# Each ```sql block after a line "<!-- multinode: run -->" runs on the
# coordinator and gives rows; the first two are the prevalence and kappa
# merges (they must give the answers above).  Every Output, Relations,
# Filter and Remote SQL line quoted in the page's plain ``` blocks must be a
# line of a plan above.
DOC=$HERE/../../docs/SCALEOUT.md
if [ -f "$DOC" ]; then
    awk -v dir="$T" '
        /^ *<!-- multinode: run -->/ { want = 1; next }
        /^ *```/ {
            if (fence) { fence = ""; if (f != "") close(f); f = ""; next }
            fence = $0; sub(/^ */, "", fence)
            if (fence == "```sql" && want) { n++; f = dir "/doc-" n ".sql" }
            want = 0
            next
        }
        fence != "" && f != "" { sub(/^  /, ""); print > f; next }
        fence == "```" && /(Output|Relations|Filter|Remote SQL): / { sub(/^ */, ""); print > (dir "/doc-lines") }
    ' "$DOC"
    nblocks=0
    for f in "$T"/doc-*.sql; do
        [ -f "$f" ] || continue
        nblocks=$((nblocks + 1))
        if sql coord -f "$f" >"$T/doc.out" 2>&1 && [ -s "$T/doc.out" ]; then
            case $nblocks in
                1) same "docs/SCALEOUT.md query $nblocks (prevalence merge) runs and gives the merged prevalence" "$(cat "$T/doc.out")" "$want" ;;
                2) same "docs/SCALEOUT.md query $nblocks (kappa merge) runs and gives the merged kappa" "$(cat "$T/doc.out")" "$kwant" ;;
                *) ok "docs/SCALEOUT.md query $nblocks runs and gives rows" ;;
            esac
        else
            cat "$f" >>"$T/doc.out"
            no "docs/SCALEOUT.md query $nblocks runs and gives rows" "$T/doc.out"
        fi
    done
    [ "$nblocks" -ge 2 ] || no "docs/SCALEOUT.md has its queries (<!-- multinode: run --> before a sql block)"
    sed 's/^ *//' "$T"/*.plan >"$T/all-plan-lines"
    nlines=0
    : >"$T/missing-lines"
    while IFS= read -r line; do
        nlines=$((nlines + 1))
        grep -q -x -F -e "$line" "$T/all-plan-lines" || printf '%s\n' "$line" >>"$T/missing-lines"
    done <"$T/doc-lines"
    if [ "$nlines" -ge 10 ] && [ ! -s "$T/missing-lines" ]; then
        ok "docs/SCALEOUT.md: its $nlines quoted plan lines are in the plans"
    else
        no "docs/SCALEOUT.md: quoted plan lines not in the plans ($nlines quoted)" "$T/missing-lines"
    fi
else
    no "docs/SCALEOUT.md is missing"
fi

if [ "${MN_VERBOSE:-0}" = 1 ]; then
    for p in a am ak b1 b2 b3 b4 d; do
        echo "--- EXPLAIN $p"
        cat "$T/$p.plan"
    done
fi

# --- timings (bench/multinode.sh) ----------------------------------------------
# time_ms NODE ROWS NAME SETUP QUERY: the best of three runs of QUERY on NODE
# (after SETUP), in ms, and ROWS / that time.
time_ms() {
    best=
    for _ in 1 2 3; do
        t=$(sql "$1" -c "$4" -c '\timing on' -c "$5" 2>"$T/err" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
        [ -n "$t" ] || { echo "time $3: failed" >&2; cat "$T/err" >&2; return 1; }
        best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (a == "" || b < a) ? b : a }')
    done
    printf '%-76s %8.0f ms %8.0f rows/s\n' "$3" "$best" "$(awk -v n="$2" -v t="$best" 'BEGIN { print n / t * 1000 }')"
}
if [ "${MN_BENCH:-0}" = 1 ]; then
    echo "timings: $total rows ($n1 on node1, $n2 on node2), best of 3; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    SERIAL="SET max_parallel_workers_per_gather = 0"
    PARALLEL="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET min_parallel_table_scan_size = 0"
    STATE_LOCAL="SELECT site, sarx_prevalence_state(subject, 'ewgsop2') FROM visits GROUP BY site"
    time_ms coord "$total" "single node: count(*)" "$SERIAL" "SELECT count(*) FROM visits_single"
    time_ms coord "$total" "single node: sarx_prevalence, 1 process" "$SERIAL" \
        "SELECT sarx_prevalence(subject, 'ewgsop2') FROM visits_single"
    time_ms coord "$total" "single node: sarx_prevalence, 2 parallel workers + leader" "$PARALLEL" \
        "SELECT sarx_prevalence(subject, 'ewgsop2') FROM visits_single"
    time_ms coord "$total" "single node: sarx_kappa, 1 process" "$SERIAL" \
        "SELECT sarx_kappa(subject, 'ewgsop2', 'awgs2019') FROM visits_single"
    time_ms node1 "$n1" "node1 alone: its per-site states (what the coordinator ships to it)" "$SERIAL" "$STATE_LOCAL"
    time_ms node2 "$n2" "node2 alone: its per-site states" "$SERIAL" "$STATE_LOCAL"
    time_ms coord "$total" "coordinator: sarx_prevalence_merge of per-site states, async" "$SERIAL" "$MERGE"
    time_ms coord "$total" "coordinator: sarx_kappa_merge of per-site states, async" "$SERIAL" "$KMERGE"
    time_ms coord "$total" "coordinator: plain sarx_prevalence (every row crosses), async" "$SERIAL" "$PLAIN"
    sql coord -c "ALTER SERVER node1 OPTIONS (SET async_capable 'false')" \
        -c "ALTER SERVER node2 OPTIONS (SET async_capable 'false')" >/dev/null
    time_ms coord "$total" "coordinator: sarx_prevalence_merge of per-site states, not async" "$SERIAL" "$MERGE"
    time_ms coord "$total" "coordinator: plain sarx_prevalence (every row crosses), not async" "$SERIAL" "$PLAIN"
fi

# The servers: no crash, no sanitizer report.
for n in coord node1 node2; do
    if grep -q "terminated by signal" "$T/$n/server.log"; then
        grep -B2 -A2 "terminated by signal" "$T/$n/server.log" | head -n 20 >"$T/crash"
        no "$n: a server process crashed" "$T/crash"
    elif ls "$T/$n"/asan.* >/dev/null 2>&1; then
        head -n 40 "$T/$n"/asan.* >"$T/crash"
        no "$n: sanitizer report" "$T/crash"
    else
        ok "$n: no server process crashed, no sanitizer report"
    fi
done

summary
[ "$fail" = 0 ]
