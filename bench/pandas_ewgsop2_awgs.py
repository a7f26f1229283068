#!/usr/bin/python3
"""Baseline for bench/cohort.sh: EWGSOP2 and AWGS 2019 categories with
vectorised pandas (Debian python3-pandas), reading and writing CSV like
`sarx cohort`.  Thresholds as in src/defs (Cruz-Jentoft 2019 Table 3; Chen
2020).  Missing values stay missing: a criterion is True, False or NA, and a
category needs its deciding criteria known; completeness flags are not
computed, so this does less work than sarx.
usage: pandas_ewgsop2_awgs.py IN.csv OUT.csv"""
import sys

import numpy as np
import pandas as pd


def anylow(*tests):
    """Alternative tests: low if any is low, else not low if any was judged, else NA."""
    low = np.zeros(len(tests[0]), dtype=bool)
    judged = np.zeros(len(tests[0]), dtype=bool)
    for value, is_low in tests:
        known = value.notna().to_numpy()
        low |= known & is_low.fillna(False).to_numpy()
        judged |= known
    return low, judged


def main(src, dst):
    d = pd.read_csv(src)
    male = d["sex"].str.lower().str[0] == "m"
    h2 = (d["height_cm"] / 100.0) ** 2
    asmi = d["asm_kg"] / h2
    # EWGSOP2
    s_low, s_known = anylow((d["grip_kg"], d["grip_kg"] < np.where(male, 27.0, 16.0)),
                            (d["chair_stand_5x_s"], d["chair_stand_5x_s"] > 15.0))
    m_low, m_known = anylow((asmi, asmi < np.where(male, 7.0, 5.5)))
    p_low, p_known = anylow((d["gait_speed_m_s"], d["gait_speed_m_s"] <= 0.8),
                            (d["sppb_score"], d["sppb_score"] <= 8),
                            (d["tug_s"], d["tug_s"] >= 20.0))
    e = np.full(len(d), "indeterminate", dtype=object)
    e[s_known & ~s_low] = "no_sarcopenia"
    e[s_low] = "probable_sarcopenia"
    e[s_low & m_low] = "sarcopenia"
    e[s_low & m_low & p_low] = "severe_sarcopenia"
    # AWGS 2019
    bia = d["asm_method"].fillna("dxa").str.lower() == "bia"
    cut = np.where(male, 7.0, np.where(bia, 5.7, 5.4))
    as_low, as_known = anylow((d["grip_kg"], d["grip_kg"] < np.where(male, 28.0, 18.0)))
    ap_low, ap_known = anylow((d["gait_speed_m_s"], d["gait_speed_m_s"] < 1.0),
                              (d["chair_stand_5x_s"], d["chair_stand_5x_s"] >= 12.0),
                              (d["sppb_score"], d["sppb_score"] <= 9))
    am_low, _ = anylow((asmi, asmi < cut))
    a = np.full(len(d), "indeterminate", dtype=object)
    a[(as_known & ~as_low) & (ap_known & ~ap_low)] = "no_sarcopenia"
    a[as_low | ap_low] = "possible_sarcopenia"
    a[am_low & (as_low | ap_low)] = "sarcopenia"
    a[am_low & as_low & ap_low] = "severe_sarcopenia"
    pd.DataFrame({"id": d["id"], "ewgsop2": e, "awgs2019": a}).to_csv(dst, index=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
