"""Reference (true) networks in the formats GRN benchmarks use: DREAM gold standards, BEELINE
``refNetwork.csv``, TRRUST, GENIE3-style lists; direction from the header names, signs where given."""
from __future__ import annotations

import logging
import os

import numpy as np
import pandas as pd

from ..timecourse import InputError
from .network import _name, _read_any_table

log = logging.getLogger("grngc")


# Header names (lower case, letters and digits only) that say which column is the regulator and
# which the target of a reference; direction is read from these names, never from column order.
REGULATOR_NAMES = {"regulator", "source", "tf", "gene1", "regulatorygene", "tfgene", "regulatorgene", "from",
                   "tfname", "sourcegene", "regulatorname", "tfs"}


TARGET_NAMES = {"target", "gene2", "targetgene", "to", "targetname", "targets"}


TRUE_VALUES, FALSE_VALUES = {"1", "1.0", "true", "t", "yes"}, {"0", "0.0", "false", "f", "no"}


def _is_indicator(col: pd.Series) -> bool:
    """A 0/1 or boolean column (TRUE/FALSE, yes/no): it marks which rows are edges."""
    values = set(col.dropna().astype(str).str.strip().str.strip('"').str.lower())
    return bool(values) and values <= TRUE_VALUES | FALSE_VALUES


SIGN_VALUES = {"+": 1, "-": -1, "activation": 1, "activator": 1, "activates": 1, "repression": -1,
               "repressor": -1, "represses": -1, "inhibition": -1, "unknown": 0, "?": 0, "": 0, "+-": 0, "dual": 0}


NUMERIC_SIGNS = {"1": 1, "+1": 1, "1.0": 1, "-1": -1, "-1.0": -1, "0": 0, "0.0": 0}


SIGN_HEADERS = {"sign", "mode", "type", "effect", "regulation"}  # named sign columns may hold +1/-1


def _sign_of(value) -> int:
    v = str(value).strip().strip('"').lower()
    return SIGN_VALUES.get(v, NUMERIC_SIGNS.get(v, 0))


def _is_numeric_sign(col: pd.Series) -> bool:
    """+1/-1(/0) values, with a -1 among them (else it is a 0/1 edge indicator)."""
    values = set(col.dropna().astype(str).str.strip().str.strip('"').str.lower())
    return bool(values) and values <= set(NUMERIC_SIGNS) and bool(values & {"-1", "-1.0"})


def _is_sign(col: pd.Series) -> bool:
    """A column of signs: +/- (BEELINE Type), Activation/Repression/Unknown (TRRUST), ..."""
    values = set(col.dropna().astype(str).str.strip().str.strip('"').str.lower())
    return bool(values) and values <= set(SIGN_VALUES) and bool(values & {"+", "-", "activation", "repression",
                                                                           "activator", "repressor", "activates",
                                                                           "represses", "inhibition"})


def read_reference(path: str | os.PathLike) -> pd.DataFrame:
    """Read a true network as a DataFrame ``regulator, target`` (unique, directed edges).

    Accepts the DREAM gold standard (headerless ``reg target 0/1``), BEELINE ``refNetwork.csv`` /
    ``GroundTruthNetwork.csv`` (``Gene1,Gene2,Type``), and any headed CSV/TSV whose regulator and
    target columns are named (:data:`REGULATOR_NAMES`, :data:`TARGET_NAMES`: regulator/target,
    source/target, TF/target, tf_gene/target_gene, Gene1/Gene2, from/to, ...), in any order: the
    direction comes from the names. A headerless file is ``regulator, target, ...``. Any 0/1 or
    boolean column (``label``, ``is_edge``, TRUE/FALSE, ...) marks edges: its 0/false rows are
    non-edges. A column of signs (BEELINE ``Type`` +/-, TRRUST Activation/Repression/Unknown, any
    +/- column, or a column headed sign/mode/type/effect/regulation holding +1/-1) becomes ``sign`` (+1, -1,
    0 unknown). A header that names some columns but not both
    ends stops with the columns listed.
    """
    raw = _read_any_table(path)
    first = [_name(x) for x in raw.iloc[0]]
    src = next((k for k, c in enumerate(first) if c in REGULATOR_NAMES), None)
    tgt = next((k for k, c in enumerate(first) if c in TARGET_NAMES and k != src), None)
    if src is not None and tgt is not None:
        body = raw.iloc[1:].reset_index(drop=True)
    elif src is not None or tgt is not None or any(c in ("label", "isedge", "sign", "type", "mode") for c in first):
        cols = [str(x).strip() for x in raw.iloc[0]]
        raise InputError(f"{path}: cannot tell the regulator and target columns from the header {cols}; name them "
                         "regulator and target (or source/target, TF/target, Gene1/Gene2)")
    else:
        if raw.shape[1] < 2:
            raise InputError(f"{path}: expected at least two columns (regulator, target)")
        body, src, tgt = raw, 0, 1
    named_signs = [k for k, c in enumerate(first) if body is not raw and c in SIGN_HEADERS and k not in (src, tgt)
                   and _is_numeric_sign(body[k])]
    flags = [k for k in range(body.shape[1]) if k not in (src, tgt) and _is_indicator(body[k])]
    df = pd.DataFrame({"regulator": body[src].str.strip().str.strip('"'),
                       "target": body[tgt].str.strip().str.strip('"')})
    sign_col = next((k for k in range(body.shape[1]) if k not in (src, tgt) and _is_sign(body[k])),
                    named_signs[0] if named_signs else None)
    if sign_col is not None:
        df["sign"] = body[sign_col].map(_sign_of).to_numpy()
    if flags:
        marks = body[flags[0]].astype(str).str.strip().str.strip('"').str.lower()
        df = df[marks.isin(TRUE_VALUES).to_numpy()]
    df = df.dropna()
    n = len(df)
    df = df.drop_duplicates(subset=["regulator", "target"]).reset_index(drop=True)
    df.attrs["n_duplicates"] = n - len(df)
    df.attrs["source"] = str(path)
    return df


def reference_frame(reference: pd.DataFrame, source: str = "the reference") -> pd.DataFrame:
    """A reference given as a DataFrame (the API's counterpart of :func:`read_reference`): the regulator and
    target columns found by name (``regulator``/``source``/``TF``/``tf``/``Gene1``, ``target``/``Gene2``;
    decoupler's CollecTRI is ``source, target, weight``), a +1/-1 ``sign``/``weight``/``mor`` column kept
    as ``sign``; duplicated pairs counted once."""
    cols = {_name(c): c for c in reference.columns}
    reg = next((cols[n] for n in cols if n in REGULATOR_NAMES), None)
    tgt = next((cols[n] for n in cols if n in TARGET_NAMES and cols[n] != reg), None)
    if reg is None or tgt is None:
        raise InputError(f"{source}: cannot tell the regulator and target columns from {list(reference.columns)[:8]}; "
                         "name them regulator and target (or source/target, TF/target, Gene1/Gene2)")
    df = pd.DataFrame({"regulator": reference[reg].astype(str).str.strip().to_numpy(),
                       "target": reference[tgt].astype(str).str.strip().to_numpy()})
    sign_col = next((cols[n] for n in ("sign", "weight", "mor", "mode") if n in cols), None)
    if sign_col is not None:
        values = pd.to_numeric(reference[sign_col], errors="coerce")
        if values.notna().all():
            df["sign"] = np.sign(values.to_numpy()).astype(int)
    n = len(df)
    df = df.drop_duplicates(subset=["regulator", "target"]).reset_index(drop=True)
    df.attrs["n_duplicates"] = n - len(df)
    df.attrs["source"] = source
    return df
