#!/bin/sh
# bench/cohort.sh [ROWS] — the issue-3 benchmark: `sarx cohort` over a
# generated cohort (read, classify all definitions, write rows and summary),
# with 1 and 2 threads, next to `wc -l` and a vectorised pandas EWGSOP2 +
# AWGS 2019 on the same file, all measured in this run.  Prints a Markdown
# table for docs/PERFORMANCE.md.  Needs /usr/bin/time; pandas is optional
# (Debian python3-pandas, run with /usr/bin/python3).
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

run() { # run NAME command... -> "seconds maxrss_kb"
    name=$1
    shift
    /usr/bin/time -f "%e %M" -o "$D/time" "$@" >/dev/null 2>"$D/err" || true
    set -- $(tail -n 1 "$D/time")
    printf '| %s | %.2f | %.0f | %.0f | %.1f |\n' "$name" "$1" "$(echo "$MB / $1" | bc -l)" \
        "$(echo "$ROWS / $1" | bc -l)" "$(echo "$2 / 1024" | bc -l)"
}

echo "file: $ROWS rows, $(printf '%.1f' "$MB") MB ($(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
echo
echo "| run | seconds | MB/s | rows/s | peak RSS (MB) |"
echo "|---|---|---|---|---|"
run "wc -l (baseline: reading the file)" wc -l "$D/cohort.csv"
run "sarx cohort, 1 thread, 15 definitions" "$SARX" cohort "$D/cohort.csv" -o "$D/rows1.csv" --summary "$D/s1.json" --threads 1
run "sarx cohort, 2 threads, 15 definitions" "$SARX" cohort "$D/cohort.csv" -o "$D/rows2.csv" --summary "$D/s2.json" --threads 2
cmp -s "$D/rows1.csv" "$D/rows2.csv" || echo "WARNING: 1 and 2 threads wrote different rows"
run "sarx cohort, 1 thread, summary only (no rows.csv)" "$SARX" cohort "$D/cohort.csv" --summary "$D/s3.json" --threads 1
run "sarx cohort, 2 threads, summary only (no rows.csv)" "$SARX" cohort "$D/cohort.csv" --summary "$D/s4.json" --threads 2
OUT=$(wc -c <"$D/rows1.csv")
run "floor: cat of rows.csv ($(echo "$OUT / 1000000" | bc) MB) to a new file" sh -c "cat '$D/rows1.csv' >'$D/copy.csv'"
if /usr/bin/python3 -c 'import pandas' 2>/dev/null; then
    run "pandas, vectorised, EWGSOP2 + AWGS 2019 only" /usr/bin/python3 bench/pandas_ewgsop2_awgs.py "$D/cohort.csv" "$D/pandas.csv"
else
    echo "| pandas | not installed (apt-get install python3-pandas) | | | |"
fi
