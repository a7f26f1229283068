"""sarx.classify() on every column type it takes, missing values, errors,
the index, map= and na=, the accessor, assess(), fields(), definitions()."""
import datetime

import numpy as np
import pandas as pd
import pytest

import sarx

PEOPLE = {
    "id": ["a", "b", "c", "d", "e", "f"],
    "sex": ["female", "male", "female", "male", None, "female"],
    "age_years": [81, 74, 66, 90, 70, 85],
    "height_cm": [158.0, 172.5, np.nan, 169.0, 160.0, 150.2],
    "weight_kg": [52.0, 80.1, 61.0, np.nan, 70.0, 45.5],
    "grip_kg": [14.0, 30.5, 17.9, 22.0, np.nan, 12.0],
    "gait_speed_m_s": [0.6, 1.1, 0.9, np.nan, 0.7, 0.5],
    "asm_kg": [12.5, 22.0, np.nan, 18.0, 15.0, 11.0],
    "chair_stand_unable": [False, False, True, False, False, True],
}


def frame(**over):
    d = dict(PEOPLE)
    d.update(over)
    return pd.DataFrame(d)


def same(a, b):
    """Two classifications agree row by row (categories, completeness, errors)."""
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


@pytest.fixture(scope="module")
def base():
    return sarx.classify(frame())


def test_output_columns_and_types(base):
    defs = sarx.definitions()
    assert list(base.columns) == [c for d in defs["id"] for c in (d, d + "_complete")] + ["error"]
    for _, d in defs.iterrows():
        col = base[d["id"]]
        assert isinstance(col.dtype, pd.CategoricalDtype)
        assert list(col.cat.categories) == list(d["categories"]) + ["indeterminate"]
        assert base[d["id"] + "_complete"].dtype == np.bool_
    assert base["error"].isna().all()
    assert base["ewgsop2"].iloc[0] == "severe_sarcopenia"  # grip 14, ASMI 5.0, gait 0.6


def test_index_is_kept():
    df = frame()
    df.index = pd.Index([f"p{i}" for i in range(len(df))], name="who")
    out = sarx.classify(df)
    assert out.index.equals(df.index)


@pytest.mark.parametrize("dtype", ["float32", "Float64", "Float32"])
def test_float_types(base, dtype):
    df = frame()
    df["grip_kg"] = df["grip_kg"].astype(dtype)
    same(sarx.classify(df), base)


def test_float32_reads_as_its_shortest_decimal():
    """A float32 0.8 is the 0.8 it prints as (the library's reading), not
    0.800000011920929: EWGSOP2's gait cut-off <= 0.8 m/s holds."""
    gait = np.array([0.8, 0.81], dtype=np.float32)
    one = {"sex": ["female"] * 2, "grip_kg": [14.0] * 2, "asm_kg": [11.0] * 2, "height_cm": [160.0] * 2,
           "gait_speed_m_s": gait}
    out = sarx.classify(one)
    assert list(out["ewgsop2"]) == ["severe_sarcopenia", "sarcopenia"]
    same(out, sarx.classify(dict(one, gait_speed_m_s=[0.8, 0.81])))


@pytest.mark.parametrize("dtype", ["int32", "int64", "int16", "uint8", "Int64", "Int32", "float64", "object"])
def test_integer_types(base, dtype):
    df = frame()
    df["age_years"] = df["age_years"].astype(dtype)
    same(sarx.classify(df), base)


def test_nullable_with_missing_values():
    df = frame()
    df["age_years"] = pd.array([81, None, 66, 90, None, 85], dtype="Int64")
    df["chair_stand_unable"] = pd.array([False, None, True, False, None, True], dtype="boolean")
    df["grip_kg"] = pd.array([14.0, None, 17.9, 22.0, None, 12.0], dtype="Float64")
    want = frame()
    want["age_years"] = [81, np.nan, 66, 90, np.nan, 85]
    want["chair_stand_unable"] = np.array([False, None, True, False, None, True], dtype=object)
    want["grip_kg"] = [14.0, np.nan, 17.9, 22.0, np.nan, 12.0]
    same(sarx.classify(df), sarx.classify(want))


@pytest.mark.parametrize("kind", ["category", "string", "bytes", "numpy_str"])
def test_text_types(base, kind):
    df = frame()
    if kind == "category":
        df["sex"] = df["sex"].astype("category")
    elif kind == "string":
        df["sex"] = df["sex"].astype("string")
    elif kind == "bytes":
        df["sex"] = [s.encode() if s else None for s in df["sex"]]
    else:
        df = {k: (np.array(v, dtype=str) if k == "id" else v) for k, v in PEOPLE.items()}
    same(sarx.classify(df), base)


