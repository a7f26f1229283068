#!/bin/sh
# `sarx cohort` on research files as they come (docs/FILES.md): missing-value
# codes (--na), tab-separated files, column and value maps (--map,
# --rename), and --definitions / --wide.  Every file read here is checked
# for its rows: rows in = rows classified + rows rejected, and rows.csv
# holds the classified ones.
SARX=${1:-build/sarx}
NAME="files cli"
. "$(dirname "$0")/lib.sh"

# rows_add_up FILE.csv ROWS.csv DESCRIPTION: the data rows of FILE (lines
# after the header, none blank here) = classified + rejected (the summary's
# first line, in $T/out), and ROWS.csv has one line per classified row.
rows_add_up() {
    nin=$(($(count_lines "$1") - 1))
    first=$(sed -n 1p "$T/out")
    cls=$(echo "$first" | sed -n 's/.*cohort: \([0-9]*\) rows classified, \([0-9]*\) rejected.*/\1/p')
    rej=$(echo "$first" | sed -n 's/.*cohort: \([0-9]*\) rows classified, \([0-9]*\) rejected.*/\2/p')
    if [ -n "$cls" ] && [ $((cls + rej)) -eq "$nin" ]; then ok; else no "$3: $nin rows in, '$first'"; fi
    if [ -n "$2" ]; then
        nout=$(($(count_lines "$2") - 1))
        if [ "$nout" -eq "${cls:--1}" ]; then ok; else no "$3: rows.csv has $nout rows, $cls classified"; fi
    fi
}
# same FILE1 FILE2 DESCRIPTION
same() { if cmp -s "$1" "$2"; then ok; else no "$3: $(basename "$1") and $(basename "$2") differ"; diff "$1" "$2" | sed -n 1,6p >&2; fi; }
# not_in FILE TEXT DESCRIPTION
not_in() { if grep -qF -- "$2" "$1"; then no "$3: '$2' in $(basename "$1")"; else ok; fi; }

# --- 1. missing-value codes ---------------------------------------------------
# The same people with their missing cells empty, and as R, Stata, SQL and
# spreadsheets write them: the categories must be the same row for row.
cat >"$T/empty.csv" <<'EOF'
id,sex,age_years,weight_kg,height_cm,grip_kg,gait_speed_m_s,asm_kg,asm_method,cancer,conditions,assessment_date
p1,,80,70,170,20,0.7,18,dxa,false,copd,2024-01-02
p2,male,,70,172,,0.7,,,,,
p3,female,81,,160,15,,14,bia,true,,2024-03-04
p4,male,77,80,175,35,1.1,22,dxa,false,heart failure,
EOF
sed -e 's/,,/,NA,/g' -e 's/,,/,NA,/g' -e 's/,$/,NA/' "$T/empty.csv" >"$T/r.csv"         # R's write.csv
sed -e 's/,,/,.,/g' -e 's/,,/,.,/g' -e 's/,$/,./' "$T/empty.csv" >"$T/stata.csv"       # Stata, SAS
sed -e 's/,,/,NULL,/g' -e 's/,,/,null,/g' -e 's/,$/, N\/A /' "$T/empty.csv" >"$T/mixed.csv" # SQL, any case, blanks
sed -e 's/,,/,NaN,/g' -e 's/,,/,nan,/g' -e 's/,$/,n\/a/' "$T/empty.csv" >"$T/nan.csv"   # pandas
grep -q ',NA,' "$T/r.csv" && grep -q ',NA$' "$T/r.csv" && ok || no "the R file has NA cells"
expect_exit 0 "empty cells" -- "$SARX" cohort "$T/empty.csv" -o "$T/empty.out"
rows_add_up "$T/empty.csv" "$T/empty.out" "empty cells"
for f in r stata mixed nan; do
    expect_exit 0 "$f: codes read as missing" -- "$SARX" cohort "$T/$f.csv" -o "$T/$f.out"
    expect_in "$T/out" "4 rows classified, 0 rejected" "$f: no row rejected"
    rows_add_up "$T/$f.csv" "$T/$f.out" "$f"
    same "$T/empty.out" "$T/$f.out" "$f: the categories of the empty cells"
