#!/bin/sh
# Black-box tests of `sarx registry export` and `sarx registry check`
# (docs/REGISTRY.md): every visit exported with its record_status and the
# counts on stderr, the output file owner-only, the CSV read by `sarx
# cohort`, damage found and named by check, and both working on a
# read-only filesystem.  Registries are filled through `sarx serve` (python3
# drives the HTTP API on loopback) and damaged with python3's sqlite3.
# usage: sh tests/cli/registry.sh path/to/sarx
SARX=${1:-build/sarx}
NAME="registry cli"
. "$(dirname "$0")/lib.sh"
umask 022

# drive.py SARX DB ACTION: start `sarx serve` on DB, do ACTION, stop it
# (SIGTERM, or SIGKILL for "crash").  Prints what the actions print.
cat >"$T/drive.py" <<'PY'
import json, os, re, signal, subprocess, sys, urllib.request
sarx, db, action = sys.argv[1], sys.argv[2], sys.argv[3]
token = "0123456789abcdef0123456789abcdef"
env = dict(os.environ, SARX_TOKEN=token)
p = subprocess.Popen([sarx, "serve", "--db", db, "--port", "0", "--access-log", "off"],
                     stderr=subprocess.PIPE, env=env, text=True)
port = None
for line in p.stderr:
    m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
    if m:
        port = int(m.group(1))
        break
if port is None:
    sys.exit("server did not start")
def req(method, path, body=None):
    r = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), method=method,
                               data=None if body is None else json.dumps(body).encode(),
                               headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(r, timeout=30) as f:
            return f.status, json.loads(f.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, None
def must(want, got):
    if got[0] != want:
        sys.exit("HTTP %d, expected %d" % (got[0], want))
    return got[1]
if action == "fill":
    a = must(201, req("POST", "/api/v1/patients", {"label": "A", "sex": "female", "birth_date": "1950-01-15"}))["id"]
    b = must(201, req("POST", "/api/v1/patients", {"label": "B", "sex": "male", "birth_date": "1944-05-05"}))["id"]
    must(201, req("POST", "/api/v1/patients/%d/visits" % a, {"assessment_date": "2026-01-10", "weight_kg": 70,
                                                          "grip_kg": 15, "conditions": ["heart failure; NYHA II"]}))
    must(201, req("POST", "/api/v1/patients/%d/visits" % a, {"assessment_date": "2026-07-10", "weight_kg": 65,
                                                          "height_cm": 160, "sex": "female"}))
    must(201, req("POST", "/api/v1/patients/%d/visits" % b, {"assessment_date": "2026-02-02", "weight_kg": 80,
                                                          "grip_kg": 30, "height_cm": 175}))
    must(201, req("POST", "/api/v1/patients/%d/visits" % b, {"assessment_date": "2026-06-02", "weight_kg": 84}))
    must(200, req("PATCH", "/api/v1/patients/%d" % a, {"sex": "male"}))
elif action == "crash":
    must(201, req("POST", "/api/v1/patients", {"label": "C"}))
p.send_signal(signal.SIGKILL if action == "crash" else signal.SIGTERM)
rest = p.stderr.read()
if p.wait() != (-signal.SIGKILL if action == "crash" else 0):
    sys.exit("server exit status %d: %s" % (p.returncode, rest))
PY
drive() { python3 "$T/drive.py" "$SARX" "$1" "$2"; }

# --- usage ------------------------------------------------------------------
expect_exit 2 "registry without a subcommand" -- "$SARX" registry
expect_exit 2 "unknown subcommand" -- "$SARX" registry frob --db x
expect_in "$T/err" 'unknown subcommand "frob" (allowed: export, check)' "unknown subcommand named"
expect_exit 2 "check without --db" -- "$SARX" registry check
expect_in "$T/err" "--db PATH is required" "--db required"
expect_exit 2 "check takes only --db" -- "$SARX" registry check --db x --patient 1
expect_exit 2 "export --format xml" -- "$SARX" registry export --db x --format xml
expect_in "$T/err" '--format "xml": allowed csv, json' "format named"
expect_exit 0 "registry --help" -- "$SARX" registry --help
expect_in "$T/out" "registry check --db PATH" "help lists check"
expect_exit 1 "export of no registry" -- "$SARX" registry export --db "$T/none.db"
expect_in "$T/err" "no such registry" "missing registry named"
expect_exit 1 "check of no registry" -- "$SARX" registry check --db "$T/none.db"

# --- export: every visit, marked, counted ------------------------------------
R="$T/reg.db"
if drive "$R" fill; then ok; else no "filling a registry through sarx serve"; fi
expect_exit 0 "export csv" -- "$SARX" registry export --db "$R" -o "$T/x.csv"
expect_in "$T/err" "exported 4 visits of 2 patients: 2 ok, 2 patient_changed, 0 unverified, 0 damaged" \
    "counts on stderr"
expect_lines "$T/x.csv" 5 "every visit, after a PATCH of the sex"
expect_in "$T/x.csv" ",-5,-5,ok," "a weight gain: negative numbers written as numbers"
expect_in "$T/x.csv" ",record_status,record_note" "record columns"
expect_in "$T/x.csv" "heart failure\\; NYHA II" "a ';' inside a list item escaped"
mode=$(stat -c %a "$T/x.csv")
if [ "$mode" = 600 ]; then ok; else no "export -o: mode $mode, expected 600"; fi
expect_exit 0 "cohort reads the export" -- "$SARX" cohort "$T/x.csv" -o "$T/rows.csv"
expect_in "$T/out" "4 rows classified, 0 rejected" "cohort: every row read"
expect_exit 0 "export one patient" -- "$SARX" registry export --db "$R" --patient 2
expect_lines "$T/out" 3 "one patient: a header and its visits"
expect_in "$T/err" "exported 2 visits of 1 patient: 2 ok" "one patient's counts"
expect_exit 0 "export json" -- "$SARX" registry export --db "$R" --format json
expect_in "$T/out" '"mismatched": 2' "json counts"
expect_in "$T/out" '"record_status": "patient_changed"' "json record status"
expect_in "$T/err" "exported 4 visits of 2 patients" "json counts on stderr"
printf 'old\n' >"$T/shared.csv"
chmod 644 "$T/shared.csv"
expect_exit 0 "export over a file others may read" -- "$SARX" registry export --db "$R" -o "$T/shared.csv"
expect_in "$T/err" "others may read it (mode 0644)" "warned of a readable output file"

# --- check ----------------------------------------------------------------------
expect_exit 0 "check a sound registry" -- "$SARX" registry check --db "$R"
expect_in "$T/out" "2 patients, 4 visits, 4 stored results checked: no problems" "check summary"
cp "$R" "$T/bad.db"
if python3 - "$T/bad.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA ignore_check_constraints=ON")
c.execute("UPDATE visits SET inputs = '[1, 2]' WHERE id = 1")
c.execute("UPDATE assessments SET result = substr(result, 1, length(result) - 9) WHERE visit_id = 3")
c.execute("UPDATE measurements SET entered_value = '{' WHERE visit_id = 2 AND field = 'weight_kg'")
c.commit()
PY
then ok; else no "damaging a copy"; fi
chmod 600 "$T/bad.db"
expect_exit 1 "check a damaged registry" -- "$SARX" registry check --db "$T/bad.db"
expect_in "$T/out" "visit 1 (patient 1): inputs: not a JSON object" "damaged inputs named"
expect_in "$T/out" "visit 3 (patient 2): stored result: zstd: " "damaged result named"
expect_in "$T/out" "visit 2: measurement weight_kg: entered value: not valid JSON" "damaged measurement named"
expect_in "$T/out" "3 problems" "problems counted"
expect_exit 0 "export a damaged registry" -- "$SARX" registry export --db "$T/bad.db" -o "$T/bad.csv"
expect_in "$T/err" "exported 4 visits of 2 patients: 1 ok, 0 patient_changed, 0 unverified, 3 damaged" \
    "damaged visits exported and counted"
