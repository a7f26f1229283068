# Shared helpers of the CLI test scripts (sourced; set NAME before).
# Each check counts a pass or a failure; report prints the closing line.
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $NAME: $*" >&2; }

# expect_exit CODE DESCRIPTION -- command...   (stdout in $T/out, stderr in $T/err)
expect_exit() {
    want=$1; what=$2; shift 3
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else no "$what: exit $got, expected $want"; sed -n 1,5p "$T/err" >&2; fi
}
# expect_in FILE TEXT DESCRIPTION
expect_in() {
    if grep -qF -- "$2" "$1"; then ok; else no "$3: '$2' not in $(basename "$1")"; sed -n 1,5p "$1" >&2; fi
}
# expect_lines FILE N DESCRIPTION
expect_lines() {
    n=$(wc -l <"$1")
    if [ "$n" -eq "$2" ]; then ok; else no "$3: $n lines, expected $2"; fi
}
count_lines() { wc -l <"$1" | tr -d ' '; }

report() {
    echo "$NAME: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
