"""Preprocessing before inference, with scanpy: normalization, gene selection, pseudotime, binning.

The pipeline's first stage. It reads anything the engine reads, plus ``.h5ad`` files of single cells
that have no time yet, and writes an AnnData that :func:`grngc.io.read_expression` reads with its
defaults: ``obs['time']`` (time or pseudotime), ``obs['series']``, rows ordered by series and time.
What was done is recorded in ``uns['grngc_preprocess']`` (JSON).

Steps, in order:

1. **Normalize** (``normalize``): ``auto`` applies ``normalize_total`` (to ``target_sum`` per sample)
   and ``log1p`` only when the data look like counts (non-negative integers); ``always`` does it
   regardless and warns when the data already look log-transformed (non-integer, maximum below 30);
   ``never`` leaves values alone. Negative values where counts are expected stop with an error.
2. **Select genes** (``genes``): ``all``; ``hvg`` (scanpy's highly variable genes); ``list`` (a given
   list); ``tfs_targets`` (the given TFs found in the data, then the most variable other genes). All
   are capped at ``max_genes``, keeping the most variable.
3. **Order** samples: by ``obs[time_key]`` when present; otherwise by diffusion pseudotime
   (Haghverdi et al. 2016; ``scanpy.tl.dpt``) from a root given as ``KEY=VALUE`` (a group of cells
   in ``obs``; the cell of that group farthest along the first diffusion component away from the rest
   is the root) or ``cell:NAME``. Cells that DPT cannot reach (disconnected) are dropped with a warning.
4. **Bin** (``n_bins`` > 0): within each series, average consecutive equal-count groups of samples
   along time; one row per bin (smooths single-cell noise, at the cost of samples).

``layers['spliced']`` and ``layers['unspliced']`` (RNA velocity's counts), when both are there, follow the
same cells and genes into the output, normalized as ``X`` is (each cell scaled by ``target_sum`` over its
total, then ``log1p``), so that the single-cell mode can read direction from them.

A sparse ``X`` and sparse layers (an atlas) stay sparse from input to output: normalization, the genes'
variances (in blocks of cells), scanpy's PCA and the selection all work on CSR, so no cells x genes dense
copy is made (binning writes its few rows dense).
"""
from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from ..core.moments import column_variance
from ..timecourse import InputError
from .expression import data_kind

log = logging.getLogger("grngc")

NORMALIZE = ("auto", "always", "never")
GENE_SELECTION = ("all", "hvg", "list", "tfs_targets")
PSEUDOTIME = ("auto", "dpt", "obs")


@dataclass
class PreprocessConfig:
    normalize: str = "auto"
    target_sum: float = 1e4
    genes: str = "all"
    max_genes: int = 500
    gene_list: list[str] | None = None
    tfs: list[str] | None = None
    pseudotime: str = "auto"
    root: str | None = None
    n_bins: int = 0
    n_pcs: int = 20
    n_neighbors: int = 15
    seed: int = 0
    time_key: str | None = None  # None: obs["time"] when present
    series_key: str | None = None  # None: obs["series"] when present
    layer: str | None = None

    def check(self) -> None:
        for name, allowed in (("normalize", NORMALIZE), ("genes", GENE_SELECTION), ("pseudotime", PSEUDOTIME)):
            if getattr(self, name) not in allowed:
                raise InputError(f"preprocess {name}={getattr(self, name)!r}: use one of {', '.join(allowed)}")
        if self.max_genes < 2:
            raise InputError(f"preprocess max_genes={self.max_genes}: a network needs at least 2 genes")
        if self.genes == "list" and not self.gene_list:
            raise InputError("preprocess genes='list' needs a gene list (gene_list: a file, one gene per line)")
        if self.genes == "tfs_targets" and not self.tfs:
            raise InputError("preprocess genes='tfs_targets' needs a TF list (tfs: a file, one gene per line)")


def _dense(X) -> np.ndarray:
    import scipy.sparse as sp

    return np.asarray(X.toarray() if sp.issparse(X) else X, dtype=np.float64)


def _first_where(X, bad) -> tuple[int, int]:
    """Row and column of the first stored entry of ``X`` (dense or CSR) where ``bad(values)`` holds."""
    import scipy.sparse as sp

    if not sp.issparse(X):
        return tuple(np.argwhere(bad(X))[0])
    k = int(np.flatnonzero(bad(X.data))[0])
    return int(np.searchsorted(X.indptr, k, side="right") - 1), int(X.indices[k])


