#!/bin/sh
# bench/cohort.sh [ROWS] — the issue-3 benchmark: `sarx cohort` over a
# generated cohort (read, classify all definitions, write rows and summary),
# with 1 and 2 threads, next to `wc -l`; then `sarx cohort --definitions
# ewgsop2,awgs2019` beside a vectorised pandas computing the same two
# (bench/pandas_ewgsop2_awgs.py, checked row by row against sarx's rows),
# both writing their rows to a file, all measured in this run, with the
# ratio of their wall times (issue 27: the goal is 10 or more).  Prints a
# Markdown table for docs/PERFORMANCE.md.  Needs /usr/bin/time; pandas is
# optional (Debian python3-pandas, run with /usr/bin/python3).
set -eu
ROWS=${1:-1000000}
BUILD=${BUILD:-build}
SARX=$BUILD/sarx
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
"$SARX" synth "$ROWS" --seed 42 -o "$D/cohort.csv"
BYTES=$(wc -c <"$D/cohort.csv")
MB=$(echo "$BYTES / 1000000" | bc -l)
cat "$D/cohort.csv" >/dev/null # warm the page cache

# Each command runs REPS times (default 3), its output files removed first,
# and the fastest run is reported with its user and system seconds, then
# the median run's seconds and MB/s (writing rows.csv into the page cache
# varies from run to run on a VM far more than the program does).  On a
# VM the first write into memory the guest has never touched is several
# times slower than any later one (the host allocates the pages): a single
# run measures that, not the program.  The seconds are wall-clock from
# date(1) in nanoseconds (they include starting /usr/bin/time, about a
# millisecond): /usr/bin/time's own are in hundredths, a step of 2.6 % at
# 0.38 s.
REPS=${REPS:-3}
# A command that fails is reported as failed, not timed: a crash is fast.
# BEST and MED keep the last run's fastest and median seconds.
run() { # run NAME command...
    name=$1
    shift
    best=
    i=0
    : >"$D/walls"
    while [ "$i" -lt "$REPS" ]; do
        rm -f "$D"/rows*.csv "$D"/copy.csv "$D"/pandas.csv
        t0=$(date +%s%N)
        if ! /usr/bin/time -f "%U %S %M" -o "$D/time" "$@" >/dev/null 2>"$D/err"; then
            printf '| %s | FAILED: %s | | | | | |\n' "$name" "$(grep -v '^Command exited' "$D/err" | tail -n 1)"
            BEST= MED=
            return 0
        fi
        t1=$(date +%s%N)
        line="$(echo "($t1 - $t0) / 1000000000" | bc -l) $(tail -n 1 "$D/time")"
        echo "${line%% *}" >>"$D/walls"
        if [ -z "$best" ] || [ "$(echo "${line%% *} < ${best%% *}" | bc)" = 1 ]; then
            best=$line
        fi
        i=$((i + 1))
    done
    med=$(sort -n "$D/walls" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    BEST=${best%% *} MED=$med
    set -- $best
    printf '| %s | %.3f (%.2f user, %.2f sys) | %.0f | %.0f | %.3f | %.0f | %.1f |\n' "$name" "$1" "$2" "$3" \
        "$(echo "$MB / $1" | bc -l)" "$(echo "$ROWS / $1" | bc -l)" "$med" "$(echo "$MB / $med" | bc -l)" \
        "$(echo "$4 / 1024" | bc -l)"
}

# How many definitions a whole run classifies (the columns of its rows).
head -n 101 "$D/cohort.csv" >"$D/small.csv"
"$SARX" cohort "$D/small.csv" -o "$D/small_rows.csv" >/dev/null 2>&1 || true
NDEFS=$(head -n 1 "$D/small_rows.csv" | tr ',' '\n' | grep -c '_complete$' || true)

echo "file: $ROWS rows, $(printf '%.1f' "$MB") MB ($(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
echo
echo "| run (fastest of $REPS) | seconds | MB/s | rows/s | median seconds | MB/s at the median | peak RSS (MB) |"
echo "|---|---|---|---|---|---|---|"
run "wc -l (baseline: reading the file)" wc -l "$D/cohort.csv"
run "sarx cohort, 1 thread, $NDEFS definitions" "$SARX" cohort "$D/cohort.csv" -o "$D/rows1.csv" --summary "$D/s1.json" --threads 1
run "sarx cohort, 2 threads, $NDEFS definitions" "$SARX" cohort "$D/cohort.csv" -o "$D/rows2.csv" --summary "$D/s2.json" --threads 2
"$SARX" cohort "$D/cohort.csv" -o "$D/out.csv" --threads 1 >/dev/null 2>&1 || true
"$SARX" cohort "$D/cohort.csv" -o "$D/out2.csv" --threads 2 >/dev/null 2>&1 || true
cmp -s "$D/out.csv" "$D/out2.csv" || echo "WARNING: 1 and 2 threads wrote different rows"
rm -f "$D/out2.csv"
run "sarx cohort, 1 thread, summary only (no rows.csv)" "$SARX" cohort "$D/cohort.csv" --summary "$D/s3.json" --threads 1
run "sarx cohort, 2 threads, summary only (no rows.csv)" "$SARX" cohort "$D/cohort.csv" --summary "$D/s4.json" --threads 2
OUT=$(wc -c <"$D/out.csv")
run "copying rows.csv ($(echo "$OUT / 1000000" | bc) MB) to a new file with cat" sh -c "cat '$D/out.csv' >'$D/copy.csv'"
# EWGSOP2 and AWGS 2019 only, rows written to a file: sarx and pandas.
SEL=ewgsop2,awgs2019
run "sarx cohort --definitions $SEL, 1 thread, rows written" "$SARX" cohort "$D/cohort.csv" --definitions "$SEL" -o "$D/rows_sel1.csv" --summary "$D/s5.json" --threads 1
S1_BEST=$BEST S1_MED=$MED
run "sarx cohort --definitions $SEL, 2 threads, rows written" "$SARX" cohort "$D/cohort.csv" --definitions "$SEL" -o "$D/rows_sel2.csv" --summary "$D/s6.json" --threads 2
S2_BEST=$BEST S2_MED=$MED
if /usr/bin/python3 -c 'import pandas' 2>/dev/null; then
    run "pandas, vectorised, EWGSOP2 + AWGS 2019, rows written" /usr/bin/python3 bench/pandas_ewgsop2_awgs.py "$D/cohort.csv" "$D/pandas.csv"
    P_BEST=$BEST P_MED=$MED
    echo
    # the same categories as sarx's, row by row (untimed)
    "$SARX" cohort "$D/cohort.csv" --definitions "$SEL" -o "$D/sel_check.csv" >/dev/null 2>&1 || true
    if ! /usr/bin/python3 bench/pandas_ewgsop2_awgs.py "$D/cohort.csv" "$D/pandas.csv" --check "$D/sel_check.csv" \
        >"$D/check" 2>&1; then
        echo "    WARNING: pandas and sarx disagree, or the check failed:"
    fi
    sed 's/^/    /' "$D/check"
    if [ -n "$P_BEST" ] && [ -n "$S1_BEST" ] && [ -n "$S2_BEST" ]; then
        echo
        printf 'pandas / sarx wall time, %s, rows written: %.1fx (1 thread) and %.1fx (2 threads), fastest runs; %.1fx and %.1fx, medians (goal: 10x)\n' \
            "$SEL" "$(echo "$P_BEST / $S1_BEST" | bc -l)" "$(echo "$P_BEST / $S2_BEST" | bc -l)" \
            "$(echo "$P_MED / $S1_MED" | bc -l)" "$(echo "$P_MED / $S2_MED" | bc -l)"
    fi
else
    echo "| pandas | not installed (apt-get install python3-pandas) | | | | | |"
fi
