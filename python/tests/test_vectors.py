"""Every vector file (tests/vectors/*.txt) through sarx.classify(), one row
per case, each value in the column type pandas gives it (ints int64, floats
float64, booleans bool, text and lists as objects), as tests/vectors.c runs
them through `sarx cohort`; and every case through sarx.assess()
(categories, completeness, missing inputs, errors).  The format is
tests/vectors.c's: cases separated by blank lines, "key: value" lines."""
import glob
import json
import os

import numpy as np
import pandas as pd
import pytest

import sarx

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FILES = sorted(glob.glob(os.path.join(ROOT, "tests", "vectors", "*.txt")))
ICD10 = ("icd10", "icd-10", "http://hl7.org/fhir/sid/icd-10", "http://hl7.org/fhir/sid/icd-10-cm")


def load(path):
    """The cases of one file: dicts with name, in (parsed), expect [(def,
    cat, complete or None, missing or None)], error (kind, field) or None."""
    cases, c = [], None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip():
                c = None
                continue
            if line.startswith("#"):
                continue
            key, _, val = line.partition(":")
            val = val.strip()
            if key == "case":
                c = {"name": val, "line": n, "expect": [], "error": None, "in": None}
                cases.append(c)
            elif c is None:
                raise ValueError(f"{path}:{n}: a line outside a case")
            elif key == "in":
                c["in"] = json.loads(val)
            elif key == "expect":
                tok = val.split()
                complete, missing = None, None
                for t in tok[2:]:
                    if t in ("complete", "incomplete"):
                        complete = t == "complete"
                    elif t.startswith("missing="):
                        missing = sorted(x for x in t[8:].split(",") if x)
                    else:
                        raise ValueError(f"{path}:{n}: bad expect token {t}")
                c["expect"].append((tok[0], tok[1], complete, missing))
            elif key == "error":
                kind, field = val.split()[:2]
                c["error"] = (kind, field)
    return cases


def coded_text(item):
    """An ICD-10 coded condition's text form "icd10:CODE", else None."""
    if isinstance(item, dict) and set(item) == {"system", "code"} and isinstance(item["code"], str) \
            and isinstance(item["system"], str) and item["system"].lower() in ICD10:
        return "icd10:" + item["code"]
    return None


def row_able(case):
    """The cases a CSV row can hold (tests/vectors.c, csv_able)."""
    x = case["in"]
    if not isinstance(x, dict) or "weight_history" in x:
        return False
    for k in ("conditions", "medications"):
        for it in x.get(k) or []:
            if not isinstance(it, str) and (k == "medications" or coded_text(it) is None):
                return False
    if not case["expect"] and not case["error"]:
        return False
    if case["error"]:
        kind, field = case["error"]
        if kind not in ("range", "value", "syntax") and not (kind == "conflict" and field in ("sarc_f",
                                                                                              "fat_mass_pct")):
            return False
        if kind == "syntax" and "weight_history" in field:
            return False
    return True


def column(v):
    """One value as a one-row column of the type pandas would give it."""
    if isinstance(v, bool):
        return np.array([v])
    if isinstance(v, int):
        return np.array([v], dtype=np.int64)
    if isinstance(v, float):
        return np.array([v])
    a = np.empty(1, dtype=object)
    if isinstance(v, list):
        v = [coded_text(it) or it for it in v]
    a[0] = v
    return a


def check_row(case, out):
    fails = []
    if case["error"]:
        kind, field = case["error"]
        msg = out["error"].iloc[0]
        if msg is None or field not in msg:
            fails.append(f"expected the row rejected naming {field}, got {msg!r}")
        return fails
    if out["error"].iloc[0] is not None:
        return [f"row rejected: {out['error'].iloc[0]}"]
    for d, cat, complete, _ in case["expect"]:
        if d not in out:
            fails.append(f"no column {d}")
            continue
        got = out[d].iloc[0]
        if got != cat:
            fails.append(f"{d} is {got}, expected {cat}")
        elif complete is not None and bool(out[d + "_complete"].iloc[0]) != complete:
            fails.append(f"{d}_complete is {out[d + '_complete'].iloc[0]}")
    return fails


def check_assess(case):
    try:
        a = sarx.assess(case["in"], guidance=False)
    except sarx.SarxError as e:
        if not case["error"]:
            return [f"assess: {e}"]
        kind, field = case["error"]
        if not row_able(case) and field in e.message:
            return []  # a JSON type error (sex given as 1) is a cell's value error in a column: named all the same
        if e.code != kind or field not in e.message:
            return [f"assess: expected a {kind} error naming {field}, got {e.code}: {e.message}"]
        return []
    except (TypeError, ValueError) as e:  # what a dict of columns cannot hold
        return [] if case["error"] else [f"assess: {type(e).__name__}: {e}"]
    if case["error"]:
        # errors only JSON has (a wrong type for a field) are not errors of a cell
        return [] if not row_able(case) and "weight_history" not in case["in"] else \
            [f"assess: expected a {case['error'][0]} error"]
    fails = []
    res = {r["definition"]: r for r in a["results"]} if "results" in a else {}
    for d, cat, complete, missing in case["expect"]:
        r = res.get(d)
        if r is None:
            fails.append(f"assess: no result {d}")
        elif r["category"] != cat:
            fails.append(f"assess: {d} is {r['category']}, expected {cat}")
        elif complete is not None and r["complete"] != complete:
            fails.append(f"assess: {d} complete is {r['complete']}")
        elif missing is not None and sorted(r.get("missing", [])) != missing:
            fails.append(f"assess: {d} missing {sorted(r.get('missing', []))}, expected {missing}")
    return fails


@pytest.mark.parametrize("path", FILES, ids=[os.path.basename(p) for p in FILES])
def test_vector_file(path):
    cases = load(path)
    assert cases, f"no cases in {path}"
    fails, rows = [], 0
    for case in cases:
        if row_able(case):
            rows += 1
            frame = {k: column(v) for k, v in case["in"].items()}
            out = sarx.classify(frame) if frame else sarx.classify(pd.DataFrame(index=range(1)))
            fails += [f"line {case['line']} {case['name']}: {m}" for m in check_row(case, out)]
        if isinstance(case["in"], dict) and (case["expect"] or case["error"]):
            fails += [f"line {case['line']} {case['name']}: {m}" for m in check_assess(case)]
    assert not fails, f"{len(fails)} failures:\n" + "\n".join(fails[:40])