done
# With more rows than a batch, on several threads, through every reader of
# a cell (eight rows at once, one cell, the slow row): the same as empty.
"$SARX" synth 3000 --seed 7 -o "$T/big.csv" 2>/dev/null
sed -e 's/,,/,NA,/g' -e 's/,,/,na,/g' -e 's/^,/NA,/' -e 's/,$/,./' "$T/big.csv" >"$T/bigna.csv"
grep -q ',NA,' "$T/bigna.csv" && ok || no "the big R file has NA cells"
expect_exit 0 "synth: empty" -- "$SARX" cohort "$T/big.csv" -o "$T/big.out"
expect_exit 0 "synth: NA" -- "$SARX" cohort "$T/bigna.csv" -o "$T/bigna.out" --threads 3
rows_add_up "$T/bigna.csv" "$T/bigna.out" "synth NA"
same "$T/big.out" "$T/bigna.out" "synth: NA as empty"
# Numeric codes only when named: -99 and 999 are out of range (rejected) unless --na names them.
sed -e 's/,,/,-99,/g' -e 's/,,/,999,/g' -e 's/,$/,-99/' "$T/empty.csv" >"$T/num.csv"
expect_exit 1 "-99 not named: rejected" -- "$SARX" cohort "$T/num.csv" -o "$T/num.out"
expect_in "$T/err" "\"-99\"" "-99 not named: said"
rows_add_up "$T/num.csv" "$T/num.out" "-99 not named"
expect_exit 0 "--na names -99 and 999" -- "$SARX" cohort "$T/num.csv" --na 'NA,-99,999.0' -o "$T/num.out"
rows_add_up "$T/num.csv" "$T/num.out" "--na -99"
same "$T/empty.out" "$T/num.out" "--na -99: as empty"
# A named code inside a column's range is missing there, on every reader
# (99.25 years; by value: 99.250 too; no other cell of the file is 99.25).
grep -q '99\.25' "$T/big.csv" && no "synth wrote 99.25" || ok
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 3 == 0 { $3 = NR % 2 ? "99.25" : "99.250" } { print }' "$T/big.csv" \
    >"$T/age99.csv"
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 3 == 0 { $3 = "" } { print }' "$T/big.csv" >"$T/age_.csv"
expect_exit 0 "99.25 as a code" -- "$SARX" cohort "$T/age99.csv" --na '99.25' -o "$T/age99.out" --threads 2
expect_exit 0 "99 as empty" -- "$SARX" cohort "$T/age_.csv" -o "$T/age_.out"
same "$T/age_.out" "$T/age99.out" "a code inside the range"
# --na replaces the list; --na '' leaves only the empty cell.
expect_exit 1 "--na '': NA rejected" -- "$SARX" cohort "$T/r.csv" --na '' -o "$T/r2.out"
expect_in "$T/err" "\"NA\"" "--na '': the NA cell named"
rows_add_up "$T/r.csv" "$T/r2.out" "--na ''"
expect_exit 1 "--na '.': NA rejected" -- "$SARX" cohort "$T/r.csv" --na '.'
expect_exit 0 "--na '.': . read" -- "$SARX" cohort "$T/stata.csv" --na '.' -o "$T/stata2.out"
same "$T/empty.out" "$T/stata2.out" "--na '.'"
# A true/false column keeps its own "0" when 0 is a code; a number column does not.
printf 'id,sex,age_years,cancer,grip_kg\nq1,male,70,0,0\nq2,male,70,-9,-9\n' >"$T/zero.csv"
printf 'id,sex,age_years,cancer,grip_kg\nq1,male,70,false,\nq2,male,70,,\n' >"$T/zero_.csv"
expect_exit 0 "codes 0 and -9" -- "$SARX" cohort "$T/zero.csv" --na '0,-9' -o "$T/zero.out"
expect_exit 0 "codes 0 and -9: as written" -- "$SARX" cohort "$T/zero_.csv" -o "$T/zero_.out"
same "$T/zero_.out" "$T/zero.out" "numeric codes by column kind"

