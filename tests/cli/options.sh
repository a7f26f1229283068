#!/bin/sh
# One command-line style (issue 27, items 8 and 9): every subcommand's
# options are parsed from one table (cli/opts.h) with getopt_long, and the
# help, the manual page and the bash completion are written from the same
# tables.  Checks, for every subcommand: --help and -h (exit 0, "usage:" on
# stdout); --opt=value gives what --opt value gives; a close unknown option
# gets "did you mean" (exit 2), a far one does not; a value option without
# its value names the option; a flag with "=value" is refused; operands
# before options.  Then `sarx --help`, `--version`, unknown commands, and
# that man/sarx.1 and completion/sarx.bash are what the tables write, and
# that the completion completes.
# usage: sh tests/cli/options.sh path/to/sarx   (from the top of the repository)
SARX=${1:-build/sarx}
NAME="options"
. "$(dirname "$0")/lib.sh"
case $SARX in /*) ;; *) SARX=$(pwd)/$SARX ;; esac

# not_in FILE TEXT DESCRIPTION
not_in() {
    if grep -qF -- "$2" "$1"; then no "$3: '$2' in $(basename "$1")"; else ok; fi
}
# same A B DESCRIPTION: two files are equal (and A is not empty)
same() {
    if [ -s "$1" ] && cmp -s "$1" "$2"; then ok; else no "$3: outputs differ"; diff "$1" "$2" | sed -n 1,6p >&2; fi
}
# both WANT DESCRIPTION -- command with "=" form ||| command with " " form
# Runs two commands (given as two strings), expects the exit status WANT of
# each, and equal stdout and stderr.
both() {
    want=$1; what=$2
    sh -c "$3" >"$T/o1" 2>"$T/e1"; r1=$?
    sh -c "$4" >"$T/o2" 2>"$T/e2"; r2=$?
    if [ "$r1" -eq "$want" ] && [ "$r2" -eq "$want" ]; then ok; else
        no "$what: exit $r1 and $r2, expected $want"; sed -n 1,3p "$T/e1" "$T/e2" >&2; fi
    if cmp -s "$T/o1" "$T/o2" && cmp -s "$T/e1" "$T/e2" && { [ -s "$T/o1" ] || [ -s "$T/e1" ]; }; then ok; else
        no "$what: --opt=value and --opt value differ"; diff "$T/o1" "$T/o2" | sed -n 1,4p >&2; diff "$T/e1" "$T/e2" | sed -n 1,4p >&2; fi
}
S="\"$SARX\""

# --- help, every subcommand -------------------------------------------------
for c in assess definitions cohort synth fields simulate serve "registry export" "registry check" registry; do
    # shellcheck disable=SC2086
    expect_exit 0 "$c --help" -- "$SARX" $c --help
    expect_in "$T/out" "usage: sarx $c" "$c --help: usage on stdout"
    if [ -s "$T/err" ]; then no "$c --help: something on stderr"; else ok; fi
    cp "$T/out" "$T/help"
    # shellcheck disable=SC2086
    expect_exit 0 "$c -h" -- "$SARX" $c -h
    same "$T/help" "$T/out" "$c: -h is --help"
    # shellcheck disable=SC2086
    expect_exit 0 "sarx help $c" -- "$SARX" help $c
    same "$T/help" "$T/out" "sarx help $c is sarx $c --help"
done
# each option of a command's help is in its manual section and completion
"$SARX" --man >"$T/man"
"$SARX" --completion bash >"$T/comp"
for c in assess definitions cohort synth fields simulate serve "registry export" "registry check"; do
    # shellcheck disable=SC2086
    "$SARX" $c --help | sed -n '/^options:/,/^$/p' | grep -o -- '--[a-z][a-z-]*' | sort -u >"$T/names"
    [ -s "$T/names" ] && ok || no "$c: no options in --help"
    sed -n "/^\\.SS \"sarx $c\"/,/^\\.SS /p" "$T/man" >"$T/section"
    while read -r o; do
        r=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
        grep -q -- "$r" "$T/section" && ok || no "$c: $o not in its manual section"
        [ "$o" = --help ] || grep -q -- "\"$c/$o\"\\|\"$c\") _sarx_words '.*$o " "$T/comp" && ok ||
            no "$c: $o not in the completion"
    done <"$T/names"
done

# --- sarx --help, --version, commands ---------------------------------------
expect_exit 0 "sarx --help" -- "$SARX" --help
for c in assess definitions cohort synth fields simulate serve "registry export" "registry check" --version --man --completion; do
    expect_in "$T/out" " $c " "sarx --help names $c"
done
expect_exit 0 "sarx help" -- "$SARX" help
expect_in "$T/out" "registry export" "sarx help"
expect_exit 2 "sarx alone" -- "$SARX"
expect_in "$T/err" "usage: sarx <command>" "sarx alone: the usage on stderr"
expect_exit 0 "--version" -- "$SARX" --version
expect_in "$T/out" "sarx 0.1.0" "--version: the library's version"
"$SARX" definitions --format json | python3 -c '
import json, sys
want = ", ".join(d["id"] + " " + d["version"] for d in json.load(sys.stdin)["definitions"])
got = open(sys.argv[1]).read().splitlines()
sys.exit(0 if "definitions: " + want in got else 1)' "$T/out" && ok || no "--version: each definition id and version"
expect_exit 0 "-V" -- "$SARX" -V
expect_in "$T/out" "definitions: ewgsop2 " "-V"
expect_exit 2 "--version with an argument" -- "$SARX" --version x
expect_exit 2 "unknown command, close" -- "$SARX" cohrt x.csv
expect_in "$T/err" 'unknown command "cohrt": did you mean "cohort"?' "unknown command, close"
expect_exit 2 "unknown command, far" -- "$SARX" frobnicate
expect_in "$T/err" 'unknown command "frobnicate"' "unknown command, far"
not_in "$T/err" "did you mean" "unknown command, far: nothing offered"
expect_exit 2 "unknown top option" -- "$SARX" --versoin
expect_in "$T/err" "did you mean --version?" "unknown top option"
expect_exit 2 "registry: unknown subcommand" -- "$SARX" registry exprot --db x
expect_in "$T/err" 'did you mean "export"?' "registry: unknown subcommand"
expect_exit 2 "help of no command" -- "$SARX" help frob

# --- --opt=value is --opt value ------------------------------------------------
E=examples/frail_woman.json
both 0 "assess --format" "$S assess --format=json $E" "$S assess --format json $E"
both 0 "assess --definitions" "$S assess --definitions=ewgsop2,glim2019 $E" "$S assess --definitions ewgsop2,glim2019 $E"
both 0 "definitions --format" "$S definitions --format=json" "$S definitions --format json"
both 0 "fields --format" "$S fields --format=markdown" "$S fields --format markdown"
both 0 "synth --seed" "$S synth 50 --seed=7 --bad=0.1" "$S synth 50 --seed 7 --bad 0.1"
"$SARX" synth 300 --seed 3 --bad 0.02 >"$T/c.csv"
both 1 "cohort --definitions" "$S cohort $T/c.csv --definitions=awgs2019 --threads=2 --quiet" \
    "$S cohort $T/c.csv --definitions awgs2019 --threads 2 --quiet"
both 0 "simulate --preset" "$S simulate --preset=active --seed=3" "$S simulate --preset active --seed 3"
both 0 "simulate --pool" "$S simulate --pool=50 --steps=3 --dt=0.1" "$S simulate --pool 50 --steps 3 --dt 0.1"
both 2 "serve --port" "$S serve --port=99999" "$S serve --port 99999"
expect_in "$T/e1" '--port "99999"' "serve --port=99999: the value"
both 1 "registry export --db" "$S registry export --db=$T/none.db" "$S registry export --db $T/none.db"
both 1 "registry check --db" "$S registry check --db=$T/none.db" "$S registry check --db $T/none.db"
# short options: -o FILE, -oFILE and --output=FILE write the same file
"$SARX" synth 40 --seed 2 -o "$T/s1.csv" && "$SARX" synth 40 --seed 2 "-o$T/s2.csv" &&
    "$SARX" synth 40 --output="$T/s3.csv" --seed 2 && ok || no "synth -o forms"
same "$T/s1.csv" "$T/s2.csv" "synth -oFILE"
same "$T/s1.csv" "$T/s3.csv" "synth --output=FILE"
# a registry, to export with either form
if SARX_TOKEN=0123456789abcdef0123 "$SARX" serve --db "$T/r.db" --port 0 --access-log off 2>"$T/serve.err" &
then
    pid=$!
    i=0
    while [ $i -lt 100 ] && ! grep -q "listening" "$T/serve.err"; do sleep 0.1; i=$((i + 1)); done
    kill "$pid"
    wait "$pid"
    both 0 "registry export --format" "$S registry export --db=$T/r.db --format=csv --quiet" \
        "$S registry export --db $T/r.db --format csv --quiet"
    # (the JSON holds the time of the export: not compared)
    expect_exit 0 "registry export --format=json" -- "$SARX" registry export --db="$T/r.db" --format=json -o "$T/r.json"
    expect_in "$T/r.json" '"counts"' "registry export --format=json: JSON"
    both 0 "registry check --db, a registry" "$S registry check --db=$T/r.db" "$S registry check --db $T/r.db"
fi

# --- operands before, between and after options; "--" --------------------------
"$SARX" cohort "$T/c.csv" -o "$T/r1.csv" --quiet >"$T/t1" 2>/dev/null
"$SARX" cohort -o "$T/r2.csv" --quiet "$T/c.csv" >"$T/t2" 2>/dev/null
POSIXLY_CORRECT=1 "$SARX" cohort "$T/c.csv" --quiet -o "$T/r3.csv" >"$T/t3" 2>/dev/null
same "$T/r1.csv" "$T/r2.csv" "cohort: the file before or after the options"
same "$T/r1.csv" "$T/r3.csv" "cohort: the file first, under POSIXLY_CORRECT"
same "$T/t1" "$T/t3" "cohort: the summary, under POSIXLY_CORRECT"
cp "$E" "$T/-x.json"
expect_exit 0 "-- ends the options" -- sh -c 'cd "$1" && "$2" assess --format json -- -x.json' sh "$T" "$SARX"
expect_in "$T/out" '"results"' "-- ends the options: the file read"
expect_exit 2 "two input files" -- "$SARX" assess "$E" "$E"
expect_in "$T/err" "one input file at a time" "two input files"

# --- unknown options: "did you mean" when close, exit 2 ------------------------
close() { # close COMMAND... -- WRONG RIGHT
    wrong=$1; right=$2; shift 2
    expect_exit 2 "$* $wrong" -- "$SARX" "$@" "$wrong"
    expect_in "$T/err" "unknown option \"$wrong\": did you mean $right?" "$* $wrong"
    expect_in "$T/err" "usage: sarx" "$* $wrong: the usage"
}
close --explian --explain assess
close --fromat --format definitions
close --sumary --summary cohort "$T/c.csv"
close --sed --seed synth 3
close --formt --format fields
close --prest --preset simulate
close --prot --port serve
close --fromat --format registry export --db x
close --dbb --db registry check
close --delimter --delimiter cohort "$T/c.csv"
close --definition --definitions cohort "$T/c.csv"
# a long option is spelled whole: an abbreviation getopt_long would take is refused
expect_exit 2 "abbreviation" -- "$SARX" cohort "$T/c.csv" --sum "$T/x.json"
expect_in "$T/err" 'unknown option "--sum": did you mean --summary?' "abbreviation"
expect_exit 2 "abbreviation of several" -- "$SARX" cohort "$T/c.csv" --pro
expect_in "$T/err" "did you mean --progress?" "abbreviation: one"
expect_exit 2 "abbreviation of several" -- "$SARX" cohort "$T/c.csv" --p
expect_in "$T/err" "did you mean --plot or --progress?" "abbreviation of several"
expect_exit 2 "far option" -- "$SARX" simulate --zzzzzz
expect_in "$T/err" 'unknown option "--zzzzzz"' "far option"
not_in "$T/err" "did you mean" "far option: nothing offered"
expect_exit 2 "unknown short option" -- "$SARX" synth 3 -x
expect_in "$T/err" 'unknown option "-x"' "unknown short option"

# --- missing values, flags with a value, options given twice -------------------
needs() { # needs OPTION-TEXT COMMAND...
    opt=$1; shift
    expect_exit 2 "$*" -- "$SARX" "$@"
    expect_in "$T/err" "$opt needs a value" "$*"
}
needs --format assess --format
needs --definitions assess "$E" --definitions
needs --format definitions --format
needs --summary cohort "$T/c.csv" --summary
needs --rename cohort "$T/c.csv" --rename
needs -o cohort "$T/c.csv" -o
needs --seed synth 3 --seed
needs --format fields --format
needs --preset simulate --preset
needs --port serve --port
needs --db registry export --db
needs --db registry check --db
expect_exit 2 "flag with a value" -- "$SARX" cohort "$T/c.csv" --strict=yes
expect_in "$T/err" "--strict takes no value" "flag with a value"
expect_exit 2 "help with a value" -- "$SARX" fields --help=1
expect_exit 2 "simulate: an option twice" -- "$SARX" simulate --preset active --preset=sedentary
expect_in "$T/err" "--preset given twice" "simulate: an option twice"
# repeated options that are meant to repeat still do
printf 'Weight (kg),Height,sex\n70,170,male\n' >"$T/w.csv"
expect_exit 0 "cohort --rename twice" -- "$SARX" cohort "$T/w.csv" --rename 'Weight (kg)=weight_kg' --rename=Height=height_cm -o "$T/w.out"
expect_lines "$T/w.out" 2 "cohort --rename twice: the row"

# --- the manual page and the completion: generated, up to date -------------------
expect_exit 0 "--man" -- "$SARX" --man
expect_in "$T/out" ".TH SARX 1" "--man: a manual page"
if cmp -s "$T/out" man/sarx.1; then ok; else no "man/sarx.1 is stale: sarx --man > man/sarx.1"; fi
if command -v groff >/dev/null 2>&1; then
    groff -man -Tutf8 -ww -z man/sarx.1 >"$T/groff" 2>&1
    if [ -s "$T/groff" ]; then no "man/sarx.1: groff warns"; sed -n 1,5p "$T/groff" >&2; else ok; fi
fi
expect_exit 0 "--completion bash" -- "$SARX" --completion bash
if cmp -s "$T/out" completion/sarx.bash; then ok; else no "completion/sarx.bash is stale: sarx --completion bash > completion/sarx.bash"; fi
expect_exit 0 "--completion=bash" -- "$SARX" --completion=bash
expect_exit 2 "--completion zsh" -- "$SARX" --completion zsh
expect_in "$T/err" 'allowed bash' "--completion zsh"

if command -v bash >/dev/null 2>&1; then
    mkdir "$T/files" && : >"$T/files/study.csv" && : >"$T/files/study.tsv" && mkdir "$T/files/stdir"
    # comp WANT -- WORD...: complete the last word (may be ''); WANT is the sorted replies
    comp() {
        want=$1; shift 2
        got=$(cd "$T/files" && bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _sarx
            [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' sh "$OLDPWD/completion/sarx.bash" "$@")
        if [ "$got" = "$want" ]; then ok; else no "completion of '$*': got '$got', expected '$want'"; fi
    }
    comp "cohort " -- sarx coh
    comp "serve simulate synth " -- sarx s
    comp "--summary " -- sarx cohort x.csv --su
    comp "--definitions " -- sarx assess --def
    comp "ewgsop1 ewgsop2 " -- sarx cohort --definitions ew
    comp "sarc_calf sarc_f sarcopenia sarcopenic_obesity " -- sarx assess --definitions sarc
    comp "ewgsop2,awgs2019 ewgsop2,awgs2025 " -- sarx cohort --definitions ewgsop2,aw
    comp "active " -- sarx simulate --preset a
    comp "$(printf '%s\n' $("$SARX" simulate --list | cut -d' ' -f1) | sort | tr '\n' ' ')" -- sarx simulate --preset =
    comp "masters_athlete microgravity_180d " -- sarx simulate --preset = m
    comp "auto fhir fhir-inputs json text " -- sarx assess --format ''
    comp "--help check export " -- sarx registry ''
    comp "--format " -- sarx registry export --fo
    comp "" -- sarx registry check --fo
    comp "study.csv study.tsv " -- sarx cohort stu
    comp "study.csv study.tsv " -- sarx cohort x -o stu
    comp "stdir " -- sarx cohort x --plot st
    comp "bash " -- sarx --completion ''
    comp "cohort " -- sarx help coh
    comp "--version " -- sarx --v
fi

report
