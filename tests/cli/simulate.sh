#!/bin/sh
# Black-box tests of `sarx simulate`: presets, CSV columns, determinism,
# plots, populations through the engine, and errors that name the key.
# usage: sh tests/cli/simulate.sh path/to/sarx
SARX=${1:-build/sarx}
NAME="simulate cli"
. "$(dirname "$0")/lib.sh"

expect_exit 0 "--list" -- "$SARX" simulate --list
cp "$T/out" "$T/list"
for p in sedentary active masters_athlete bed_rest_10d resistance_training_6mo microgravity_180d; do
    expect_in "$T/list" "$p" "--list names $p"
    expect_exit 0 "preset $p" -- "$SARX" simulate --preset "$p" --seed 3 --out "$T/$p.csv"
    expect_in "$T/$p.csv" "age_years,motor_units," "$p: CSV header"
    head -n 1 "$T/$p.csv" | grep -q "muscle_mass_rel" && head -n 1 "$T/$p.csv" | grep -q "max_force_rel" &&
        head -n 1 "$T/$p.csv" | grep -q "power_rel" && head -n 1 "$T/$p.csv" | grep -q "rfd_rel" &&
        head -n 1 "$T/$p.csv" | grep -q "type1_fiber_fraction" && ok || no "$p: a required column is missing"
done
# one row per reported point: 20..90 yearly = 71 rows + header; 10 days daily = 11 + header
expect_lines "$T/sedentary.csv" 72 "lifespan rows"
expect_lines "$T/bed_rest_10d.csv" 12 "bed rest rows"
# deterministic for a seed, different for another
"$SARX" simulate --preset sedentary --seed 3 >"$T/again.csv"
cmp -s "$T/sedentary.csv" "$T/again.csv" && ok || no "same seed, different output"
"$SARX" simulate --preset sedentary --seed 4 >"$T/other.csv"
cmp -s "$T/sedentary.csv" "$T/other.csv" && no "another seed, same output" || ok
# an intervention preset starts at 1 (relative to its start)
sed -n 2p "$T/bed_rest_10d.csv" | cut -d, -f4 | grep -qx 1 && ok || no "bed rest: first muscle_mass_rel is not 1"
# plots
expect_exit 0 "--plot" -- "$SARX" simulate --preset resistance_training_6mo --plot "$T/plots" --out "$T/rt.csv"
expect_in "$T/plots/trajectories.svg" "<svg" "plot is SVG"
expect_in "$T/plots/trajectories.svg" "stroke-dasharray" "plot has the baseline without the intervention"
# a scenario file
cat >"$T/sc.json" <<'JSON'
{"name": "mine", "sex": "female", "start_age": 20, "end_age": 40, "report_every_years": 5,
 "interventions": [{"type": "bed_rest", "start_age": 30, "days": 14}]}
