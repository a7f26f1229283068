#!/bin/sh
# Rewrite the table of input fields in docs/INPUT.md from the code:
#   sh tools/docs-fields.sh build/sarx
# The table sits between the BEGIN and END comment lines; everything else
# in the file is left as it is.  tests/docs.sh fails when the two differ.
set -e
SARX=${1:?usage: sh tools/docs-fields.sh path/to/sarx}
DOC=${2:-docs/INPUT.md}
tmp=$(mktemp)
table=$(mktemp)
trap 'rm -f "$tmp" "$table"' EXIT
"$SARX" fields --format markdown >"$table"
awk -v T="$table" '
    /^<!-- BEGIN sarx fields --format markdown -->$/ {
        print; while ((getline l < T) > 0) print l; skip = 1; found = 1; next
    }
    /^<!-- END sarx fields -->$/ { skip = 0 }
    !skip { print }
    END { if (!found) { print "docs-fields: no BEGIN line in the file" > "/dev/stderr"; exit 1 } }' "$DOC" >"$tmp"
cat "$tmp" >"$DOC"