# --- 2. tab-separated files ---------------------------------------------------
tr ',' '\t' <"$T/empty.csv" >"$T/e.tsv"
expect_exit 0 "TSV found from the header" -- "$SARX" cohort "$T/e.tsv" -o "$T/tsv1.out"
expect_in "$T/err" "separated by tab" "TSV: said"
rows_add_up "$T/e.tsv" "$T/tsv1.out" "TSV"
same "$T/empty.out" "$T/tsv1.out" "TSV found"
expect_exit 0 "--delimiter tab" -- "$SARX" cohort "$T/e.tsv" --delimiter tab -o "$T/tsv2.out"
same "$T/empty.out" "$T/tsv2.out" "--delimiter tab"
expect_exit 0 "--delimiter '\\t'" -- "$SARX" cohort "$T/e.tsv" --delimiter '\t' -o "$T/tsv3.out"
same "$T/empty.out" "$T/tsv3.out" "--delimiter \\t"
expect_exit 0 "--delimiter <a tab>" -- "$SARX" cohort "$T/e.tsv" --delimiter "$(printf '\t')" -o "$T/tsv4.out"
same "$T/empty.out" "$T/tsv4.out" "--delimiter with a real tab"
tr ',' '\t' <"$T/r.csv" >"$T/r.tsv"
expect_exit 0 "TSV with NA" -- "$SARX" cohort "$T/r.tsv" -o "$T/tsv5.out"
same "$T/empty.out" "$T/tsv5.out" "TSV with NA"
printf 'a\tb\tc\n1\t2\t3\n' >"$T/nk.tsv"
expect_exit 2 "TSV, no known column" -- "$SARX" cohort "$T/nk.tsv" -o "$T/nk.out"
expect_in "$T/err" "no column is a field sarx knows" "TSV, no known column: said"
not_in "$T/out" "rows classified" "TSV, no known column: nothing classified"
expect_exit 2 "TSV read with ','" -- "$SARX" cohort "$T/e.tsv" --delimiter ','
expect_in "$T/err" "(--delimiter tab)" "TSV read with ',': the delimiter suggested"

# --- 3. column and value maps -----------------------------------------------
# A study's export: its own names, sex as 1/2, yes/no as ja/nein, M/F elsewhere.
cat >"$T/study.csv" <<'EOF'
Subject,SEX,Age (y),Weight (kg),Height,Handgrip,Gait,Cancer,Smoker
p1,2,80,70,170,20,0.7,nein,ja
p2,1,,70,172,,0.7,,nein
p3,2,81,NA,160,15,.,ja,ja
p4,1,77,80,175,35,1.1,nein,
EOF
cat >"$T/own.csv" <<'EOF'
id,sex,age_years,weight_kg,height_cm,grip_kg,gait_speed_m_s,cancer
p1,female,80,70,170,20,0.7,false
p2,male,,70,172,,0.7,
p3,female,81,,160,15,,true
p4,male,77,80,175,35,1.1,false
EOF
expect_exit 0 "own names" -- "$SARX" cohort "$T/own.csv" -o "$T/own.out"
cat >"$T/map.csv" <<'EOF'
column,field
Subject,id
SEX,sex
Age (y),age_years
Weight (kg),weight_kg
Height,height_cm
Handgrip,grip_kg
Gait,gait_speed_m_s
SEX,1,male
SEX,2,female
Cancer,cancer
Cancer,ja,true
Cancer,nein,false
EOF
expect_exit 0 "--map CSV" -- "$SARX" cohort "$T/study.csv" --map "$T/map.csv" -o "$T/map1.out"
rows_add_up "$T/study.csv" "$T/map1.out" "--map CSV"
same "$T/own.out" "$T/map1.out" "--map CSV: as sarx's own names"
expect_in "$T/err" "columns: Subject -> id, SEX -> sex (2 values mapped), Age (y) -> age_years, Weight (kg) -> weight_kg" \
    "--map: the columns said"
expect_in "$T/err" "ignoring 1 column that sarx does not use: smoker" "--map: the unmapped column"
cat >"$T/map.json" <<'EOF'
{"Subject": "id",
 "SEX": {"field": "sex", "values": {"1": "male", "2": "female"}},
 "Age (y)": "age_years", "Weight (kg)": "weight_kg", "Height": "height_cm",
 "Handgrip": {"field": "grip_kg"}, "Gait": "gait_speed_m_s",
 "Cancer": {"field": "cancer", "values": {"JA": true, "nein": "false"}}}
