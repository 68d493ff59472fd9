"""Readers and writers of networks: reference (true) networks and scored edge lists.

Direction is explicit everywhere: a row ``regulator, target`` is the edge regulator -> target.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..timecourse import InputError
from .atomic import atomic_path

# Accepted (source, target) header pairs, compared case-insensitively.
EDGE_COLUMN_PAIRS = [
    ("regulator", "target"),
    ("source", "target"),
    ("tf", "target"),
    ("gene1", "gene2"),
    ("regulatorygene", "targetgene"),
]
SCORE_COLUMNS = ("score", "weight", "importance", "edgeweight", "edge", "value")


def _read_any_table(path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty")
    with open(path) as fh:
        head = fh.readline()
    sep = "\t" if "\t" in head else ("," if "," in head else r"\s+")
    return pd.read_csv(path, sep=sep, header=None, dtype=str, engine="python", comment=None)


def _split_header(raw: pd.DataFrame) -> tuple[pd.DataFrame, tuple[int, int, int | None] | None]:
    """Find which columns are source, target and (optionally) score from a header row, if any."""
    first = [str(x).strip().strip('"').lower() for x in raw.iloc[0]]
    for a, b in EDGE_COLUMN_PAIRS:
        if a in first and b in first:
            score = next((first.index(c) for c in SCORE_COLUMNS if c in first), None)
            return raw.iloc[1:].reset_index(drop=True), (first.index(a), first.index(b), score)
    return raw, None


def read_reference(path: str | os.PathLike) -> pd.DataFrame:
    """Read a true network as a DataFrame ``regulator, target`` (unique, directed edges).

    Accepts the DREAM gold standard (headerless ``reg target 0/1``; rows with 0 are non-edges),
    BEELINE ``refNetwork.csv`` / ``GroundTruthNetwork.csv`` (``Gene1,Gene2,Type``), and any headed
    CSV/TSV whose columns are regulator/target, source/target, TF/target or Gene1/Gene2.
    """
    raw = _read_any_table(path)
    body, cols = _split_header(raw)
    if cols is None:
        if raw.shape[1] < 2:
            raise InputError(f"{path}: expected at least two columns (regulator, target)")
        src, tgt = 0, 1
        # Headerless third column of 0/1: the DREAM gold standard marks non-edges with 0.
        flag = 2 if raw.shape[1] >= 3 and set(raw[2].str.strip()) <= {"0", "1", "0.0", "1.0"} else None
    else:
        src, tgt, flag = cols
        if flag is not None and not set(body[flag].astype(str).str.strip()) <= {"0", "1", "0.0", "1.0"}:
            flag = None  # e.g. BEELINE's Type column (+/-) is a sign, not an edge indicator
    df = pd.DataFrame({"regulator": body[src].str.strip().str.strip('"'),
                       "target": body[tgt].str.strip().str.strip('"')})
    if flag is not None:
        df = df[body[flag].astype(float).to_numpy() != 0]
    df = df.dropna()
    n = len(df)
    df = df.drop_duplicates().reset_index(drop=True)
    df.attrs["n_duplicates"] = n - len(df)
    df.attrs["source"] = str(path)
    return df


def read_edges(path: str | os.PathLike) -> pd.DataFrame:
    """Read a scored edge list as ``regulator, target, score`` (duplicate pairs keep their max score)."""
    raw = _read_any_table(path)
    body, cols = _split_header(raw)
    if cols is None:
        if raw.shape[1] < 3:
            raise InputError(f"{path}: expected columns regulator, target, score")
        src, tgt, score = 0, 1, 2
    else:
        src, tgt, score = cols
        if score is None:
            raise InputError(f"{path}: no score column (one of {', '.join(SCORE_COLUMNS)})")
    scores = pd.to_numeric(body[score], errors="coerce")
    if scores.isna().any():
        raise InputError(f"{path}: non-numeric score at data row {int(scores.isna().to_numpy().argmax()) + 1}")
    df = pd.DataFrame({"regulator": body[src].str.strip().str.strip('"'),
                       "target": body[tgt].str.strip().str.strip('"'), "score": scores.to_numpy(float)})
    return df.groupby(["regulator", "target"], as_index=False, sort=False)["score"].max()


def scores_to_edges(scores: np.ndarray, genes: list[str]) -> pd.DataFrame:
    """Every ordered pair of distinct genes with its score ``scores[i, j]`` (edge i -> j), highest first."""
    p = len(genes)
    i, j = np.where(~np.eye(p, dtype=bool))
    df = pd.DataFrame({"regulator": np.asarray(genes)[i], "target": np.asarray(genes)[j], "score": scores[i, j]})
    return df.sort_values("score", ascending=False, kind="mergesort").reset_index(drop=True)


def write_edges(path: str | os.PathLike, edges: pd.DataFrame) -> None:
    """Write ``regulator<TAB>target<TAB>score`` atomically."""
    with atomic_path(path) as tmp:
        edges[["regulator", "target", "score"]].to_csv(tmp, sep="\t", index=False, float_format="%.6g")
