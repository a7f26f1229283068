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
printf '%s' '{"interventions": [{"type": "protein", "start_age": 60, "days": 30, "g_kg": 1.5}, {"type": "protein", "start_age": 60.01, "days": 30, "g_kg": 1.2}]}' >"$T/bad4.json"
expect_exit 1 "overlapping interventions" -- "$SARX" simulate --scenario "$T/bad4.json"
expect_in "$T/err" "overlaps interventions[0]" "names the overlap"
report
