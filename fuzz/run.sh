#!/bin/sh
# Run libFuzzer targets for a given time each, one after the other, and
# print per target the executions per second and the coverage reached, as
# a Markdown table (docs/TESTING.md).  `make fuzz` builds the targets and
# calls this; the ten-minute runs are `make fuzz FUZZ_SECONDS=600`.
#
# usage: sh fuzz/run.sh SECONDS [fuzz_NAME ...]     (every built target if none)
#
# Target fuzz_NAME reads its dictionary fuzz/NAME.dict and its seeds
# fuzz/seeds-NAME/ when they exist, and keeps what it finds in
# $FUZZ_DIR/corpus-NAME/ (FUZZ_DIR: build-fuzz), so that a later run starts
# where this one stopped.  Its whole log is $FUZZ_DIR/NAME.log; a failing
# input is saved as $FUZZ_DIR/NAME-crash-* (or -leak-, -timeout-, -oom-).
# Exit status 1 when any target failed: a sanitizer report, a failed check
# of the harness (abort), a leak, an input slower than 10 s or a process
# above 2 GB.
set -u
secs=${1:?usage: sh fuzz/run.sh SECONDS [fuzz_NAME ...]}
shift
dir=${FUZZ_DIR:-build-fuzz}
if [ $# -eq 0 ]; then
    set -- $(cd "$dir" && ls fuzz_* 2>/dev/null | grep -v '\.')
fi
table=$(mktemp)
trap 'rm -f "$table"' EXIT
failed=0
for t in "$@"; do
    name=${t#fuzz_}
    # The longest input each target is given: a CSV of a few dozen rows for
    # the reader, an API sequence of a few requests; a text cell is short.
    # fuzz_cohort takes 2 KB (8 to 60 rows): its rows are classified
    # independently, so more rows add time, not paths, and at 4 KB a grown
    # corpus averaged 37 rows an input and ran at 600 inputs a second.
    case $name in
        text) len=256 ;;
        csv) len=8192 ;;
        cohort) len=2048 ;;
        *) len=4096 ;;
    esac
    set -- -max_total_time="$secs" -max_len="$len" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$dir/$name-"
    [ -f "fuzz/$name.dict" ] && set -- "$@" -dict="fuzz/$name.dict"
    mkdir -p "$dir/corpus-$name"
    set -- "$@" "$dir/corpus-$name"
    [ -d "fuzz/seeds-$name" ] && set -- "$@" "fuzz/seeds-$name"
    [ "$name" = json ] && set -- "$@" examples          # the bundled subjects
    [ "$name" = cohort ] && set -- "$@" fuzz/seeds-csv  # the same input layout
    log="$dir/$name.log"
    echo "== $t: $secs s"
    # CPU seconds too, where /usr/bin/time is: on a shared machine the
    # executions per CPU second say more than those per second
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%U %S' -o "$dir/$name.cpu" "$dir/$t" "$@" >"$log" 2>&1
    else
        "$dir/$t" "$@" >"$log" 2>&1
    fi
    rc=$?
    cpu=$(tail -n 1 "$dir/$name.cpu" 2>/dev/null | awk 'NF == 2 { print $1 + $2 }')
    grep -E '^Done [0-9]+ runs' "$log"
    if [ "$rc" -ne 0 ]; then
        failed=1
        echo "FAIL $t (exit status $rc); the end of $log:"
        tail -n 40 "$log"
    fi
    # The figures: libFuzzer's final statistics and its last status line;
    # "last new" is when the last input with new coverage was found
    # (its execution number over the rate).
    awk -v t="$t" -v rc="$rc" -v cpu="${cpu:-}" '
        /^stat::number_of_executed_units:/ { runs = $2 }
        /^stat::average_exec_per_sec:/ { eps = $2 }
        /^stat::peak_rss_mb:/ { rss = $2 }
        /^Done [0-9]+ runs in [0-9]+ second/ { secs = $5 }
        / cov: / { for (i = 1; i < NF; i++) { if ($i == "cov:") cov = $(i + 1); if ($i == "ft:") ft = $(i + 1); if ($i == "corp:") corp = $(i + 1) } }
        /^#[0-9]+[ \t]+NEW / { last = substr($1, 2) }
        END {
            lastnew = (eps > 0 && last != "") ? sprintf("%.0f s", last / eps) : "-"
            percpu = (cpu > 0) ? sprintf("%.0f", runs / cpu) : "-"
            printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s MB |%s\n", t, secs, runs, eps, percpu, cov, ft, corp,
                   lastnew, rss, rc == 0 ? "" : " FAILED"
        }' "$log" >>"$table"
done
echo
echo "| target | seconds | runs | exec/s | exec/CPU-s | cov | ft | corpus (inputs/bytes) | last new | peak RSS |"
echo "|---|---|---|---|---|---|---|---|---|---|"
cat "$table"
exit $failed
