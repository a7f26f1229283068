#!/bin/sh
# Black-box tests of the figures `sarx cohort --plot` and `sarx simulate
# --plot` write: an SVG and a PNG of each, the PNG 180 mm wide at 300 dpi
# (2126 pixels), and the simulator's intervention marked.  (tests/plots.c
# checks the figures themselves through the C API.)
# usage: sh tests/cli/plots.sh path/to/sarx
SARX=${1:-build/sarx}
NAME="plots cli"
. "$(dirname "$0")/lib.sh"

# png_ok FILE DESCRIPTION: the PNG signature, then IHDR's width (bytes 16-19)
png_ok() {
    if [ "$(od -An -tx1 -N8 "$1" 2>/dev/null | tr -d ' \n')" = "89504e470d0a1a0a" ]; then ok; else no "$2: not a PNG"; return; fi
    w=$(od -An -tu1 -j16 -N4 "$1" | awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }')
    [ "$w" -eq 2126 ] && ok || no "$2: $w pixels wide, expected 2126 (180 mm at 300 dpi)"
}

expect_exit 0 "synth" -- "$SARX" synth 500 --seed 5 -o "$T/c.csv"
expect_exit 0 "cohort --plot" -- "$SARX" cohort "$T/c.csv" --plot "$T/co"
for f in prevalence agreement; do
    expect_in "$T/co/$f.svg" 'width="180.0mm"' "$f.svg: a journal column wide"
    expect_in "$T/co/$f.svg" 'EWGSOP2 (2019)' "$f.svg: definitions by their titles"
    png_ok "$T/co/$f.png" "$f.png"
done
expect_exit 0 "simulate --plot" -- "$SARX" simulate --preset resistance_training_6mo --plot "$T/sim" --out "$T/rt.csv"
expect_in "$T/sim/trajectories.svg" 'class="intervention"' "the training is marked"
expect_in "$T/sim/trajectories.svg" '>resistance training<' "and labelled"
png_ok "$T/sim/trajectories.png" "trajectories.png"

# well_formed FILE DESCRIPTION: xmllint's word where it is installed
well_formed() {
    command -v xmllint >/dev/null 2>&1 || return 0
    if xmllint --noout "$1" 2>"$T/xmllint.err"; then ok; else no "$2: not well-formed: $(head -1 "$T/xmllint.err")"; fi
}
well_formed "$T/co/prevalence.svg" "prevalence.svg"
well_formed "$T/co/agreement.svg" "agreement.svg"
well_formed "$T/sim/trajectories.svg" "trajectories.svg"

# A scenario's name as the user wrote it: a control character, and a name
# cut to its 63 bytes in the middle of a character (62 a, then e-acute),
# once gave an SVG librsvg refused: no PNG, exit 1.
printf '{"name": "bad\\u0001name"}\n' >"$T/ctl.json"
printf '{"name": "%s\\u00e9"}\n' aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa >"$T/cut.json"
for s in ctl cut; do
    expect_exit 0 "simulate --scenario $s.json --plot" -- "$SARX" simulate --scenario "$T/$s.json" --plot "$T/$s" --out "$T/$s.csv"
    well_formed "$T/$s/trajectories.svg" "$s: trajectories.svg"
    png_ok "$T/$s/trajectories.png" "$s: trajectories.png"
done
expect_in "$T/ctl/trajectories.svg" '>sarx simulate: badname (seed ' "the control character left out"

# Two rows: a definition with no decided reading (GLIM) or one category only
# (FNIH: both negative) is grey "-" against itself, not 1.00.
printf 'sex,age_years,grip_kg,gait_speed_m_s,height_cm,weight_kg,asm_kg\nfemale,80,12,0.5,160,50,11\nmale,30,50,1.4,180,80,25\n' >"$T/two.csv"
expect_exit 0 "cohort --plot, two rows" -- "$SARX" cohort "$T/two.csv" --plot "$T/two"
# cell FILE ROW COLUMN FILL DESCRIPTION: the agreement cell's fill
cell() {
    if grep -q "data-row=\"$2\" data-column=\"$3\" [^>]*fill=\"$4\"" "$1"; then ok; else no "$5"; fi
}
cell "$T/two/agreement.svg" glim2019 glim2019 '#cccccc' "glim2019 with itself: kappa undefined, grey"
cell "$T/two/agreement.svg" fnih2014 fnih2014 '#cccccc' "fnih2014 with itself: kappa undefined, grey"
cell "$T/two/agreement.svg" ewgsop2 ewgsop2 '#2166b4' "ewgsop2 with itself: 1"
report
