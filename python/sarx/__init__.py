"""sarx for Python: every published definition of sarcopenia, dynapenia,
cachexia and malnutrition that libsarx knows, over pandas data frames.

    import sarx
    out = sarx.classify(df)                  # categories, <id>_complete, error
    out = df.sarx.classify(definitions="sarcopenia")
    sarx.prevalence(out, by="sex")           # the numbers of `sarx cohort`
    sarx.kappa(out, "ewgsop2", "awgs2019")
    sarx.assess({"sex": "female", "age_years": 81, "grip_kg": 14})

A thin client of libsarx (docs/PYTHON.md): the library reads every value,
applies every rule and computes every statistic; nothing is imputed.
Decision support with cited rules, never a diagnosis.
"""
import functools
import json
import os

import numpy as np
import pandas as pd

from . import _sarx
from ._columns import describe, frame_columns  # noqa: F401

__all__ = ["classify", "classify_csv", "assess", "prevalence", "kappa", "summary", "fields", "definitions", "catalogue",
           "SarxError", "version", "BLOCK"]
__version__ = "0.1.0"

BLOCK = 16384  # rows per call into the library: bounds the intermediate memory (about 3 MB)


class SarxError(ValueError):
    """An error of libsarx: code ("range", "value", "field", ...), field,
    value, allowed and message, as the library words them."""
    code = field = value = allowed = message = ""


_sarx.configure(SarxError, (pd.NA, pd.NaT))


def version():
    """The version of libsarx the extension was built with."""
    return _sarx.version()


@functools.lru_cache(maxsize=32)
def _context(definitions):
    return _sarx.Context(definitions)


def _selection(definitions):
    """definitions=: None (all), a comma-separated str, or a list of ids and kinds."""
    if definitions is None or isinstance(definitions, str):
        return definitions
    return ",".join(str(d) for d in definitions)


@functools.lru_cache(maxsize=32)
def _definitions(selection):
    defs = _context(selection).definitions()
    for d in defs:
        cats = list(d["categories"])
        if "indeterminate" not in cats:
            cats.append("indeterminate")
        d["dtype"] = pd.CategoricalDtype(cats, ordered=False)
    return defs


class _MapText(str):
    """A map's text, already read (what travels to Dask workers)."""


def _map_text(map):
    """map=: None, a dict (a JSON map), a path to a map file (CSV or JSON,
    as `sarx cohort --map`), or a map's text."""
    if map is None or isinstance(map, _MapText):
        return map
    if isinstance(map, dict):
        return _MapText(json.dumps(map))
    if isinstance(map, os.PathLike) or (isinstance(map, str) and "\n" not in map and not map.lstrip().startswith("{")):
        with open(os.fspath(map), encoding="utf-8") as f:
            return _MapText(f.read())
    if isinstance(map, str):
        return _MapText(map)
    raise TypeError(f"map must be a dict, a path or a map's text, not {type(map).__name__}")


def _na_text(na):
    """na=: None (the default codes), a comma-separated str, or a list of codes."""
    if na is None or isinstance(na, str):
        return na
    return ",".join(str(c) for c in na)


def _cohort(names, definitions, map, na, decimal_comma):
    sel = _selection(definitions)
    return sel, _sarx.Cohort(_context(sel), names, _map_text(map), _na_text(na), bool(decimal_comma))


def _prepare(data, definitions, map, na, decimal_comma):
    """(selection, cohort, columns, rows, index): the cohort made from
    data's column names, and the columns that feed a field described (the
    others are not read)."""
    made = []

    def used(names):
        made.extend(_cohort(names, definitions, map, na, decimal_comma))
        return [f is not None for f in made[1].fields(len(names))]

    _, cols, n, index = frame_columns(data, used)
    return made[0], made[1], cols, n, index


def classify(data, definitions=None, map=None, na=None, *, decimal_comma=False, block=BLOCK):
    """Every definition over every row of data (a DataFrame or a dict of
    arrays), as `sarx cohort` classifies a file's rows: the columns are
    matched by name (field names and their alternates, e.g. weight_lb),
    renamed and recoded by map= (a dict or a map file), na= replaces the
    missing-value codes of text cells.

    Returns a DataFrame with data's index: per definition (in the library's
    order) a Categorical column of its categories plus "indeterminate", and a
    bool column <id>_complete; then "error": None for a classified row, the
    library's message for a rejected one (its categories are NaN and its
    completeness False).  Missing values (NaN, None, pd.NA, NaT) stay
    missing.  result.attrs["sarx_summary"] holds the summary JSON text
    (prevalence, kappa), result.attrs["sarx_errors"] the rejected rows as
    (position, code, field, value, allowed, message).
    """
    sel, cohort, cols, n, index = _prepare(data, definitions, map, na, decimal_comma)
    defs = _definitions(sel)
    outs = [(np.empty(n, np.int8), np.empty(n, np.bool_)) for _ in defs]
    errs = cohort.classify(cols, n, outs, block)
    return _result(defs, outs, n, index, errs, cohort.summary())