JSON
expect_exit 0 "scenario file" -- "$SARX" simulate --scenario "$T/sc.json"
expect_lines "$T/out" 6 "scenario rows (20, 25, 30, 35, 40)"
# bad scenarios: exit 1, one line naming the key and what is allowed
echo '{"activity_level": "couch"}' >"$T/bad1.json"
expect_exit 1 "bad value" -- "$SARX" simulate --scenario "$T/bad1.json"
expect_in "$T/err" "activity_level" "names the key"
expect_in "$T/err" "sedentary|low|moderate|high|athlete" "names the allowed values"
echo '{"interventions": [{"type": "bed_rest", "start_age": 60, "days": 5, "reps": 3}]}' >"$T/bad2.json"
expect_exit 1 "key not allowed for the type" -- "$SARX" simulate --scenario "$T/bad2.json"
expect_in "$T/err" "reps" "names the key"
echo '{"motor_units": 5}' >"$T/bad3.json"
expect_exit 1 "out of range" -- "$SARX" simulate --scenario "$T/bad3.json"
expect_in "$T/err" "20-5000" "names the range"
expect_exit 2 "unknown preset" -- "$SARX" simulate --preset couch
expect_in "$T/err" "masters_athlete" "names the presets"
expect_exit 2 "no scenario" -- "$SARX" simulate
expect_exit 2 "bad seed" -- "$SARX" simulate --preset sedentary --seed x
# the pool step
expect_exit 0 "--pool" -- "$SARX" simulate --pool 120 --steps 3
expect_lines "$T/out" 3 "one force per step"
expect_exit 2 "--pool 1" -- "$SARX" simulate --pool 1
# a population through the engine, the same with 1 and 2 threads
expect_exit 0 "population" -- "$SARX" simulate --population 300 --ages 65,85 --seed 2 --rows "$T/pop1.csv" --summary "$T/s1.json"
expect_in "$T/out" "ewgsop2" "population summary lists the definitions"
expect_in "$T/out" "New Mexico Elder Health Survey" "published figures beside the simulated"
expect_lines "$T/pop1.csv" 601 "two rows per person + header"
"$SARX" simulate --population 300 --ages 65,85 --seed 2 --threads 2 --rows "$T/pop2.csv" --summary "$T/s2.json" >/dev/null
cmp -s "$T/pop1.csv" "$T/pop2.csv" && ok || no "1 and 2 threads give different people"
cmp -s "$T/s1.json" "$T/s2.json" && ok || no "1 and 2 threads give different summaries"
# the rows are a cohort `sarx cohort` reads: the same prevalence
expect_exit 0 "cohort on the rows" -- "$SARX" cohort "$T/pop1.csv" --summary "$T/s3.json"
python3 - "$T/s1.json" "$T/s3.json" <<'PY' && ok || no "cohort on the rows differs from the population summary"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
sys.exit(0 if a["definitions"] == b["definitions"] else 1)
PY
expect_exit 2 "bad ages" -- "$SARX" simulate --population 10 --ages 80,70
expect_exit 2 "ages out of range" -- "$SARX" simulate --population 10 --ages 20,130
expect_exit 2 "negative population" -- "$SARX" simulate --population -5
expect_exit 2 "no threads" -- "$SARX" simulate --population 10 --threads 0
expect_exit 2 "negative dt" -- "$SARX" simulate --pool 120 --dt -1
if [ -w /dev/full ]; then
    expect_exit 1 "write error on stdout" -- sh -c "\"$SARX\" simulate --preset sedentary > /dev/full"
fi
# Every numeric option: plain digits for counts, finite decimals for the
# rest, each in its documented range, with a message naming the option, the
# value and the range (issue 25, item 19).  The runs that the old code
# accepted and would have run for long are bounded by timeout.
expect_exit 2 "--dt inf" -- "$SARX" simulate --pool 120 --steps 3 --dt inf
expect_in "$T/err" '--dt "inf": expected a finite number of seconds from 0 to 3600' "--dt inf: option, value, range"
grep -qi nan "$T/out" && no "--dt inf: printed nan" || ok
for v in nan -inf 1e999 0x10 " 1" 1, 3601 -0.5 ""; do
    expect_exit 2 "--dt '$v'" -- "$SARX" simulate --pool 120 --steps 3 --dt "$v"
done
expect_exit 0 "--dt 3600" -- "$SARX" simulate --pool 120 --steps 2 --dt 3600
expect_exit 0 "--dt 0" -- "$SARX" simulate --pool 120 --steps 2 --dt 0
expect_exit 0 "--dt 2.5e-2" -- "$SARX" simulate --pool 120 --steps 2 --dt 2.5e-2
for v in inf nan 68 -1 1e400; do
    expect_exit 2 "--excitation '$v'" -- "$SARX" simulate --pool 120 --steps 3 --excitation "$v"
done
expect_in "$T/err" "from 0 to 67" "--excitation names the pool's range"
expect_exit 0 "--excitation 67" -- "$SARX" simulate --pool 120 --steps 1 --excitation 67
expect_exit 2 "--seed -1" -- "$SARX" simulate --preset sedentary --seed -1
expect_in "$T/err" '--seed "-1": expected a whole number from 0 to 18446744073709551615' "--seed -1: option, value, range"
[ -s "$T/out" ] && no "--seed -1 printed a simulation" || ok
for v in 18446744073709551616 99999999999999999999999 +3 " 3" 3x 1e3 ""; do
    expect_exit 2 "--seed '$v'" -- "$SARX" simulate --preset sedentary --seed "$v"
