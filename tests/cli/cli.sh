#!/bin/sh
# Black-box tests of the sarx command: exit statuses, one-line errors that
# name field, value and allowed range, JSON Lines, help and docs.
# usage: sh tests/cli/cli.sh path/to/sarx
SARX=${1:-build/sarx}
NAME="cli"
. "$(dirname "$0")/lib.sh"

# --- help, version, usage errors ---------------------------------------
expect_exit 0 "--version" -- "$SARX" --version
expect_in "$T/out" "sarx 0.1.0" "--version"
expect_exit 0 "--help" -- "$SARX" --help
expect_in "$T/out" "assess" "--help"
expect_exit 2 "no arguments" -- "$SARX"
expect_exit 2 "unknown command" -- "$SARX" frobnicate
expect_in "$T/err" "unknown command" "unknown command"
expect_exit 2 "unknown option" -- "$SARX" assess --frob
expect_exit 2 "bad format" -- "$SARX" assess --format xml
expect_exit 0 "assess --help" -- "$SARX" assess --help
expect_exit 0 "fields" -- "$SARX" fields
expect_in "$T/out" "grip_kg" "fields"
expect_in "$T/out" "weight_lb" "fields"

# --- the examples ------------------------------------------------------
for f in examples/*.json; do
    expect_exit 0 "assess $f" -- "$SARX" assess "$f"
    expect_in "$T/out" "Decision support" "assess $f"
    expect_in "$T/out" "EWGSOP2 (2019)" "assess $f"
    expect_exit 0 "assess --format json $f" -- "$SARX" assess --format json "$f"
    expect_lines "$T/out" 1 "json output is one line"
    expect_exit 0 "assess --explain $f" -- "$SARX" assess --explain "$f"
    expect_in "$T/out" "EWGSOP2-STR-GRIP" "--explain shows row ids"
done
# --- guidance ------------------------------------------------------------
expect_exit 0 "guidance text" -- "$SARX" assess examples/cachexia_man.json
expect_in "$T/out" "GUIDANCE" "guidance section in the text report"
expect_in "$T/out" "Likely contributors:" "causes in the text report"
expect_in "$T/out" "Protein 89-112 g/day" "protein from 74.5 kg at 1.2-1.5 g/kg"
expect_exit 0 "guidance json" -- "$SARX" assess --format json examples/cachexia_man.json
expect_in "$T/out" '"guidance":{"causes":[' "guidance section in JSON"
expect_in "$T/out" '"id":"cachexia_treatment"' "cachexia treatment information"
expect_exit 0 "--no-guidance" -- "$SARX" assess --no-guidance examples/cachexia_man.json
if grep -q "GUIDANCE" "$T/out"; then no "--no-guidance still prints guidance"; else ok; fi
expect_exit 0 "--no-guidance json" -- "$SARX" assess --no-guidance --format json examples/cachexia_man.json
if grep -q '"guidance"' "$T/out"; then no "--no-guidance still writes guidance"; else ok; fi
printf '%s\n%s\n' '{"age_years":70}' '{"age_years":71}' >"$T/two.jsonl"
expect_exit 0 "--no-guidance JSON Lines" -- "$SARX" assess --no-guidance "$T/two.jsonl"
if grep -q '"guidance"' "$T/out"; then no "--no-guidance ignored for JSON Lines"; else ok; fi
expect_exit 0 "JSON Lines with guidance" -- "$SARX" assess "$T/two.jsonl"
expect_in "$T/out" '"guidance"' "JSON Lines carry guidance"
echo '{"sex":"male","age_years":30,"height_cm":175,"grip_kg":20,"asm_kg":18,"dyspnea":true}' >"$T/rf.json"
expect_exit 0 "red flags" -- "$SARX" assess "$T/rf.json"
expect_in "$T/out" "RED FLAGS: prompt clinical review" "red flags heading"
expect_in "$T/out" "possible: Muscle wasting in a young adult" "a possible red flag"
expect_in "$T/out" "to decide: activity_level,immobilized_days" "what would decide it"

expect_exit 0 "stdin" -- sh -c "\"$SARX\" assess - < examples/healthy_adult.json"
expect_in "$T/out" "no sarcopenia" "stdin"
expect_exit 0 "pretty" -- "$SARX" assess --format json --pretty examples/healthy_adult.json
expect_in "$T/out" '  "sarx_version"' "pretty"

# --- bad input: exit 1, one line on stderr naming field, value, range --
bad() { # bad NAME JSON EXPECTED-TEXT...
    name=$1; json=$2; shift 2
    printf '%s\n' "$json" >"$T/in.json"
    expect_exit 1 "$name" -- "$SARX" assess "$T/in.json"
    expect_lines "$T/err" 1 "$name: one-line error"
    for t in "$@"; do expect_in "$T/err" "$t" "$name"; done
}
bad "unknown field" '{"grip_kgs": 20}' 'unknown field "grip_kgs"' 'did you mean "grip_kg"'
bad "wrong type" '{"grip_kg": "20"}' 'field "grip_kg"' 'expected a number' '"20"'
bad "out of range" '{"grip_kg": 150}' 'field "grip_kg"' 'value 150' 'allowed 0-100 kg'
bad "below range" '{"age_years": 17}' 'field "age_years"' 'value 17' 'allowed 18-120 years'
bad "unit conflict" '{"weight_kg": 70, "weight_lb": 154}' 'weight_lb' 'weight_kg' 'conflicts'
bad "malformed JSON" '{"grip_kg": 20,, }' 'malformed JSON' "$T/in.json:1:"
bad "numeric sex" '{"sex": 1}' 'field "sex"' 'male|female'
bad "unknown sex" '{"sex": "x"}' 'field "sex"' '"x"' 'male|female'
bad "bad date" '{"assessment_date": "2026-02-30"}' 'assessment_date' '2026-02-30' 'YYYY-MM-DD'
bad "not an object" '[1, 2]' 'expected a JSON object'
bad "history key" '{"weight_history": [{"date": "2026-01-01", "kg": 70}]}' 'weight_history[0]' '"kg"'
bad "sarc-f item" '{"sarc_f_falls": 3}' 'sarc_f_falls' 'allowed 0-2'
printf '' >"$T/empty.json"
expect_exit 1 "empty file" -- "$SARX" assess "$T/empty.json"
expect_in "$T/err" "empty input" "empty file"
printf '  \n\n' >"$T/blank.json"
expect_exit 1 "blank file" -- "$SARX" assess "$T/blank.json"
expect_exit 1 "missing file" -- "$SARX" assess "$T/nope.json"
expect_in "$T/err" "nope.json" "missing file"
printf '{"grip_kg": 150}\n' >"$T/in.json"
expect_exit 1 "error as JSON" -- "$SARX" assess --format json "$T/in.json"
expect_in "$T/out" '"field":"grip_kg"' "error as JSON"
expect_in "$T/out" '"allowed":"0-100 kg"' "error as JSON"

printf '\357\273\277{"sex": "male", "grip_kg": 40}\r\n' >"$T/bom.json"
expect_exit 0 "UTF-8 BOM and CRLF" -- "$SARX" assess "$T/bom.json"
expect_in "$T/out" "no sarcopenia" "UTF-8 BOM and CRLF"

cat >"$T/pretty_bad.json" <<'PJ'
{
  "sex": "male",
  "weight_history": [
    {"date": "2026-01-01", "weight_kg": 80}
  ],
  "grip_kg": 30,
}
PJ
expect_exit 1 "pretty object with a trailing comma" -- "$SARX" assess "$T/pretty_bad.json"
expect_lines "$T/err" 1 "pretty object: one error, not one per line"
expect_in "$T/err" "pretty_bad.json:7:" "pretty object: the document's own line"

printf '\n\n{\n "grip_kg": 20,,\n}\n' >"$T/lead.json"
expect_exit 1 "blank lines before a document" -- "$SARX" assess "$T/lead.json"
expect_in "$T/err" "lead.json:4:" "blank lines before a document: the line counts them"
printf '{"sex": "male", "grip_kg": 40}\n\n\n' >"$T/one.jsonl"
expect_exit 0 "one line and blank lines: one subject" -- "$SARX" assess "$T/one.jsonl"
expect_in "$T/out" "Decision support" "one line and blank lines: a text report"

# --- JSON Lines: bad records reported and skipped, good ones kept ------
cat >"$T/batch.jsonl" <<'JL'
{"id": "a", "sex": "male", "grip_kg": 40}
{"id": "b", "sex": "male", "grip_kg": 400}

{"id": "c", "sex": "female", "grip_kg": 10}
not json
{"id": "d", "sex": "female", "grip_kg": 30}
JL
expect_exit 1 "jsonl with bad records" -- "$SARX" assess "$T/batch.jsonl"
expect_lines "$T/out" 5 "jsonl: one output line per record"
expect_in "$T/err" "record 2 (line 2)" "jsonl: names the record and line"
expect_in "$T/err" "record 4 (line 5)" "jsonl: syntax error record"
expect_lines "$T/err" 2 "jsonl: one stderr line per bad record"
expect_in "$T/out" '"id":"c"' "jsonl: good record after a bad one"
expect_in "$T/out" '"id":"d"' "jsonl: last record"
head -n 1 "$T/batch.jsonl" >"$T/good.jsonl"
sed -n 4p "$T/batch.jsonl" >>"$T/good.jsonl"
expect_exit 0 "jsonl all good" -- "$SARX" assess "$T/good.jsonl"
expect_lines "$T/out" 2 "jsonl all good"
expect_exit 0 "jsonl as text" -- "$SARX" assess --format text "$T/good.jsonl"
expect_in "$T/out" "sarx 0.1.0 assessment: c" "jsonl as text"

# JSON Lines whose first record is malformed: JSON Lines all the same, every
# good record assessed, every bad one reported with its line (issue 25).
{
    printf '\n{"id": "r1", "age_years": 70,\n'
    i=2; while [ $i -le 1000 ]; do printf '{"id": "r%d", "sex": "male", "grip_kg": 40}\n' $i; i=$((i + 1)); done
} >"$T/bad1.jsonl"
expect_exit 1 "jsonl, the first record malformed" -- "$SARX" assess "$T/bad1.jsonl"
expect_lines "$T/out" 1000 "jsonl, the first record malformed: 999 results and the error"
[ "$(grep -c '"id":"r' "$T/out")" -eq 999 ] && ok ||
    no "jsonl, the first record malformed: 999 records assessed"
expect_in "$T/err" "record 1 (line 2): malformed JSON" "jsonl, the first record malformed: its line"
expect_lines "$T/err" 1 "jsonl, the first record malformed: one error"
expect_exit 1 "jsonl, the first record malformed, from stdin" -- sh -c '"$1" assess - <"$2"' sh "$SARX" "$T/bad1.jsonl"
expect_lines "$T/out" 1000 "jsonl from stdin, the first record malformed"
# a first record that is JSON but refused for a value that does not parse
printf '{"assessment_date": "x"}\n{"id": "b", "sex": "female", "grip_kg": 30}\n' >"$T/bad2.jsonl"
expect_exit 1 "jsonl, the first record's date bad" -- "$SARX" assess "$T/bad2.jsonl"
expect_in "$T/out" '"id":"b"' "jsonl, the first record's date bad: the second assessed"
expect_in "$T/err" "record 1 (line 1)" "jsonl, the first record's date bad: reported"
# two bad records of four, the first among them
printf '{"id": \n{"id": "b"}\n{"id": "c", "grip_kg": 999}\n{"id": "d"}\n' >"$T/bad3.jsonl"
expect_exit 1 "jsonl, bad records first and third" -- "$SARX" assess "$T/bad3.jsonl"
expect_in "$T/out" '"id":"b"' "jsonl, bad first and third: b"
expect_in "$T/out" '"id":"d"' "jsonl, bad first and third: d"
expect_in "$T/err" "record 3 (line 3)" "jsonl, bad first and third: the third"
# a pretty-printed object stays one document, whatever its lines
printf '{\n  "id": "p",\n  "sex": "male",\n  "grip_kg": 40\n}\n' >"$T/pretty.json"
expect_exit 0 "pretty object" -- "$SARX" assess --format json "$T/pretty.json"
expect_lines "$T/out" 1 "pretty object: one result"

# --- definitions and generated docs ------------------------------------
expect_exit 0 "definitions" -- "$SARX" definitions
expect_in "$T/out" "EWGSOP2-STR-GRIP-M" "definitions text"
expect_exit 0 "definitions json" -- "$SARX" definitions --format json
expect_in "$T/out" '"id": "glim2019"' "definitions json"
expect_exit 2 "definitions bad format" -- "$SARX" definitions --format pdf
expect_exit 0 "definitions markdown" -- "$SARX" definitions --format markdown
if cmp -s "$T/out" docs/DEFINITIONS.md; then ok; else no "docs/DEFINITIONS.md is stale: run 'make docs'"; fi


# --- the text report a clinician reads (issue 27 items 11, 2) -------------------
# Categories in words (the ids stay in JSON); "to decide" names input fields,
# sex among them when the sex is what is open, never a criterion id.
expect_exit 0 "report words" -- "$SARX" assess examples/frail_woman.json
expect_in "$T/out" "EWGSOP2 (2019): severe sarcopenia" "report words: the detail heading"
expect_in "$T/out" "malnutrition, severe" "report words: GLIM"
sed -n '/^  definition /,/^$/p' "$T/out" >"$T/summary"
if grep -q 'severe_sarcopenia\|malnutrition_severe\|no_sarcopenic_obesity' "$T/summary"; then
    no "report words: a category id in the text summary"; else ok; fi
expect_exit 0 "report words json" -- "$SARX" assess --format json examples/frail_woman.json
expect_in "$T/out" '"category":"severe_sarcopenia"' "report words: the id stays in JSON"
echo '{"age_years":70,"grip_kg":20}' >"$T/nosex.json"
expect_exit 0 "to decide: sex" -- "$SARX" assess "$T/nosex.json"
sed -n '/^  definition /,/^$/p' "$T/out" >"$T/summary"
if grep -q '^  SDOC (2020) *indeterminate *sex, gait_speed_m_s$' "$T/summary"; then ok; else
    no "to decide: sex and the field, as the summary's last column"; grep SDOC "$T/summary" >&2; fi
# no criterion id of any definition (but those named as a field) in the summary's last column
"$SARX" definitions --format json | python3 -c '
import json, sys
defs = json.load(sys.stdin)["definitions"]
fields = {r["measure"] for d in defs for r in d["rows"]}  # (a criterion may share a field name: fatigue)
ids = {c["id"] for d in defs for c in d["criteria"]} - fields
bad = [l for l in open(sys.argv[1]) if any(w.strip(",") in ids for w in l.split()[3:])]
sys.exit(1 if bad else 0)' "$T/summary" && ok || no "to decide: a criterion id in the summary"
# Nothing a clinician sees cites the project's own source notes.
printf '%s\n' '{"sex":"male","age_years":72,"height_cm":170,"weight_kg":60,"grip_kg":20,"fasciculations":true,"conditions":["cirrhosis"],"weight_loss_pct_6m":8}' >"$T/cite.json"
expect_exit 0 "citations" -- "$SARX" assess --explain "$T/cite.json"
if grep -q 'seed 0[0-4]\|spec[/]' "$T/out"; then no "citations: project-source wording in the report"; else ok; fi
expect_in "$T/out" "Kwan P. Sarcopenia, a neurogenic syndrome? J Aging Res 2013" "citations: the review by its publication"
expect_in "$T/out" "Mitchell et al., Front Physiol 2012" "citations: age-related loss, a publication"
expect_in "$T/out" "Brooks et al. (El Escorial revisited)" "citations: fasciculations, a publication"

# --- assess --definitions LIST (issue 27, item 17) ---------------------------
expect_exit 0 "assess --definitions" -- "$SARX" assess --definitions awgs2019,EWGSOP2 examples/frail_woman.json
expect_in "$T/out" "EWGSOP2 (2019)" "--definitions: EWGSOP2 kept"
expect_in "$T/out" "AWGS 2019:" "--definitions: AWGS 2019 kept"
if grep -qE "^ *(GLIM|EWGSOP1|AWGS 2025|Fearon|SARC-F|SARC-CalF|Evans|Janssen)" "$T/out"; then no "--definitions: other definitions in the text"; else ok; fi
if grep -q "GUIDANCE" "$T/out"; then no "--definitions: guidance reads every definition, left out"; else ok; fi
expect_in "$T/out" "Guidance: left out, because it reads the results of every definition" "--definitions: says why"
# the registry's order, whatever the list's; the same rows as the full report
sed -n '/^  definition /,/^$/p' "$T/out" | sed -n '2p' | grep -q "^  EWGSOP2 (2019)" && ok || no "--definitions: registry order"
"$SARX" assess examples/frail_woman.json >"$T/full.txt" 2>/dev/null
for d in "EWGSOP2 (2019):" "AWGS 2019:"; do
    sed -n "/^$d/,/^\$/p" "$T/full.txt" >"$T/want"
    sed -n "/^$d/,/^\$/p" "$T/out" >"$T/got"
    if [ -s "$T/want" ] && cmp -s "$T/want" "$T/got"; then ok; else no "--definitions: $d differs from the full report"; fi
done
# JSON: only those results, each as in the full run; =VALUE form; kinds
expect_exit 0 "assess --definitions=cachexia json" -- "$SARX" assess --format json --definitions=cachexia examples/cachexia_man.json
expect_lines "$T/out" 1 "--definitions json: one line"
expect_in "$T/out" '"results":[{"definition":"evans2008"' "--definitions json: a kind in registry order"
if [ "$(grep -o '"definition":"[a-z0-9_]*"' "$T/out" | tr '\n' ' ')" = '"definition":"evans2008" "definition":"evans2008_7" "definition":"fearon2011" ' ]; then ok; else no "--definitions json: exactly the cachexia definitions"; fi
if grep -q '"guidance"' "$T/out"; then no "--definitions json: guidance left out"; else ok; fi
if command -v jq >/dev/null 2>&1; then
    "$SARX" assess --format json examples/cachexia_man.json | jq -c '[.results[] | select(.definition | test("^(evans2008|evans2008_7|fearon2011)$"))]' >"$T/want"
    jq -c '.results' "$T/out" >"$T/got"
    if cmp -s "$T/want" "$T/got"; then ok; else no "--definitions json: results differ from the full run"; fi
fi
# JSON Lines: every record holds only the selection; a bad record still reported
printf '{"id": "a", "sex": "male", "grip_kg": 20}\n{"id": "b", "grip_kg": 999}\n{"id": "c", "sex": "female"}\n' >"$T/sel.jsonl"
expect_exit 1 "assess --definitions jsonl" -- "$SARX" assess --definitions " glim2019 , Sarc_F " "$T/sel.jsonl"
expect_lines "$T/out" 3 "--definitions jsonl: two results and one error"
if [ "$(grep '"results":\[{"definition":"sarc_f",' "$T/out" | grep -c '"definition":"glim2019"')" -eq 2 ]; then ok; else no "--definitions jsonl: sarc_f and glim2019 in each result"; fi
if grep -q '"ewgsop2"' "$T/out"; then no "--definitions jsonl: others left out"; else ok; fi
expect_in "$T/err" "record 2 (line 2)" "--definitions jsonl: the bad record named"
# every definition named (by kinds): the whole report, guidance included
expect_exit 0 "assess --definitions every kind" -- "$SARX" assess --definitions sarcopenia,phenotype,screening,cachexia,malnutrition,sarcopenic_obesity examples/cachexia_man.json
"$SARX" assess examples/cachexia_man.json >"$T/full.txt" 2>/dev/null
if cmp -s "$T/out" "$T/full.txt"; then ok; else no "--definitions naming every definition: the full report"; fi
# bad lists: usage errors that name the list and what there is
expect_exit 2 "assess --definitions unknown" -- "$SARX" assess --definitions ewgsop2,frailty examples/frail_woman.json
expect_in "$T/err" 'sarx assess: definitions: unknown name "frailty" (ids: ewgsop2,ewgsop1,' "--definitions unknown: named"
expect_in "$T/err" "kinds: sarcopenia,phenotype,screening,cachexia,malnutrition,sarcopenic_obesity)" "--definitions unknown: kinds listed"
if [ -s "$T/out" ]; then no "--definitions unknown: nothing assessed"; else ok; fi
expect_exit 2 "assess --definitions empty" -- "$SARX" assess --definitions "" examples/frail_woman.json
expect_in "$T/err" "definitions: empty list (ids: " "--definitions empty"
expect_exit 2 "assess --definitions empty name" -- "$SARX" assess --definitions "ewgsop2,,glim2019" examples/frail_woman.json
expect_in "$T/err" 'name 2 of "ewgsop2,,glim2019" is empty' "--definitions empty name"
expect_exit 2 "assess --definitions without a value" -- "$SARX" assess --definitions
expect_in "$T/err" "--definitions needs a value" "--definitions without a value"
expect_exit 0 "assess --help lists --definitions" -- "$SARX" assess --help
expect_in "$T/out" "--definitions LIST" "assess --help: --definitions"

report