EOF
expect_exit 0 "--map JSON" -- "$SARX" cohort "$T/study.csv" --map "$T/map.json" -o "$T/map2.out"
same "$T/own.out" "$T/map2.out" "--map JSON: as sarx's own names"
# A header line is optional; --rename adds to a map; a TSV's delimiter is found through the map.
sed 1d "$T/map.csv" | grep -v '^Handgrip' >"$T/map3.csv"
tr ',' '\t' <"$T/study.csv" >"$T/study.tsv"
expect_exit 0 "--map + --rename, TSV" -- "$SARX" cohort "$T/study.tsv" --map "$T/map3.csv" --rename 'Handgrip=GRIP_KG' \
    -o "$T/map3.out"
expect_in "$T/err" "separated by tab" "TSV found through the map"
same "$T/own.out" "$T/map3.out" "--map + --rename on a TSV"
# Value maps on a word column stay on every reader: 3000 rows of 1/2.
sed -e '1s/,sex,/,Gender,/' -e '2,$s/,male,/,1,/' -e '2,$s/,female,/,2,/' "$T/big.csv" >"$T/big12.csv"
printf 'Gender,sex\nGender,1,male\nGender,2,female\n' >"$T/g.csv"
expect_exit 0 "1/2 over 3000 rows" -- "$SARX" cohort "$T/big12.csv" --map "$T/g.csv" -o "$T/big12.out" --threads 2
same "$T/big.out" "$T/big12.out" "1/2 read as male/female"
# A value map to missing (Stata's 9 = unknown).
printf 'id,sex,age_years,weight_kg\nu1,9,70,80\n' >"$T/nine.csv"
printf 'id,sex,age_years,weight_kg\nu1,,70,80\n' >"$T/nine_.csv"
printf 'sex,9,\n' >"$T/nine.map"
expect_exit 0 "9 -> missing" -- "$SARX" cohort "$T/nine.csv" --map "$T/nine.map" -o "$T/nine.out"
expect_exit 0 "9 -> missing: as empty" -- "$SARX" cohort "$T/nine_.csv" -o "$T/nine_.out"
same "$T/nine_.out" "$T/nine.out" "a value mapped to missing"