done
expect_exit 0 "--seed at its largest" -- "$SARX" simulate --preset bed_rest_10d --seed 18446744073709551615
expect_exit 2 "--steps above 10^7" -- "$SARX" simulate --pool 2 --steps 10000001
expect_in "$T/err" "from 1 to 10000000" "--steps names its range"
expect_exit 2 "--steps 0" -- "$SARX" simulate --pool 2 --steps 0
expect_exit 2 "--steps 1e3" -- "$SARX" simulate --pool 2 --steps 1e3
expect_exit 2 "units x steps above 10^10" -- timeout 30 "$SARX" simulate --pool 1000000 --steps 10001
expect_in "$T/err" "unit-steps" "units x steps: says what is counted"
expect_exit 2 "--pool 0" -- "$SARX" simulate --pool 0
expect_in "$T/err" '--pool "0": expected a whole number of units from 2 to 10000000' "--pool 0: option, value, range"
expect_exit 2 "--pool 1e3" -- "$SARX" simulate --pool 1e3
expect_exit 2 "--population 1e8" -- "$SARX" simulate --population 1e8
expect_in "$T/err" '--population "1e8": expected a whole number of people from 1 to 100000000' "--population 1e8: range"
expect_exit 2 "--population above 10^8" -- "$SARX" simulate --population 100000001
for v in 257 2x -1 " 2" 1e2; do
    expect_exit 2 "--threads '$v'" -- "$SARX" simulate --population 10 --threads "$v"
done
expect_in "$T/err" "from 1 to 256" "--threads names its range"
for v in 65,inf 65,nan " 65" 0x41 65,,75 65, 65x; do
    expect_exit 2 "--ages '$v'" -- "$SARX" simulate --population 10 --ages "$v"
done
expect_in "$T/err" 'age 1 "65x"' "--ages names the age at fault"
expect_exit 2 "--ages: 33 ages" -- "$SARX" simulate --population 1 --ages "$(seq -s, 26 58)"
expect_in "$T/err" "age 33" "--ages: the 33rd age is named"
expect_exit 0 "--ages: 32 ages" -- "$SARX" simulate --population 1 --ages "$(seq -s, 26 57)"
# --rows holds every row until the end: a population whose rows would pass
# 1 GiB is refused at once, with the estimate, and no file is left
expect_exit 2 "--population 10^8 --rows" -- timeout 30 "$SARX" simulate --population 100000000 --rows "$T/big.csv"
expect_in "$T/err" "100000000 people x 3 ages = 300000000 rows, about 22.6 GiB held in memory" "--rows: the estimate"
expect_in "$T/err" "roughly 17 h of work with 1 thread" "--rows: the time estimate"
grep -Eq "at most (1.0 GiB|[0-9]+ MiB, half of this machine's memory)" "$T/err" && ok || no "--rows: the limit"
[ -e "$T/big.csv" ] && no "--rows refused but the file was created" || ok
expect_exit 2 "--rows just past 1 GiB" -- timeout 30 "$SARX" simulate --population 6000000 --threads 2 --rows "$T/big.csv"
expect_in "$T/err" "with 2 threads" "--rows: the estimate counts the threads"
# the same population without --rows holds nothing: it is not refused
# (stopped at once by the unwritable summary, which is opened first)
expect_exit 1 "unwritable --summary, before the work" -- timeout 20 "$SARX" simulate --population 5700000 --summary "$T/no/s.json"
expect_in "$T/err" "$T/no/s.json" "unwritable --summary: names the path"
expect_exit 1 "unwritable --summary removes --rows" -- timeout 20 "$SARX" simulate --population 100000 --rows "$T/r.csv" --summary "$T/no/s.json"
[ -e "$T/r.csv" ] && no "a failed population left its --rows file" || ok
# a --rows that cannot be written whole says so (it failed silently); a
# device is never removed
if [ -w /dev/full ]; then
    expect_exit 1 "--rows to a full device" -- "$SARX" simulate --population 20 --rows /dev/full
    expect_in "$T/err" "/dev/full: write failed" "--rows to a full device: names the file"
    [ -c /dev/full ] && ok || no "/dev/full was removed"
