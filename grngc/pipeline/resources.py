"""Cluster resources of an ``infer`` job from the size of its input (docs/pipeline.md, "Scaling out").

Measured by ``benchmarks/speed.py`` (docs/pipeline.md, "Scaling out"): seconds per epoch on CPU
~ ``2.5e-7 x genes x samples`` (at least 0.01), peak memory ~ ``1000 MB + 1e-4 x genes x samples``.
A job then needs ``runtime`` minutes ~ ``models x 800 epochs x seconds_per_epoch / 60 + 2`` (800:
where early stopping typically ends), with a 2x margin; each retry (``attempt``) doubles both.
The configured ``mem_mb`` / ``runtime`` are floors.
"""
from __future__ import annotations

import math
from pathlib import Path


def h5ad_shape(path) -> tuple[int, int] | None:
    """``(samples, genes)`` of an ``.h5ad`` from its header, without loading it; None if unreadable."""
    try:
        import h5py

        with h5py.File(Path(path), "r") as f:
            X = f["X"]
            shape = X.attrs["shape"] if isinstance(X, h5py.Group) else X.shape
        return int(shape[0]), int(shape[1])
    except (OSError, KeyError, ImportError):
        return None


def infer_resources(samples: int, genes: int, attempt: int = 1, mem_mb_floor: int = 1000,
                    runtime_floor: int = 10, models: int = 5, margin: float = 2.0) -> dict:
    """``{"mem_mb", "runtime"}`` for one infer job on ``samples x genes``; ``models``: the most models one
    job trains (5 for small data with ``n_seeds: auto``, times the ensemble's members)."""
    size = samples * genes
    sec_per_epoch = max(0.01, 2.5e-7 * size)
    runtime = margin * (models * 800 * sec_per_epoch / 60 + 2)
    mem = margin * (1000 + 1e-4 * size)
    return {"mem_mb": int(attempt * max(mem_mb_floor, math.ceil(mem))),
            "runtime": int(attempt * max(runtime_floor, math.ceil(runtime)))}
