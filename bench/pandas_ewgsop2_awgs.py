#!/usr/bin/python3
"""Baseline for bench/cohort.sh: EWGSOP2 and AWGS 2019 categories with
vectorised pandas (Debian python3-pandas), reading and writing CSV like
`sarx cohort --definitions ewgsop2,awgs2019`.

The same rules as src/defs/ewgsop2.c and src/defs/awgs2019.c (Cruz-Jentoft
2019 Table 3; Chen 2020), row by row, with the engine's reading of them
(src/assess.c): a row whose value is missing is "missing", a sex-specific
row with the sex unknown is "unknown"; a criterion is met when a row is
met, else unknown when a row is unknown, else not met when a row is not
met, else unknown when a row is missing; "unable" flags (chair stand,
400 m walk) only count when met; comparisons are equal within 1e-9 of a
cut-off; a category is the first of the definition's list whose rule is
met in three-valued logic, else "indeterminate".  Nothing is imputed.
It writes categories only: the completeness flags sarx also writes are not
computed, so this does less work than sarx.  Values that sarx sets aside
for a condition (pregnancy, an unadjusted amputation) are not modelled:
`sarx synth` files have no such columns.  Check it against sarx with
--check ROWS.csv (the rows file of `sarx cohort`).
usage: pandas_ewgsop2_awgs.py IN.csv OUT.csv [--check SARX_ROWS.csv]"""
import sys

import numpy as np
import pandas as pd

NOT, MET, UNK = 0, 1, 2


def column(d, name):
    """A number column as float64, all missing when the file has none."""
    if name not in d:
        return np.full(len(d), np.nan)
    return pd.to_numeric(d[name], errors="coerce").to_numpy(dtype=float)


def flag(d, name):
    """A true/false column as 1.0 / 0.0 / NaN."""
    if name not in d:
        return np.full(len(d), np.nan)
    words = d[name].astype("string").str.strip().str.lower()
    return words.map({"true": 1.0, "false": 0.0, "1": 1.0, "0": 0.0, "yes": 1.0, "no": 0.0}).astype(float).to_numpy()


def holds(op, v, t):
    """v op t, equal within 1e-9 * max(1, |t|) of t (sarx__cmp)."""
    tol = 1e-9 * max(1.0, abs(t))
    with np.errstate(invalid="ignore"):
        eq = np.abs(v - t) <= tol
        if op == "<":
            return ~eq & (v < t)
        if op == "<=":
            return eq | (v < t)
        if op == ">":
            return ~eq & (v > t)
        if op == ">=":
            return eq | (v > t)
        return v == t  # "is" on 0/1 flags


class Person:
    def __init__(self, d):
        self.n = len(d)
        sex = d["sex"].astype("string").str.strip().str.lower() if "sex" in d else pd.Series([pd.NA] * len(d))
        self.male = sex.isin(["m", "male"]).fillna(False).to_numpy(dtype=bool)
        self.female = sex.isin(["f", "female"]).fillna(False).to_numpy(dtype=bool)
        self.sex_known = self.male | self.female
        meth = d["asm_method"].astype("string").str.strip().str.lower() if "asm_method" in d else None
        self.bia = meth.eq("bia").fillna(False).to_numpy(dtype=bool) if meth is not None else np.zeros(len(d), bool)
        self.height = column(d, "height_cm")


def criterion(p, rows):
    """rows: (value, op, threshold, sex "m"/"f"/None, applies mask or None, only_met)."""
    any_met = np.zeros(p.n, bool)
    any_unk = np.zeros(p.n, bool)
    any_not = np.zeros(p.n, bool)
    any_miss = np.zeros(p.n, bool)
    for value, op, t, sex, applies, only_met in rows:
        app = np.ones(p.n, bool) if applies is None else applies.copy()
        if sex == "m":
            app &= ~p.female
        elif sex == "f":
            app &= ~p.male
        missing = app & np.isnan(value)
        unknown = app & ~missing & (~p.sex_known if sex else np.zeros(p.n, bool))
        judged = app & ~missing & ~unknown
        met = judged & holds(op, value, t)
        any_met |= met
        if only_met:
            continue
        any_unk |= unknown
        any_not |= judged & ~met
        any_miss |= missing
    st = np.full(p.n, NOT, dtype=np.int8)
    st[any_miss] = UNK
    st[any_not] = NOT
    st[any_unk] = UNK
    st[any_met] = MET
    return st


