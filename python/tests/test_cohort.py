"""sarx.classify() against `sarx cohort` on the same synthetic file with
bad rows: the same per-row categories and completeness, the same rejected
rows, and the same summary (prevalence, agreement) to the last digit, read
as text (as the command reads it) and with the column types pandas infers."""
import json

import numpy as np
import pandas as pd
import pytest

import sarx


def text_frame(path):
    """Every cell as its text; an empty cell missing."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def typed_frame(path):
    """The types pandas infers (float64 for numbers, object where a column
    holds a bad word, bool for clean true/false columns), with pandas' own
    missing-value codes; round_trip: each number the double of its text."""
    return pd.read_csv(path, float_precision="round_trip")


@pytest.fixture(scope="module")
def cli(synth_bad):
    path, rows, errs, summ = synth_bad
    return {
        "frame": text_frame(path),
        "rows": pd.read_csv(rows, dtype=str, keep_default_na=False),
        "errors": pd.read_csv(errs, dtype=str, keep_default_na=False),
        "summary": json.load(open(summ, encoding="utf-8")),
        "path": path,
    }


def compare_rows(out, cli):
    rows, errs = cli["rows"], cli["errors"]
    n = len(cli["frame"])
    assert len(out) == n
    valid = out["error"].isna().to_numpy()
    # rows in = rows classified + rows rejected, and the same rows each way
    assert valid.sum() == len(rows) and (~valid).sum() == len(errs)
    assert list(np.flatnonzero(~valid) + 1) == [int(r) for r in errs["row"]]
    assert list(np.flatnonzero(valid) + 1) == [int(r) for r in rows["row"]]
    got = out[valid]
    for d in sarx.definitions()["id"]:
        assert list(got[d].astype(str)) == list(rows[d]), d
        assert list(got[d + "_complete"]) == list(rows[d + "_complete"] == "true"), d
    # the messages are the command's
    assert list(out["error"][~valid]) == list(errs["message"])


def test_rows_text(cli):
    out = sarx.classify(cli["frame"])
    compare_rows(out, cli)


def test_summary_text(cli):
    out = sarx.classify(cli["frame"])
    assert sarx.summary(out) == cli["summary"]
    assert json.loads(out.attrs["sarx_summary"]) == cli["summary"]


def test_typed_frame(cli):
    df = typed_frame(cli["path"])
    assert df["height_cm"].dtype == np.float64  # numbers go as doubles, not text
    out = sarx.classify(df)
    assert sarx.summary(out) == cli["summary"]
    compare_rows(out, cli)


def test_prevalence_and_kappa_are_the_commands(cli):
    s = cli["summary"]
    out = sarx.classify(cli["frame"])
    p = sarx.prevalence(out, by=["sex", "age"])
    for d in s["definitions"]:
        for stratum, b in d["by"].items():
            if stratum == "all":
                continue
            r = p[(p.definition == d["definition"]) & (p.stratum == stratum)]
            assert len(r) == 1, (d["definition"], stratum)
            r = r.iloc[0]
            assert r["positive"] == b["positive"]["count"] and r["reading_decided"] == b["reading_decided"]
            if b["positive"]["prevalence"] is None:
                assert np.isnan(r["prevalence"])
            else:
                assert r["prevalence"] == b["positive"]["prevalence"]
                assert [r["ci95_low"], r["ci95_high"]] == b["positive"]["ci95"]
    allp = sarx.prevalence(cli["frame"])  # from the input frame: classified again
    assert list(allp.stratum.unique()) == ["all"] and len(allp) == len(s["definitions"])
    for g in s["agreement"]:
        k = sarx.kappa(out, g["a"], g["b"])
        assert k == g
        r = sarx.kappa(out, g["b"], g["a"])  # the other way round: the table transposed
        assert r["kappa"] == g["kappa"] and r["table"] == [[g["table"][0][0], g["table"][1][0]],
                                                           [g["table"][0][1], g["table"][1][1]]]


def test_strata_by_the_kinds_the_summary_names(cli):
    s = cli["summary"]
    assert list(s["stratum_kinds"]) == s["strata"]
    assert {s["stratum_kinds"][t] for t in s["strata"]} == {"all", "sex", "age_band"}
    by_sex = set(sarx.prevalence(s, by="sex").stratum)
    assert by_sex == {t for t in s["strata"] if s["stratum_kinds"][t] == "sex"}
    # the reader takes the kinds as named, not from the names...
    named = dict(s, stratum_kinds=dict(s["stratum_kinds"], **{"70-79": "sex"}))
    assert "70-79" in set(sarx.prevalence(named, by="sex").stratum)
    assert "70-79" not in set(sarx.prevalence(named, by="age").stratum)
    # ...and a summary written before they were named reads as before
    old = {k: v for k, v in s.items() if k != "stratum_kinds"}
    pd.testing.assert_frame_equal(sarx.prevalence(old, by=["sex", "age"]), sarx.prevalence(s, by=["sex", "age"]))


def test_blocks_do_not_matter(cli):
    whole = sarx.classify(cli["frame"])
    small = sarx.classify(cli["frame"], block=97)
    pd.testing.assert_frame_equal(whole, small)
    assert whole.attrs["sarx_summary"] == small.attrs["sarx_summary"]


def test_definitions_selection(cli, synth_bad, sarx_cli, tmp_path):
    import subprocess
    path = synth_bad[0]
    out = sarx.classify(cli["frame"], definitions="ewgsop2,cachexia")
    ids = list(sarx.definitions("ewgsop2,cachexia")["id"])
    assert [c for c in out.columns if not c.endswith("_complete") and c != "error"] == ids
    summ = tmp_path / "s.json"
    r = subprocess.run([sarx_cli, "cohort", str(path), "--definitions", "ewgsop2,cachexia", "--summary", str(summ),
                        "-o", str(tmp_path / "r.csv"), "--errors", str(tmp_path / "e.csv")], capture_output=True)
    assert r.returncode == 1  # some rows are rejected
    assert sarx.summary(out) == json.load(open(summ, encoding="utf-8"))
