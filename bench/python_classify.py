#!/usr/bin/python3
"""Benchmark of the Python package (docs/PERFORMANCE.md, docs/PYTHON.md):
sarx.classify() over ROWS rows x every definition from a data frame in
memory, against the vectorised pandas baseline of
bench/pandas_ewgsop2_awgs.py (EWGSOP2 and AWGS 2019 only) on the same frame,
in the same run, alternated (A B A B ...), best of each.

  python3 bench/python_classify.py BUILD/sarx [ROWS] [ROUNDS]

(PYTHONPATH=BUILD/python/lib, as `make bench-python` sets it.)  The rows are
`sarx synth ROWS --seed 42`, read once with pandas as the baseline reads
them (numbers float64, id/sex/asm_method strings).  Timed:
  sarx       sarx.classify(df): every definition, the per-row Categorical
             and bool columns and the error column, the summary
  sarx-text  the same from a frame of text cells (every column object)
  count      the counts only (what sarx.summary and sarx.dask need)
  pandas     the baseline's computation (its main() with the frame given and
             its CSV writing skipped): EWGSOP2 and AWGS 2019 categories
  pandas-e2e the baseline as bench/cohort.sh runs it: a process that reads
             the CSV, computes and writes its rows
  csv        sarx.classify_csv(path): the same file read by the library
             itself, every definition, to the same result frame (file to
             result, in this process)
  csv+write  the same, then the two definitions the script writes
             (EWGSOP2, AWGS 2019) written to CSV with pandas' to_csv, the
             script's own writer, row numbers in place of its id column:
             the script's output file
  csv-e2e    csv+write as the script runs: a process that starts Python,
             imports sarx (and pandas), reads, classifies and writes
  engine     the C engine alone on the same rows (BUILD/bench/columns, one
             round per round here), when it is built
The ratios: sarx against pandas on the same in-memory frame (like for
like, though sarx computes 17 definitions and pandas 2); sarx from memory
against the baseline's whole run; and, the issue's comparison, file to
result: classify_csv (with and without writing the script's output, in
this process and as a process of its own) against the baseline's whole run.
Peak memory: the peak allocated during sarx.classify (tracemalloc) over
what was allocated before, against the size of the output columns; for
classify_csv, whose columns the extension allocates (not traced), the
csv-e2e process's peak resident size (VmHWM, reset after the imports)
over its size after the imports.
One core: the library is single-threaded here.
"""
import contextlib
import gc
import importlib.util
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc

import numpy as np
import pandas as pd

import sarx

HERE = os.path.dirname(os.path.abspath(__file__))