def _result(defs, outs, n, index, errs, summary):
    """The frame classify() returns, from the per-definition output columns."""
    out = {}
    for d, (codes, comp) in zip(defs, outs):
        out[d["id"]] = pd.Categorical.from_codes(codes, dtype=d["dtype"])
        out[d["id"] + "_complete"] = comp
    err = np.full(n, None, dtype=object)
    for e in errs:
        err[e[0]] = e[5]
    out["error"] = err
    res = pd.DataFrame(out, index=index, copy=False)
    res.attrs["sarx_summary"] = summary
    res.attrs["sarx_errors"] = errs
    return res


def classify_csv(path, definitions=None, map=None, na=None, delimiter=None, decimal_comma=False):
    """Every definition over every row of a CSV file, read by the library
    itself as `sarx cohort` reads it (on one thread, the GIL released):
    what classify(pd.read_csv(path, dtype=str, keep_default_na=False))
    returns for a well-formed file, without pandas reading it.  The header
    after a UTF-8 byte-order mark; quoted fields (RFC 4180), with line ends
    in them; LF or CRLF; blank lines skipped.  delimiter: ",", ";" or "\\t";
    None finds it from the header as `sarx cohort` does (the split with the
    most columns sarx knows).  decimal_comma needs ";" or tab.  definitions,
    map and na as for classify().

    A row with the wrong number of fields, or one the reader refuses (text
    after a closing quote), is a rejected row with the library's message
    (never padded or cut): rows in the file = rows of the result.  The
    index is 0 .. rows - 1 (data rows, in order); attrs as for classify()
    (prevalence and kappa take the result).  Raises OSError when the file
    cannot be read, SarxError for an empty file or a header the library
    refuses.  Memory: the output columns and one block of the file."""
    if delimiter is None:
        delim = 0
    elif isinstance(delimiter, str) and len(delimiter.encode("utf-8")) == 1:
        delim = ord(delimiter)
    else:
        raise ValueError(f"delimiter={delimiter!r}: expected one character such as ',', ';' or '\\t'")
    sel = _selection(definitions)
    defs = _definitions(sel)
    n, bufs, errs, summary = _sarx.classify_csv(_context(sel), os.fspath(path), _map_text(map), _na_text(na),
                                                delim, bool(decimal_comma))
    outs = [(np.frombuffer(c, np.int8), np.frombuffer(k, np.bool_)) for c, k in bufs]
    return _result(defs, outs, n, pd.RangeIndex(n), errs, summary)


def _count(data, definitions=None, map=None, na=None, *, decimal_comma=False, block=BLOCK):
    """The cohort after counting every row of data (no per-row output)."""
    _, cohort, cols, n, _ = _prepare(data, definitions, map, na, decimal_comma)
    cohort.classify(cols, n, None, block)
    return cohort


def summary(data, definitions=None, map=None, na=None, *, decimal_comma=False):
    """The summary of `sarx cohort --summary` as a dict: rows, rejected,
    prevalence by definition and stratum (sex, age band) with 95 % Wilson
    intervals, agreement (Cohen's kappa) of each pair.  data: a DataFrame
    to classify, a result of classify() (its summary is reused), or a
    summary dict."""
    if isinstance(data, dict) and "definitions" in data and "strata" in data:
        return data
    if isinstance(data, pd.DataFrame) and "sarx_summary" in data.attrs:
        return json.loads(data.attrs["sarx_summary"])
    return json.loads(_count(data, definitions, map, na, decimal_comma=decimal_comma).summary())


_SEX = ("male", "female", "sex unknown")


def _kind(s, stratum):
    """A stratum's kind: "all", "sex" or "age_band", as the summary names it
    (stratum_kinds); from the name for a summary written before it did."""
    kinds = s.get("stratum_kinds")
    if kinds is not None:
        return kinds.get(stratum)
    return "all" if stratum == "all" else "sex" if stratum in _SEX else "age_band"


def prevalence(data, by=None, definitions=None, map=None, na=None, *, decimal_comma=False):
    """Prevalence of each definition's positive reading, as `sarx cohort`
    reports it, one row per definition and stratum.  by: None (all rows),
    "sex", "age" (age bands), or a list of those.  data as for summary().

    Columns: definition, stratum, n (rows), decided, indeterminate,
    reading_decided (the denominator), positive, prevalence, ci95_low,
    ci95_high, not_applicable (when the definition has that category)."""
    s = summary(data, definitions, map, na, decimal_comma=decimal_comma)
    wanted = [by] if isinstance(by, str) or by is None else list(by)
    strata = []
    for w in wanted:
        if w is None or w == "all":
            strata += ["all"]
        elif w == "sex":
            strata += [t for t in s["strata"] if _kind(s, t) == "sex"]
        elif w in ("age", "age_band"):
            strata += [t for t in s["strata"] if _kind(s, t) == "age_band"]
        else:
            raise ValueError(f'by={w!r}: expected None, "sex", "age" or a list of them')
    rows = []
    for d in s["definitions"]:
        for t in strata:
            b = d["by"].get(t)
            if b is None:
                continue
            p = b.get("positive", {})
            ci = p.get("ci95") or [None, None]
            row = {"definition": d["definition"], "stratum": t, "n": b.get("n"), "decided": b.get("decided"),
                   "indeterminate": b.get("indeterminate"), "reading_decided": b.get("reading_decided"),
                   "positive": p.get("count"), "prevalence": p.get("prevalence"), "ci95_low": ci[0],
                   "ci95_high": ci[1]}
            if "not_applicable" in b:
                row["not_applicable"] = b["not_applicable"]
            rows.append(row)
    out = pd.DataFrame(rows)
    for c in ("prevalence", "ci95_low", "ci95_high"):
        if c in out:
            out[c] = out[c].astype(float)
    return out


