"""Time-ordered expression into a :class:`~grngc.timecourse.TimeCourse`: any format
(:func:`read_expression`; the text formats are in :mod:`grngc.io.formats`), AnnData, and the checks
every entry point shares.

Every reader returns a :class:`~grngc.timecourse.TimeCourse` (samples x genes, a time and a series
label per sample). Formats are detected from the path where that is unambiguous.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..timecourse import InputError, TimeCourse
from .columns import find_column, numeric_column, series_labels

log = logging.getLogger("grngc")


def read_expression(
    path: str | os.PathLike,
    fmt: str | None = None,
    time_key: str | None = None,
    series_key: str | None = None,
    layer: str | None = None,
    velocity: bool = True,
    sparse: bool = False,
) -> TimeCourse:
    """Read any supported expression input into a :class:`TimeCourse`.

    Parameters
    ----------
    path
        File (``.h5ad``, DREAM ``.tsv``, CSV/TSV table) or BEELINE folder.
    fmt
        One of ``h5ad``, ``dream``, ``beeline``, ``table``; detected from the path when ``None``.
    time_key, series_key
        Column (``obs`` column for AnnData) holding time and series label; ``None``: the columns
        ``time`` (required) and ``series`` (one series when absent). A named column must exist
        (:func:`find_column`).
    layer
        AnnData layer to use instead of ``X``.
    velocity
        Read the ``spliced``/``unspliced`` layers of an AnnData when both are there (:func:`velocity_layers`).
    sparse
        Keep a sparse AnnData ``X`` sparse (``grngc infer`` does: an atlas is read in blocks of cells by the
        single-cell mode); else every input is made dense.
    """
    from .formats import FORMATS, detect_format, read_beeline, read_dream_timeseries, read_table

    fmt = fmt or detect_format(path)
    if fmt == "h5ad":
        tc = read_h5ad(path, time_key=time_key, series_key=series_key, layer=layer, velocity=velocity, sparse=sparse)
    elif fmt == "dream":
        tc = read_dream_timeseries(path)
    elif fmt == "beeline":
        tc = read_beeline(path)
    elif fmt == "table":
        tc = read_table(path, time_key=time_key, series_key=series_key)
    else:
        raise InputError(f"{path}: unknown --format {fmt!r}; use one of {', '.join(FORMATS)}")
    validate(tc, warn_ties=False)  # inference warns about ties (grngc.core.run.infer_checked)
    return tc


COUNT_LAYERS = {"counts", "count", "raw", "rawcounts", "umi", "umis", "raw_counts"}


def check_counts_layer(X, layer: str, source: str) -> None:
    """A layer named as counts (``counts``, ``raw``, ``umi``...) must hold counts: a negative value in it
    means another kind of data went in under that name (it would also hide the raw-counts warning)."""
    import scipy.sparse as sp

    if layer.lower().replace("-", "_") not in COUNT_LAYERS:
        return
    values = X.data if sp.issparse(X) else np.asarray(X)
    if values.size and np.nanmin(values) < 0:
        raise InputError(f"{source}: layer {layer!r} is named as counts but holds negative values (min "
                         f"{float(np.nanmin(values)):g}); counts are non-negative integers: check what was stored in "
                         "it, or choose the layer that holds the raw counts")


def data_kind(X: np.ndarray) -> str:
    """``counts`` (non-negative integers), ``log`` (non-negative, non-integer, max < 30) or ``other``.
    A sparse ``X`` is judged on its stored values (the others are 0: non-negative integers)."""
    import scipy.sparse as sp

    if sp.issparse(X):
        if X.nnz == 0 and X.shape[0] * X.shape[1] > 0:  # all zeros, as a dense array of zeros: counts
            return "counts"
        X = X.data
    X = np.asarray(X).reshape(-1)
    if X.size == 0:
        return "other"
    blocks = value_blocks(X)  # np.allclose's temporaries over an atlas's values would be GB (same answer)
    if min(np.nanmin(b) for b in blocks) < 0:
        return "other"
    if all(np.allclose(b, np.round(b)) for b in blocks):
        return "counts"
    return "log" if max(np.nanmax(b) for b in blocks) < 30 else "other"


KIND_BLOCK = 1 << 22  # values per block in data_kind and validate (32 MB of float64)


def value_blocks(values: np.ndarray) -> list[np.ndarray]:
    """``values`` (1-d) as views of :data:`KIND_BLOCK` values each: checks over an atlas's stored values a block at
    a time."""
    return [values[k:k + KIND_BLOCK] for k in range(0, values.size, KIND_BLOCK)]


def validate(tc: TimeCourse, warn_ties: bool = True) -> None:
    """Stop on input no network should be inferred from: fewer than 2 genes, no samples, duplicated gene
    names, NaN or infinite expression or time. Every entry point (CLI, API, pipeline) passes through
    here (:func:`grngc.core.run.infer_checked` calls it), so all give the same messages."""
    if tc.n_genes < 2:
        raise InputError(f"{tc.source}: {tc.n_genes} gene(s); a network needs at least 2 genes")
    if tc.n_samples == 0:
        raise InputError(f"{tc.source}: no samples")
    dup = pd.Index(tc.genes)[pd.Index(tc.genes).duplicated()].unique().tolist()
    if dup:
        raise InputError(f"{tc.source}: duplicated gene names {dup[:5]}; make gene names unique")
    if tc.is_sparse:  # only the stored values can be NaN or inf; checked a block at a time (an atlas is GB)
        values = tc.X.data
        finite = all(np.isfinite(block).all() for block in value_blocks(values))
        bad = np.zeros(1, bool) if finite else ~np.isfinite(values)
        first = None
        if not finite:  # where, from the first bad stored value: its row by the row pointers, its column
            at = int(np.flatnonzero(bad)[0])
            first = (int(np.searchsorted(tc.X.indptr, at, side="right") - 1), int(tc.X.indices[at]))
    else:
        bad = ~np.isfinite(tc.X)
        first = tuple(np.argwhere(bad)[0]) if bad.any() else None
    if first is not None:
        r, c = first
        raise InputError(
            f"{tc.source}: {int(bad.sum())} non-finite expression value(s) (NaN or inf), first in gene "
            f"{tc.genes[c]!r} at sample {r}; impute or remove them before inference"
        )
    if not np.isfinite(tc.time).all():
        raise InputError(f"{tc.source}: time has NaN or infinite values; every sample needs a time")
    ties = tc.time_ties() if warn_ties else None
    if ties:
        log.warning("%s: %d sample(s) share their time with another sample of the same series (e.g. series %r at "
                    "time %g); they are ordered by a hash of their values (deterministic but arbitrary). If they "
                    "are replicates, give each its own series (series key: --series-key, series_key=)", tc.source,
                    ties["samples"], ties["first_series"], ties["first_time"])


def read_h5ad(path, time_key=None, series_key=None, layer=None, velocity=True, sparse=False) -> TimeCourse:
    import anndata as ad

    try:
        adata = ad.read_h5ad(path)
    except Exception as err:  # h5py raises OSError, anndata raises various
        raise InputError(f"{path}: not a readable .h5ad file ({err}); re-export it with anndata") from err
    source = str(path)
    if "grngc_preprocess" in adata.uns:  # name the user's file in messages, not only the pipeline's copy
        import json

        source = f"{path} (prepared from {json.loads(str(adata.uns['grngc_preprocess']))['source']})"
    return timecourse_from_anndata(adata, time_key, series_key, layer, source=source, velocity=velocity, sparse=sparse)





def timecourse_from_anndata(adata, time_key=None, series_key=None, layer=None, source="<AnnData>", velocity=True,
                            sparse=False):
    """``adata`` as a :class:`TimeCourse`: samples ordered by ``obs[time_key]`` within ``obs[series_key]``
    (``None``: the columns ``time`` and, when present, ``series``); with ``velocity``, the ``spliced`` and
    ``unspliced`` layers too where both exist (:func:`velocity_layers`). With ``sparse``, a sparse ``X``
    (or layer) stays sparse (inference: the single-cell mode reads it in blocks); else it is made dense."""
    import scipy.sparse as sp

    if layer is not None:
        if layer not in adata.layers:
            raise InputError(f"{source}: no layer {layer!r}; layers are {list(adata.layers)}")
        X = adata.layers[layer]
        check_counts_layer(X, layer, source)
    else:
        X = adata.X
    X = (sp.csr_matrix(X) if sparse else X.toarray()) if sp.issparse(X) else np.asarray(X)
    names = pd.Index(adata.obs_names)
    if names.duplicated().any() or (names.astype(str).str.strip() == "").any():
        dup = names[names.duplicated()].unique().tolist()[:5]
        raise InputError(f"{source}: sample ids (obs_names) must be unique and non-empty; "
                         f"{'duplicated: ' + str(dup) if dup else 'some are empty'}. Fix with adata.obs_names_make_unique()")
    tcol = find_column(adata.obs.columns, time_key, "time", source, "obs", required=True)
    time = numeric_column(adata.obs[tcol], source, f"obs[{tcol!r}]")
    scol = find_column(adata.obs.columns, series_key, "series", source, "obs")
    series = series_labels(adata.obs[scol], source, f"obs[{scol!r}]") if scol else np.full(adata.n_obs, "0")
    check_orientation(adata.n_obs, adata.n_vars, list(map(str, adata.obs_names)), list(map(str, adata.var_names)),
                      source)
    return TimeCourse(X, list(adata.var_names), time, series, source,
                      velocity_layers(adata, source, sparse=sparse) if velocity else None)


VELOCITY_LAYERS = ("spliced", "unspliced")


def velocity_arrays(adata, source: str = "<AnnData>", columns=None, sparse: bool = False):
    """``(spliced, unspliced)`` of ``adata.layers`` as float64 arrays, as stored, when both are there (velocyto,
    STARsolo, alevin-fry and scVelo name them so), else ``None``; only the gene ``columns`` (indices) when
    given, which are taken before densifying (a whole sparse layer can be many GB dense). With ``sparse``, a
    sparse layer stays sparse (CSR). The arrays are the caller's own, never views of ``adata``'s layers (so
    that :func:`log1p_scaled` may write into them). A negative or non-finite value stops."""
    import scipy.sparse as sp

    if not all(k in adata.layers for k in VELOCITY_LAYERS):
        return None
    layers = [adata.layers[k] if columns is None else adata.layers[k][:, columns] for k in VELOCITY_LAYERS]
    own = columns is not None  # a column subset is a copy already
    s, u = (own_float64(v, sparse, own) for v in layers)
    for name, v in zip(VELOCITY_LAYERS, (s, u)):
        values = v.data if sp.issparse(v) else v  # a sparse layer's other entries are 0
        if not np.isfinite(values).all() or (values.size and values.min() < 0):
            raise InputError(f"{source}: layer {name!r} has negative or non-finite values; RNA velocity reads "
                             "spliced and unspliced counts (or their log-normalized values): store those, or infer without "
                             "velocity (--no-velocity, velocity=False, the pipeline's infer.velocity: false)")
    return s, u


def own_float64(v, sparse: bool = False, own: bool = False):
    """``v`` as float64 values that are the caller's own (a copy unless ``own``: ``v`` is a copy already), a
    dense array, or with ``sparse`` a sparse ``v`` as CSR whose structure (column indices, row pointers) is
    shared with ``v`` when that is canonical (sorted, no duplicates: nothing will rewrite it), else copied too:
    an atlas's layer costs one new values array, not a whole second matrix."""
    import scipy.sparse as sp

    if not sp.issparse(v):
        return np.asarray(v, dtype=float) if own else np.array(v, dtype=float)
    if not sparse:
        return v.toarray().astype(float, copy=False)  # a new array
    m = sp.csr_matrix(v)  # no copy of a CSR matrix
    data = m.data.astype(np.float64, copy=not own)
    if m.has_canonical_format:
        return sp.csr_matrix((data, m.indices, m.indptr), shape=m.shape, copy=False)
    return sp.csr_matrix((data, m.indices.copy(), m.indptr.copy()), shape=m.shape, copy=False)


