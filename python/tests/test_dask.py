"""sarx.dask over a distributed.LocalCluster with two worker processes: a
partitioned CSV classified per partition, and the summary merged from each
partition's counts equal to `sarx cohort` on the whole file."""
import json
import subprocess

import pandas as pd
import pytest

import sarx

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
import sarx.dask  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                       silence_logs=40)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def parts(synth_bad, tmp_path_factory):
    """The synthetic file cut into 4 CSV files, each with the header."""
    path = synth_bad[0]
    d = tmp_path_factory.mktemp("parts")
    lines = open(path, encoding="utf-8").read().splitlines(keepends=True)
    head, body = lines[0], lines[1:]
    k = (len(body) + 3) // 4
    for i in range(4):
        with open(d / f"part-{i}.csv", "w", encoding="utf-8") as f:
            f.write(head)
            f.writelines(body[i * k:(i + 1) * k])
    return str(d / "part-*.csv")


def read(parts):
    # every cell as text (as `sarx cohort` reads it): no dtype guessing per partition
    return dd.read_csv(parts, dtype=str, keep_default_na=False, na_values=[""])


def test_workers_are_processes(client):
    info = client.scheduler_info()["workers"]
    assert len(info) == 2
    pids = client.run(lambda: __import__("os").getpid())
    assert len(set(pids.values())) == 2


def test_summary_equals_sarx_cohort(client, parts, synth_bad):
    ddf = read(parts)
    assert ddf.npartitions >= 4
    s = sarx.dask.summary(ddf)
    want = json.load(open(synth_bad[3], encoding="utf-8"))
    assert s == want
    assert sarx.dask.kappa(ddf, "ewgsop2", "awgs2019") == sarx.kappa(want, "ewgsop2", "awgs2019")
    pd.testing.assert_frame_equal(sarx.dask.prevalence(ddf, by="sex"), sarx.prevalence(want, by="sex"))


def test_selection_and_map(client, parts, synth_bad, sarx_cli, tmp_path):
    ddf = read(parts).rename(columns={"grip_kg": "Handgrip"})
    s = sarx.dask.summary(ddf, definitions="ewgsop2,awgs2019", map={"Handgrip": "grip_kg"})
    summ = tmp_path / "s.json"
    subprocess.run([sarx_cli, "cohort", str(synth_bad[0]), "--definitions", "ewgsop2,awgs2019", "--summary",
                    str(summ), "-o", str(tmp_path / "r.csv"), "--errors", str(tmp_path / "e.csv")],
                   capture_output=True)
    want = json.load(open(summ, encoding="utf-8"))
    want["columns"] = {("Handgrip" if k == "grip_kg" else k): v for k, v in want["columns"].items()}
    assert s == want


def test_classify_per_partition(client, parts, synth_bad):
    ddf = read(parts)
    rows = sarx.dask.classify(ddf)
    out = rows.compute()
    whole = sarx.classify(pd.read_csv(synth_bad[0], dtype=str, keep_default_na=False, na_values=[""]))
    whole.attrs.clear()
    pd.testing.assert_frame_equal(out.reset_index(drop=True), whole.reset_index(drop=True))
    # the same through map_partitions directly
    again = ddf.map_partitions(sarx.classify, definitions="ewgsop2", meta=sarx.classify(ddf._meta, "ewgsop2"))
    got = again.compute()
    assert list(got["ewgsop2"].astype(str)) == list(whole["ewgsop2"].astype(str))


def test_counts_of_another_mapping_are_refused(parts):
    ddf = read(parts)
    part = ddf.get_partition(0).compute()
    t = sarx.dask._counts_part(part, "ewgsop2", None, None, False)[0]
    with pytest.raises(sarx.SarxError):
        sarx.dask.merge(ddf.columns, [t], definitions="awgs2019")
    with pytest.raises(sarx.SarxError):
        sarx.dask.merge(list(ddf.columns)[:-1], [t], definitions="ewgsop2")
    with pytest.raises(sarx.SarxError):
        sarx.dask.merge(ddf.columns, ["{not counts"], definitions="ewgsop2")
