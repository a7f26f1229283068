#!/usr/bin/python3
"""bench/pymuscle_compare.py PYMUSCLE_DIR [BUILD] -- check sarx's motor-unit pool
against pymuscle's PotvinFuglevandMuscle step by step, then time both.

PYMUSCLE_DIR is a checkout of iandanforth/pymuscle kept outside this
repository (pymuscle's code is never committed here); it needs only Debian's
python3-numpy.  CI does not run this script.  Prints the largest relative
difference of the total force per step (target <= 1e-9) and a Markdown table
of MU-steps per second for N = 120, 1,000 and 10,000, both measured in this
run.
"""
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.path.insert(0, sys.argv[1])
    build = sys.argv[2] if len(sys.argv) > 2 else "build"
    import numpy as np
    from pymuscle import PotvinFuglevandMuscle

    worst = 0.0
    cases = [(120, 10.0, 0.02, 400), (120, 40.0, 0.02, 400), (120, 67.0, 0.02, 400),
             (1000, 40.0, 0.02, 400), (120, 40.0, 1.0, 300), (120, 40.0, 1.0, 21000)]
    print("Agreement, total force per step (fatigue on):\n")
    print("| units | excitation | dt (s) | steps | max relative difference |")
    print("|---|---|---|---|---|")
    for n, e, dt, steps in cases:
        out = subprocess.run([f"{build}/sarx", "simulate", "--pool", str(n), "--steps", str(steps),
                              "--excitation", repr(e), "--dt", repr(dt)],
                             check=True, capture_output=True, text=True).stdout.split()
        ours = [float(x) for x in out]
        m = PotvinFuglevandMuscle(n)
        rel = 0.0
        for k in range(steps):
            theirs = m.step(e, dt)
            d = abs(ours[k] - theirs) / max(abs(theirs), 1e-300)
            rel = max(rel, d)
        worst = max(worst, rel)
        print(f"| {n} | {e} | {dt} | {steps} | {rel:.2e} |")
    print(f"\nlargest difference: {worst:.2e} ({'within' if worst <= 1e-9 else 'OUTSIDE'} 1e-9)\n")

    ours = {}
    text = subprocess.run([f"{build}/bench/sim_bench", "pool"], check=True, capture_output=True,
                          text=True).stdout
    for line in text.splitlines():
        if "N =" in line:
            n = int(line.split("N =")[1].split(":")[0])
            ours[n] = float(line.split(",")[1].split("M")[0])
    print("Speed, MU-steps per second (excitation 40, dt 0.02 s, fatigue on; the fastest of 3 runs each):\n")
    print("| units | pymuscle (baseline) | sarx | x baseline |")
    print("|---|---|---|---|")
    for n in (120, 1000, 10000):
        x = np.full(n, 40.0)
        steps = max(200, 2000000 // n)
        t = float("inf")
        for _ in range(3):  # the fastest of 3 runs, as for sarx (bench/sim_bench.c)
            m = PotvinFuglevandMuscle(n)
            t0 = time.perf_counter()
            for _ in range(steps):
                m.step(x, 0.02)
            t = min(t, time.perf_counter() - t0)
        base = steps * n / t / 1e6
        print(f"| {n} | {base:.1f} M | {ours[n]:.1f} M | {ours[n] / base:.0f} |")
    return 0 if worst <= 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main())