def test_missing_values_are_missing(base):
    """NaN, None, pd.NA, NaT and the empty cell are missing, nothing else."""
    for na in (None, np.nan, pd.NA, ""):
        df = frame(sex=["female", "male", "female", "male", na, "female"])
        same(sarx.classify(df), base)
    allnan = pd.DataFrame({"grip_kg": [np.nan, np.nan], "sex": [None, pd.NA]})
    out = sarx.classify(allnan)
    assert out["error"].isna().all() and (out["ewgsop2"] == "indeterminate").all()


def test_dates():
    d = [datetime.date(2024, 5, 1)] * 6
    text = sarx.classify(frame(assessment_date=["2024-05-01"] * 6))
    same(sarx.classify(frame(assessment_date=pd.to_datetime(d))), text)
    same(sarx.classify(frame(assessment_date=d)), text)  # date objects in an object column
    same(sarx.classify(frame(assessment_date=pd.to_datetime(d).tz_localize("UTC"))), text)
    nat = sarx.classify(frame(assessment_date=pd.to_datetime([None] * 6)))
    same(nat, sarx.classify(frame()))


def test_strided_columns(base):
    """Columns of a frame made from one 2-d array are strided views: read in place."""
    num = ["age_years", "height_cm", "weight_kg", "grip_kg", "gait_speed_m_s", "asm_kg"]
    arr = np.array([PEOPLE[k] for k in num], dtype=float).T.copy()
    df = pd.DataFrame(arr, columns=num)
    assert df["grip_kg"].to_numpy().strides[0] == 8 * len(num)
    df["sex"], df["id"], df["chair_stand_unable"] = PEOPLE["sex"], PEOPLE["id"], PEOPLE["chair_stand_unable"]
    same(sarx.classify(df), base)


def test_reversed_and_broadcast_columns(base):
    rev = {k: (np.asarray(v)[::-1] if k != "sex" and k != "id" else list(reversed(v))) for k, v in PEOPLE.items()}
    assert rev["grip_kg"].strides[0] < 0
    same(sarx.classify(rev).iloc[::-1], base)
    one = frame()
    b = np.broadcast_to(np.float64(75.0), len(one))
    assert b.strides[0] == 0
    want = frame(age_years=[75.0] * len(one))
    same(sarx.classify({k: b if k == "age_years" else one[k] for k in one}), sarx.classify(want))


def test_dict_of_arrays_and_lists(base):
    same(sarx.classify(dict(PEOPLE)), base)
    same(sarx.classify({k: np.asarray(v) if k != "sex" else v for k, v in PEOPLE.items()}), base)
    with pytest.raises(ValueError, match="different lengths"):
        sarx.classify({"grip_kg": [1.0, 2.0], "sex": ["male"]})


def test_list_cells():
    lists = sarx.classify(frame(conditions=[["copd", "cancer"], [], None, ["chronic kidney disease"], ["copd"],
                                            ("heart failure",)]))
    text = sarx.classify(frame(conditions=["copd;cancer", "", None, "chronic kidney disease", "copd",
                                           "heart failure"]))
    same(lists, text)


def test_bad_rows_are_reported_not_fatal():
    df = frame(grip_kg=[14.0, 250.0, 17.9, 22.0, np.nan, 12.0], sex=["female", "male", "unknown", "male", None,
                                                                     "female"])
    df["sppb_score"] = [7.5, 8, 9, 10, 11, 12]  # an integer field
    out = sarx.classify(df)
    assert len(out) == len(df)
    err = out["error"]
    assert "grip_kg" in err[1] and "250" in err[1] and "0-100" in err[1]
    assert "sex" in err[2] and "unknown" in err[2]
    assert "sppb_score" in err[0] and "7.5" in err[0]
    assert err[3:].isna().all()
    assert out.loc[0:2, "ewgsop2"].isna().all() and not out.loc[0:2, "ewgsop2_complete"].any()
    assert out.loc[3:, "ewgsop2"].notna().all()
    rows = out.attrs["sarx_errors"]
    assert [(r[0], r[2]) for r in rows] == [(0, "sppb_score"), (1, "grip_kg"), (2, "sex")]
    assert rows[1][1] == "range" and rows[1][3] == "250"
    s = sarx.summary(out)
    assert s["rows"] == 3 and s["rejected"] == 3


def test_unknown_columns_ignored():
    out = sarx.classify(frame(site=["x"] * 6))
    assert sarx.summary(out)["ignored_columns"] == ["site"]