def normalize(adata, cfg: PreprocessConfig, source: str) -> str:
    """Normalize in place as ``cfg.normalize`` says; return what was done (for the record).
    ``adata.X`` is float64 afterwards: dense, or CSR when it was sparse (an atlas is not made dense)."""
    import scanpy as sc
    import scipy.sparse as sp

    X = adata.X = sp.csr_matrix(adata.X, dtype=np.float64) if sp.issparse(adata.X) else _dense(adata.X)
    values = X.data if sp.issparse(X) else X  # a sparse matrix's other entries are 0
    if not np.isfinite(values).all():
        r, c = _first_where(X, lambda v: ~np.isfinite(v))
        raise InputError(f"{source}: non-finite value (NaN or inf) in gene {adata.var_names[c]!r} at sample "
                         f"{adata.obs_names[r]!r}; impute or remove it before preprocessing")
    kind = data_kind(X)
    if cfg.normalize == "never" or (cfg.normalize == "auto" and kind != "counts"):
        done = f"none (data look like {kind}; normalize={cfg.normalize})"
        log.info("%s: not normalized: %s", source, done)
        return done
    if values.size and values.min() < 0:
        r, c = _first_where(X, lambda v: v < 0)
        raise InputError(f"{source}: normalize={cfg.normalize} expects counts, but gene {adata.var_names[c]!r} "
                         f"is negative ({X[r, c]:g}) at sample {adata.obs_names[r]!r}; set normalize: never "
                         "for data that are already normalized or log-transformed")
    if kind == "log":
        log.warning("%s: data look already log-transformed (non-integer, maximum %.2f); normalizing and "
                    "log-transforming again because normalize=always", source, values.max())
    sc.pp.normalize_total(adata, target_sum=cfg.target_sum)
    sc.pp.log1p(adata)
    return f"normalize_total(target_sum={cfg.target_sum:g}) + log1p (data looked like {kind})"


def velocity_counts(adata, chosen: list[str], target_sum: float | None, source: str,
                    raw_totals: np.ndarray) -> dict | None:
    """``{"spliced": ..., "unspliced": ...}`` (the ``chosen`` genes; sparse layers stay sparse) when ``adata`` has both layers,
    normalized as :func:`normalize` normalized ``X``: with a ``target_sum`` (``X`` was normalized), each cell
    scaled by ``target_sum / raw total`` (``raw_totals``: ``X``'s totals before normalizing), then log1p;
    ``None`` without the layers."""
    from .expression import log1p_scaled, velocity_arrays

    arrays = velocity_arrays(adata, source, adata.var_names.get_indexer(chosen), sparse=True)
    if arrays is None:
        return None
    s, u = arrays
    if target_sum is not None:
        factor = (target_sum / np.maximum(raw_totals, 1e-12))[:, None]
        s, u = log1p_scaled(s, factor), log1p_scaled(u, factor)
    return {"spliced": s, "unspliced": u}


def select_genes(adata, cfg: PreprocessConfig, source: str, variance: pd.Series) -> list[str]:
    """Genes to keep, as ``cfg.genes`` says, at most ``cfg.max_genes`` (most variable by ``variance``,
    one value per gene of ``adata``)."""
    import scanpy as sc

    genes = list(adata.var_names)
    if cfg.genes == "all":
        chosen = genes
    elif cfg.genes == "hvg":
        n = min(cfg.max_genes, len(genes))
        hv = sc.pp.highly_variable_genes(adata, n_top_genes=n, inplace=False, flavor="seurat")
        chosen = [g for g, keep in zip(genes, hv["highly_variable"]) if keep]
    elif cfg.genes == "list":
        chosen = [g for g in cfg.gene_list if g in variance.index]
        missing = len(cfg.gene_list) - len(chosen)
        if missing:
            log.warning("%s: %d of %d listed genes are not in the data", source, missing, len(cfg.gene_list))
    else:  # tfs_targets
        tfs = [g for g in cfg.tfs if g in variance.index]
        if not tfs:
            raise InputError(f"{source}: none of the {len(cfg.tfs)} TFs given is a gene of the data; check "
                             "the TF list's gene naming (symbols vs ids, case)")
        others = variance.drop(tfs).sort_values(ascending=False, kind="mergesort").index.tolist()
        chosen = tfs + others
    if len(chosen) > cfg.max_genes:
        log.warning("%s: %d genes selected; keeping the %d most variable (max_genes)", source, len(chosen),
                    cfg.max_genes)
        keep = set(variance[chosen].sort_values(ascending=False, kind="mergesort").index[: cfg.max_genes])
        if cfg.genes == "tfs_targets":  # TFs first, then targets
            keep = set(chosen[: cfg.max_genes])
        chosen = [g for g in chosen if g in keep]
    if len(chosen) < 2:
        raise InputError(f"{source}: gene selection {cfg.genes!r} kept {len(chosen)} gene(s); a network "
                         "needs at least 2")
    return chosen


