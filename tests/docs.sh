#!/bin/sh
# The manual checks itself: sh tests/docs.sh path/to/sarx (from the top of
# the repository).  Over README.md and docs/*.md:
#
#  1. Links.  Every Markdown link to a file points to one that exists, and
#     its #anchor to a heading of that file.  No link leaves the repository:
#     a Markdown link, an autolink or a bare http(s) address in the text
#     fails (a citation names its DOI or PMID as text; an address a reader
#     types, such as the loopback one, is written as `code`).
#  2. Files named in the text (`docs/X.md`, `src/x.c`, `clinical.md`) exist
#     in the repository, and nothing cites the documents the project was
#     started from (a "spec §1" or a "seed 004"): the manual stands alone.
#  3. Examples.  Every ```sh block runs, against the sarx given, in a
#     directory of its own that holds a copy of examples/ (one directory
#     per document, so a later block may read what an earlier one wrote).
#     - A block whose lines start with "$ " is a transcript: each command
#       runs with stdout and stderr together, and what the block shows
#       under it must be its output.  A line "..." stands for any lines
#       (none included), and "..." inside a line for any text.  A command
#       must exit 0, unless its output ends with "# exit status N".
#     - Any other ```sh block runs as one script (sh -e) and must exit 0.
#     - A block that cannot run in a test (it installs packages, or starts
#       the server in the foreground) is preceded by the line
#       <!-- docs-test: skip: REASON -->; a skip without a reason fails.
#  4. The table of fields in docs/INPUT.md is `sarx fields --format
#     markdown` (tools/docs-fields.sh writes it).
NAME=docs
. tests/cli/lib.sh

SARX=${1:?usage: sh tests/docs.sh path/to/sarx}
case $SARX in /*) ;; *) SARX=$(pwd)/$SARX ;; esac
ROOT=$(pwd)
DOCS="README.md $(ls docs/*.md)"

# --- 1 and 2: links, named files, forbidden citations -----------------

# Print "FILE<TAB>LINE<TAB>KIND<TAB>TEXT" for the links, addresses and file
# names of one Markdown file, outside fenced blocks.  KIND is link (a
# Markdown link's target), web (an address that would leave the
# repository), file (a file name in the text) or cite (a forbidden
# citation).  Code spans are dropped before links are looked for (a link
# inside `...` is not one), but file names are looked for in them too.
scan() {
    awk -v F="$1" '
    /^[ ]*(```|~~~)/ { fence = !fence; next }
    fence { next }
    {
        line = $0
        if (match(line, /[Ss]eeds? [0-9][0-9][0-9]|[Ss]pec §|spec\/|shared\//))
            print F "\t" NR "\tcite\t" substr(line, RSTART, RLENGTH)
        rest = line
        while (match(rest, /[A-Za-z0-9_.\/-]*[A-Za-z0-9_]\.(md|c|h|sh|py|mjs)([^A-Za-z0-9_]|$)/)) {
            tok = substr(rest, RSTART, RLENGTH)
            pre = RSTART > 1 ? substr(rest, RSTART - 1, 1) : ""
            rest = substr(rest, RSTART + RLENGTH)
            sub(/[^A-Za-z0-9_]$/, "", tok)
            # globs, placeholders, addresses, assignments and links (checked
            # as links) are not file names
            if (pre ~ /[*<{>:=(\[]/ || tok ~ /^\.\.?$/ || tok ~ /^(https?|www)/)
                continue
            print F "\t" NR "\tfile\t" tok
        }
        gsub(/`[^`]*`/, "", line)
        rest = line
        while (match(rest, /\]\([^) ]*\)/)) {
            print F "\t" NR "\tlink\t" substr(rest, RSTART + 2, RLENGTH - 3)
            rest = substr(rest, RSTART + RLENGTH)
        }
        if (match(line, /^ *\[[^]]+\]: *[^ ]+/)) {
            t = line; sub(/^ *\[[^]]+\]: */, "", t); sub(/ .*/, "", t)
            print F "\t" NR "\tlink\t" t
        }
        rest = line
        while (match(rest, /https?:\/\/[^ )>]*/)) {
            print F "\t" NR "\tweb\t" substr(rest, RSTART, RLENGTH)
            rest = substr(rest, RSTART + RLENGTH)
        }
    }' "$1"
}

