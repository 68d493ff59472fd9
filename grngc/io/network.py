"""Readers and writers of networks: reference (true) networks and scored edge lists.

Direction is explicit everywhere: a row ``regulator, target`` is the edge regulator -> target.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..timecourse import InputError
from .atomic import atomic_path

log = logging.getLogger("grngc")

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


def _name(x) -> str:
    return "".join(ch for ch in str(x).strip().strip('"').lower() if ch.isalnum())


def _split_header(raw: pd.DataFrame) -> tuple[pd.DataFrame, tuple[int, int, int | None] | None]:
    """Find which columns are source, target and (optionally) score from a header row, if any."""
    first = [str(x).strip().strip('"').lower() for x in raw.iloc[0]]
    for a, b in EDGE_COLUMN_PAIRS:
        if a in first and b in first:
            score = next((first.index(c) for c in SCORE_COLUMNS if c in first), None)
            return raw.iloc[1:].reset_index(drop=True), (first.index(a), first.index(b), score)
    return raw, None


def read_edges(path: str | os.PathLike) -> pd.DataFrame:
    """Read a scored edge list as ``regulator, target, score`` (and ``sign``, ``sign_agreement``, ``lag``,
    ``direction`` when the file has them, as grngc's own lists do), in file order. A pair listed twice is an error."""
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
    header = [str(x).strip().strip('"').lower() for x in raw.iloc[0]] if cols is not None else []
    for column, kind in (("sign", int), ("sign_agreement", float), ("lag", int)):  # grngc's own columns
        if column in header:
            values = pd.to_numeric(body[header.index(column)], errors="coerce").fillna(0)
            df[column] = values.astype(kind).to_numpy()
    if "direction" in header:  # what decided the edge's direction (grngc.core.run.DIRECTION_MEANING)
        df["direction"] = body[header.index("direction")].fillna("").str.strip().to_numpy()
    check_duplicate_pairs(df, str(path))
    df.attrs["source"] = str(path)
    return df


def read_scored_edges(path: str | os.PathLike) -> pd.DataFrame:
    """:func:`read_edges`, except for a truncated ``edges.tsv`` of a grngc run (above 1,000 genes it holds
    the top edges only): when ``scores.npy`` and ``run.json`` of the same run sit beside it, every ordered
    pair is read from ``scores.npy`` instead, so that evaluation does not count the unlisted pairs as score
    0 (that lowers AUROC). ``attrs["scores_from"]`` then names the matrix; a bare truncated list is read as
    it is (evaluation notes how many pairs it scores)."""
    import json

    edges = read_edges(path)
    here = Path(path).parent
    run_json, scores_npy = here / "run.json", here / "scores.npy"
    if not (run_json.exists() and scores_npy.exists()):
        return edges
    try:
        record = json.loads(run_json.read_text())
    except (OSError, ValueError):
        return edges
    listed = record.get("edges_tsv") or {}
    genes = record.get("genes") or []
    # the same run: run.json says this many rows were written and that they are not every pair
    if listed.get("all_pairs", True) or listed.get("rows") != len(edges) or not genes:
        return edges
    S = np.load(scores_npy)
    if S.shape != (len(genes), len(genes)):
        raise InputError(f"{scores_npy}: a {S.shape[0]} x {S.shape[1]} matrix, but {run_json} lists {len(genes)} "
                         "genes: the two files are from different runs; rerun grngc infer into a fresh folder")
    full = scores_to_edges(S, genes)
    full.attrs["source"] = str(path)
    full.attrs["scores_from"] = str(scores_npy)
    log.info("%s holds the top %d of %d pairs: scoring every pair from %s beside it", path, len(edges),
             len(genes) * (len(genes) - 1), scores_npy)
    return full


def check_duplicate_pairs(edges: pd.DataFrame, source: str) -> None:
    """Stop on an edge list that scores a ``regulator -> target`` pair more than once: which score counts
    would be a silent choice (keeping the highest once turned AUROC 0.85 into 0.64)."""
    dup = edges.duplicated(subset=["regulator", "target"], keep=False)
    if dup.any():
        first = edges[dup].groupby(["regulator", "target"], sort=False)["score"].apply(list).head(3)
        shown = "; ".join(f"{r} -> {t}: scores {', '.join(f'{v:g}' for v in v_)}" for (r, t), v_ in first.items())
        n = int(edges[dup].drop_duplicates(subset=["regulator", "target"]).shape[0])
        raise InputError(f"{source}: {n} regulator -> target pair(s) are listed more than once ({shown}); give one "
                         "score per pair (aggregate them first, e.g. keep the mean or the max of each pair)")


def edges_frame(edges: pd.DataFrame, source: str = "the edge table") -> pd.DataFrame:
    """A scored edge table given as a DataFrame (the API's counterpart of :func:`read_edges`): the
    regulator, target and score columns found by name as in a file's header (``regulator``/``source``/
    ``TF``/``Gene1``, ``target``/``Gene2``, ``score``/``weight``/``importance``), one score per pair."""
    cols = {_name(c): c for c in edges.columns}
    reg = next((cols[n] for n in ("regulator", "source", "tf", "gene1", "regulatorygene") if n in cols), None)
    tgt = next((cols[n] for n in ("target", "gene2", "targetgene") if n in cols), None)
    score = next((cols[n] for n in SCORE_COLUMNS if n in cols), None)
    if reg is None or tgt is None or score is None:
        raise InputError(f"{source}: an edge table needs regulator, target and score columns (or source/target/weight, "
                         f"TF/target/importance); it has {list(edges.columns)[:8]}")
    out = edges.rename(columns={reg: "regulator", tgt: "target", score: "score"})
    out["regulator"], out["target"] = out["regulator"].astype(str), out["target"].astype(str)
    scores = pd.to_numeric(out["score"], errors="coerce")
    if scores.isna().any():
        raise InputError(f"{source}: non-numeric or missing score at row {int(scores.isna().to_numpy().argmax())}")
    out["score"] = scores.astype(float)
    check_duplicate_pairs(out, source)
    return out


EDGE_ATTRIBUTES = ("sign", "sign_agreement", "lag")  # what grngc knows of an edge beyond its score


def attach_edge_attributes(edges: pd.DataFrame, attributes: dict[str, np.ndarray | None],
                           genes: list[str]) -> pd.DataFrame:
    """``edges`` with a column per ``(p, p)`` matrix of ``attributes`` (``sign``, ``sign_agreement``,
    ``lag``; None: left out), read at each ``regulator -> target`` pair of ``genes``: signs and lags as
    integers, agreement rounded to 4 digits."""
    idx = {g: k for k, g in enumerate(genes)}
    i, j = edges["regulator"].map(idx).to_numpy(), edges["target"].map(idx).to_numpy()
    out = edges.copy()
    for name, M in attributes.items():
        if M is not None:
            values = np.asarray(M)[i, j]
            out[name] = np.round(values, 4) if name == "sign_agreement" else values.astype(int)
    return out


def scores_to_edges(scores: np.ndarray, genes: list[str], top: int | None = None,
                    per_target: int | None = None) -> pd.DataFrame:
    """Ordered pairs of distinct genes with their score ``scores[i, j]`` (edge i -> j), highest first:
    every pair, or (with ``top`` / ``per_target``) the ``top`` best pairs overall together with the
    ``per_target`` best regulators of every target, so that no target is left without candidates."""
    p = len(genes)
    if top is not None or per_target is not None:
        return _top_edges(np.asarray(scores), genes, top or 0, per_target or 0)
    i, j = np.where(~np.eye(p, dtype=bool))
    df = pd.DataFrame({"regulator": np.asarray(genes)[i], "target": np.asarray(genes)[j], "score": scores[i, j]})
    return df.sort_values("score", ascending=False, kind="mergesort").reset_index(drop=True)


def _top_edges(S: np.ndarray, genes: list[str], top: int, per_target: int, block: int = 512) -> pd.DataFrame:
    """The ``top`` best off-diagonal pairs and the ``per_target`` best regulators of each target, read in
    blocks of ``block`` rows or columns: no genes x genes copy, negation or index array is made (at 20,000
    genes each is 3.2 GB; the whole-matrix version took a 7.6 GB run to 20.6 GB)."""
    p = len(genes)
    rows_kept, cols_kept = [], []

    def off_diagonal(part: np.ndarray, r0: int, axis_rows: bool) -> np.ndarray:
        part = np.array(part, dtype=float)  # a block-sized copy
        k = np.arange(part.shape[0] if axis_rows else part.shape[1])
        if axis_rows:
            part[k, r0 + k] = -np.inf  # row r0 + k, column r0 + k: never an edge
        else:
            part[r0 + k, k] = -np.inf
        return part

    if top > 0:
        cand_i, cand_j, cand_s = [], [], []
        for r0 in range(0, p, block):
            part = off_diagonal(S[r0:r0 + block], r0, True)
            m = min(top, part.size)
            flat = np.argpartition(-part.ravel(), m - 1)[:m]  # the block's own best: the overall best are among them
            i, j = np.unravel_index(flat, part.shape)
            cand_i.append(i + r0)
            cand_j.append(j)
            cand_s.append(part[i, j])
        ci, cj, cs = np.concatenate(cand_i), np.concatenate(cand_j), np.concatenate(cand_s)
        best = np.argpartition(-cs, min(top, len(cs)) - 1)[:top]
        rows_kept.append(ci[best])
        cols_kept.append(cj[best])
    if per_target > 0:
        k = min(per_target, p - 1)
        for c0 in range(0, p, block):
            part = off_diagonal(S[:, c0:c0 + block], c0, False)
            best = np.argpartition(-part, k - 1, axis=0)[:k]  # the k best regulators of each target (column)
            rows_kept.append(best.ravel())
            cols_kept.append(np.broadcast_to(np.arange(c0, c0 + part.shape[1])[None, :], best.shape).ravel())
    i, j = np.concatenate(rows_kept), np.concatenate(cols_kept)
    pairs = np.unique(i.astype(np.int64) * p + j)  # row-major order, as np.nonzero of a mask gave
    i, j = pairs // p, pairs % p
    keep = i != j
    i, j = i[keep], j[keep]
    df = pd.DataFrame({"regulator": np.asarray(genes)[i], "target": np.asarray(genes)[j],
                       "score": np.asarray(S[i, j], dtype=float)})
    return df.sort_values("score", ascending=False, kind="mergesort").reset_index(drop=True)


def write_edges(path: str | os.PathLike, edges: pd.DataFrame) -> None:
    """Write ``regulator<TAB>target<TAB>score`` (and ``sign``, ``sign_agreement``, ``lag`` where known)
    atomically."""
    with atomic_path(path) as tmp:
        # full precision (shortest round-trip repr): aggregation and the knee read these scores back, and
        # rounding to 6 digits made ties
        cols = ["regulator", "target", "score"] + [c for c in (*EDGE_ATTRIBUTES, "direction") if c in edges]
        edges[cols].to_csv(tmp, sep="\t", index=False)


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


def check_edge_genes(edges: pd.DataFrame, genes: list[str], name=None) -> None:
    """Stop when an edge list names none of the data's genes or names some that differ from the data's only
    by case; warn when some are missing (every comparison calls it: ``compare`` and
    :func:`grngc.evaluate.compare.compare_methods`)."""
    name = name or edges.attrs.get("source", "an edge list")
    rep = gene_name_report(edges, genes, name)
    if rep["case_only_mismatches"]:  # scored, they would count as chance and pull any consensus toward it
        shown = dict(list(rep["case_only_mismatches"].items())[:5])
        raise InputError(f"{name}: {len(rep['case_only_mismatches'])} gene name(s) differ from the data's only by case "
                         f"(edge list: data, e.g. {shown}); names are matched exactly: rename them as in the data")
    if rep["genes_not_in_data"] == rep["genes_named"]:
        raise InputError(f"{name}: none of its {rep['genes_named']} genes (e.g. {rep['examples_not_in_data']}) is a "
                         "gene of the data; was it computed on other data, or with other gene names?")
    if rep["genes_not_in_data"]:
        log.warning("%s: %d of %d genes are not in the data, e.g. %s; their edges are ignored", name,
                    rep["genes_not_in_data"], rep["genes_named"], rep["examples_not_in_data"])


def genes_for_edges(edges_path, genes_from=None, fmt=None, time_key=None, series_key=None,
               fallback=None) -> list[str]:
    """The dataset's genes: from --genes-from, else the run.json beside the edge list, else (with
    ``fallback``, an edge list) the genes it names, with a warning."""
    import json

    from .expression import read_expression

    if genes_from:
        return read_expression(genes_from, fmt, time_key=time_key, series_key=series_key).genes
    run_json = Path(edges_path).with_name("run.json")
    if run_json.exists():
        return json.loads(run_json.read_text())["genes"]
    if fallback is not None:
        genes = sorted(set(fallback["regulator"]) | set(fallback["target"]))
        log.warning("no --genes-from and no run.json beside %s: candidates are the %d genes named in "
                    "the edge list", edges_path, len(genes))
        return genes
    raise InputError(f"{edges_path}: no run.json beside it; pass --genes-from DATA to say which genes are candidates")