def kappa(data, a, b, definitions=None, map=None, na=None, *, decimal_comma=False):
    """Agreement of definitions a and b (Cohen's kappa of their positive
    readings on the rows where both are decided), as `sarx cohort` reports
    it: {"a", "b", "n", "table": [[both, a only], [b only, neither]],
    "agreement", "kappa"} (kappa None when undefined).  data as for
    summary()."""
    s = summary(data, definitions, map, na, decimal_comma=decimal_comma)
    for g in s.get("agreement", []):
        if g["a"] == a and g["b"] == b:
            return dict(g)
        if g["a"] == b and g["b"] == a:
            (both, only_b), (only_a, neither) = g["table"]
            r = dict(g)
            r.update(a=a, b=b, table=[[both, only_a], [only_b, neither]])
            return r
    ids = [d["definition"] for d in s["definitions"]]
    raise SarxError(f"no agreement of {a!r} and {b!r}: the definitions are {', '.join(ids)}")


def _one_row(d):
    """A dict of scalars as one row of typed columns."""
    cols = []
    for v in d.values():
        if isinstance(v, (bool, np.bool_)):
            cols.append(describe(np.array([bool(v)])))
        elif isinstance(v, (int, np.integer)) and -2**63 < int(v) < 2**63:
            cols.append(describe(np.array([int(v)], dtype=np.int64)))
        elif isinstance(v, (float, np.floating)):
            cols.append(describe(np.array([float(v)])))
        else:
            a = np.empty(1, dtype=object)
            a[0] = v
            cols.append(describe(a))
    return cols


def assess(subject, definitions=None, map=None, na=None, *, guidance=True, decimal_comma=False):
    """One person in full (the JSON of `sarx assess` as a dict): every
    definition's category, completeness, the missing inputs that would
    decide it, criteria with evidence and citations, derived values and,
    with guidance, likely contributors, red flags and a plan.  subject: a
    dict of field -> value, read as one row of classify() (names, units,
    map=, na=); a value that is a list is a list cell (conditions,
    medications).  A subject with a weight_history, or a list holding
    coded entries ({"system": ..., "code": ...}), is read as JSON, as `sarx
    assess` reads it (no map= or na= then).  Raises SarxError for a value
    the library rejects."""
    if not isinstance(subject, dict):
        raise TypeError(f"assess takes a dict, not {type(subject).__name__}")
    sel = _selection(definitions)
    if _json_only(subject):
        if map is not None or na is not None:
            raise ValueError("map= and na= apply to columns; a subject with a weight_history or coded conditions "
                             "is read as JSON")
        clean = {k: v for k, v in subject.items() if not _missing_scalar(v)}
        return json.loads(_context(sel).assess_json(json.dumps(clean, default=_json_default), guidance))
    _, cohort = _cohort([str(k) for k in subject], definitions, map, na, decimal_comma)
    return json.loads(cohort.assess(_one_row(subject), 1, 0, guidance))


def _json_only(subject):
    """Values a cell cannot hold: a weight history, coded list entries."""
    if "weight_history" in subject:
        return True
    return any(isinstance(v, (list, tuple)) and any(isinstance(i, dict) for i in v) for v in subject.values())


def _missing_scalar(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, (float, np.floating)) and np.isnan(v)


def _json_default(v):
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.ndarray):
        return v.tolist()
    raise TypeError(f"{type(v).__name__} is not JSON")


def fields():
    """Every input field and alternate name (`sarx fields`) as a DataFrame:
    name, canonical, kind, unit, min, max, values, description."""
    return pd.DataFrame(_sarx.fields())


def definitions(definitions=None):
    """The definitions (all, or a selection of ids and kinds) as a
    DataFrame: id, title, version, kind, citation, notes, categories (in
    order), positive (which categories count as having the condition),
    rules, criteria."""
    rows = [{k: v for k, v in d.items() if k != "dtype"} for d in _definitions(_selection(definitions))]
    return pd.DataFrame(rows)


def catalogue(definitions=None):
    """The catalogue of `sarx definitions --format json` as a dict."""
    return json.loads(_context(_selection(definitions)).catalogue())


from . import _accessor  # noqa: E402,F401  (registers df.sarx)