# The errors: exit 2, nothing classified, the column or the value named.
expect_exit 2 "a mapped column not in the header" -- "$SARX" cohort "$T/study.csv" --map "$T/map.csv" --rename 'Grip=grip_kg'
expect_in "$T/err" "column \"Grip\" (grip_kg) is not in the header" "not in the header: named"
expect_in "$T/err" "\"Weight (kg)\"" "not in the header: the header's columns"
not_in "$T/out" "rows classified" "not in the header: nothing classified"
expect_exit 2 "a target that is not a field" -- "$SARX" cohort "$T/study.csv" --rename 'Weight (kg)=weigth_kg'
expect_in "$T/err" "\"weigth_kg\" is not a field sarx knows (did you mean \"weight_kg\"?)" "not a field: named"
printf 'Weight (kg),wieght\n' >"$T/bad1.csv"
expect_exit 2 "a map's target that is not a field" -- "$SARX" cohort "$T/study.csv" --map "$T/bad1.csv"
expect_in "$T/err" "--map $T/bad1.csv: line 1: column \"Weight (kg)\" -> \"wieght\"" "map: the line named"
expect_exit 2 "two columns into one field" -- "$SARX" cohort "$T/own.csv" --rename 'height_cm=weight_kg'
expect_in "$T/err" "columns 4 (\"weight_kg\") and 5 (\"height_cm\") both give weight_kg" "two into one: named"
not_in "$T/out" "rows classified" "two into one: nothing classified"
printf 'SEX,sex\nSEX,1,mail\n' >"$T/bad2.csv"
expect_exit 2 "a value map to a value the field does not take" -- "$SARX" cohort "$T/study.csv" --map "$T/bad2.csv"
expect_in "$T/err" "column \"SEX\": value map \"1\" -> \"mail\"" "bad value map: named"
expect_in "$T/err" "male|female" "bad value map: the allowed values"
printf 'Smoker,ja,true\n' >"$T/bad3.csv"
expect_exit 2 "a value map on a column that feeds nothing" -- "$SARX" cohort "$T/study.csv" --map "$T/bad3.csv"
expect_in "$T/err" "(\"Smoker\") has a value map but feeds no field" "value map, no field: named"
printf 'SEX,1,male,extra\n' >"$T/bad4.csv"
expect_exit 2 "a map row of four fields" -- "$SARX" cohort "$T/study.csv" --map "$T/bad4.csv"
expect_in "$T/err" "line 1: 4 fields" "four fields: the line"
printf '{"SEX": {"feld": "sex"}}' >"$T/bad5.json"
expect_exit 2 "a JSON map with an unknown key" -- "$SARX" cohort "$T/study.csv" --map "$T/bad5.json"
expect_in "$T/err" "key \"SEX\": unknown key \"feld\"" "JSON unknown key: named"
printf '{"SEX": "sex",}' >"$T/bad6.json"
expect_exit 2 "a map that is not JSON" -- "$SARX" cohort "$T/study.csv" --map "$T/bad6.json"
expect_in "$T/err" "not valid JSON" "bad JSON: said"
printf 'SEX,sex\nSEX,age_years\n' >"$T/bad7.csv"
expect_exit 2 "a column renamed twice" -- "$SARX" cohort "$T/study.csv" --map "$T/bad7.csv"
expect_in "$T/err" "line 2: column \"SEX\" is renamed twice: to sex and to age_years" "renamed twice: named"
expect_exit 2 "--rename without =" -- "$SARX" cohort "$T/study.csv" --rename 'Weight (kg)'
expect_in "$T/err" "expected OLD=NEW" "--rename without =: said"
expect_exit 2 "--map of no file" -- "$SARX" cohort "$T/study.csv" --map "$T/none.csv"
expect_in "$T/err" "none.csv" "--map of no file: named"
# A header that is wrong without any option stays exit 1 with options given.
printf 'id,weight_kg,weight_lb\n1,70,154\n' >"$T/h1.csv"
expect_exit 1 "two units, with --na" -- "$SARX" cohort "$T/h1.csv" --na NA --rename 'id=id'

# A map's value is read once, as the field reads it, on every reader: H -> M
# and M -> F make an H male (not male, then female), padded or not; a
# reverse-coded true/false column likewise (0 -> 1, 1 -> 0).
printf 'id,Sexo,age_years,grip_kg,tumour\nr1,H,80,20,0\nr2, H,80,20,0 \nr3,M,80,20,1\nr4,M ,80,20, 1\n' >"$T/es.csv"
printf 'id,sex,age_years,grip_kg,cancer\nr1,male,80,20,true\nr2,male,80,20,true\nr3,female,80,20,false\nr4,female,80,20,false\n' \
    >"$T/es_.csv"
printf 'Sexo,sex\nSexo,M,F\nSexo,H,M\ntumour,cancer\ntumour,0,1\ntumour,1,0\n' >"$T/es.map"
expect_exit 0 "chained maps" -- "$SARX" cohort "$T/es.csv" --map "$T/es.map" -o "$T/es.out"
expect_exit 0 "chained maps: as written" -- "$SARX" cohort "$T/es_.csv" -o "$T/es_.out"
same "$T/es_.out" "$T/es.out" "chained maps: each value mapped once"
# A JSON map's number (150.5) with --decimal-comma: a map's numbers are written with '.'.
printf 'id;sex;age_years;W\nr1;male;80;heavy\nr2;female;70;60,5\n' >"$T/dc.csv"
printf 'id;sex;age_years;weight_kg\nr1;male;80;150,5\nr2;female;70;60,5\n' >"$T/dc_.csv"
printf '{"W": {"field": "weight_kg", "values": {"heavy": 150.5}}}' >"$T/dc.json"
expect_exit 0 "a JSON number with --decimal-comma" -- "$SARX" cohort "$T/dc.csv" --map "$T/dc.json" --decimal-comma \
    -o "$T/dc.out"
