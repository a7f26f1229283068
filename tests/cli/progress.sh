#!/bin/sh
# Black-box tests of the progress line of long jobs (issue 27, item 6;
# cli/progress.h): `sarx synth`, `sarx simulate --population`, --validate,
# --compare and --pool,
# and `sarx registry export`.  With --progress and stderr to a file the
# lines appear, one per update, and parse (the count rises, the last line
# says done); without it, stderr not a terminal: nothing; --quiet: nothing;
# on a terminal (script(1), when there is one) the line is redrawn in place.
# SARX_PROGRESS_MS=20 makes updates come every 20 ms, so short runs show
# several.
# usage: sh tests/cli/progress.sh path/to/sarx
SARX=${1:-build/sarx}
NAME="progress cli"
. "$(dirname "$0")/lib.sh"

# check_lines FILE CMD UNIT TOTAL: every line is an update or the last
# line; the counts never fall, at least two updates rise, the last says
# done with the total.
check_lines() {
    python3 - "$@" <<'PY'
import re, sys
path, cmd, unit, total = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
lines = open(path).read().split("\n")
if lines[-1] != "":
    sys.exit("no newline at the end")
lines = lines[:-1]
upd = re.compile(re.escape(cmd) + r": (\d+) of (\d+) " + unit +
                 r" \((\d+\.\d) %\), [\d.]+/s, elapsed [\d.:]+( s)?, left about [\d.:]+( s)?$")
last = re.compile(re.escape(cmd) + r": done, (\d+) " + unit + r" in [\d.:]+( s)? \([\d.]+/s\)$")
seen = []
for l in lines[:-1]:
    m = upd.match(l)
    if not m:
        sys.exit("not an update line: %r" % l)
    if int(m.group(2)) != total:
        sys.exit("total %s, expected %d" % (m.group(2), total))
    seen.append(int(m.group(1)))
m = last.match(lines[-1]) if lines else None
if not m or int(m.group(1)) != total:
    sys.exit("last line %r does not say done with %d" % (lines[-1] if lines else "", total))
if seen != sorted(seen) or len(set(seen)) < 2 or seen[-1] > total:
    sys.exit("counts do not rise: %s" % seen)
PY
}

export SARX_PROGRESS_MS=20

# --- sarx synth -------------------------------------------------------------
expect_exit 0 "synth --progress" -- "$SARX" synth 300000 --progress -o "$T/s1.csv"
check_lines "$T/err" "sarx synth" rows 300000 && ok || no "synth --progress: lines do not parse"
"$SARX" synth 300000 -o "$T/s2.csv" 2>"$T/err2"
[ -s "$T/err2" ] && no "synth without a terminal wrote on stderr" || ok
cmp -s "$T/s1.csv" "$T/s2.csv" && ok || no "synth --progress changed the file"
expect_exit 0 "synth --quiet" -- "$SARX" synth 300000 --quiet -o "$T/s3.csv"
[ -s "$T/err" ] && no "synth --quiet wrote on stderr" || ok
expect_exit 0 "synth to stdout --progress" -- "$SARX" synth 1000 --progress
expect_lines "$T/out" 1001 "synth --progress: stdout holds the rows only"
grep -q "^sarx synth: done, 1000 rows in" "$T/err" && ok || no "synth --progress: a short run still ends with done"
expect_exit 2 "synth --progress --quiet" -- "$SARX" synth 10 --progress --quiet
expect_in "$T/err" "--progress and --quiet: give one of them" "both: named"
if [ -w /dev/full ]; then
    expect_exit 1 "synth --progress to a full device" -- sh -c "\"$SARX\" synth 5000 --progress > /dev/full"
    expect_in "$T/err" "sarx synth: stopped after" "a failed run says stopped, not done"
    grep -q "done" "$T/err" && no "a failed run says done" || ok
fi

# --- sarx simulate ----------------------------------------------------------
expect_exit 0 "population --progress" -- "$SARX" simulate --population 600 --ages 65 --threads 2 --progress --rows "$T/p1.csv"
check_lines "$T/err" "sarx simulate" people 600 && ok || no "population --progress: lines do not parse"
expect_in "$T/out" "Virtual population: 600 people" "population --progress: the summary on stdout"
"$SARX" simulate --population 600 --ages 65 --threads 2 --rows "$T/p2.csv" >"$T/out2" 2>"$T/err2"
[ -s "$T/err2" ] && no "population without a terminal wrote on stderr" || ok
cmp -s "$T/p1.csv" "$T/p2.csv" && ok || no "population --progress changed the rows"
expect_exit 0 "population --quiet" -- "$SARX" simulate --population 100 --ages 65 --quiet
[ -s "$T/err" ] && no "population --quiet wrote on stderr" || ok
expect_exit 2 "population --progress --quiet" -- "$SARX" simulate --population 10 --progress --quiet
expect_exit 2 "population --progress twice" -- "$SARX" simulate --population 10 --progress --progress
# --validate and --compare: the people of the validation population (its
# table on stdout unchanged; --validate exits 1 while known targets fail)
expect_exit 1 "validate --progress" -- "$SARX" simulate --validate --population 1000 --threads 2 --progress
check_lines "$T/err" "sarx simulate" people 1000 && ok || no "validate --progress: lines do not parse"
cp "$T/out" "$T/v1"
"$SARX" simulate --validate --population 1000 --threads 2 >"$T/v2" 2>"$T/err2"
[ -s "$T/err2" ] && no "validate without a terminal wrote on stderr" || ok
cmp -s "$T/v1" "$T/v2" && ok || no "validate --progress changed the table"
expect_exit 0 "compare --quiet" -- "$SARX" simulate --compare --population 1000 --quiet
[ -s "$T/err" ] && no "compare --quiet wrote on stderr" || ok
expect_exit 0 "pool --progress" -- "$SARX" simulate --pool 20000 --steps 3000 --progress
grep -q "^sarx simulate: done, 3000 steps in" "$T/err" && ok || no "pool --progress: no done line"
expect_lines "$T/out" 3000 "pool --progress: stdout holds the forces only"