# The anchors of a Markdown file's headings, as GitHub makes them: lower
# case, punctuation dropped, spaces to hyphens; a repeated heading gets -1,
# -2, ...
anchors() {
    LC_ALL=C awk '
    /^[ ]*(```|~~~)/ { fence = !fence; next }
    fence || !/^#+ / { next }
    {
        h = $0; sub(/^#+ +/, "", h); sub(/ +#* *$/, "", h)
        h = tolower(h); gsub(/[^a-z0-9 _-]/, "", h); gsub(/ /, "-", h)
        s = h; if (h in seen) s = h "-" seen[h]; seen[h]++
        print s
    }' "$1"
}

# Every file of the repository's tree (not the build directories), for
# names given without a directory.
FILES=$T/files
find . \( -name '.git' -o -name 'build*' -o -name node_modules \) -prune -o -type f -print |
    sed 's|^\./||' >"$FILES"

checked=0
for f in $DOCS; do
    scan "$f"
done >"$T/refs"
bad=0
while IFS='	' read -r file line kind text; do
    where="$file:$line"
    dir=$(dirname "$file")
    case $kind in
    cite)
        bad=$((bad + 1))
        no "$where: cites \"$text\", a document that is not in the repository: cite the publication, or the page of docs/ that now holds it" ;;
    web)
        bad=$((bad + 1))
        no "$where: $text is a link out of the repository: write a citation as text (DOI, PMID), a local address as \`code\`" ;;
    file)
        checked=$((checked + 1))
        case $text in
        */*) [ -e "$ROOT/$text" ] || [ -e "$dir/$text" ] ||
                 { bad=$((bad + 1)); no "$where: names $text, which is not in the repository"; } ;;
        *) grep -q "\(^\|/\)$text\$" "$FILES" ||
               { bad=$((bad + 1)); no "$where: names $text, which is not in the repository"; } ;;
        esac ;;
    link)
        checked=$((checked + 1))
        case $text in
        *://* | mailto:*)
            bad=$((bad + 1))
            no "$where: link to $text leaves the repository: write a citation as text (DOI, PMID)"
            continue ;;
        esac
        path=${text%%#*}
        anchor=
        case $text in *'#'*) anchor=${text#*#} ;; esac
        if [ -z "$path" ]; then target=$file; else target=$dir/$path; fi
        if [ ! -e "$target" ]; then
            bad=$((bad + 1)); no "$where: link to $text: no file $target"
        elif [ -n "$anchor" ] && ! anchors "$target" | grep -qxF -- "$anchor"; then
            bad=$((bad + 1)); no "$where: link to $text: $target has no heading with the anchor #$anchor"
        fi ;;
    esac
done <"$T/refs"
if [ "$bad" -eq 0 ]; then ok; fi
echo "docs: $checked links and file names checked, $bad problems" >&2

# --- 3: the examples ---------------------------------------------------

# Split the ```sh blocks of one file into $2/B.kind (run, skip or
# transcript), B.where, B.reason; and for a transcript the commands
# B.K.cmd with their expected output B.K.out.
extract() {
    awk -v F="$1" -v D="$2" '
    function flushcmd() { if (cmd != "") { close(cf); close(of) } cmd = "" }
    !fence && /^```sh *$/ {
        fence = 1; b++; k = 0; cmd = ""; mode = ""
        pfx = sprintf("%s/%03d", D, b)
        print F ":" NR > (pfx ".where"); close(pfx ".where")
        if (prev ~ /^<!-- docs-test: skip/) {
            r = prev; sub(/^<!-- docs-test: skip:? */, "", r); sub(/ *-->.*$/, "", r)
            print r > (pfx ".reason"); close(pfx ".reason")
            mode = "skip"
        }
        next
    }
    fence && /^```/ {
        flushcmd()
        if (mode == "") mode = "run"
        print mode > (pfx ".kind"); close(pfx ".kind")
        fence = 0; prev = ""; next
    }
    fence {
        if (mode == "skip") next
        if (mode == "" && /^\$ /) mode = "transcript"
        if (mode == "transcript") {
            if (cont) { print $0 > cf; cont = /\\$/; next }
            if (/^\$ /) {
                flushcmd(); k++
                cf = sprintf("%s.%03d.cmd", pfx, k); of = sprintf("%s.%03d.out", pfx, k)
                cmd = substr($0, 3); print cmd > cf; printf "" > of
                cont = /\\$/
                next
            }
            if (cmd != "") print $0 > of
            next
        }
        print $0 > (pfx ".script")
        next
    }
    /[^ ]/ { prev = $0 }
    END { close(pfx ".script") }' "$1"
}

# Does the output $2 match the expected $1 ("..." lines and "..." in a line)?
matches() {
    awk '
    function eq(e, a,   n, i, p, parts) {
        if (index(e, "...") == 0) return e == a
        n = split(e, parts, /\.\.\./)
        if (substr(a, 1, length(parts[1])) != parts[1]) return 0
        a = substr(a, length(parts[1]) + 1)
        for (i = 2; i < n; i++) {
            p = index(a, parts[i]); if (p == 0) return 0
            a = substr(a, p + length(parts[i]))
        }
        return length(a) >= length(parts[n]) && substr(a, length(a) - length(parts[n]) + 1) == parts[n]
    }
    function m(i, j,   k) {
        while (i <= ne && ex[i] != "...") {
            if (j > na || !eq(ex[i], ac[j])) return 0
            i++; j++
        }
        if (i > ne) return j > na
        for (k = j; k <= na + 1; k++) if (m(i + 1, k)) return 1
        return 0
    }
    FNR == NR { ex[++ne] = $0; next }
    { ac[++na] = $0 }
    END { exit !m(1, 1) }' "$1" "$2"
}

mkdir "$T/bin"
ln -s "$SARX" "$T/bin/sarx"
# A sanitized SQLite extension (SAN=1) loads into Debian's sqlite3 only with
# its sanitizer runtime preloaded: the examples then find a sqlite3 that
# does so (leaks are the shell's business, not checked).
ext=$(dirname "$SARX")/sarx_sqlite.so
if [ -f "$ext" ] && command -v sqlite3 >/dev/null 2>&1; then
    pre=$(ldd "$ext" 2>/dev/null | awk '/libasan|libubsan/ { printf "%s%s", sep, $3; sep = ":" }')
    if [ -z "$pre" ] && nm -D --undefined-only "$ext" 2>/dev/null | grep -q '__asan_'; then
        pre=$(${CC:-cc} -print-file-name=libclang_rt.asan-x86_64.so 2>/dev/null)
        [ -f "$pre" ] || pre=$(${CC:-cc} -print-file-name=libasan.so 2>/dev/null)
    fi
    if [ -n "$pre" ]; then
        printf '#!/bin/sh\nLD_PRELOAD=%s ASAN_OPTIONS=detect_leaks=0 exec %s "$@"\n' "$pre" "$(command -v sqlite3)" \
            >"$T/bin/sqlite3"
        chmod +x "$T/bin/sqlite3"
    fi
fi
nrun=0
nskip=0
for f in $DOCS; do
    ex=$T/ex/$(echo "$f" | tr / _)
    work=$T/work/$(echo "$f" | tr / _)
    mkdir -p "$ex" "$work/build"
    cp -R examples "$work/"
    ln -s "$SARX" "$work/build/sarx"
    # the SQLite extension built beside sarx, for the examples that load it
    [ -f "$ext" ] && ln -s "$ext" "$work/build/sarx_sqlite.so"
    extract "$f" "$ex"
    for kind in "$ex"/*.kind; do
        [ -e "$kind" ] || continue
        b=${kind%.kind}
        where=$(cat "$b.where")
        case $(cat "$kind") in
        skip)
            if [ -s "$b.reason" ]; then nskip=$((nskip + 1)); ok
            else no "$where: a skipped example needs its reason (<!-- docs-test: skip: REASON -->)"; fi ;;
        run)
            nrun=$((nrun + 1))
            if (cd "$work" && PATH=$T/bin:$PATH timeout 120 sh -e "$b.script") >"$T/got" 2>&1; then ok
            else no "$where: the example exits $?:"; sed -n 1,10p "$T/got" >&2; fi ;;
        transcript)
            for c in "$b".*.cmd; do
                nrun=$((nrun + 1))
                o=${c%.cmd}.out
                (cd "$work" && PATH=$T/bin:$PATH timeout 120 sh -c "$(cat "$c")") >"$T/got" 2>&1
                rc=$?
                want=0
                last=$(tail -n 1 "$o")
                case $last in
                "# exit status "*) want=${last#"# exit status "}; sed '$d' "$o" >"$T/want" ;;
                *) cp "$o" "$T/want" ;;
                esac
                if [ "$rc" -ne "$want" ]; then
                    no "$where: \$ $(head -n 1 "$c"): exit status $rc, the manual says $want"
                    sed -n 1,10p "$T/got" >&2
                elif ! matches "$T/want" "$T/got"; then
                    no "$where: \$ $(head -n 1 "$c"): the output is not what the manual shows"
                    echo "--- the manual:" >&2; sed -n 1,15p "$T/want" >&2
                    echo "--- sarx:" >&2; sed -n 1,15p "$T/got" >&2
                else
                    ok
                fi
            done ;;
        esac
    done
done
echo "docs: $nrun example commands run, $nskip blocks skipped with a reason" >&2

# --- 4: the field table is generated ------------------------------------

if "$SARX" fields --format markdown >"$T/fields" 2>"$T/err"; then
    sed -n '/^<!-- BEGIN sarx fields --format markdown -->$/,/^<!-- END sarx fields -->$/p' docs/INPUT.md |
        sed '1d;$d' >"$T/doc-fields"
    if cmp -s "$T/fields" "$T/doc-fields"; then ok
    else no "docs/INPUT.md: the table of fields is not that of \`sarx fields --format markdown\` (sh tools/docs-fields.sh $1 rewrites it)"; fi
else
    no "sarx fields --format markdown: exit status $?: $(head -n 1 "$T/err")"
fi

# --- 5: figures the manual states about the code ------------------------

# The number of simulator targets is the number of rows of
# src/sim/targets.c's table, in the README and in docs/SIMULATOR.md's table.
n=$(grep -cE '^ *(LIFE|CENT|CENTR|NORM|NORMREF|NORMHELD|SHAREC|SHAREREF|SHAREHELD|PREV|PREVR|PREVREF)\("' src/sim/targets.c)
rows=$(sed -n '/^## Validation against published targets/,/^## /p' docs/SIMULATOR.md | grep -cE '^\| (lifespan|centile|norm|prevalence) \|')
if grep -q "checked against $n published targets" README.md && [ "$rows" -eq "$n" ]; then ok
else no "README.md and docs/SIMULATOR.md: src/sim/targets.c holds $n targets; the README says \"$(grep -o 'checked against [0-9]* published targets' README.md)\", docs/SIMULATOR.md's table has $rows rows"; fi

# The agreement with pymuscle: the README quotes docs/SIMULATOR.md's
# measured figure.
d=$(sed -n 's/^Largest difference: \([0-9.e+-]*\),.*/\1/p' docs/SIMULATOR.md)
if [ -n "$d" ] && grep -q "agrees with pymuscle to $d\." README.md; then ok
else no "README.md: the agreement with pymuscle must be docs/SIMULATOR.md's largest difference (${d:-none found})"; fi

# The health answer of docs/API.md is the one a live server gives (curl
# is needed; without it the check is skipped and says so).
if command -v curl >/dev/null 2>&1; then
    mkdir "$T/srv"
    (cd "$T/srv" && SARX_TOKEN=docs-test-token-0123456789 exec timeout 60 "$SARX" serve --db reg.db --port 0 --access-log off) 2>"$T/srv/err" &
    srv=$!
    port=
    i=0
    while [ -z "$port" ] && [ $i -lt 100 ]; do
        port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$T/srv/err")
        [ -n "$port" ] || sleep 0.1
        i=$((i + 1))
    done
    got=$(curl -s "http://127.0.0.1:$port/api/v1/health")
    kill "$srv" 2>/dev/null
    wait "$srv" 2>/dev/null
    want=$(sed -n '/^### `GET \/api\/v1\/health`/{n;p;}' docs/API.md | tr -d '`' | sed 's/": /":/g; s/, "/,"/g')
    if [ -n "$got" ] && [ "$got" = "$want" ]; then ok
    else no "docs/API.md: the health example is $want; the server answers ${got:-nothing (port ${port:-not found})}"; fi
else
    echo "docs: curl not found: the health answer of docs/API.md is not checked" >&2
fi

report
