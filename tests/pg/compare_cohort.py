"""The aggregates of the extension against `sarx cohort` on the same rows
(tests/pg/run.sh):

    python3 compare_cohort.py SUMMARY.json PREVALENCE.tsv KAPPA.tsv

SUMMARY.json is `sarx cohort --summary`; PREVALENCE.tsv has lines
"definition<TAB>sarx_prevalence(...)", KAPPA.tsv "a<TAB>b<TAB>sarx_kappa(...)".
Every definition's positive prevalence (count, of, the 95 % interval),
valid and invalid rows, and every pair's 2x2 table and kappa must agree.
The last line is "compare: N passed, N failed".
"""
import json
import sys

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL compare: " + what)


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6


def main():
    summary = json.load(open(sys.argv[1]))
    rejected = summary["rejected"]
    cohort = {d["definition"]: d["by"]["all"] for d in summary["definitions"]}
    seen = set()
    for line in open(sys.argv[2]):
        name, text = line.rstrip("\n").split("\t")
        p = json.loads(text)
        seen.add(name)
        c = cohort.get(name)
        check(c is not None, "%s: not in the cohort summary" % name)
        if c is None:
            continue
        pos = c.get("positive", {"count": 0, "of": 0, "ci95": None})
        check(p["n"] == c["n"], "%s: n %s, cohort %s" % (name, p["n"], c["n"]))
        check(p["invalid"] == rejected, "%s: invalid %s, cohort rejected %s" % (name, p["invalid"], rejected))
        check(p["positive"] == pos["count"], "%s: positive %s, cohort %s" % (name, p["positive"], pos["count"]))
        check(p["decided"] == pos["of"], "%s: decided %s, cohort %s" % (name, p["decided"], pos["of"]))
        lo, hi = (p["ci95"] or [None, None])
        clo, chi = (pos.get("ci95") or [None, None])
        check(close(lo, clo) and close(hi, chi), "%s: ci95 %s, cohort %s" % (name, p["ci95"], pos.get("ci95")))
    check(seen == set(cohort), "definitions: %s, cohort %s" % (sorted(seen), sorted(cohort)))
    agree = {(a["a"], a["b"]): a for a in summary["agreement"]}
    pairs = 0
    for line in open(sys.argv[3]):
        a, b, text = line.rstrip("\n").split("\t")
        k = json.loads(text)
        c = agree.get((a, b)) or agree.get((b, a))
        if c is None:
            check(k["pairs"] == 0 or k["kappa"] is None, "%s/%s: no cohort entry, pairs %s" % (a, b, k["pairs"]))
            continue
        pairs += 1
        table = k["table"] if (a, b) in agree else [[k["table"][0][0], k["table"][1][0]],
                                                    [k["table"][0][1], k["table"][1][1]]]
        check(table == c["table"], "%s/%s: table %s, cohort %s" % (a, b, table, c["table"]))
        check(k["pairs"] == c["n"], "%s/%s: pairs %s, cohort n %s" % (a, b, k["pairs"], c["n"]))
        check(close(k["kappa"], c["kappa"]), "%s/%s: kappa %s, cohort %s" % (a, b, k["kappa"], c["kappa"]))
        check(k["invalid"] == rejected, "%s/%s: invalid %s" % (a, b, k["invalid"]))
    check(pairs == len(agree), "pairs compared %d, cohort has %d" % (pairs, len(agree)))
    print("compare: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


sys.exit(main())