def and3(*xs):
    out = np.full(len(xs[0]), MET, dtype=np.int8)
    for x in xs:
        out[(x == UNK) & (out == MET)] = UNK
    for x in xs:
        out[x == NOT] = NOT
    return out


def or3(*xs):
    return not3(and3(*[not3(x) for x in xs]))


def not3(x):
    out = x.copy()
    out[x == MET] = NOT
    out[x == NOT] = MET
    return out


def decide(n, cats):
    """The first category whose rule is met, else indeterminate."""
    out = np.full(n, "indeterminate", dtype=object)
    taken = np.zeros(n, bool)
    for name, rule in cats:
        pick = (rule == MET) & ~taken
        out[pick] = name
        taken |= pick
    return out


def main(src, dst, check=None):
    d = pd.read_csv(src, dtype={"id": "string", "sex": "string", "asm_method": "string"}, keep_default_na=True)
    p = Person(d)
    grip, chair, gait = column(d, "grip_kg"), column(d, "chair_stand_5x_s"), column(d, "gait_speed_m_s")
    sppb, tug, walk = column(d, "sppb_score"), column(d, "tug_s"), column(d, "walk_400m_s")
    asm = column(d, "asm_kg")
    unable, walked = flag(d, "chair_stand_unable"), flag(d, "walk_400m_completed")
    h = p.height / 100.0
    asmi = asm / (h * h)
    no_height = np.isnan(p.height)
    # EWGSOP2
    s = criterion(p, [(grip, "<", 27.0, "m", None, False), (grip, "<", 16.0, "f", None, False),
                      (chair, ">", 15.0, None, None, False), (unable, "is", 1.0, None, None, True)])
    m = criterion(p, [(asmi, "<", 7.0, "m", None, False), (asmi, "<", 5.5, "f", None, False),
                      (asm, "<", 20.0, "m", no_height, False), (asm, "<", 15.0, "f", no_height, False)])
    q = criterion(p, [(gait, "<=", 0.8, None, None, False), (sppb, "<=", 8.0, None, None, False),
                      (tug, ">=", 20.0, None, None, False), (walk, ">=", 360.0, None, None, False),
                      (walked, "is", 0.0, None, None, True)])
    e = decide(p.n, [("severe_sarcopenia", and3(s, m, q)), ("sarcopenia", and3(s, m)),
                     ("probable_sarcopenia", s), ("no_sarcopenia", not3(s))])
    # AWGS 2019
    s = criterion(p, [(grip, "<", 28.0, "m", None, False), (grip, "<", 18.0, "f", None, False)])
    q = criterion(p, [(gait, "<", 1.0, None, None, False), (chair, ">=", 12.0, None, None, False),
                      (unable, "is", 1.0, None, None, True), (sppb, "<=", 9.0, None, None, False)])
    m = criterion(p, [(asmi, "<", 7.0, "m", ~p.bia, False), (asmi, "<", 5.4, "f", ~p.bia, False),
                      (asmi, "<", 7.0, "m", p.bia, False), (asmi, "<", 5.7, "f", p.bia, False)])
    a = decide(p.n, [("severe_sarcopenia", and3(m, s, q)), ("sarcopenia", and3(m, or3(s, q))),
                     ("possible_sarcopenia", or3(s, q)), ("no_sarcopenia", and3(not3(s), not3(q)))])
    out = pd.DataFrame({"id": d["id"] if "id" in d else pd.RangeIndex(1, p.n + 1), "ewgsop2": e, "awgs2019": a})
    out.to_csv(dst, index=False)
    if check:
        ref = pd.read_csv(check, dtype={"id": "string"}, usecols=["id", "ewgsop2", "awgs2019"])
        if len(ref) != len(out):
            sys.exit(f"check: {len(ref)} rows in {check}, {len(out)} here")
        for col in ("ewgsop2", "awgs2019"):
            bad = (ref[col].to_numpy() != out[col].to_numpy()).sum()
            print(f"check {col}: {len(out) - bad} of {len(out)} rows agree with sarx", file=sys.stderr)
            if bad:
                sys.exit(1)


if __name__ == "__main__":
    args = sys.argv[1:]
    chk = None
    if len(args) == 4 and args[2] == "--check":
        chk = args[3]
        args = args[:2]
    if len(args) != 2:
        sys.exit(__doc__.splitlines()[-1])
    main(args[0], args[1], chk)