expect_exit 0 "a JSON number with --decimal-comma: as written" -- "$SARX" cohort "$T/dc_.csv" --decimal-comma -o "$T/dc_.out"
same "$T/dc_.out" "$T/dc.out" "a JSON number with --decimal-comma"
# The docs' two example blocks pasted into one file, after a blank line.
printf '\ncolumn,field\nSubject,id\nSEX,sex\n\ncolumn,from,to\nSEX,1,male\nSEX,2,female\nCancer,ja,true\nCancer,nein,false\n' >"$T/blocks.csv"
expect_exit 0 "a map of two blocks, each with its header" -- "$SARX" cohort "$T/study.csv" --map "$T/blocks.csv" \
    -o "$T/blocks.out"
expect_in "$T/err" "SEX -> sex (2 values mapped)" "two blocks: both read"
printf 'SEX;sex\n' >"$T/semi.csv"
expect_exit 2 "a ';'-separated map" -- "$SARX" cohort "$T/study.csv" --map "$T/semi.csv"
expect_in "$T/err" "line 1: 1 field; a map file is comma-separated" "';' map: said"
printf '[1,2]\n' >"$T/arr.json"
expect_exit 2 "a JSON array as a map" -- "$SARX" cohort "$T/study.csv" --map "$T/arr.json"
expect_in "$T/err" "a JSON map is an object" "JSON array: said"
not_in "$T/err" "column \"[1\"" "JSON array: not read as CSV"
expect_exit 2 "--na with ';'" -- "$SARX" cohort "$T/r.csv" --na 'NA;-99'
expect_in "$T/err" "the codes are separated by ',' (\"NA,-99\")" "--na with ';': ',' suggested"
# A column renamed from a Latin-1 name is in the summary's "columns" (as U+FFFD);
# a rejected cell of a renamed column names the file's column.
printf 'id,Gr\366\337e,gewicht,age_years\nq1,170,abc,80\nq2,160,60,70\n' >"$T/latin1.csv"
expect_exit 1 "a Latin-1 column, a bad cell" -- "$SARX" cohort "$T/latin1.csv" \
    --rename "$(printf 'Gr\366\337e')=height_cm" --rename 'gewicht=weight_kg' --summary "$T/latin1.json" -o "$T/latin1.out"
expect_in "$T/latin1.json" "$(printf '"Gr\357\277\275\357\277\275e": "height_cm"')" "Latin-1 column: in the summary"
expect_in "$T/err" "column \"gewicht\" (weight_kg): \"abc\" is not a number" "renamed column: named in the error"
# an ignored Latin-1 column is listed too, as U+FFFD (it was left out: jansson refuses text that is not UTF-8)
printf 'id,Gr\366\337e,age_years\nq1,170,80\n' >"$T/latin1b.csv"
expect_exit 0 "an ignored Latin-1 column" -- "$SARX" cohort "$T/latin1b.csv" --summary "$T/latin1b.json" -o "$T/latin1b.out"
python3 -c 'import json, sys; sys.exit(json.load(open(sys.argv[1]))["ignored_columns"] != ["gr\ufffd\ufffde"])' \
    "$T/latin1b.json" && ok || no "ignored Latin-1 column: in the summary, as U+FFFD"

# --- --definitions and --wide ---------------------------------------------------
expect_exit 0 "--definitions" -- "$SARX" cohort "$T/empty.csv" --definitions 'ewgsop2,cachexia' -o "$T/def.out"
expect_in "$T/def.out" "row,line,id,ewgsop2,ewgsop2_complete,evans2008," "--definitions: the columns"
not_in "$T/def.out" "awgs2019" "--definitions: no other definition"
expect_exit 2 "--definitions of nothing known" -- "$SARX" cohort "$T/empty.csv" --definitions 'ewgsop3'
expect_in "$T/err" "--definitions" "--definitions: the option named"
expect_in "$T/err" "ewgsop3" "--definitions: the name"
expect_exit 0 "--wide" -- "$SARX" cohort "$T/big.csv" --wide
cp "$T/out" "$T/wide.txt"
expect_exit 0 "not --wide" -- "$SARX" cohort "$T/big.csv"
wmax=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$T/wide.txt")
nmax=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$T/out")
[ "$wmax" -gt "$nmax" ] && ok || no "--wide: its widest line ($wmax) is not wider than the default's ($nmax)"

report
