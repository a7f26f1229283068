#!/bin/sh
# Black-box tests of `sarx cohort` and `sarx synth`.
# usage: sh tests/cli/cohort.sh path/to/sarx
SARX=${1:-build/sarx}
NAME="cohort cli"
. "$(dirname "$0")/lib.sh"

# --- synth is deterministic ------------------------------------------------
expect_exit 0 "synth" -- "$SARX" synth 3000 --seed 11 -o "$T/a.csv"
"$SARX" synth 3000 --seed 11 >"$T/b.csv"
if cmp -s "$T/a.csv" "$T/b.csv"; then ok; else no "synth: same seed, different files"; fi
expect_lines "$T/a.csv" 3001 "synth: 3000 rows and a header"
expect_exit 2 "synth without N" -- "$SARX" synth
# Counts and seeds are plain digits in range: "-1" used to wrap to 2^64-1
# and "1e5" to be read as 1 (issue 25, item 19's sibling in synth).
expect_exit 2 "synth --seed -1" -- "$SARX" synth 3 --seed -1
expect_in "$T/err" '--seed "-1": expected a whole number from 0 to 18446744073709551615' "synth: the seed named"
expect_exit 2 "synth --seed 1e3" -- "$SARX" synth 3 --seed 1e3
expect_exit 2 "synth --seed past 2^64-1" -- "$SARX" synth 3 --seed 18446744073709551616
expect_exit 0 "synth --seed 2^64-1" -- "$SARX" synth 3 --seed 18446744073709551615
expect_exit 2 "synth N 1e5" -- "$SARX" synth 1e5
expect_in "$T/err" 'N "1e5": expected a whole number from 0 to 1000000000' "synth: N named with its range"
# A build without the limit would write rows for hours: the file-size
# limit (1 MB) and the timeout make that a failure here, not a full disk.
expect_exit 2 "synth N past the limit" -- timeout 20 sh -c 'ulimit -f 2048; exec "$0" synth 2000000000' "$SARX"
expect_exit 2 "synth --bad empty" -- "$SARX" synth 3 --bad ""
expect_in "$T/err" '--bad "": expected a fraction from 0 to 1' "synth: --bad named"
expect_exit 2 "synth --bad nan" -- "$SARX" synth 3 --bad nan

# --- a clean cohort ---------------------------------------------------------
expect_exit 0 "cohort" -- "$SARX" cohort "$T/a.csv" -o "$T/rows1.csv" --summary "$T/s1.json" --plot "$T/plots"
expect_in "$T/out" "3000 rows classified, 0 rejected" "cohort summary line"
expect_in "$T/out" "ewgsop2" "summary table"
expect_in "$T/err" "ignoring 1 column that sarx does not use: site" "unknown column named once"
expect_lines "$T/rows1.csv" 3001 "rows.csv: one line per row"
expect_in "$T/rows1.csv" "row,line,id,ewgsop2,ewgsop2_complete,ewgsop1" "rows.csv header"
expect_in "$T/s1.json" '"definition": "glim2019"' "summary json"
expect_in "$T/s1.json" '"ci95"' "summary json has intervals"
expect_in "$T/s1.json" '"kappa"' "summary json has kappa"
expect_in "$T/plots/prevalence.svg" "</svg>" "prevalence plot"
expect_in "$T/plots/agreement.svg" "</svg>" "agreement plot"

# The summary's counts, tallied again from rows.csv and the input's sex and
# age: every stratum, category, incomplete, positive and decided count,
# and every agreement table.
python3 - "$T/a.csv" "$T/rows1.csv" "$T/s1.json" <<'PY' && ok || no "summary counts differ from a tally of rows.csv"
import csv, json, sys
inp = list(csv.DictReader(open(sys.argv[1])))
rows = list(csv.DictReader(open(sys.argv[2])))
summ = json.load(open(sys.argv[3]))
bands = [(0, 30, "18-29"), (30, 40, "30-39"), (40, 50, "40-49"), (50, 60, "50-59"),
         (60, 70, "60-69"), (70, 80, "70-79"), (80, 10**9, "80+")]