def test_map_and_na(tmp_path):
    coded = frame(sex=[2, 1, 2, 1, 9, 2])
    m = {"sex": {"values": {"1": "male", "2": "female", "9": None}}}
    want = sarx.classify(frame())
    same(sarx.classify(coded, map=m), want)
    path = tmp_path / "map.csv"
    path.write_text("column,from,to\nsex,1,male\nsex,2,female\nsex,9,\n")
    same(sarx.classify(coded, map=str(path)), want)
    same(sarx.classify(coded, map=path), want)
    german = frame(sex=["weiblich", "männlich", "weiblich", "männlich", None, "weiblich"])  # not ASCII
    same(sarx.classify(german, map={"sex": {"values": {"männlich": "male", "weiblich": "female"}}}), want)
    renamed = frame().rename(columns={"grip_kg": "Handgrip"})
    same(sarx.classify(renamed, map={"Handgrip": "grip_kg"}), want)
    with pytest.raises(sarx.SarxError, match="Grip"):
        sarx.classify(frame(), map={"Grip": "grip_kg"})
    codes = frame(grip_kg=[14.0, 30.5, 17.9, 22.0, -99.0, 12.0])
    assert sarx.classify(codes)["error"][4] is not None
    same(sarx.classify(codes, na=["NA", "-99"]), want)
    same(sarx.classify(codes, na="NA,-99"), want)


def test_decimal_comma():
    df = frame(grip_kg=["14,0", "30,5", "17,9", "22", None, "12"])
    same(sarx.classify(df, decimal_comma=True), sarx.classify(frame()))


def test_empty_frame():
    out = sarx.classify(frame().iloc[:0])
    assert len(out) == 0 and "ewgsop2" in out


def test_accessor(base):
    df = frame()
    same(df.sarx.classify(), base)
    assert df.sarx.summary() == sarx.summary(base)
    pd.testing.assert_frame_equal(df.sarx.prevalence(by="sex"), sarx.prevalence(base, by="sex"))
    assert df.sarx.kappa("ewgsop2", "awgs2019") == sarx.kappa(base, "ewgsop2", "awgs2019")
    a = df.sarx.assess(0)
    assert {r["definition"]: r["category"] for r in a["results"]}["ewgsop2"] == base["ewgsop2"][0]


def test_assess():
    a = sarx.assess({"sex": "female", "age_years": 81, "grip_kg": 14.0, "gait_speed_m_s": 0.6})
    r = {x["definition"]: x for x in a["results"]}
    assert r["ewgsop2"]["category"] == "probable_sarcopenia" and not r["ewgsop2"]["complete"]
    assert "asm_kg" in " ".join(r["ewgsop2"]["missing"])
    assert "guidance" in a
    assert "guidance" not in sarx.assess({"sex": "female"}, guidance=False)
    a = sarx.assess({"SEX": 2, "grip": 14.0}, map={"SEX": {"field": "sex", "values": {"2": "female"}},
                                                   "grip": "grip_kg"})
    assert {x["definition"]: x["category"] for x in a["results"]}["ewgsop2"] == "probable_sarcopenia"
    with pytest.raises(sarx.SarxError) as e:
        sarx.assess({"grip_kg": 250})
    assert e.value.code == "range" and e.value.field == "grip_kg" and e.value.value == "250"
    assert "0-100" in e.value.allowed
    with pytest.raises(sarx.SarxError):
        sarx.assess({"sex": "female"}, definitions="nosuchthing")
    # a weight history is read as JSON, as `sarx assess` reads it
    a = sarx.assess({"sex": "male", "age_years": 70, "assessment_date": "2024-07-01", "weight_history": [
        {"date": "2024-01-01", "weight_kg": 80}, {"date": "2024-07-01", "weight_kg": 72}]})
    assert a["subject"]["derived"]["weight_loss_pct_6m"] == pytest.approx(10.0)


def test_fields_definitions_catalogue():
    f = sarx.fields()
    g = f.set_index("name").loc["grip_kg"]
    assert g["unit"] == "kg" and g["min"] == 0 and g["max"] == 100 and g["kind"] == "number"
    assert f.set_index("name").loc["weight_lb"]["canonical"] == "weight_kg"
    d = sarx.definitions()
    assert "ewgsop2" in list(d["id"]) and d.set_index("id").loc["ewgsop2"]["positive"][:2] == [True, True]
    assert list(sarx.definitions("cachexia")["kind"].unique()) == ["cachexia"]
    c = sarx.catalogue()
    assert c and isinstance(c, (dict, list))
    with pytest.raises(sarx.SarxError, match="nosuch"):
        sarx.definitions("nosuch")


def test_threads(base):
    """The GIL is released during the library's work: classify() from
    several threads at once (each call has its own cohort) gives the same."""
    from concurrent.futures import ThreadPoolExecutor
    big = pd.concat([frame()] * 20000, ignore_index=True)
    want = sarx.classify(big)
    with ThreadPoolExecutor(4) as ex:
        outs = list(ex.map(lambda _: sarx.classify(big), range(4)))
    for o in outs:
        same(o, want)
