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


def gene_name_report(edges: pd.DataFrame, genes: list[str], path: str) -> dict:
    """Count edge-list genes that are not in ``genes``, and those that differ only by case.

    Names are matched exactly; a case-only match is reported, never merged silently.
    """
    named = set(edges["regulator"]) | set(edges["target"])
    known = set(genes)
    unknown = sorted(named - known)
    lower = {g.lower(): g for g in genes}
    case_only = {u: lower[u.lower()] for u in unknown if u.lower() in lower}
    return {"file": str(path), "genes_named": len(named), "genes_not_in_data": len(unknown),
            "examples_not_in_data": unknown[:5], "case_only_mismatches": case_only}


def write_beeline_ranked(path, edges: pd.DataFrame) -> None:
    """BEELINE ``rankedEdges.csv``: tab-separated ``Gene1  Gene2  EdgeWeight`` (Gene1 -> Gene2)."""
    out = edges.rename(columns={"regulator": "Gene1", "target": "Gene2", "score": "EdgeWeight"})
    with atomic_path(path) as tmp:
        out[["Gene1", "Gene2", "EdgeWeight"]].to_csv(tmp, sep="\t", index=False, float_format="%.6g")


def write_sif(path, edges: pd.DataFrame, interaction: str = "regulates") -> None:
    """Cytoscape SIF: ``regulator  regulates  target`` per line (direction regulator -> target)."""
    with atomic_path(path) as tmp:
        with open(tmp, "w") as fh:
            for r, t in zip(edges["regulator"], edges["target"]):
                fh.write(f"{r}\t{interaction}\t{t}\n")


def write_graphml(path, edges: pd.DataFrame) -> None:
    """GraphML of a directed graph; each edge carries its ``score``."""
    import networkx as nx

    g = nx.DiGraph()
    for r, t, s in zip(edges["regulator"], edges["target"], edges["score"]):
        g.add_edge(str(r), str(t), score=float(s))
    with atomic_path(path) as tmp:
        nx.write_graphml(g, tmp)


def read_graphml(path) -> pd.DataFrame:
    import networkx as nx

    g = nx.read_graphml(path)
    rows = [(u, v, float(d.get("score", 1.0))) for u, v, d in g.edges(data=True)]
    return pd.DataFrame(rows, columns=["regulator", "target", "score"])
