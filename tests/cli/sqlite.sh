#!/bin/sh
# The SQLite extension through Debian's sqlite3 shell (`.load`), against the
# sarx command: sarx_assess is `sarx assess --format json` byte for byte,
# an invalid subject's error is `sarx assess`'s message, the aggregates give
# `sarx cohort`'s prevalence and agreement on the same rows (written as a
# CSV for sarx cohort and as JSON subjects for SQL), and the SQLite
# examples of docs/SQL.md run (a registry filled through `sarx serve` is
# queried read-only).
# usage: sh tests/cli/sqlite.sh BUILD     (from the top of the repository)
BUILD=${1:-build}
NAME="sqlite cli"
. "$(dirname "$0")/lib.sh"
ROOT=$(pwd)
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
SARX=$BUILD/sarx
EXT=$BUILD/sarx_sqlite

if ! command -v sqlite3 >/dev/null 2>&1; then
    echo "$NAME: the sqlite3 shell is not installed (apt install sqlite3): nothing checked" >&2
    report
    exit
fi

# Under SAN=1 the extension is built with AddressSanitizer, which must be
# the first library of the process: the (unsanitized) shell gets the
# runtime the extension was linked with through LD_PRELOAD.  Leaks are not
# looked for here (the shell's own would count): tests/sqlite, sanitized
# itself, checks the extension's.
SAN_ENV=
if ldd "$EXT.so" 2>/dev/null | grep -q 'libasan'; then
    pre=$(ldd "$EXT.so" | awk '/libasan|libubsan/ { printf "%s%s", sep, $3; sep = ":" }')
    SAN_ENV="LD_PRELOAD=$pre ASAN_OPTIONS=detect_leaks=0"
    echo "$NAME: the extension is sanitized: sqlite3 runs with LD_PRELOAD=$pre" >&2
elif nm -D --undefined-only "$EXT.so" 2>/dev/null | grep -q '__asan_'; then
    rt=$(${CC:-cc} -print-file-name=libclang_rt.asan-x86_64.so 2>/dev/null)
    [ -f "$rt" ] || rt=$(${CC:-cc} -print-file-name=libasan.so 2>/dev/null)
    SAN_ENV="LD_PRELOAD=$rt ASAN_OPTIONS=detect_leaks=0"
    echo "$NAME: the extension is sanitized: sqlite3 runs with LD_PRELOAD=$rt" >&2
fi
# sq ARGS...: the sqlite3 shell, with the runtime the extension needs
sq() { env $SAN_ENV sqlite3 "$@"; }
# sql SQL...: in a fresh in-memory database with the extension loaded
sql() { sq :memory: ".load $EXT" "$@"; }

# --- loading -------------------------------------------------------------------
expect_exit 0 ".load by the name without .so" -- sql "SELECT sarx_version()"
v=$("$SARX" --version | sed -n '1s/^sarx //p')
if [ "$(cat "$T/out")" = "$v" ]; then ok; else no "sarx_version() is '$(cat "$T/out")', sarx --version says '$v'"; fi
expect_exit 0 ".load twice" -- sq :memory: ".load $EXT" ".load $EXT.so" \
    "SELECT sarx_category(json_object('sex', 'female', 'grip_kg', 12), 'ewgsop2')"
if [ "$(cat "$T/out")" = probable_sarcopenia ]; then ok; else no ".load twice: $(cat "$T/out")"; fi
expect_exit 0 ".load with the entry point named" -- sq :memory: ".load $EXT.so sqlite3_sarxsqlite_init" \
    "SELECT count(*) FROM sarx_results('{}')"
"$SARX" definitions --format json >"$T/defs.json"
n=$(sq :memory: "SELECT json_array_length(CAST(readfile('$T/defs.json') AS TEXT), '\$.definitions')")
if [ "$(cat "$T/out")" = "$n" ] && [ "$n" -gt 10 ]; then ok; else no "sarx_results: $(cat "$T/out") rows, $n definitions"; fi