fi
# an option that the mode would ignore, or one given twice, is refused
expect_exit 2 "--steps without --pool" -- "$SARX" simulate --preset sedentary --steps 3
expect_in "$T/err" "--steps applies to --pool only" "names the option and its mode"
expect_exit 2 "--seed with --pool" -- "$SARX" simulate --pool 120 --seed 3
expect_exit 2 "--out with --population" -- "$SARX" simulate --population 10 --out "$T/x.csv"
expect_exit 2 "--threads without --population" -- "$SARX" simulate --preset sedentary --threads 2
expect_exit 2 "--pool and --population" -- "$SARX" simulate --pool 120 --population 10
expect_exit 2 "--seed twice" -- "$SARX" simulate --preset sedentary --seed 1 --seed 2
expect_in "$T/err" "--seed given twice" "names the repeated option"
printf '%s' '{"interventions": [{"type": "protein", "start_age": 60, "days": 30, "g_kg": 1.5}, {"type": "protein", "start_age": 60.01, "days": 30, "g_kg": 1.2}]}' >"$T/bad4.json"
expect_exit 1 "overlapping interventions" -- "$SARX" simulate --scenario "$T/bad4.json"
expect_in "$T/err" "overlaps interventions[0]" "names the overlap"
# Population output stays small (issue 27, item 7): the default --rows is
# --validate: every published target, a table, exit 1 when one fails (the
# default population is 40,000; 10,000 here; held-out targets known to
# fail, each with why); each row says calibrated or held out
expect_exit 1 "--validate" -- "$SARX" simulate --validate --population 10000 --threads 2
expect_in "$T/out" "grip, men 75 y, median (kg)" "--validate: a centile target"
expect_in "$T/out" "Baumgartner, men > 80 y (%)" "--validate: a prevalence target"
expect_in "$T/out" "held out" "--validate: held-out targets are marked"
expect_in "$T/out" "known to fail: " "--validate: a failure says why"
[ "$(grep -c ' FAIL ' "$T/out")" -eq "$(grep -c 'known to fail: ' "$T/out")" ] && ok || no "--validate: a failure that is not a known one"
expect_exit 2 "--validate --population 999" -- "$SARX" simulate --validate --population 999
expect_in "$T/err" "--population \"999\": with --validate, expected a whole number of people from 1000 to 1000000" "--validate: the population's range, named"
expect_exit 2 "--compare --population 1000001" -- "$SARX" simulate --compare --population 1000001
expect_in "$T/err" "from 1000 to 1000000" "--compare: the population's maximum"
expect_exit 1 "--compare: an unwritable --svg, before the work" -- timeout 10 "$SARX" simulate --compare --svg "$T/no/a.svg"
expect_in "$T/err" "$T/no/a.svg" "--compare: the unwritable --svg is named"
expect_exit 2 "--validate --ages" -- "$SARX" simulate --validate --ages 65
expect_exit 2 "--validate --compare" -- "$SARX" simulate --validate --compare
expect_exit 2 "--svg without --compare" -- "$SARX" simulate --population 10 --svg "$T/x.svg"
# --compare: every definition by age band and sex beside the published
# figures, and the spread as an SVG
expect_exit 0 "--compare" -- "$SARX" simulate --population 1000 --compare --svg "$T/spread.svg" --seed 2
expect_in "$T/out" "baumgartner1998" "--compare: Baumgartner's row"
expect_in "$T/out" "sdoc2020" "--compare: SDOC's row"
expect_in "$T/out" "Baumgartner 1998" "--compare: the published figures with their source"
expect_in "$T/spread.svg" "<svg" "--compare: the SVG"
expect_in "$T/spread.svg" "</svg>" "--compare: the SVG is whole"
if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout "$T/spread.svg" 2>"$T/xerr" && ok || no "--compare: the SVG is not well-formed: $(head -n 1 "$T/xerr")"
fi
awk 'length > 100 { bad = 1 } END { exit bad }' "$T/out" && ok || no "--compare: a line over 100 columns"
expect_in "$T/out" "own sex, age range and measured fields" "--compare: how the published figures are simulated"
expect_in "$T/spread.svg" "the spread between rows is the definitions' alone" "--compare: the SVG's caption"