def strata(r):
    sex = {"male": "male", "female": "female", "": "sex unknown"}[r["sex"]]
    age = r["age_years"]
    band = "age unknown" if age == "" else next(n for lo, hi, n in bands if lo <= int(float(age)) < hi)
    return ("all", sex, band)
bad = []
reading = {}
for d in summ["definitions"]:
    did, pos = d["definition"], set(d["positive_categories"])
    tally = {}
    for r in rows:
        cat, cpl = r[did], r[did + "_complete"] == "true"
        decided = cat in pos or (cpl and cat not in ("indeterminate", "not_applicable"))
        reading[(did, r["row"])] = (cat in pos) if decided else None
        for st in strata(inp[int(r["row"]) - 1]):
            t = tally.setdefault(st, {"n": 0, "indeterminate": 0, "incomplete": 0, "reading": 0, "positive": 0, "cats": {}})
            t["n"] += 1
            t["indeterminate"] += cat == "indeterminate"
            t["incomplete"] += not cpl
            t["reading"] += decided
            t["positive"] += cat in pos
            if cat != "indeterminate":
                t["cats"][cat] = t["cats"].get(cat, 0) + 1
    for st, j in d["by"].items():
        t = tally.get(st, {"n": 0, "indeterminate": 0, "incomplete": 0, "reading": 0, "positive": 0, "cats": {}})
        got = (j["n"], j["indeterminate"], j["decided"], j["incomplete"], j["reading_decided"], j["positive"]["count"],
               {c: v["count"] for c, v in j["categories"].items() if v["count"]})
        want = (t["n"], t["indeterminate"], t["n"] - t["indeterminate"], t["incomplete"], t["reading"], t["positive"], t["cats"])
        if got != want:
            bad.append((did, st, got, want))
    if set(tally) - set(d["by"]):
        bad.append((did, "strata missing from the summary", sorted(set(tally) - set(d["by"]))))
# each stratum's kind, named beside it (stratum_kinds), so no reader guesses it from the name
kinds = summ.get("stratum_kinds", {})
if list(kinds) != summ["strata"]:
    bad.append(("stratum_kinds names", list(kinds), summ["strata"]))
for st, k in kinds.items():
    want = "all" if st == "all" else "sex" if st in ("male", "female", "sex unknown") else "age_band"
    if k != want:
        bad.append(("stratum kind", st, k, want))
for a in summ["agreement"]:
    tab = [[0, 0], [0, 0]]
    for r in rows:
        x, y = reading[(a["a"], r["row"])], reading[(a["b"], r["row"])]
        if x is not None and y is not None:
            tab[0 if x else 1][0 if y else 1] += 1
    want = [[tab[0][0], tab[0][1]], [tab[1][0], tab[1][1]]]
    if a["table"] != want or a["n"] != sum(map(sum, want)):
        bad.append((a["a"], a["b"], a["table"], want))
for b in bad[:5]:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# --- threads change nothing but speed ----------------------------------------
"$SARX" synth 20000 --seed 5 -o "$T/big.csv"
expect_exit 0 "threads 1" -- "$SARX" cohort "$T/big.csv" -o "$T/t1.csv" --summary "$T/t1.json" --threads 1
expect_exit 0 "threads 3" -- "$SARX" cohort "$T/big.csv" -o "$T/t3.csv" --summary "$T/t3.json" --threads 3
if cmp -s "$T/t1.csv" "$T/t3.csv"; then ok; else no "threads: rows differ"; fi
if cmp -s "$T/t1.json" "$T/t3.json"; then ok; else no "threads: summaries differ"; fi

# Over many blocks (the ring of jobs wraps), with bad rows: the workers write
# rows.csv and the errors in input order, to a file or a pipe, as one thread does.
"$SARX" synth 60000 --seed 12 --bad 0.02 -o "$T/many.csv"
expect_exit 1 "many blocks, 1 thread" -- "$SARX" cohort "$T/many.csv" -o "$T/m1.csv" --errors "$T/m1e.csv" --threads 1
cp "$T/out" "$T/m1.out"
for n in 2 5; do
    expect_exit 1 "many blocks, $n threads" -- "$SARX" cohort "$T/many.csv" -o "$T/mn.csv" --errors "$T/mne.csv" \
        --threads $n
    cmp -s "$T/m1.csv" "$T/mn.csv" && ok || no "many blocks, $n threads: rows differ"
    cmp -s "$T/m1e.csv" "$T/mne.csv" && ok || no "many blocks, $n threads: errors differ"
    cmp -s "$T/m1.out" "$T/out" && ok || no "many blocks, $n threads: summaries differ"
