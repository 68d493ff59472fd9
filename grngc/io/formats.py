"""The plain-text and folder formats of expression: DREAM time series, BEELINE folders, CSV/TSV tables,
and telling them (and ``.h5ad``) apart from the path."""
from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..timecourse import InputError, TimeCourse
from .columns import find_column, numeric_column, series_labels


FORMATS = ("h5ad", "dream", "beeline", "table")


def detect_format(path: str | os.PathLike) -> str:
    """Guess the format of ``path``: ``h5ad``, ``dream``, ``beeline`` or ``table``."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file or folder")
    if p.is_dir():
        if (p / "ExpressionData.csv").exists():
            return "beeline"
        raise InputError(
            f"{p}: a folder, but not a BEELINE dataset (no ExpressionData.csv in it); "
            "give the expression file itself, or a folder with ExpressionData.csv and PseudoTime.csv"
        )
    if p.name == "ExpressionData.csv":
        return "beeline"
    suffix = p.suffix.lower()
    if suffix == ".h5ad":
        return "h5ad"
    if suffix in {".tsv", ".txt", ".csv", ".tab"}:
        with open(p, "r", errors="replace") as fh:
            first = fh.readline()
        if first.strip() == "":
            raise InputError(f"{p}: the file is empty (or starts with a blank line); expected a header row")
        if first.lstrip().lower().startswith('"time"'):
            return "dream"
        return "table"
    raise InputError(
        f"{p}: cannot tell the format from the name; pass --format one of {', '.join(FORMATS)}"
    )


def read_dream_timeseries(path) -> TimeCourse:
    """DREAM time series: header ``"Time" "G1" ...`` then blocks of rows, a blank line between series."""
    blocks: list[list[list[str]]] = [[]]
    header = None
    with open(path) as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                if blocks[-1]:
                    blocks.append([])
                continue
            fields = [f.strip().strip('"') for f in line.rstrip("\n").split("\t")]
            if header is None:
                header = fields
                continue
            if len(fields) != len(header):
                raise InputError(f"{path}: line {lineno} has {len(fields)} fields, the header has {len(header)}")
            blocks[-1].append(fields)
    if header is None:
        raise InputError(f"{path}: the file is empty; expected a DREAM header \"Time\" \"G1\" ...")
    blocks = [b for b in blocks if b]
    rows, series = [], []
    for s, block in enumerate(blocks):
        rows.extend(block)
        series.extend([str(s)] * len(block))
    try:
        arr = np.array(rows, dtype=float)
    except ValueError as err:
        raise InputError(f"{path}: a non-numeric value in the data ({err})") from err
    if arr.size == 0:
        raise InputError(f"{path}: a header but no data rows")
    return TimeCourse(arr[:, 1:], header[1:], arr[:, 0], np.array(series), str(path))


def read_beeline(path) -> TimeCourse:
    """BEELINE: ``ExpressionData.csv`` (genes x cells) and ``PseudoTime.csv`` (cells x lineages).

    Each lineage becomes one series, ordered by its pseudotime; a cell that lies on several lineages
    appears in each of them, and cells with NA on a lineage are left out of it.
    """
    p = Path(path)
    folder = p if p.is_dir() else p.parent
    expr_path, pt_path = folder / "ExpressionData.csv", folder / "PseudoTime.csv"
    if not pt_path.exists():
        raise InputError(f"{folder}: BEELINE folder without PseudoTime.csv; add it (cells x lineages)")
    expr = pd.read_csv(expr_path, index_col=0)
    pt = pd.read_csv(pt_path, index_col=0)
    missing = pt.index.difference(expr.columns)
    if len(missing):
        raise InputError(f"{pt_path}: {len(missing)} cell(s) not in {expr_path.name}, e.g. {missing[0]!r}")
    Xs, ts, ss = [], [], []
    for lineage in pt.columns:
        t = pd.to_numeric(pt[lineage], errors="coerce").dropna()
        if t.empty:
            continue
        Xs.append(expr[t.index].T.to_numpy(dtype=float))
        ts.append(t.to_numpy())
        ss.append(np.full(len(t), str(lineage)))
    if not Xs:
        raise InputError(f"{pt_path}: no cell has a pseudotime on any lineage")
    return TimeCourse(np.vstack(Xs), list(expr.index.astype(str)), np.concatenate(ts), np.concatenate(ss), str(folder))


def read_table(path, time_key=None, series_key=None) -> TimeCourse:
    """A plain CSV/TSV: rows are samples, a time column, an optional series column, gene columns."""
    sep = sniff_sep(path)
    with open(path, newline="") as fh:
        header = next(csv.reader(fh, delimiter=sep), [])
    dup = pd.Index(header)[pd.Index(header).duplicated()].unique().tolist()
    if dup:  # pandas would silently rename them (g1, g1.1)
        raise InputError(f"{path}: duplicated column names {dup[:5]} in the header; make gene names unique")
    try:
        df = pd.read_csv(path, sep=sep)
    except pd.errors.EmptyDataError as err:
        raise InputError(f"{path}: the file is empty") from err
    tcol = find_column(df.columns, time_key, "time", str(path), "the table", required=True, case_insensitive=True)
    scol = find_column(df.columns, series_key, "series", str(path), "the table", case_insensitive=True)
    time = numeric_column(df[tcol], str(path), f"column {tcol!r}")
    series = series_labels(df[scol], str(path), f"column {scol!r}") if scol else np.full(len(df), "0")
    genes = [c for c in df.columns if c not in {tcol, scol} and not str(c).startswith("Unnamed:")]
    values = df[genes]
    nonnum = [g for g in genes if not pd.api.types.is_numeric_dtype(values[g])]
    if nonnum:
        raise InputError(
            f"{path}: column(s) {nonnum[:5]} are not numeric; gene columns must hold numbers "
            "(if one of them labels series, name it as the series key: --series-key, series_key=)"
        )
    return TimeCourse(values.to_numpy(dtype=float), genes, time, series, str(path))


def sniff_sep(path) -> str:
    with open(path, newline="") as fh:
        head = fh.readline()
    if "\t" in head:
        return "\t"
    try:
        return csv.Sniffer().sniff(head, delimiters=",;\t ").delimiter
    except csv.Error:
        return ","