def baseline_module():
    spec = importlib.util.spec_from_file_location("pandas_baseline", os.path.join(HERE, "pandas_ewgsop2_awgs.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@contextlib.contextmanager
def frame_given(frame):
    """The baseline's main() reading `frame` instead of its CSV, and not
    writing its output (the computation alone is timed)."""
    read, write = pd.read_csv, pd.DataFrame.to_csv
    pd.read_csv = lambda *a, **k: frame
    pd.DataFrame.to_csv = lambda *a, **k: None
    try:
        yield
    finally:
        pd.read_csv, pd.DataFrame.to_csv = read, write


def peak_rise(fn):
    """The peak of memory allocated during fn() above what was allocated
    before, by tracemalloc: Python's allocators and numpy's arrays (the
    output, the extension's block buffers); libsarx's own few allocations
    (the cohort's tallies) are not traced."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    out = fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return out, peak - before


def timed(fn):
    """(processor time, wall time) of fn(): this process's and its
    children's processor time (user + sys), the fairer measure on a machine
    shared with other work."""
    gc.collect()
    r0, c0, w0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN), \
        time.perf_counter()
    fn()
    w1, r1, c1 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF), \
        resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(getattr(b, f) - getattr(a, f) for a, b in ((r0, r1), (c0, c1)) for f in ("ru_utime", "ru_stime"))
    return cpu, w1 - w0


ENGINE = re.compile(r"typed columns \(sarx_cohort_columns\):\s+([0-9.]+) s.*\(wall ([0-9.]+) s\)")


def engine(colbench, cli, rows):
    """The C engine alone: one round of bench/columns (sarx_cohort_columns
    on the same rows in C), its (processor, wall) time."""
    out = subprocess.run([colbench, cli, str(rows), "1"], check=True, capture_output=True, text=True).stdout
    m = ENGINE.search(out)
    return (float(m.group(1)), float(m.group(2))) if m else None


def write_two(out, dst):
    """The script's output: EWGSOP2 and AWGS 2019 categories, one row per
    input row, with pandas' to_csv (the row number in place of an id)."""
    out[["ewgsop2", "awgs2019"]].to_csv(dst, index_label="row")


def status_kib(key):
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def e2e(path, dst):
    """csv-e2e: read, classify, write; prints the resident size (KiB) after
    the imports and its peak after them (VmHWM, reset by clear_refs: the
    peak of getrusage would count the bench's own pages, copied by fork)."""
    after_import = status_kib("VmRSS")
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        pass
    out = sarx.classify_csv(path)
    classified = status_kib("VmHWM")
    write_two(out, dst)
    print(after_import, classified, status_kib("VmHWM"))
    return 0


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--e2e":
        return e2e(sys.argv[2], sys.argv[3])
    if len(sys.argv) < 2:
        sys.exit(__doc__.splitlines()[3].strip())
    cli = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1000000
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    d = tempfile.mkdtemp(prefix="sarx-bench-py-")
    try:
        return run(cli, rows, rounds, d)
    finally:
        shutil.rmtree(d)


def run(cli, rows, rounds, d):
    path = os.path.join(d, "synth.csv")
    subprocess.run([cli, "synth", str(rows), "--seed", "42", "-o", path], check=True)
    df = pd.read_csv(path, dtype={"id": "string", "sex": "string", "asm_method": "string"}, keep_default_na=True)
    text = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    base = baseline_module()
    with frame_given(df):
        base.main(path, os.devnull)  # warm up, and a check that it runs
    ndefs = len(sarx.definitions())
    colbench = os.path.join(os.path.dirname(os.path.abspath(cli)), "bench", "columns")
    have_engine = os.access(colbench, os.X_OK)
    e2e = [sys.executable, os.path.join(HERE, "pandas_ewgsop2_awgs.py"), path, os.path.join(d, "pandas.csv")]

    def pandas_computation():
        with frame_given(df):
            base.main(path, os.devnull)

    out2 = os.path.join(d, "sarx.csv")

    def csv_write():
        write_two(sarx.classify_csv(path), out2)

    e2e_sarx = [sys.executable, os.path.abspath(__file__), "--e2e", path, out2]
    runs = [("csv", lambda: sarx.classify_csv(path), "sarx.classify_csv(path): file to result, all definitions"),
            ("pandas-e2e", lambda: subprocess.run(e2e, check=True), "pandas baseline script: read CSV, "
                                                                     "compute, write rows"),
            ("csv+write", csv_write, "sarx.classify_csv + the script's two columns written (pandas to_csv)"),
            ("csv-e2e", lambda: subprocess.run(e2e_sarx, check=True, stdout=subprocess.DEVNULL),
             "a process: import sarx, classify_csv, write the two columns"),
            ("sarx", lambda: sarx.classify(df), "sarx.classify, typed frame, all definitions"),
            ("pandas", pandas_computation, "pandas baseline's computation, EWGSOP2 + AWGS 2019 only"),
            ("sarx-text", lambda: sarx.classify(text), "sarx.classify, text frame, all definitions"),
            ("count", lambda: sarx.summary(df), "sarx.summary (counts only), typed frame")]
    best = {k: [] for k, _, _ in runs}
    if have_engine:
        best["engine"] = []
    for r in range(rounds):
        for k, fn, _ in runs:
            best[k].append(timed(fn))
        if have_engine:
            e = engine(colbench, cli, rows)
            if e:
                best["engine"].append(e)
    b = {k: min(v) for k, v in best.items() if v}  # the best round by processor time
    print(f"{rows} rows, {ndefs} definitions (sarx), 2 (pandas); best of {rounds} rounds, alternated; processor "
          f"time (wall); python {sys.version.split()[0]}, pandas {pd.__version__}, numpy {np.__version__}")
    what = {k: w for k, _, w in runs}
    what["engine"] = "the C engine alone: bench/columns, sarx_cohort_columns"
    for k in [k for k, _, _ in runs] + (["engine"] if "engine" in b else []):
        cpu, wall = b[k]
        print(f"  {k:10s} {cpu:7.3f} s ({wall:6.3f} s)  {rows / cpu / 1e6:5.2f} M rows/s  {what[k]}")
    s, p = b["sarx"][0], b["pandas"][0]
    print(f"  sarx.classify vs the pandas computation on the same frame: {p / s:.1f}x faster "
          f"(sarx doing {ndefs} definitions, pandas 2: {p / s * ndefs / 2:.0f}x per definition)")
    print(f"  sarx.classify vs the pandas script's run: {b['pandas-e2e'][0] / s:.1f}x faster (the frame in memory)")
    pe = b["pandas-e2e"][0]
    print(f"  file to result against the pandas script's run (read, compute, write), beside the in-memory "
          f"like-for-like {p / s:.1f}x:")
    print(f"    sarx.classify_csv                     {pe / b['csv'][0]:5.1f}x faster")
    print(f"    sarx.classify_csv + writing its output {pe / b['csv+write'][0]:5.1f}x faster")
    print(f"    the same as a process of its own      {pe / b['csv-e2e'][0]:5.1f}x faster")
    rss = subprocess.run(e2e_sarx, check=True, capture_output=True, text=True).stdout.split()
    print(f"  memory of classify_csv (csv-e2e process, resident): {int(rss[0]) / 1024:.0f} MiB after the imports, "
          f"peak {(int(rss[1]) - int(rss[0])) / 1024:+.0f} MiB over it while classify_csv runs, "
          f"{(int(rss[2]) - int(rss[0])) / 1024:+.0f} MiB with the writing; the output columns "
          f"{rows * (2 * ndefs + 8) / 2**20:.0f} MiB (a byte per row for each category and completeness column, "
          f"a pointer for the error column), the file {os.path.getsize(path) / 2**20:.0f} MiB")
    if "engine" in b:
        print(f"  sarx.classify / the C engine alone: {s / b['engine'][0]:.2f}x the time (goal: <= 2)")
    out, rise = peak_rise(lambda: sarx.classify(df))
    outsize = sum(out[c].cat.codes.nbytes if isinstance(out[c].dtype, pd.CategoricalDtype) else out[c].nbytes
                  for c in out.columns)
    insize = int(df.memory_usage(deep=False).sum())
    print(f"  memory: input frame {insize / 2**20:.1f} MiB, output columns {outsize / 2**20:.1f} MiB, "
          f"peak allocated during classify {rise / 2**20:.1f} MiB (over the output: {(rise - outsize) / 2**20:+.1f} MiB)")
    bad = s > 1.0 * rows / 1e6 or pe / b["csv"][0] < 10
    if bad:
        print("  target missed: <= 1 s per million rows (classify), >= 10x the pandas baseline's run (classify_csv)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