# the compact CSV that `sarx cohort` reads (under 200 bytes a person an age,
# no row rejected, the same summary); the per-person detail (measurements
# and every definition's category at each age, JSON Lines) only with
# --detail, of the documented size, and agreeing with the summary.
expect_exit 0 "population with --rows and --detail" -- "$SARX" simulate --population 400 --ages 65,75,85 --seed 5 --threads 2 --rows "$T/pr.csv" --detail "$T/pd.jsonl" --summary "$T/ps.json"
head -n 1 "$T/pr.csv" | grep -qx "id,sex,age_years,height_cm,weight_kg,grip_kg,gait_speed_m_s,asm_kg,smm_kg,chair_stand_5x_s,sppb_score,asm_method" && ok || no "--rows: not the cohort CSV header"
expect_lines "$T/pr.csv" 1201 "--rows: one row a person an age + header"
b=$(wc -c <"$T/pr.csv")
[ $((b / 1200)) -lt 200 ] && ok || no "--rows: $b bytes for 1200 rows, 200 or more a row"
expect_exit 0 "cohort on the default rows" -- "$SARX" cohort "$T/pr.csv" --summary "$T/pc.json"
expect_lines "$T/pd.jsonl" 400 "--detail: one line a person"
python3 - "$T/ps.json" "$T/pc.json" "$T/pd.jsonl" <<'PY' && ok || no "--rows / --detail disagree with the population summary"
import json, sys
s, c = (json.load(open(f)) for f in sys.argv[1:3])
if c["rejected"] != 0 or c["rows"] != 1200 or s["definitions"] != c["definitions"]:
    sys.exit("cohort on --rows: %s rows, %s rejected" % (c["rows"], c["rejected"]))
people = [json.loads(l) for l in open(sys.argv[3])]
if [p["id"] for p in people] != ["p%d" % i for i in range(1, 401)]:
    sys.exit("--detail: ids not p1..p400 in order")
for d in s["definitions"]:
    want = {k: v["count"] for k, v in d["by"]["all"]["categories"].items()}
    got = {}
    for p in people:
        cats = p["categories"][d["definition"]]
        if len(cats) != 3 or p["age_years"] != [65, 75, 85]:
            sys.exit("--detail: not three ages")
        for x in cats:
            if x is not None:
                got[x] = got.get(x, 0) + 1
    if {k: v for k, v in want.items() if v} != got:
        sys.exit("--detail: %s counts %s, summary %s" % (d["definition"], got, want))
PY
b=$(wc -c <"$T/pd.jsonl")
[ $((b / 400)) -lt 1400 ] && ok || no "--detail: $b bytes for 400 people at three ages, documented about 1.3 KB a person"
"$SARX" simulate --population 400 --ages 65,75,85 --seed 5 --rows "$T/pr1.csv" >/dev/null
cmp -s "$T/pr.csv" "$T/pr1.csv" && ok || no "--detail changed the --rows file"
expect_exit 2 "--detail with one person" -- "$SARX" simulate --preset sedentary --detail "$T/x.jsonl"
expect_in "$T/err" "--detail applies to --population only" "--detail: names its mode"
expect_exit 2 "--detail past 1 GiB" -- timeout 30 "$SARX" simulate --population 2000000 --detail "$T/big.jsonl"
expect_in "$T/err" "--detail: 2000000 people x 3 ages, about" "--detail past the limit: the estimate"
[ -e "$T/big.jsonl" ] && no "--detail refused but the file was created" || ok
expect_exit 1 "unwritable --detail, before the work" -- timeout 20 "$SARX" simulate --population 100000 --rows "$T/r2.csv" --detail "$T/no/d.jsonl"
expect_in "$T/err" "$T/no/d.jsonl" "unwritable --detail: names the path"
[ -e "$T/r2.csv" ] && no "a failed population left its --rows file" || ok
# the published figures name the publication that quotes them, not a
# project file (issue 27, item 11)
expect_exit 0 "population aged 80 and more" -- "$SARX" simulate --population 50 --ages 82
expect_in "$T/out" "Kwan (Sarcopenia, a neurogenic syndrome?" "published figures: the review that quotes them"
expect_in "$T/out" "J Aging Res 2013;2013:791679" "published figures: the citation"
grep -qi "seed 0" "$T/out" && no "the output names a project source document" || ok
report
