#!/bin/sh
# Black-box tests of FHIR input to `sarx assess` (docs/FHIR.md, "In"):
# --input fhir and the automatic reading of a Bundle, --as-of, the date
# and notes stated (text: before the report; json/fhir: on stderr, the
# JSON unchanged), errors naming resource, id and path (exit status 1),
# and --format fhir / --suggest-conditions wired to sarx_fhir_bundle.
# usage: sh tests/cli/fhir.sh path/to/sarx
SARX=${1:-build/sarx}
NAME="fhir cli"
. "$(dirname "$0")/lib.sh"
B=tests/fhir/in/patient.json

expect_exit 0 "a Bundle, automatically" -- "$SARX" assess "$B"
expect_in "$T/out" "FHIR: Patient/p1, assessment date 2026-03-01 (latest weight), 11 resources used" "date stated"
expect_in "$T/out" "FHIR note: Observation/w-pre: status preliminary, ignored" "preliminary noted"
expect_in "$T/out" "FHIR note: Observation/w-err: status entered-in-error, ignored" "entered-in-error noted"
expect_in "$T/out" "weight loss 6 mo 5.15 %" "history from the weights"
expect_in "$T/out" "Fearon cancer cachexia (2011)            cachexia" "Fearon from the ICD-10-CM cancer"

expect_exit 0 "--input fhir from stdin" -- sh -c "\"$SARX\" assess --input fhir - < $B"
expect_in "$T/out" "assessment date 2026-03-01" "stdin"

expect_exit 0 "--as-of" -- "$SARX" assess --as-of 2025-12-01 "$B"
expect_in "$T/out" "assessment date 2025-12-01 (as_of)" "--as-of stated"
expect_in "$T/out" "Observation/w3: dated 2026-03-01, after the assessment date 2025-12-01, ignored" "later left out"

expect_exit 0 "json: stderr holds the FHIR lines" -- "$SARX" assess --format json "$B"
expect_in "$T/err" "sarx: FHIR: Patient/p1, assessment date 2026-03-01" "stderr"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["subject"]["id"] == "p1" if "subject" in d else True' "$T/out" \
    && ok || no "the JSON output is one JSON document"

expect_exit 0 "--format fhir" -- "$SARX" assess --format fhir "$B"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["resourceType"] == "Bundle"' "$T/out" \
    && ok || no "--format fhir writes a Bundle"
expect_exit 0 "--suggest-conditions" -- "$SARX" assess --format fhir --suggest-conditions "$B"
expect_in "$T/out" '"Condition"' "a suggested Condition"

printf '{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Observation", "id": "w", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]}, "effectiveDateTime": "2026-01-01", "valueQuantity": {"value": "72", "code": "kg"}}}]}' >"$T/bad.json"
expect_exit 1 "a wrong type" -- "$SARX" assess "$T/bad.json"
expect_in "$T/err" 'Observation/w (entry[0].resource.valueQuantity.value): expected a number, got text "72"' "type error named"
head -c 200 "$B" >"$T/cut.json"
expect_exit 1 "a truncated Bundle" -- "$SARX" assess --input fhir "$T/cut.json"
expect_in "$T/err" "FHIR: malformed JSON at line" "truncated"
expect_exit 2 "--as-of on sarx JSON" -- "$SARX" assess --as-of 2026-01-01 examples/frail_woman.json

# The subject itself as FHIR (--format fhir-inputs) and back through
# --input fhir: the same category and completeness under every definition
# (tests/fhir_roundtrip does it for every vector input through the library).
for f in examples/*.json; do
    "$SARX" assess --format json "$f" >"$T/direct.json" 2>/dev/null
    "$SARX" assess --format fhir-inputs --as-of 2026-01-15 "$f" >"$T/inputs.json" 2>"$T/err"
    "$SARX" assess --input fhir --format json "$T/inputs.json" >"$T/back.json" 2>/dev/null
    if python3 -c 'import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
cats = lambda d: {r["definition"]: (r["category"], r["complete"]) for r in d["results"]}
sys.exit(0 if cats(a) == cats(b) and len(cats(a)) > 10 else 1)' "$T/direct.json" "$T/back.json"; then
        ok
    else
        no "$f: through --format fhir-inputs and --input fhir, the same results"
    fi
done
expect_exit 0 "--format fhir-inputs without a date" -- "$SARX" assess --format fhir-inputs examples/healthy_adult.json
expect_in "$T/err" "no assessment_date: the Observations carry no date" "undated inputs said"
expect_in "$T/out" '"resourceType":"Bundle"' "a Bundle"
expect_exit 2 "--as-of not a date" -- "$SARX" assess --as-of 1.1.2026 "$B"
expect_exit 2 "--input unknown" -- "$SARX" assess --input hl7 "$B"
report