# --- sarx_assess is `sarx assess --format json`, byte for byte ---------------
for f in examples/*.json; do
    "$SARX" assess --format json "$f" >"$T/cli.json"
    sql "SELECT sarx_assess(CAST(readfile('$f') AS TEXT))" >"$T/sql.json"
    if cmp -s "$T/cli.json" "$T/sql.json"; then ok; else no "sarx_assess differs from sarx assess for $f"; fi
done

# --- an invalid subject: sarx assess's message ----------------------------------
i=0
for bad in '{"grip_kg": 150}' '{"sex": "x"}' '{"grip_strenght": 20}' '{"grip_kg": ' '[1]' \
    '{"weight_kg": 70, "weight_lb": 150}' '{"height_cm": "tall"}'; do
    i=$((i + 1))
    printf '%s\n' "$bad" >"$T/bad$i.json"
    "$SARX" assess --format json "$T/bad$i.json" >"$T/cli.json" 2>/dev/null
    msg=$(sq :memory: "SELECT json_extract(readfile('$T/cli.json'), '\$.error.message')")
    [ -n "$msg" ] || no "sarx assess gives no error for $bad"
    got=$(sql "SELECT sarx_check(CAST(readfile('$T/bad$i.json') AS TEXT))")
    if [ "$got" = "$msg" ]; then ok; else no "sarx_check($bad): '$got', sarx assess: '$msg'"; fi
    expect_exit 1 "sarx_category($bad) fails" -- sql "SELECT sarx_category(CAST(readfile('$T/bad$i.json') AS TEXT), 'ewgsop2')"
    expect_in "$T/err" "$msg" "sarx_category($bad): the message"
    expect_exit 1 "sarx_results($bad) fails" -- sql "SELECT * FROM sarx_results(CAST(readfile('$T/bad$i.json') AS TEXT))"
    expect_in "$T/err" "$msg" "sarx_results($bad): the message"
done

# --- unknown names, NULLs, types -----------------------------------------------------
ids=$(sq :memory: "SELECT group_concat(json_extract(value, '\$.id'), ', ')
    FROM json_each(CAST(readfile('$T/defs.json') AS TEXT), '\$.definitions')")
expect_exit 1 "an unknown definition" -- sql "SELECT sarx_category('{}', 'ewgsop9')"
expect_in "$T/err" "sarx_category: unknown definition \"ewgsop9\" (ids: $ids)" "the ids listed, as sarx definitions has them"
expect_exit 1 "an unknown measure" -- sql "SELECT sarx_measure('{}', 'bmx')"
expect_in "$T/err" 'sarx_measure: unknown measure "bmx" (names: bmi, asmi, alm_bmi, smi, ffmi, weight_loss_pct_6m' \
    "the measures listed"
expect_exit 1 "a number is not a subject" -- sql "SELECT sarx_complete(12, 'ewgsop2')"
expect_in "$T/err" "sarx_complete: the subject is an INTEGER; a subject is TEXT holding a JSON object" "what is expected"
expect_exit 0 "NULLs" -- sql ".nullvalue NULL" "SELECT sarx_category(NULL, 'ewgsop2'), sarx_complete('{}', NULL), \
    sarx_missing(NULL, 'glim2019'), sarx_assess(NULL), sarx_measure('{}', 'bmi'), sarx_check('{}'), \
    (SELECT count(*) FROM sarx_results(NULL))"
if [ "$(cat "$T/out")" = "NULL|NULL|NULL|NULL|NULL|NULL|0" ]; then ok; else no "NULLs: $(cat "$T/out")"; fi
expect_exit 1 "sarx_results without its subject" -- sql "SELECT * FROM sarx_results"
expect_in "$T/err" "no query solution" "no plan without the subject"

# --- the aggregates are sarx cohort's numbers ------------------------------------------
# The same rows as a CSV (sarx synth) and as JSON subjects: each cell as a
# JSON value (numbers, integers and booleans as written), empty cells null.
"$SARX" synth 3000 --seed 11 --quiet -o "$T/synth.csv"
"$SARX" fields --format json >"$T/fields.json"
expect_exit 0 "the cohort's summary" -- "$SARX" cohort "$T/synth.csv" --summary "$T/sum.json" -o "$T/rows.csv" --quiet
(cd "$T" && printf '.read %s\nSELECT count(*) FROM t;\n' "$ROOT/tests/cli/synth_subjects.sql" | sq c.db) >"$T/mk.out" 2>&1
if [ "$(tail -n 1 "$T/mk.out")" = 3000 ]; then ok; else no "3000 subjects from the CSV: $(cat "$T/mk.out")"; fi
# Every definition: the positive reading's count, denominator, prevalence
# and interval; and n.  Prints the definitions that differ.
sq "$T/c.db" >"$T/prev.out" 2>&1 <<SQL
.load $EXT
CREATE TEMP TABLE cohort AS
  SELECT json_extract(value, '\$.definition') AS d, json_extract(value, '\$.by.all') AS s
  FROM json_each(CAST(readfile('$T/sum.json') AS TEXT), '\$.definitions');
CREATE TEMP TABLE mine AS SELECT d, (SELECT sarx_prevalence(subject, d) FROM t) AS p FROM cohort;
SELECT 'definitions ' || count(*) FROM cohort;
SELECT 'positive rows ' || sum(json_extract(p, '\$.positive')) FROM mine;
SELECT 'differs: ' || c.d || ' ' || m.p || ' ' || json_extract(c.s, '\$.positive')
  FROM cohort c JOIN mine m USING (d)
  WHERE json_extract(m.p, '\$.positive') IS NOT json_extract(c.s, '\$.positive.count')
     OR json_extract(m.p, '\$.decided') IS NOT json_extract(c.s, '\$.positive.of')
     OR json_extract(m.p, '\$.prevalence') IS NOT json_extract(c.s, '\$.positive.prevalence')
     OR json_extract(m.p, '\$.ci95') IS NOT json_extract(c.s, '\$.positive.ci95')
     OR json_extract(m.p, '\$.n') IS NOT json_extract(c.s, '\$.n')
     OR json_extract(m.p, '\$.invalid') IS NOT 0;
SQL
expect_in "$T/prev.out" "definitions $n" "every definition of the summary"
if grep -q '^differs' "$T/prev.out" || ! grep -q '^positive rows [1-9]' "$T/prev.out"; then
    no "sarx_prevalence differs from sarx cohort:"; sed -n 1,10p "$T/prev.out" >&2
else ok; fi
# Agreement: every pair the summary has with ewgsop2 or glim2019.
sq "$T/c.db" >"$T/kappa.out" 2>&1 <<SQL
.load $EXT
CREATE TEMP TABLE cohort AS
  SELECT json_extract(value, '\$.a') AS a, json_extract(value, '\$.b') AS b, value AS s
  FROM json_each(CAST(readfile('$T/sum.json') AS TEXT), '\$.agreement')
  WHERE json_extract(value, '\$.a') IN ('ewgsop2', 'glim2019');
CREATE TEMP TABLE mine AS SELECT a, b, (SELECT sarx_kappa(subject, a, b) FROM t) AS k FROM cohort;
SELECT 'pairs ' || count(*) FROM cohort;
SELECT 'differs: ' || c.a || ' ' || c.b || ' ' || m.k || ' ' || c.s
  FROM cohort c JOIN mine m USING (a, b)
  WHERE json_extract(m.k, '\$.pairs') IS NOT json_extract(c.s, '\$.n')
     OR json_extract(m.k, '\$.table') IS NOT json_extract(c.s, '\$.table')
     OR json_extract(m.k, '\$.agreement') IS NOT json_extract(c.s, '\$.agreement')
     OR json_extract(m.k, '\$.kappa') IS NOT json_extract(c.s, '\$.kappa');
SQL
if grep -q '^differs' "$T/kappa.out" || ! grep -q '^pairs [1-9][0-9]' "$T/kappa.out"; then
    no "sarx_kappa differs from sarx cohort:"; sed -n 1,10p "$T/kappa.out" >&2
else ok; fi
# Row by row too: sarx cohort's per-row categories are sarx_category's.
sq "$T/c.db" >"$T/rows.out" 2>&1 <<SQL
.load $EXT
.import --csv $T/rows.csv rows
SELECT 'rows ' || count(*) FROM rows;
SELECT 'differs: ' || r.row || ' ' || r.ewgsop2 || ' ' || sarx_category(t.subject, 'ewgsop2')
  FROM rows r JOIN t ON t.id = r.row
  WHERE r.ewgsop2 IS NOT sarx_category(t.subject, 'ewgsop2')
     OR r.glim2019 IS NOT sarx_category(t.subject, 'glim2019')
     OR r.sarc_f IS NOT sarx_category(t.subject, 'sarc_f');
SQL
if grep -q '^rows 3000$' "$T/rows.out" && ! grep -q '^differs' "$T/rows.out"; then ok
else no "sarx_category differs from sarx cohort's rows:"; sed -n 1,10p "$T/rows.out" >&2; fi
# Invalid subjects are counted apart, never an error; NULL subjects skipped.
expect_exit 0 "invalid rows in an aggregate" -- sq "$T/c.db" ".load $EXT" \
    "INSERT INTO t(subject) VALUES ('{\"grip_kg\": -3}'), ('not json'), (7), (NULL)" \
    "SELECT json_extract(sarx_prevalence(subject, 'ewgsop2'), '\$.invalid') || ' ' || \
            json_extract(sarx_prevalence(subject, 'ewgsop2'), '\$.n') || ' ' || \
            json_extract(sarx_kappa(subject, 'ewgsop2', 'awgs2019'), '\$.invalid') FROM t"
if [ "$(cat "$T/out")" = "3 3000 3" ]; then ok; else no "invalid rows counted: $(cat "$T/out")"; fi

# --- an expression index, rebuilt with REINDEX ------------------------------------------
expect_exit 0 "an expression index" -- sq "$T/c.db" ".load $EXT" "DELETE FROM t WHERE sarx_check(subject) IS NOT NULL" \
    "CREATE INDEX t_ewgsop2 ON t(sarx_category(subject, 'ewgsop2'))" "REINDEX t_ewgsop2" \
    "EXPLAIN QUERY PLAN SELECT count(*) FROM t WHERE sarx_category(subject, 'ewgsop2') = 'sarcopenia'"
expect_in "$T/out" "USING INDEX t_ewgsop2" "the index is used"
# Without the extension loaded, the table is still readable; what needs the functions says so.
expect_exit 0 "read without the extension" -- sq "$T/c.db" "SELECT count(*) FROM t"
expect_exit 1 "an insert needs the index's function" -- sq "$T/c.db" "INSERT INTO t(subject) VALUES ('{}')"
expect_in "$T/err" "unknown function: sarx_category()" "the missing function named"

# --- the examples of docs/SQL.md ------------------------------------------------------------
# The ```sh blocks marked "tests/cli/sqlite.sh runs it" run here, in order, in
# a directory with examples/, build/sarx, build/sarx_sqlite.so and a
# registry that sarx serve filled (registry.db): a transcript's output must
# be the one shown, exactly; any other block must exit 0.
W=$T/docs
mkdir -p "$W/build" "$T/bin"
cp -R examples "$W/"
ln -s "$SARX" "$T/bin/sarx"
ln -s "$SARX" "$W/build/sarx"
ln -s "$EXT.so" "$W/build/sarx_sqlite.so"
cat >"$T/drive.py" <<'PY'
import json, os, re, signal, subprocess, sys, urllib.request
sarx, db = sys.argv[1], sys.argv[2]
token = "0123456789abcdef0123456789abcdef"
p = subprocess.Popen([sarx, "serve", "--db", db, "--port", "0", "--access-log", "off"],
                     stderr=subprocess.PIPE, env=dict(os.environ, SARX_TOKEN=token), text=True)
port = None
for line in p.stderr:
    m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
    if m:
        port = int(m.group(1))
        break
if port is None:
    sys.exit("server did not start")
def req(method, path, body):
    r = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), method=method, data=json.dumps(body).encode(),
                               headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(r, timeout=30) as f:
        return json.loads(f.read())
a = req("POST", "/api/v1/patients", {"label": "A", "sex": "female", "birth_date": "1950-01-15"})["id"]
b = req("POST", "/api/v1/patients", {"label": "B", "sex": "male", "birth_date": "1944-05-05"})["id"]
visits = [(a, {"assessment_date": "2025-03-10", "weight_kg": 70, "grip_kg": 15, "conditions": ["heart failure"]}),
          (a, {"assessment_date": "2025-09-10", "weight_kg": 64, "height_cm": 160, "grip_kg": 14, "asm_kg": 12.5,
               "gait_speed_m_s": 0.7, "reduced_intake": True}),
          (b, {"assessment_date": "2026-02-02", "weight_kg": 80, "grip_kg": 30, "height_cm": 175}),
          (b, {"assessment_date": "2026-06-02", "weight_kg": 84, "grip_kg": 24, "gait_speed_m_s": 0.9, "asm_kg": 19})]
for pid, body in visits:
    v = req("POST", "/api/v1/patients/%d/visits" % pid, body)
    for r in v["assessment"]["results"]:  # the results the server stored
        print("%d|%s|%s|%d" % (v["visit"]["id"], r["definition"], r["category"], r["complete"]))
p.send_signal(signal.SIGTERM)
p.stderr.read()
if p.wait() != 0:
    sys.exit("server exit status %d" % p.returncode)
PY
if (cd "$W" && python3 "$T/drive.py" "$SARX" registry.db >"$T/stored.txt"); then ok
else no "filling a registry through sarx serve"; fi

mkdir -p "$T/ex"
awk -v D="$T/ex" '
    !fence && /^```sh *$/ {
        fence = 1
        if (prev ~ /^<!-- docs-test: skip: .*tests\/cli\/sqlite\.sh runs it/) {
            b++; k = 0; pfx = sprintf("%s/%03d", D, b); mode = ""; cont = 0
            print FILENAME ":" NR > (pfx ".where"); close(pfx ".where")
        } else pfx = ""
        next
    }
    fence && /^```/ {
        if (pfx != "") { if (mode == "") mode = "run"; print mode > (pfx ".kind"); close(pfx ".kind") }
        fence = 0; prev = ""; next
    }
    fence && pfx != "" {
        if (mode == "" && /^\$ /) mode = "transcript"
        if (mode == "transcript") {
            if (cont) { print $0 > cf; cont = /\\$/; next }
            if (/^\$ /) {
                k++; cf = sprintf("%s.%03d.cmd", pfx, k); of = sprintf("%s.%03d.out", pfx, k)
                print substr($0, 3) > cf; printf "" > of; cont = /\\$/; next
            }
            print $0 > of; next
        }
        mode = "run"; print $0 > (pfx ".script"); next
    }
    fence { next }
    /[^ ]/ { prev = $0 }' docs/SQL.md
nblocks=0
for kind in "$T"/ex/*.kind; do
    [ -e "$kind" ] || continue
    nblocks=$((nblocks + 1))
    b=${kind%.kind}
    where=$(cat "$b.where")
    case $(cat "$kind") in
    run)
        if (cd "$W" && PATH=$T/bin:$PATH env $SAN_ENV timeout 120 sh -e "$b.script") >"$T/got" 2>&1; then ok
        else no "$where: the example exits $?"; sed -n 1,10p "$T/got" >&2; fi ;;
    transcript)
        for c in "$b".*.cmd; do
            (cd "$W" && PATH=$T/bin:$PATH env $SAN_ENV timeout 120 sh -c "$(cat "$c")") >"$T/got" 2>&1
            rc=$?
            if [ $rc -ne 0 ]; then no "$where: \$ $(head -n 1 "$c"): exit status $rc"; sed -n 1,10p "$T/got" >&2
            elif ! cmp -s "${c%.cmd}.out" "$T/got"; then
                no "$where: \$ $(head -n 1 "$c"): the output is not what docs/SQL.md shows"
                diff "${c%.cmd}.out" "$T/got" | sed -n 1,12p >&2
            else ok; fi
        done ;;
    esac
done
if [ "$nblocks" -ge 5 ]; then ok; else no "docs/SQL.md: $nblocks SQLite examples found, expected 5 or more"; fi
# The registry example's view gives the results the server stored, for
# every visit and definition.
if [ -f "$W/visit_subjects.sql" ]; then
    (cd "$W" && sq -readonly registry.db ".load build/sarx_sqlite" ".read visit_subjects.sql" \
        "SELECT v.visit_id, r.definition, r.category, r.complete FROM visit_subjects v, sarx_results(v.subject) r \
         ORDER BY v.visit_id") >"$T/mine.txt" 2>&1
    if [ -s "$T/stored.txt" ] && cmp -s "$T/stored.txt" "$T/mine.txt"; then ok
    else no "the registry view's results differ from those sarx serve stored"; diff "$T/stored.txt" "$T/mine.txt" | sed -n 1,10p >&2; fi
else
    no "docs/SQL.md's registry example wrote no visit_subjects.sql"
fi

report
