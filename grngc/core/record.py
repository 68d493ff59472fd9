"""The run record: what ran on which input with which settings and versions, and what a score means.
Written as ``run.json`` and stored in ``adata.uns``."""
from __future__ import annotations

import dataclasses
import platform
import time as _time
from datetime import datetime, timezone

import numpy as np

from ..config import GRNGCConfig
from ..timecourse import TimeCourse


SCORE_MODEL = ("mean over windows and lags of |d xhat_target / d x_regulator| (for 'ridge': |coefficient|; for "
               "'genie3': the random forests' importance), "
               "divided by that model's mean over all off-diagonal pairs, then averaged over the seeds' models: "
               "relative units, 1 = an average pair")


SCORE_ENSEMBLE = ("mean over the ensemble members of 1 - rank / number of pairs (Borda; rank 1 = the member's "
                  "top pair; with combine 'shares', ranked after each member's scores are made per-target "
                  "shares), in [0, 1): 0.99 = in the top 1% on average; comparable across runs, not a gradient")


SCORE_CELLS = ("single-cell mode: mean over its members (DAG Granger, co-expression) of 1 - rank / number of pairs, "
               "times (1 + w tanh(10 D)) with D the direction from RNA velocity (spliced/unspliced layers) or from "
               "pseudotime (up to direction_max_genes genes) when its weight w > 0 (run record: cell_mode.direction)")


SCORE_CELLS_ONE = ("single-cell mode: |ridge coefficient| of the regulator for the target in the same cell "
                   "(z-scored genes, penalty c x genes), times (d_i d_j)^detection_power (the genes' detection "
                   "rates) and a weight by their spreads, w = sd_i^spread_regulator_power / max(sd_j, the "
                   "spread_target_floor quantile)^spread_target_power, as w^(1 - q^spread_fade) with q the pair's "
                   "score quantile (the weight fades at the top), "
                   "times (1 + w tanh(10 D)) with D the direction from RNA velocity "
                   "(spliced/unspliced layers) or from pseudotime (up to direction_max_genes genes) when its weight w > 0 "
                   "(grngc.cells)")


def run_record(tc: TimeCourse, cfg: GRNGCConfig, dropped: list[str], t0: float, device: str, runs: list,
               edge_direction: str, score: str, **extra) -> dict:
    """The run record of one network on ``tc`` (input, settings, runs, versions), timed from ``t0``."""
    return {
        "grngc_version": _version(),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "input": {"source": tc.source, "sha256": tc.content_hash(), "n_samples": tc.n_samples,
                  "n_genes": tc.n_genes, "n_series": len(tc.series_slices()), "time_ties": tc.time_ties()},
        "genes": tc.genes,
        "dropped_genes": dropped,
        "config": dataclasses.asdict(cfg),
        "device": device,
        "runs": runs,
        "seconds_total": round(_time.perf_counter() - t0, 3),
        "versions": package_versions(),
        "edge_direction": edge_direction,
        "score": score,
        **extra,
    }


def to_uns(obj):
    """A run record as a plain nested dict that AnnData writes to ``.h5ad`` and reads back: lists of
    records become dicts keyed "0", "1", ...; lists of numbers or strings become arrays; None is dropped."""
    if isinstance(obj, dict):
        return {str(k): to_uns(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, (list, tuple)):
        if obj and all(isinstance(v, dict) for v in obj):
            return {str(k): to_uns(v) for k, v in enumerate(obj)}
        if all(isinstance(v, str) for v in obj):
            return np.array(obj, dtype=object) if obj else np.array([], dtype=float)
        if all(isinstance(v, (int, float, np.integer, np.floating, bool)) for v in obj):
            return np.asarray(obj)
        return {str(k): to_uns(v) for k, v in enumerate(obj) if v is not None}
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def package_versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("grngc", "torch", "numpy", "pandas", "scikit-learn", "anndata", "scanpy"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = None
    return out


def _version() -> str:
    from .._version import __version__

    return __version__