# --- sarx registry export ---------------------------------------------------
cat >"$T/fill.py" <<'PY'
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
def post(path, body):
    r = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), method="POST", data=json.dumps(body).encode(),
                               headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(r, timeout=30) as f:
        return json.loads(f.read())
a = post("/api/v1/patients", {"label": "A", "sex": "female", "birth_date": "1950-01-15"})["id"]
post("/api/v1/patients/%d/visits" % a, {"assessment_date": "2026-01-10", "weight_kg": 70, "grip_kg": 15})
post("/api/v1/patients/%d/visits" % a, {"assessment_date": "2026-07-10", "weight_kg": 65, "height_cm": 160})
p.send_signal(signal.SIGTERM)
p.stderr.read()
sys.exit(p.wait())
PY
if python3 "$T/fill.py" "$SARX" "$T/reg.db"; then
    ok
    expect_exit 0 "export --progress" -- "$SARX" registry export --db "$T/reg.db" --progress -o "$T/x.csv"
    grep -q "^sarx registry export: done, 1 patients in" "$T/err" && ok || no "export --progress: no done line"
    expect_in "$T/err" "exported 2 visits of 1 patient" "export --progress: the counts too"
    expect_exit 0 "export" -- "$SARX" registry export --db "$T/reg.db" -o "$T/y.csv"
    grep -q "^sarx registry export:" "$T/err" && no "export without a terminal showed progress" || ok
    expect_in "$T/err" "exported 2 visits of 1 patient" "export: the counts"
    expect_exit 0 "export --quiet" -- "$SARX" registry export --db "$T/reg.db" --quiet -o "$T/z.csv"
    [ -s "$T/err" ] && no "export --quiet wrote on stderr (every visit ok)" || ok
    cmp -s "$T/x.csv" "$T/z.csv" && ok || no "export --progress changed the file"
    expect_exit 2 "check --progress" -- "$SARX" registry check --db "$T/reg.db" --progress
else
    no "could not fill a registry through sarx serve"
fi

# --- sarx cohort: rejected rows on stderr beside the progress line ---------
# Each message is written whole: the progress line is never drawn inside
# one (a review found "row 7sarx cohort: 79492 rows ...7829 (line ...)"
# when the messages were cut into 128 KiB pieces: 400,000 rows of which 60 %
# are bad showed it in two runs of three), and "done" comes last.
"$SARX" synth 400000 --seed 9 --bad 0.6 -o "$T/bad.csv" 2>/dev/null
SARX_PROGRESS_MS=10 "$SARX" cohort "$T/bad.csv" --threads 3 --progress -o /dev/null >/dev/null 2>"$T/err"
python3 - "$T/err" <<'PY' && ok || no "cohort --progress: a message and the progress line mixed on stderr"
import re, sys
lines = open(sys.argv[1]).read().split("\n")[:-1]
msg = re.compile(r"sarx: .*bad\.csv: (row \d+ \(line \d+\): .*|ignoring .*)$")
upd = re.compile(r"sarx cohort: (\d+ rows( \(\d+\.\d %\))?, [\d.]+[kM]?/s, elapsed .*|working, elapsed .*|done, \d+ rows in .*)$")
bad = [l for l in lines if not msg.match(l) and not upd.match(l)]
rows = [l for l in lines if "): " in l]
if bad or not rows or not lines[-1].startswith("sarx cohort: done") or any("sarx cohort:" in l for l in rows):
    sys.exit("mixed: %r" % (bad[:2] or lines[-1:]))
PY
"$SARX" synth 3000 --seed 9 -o "$T/ok.csv" 2>/dev/null
SARX_PROGRESS_MS=10 "$SARX" cohort "$T/ok.csv" --progress -o /dev/null >/dev/null 2>"$T/err"
grep -q "^sarx cohort: done, 3000 rows in" "$T/err" && ok || no "cohort --progress: no done line with the rows"
"$SARX" cohort "$T/ok.csv" -o /dev/null >/dev/null 2>"$T/err"
grep -q "sarx cohort:" "$T/err" && no "cohort: progress without a terminal or --progress" || ok

# --- on a terminal ----------------------------------------------------------
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
    script -qec "\"$SARX\" synth 200000 -o \"$T/t.csv\"" /dev/null >"$T/tty" 2>&1 </dev/null
    grep -q "$(printf '\r')sarx synth: [0-9]* of 200000 rows" "$T/tty" && ok || no "terminal: no line redrawn with \\r"
    grep -q "$(printf '\033')\[K" "$T/tty" && ok || no "terminal: the line is not cleared to its end"
    grep -q "sarx synth: done, 200000 rows" "$T/tty" && ok || no "terminal: no last line"
    script -qec "\"$SARX\" synth 200000 --quiet -o \"$T/t.csv\"" /dev/null >"$T/tty" 2>&1 </dev/null
    grep -q "sarx synth" "$T/tty" && no "terminal --quiet: progress shown" || ok
    script -qec "\"$SARX\" simulate --population 600 --ages 65 --threads 2 >/dev/null" /dev/null >"$T/tty" 2>&1 </dev/null
    grep -q "sarx simulate: done, 600 people" "$T/tty" && ok || no "terminal: simulate shows no progress"
else
    echo "progress cli: script(1) not available: the terminal checks are skipped" >&2
fi
report
