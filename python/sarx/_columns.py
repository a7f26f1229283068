"""Columns of a data frame (or a dict of arrays) as the C extension takes them.

Each column becomes (kind, data, flags, na) for sarx._sarx.Cohort:
numpy float64, float32, int32, int64 and bool arrays go to the library as
they are (no copy, any stride); pandas' nullable Int*/boolean/Float* arrays
too when nothing is missing, else a copy with a missing marker (NaN, the
type's minimum, or 2 for booleans); object and string columns as objects
(the extension takes each cell's UTF-8 text); a Categorical as its codes and
its categories' text; datetime64 as days since 1970-01-01.  Nothing here
reads a value: the library does (docs/COLUMNS.md).
"""
import numpy as np
import pandas as pd

from . import _sarx

NONE, DOUBLE, FLOAT, INT32, INT64, BOOL8, TEXT, CAT = range(8)
_NUMPY = {np.dtype(np.float64): DOUBLE, np.dtype(np.float32): FLOAT, np.dtype(np.int32): INT32,
          np.dtype(np.int64): INT64}
_NS_PER_DAY = 86400 * 10**9
_I64_MIN = np.iinfo(np.int64).min


def _numpy(a):
    """A numpy array's description; other dtypes are converted once."""
    dt = a.dtype
    if a.ndim != 1:
        raise ValueError(f"a column must be 1-dimensional, not of shape {a.shape}")
    if len(a) > 1 and a.strides[0] == 0:  # a broadcast array: one value for every row
        a = np.ascontiguousarray(a)
    if dt in _NUMPY:
        return (_NUMPY[dt], a, 0, None)
    if dt == np.bool_:
        return (BOOL8, a.view(np.uint8), 0, None)
    if dt.kind == "f":  # float16, longdouble
        return (DOUBLE, a.astype(np.float64), 0, None)
    if dt.kind in "iu":
        if dt.kind == "u" and dt.itemsize == 8 and len(a) and a.max() > np.iinfo(np.int64).max:
            return (DOUBLE, a.astype(np.float64), 0, None)
        return (INT64 if dt.itemsize >= 4 else INT32, a.astype(np.int64 if dt.itemsize >= 4 else np.int32), 0,
                None)
    if dt.kind == "M":
        return _days(a)
    if dt.kind == "O":
        return (TEXT, a, 0, None)
    if dt.kind in "US":  # fixed-width numpy strings
        return (TEXT, a.astype(object), 0, None)
    return (TEXT, a.astype(str).astype(object), 0, None)


def _days(a):
    """datetime64 as whole days since 1970-01-01 (NaT missing)."""
    ns = a.astype("datetime64[ns]").view(np.int64)
    days = np.floor_divide(ns, _NS_PER_DAY)
    days[ns == _I64_MIN] = _I64_MIN
    return (INT64, days, _sarx.COLUMN_DAYS, int(_I64_MIN))


def _masked(arr):
    """pandas' nullable arrays (Int64, boolean, Float64): their data, with
    the missing rows marked only when there are any."""
    data, mask = arr._data, arr._mask
    has = bool(mask.any())
    if data.dtype.kind == "f":
        if has:
            data = data.copy()
            data[mask] = np.nan
        return _numpy(data)
    if data.dtype == np.bool_:
        if not has:
            return (BOOL8, data.view(np.uint8), 0, None)
        u = data.astype(np.uint8)
        u[mask] = 2
        return (BOOL8, u, 0, 2)
    kind, data, flags, _ = _numpy(data)
    if not has:
        return (kind, data, flags, None)
    marker = int(np.iinfo(data.dtype).min)
    data = data.copy()
    data[mask] = marker
    return (kind, data, flags, marker)


def describe(col):
    """One column (a pandas Series, an array, a list) for the extension."""
    if isinstance(col, pd.Series):
        dt = col.dtype
        if isinstance(dt, pd.CategoricalDtype):
            cats = np.asarray(dt.categories, dtype=object)
            return (CAT, (col.cat.codes.to_numpy(), cats), 0, None)
        if isinstance(dt, pd.DatetimeTZDtype):
            return _days(col.dt.tz_localize(None).to_numpy())
        arr = col.array
        if hasattr(arr, "_mask") and hasattr(arr, "_data"):
            return _masked(arr)
        if isinstance(dt, pd.StringDtype) and hasattr(arr, "_ndarray"):
            return (TEXT, arr._ndarray, 0, None)
        if isinstance(dt, np.dtype):
            return _numpy(col.to_numpy())
        return (TEXT, col.to_numpy(dtype=object), 0, None)
    if isinstance(col, (pd.Categorical, pd.api.extensions.ExtensionArray, pd.Index)):
        return describe(pd.Series(col, copy=False))
    if isinstance(col, np.ndarray):
        return _numpy(col)
    a = np.asarray(col)
    if a.dtype.kind in "US":
        a = np.asarray(col, dtype=object)
    return _numpy(a)


IGNORED = (NONE, None, 0, None)


def frame_columns(data, used=None):
    """(names, descriptions, rows, index) of a DataFrame or a dict of
    arrays.  used(names) -> a list of bools: the columns that feed no field
    are described as IGNORED, without reading them."""
    if isinstance(data, pd.DataFrame):
        names = [str(c) for c in data.columns]
        feed = used(names) if used else [True] * len(names)
        cols = [describe(data.iloc[:, j]) if feed[j] else IGNORED for j in range(data.shape[1])]
        return names, cols, len(data), data.index
    if isinstance(data, dict):
        names = [str(k) for k in data]
        lengths = {len(v) for v in data.values()}
        if len(lengths) > 1:
            raise ValueError(f"the columns have different lengths: {sorted(lengths)}")
        n = lengths.pop() if lengths else 0
        feed = used(names) if used else [True] * len(names)
        cols = [describe(v) if f else IGNORED for v, f in zip(data.values(), feed)]
        index = None
        for v in data.values():
            if isinstance(v, pd.Series):
                index = v.index
                break
        return names, cols, n, index if index is not None else pd.RangeIndex(n)
    raise TypeError(f"expected a pandas DataFrame or a dict of arrays, not {type(data).__name__}")