def velocity_layers(adata, source: str = "<AnnData>", sparse: bool = False):
    """:func:`velocity_arrays`, normalized when they are counts (non-negative integers) as ``grngc
    preprocess`` normalizes: each cell scaled by ``median total / its total`` (totals over both layers),
    then ``log1p``; anything else is taken as already normalized. Sparse layers (``sparse``) are normalized
    as stored, to the same values as dense ones (zeros stay zeros)."""
    arrays = velocity_arrays(adata, source, sparse=sparse)
    if arrays is None:
        return None
    s, u = arrays
    if data_kind(s) == "counts" and data_kind(u) == "counts":
        total = np.asarray(s.sum(axis=1)).reshape(-1, 1) + np.asarray(u.sum(axis=1)).reshape(-1, 1)
        factor = np.median(total) / np.maximum(total, 1.0)
        s, u = (log1p_scaled(v, factor) for v in (s, u))  # in place: velocity_arrays' own copies
        log.info("%s: spliced/unspliced layers read as counts: scaled to the median total and log1p", source)
    return s, u


def log1p_scaled(v, factor: np.ndarray):
    """``log1p(v * factor)`` (``factor``: one per row) of a float64 dense array or CSR matrix ``v``, written
    into ``v`` itself and returned (no second copy of an atlas's layer: ``v`` must be the caller's own, as
    :func:`velocity_arrays` gives), kept sparse when it is."""
    import scipy.sparse as sp

    if v.dtype != np.float64 or (sp.issparse(v) and v.format != "csr"):
        raise TypeError(f"log1p_scaled writes in place into a float64 array or CSR matrix, not {type(v).__name__} {v.dtype}")
    if not sp.issparse(v):
        v *= factor
        return np.log1p(v, out=v)
    v.sum_duplicates()  # log1p of the summed entry, as the dense value, not of each duplicate
    v.data *= np.repeat(factor.ravel(), np.diff(v.indptr))
    np.log1p(v.data, out=v.data)
    return v


