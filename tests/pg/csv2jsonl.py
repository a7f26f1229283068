"""A cohort CSV of `sarx synth` as JSON subjects, one per line (for COPY),
and the CSV rows kept, for `sarx cohort` (tests/pg/run.sh).

    python3 csv2jsonl.py FIELDS.json IN.csv KEPT.csv > SUBJECTS.jsonl

FIELDS.json is `sarx fields --format json`.  A cell becomes a JSON number
when the field is a number and the cell spells a JSON number, true/false
for a bool spelled true/false, a string otherwise (so a cell that is not a
number stays wrong: the library rejects it, as sarx cohort rejects the
row); an empty cell is left out (missing); columns that are not fields are
left out (sarx cohort ignores them).  A row whose field count is not the
header's has no JSON form: it is dropped from both outputs.
"""
import csv
import json
import re
import sys

NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\Z")


def main():
    fields = {f["name"]: f for f in json.load(open(sys.argv[1]))}
    with open(sys.argv[2], newline="") as src, open(sys.argv[3], "w", newline="") as kept:
        rows = csv.reader(src)
        header = next(rows)
        out = csv.writer(kept, lineterminator="\n")
        out.writerow(header)
        for row in rows:
            if len(row) != len(header):
                continue
            out.writerow(row)
            items = []
            for name, cell in zip(header, row):
                f = fields.get(name)
                if f is None or cell == "":
                    continue
                kind = f["kind"]
                if kind in ("number", "integer") and NUMBER.match(cell):
                    value = cell
                elif kind == "bool" and cell in ("true", "false"):
                    value = cell
                else:
                    value = json.dumps(cell)
                items.append("%s: %s" % (json.dumps(name), value))
            line = "{" + ", ".join(items) + "}"
            # COPY's text format: backslashes doubled
            print(line.replace("\\", "\\\\"))


main()