def parse_root(root: str | None, adata, source: str) -> int:
    """Index of the root cell from ``cell:NAME`` or ``KEY=VALUE`` (see the module docstring)."""
    if not root:
        raise InputError(f"{source}: no time column and no pseudotime root; give the root as KEY=VALUE (a group of "
                         "start cells in obs, e.g. stage=early) or cell:NAME: --root on the command line, "
                         "pseudotime_root in the sheet, root= in PreprocessConfig; or give a time key")
    if root.startswith("cell:"):
        name = root[5:]
        if name not in adata.obs_names:
            flipped = " but a variable (var name): is the matrix transposed? Cells must be rows (use adata.T)" \
                if name in adata.var_names else ""
            raise InputError(f"{source}: pseudotime root cell {name!r} is not a cell (obs name) of the data{flipped}")
        return int(adata.obs_names.get_loc(name))
    key, sep, value = root.partition("=")
    if not sep or key not in adata.obs:
        raise InputError(f"{source}: pseudotime root {root!r}: write KEY=VALUE with KEY an obs column "
                         f"({list(adata.obs.columns)}) or cell:NAME")
    group = np.flatnonzero(adata.obs[key].astype(str).to_numpy() == value)
    if group.size == 0:
        raise InputError(f"{source}: pseudotime root {root!r}: no cell has obs[{key!r}] == {value!r}; values "
                         f"are {sorted(adata.obs[key].astype(str).unique())[:10]}")
    dc1 = adata.obsm["X_diffmap"][:, 1]
    outward = np.sign(dc1[group].mean() - dc1.mean()) or 1.0
    return int(group[np.argmax(outward * dc1[group])])


def diffusion_pseudotime(adata, cfg: PreprocessConfig, source: str) -> np.ndarray:
    """DPT of every cell from the configured root (scanpy: pca, neighbors, diffmap, dpt)."""
    import scanpy as sc

    n_comps = max(2, min(cfg.n_pcs, adata.n_vars - 1, adata.n_obs - 1))
    sc.pp.pca(adata, n_comps=n_comps, random_state=cfg.seed)
    # Exact neighbours (scikit-learn, brute force), which scanpy itself uses below 8,192 cells: above that
    # its default, pynndescent 0.7, fails on scipy >= 1.17's sparse arrays ('csr_array' has no getnnz),
    # and exact neighbours keep the pseudotime deterministic (about a minute per 100,000 cells).
    sc.pp.neighbors(adata, n_neighbors=min(cfg.n_neighbors, adata.n_obs - 1), random_state=cfg.seed,
                    transformer="sklearn")
    sc.tl.diffmap(adata, random_state=cfg.seed)
    adata.uns["iroot"] = parse_root(cfg.root, adata, source)
    sc.tl.dpt(adata)
    return adata.obs["dpt_pseudotime"].to_numpy(dtype=float)


def bin_along_time(X: np.ndarray, time: np.ndarray, series: np.ndarray, n_bins: int):
    """Average equal-count groups of consecutive samples within each series (rows already ordered)."""
    rows, times, labels = [], [], []
    for s in pd.unique(series):
        idx = np.flatnonzero(series == s)
        for chunk in np.array_split(idx, min(n_bins, idx.size)):
            rows.append(np.asarray(X[chunk].mean(axis=0)).ravel())  # dense or sparse rows: one dense mean
            times.append(time[chunk].mean())
            labels.append(s)
    return np.vstack(rows), np.asarray(times), np.asarray(labels)


