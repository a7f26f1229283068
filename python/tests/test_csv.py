"""sarx.classify_csv(): a CSV file read by the library itself, against
sarx.classify(pd.read_csv(path, dtype=str, keep_default_na=False)) on the
same file and against `sarx cohort` on it: the same frame, the same rejected
rows with the same messages, the same summary; rows of the wrong length
rejected (never padded); delimiters, decimal comma, map files, NA codes, a
byte-order mark, quoted fields with line ends, blocks of the file cut at
records, empty and missing files."""
import csv
import json
import re
import subprocess

import numpy as np
import pandas as pd
import pytest

import sarx


def read_text(path, **kw):
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kw)


def same(got, want):
    """The same frame, rejected rows and summary."""
    pd.testing.assert_frame_equal(got, want)
    assert got.attrs["sarx_errors"] == want.attrs["sarx_errors"]
    assert json.loads(got.attrs["sarx_summary"]) == json.loads(want.attrs["sarx_summary"])


def write_rows(path, rows, delimiter=",", bom=False, newline="\n"):
    with open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as f:
        csv.writer(f, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return path


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def cohort(sarx_cli, path, *args):
    """`sarx cohort`'s rows, errors and summary of path."""
    d = path.parent
    rows, errs, summ = d / (path.stem + ".rows"), d / (path.stem + ".errs"), d / (path.stem + ".summary")
    subprocess.run([sarx_cli, "cohort", str(path), "-o", str(rows), "--errors", str(errs), "--summary", str(summ),
                    *args], capture_output=True, text=True)
    return read_text(rows), read_text(errs), json.load(open(summ, encoding="utf-8"))


def same_as_cli(out, cli):
    """classify_csv's result against `sarx cohort`'s rows, errors and summary."""
    rows, errs, summ = cli
    valid = out["error"].isna().to_numpy()
    assert valid.sum() == len(rows) and (~valid).sum() == len(errs)
    assert list(np.flatnonzero(~valid) + 1) == [int(r) for r in errs["row"]]
    assert list(np.flatnonzero(valid) + 1) == [int(r) for r in rows["row"]]
    for d in [c for c in rows.columns if c not in ("row", "line", "id") and not c.endswith("_complete")]:
        assert list(out[d][valid].astype(str)) == list(rows[d]), d
        assert list(out[d + "_complete"][valid]) == list(rows[d + "_complete"] == "true"), d
    assert list(out["error"][~valid]) == list(errs["message"])
    assert json.loads(out.attrs["sarx_summary"]) == summ


def test_equals_classify_of_read_csv(synth_bad):
    path = synth_bad[0]
    out = sarx.classify_csv(path)
    same(out, sarx.classify(read_text(path)))
    assert out["error"].notna().sum() > 50  # the --bad rows are there, rejected
    same(sarx.classify_csv(str(path), definitions="ewgsop2,awgs2019"),
         sarx.classify(read_text(path), definitions=["ewgsop2", "awgs2019"]))


def test_summary_equals_sarx_cohort(synth_bad):
    path, rows, errs, summ = synth_bad
    out = sarx.classify_csv(path)
    same_as_cli(out, (read_text(rows), read_text(errs), json.load(open(summ, encoding="utf-8"))))
    # prevalence and kappa take the result, and reuse its summary
    df = sarx.classify(read_text(path))
    pd.testing.assert_frame_equal(sarx.prevalence(out, by=["sex", "age"]), sarx.prevalence(df, by=["sex", "age"]))
    assert sarx.kappa(out, "ewgsop2", "awgs2019") == sarx.kappa(df, "ewgsop2", "awgs2019")


def test_rows_of_the_wrong_length_rejected(tmp_path, sarx_cli):
    raw = tmp_path / "raw.csv"
    subprocess.run([sarx_cli, "synth", "3000", "--seed", "7", "--bad", "0.05", "-o", str(raw)], check=True,
                   capture_output=True)
    rows = read_rows(raw)
    short = [i for i, r in enumerate(rows[1:]) if len(r) != len(rows[0])]
    assert short  # sarx synth --bad makes some
    out = sarx.classify_csv(raw)
    assert len(out) == len(rows) - 1  # rows in = rows out
    for i in short:
        assert re.fullmatch(r"the row has \d+ fields, the header \d+", out["error"][i])
        assert all(out[d].isna()[i] and not out[d + "_complete"][i] for d in sarx.definitions()["id"])
    same_as_cli(out, cohort(sarx_cli, raw))
    # a long row too
    rows[1] = rows[1] + ["extra"]
    longer = write_rows(tmp_path / "longer.csv", rows)
    got = sarx.classify_csv(longer)
    assert got["error"][0] == f"the row has {len(rows[0]) + 1} fields, the header {len(rows[0])}"
    same_as_cli(got, cohort(sarx_cli, longer))


def decimal_comma_rows(rows):
    num = re.compile(r"-?[0-9]+\.[0-9]+")
    return [rows[0]] + [[c.replace(".", ",") if num.fullmatch(c) else c for c in r] for r in rows[1:]]


def test_delimiter_and_decimal_comma(synth_bad, tmp_path, sarx_cli):
    path = synth_bad[0]
    want = sarx.classify_csv(path)
    rows = read_rows(path)
    semi = write_rows(tmp_path / "semi.csv", decimal_comma_rows(rows), delimiter=";")
    got = sarx.classify_csv(semi, delimiter=";", decimal_comma=True)
    same(got, sarx.classify(read_text(semi, sep=";"), decimal_comma=True))
    same(got, want)
    same(sarx.classify_csv(semi, decimal_comma=True), want)  # ';' found from the header
    same_as_cli(got, cohort(sarx_cli, semi, "--decimal-comma"))
    tab = write_rows(tmp_path / "tab.csv", rows, delimiter="\t")
    same(sarx.classify_csv(tab), want)
    same(sarx.classify_csv(tab, delimiter="\t"), want)
    with pytest.raises(ValueError, match="decimal_comma"):
        sarx.classify_csv(path, decimal_comma=True)
    with pytest.raises(ValueError, match="delimiter"):
        sarx.classify_csv(path, delimiter=";;")
    with pytest.raises(ValueError, match="delimiter"):
        sarx.classify_csv(path, delimiter='"')
    # a decimal point in a decimal-comma file is a rejected row, as the library reads it
    p = write_rows(tmp_path / "point.csv", [["sex", "age_years", "grip_kg"], ["female", "81", "14.5"]], ";")
    bad = sarx.classify_csv(p, decimal_comma=True)
    same(bad, sarx.classify(read_text(p, sep=";"), decimal_comma=True))


def test_map_file_and_na_codes(tmp_path):
    rows = [["Person", "SEX", "Age", "Handgrip", "gait_speed_m_s"],
            ["a", "2", "81", "14.5", "0.7"],
            ["b", "1", "70", "-99", "1.1"],
            ["c", "9", "90", "30", "-99"],
            ["d", "2", "NA", "12", ""],
            ["e", "1", "66", "250", "0.9"]]
    path = write_rows(tmp_path / "coded.csv", rows)
    mp = tmp_path / "map.csv"
    mp.write_text("column,field\nSEX,sex\nAge,age_years\nHandgrip,grip_kg\ncolumn,from,to\nSEX,1,male\nSEX,2,female\n"
                  "SEX,9,\n", encoding="utf-8")
    got = sarx.classify_csv(path, map=mp, na="NA,-99")
    same(got, sarx.classify(read_text(path), map=mp, na="NA,-99"))
    assert list(got["error"].isna()) == [True, True, True, True, False]  # -99 is missing; 250 kg out of range
    assert "grip_kg" in got["error"][4] and "250" in got["error"][4]
    same(sarx.classify_csv(path, map=str(mp), na=["NA", "-99"]), got)
    # without the codes, -99 is a value out of range: rejected
    plain = sarx.classify_csv(path, map=mp)
    same(plain, sarx.classify(read_text(path), map=mp))
    assert plain["error"][1] is not None and plain["error"][2] is not None
    # a map naming a column that is not there: the library's error
    with pytest.raises(sarx.SarxError, match="Grip"):
        sarx.classify_csv(path, map={"Grip": "grip_kg"})


def test_bom_crlf_blank_lines(synth_bad, tmp_path):
    path = synth_bad[0]
    want = sarx.classify_csv(path)
    rows = read_rows(path)
    bom = write_rows(tmp_path / "bom.csv", rows, bom=True, newline="\r\n")
    assert bom.read_bytes()[:3] == b"\xef\xbb\xbf"
    same(sarx.classify_csv(bom), want)
    same(sarx.classify_csv(bom), sarx.classify(read_text(bom, encoding="utf-8-sig")))
    text = path.read_text(encoding="utf-8").split("\n")
    blank = tmp_path / "blank.csv"
    blank.write_text("\n".join(text[:5] + [""] + text[5:]) + "\n\n", encoding="utf-8")
    same(sarx.classify_csv(blank), want)  # blank lines are no rows (pandas skips them too)


def test_quoted_fields_with_line_ends(tmp_path):
    rows = [["id", "sex", "age_years", "grip_kg", "gait_speed_m_s", "note"],
            ["a\nb", "female", "81", "14.5", "0.7", 'said "no",\r\nthen left'],
            ["c", "male", "70", "30", "1.1", "x;y"],
            ["d,e", "female", "90", "17", "", "line one\nline two\n"],
            ["f", '"male"', "66", "40", "0.9", ""]]
    path = write_rows(tmp_path / "quoted.csv", rows)
    assert '"a\nb"' in path.read_text(encoding="utf-8")
    got = sarx.classify_csv(path)
    same(got, sarx.classify(read_text(path)))
    assert len(got) == 4 and got["error"][:3].isna().all()


def test_refused_record_is_a_rejected_row(tmp_path, sarx_cli):
    path = tmp_path / "refused.csv"
    path.write_text('sex,age_years,grip_kg\nfemale,81,14\nmale,"70"5,30\nfemale,90,12\n', encoding="utf-8")
    got = sarx.classify_csv(path)
    assert len(got) == 3
    assert list(got["error"].isna()) == [True, False, True]
    row, code, field, value, allowed, message = got.attrs["sarx_errors"][0]
    assert row == 1 and field == "age_years" and message
    same_as_cli(got, cohort(sarx_cli, path))
    # a quote that never closes: the rest of the file is one refused row
    open_quote = tmp_path / "open.csv"
    open_quote.write_text('sex,age_years,grip_kg\nfemale,81,14\nmale,"70,30\nfemale,90,12\n', encoding="utf-8")
    got = sarx.classify_csv(open_quote)
    assert list(got["error"].isna()) == [True, False]
    same_as_cli(got, cohort(sarx_cli, open_quote))


def test_blocks(tmp_path, sarx_cli):
    """A file of several blocks (1 MiB each, cut at records), with a record
    longer than a block and quoted line ends across the cuts."""
    raw = tmp_path / "big.csv"
    subprocess.run([sarx_cli, "synth", "12000", "--seed", "11", "--bad", "0.02", "-o", str(raw)], check=True,
                   capture_output=True)
    rows = read_rows(raw)
    for i in range(1, len(rows), 7):
        rows[i][0] = rows[i][0] + "\nsecond line, \"quoted\""
    rows[5000][0] = "x" * (3 << 20)  # 3 MiB: longer than a block
    path = write_rows(tmp_path / "blocks.csv", rows)
    assert path.stat().st_size > 4 << 20
    got = sarx.classify_csv(path)
    assert len(got) == len(rows) - 1
    same_as_cli(got, cohort(sarx_cli, path))
    whole = tmp_path / "whole.csv"
    write_rows(whole, [rows[0]] + [r for r in rows[1:] if len(r) == len(rows[0])])
    same(sarx.classify_csv(whole), sarx.classify(read_text(whole)))


def test_empty_header_only_and_missing(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(sarx.SarxError, match="empty file"):
        sarx.classify_csv(empty)
    bom_only = tmp_path / "bom.csv"
    bom_only.write_bytes(b"\xef\xbb\xbf")
    with pytest.raises(sarx.SarxError, match="empty file"):
        sarx.classify_csv(bom_only)
    header = tmp_path / "header.csv"
    header.write_text("sex,age_years,grip_kg\n", encoding="utf-8")
    got = sarx.classify_csv(header)
    want = sarx.classify(read_text(header))
    pd.testing.assert_frame_equal(got, want, check_index_type=False)  # pandas' empty index is an object Index
    assert got.attrs["sarx_summary"] == want.attrs["sarx_summary"]
    assert len(got) == 0 and json.loads(got.attrs["sarx_summary"])["rows"] == 0
    with pytest.raises(FileNotFoundError):
        sarx.classify_csv(tmp_path / "no such file.csv")
    with pytest.raises(OSError):
        sarx.classify_csv(tmp_path)  # a directory
    with pytest.raises(sarx.SarxError):
        sarx.classify_csv(header, definitions="no_such_definition")


def test_result_is_an_ordinary_frame(synth_bad):
    out = sarx.classify_csv(synth_bad[0])
    out.loc[0, "ewgsop2_complete"] = not out.loc[0, "ewgsop2_complete"]  # writable columns
    assert out["ewgsop2"].dtype == sarx.classify(read_text(synth_bad[0]))["ewgsop2"].dtype