def _looks_like_cells(names: list[str]) -> float:
    """Share of ``names`` that look like cell ids: barcodes (10+ of A/C/G/T, maybe with a suffix) or
    'cell...' names."""
    import re

    pattern = re.compile(r"^([ACGTN]{10,}([-_.][\w]+)?|cell[\W_]?\w*)$", re.IGNORECASE)
    return float(np.mean([bool(pattern.match(n)) for n in names])) if names else 0.0


def check_orientation(n_obs: int, n_vars: int, obs_names: list[str], var_names: list[str], source: str) -> None:
    """Stop on a matrix that looks transposed (cells as variables): more variables than samples with
    variable names that look like cells (barcodes, 'cell...') and sample names that do not; warn when genes
    outnumber samples 25 to 1 (few samples for that many genes: most of the network is guesswork)."""
    if n_vars > n_obs and _looks_like_cells(var_names[:200]) > 0.5 and _looks_like_cells(obs_names[:200]) < 0.5:
        raise InputError(f"{source}: is the matrix transposed? Its {n_vars} variables are named like cells (e.g. "
                         f"{var_names[:3]}) and its {n_obs} samples like genes (e.g. {obs_names[:3]}); samples (cells) "
                         "must be rows (obs) and genes columns (var): use adata.T")
    if n_vars >= 25 * n_obs:
        log.warning("%s: %d genes and only %d samples (%.0f genes per sample): most of the network cannot be told "
                    "from the data; keep fewer genes (highly variable genes, max_genes) or give more samples "
                    "(is the matrix transposed?)", source, n_vars, n_obs, n_vars / max(n_obs, 1))