def preprocess(adata, cfg: PreprocessConfig, source: str = "<AnnData>"):
    """Run the steps of the module docstring; return a new AnnData ready for inference."""
    import anndata as ad

    cfg.check()
    adata = adata.copy()
    raw_totals = np.asarray(adata.X.sum(axis=1), dtype=float).ravel()  # dense or sparse, before normalizing
    from .expression import check_orientation

    check_orientation(adata.n_obs, adata.n_vars, list(map(str, adata.obs_names)), list(map(str, adata.var_names)),
                      source)
    record = {"source": source, "samples_in": int(adata.n_obs), "genes_in": int(adata.n_vars)}
    dup = adata.var_names[adata.var_names.duplicated()].unique().tolist()
    if dup:
        raise InputError(f"{source}: duplicated gene names {dup[:5]}; make gene names unique")
    record["normalization"] = normalize(adata, cfg, source)  # adata.X is float64 from here on, dense or CSR
    variance = pd.Series(column_variance(adata.X), index=list(adata.var_names))
    chosen = select_genes(adata, cfg, source, variance)
    normalized = record["normalization"].startswith("normalize_total")
    velocity = velocity_counts(adata, chosen, cfg.target_sum if normalized else None, source, raw_totals)
    record["gene_selection"] = {"method": cfg.genes, "kept": len(chosen), "max_genes": cfg.max_genes}
    use_obs_time = "time" in adata.obs and cfg.pseudotime != "dpt"
    if cfg.pseudotime == "obs" and "time" not in adata.obs:
        raise InputError(f"{source}: pseudotime=obs but obs has no column {cfg.time_key or 'time'!r} "
                         f"(obs columns: {list(adata.obs.columns)})")
    from .columns import series_labels

    series = (series_labels(adata.obs["series"], source, f"obs[{cfg.series_key or 'series'!r}]") if "series" in adata.obs
              else np.full(adata.n_obs, "0"))
    embedding = None
    if use_obs_time:
        time = pd.to_numeric(adata.obs["time"], errors="coerce").to_numpy(dtype=float)
        if np.isnan(time).any():
            bad = adata.obs_names[np.isnan(time)][:3].tolist()
            raise InputError(f"{source}: obs[{cfg.time_key or 'time'!r}] is missing or not numeric for {int(np.isnan(time).sum())} "
                             f"sample(s), e.g. {bad}; fill it in, or drop the column to compute a pseudotime")
        record["time"] = f"obs[{cfg.time_key or 'time'!r}]"
    else:
        time = diffusion_pseudotime(adata, cfg, source)
        embedding = adata.obsm["X_diffmap"][:, 1:3].copy()
        record["time"] = f"diffusion pseudotime from root {cfg.root!r}"
        reach = np.isfinite(time)
        if not reach.all():
            log.warning("%s: %d cell(s) unreachable from the root (not connected); dropped", source,
                        int((~reach).sum()))
            record["unreachable_cells_dropped"] = int((~reach).sum())
    keep = np.isfinite(time)
    X = adata[:, chosen].X[keep]
    time, series = time[keep], series[keep]
    obs_names = np.asarray(adata.obs_names)[keep]
    order = np.lexsort((time, series))
    X, time, series, obs_names = X[order], time[order], series[order], obs_names[order]
    qc = {"totals": raw_totals, "mean": np.asarray(adata.X.mean(axis=0)).ravel(), "var": variance.to_numpy(),
          "genes": list(adata.var_names), "chosen": chosen, "time": time.copy(),
          "embedding": None if embedding is None else embedding[keep][order]}
    if velocity is not None:
        velocity = {k: v[keep][order] for k, v in velocity.items()}
        record["velocity_layers"] = list(velocity)
    if cfg.n_bins:
        if velocity is not None:
            velocity = {k: bin_along_time(v, time, series, cfg.n_bins)[0] for k, v in velocity.items()}
        X, time, series = bin_along_time(X, time, series, cfg.n_bins)
        obs_names = np.array([f"{s}_bin{k}" for k, s in enumerate(series)])
        record["binning"] = f"{cfg.n_bins} bins per series"
    obs = pd.DataFrame({"time": time, "series": pd.Categorical(series)}, index=pd.Index(obs_names, dtype=object))
    var = pd.DataFrame(index=pd.Index(chosen, dtype=object))
    if cfg.tfs:
        var["is_tf"] = [g in set(cfg.tfs) for g in chosen]
    out = ad.AnnData(X.astype(np.float32), obs=obs, var=var,
                     layers={k: v.astype(np.float32) for k, v in (velocity or {}).items()})
    record.update(samples_out=int(out.n_obs), genes_out=int(out.n_vars),
                  settings={k: v for k, v in asdict(cfg).items() if k not in ("gene_list", "tfs")})
    out.uns["grngc_preprocess"] = json.dumps(record)
    return out, record, qc