done
"$SARX" cohort "$T/many.csv" --threads 1 >/dev/null 2>"$T/m1.err"
# A record of 3 MB (a quoted id with a line break), longer than a block, in the middle.
awk 'NR == 30000 { s = "x"; while (length(s) < 3000000) s = s s; sub(/^[^,]*/, "\"" s "\n" s "\"") } { print }' \
    "$T/many.csv" >"$T/long.csv"
"$SARX" cohort "$T/long.csv" -o "$T/l1.csv" --errors "$T/l1e.csv" --threads 1 >"$T/l1.out" 2>/dev/null
expect_exit 1 "a record longer than a block, 2 threads" -- "$SARX" cohort "$T/long.csv" -o "$T/l2.csv" \
    --errors "$T/l2e.csv" --threads 2
cmp -s "$T/l1.csv" "$T/l2.csv" && cmp -s "$T/l1e.csv" "$T/l2e.csv" && cmp -s "$T/l1.out" "$T/out" && ok ||
    no "a record longer than a block: 1 and 2 threads differ"
[ "$(awk '/^x+",[a-z_]+,(true|false),/' "$T/l2.csv" | wc -l)" -eq 1 ] && ok ||
    no "a record longer than a block: not classified"
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/mp.csv" &
"$SARX" cohort "$T/many.csv" --threads 2 -o "$T/fifo" >/dev/null 2>"$T/m2.err"
wait
cmp -s "$T/m1.csv" "$T/mp.csv" && ok || no "many blocks, 2 threads: rows through a pipe differ"
[ "$(count_lines "$T/m1.err")" -gt 1000 ] && ok || no "many blocks: too few errors on stderr"
cmp -s "$T/m1.err" "$T/m2.err" && ok || no "many blocks, 2 threads: errors on stderr differ"

# Row and line numbers over a record of two lines and a blank line, through 9 -> 10 and 99 -> 100.
{
    printf 'id,sex,grip_kg\n'
    for i in 1 2 3 4; do printf 'r%d,female,20\n' $i; done
    printf '"a\nb",female,20\n'
    for i in 6 7 8; do printf 'r%d,male,30\n' $i; done
    printf '\n'
    i=10; while [ $i -le 101 ]; do printf 'r%d,male,30\n' $i; i=$((i + 1)); done
} >"$T/nl.csv"
expect_exit 0 "row and line numbers" -- "$SARX" cohort "$T/nl.csv" -o "$T/nlr.csv"
got=$(awk -F, 'NR > 1 && $1 ~ /^[0-9]+$/ { printf "%s:%s ", $1, $2 }' "$T/nlr.csv" | cut -d" " -f1-11,96-)
[ "$got" = "1:2 2:3 3:4 4:5 5:6 6:8 7:9 8:10 10:12 11:13 12:14 97:99 98:100 99:101 100:102 101:103 " ] && ok ||
    no "row and line numbers: $got"

# A full disk: exit 1, said once (not once per block), for 1 and 2 threads.
if [ -w /dev/full ]; then
    for n in 1 2; do
        expect_exit 1 "rows.csv on a full disk, $n thread(s)" -- "$SARX" cohort "$T/big.csv" -o /dev/full --threads $n
        got=$(grep -c "/dev/full: No space left on device" "$T/err")
        [ "$got" = 1 ] && ok || no "full disk, $n thread(s): said $got times"
    done
    expect_exit 1 "errors file on a full disk" -- "$SARX" cohort "$T/big.csv" --errors /dev/full
fi
# A regular file that cannot grow past 500 KB (EFBIG, with SIGXFSZ ignored): the same.
for n in 1 2; do
    expect_exit 1 "rows.csv over the file size limit, $n thread(s)" -- \
        sh -c 'ulimit -f 1000 && trap "" XFSZ && exec "$@"' sh "$SARX" cohort "$T/big.csv" -o "$T/fsz.csv" --threads $n
    got=$(grep -c "fsz.csv: File too large" "$T/err")
    [ "$got" = 1 ] && ok || no "file size limit, $n thread(s): said $got times"
done

# --- bad rows are reported and skipped; good rows are kept -------------------
"$SARX" synth 2000 --seed 9 --bad 0.05 -o "$T/bad.csv"
expect_exit 1 "bad rows" -- "$SARX" cohort "$T/bad.csv" -o "$T/rb.csv" --errors "$T/errs.csv" --threads 2
rejected=$(($(count_lines "$T/errs.csv") - 1))
classified=$(($(count_lines "$T/rb.csv") - 1))
[ "$rejected" -gt 0 ] && ok || no "bad rows: none rejected"
[ $((rejected + classified)) -eq 2000 ] && ok || no "bad rows: $rejected + $classified != 2000"
expect_in "$T/out" "$classified rows classified, $rejected rejected" "bad rows: summary counts"
expect_in "$T/errs.csv" "row,line,field,value,message" "errors.csv header"
expect_in "$T/errs.csv" "grip_kg" "errors name the field"
expect_exit 1 "bad rows on stderr" -- "$SARX" cohort "$T/bad.csv"
expect_in "$T/err" "(line " "stderr errors give the line"

printf 'id,sex,grip_kg\n1,female,12\n2,female,12,9\n3,x,12\n4,female,"12\n' >"$T/mixed.csv"
expect_exit 1 "mixed" -- "$SARX" cohort "$T/mixed.csv" -o "$T/rm.csv"
expect_in "$T/err" "row 2 (line 3): the row has 4 fields, the header 3" "wrong field count"
expect_in "$T/err" 'row 3 (line 4): field "sex"' "unknown sex"
expect_in "$T/err" "not closed" "unclosed quote"
expect_lines "$T/rm.csv" 2 "mixed: the good row is kept"

# Refusals come out in row order, whether found as the row comes in (its
# field count) or when its block of eight rows is read (its values); signed
# values in range are kept.
printf 'id,sex,age_years,grip_kg,weight_loss_pct_6m\na,female,70,20,-3.5\nb,male,71,999,1\nc,male,72\nd,female,73,abc,2\ne,male,74,30,-60\nf,male,75,30,-0\n' >"$T/ord.csv"
expect_exit 1 "refusals" -- "$SARX" cohort "$T/ord.csv" -o "$T/ordr.csv" --errors "$T/orde.csv"
got=$(cut -d, -f1,3 "$T/orde.csv" | tr '\n' ' ')
[ "$got" = "row,field 2,grip_kg 3, 4,grip_kg 5,weight_loss_pct_6m " ] && ok || no "refusals out of row order: $got"
got=$(cut -d, -f1 "$T/ordr.csv" | tr '\n' ' ')
[ "$got" = "row 1 6 " ] && ok || no "refusals: rows kept: $got"

# An unclosed quote after many rows: reported with its row and line, exit 1.
"$SARX" synth 3000 --seed 2 -o "$T/u.csv"
printf 's_bad,female,"70\n' >>"$T/u.csv"
expect_exit 1 "unclosed quote at the end" -- "$SARX" cohort "$T/u.csv" -o "$T/ur.csv"
expect_in "$T/err" "row 3001 (line 3002): a quoted field is not closed" "unclosed quote: row and line"
expect_lines "$T/ur.csv" 3001 "unclosed quote: the rows before it are kept"

# A byte-order mark is only special at the start of the file: rows that begin
# with one are rejected alike, wherever the file is cut into blocks.
awk 'BEGIN { print "grip_kg,sex"; for (i = 0; i < 150000; i++) printf "\357\273\27720,female\n" }' >"$T/bom2.csv"
expect_exit 1 "BOM inside the file" -- "$SARX" cohort "$T/bom2.csv" --threads 2 --errors "$T/bom2e.csv"
expect_lines "$T/bom2e.csv" 150001 "BOM inside the file: every such row is rejected"

# --- every row read is classified or rejected, and said (issue 25) -----------------
# An unterminated quote in row 500 of 1,000: the row and what it swallowed
# (the rest of the file, in lines and bytes) are reported, exit 1, and rows
# read = classified + rejected, for 1 and 2 threads and from stdin.
"$SARX" synth 1000 --seed 3 -o "$T/q.csv"
awk 'NR == 501 { sub(/,(male|female|unknown|m|f),/, "&\"") } { print }' "$T/q.csv" >"$T/uq.csv"
for n in 1 2; do
    expect_exit 1 "unterminated quote in row 500, $n thread(s)" -- "$SARX" cohort "$T/uq.csv" -o "$T/uqr.csv" \
        --errors "$T/uqe.csv" --threads $n
    expect_in "$T/out" "500 rows read: 499 classified, 1 rejected" "unterminated quote: the three numbers"
    expect_lines "$T/uqr.csv" 500 "unterminated quote: 499 rows out"
    expect_lines "$T/uqe.csv" 2 "unterminated quote: 1 row rejected"
    expect_in "$T/uqe.csv" "500,501,,," "unterminated quote: the row and line where it opened"
    expect_in "$T/uqe.csv" "501 lines ($(tail -n 501 "$T/uq.csv" | wc -c | tr -d ' ') bytes) are inside it" \
        "unterminated quote: what was lost"
done
expect_exit 1 "unterminated quote from stdin" -- sh -c '"$1" cohort - -o "$2" <"$3"' sh "$SARX" "$T/uqs.csv" "$T/uq.csv"
expect_in "$T/out" "500 rows read: 499 classified, 1 rejected" "unterminated quote from stdin: the three numbers"
expect_in "$T/err" "row 500 (line 501): a quoted field is not closed" "unterminated quote from stdin: the row"
cmp -s "$T/uqr.csv" "$T/uqs.csv" && ok || no "unterminated quote: stdin and a file differ"

# Rows read = rows.csv + errors.csv, whatever goes wrong where, for 1 and 3
# threads: bad values, wrong field counts, text after a closing quote, a
# NUL, and a quote that never closes at the end.
"$SARX" synth 30000 --seed 8 --bad 0.01 -o "$T/mix.csv"
awk 'NR % 997 == 0 { sub(/,[0-9.]+,/, ",\"6\"5,") } NR % 1999 == 0 { $0 = $0 ",extra" } { print }' "$T/mix.csv" >"$T/mix2.csv"
printf 's_nul,female,70,general,160,60,\000,,,,,,,,,,,,,,,,,,,,,,,x\ns_last,female,"70\n' >>"$T/mix2.csv"
for n in 1 3; do
    "$SARX" cohort "$T/mix2.csv" -o "$T/mixr.csv" --errors "$T/mixe.csv" --threads $n >"$T/mix.out" 2>"$T/mix.err"
    rows=$(($(count_lines "$T/mixr.csv") - 1))
    rej=$(($(count_lines "$T/mixe.csv") - 1))
    [ $((rows + rej)) -eq 30002 ] && ok || no "mixed problems, $n thread(s): $rows + $rej != 30002"
    expect_in "$T/mix.out" "30002 rows read: $rows classified, $rej rejected" "mixed problems: the three numbers"
    expect_in "$T/mixe.csv" 'text after the closing quote in ""6""5' "mixed problems: the quote"
done

# A row over 64 MiB (its last column, ignored, is 70 MB) is rejected and
# reported, never classified from its first 64 MiB; the rest of the file is
# measured and reported as not read.
{
    printf 'id,sex,grip_kg,height_cm,asm_kg,site\n'
    for i in 1 2 3 4 5 6 7 8 9 10 11; do printf 's%d,female,20,160,14,a\n' $i; done
    printf 'big,female,12,160,13,'
    head -c 70000000 /dev/zero | tr '\0' x
    printf '\nt1,male,30,170,20,a\nt2,male,30,170,20,a\n'
} >"$T/huge.csv"
lost=$(tail -n 3 "$T/huge.csv" | wc -c | tr -d ' ')
for n in 1 2; do
    expect_exit 1 "a row over 64 MiB, $n thread(s)" -- "$SARX" cohort "$T/huge.csv" -o "$T/hr.csv" --errors "$T/he.csv" \
        --threads $n
    expect_lines "$T/hr.csv" 12 "a row over 64 MiB: not classified"
    if grep -q '^12,' "$T/hr.csv"; then no "a row over 64 MiB: classified from part of it"; else ok; fi
    expect_in "$T/he.csv" "12,13,,,\"this row does not end within 64 MiB" "a row over 64 MiB: reported"
    expect_in "$T/he.csv" "3 lines ($lost bytes) are not read" "a row over 64 MiB: what was not read"
    expect_in "$T/out" "12 rows read: 11 classified, 1 rejected" "a row over 64 MiB: the three numbers"
done
rm -f "$T/huge.csv"

# Malformed quoting is refused, not read as 65 or 400; the value is shown
# as written, a NUL escaped.
printf 'id,sex,grip_kg\n1,female,"6"5\n2,female,"4"00\n3,female,"6"\n4,female,1\0002\n' >"$T/mq.csv"
expect_exit 1 "text after a closing quote" -- "$SARX" cohort "$T/mq.csv" -o "$T/mqr.csv" --errors "$T/mqe.csv"
expect_in "$T/mqe.csv" '1,2,grip_kg,"""6""5","column 3: text after the closing quote in ""6""5' "\"6\"5 refused"
expect_in "$T/mqe.csv" '2,3,grip_kg,"""4""00",' "\"4\"00 refused"
expect_in "$T/mqe.csv" '4,5,grip_kg,1\02,"field ""grip_kg"": ""1\02"" is not a number' "a NUL shown escaped"
got=$(cut -d, -f1 "$T/mqr.csv" | tr '\n' ' ')
[ "$got" = "row 3 " ] && ok || no "malformed quoting: rows kept: $got"

# Header names are shown whole, a NUL escaped.
long=$(head -c 100 /dev/zero | tr '\0' Q)
printf 'id,sex,si\000te,%s\n1,male,a,b\n' "$long" >"$T/hn.csv"
expect_exit 0 "odd header names" -- "$SARX" cohort "$T/hn.csv"
expect_in "$T/err" "ignoring 2 columns that sarx does not use: si\\0te, $(echo "$long" | tr Q q) (" "odd header names shown"
expect_exit 1 "odd header names, --strict" -- "$SARX" cohort "$T/hn.csv" --strict
expect_in "$T/err" 'column 3: unknown field "si\0te"' "a NUL in a header name, --strict"

# A message on stderr is never cut, whatever the length of the file's path.
seg=$(head -c 200 /dev/zero | tr '\0' d)
mkdir -p "$T/$seg/$seg/$seg"
printf 'id,sex,grip_kg\n1,female,400\n' >"$T/$seg/$seg/$seg/x.csv"
expect_exit 1 "a long path" -- "$SARX" cohort "$T/$seg/$seg/$seg/x.csv"
expect_in "$T/err" "$seg/x.csv: row 1 (line 2): field \"grip_kg\": value 400 is out of range (allowed 0-100 kg)" \
    "a long path: the whole message"

# --- spreadsheet formulas are neutralised in every CSV written (OWASP) ---------
printf 'id,sex,grip_kg\n=1+1,female,20\n@SUM(A1),female,20\n-5,female,20\n+3.2,female,20\n'"'"'=2,female,20\nx,female,=1+1\n' >"$T/inj.csv"
expect_exit 1 "formula ids" -- "$SARX" cohort "$T/inj.csv" -o "$T/injr.csv" --errors "$T/inje.csv"
got=$(cut -d, -f3 "$T/injr.csv" | tr '\n' ' ')
[ "$got" = "id '=1+1 '@SUM(A1) -5 +3.2 '=2 " ] && ok || no "formula ids in rows.csv: $got"
expect_in "$T/inje.csv" "6,7,grip_kg,'=1+1," "a formula value in errors.csv"
# sarx synth writes no cell a spreadsheet would run (numbers may be negative)
"$SARX" synth 5000 --seed 4 --bad 0.1 -o "$T/syn.csv"
bad=$(tr ',' '\n' <"$T/syn.csv" | grep -E '^[-+=@]' | grep -cvE '^[-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$')
[ "$bad" -eq 0 ] && ok || no "synth: $bad cells start like a formula"

# --- list cells: ';' with escapes, or a JSON array --------------------------------
printf 'id,sex,conditions\na,female,copd\\;x;heart failure\nb,female,"[""x;y"", ""z""]"\nc,female,[copd\nd,female,"[""x"", 1]"\n' >"$T/lc.csv"
expect_exit 1 "list cells" -- "$SARX" cohort "$T/lc.csv" -o "$T/lcr.csv" --errors "$T/lce.csv"
got=$(cut -d, -f1 "$T/lcr.csv" | tr '\n' ' ')
[ "$got" = "row 1 2 " ] && ok || no "list cells: rows kept: $got"
expect_in "$T/lce.csv" "starts with '[' but is not a JSON array of text" "list cells: a bad JSON list"
expect_in "$T/lce.csv" "item 2 of the JSON list is a number 1, not text" "list cells: a JSON list item not text"

# --- the delimiter, from the header ---------------------------------------------
printf 'id;sex;grip_kg;height_cm;asm_kg\np1;female;15,5;160;14\n' >"$T/sc.csv"
expect_exit 0 "';' found from the header, decimal comma" -- "$SARX" cohort "$T/sc.csv" --decimal-comma -o "$T/sco.csv"
expect_in "$T/err" "separated by ';' (found from the header" "';' found: said"
expect_in "$T/sco.csv" "p1,sarcopenia,false" "';' found: the row read"
printf 'id\tsex\tgrip_kg\theight_cm\tasm_kg\np1\tfemale\t15.5\t160\t14\n' >"$T/tc.csv"
expect_exit 0 "tab found from the header" -- "$SARX" cohort "$T/tc.csv" -o "$T/tco.csv"
expect_in "$T/err" "separated by tab" "tab found: said"
expect_in "$T/tco.csv" "p1,sarcopenia,false" "tab found: the row read"
expect_exit 0 "--delimiter tab" -- "$SARX" cohort "$T/tc.csv" --delimiter tab -o "$T/tco2.csv"
cmp -s "$T/tco.csv" "$T/tco2.csv" && ok || no "--delimiter tab: rows differ"
printf 'id;sex;grip_kg\n1;female;20\n2;male;30\n' >"$T/semi.csv"
expect_exit 2 "';' file read with ','" -- "$SARX" cohort "$T/semi.csv" --delimiter ','
expect_in "$T/err" "no column is a field sarx knows; the 1 column seen, split at ',': \"id;sex;grip_kg\"" \
    "no known column: the columns seen"
expect_in "$T/err" "Split at ';', 3 are: is the file ';'-separated? (--delimiter ';')" "no known column: the delimiter"
printf 'a,b,c\n1,2,3\n' >"$T/nk.csv"
expect_exit 2 "no known column" -- "$SARX" cohort "$T/nk.csv" -o "$T/nko.csv"
expect_in "$T/err" "the 3 columns seen, split at ',': \"a\", \"b\", \"c\"" "no known column: named"
expect_in "$T/err" "see \`sarx fields\`" "no known column: where the names are"
expect_exit 2 "no known column, --strict" -- "$SARX" cohort "$T/nk.csv" --strict
expect_exit 2 "--decimal-comma and ','" -- "$SARX" cohort "$T/a.csv" --decimal-comma
expect_exit 2 "bad delimiter" -- "$SARX" cohort "$T/a.csv" --delimiter '|'

# --- header problems ------------------------------------------------------------
printf 'id,weight_kg,weight_lb\n1,70,154\n' >"$T/h1.csv"
expect_exit 1 "two units" -- "$SARX" cohort "$T/h1.csv"
expect_in "$T/err" "both give weight_kg" "two units"
printf 'id,weight_history\n1,x\n' >"$T/h2.csv"
expect_exit 1 "history column" -- "$SARX" cohort "$T/h2.csv"
expect_in "$T/err" "weight_loss_pct_6m" "history column"
expect_exit 1 "strict" -- "$SARX" cohort "$T/a.csv" --strict
expect_in "$T/err" 'unknown field "site"' "strict"
: >"$T/empty.csv"
expect_exit 1 "empty file" -- "$SARX" cohort "$T/empty.csv"
expect_in "$T/err" "empty file" "empty file"
expect_exit 1 "missing file" -- "$SARX" cohort "$T/nope.csv"
expect_exit 2 "no file" -- "$SARX" cohort
expect_exit 2 "bad threads" -- "$SARX" cohort "$T/a.csv" --threads 0
expect_exit 2 "comma without ;" -- "$SARX" cohort "$T/a.csv" --decimal-comma

# --- dialects: BOM, CRLF, any-case header, ';' with decimal comma ---------------
printf '\357\273\277ID,Sex,Grip_kg,Height_cm,ASM_kg\r\np1,female,"15,5",160,14\r\n' >"$T/d1.csv"
expect_exit 1 "comma decimal without option" -- "$SARX" cohort "$T/d1.csv"
printf '\357\273\277ID;Sex;Grip_kg;Height_cm;ASM_kg\r\np1;female;15,5;160;14\r\n' >"$T/d2.csv"
expect_exit 0 "semicolon + decimal comma" -- "$SARX" cohort "$T/d2.csv" --delimiter ';' --decimal-comma -o "$T/d2o.csv"
expect_in "$T/d2o.csv" "p1,sarcopenia,false" "semicolon + decimal comma: EWGSOP2 grip 15.5 < 16, ASMI 5.47 < 5.5"


# --- the cohort table a researcher reads (issue 27 item 12) -----------------------
# Every definition, both sexes and sex unknown, every age band and age unknown:
# the widest default table still fits 100 columns; it splits by sex and by age
# band, and its key names the positive categories in the report's words.
"$SARX" synth 3000 >"$T/tw.csv" 2>/dev/null
awk -F, 'NR == 1 { print; next } NR % 7 == 0 { $2 = "" } NR % 11 == 0 { $3 = "" } { print }' OFS=, "$T/tw.csv" >"$T/tw2.csv"
expect_exit 0 "table width" -- "$SARX" cohort "$T/tw2.csv"
expect_in "$T/out" "3000 rows classified, 0 rejected" "table width: the first line"
w=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$T/out")
if [ "$w" -le 100 ]; then ok; else no "table width: a line of $w characters (at most 100)"; awk 'length($0) > 100' "$T/out" | head -3 >&2; fi
expect_in "$T/out" "By sex" "table: by sex"
expect_in "$T/out" "sex unknown" "table: the sex unknown column"
expect_in "$T/out" "age unknown" "table: the age unknown column"
expect_in "$T/out" "80+" "table: by age band"
expect_in "$T/out" "malnutrition, severe; malnutrition, severity not graded" "table: the key in the report's words"
if grep -q 'malnutrition_severe\|severe_sarcopenia' "$T/out"; then no "table: a category id"; else ok; fi
for d in $("$SARX" definitions --format json | python3 -c 'import json,sys; print(" ".join(d["id"] for d in json.load(sys.stdin)["definitions"]))'); do
    n=$(grep -c "^$d " "$T/out")
    if [ "$n" -ge 3 ]; then ok; else no "table: $d has $n rows (counts, by sex, by age band)"; fi
done
# The full table (SARX_SUMMARY_WIDE), once the command has --wide.
if "$SARX" cohort --help 2>&1 | grep -q -- --wide; then
    expect_exit 0 "wide table" -- "$SARX" cohort --wide "$T/tw2.csv"
    expect_in "$T/out" "3000 rows classified, 0 rejected" "wide table: the first line"
    if awk 'length($0) > 100 { f = 1 } END { exit !f }' "$T/out"; then ok; else no "wide table: not wider"; fi
    grep '^ewgsop2 ' "$T/out" | grep -q '([0-9.]*-[0-9.]*) .*([0-9.]*-[0-9.]*) .*([0-9.]*-[0-9.]*) .*([0-9.]*-[0-9.]*) .*([0-9.]*-[0-9.]*) .*([0-9.]*-[0-9.]*) .*([0-9.]*-[0-9.]*) .*([0-9.]*-[0-9.]*) .*([0-9.]*-[0-9.]*) .*([0-9.]*-[0-9.]*) .*([0-9.]*-[0-9.]*) .*([0-9.]*-[0-9.]*)' &&
        ok || no "wide table: every stratum with its interval"
fi

report
