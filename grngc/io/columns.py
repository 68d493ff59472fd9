"""Reading the columns every format has: the time and series keys a user names, and their values."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..timecourse import InputError

KEY_HINT = {"time": "name the column that holds time or pseudotime as the time key (--time-key, time_key=, "
                    "the sheet's time_key), or compute a pseudotime first (grngc preprocess)",
            "series": "name the column that separates series as the series key (--series-key, series_key=, the "
                      "sheet's series_key), or leave the key unset for one series"}


def find_column(columns, key: str | None, default: str, source: str, where: str,
                required: bool = False, case_insensitive: bool = False) -> str | None:
    """The column for the ``default`` role (``"time"`` or ``"series"``) among ``columns``.

    ``key`` is what the user named (``None``: not named). A named key must exist; an unnamed one falls
    back to the column called ``default`` when present, else ``None`` (or an error when ``required``).
    A mistyped key therefore stops with the columns listed instead of silently meaning "one series" or
    "compute a pseudotime".
    """
    cols = [str(c) for c in columns]
    lookup = {c.lower(): c for c in cols} if case_insensitive else {c: c for c in cols}
    want = key if key is not None else default
    found = lookup.get(want.lower() if case_insensitive else want)
    if found is not None:
        return found
    if key is not None or required:
        import difflib

        shown = cols[:12] + (["..."] if len(cols) > 12 else [])
        near = [c for c in cols if c.lower() == want.lower()] or difflib.get_close_matches(want, cols, n=1, cutoff=0.75)
        hint = f"did you mean {near[0]!r}? " if near else ""
        raise InputError(f"{source}: {where} has no {default} column {want!r} ({hint}{where} columns: {shown}); "
                         + KEY_HINT[default])
    return None


def series_labels(col: pd.Series, source: str, field: str) -> np.ndarray:
    """The series label of every sample, as text. A missing label stops (pooling the unlabelled samples
    into a made-up series of their own would be a silent choice)."""
    missing = col.isna().to_numpy() | (col.astype(str).str.strip() == "").to_numpy()
    if missing.any():
        names = [str(n) for n in col.index[missing][:5]]
        raise InputError(f"{source}: {field} is missing for {int(missing.sum())} sample(s) (e.g. {names}); give every "
                         "sample its series, or drop those samples")
    return col.astype(str).to_numpy()


def numeric_column(col: pd.Series, source: str, field: str) -> np.ndarray:
    values = pd.to_numeric(col, errors="coerce")
    if values.isna().any():
        k = int(np.flatnonzero(values.isna().to_numpy())[0])
        raw = col.iloc[k]
        what = "is missing" if pd.isna(raw) or str(raw).strip() == "" else f"is not a number ({raw!r})"
        raise InputError(f"{source}: {field} {what} for sample {col.index[k]!r} ({int(values.isna().sum())} "
                         "sample(s) in all); every sample needs a numeric time: fill it in or drop the sample")
    return values.to_numpy(dtype=float)
