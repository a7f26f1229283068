"""Shared fixtures: the repository, the sarx command (SARX_CLI, as
python/run-tests.sh sets it), synthetic cohorts made by `sarx synth`."""
import csv
import os
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def sarx_cli():
    path = os.environ.get("SARX_CLI") or os.path.join(ROOT, "build", "sarx")
    if not os.access(path, os.X_OK):
        pytest.fail(f"no sarx command at {path} (set SARX_CLI)")
    return path


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def whole_rows(src, dst):
    """Copy a CSV without the rows whose field count is not the header's:
    a data frame has no such rows (pandas pads or fails), so comparisons
    with `sarx cohort` use files without them.  Returns rows kept."""
    with open(src, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    keep = [r for r in rows[1:] if len(r) == len(rows[0])]
    with open(dst, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(rows[0])
        w.writerows(keep)
    return len(keep)


@pytest.fixture(scope="session")
def synth_bad(tmp_path_factory, sarx_cli):
    """A synthetic cohort of 3,000 rows with bad values (sarx synth --bad
    0.05), short rows removed; and `sarx cohort`'s rows, errors and summary
    of it: (csv path, rows path, errors path, summary path)."""
    d = tmp_path_factory.mktemp("synth")
    raw, path = d / "raw.csv", d / "cohort.csv"
    run([sarx_cli, "synth", "3000", "--seed", "7", "--bad", "0.05", "-o", str(raw)])
    whole_rows(raw, path)
    rows, errs, summ = d / "rows.csv", d / "errors.csv", d / "summary.json"
    subprocess.run([sarx_cli, "cohort", str(path), "-o", str(rows), "--errors", str(errs), "--summary", str(summ)],
                   capture_output=True, text=True)
    return path, rows, errs, summ