expect_in "$T/bad.csv" "1-1,1,1,,,,2026-01-10,,,,,,damaged," "a visit with damaged inputs: its date, nothing made up"
expect_in "$T/bad.csv" "2-3,2,3,male,81,general,2026-02-02,175,80,30,,,damaged," \
    "a visit whose stored result is damaged: its inputs, re-assessed"
# a damaged page: SQLite's integrity check names it
cp "$R" "$T/page.db"
if python3 - "$T/page.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
root = c.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'visits'").fetchone()[0]
size = c.execute("PRAGMA page_size").fetchone()[0]
c.close()
with open(sys.argv[1], "r+b") as f:
    f.seek((root - 1) * size)
    f.write(b"\xff" * 16)
PY
then ok; else no "damaging a page"; fi
chmod 600 "$T/page.db"
expect_exit 1 "check a registry with a damaged page" -- "$SARX" registry check --db "$T/page.db"
expect_in "$T/out" "integrity_check: " "integrity_check reports the page"

# --- a read-only filesystem: nothing is written on open ---------------------------
RO="$T/ro"
mkdir "$RO"
cp "$R" "$RO/reg.db"
if drive "$RO/live.db" crash; then ok; else no "a crashed server's registry"; fi
rm -f "$RO/live.db-shm"
# ro CMD: CMD with $RO mounted read-only (a private mount namespace), or,
# where that is not allowed and we are not root, with $RO and its files
# read-only; 77 when neither can be arranged.
ro() {
    if unshare -rm true 2>/dev/null; then
        unshare -rm sh -c 'mount --bind -o ro "$0" "$0" && exec "$@"' "$RO" "$@"
    elif [ "$(id -u)" -ne 0 ]; then
        chmod a-w "$RO" "$RO"/*
        "$@"
        st=$?
        chmod u+w "$RO" "$RO"/*
        return $st
    else
        return 77
    fi
}
ro true
if [ $? -eq 77 ]; then
    echo "registry cli: note: cannot make a read-only filesystem here (root without unshare); skipped" >&2
else
    expect_exit 0 "export on a read-only filesystem" -- ro "$SARX" registry export --db "$RO/reg.db"
    expect_lines "$T/out" 5 "read-only export: every visit"
    expect_exit 0 "check on a read-only filesystem" -- ro "$SARX" registry check --db "$RO/reg.db"
    expect_in "$T/out" "no problems" "read-only check"
    # a log with changes but no index to read it through: refused, not read past
    expect_exit 1 "export of a crashed registry on a read-only filesystem" -- \
        ro "$SARX" registry export --db "$RO/live.db"
    expect_in "$T/err" "write-ahead log (-wal file) holds changes" "the unread log named"
fi

report
