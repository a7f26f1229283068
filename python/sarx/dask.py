"""sarx over Dask data frames (Debian python3-dask, python3-distributed).

    import dask.dataframe as dd
    import sarx.dask
    ddf = dd.read_csv("cohort-*.csv", dtype=str, keep_default_na=False)
    rows = sarx.dask.classify(ddf)            # lazy: one sarx.classify per partition
    s = sarx.dask.summary(ddf)                # the summary of `sarx cohort` on all rows
    sarx.prevalence(s, by="sex"); sarx.kappa(s, "ewgsop2", "awgs2019")

Each partition is classified by its worker; for the summary each worker
sends its partition's counts (libsarx's counts JSON, a few kB) and the
client adds them with the library's exact merge: the numbers are those of
`sarx cohort` on the whole table, however it is partitioned.  Runs the same
on a LocalCluster and on a cluster of many machines (docs/PYTHON.md): the
workers need the package installed, nothing else.
"""
import json

import pandas as pd

from . import _cohort, _context, _map_text, _prepare, _selection, classify as _classify, kappa as _kappa
from . import prevalence as _prevalence


def classify(ddf, definitions=None, map=None, na=None, *, decimal_comma=False):
    """ddf.map_partitions(sarx.classify): a lazy Dask data frame of the
    per-row results (categories, <id>_complete, error), partitioned as ddf."""
    map = _map_text(map)  # read once here: workers need not see the file
    meta = _classify(ddf._meta, definitions, map, na, decimal_comma=decimal_comma)
    meta.attrs.clear()
    return ddf.map_partitions(_classify_part, definitions, map, na, decimal_comma, meta=meta)


def _classify_part(df, definitions, map, na, decimal_comma):
    out = _classify(df, definitions, map, na, decimal_comma=decimal_comma)
    out.attrs.clear()
    return out


def _counts_part(df, definitions, map, na, decimal_comma):
    """One partition's counts JSON, as a one-row Series."""
    _, cohort, cols, n, _ = _prepare(df, definitions, map, na, decimal_comma)
    cohort.classify(cols, n, None)
    return pd.Series([cohort.counts()], dtype=object)


def counts(ddf, definitions=None, map=None, na=None, *, decimal_comma=False):
    """A lazy Dask Series: each partition's counts JSON text."""
    map = _map_text(map)
    return ddf.map_partitions(_counts_part, definitions, map, na, decimal_comma, meta=pd.Series([], dtype=object))


def merge(columns, parts, definitions=None, map=None, na=None, *, decimal_comma=False):
    """The summary dict from counts JSON texts of partitions with these
    column names (the library refuses counts of other definitions or
    another column mapping)."""
    sel = _selection(definitions)
    _context(sel)
    _, cohort = _cohort([str(c) for c in columns], definitions, _map_text(map), na, decimal_comma)
    for t in parts:
        cohort.merge_counts(t)
    return json.loads(cohort.summary())


def summary(ddf, definitions=None, map=None, na=None, *, decimal_comma=False):
    """The summary of `sarx cohort --summary` over every partition, as a
    dict: per-partition counts computed on the workers, merged exactly."""
    map = _map_text(map)
    parts = counts(ddf, definitions, map, na, decimal_comma=decimal_comma).compute()
    return merge(ddf.columns, list(parts), definitions, map, na, decimal_comma=decimal_comma)


def prevalence(ddf, by=None, definitions=None, map=None, na=None, *, decimal_comma=False):
    """sarx.prevalence over every partition (one pass over the data)."""
    return _prevalence(summary(ddf, definitions, map, na, decimal_comma=decimal_comma), by)


def kappa(ddf, a, b, definitions=None, map=None, na=None, *, decimal_comma=False):
    """sarx.kappa over every partition (one pass over the data)."""
    return _kappa(summary(ddf, definitions, map, na, decimal_comma=decimal_comma), a, b)