def load_anndata(path, fmt: str | None = None, time_key: str | None = None, series_key: str | None = None,
                 layer: str | None = None):
    """Read ``path`` as AnnData. An ``.h5ad`` may lack a time column (pseudotime comes later)."""
    import anndata as ad

    from ..simulate import to_anndata
    from .formats import detect_format

    fmt = fmt or detect_format(path)
    if fmt != "h5ad":
        tc = read_expression(path, fmt, time_key=time_key, series_key=series_key)
        adata = to_anndata(tc)
        del adata.uns["simulation"]
        return adata
    if not Path(path).exists():
        raise InputError(f"{path}: no such file")
    try:
        adata = ad.read_h5ad(path)
    except Exception as err:  # h5py raises OSError, anndata raises various
        raise InputError(f"{path}: not a readable .h5ad file ({err}); re-export it with anndata") from err
    use_layer_and_keys(adata, time_key, series_key, layer, str(path))
    return adata


def use_layer_and_keys(adata, time_key: str | None, series_key: str | None, layer: str | None, source: str) -> None:
    """Put ``adata`` in the form preprocessing reads, in place: ``layers[layer]`` (checked) as ``X``, and the
    named time and series columns as ``obs['time']`` / ``obs['series']``. A named key must exist (a typo
    must not silently become a pseudotime or one series); unnamed, the columns "time" (else a pseudotime
    is computed later) and "series" (else one series) are used when present."""
    if layer is not None:
        if layer not in adata.layers:
            raise InputError(f"{source}: no layer {layer!r}; layers are {list(adata.layers)}")
        check_counts_layer(adata.layers[layer], layer, source)
        adata.X = adata.layers[layer]
    for key, role in ((time_key, "time"), (series_key, "series")):
        column = find_column(adata.obs.columns, key, role, source, "obs")
        if column is not None and column != role:
            adata.obs[role] = adata.obs[column]


def read_gene_file(path) -> list[str]:
    """One gene per line (a header line named gene/tf/symbol is skipped; '#' starts a comment)."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file (a gene list: one gene per line)")
    names = [l.split("#")[0].strip().split("\t")[0].split(",")[0] for l in p.read_text().splitlines()]
    names = [n for n in names if n]
    if names and names[0].lower() in {"gene", "genes", "tf", "tfs", "symbol"}:
        names = names[1:]
    if not names:
        raise InputError(f"{p}: no gene names in it (one gene per line)")
    return list(dict.fromkeys(names))
