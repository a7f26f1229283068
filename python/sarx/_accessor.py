"""df.sarx: the package's functions as a DataFrame accessor."""
import pandas as pd


@pd.api.extensions.register_dataframe_accessor("sarx")
class SarxAccessor:
    """df.sarx.classify(...), .summary(...), .prevalence(by=...),
    .kappa(a, b), .assess(row): sarx.classify and the others on this frame
    (the same arguments)."""

    def __init__(self, df):
        self._df = df

    def classify(self, definitions=None, map=None, na=None, **kw):
        from . import classify
        return classify(self._df, definitions, map, na, **kw)

    def summary(self, definitions=None, map=None, na=None, **kw):
        from . import summary
        return summary(self._df, definitions, map, na, **kw)

    def prevalence(self, by=None, definitions=None, map=None, na=None, **kw):
        from . import prevalence
        return prevalence(self._df, by, definitions, map, na, **kw)

    def kappa(self, a, b, definitions=None, map=None, na=None, **kw):
        from . import kappa
        return kappa(self._df, a, b, definitions, map, na, **kw)

    def assess(self, row, definitions=None, map=None, na=None, **kw):
        """The row with index label `row`, in full (sarx.assess)."""
        from . import assess
        r = self._df.loc[row]
        if isinstance(r, pd.DataFrame):
            raise KeyError(f"index label {row!r} is not unique")
        return assess(r.to_dict(), definitions, map, na, **kw)
