"""Run every single method (members and anchors) on every dataset, caching the scores."""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from . import cache, candidates


def run_method(name: str, tc, threads: int) -> np.ndarray:
    """``(p, p)`` scores of one single method on ``tc`` (``S[i, j]``: ``i -> j``)."""
    if name in ("genie3", "tigress", "ridge", "spearman"):  # grngc.methods' registry, at the protocol's settings
        from grngc.methods import run_baseline

        method, params = {"genie3": ("genie3", {"n_trees": 300}), "tigress": ("tigress", {"resamples": 200}),
                          "ridge": ("ridge", {}), "spearman": ("correlation", {})}[name]
        return run_baseline(method, tc, seed=0, n_jobs=threads, **params)
    from grngc.core.api import infer_timecourse

    return infer_timecourse(tc, cache.model_config(name)).scores


def compute(methods, families, out: Path, threads: int, log=print) -> None:
    """Compute what is missing, method by method (give them cheap first: :func:`ordered_methods`)."""
    from datasets import FAMILIES
    from grngc.evaluate.metrics import evaluate_scores

    for name in methods:
        for fam in families:
            for dataset, load in FAMILIES[fam]:
                f = cache.score_file(out, name, dataset)
                if f.exists():
                    continue
                tc, truth = cache.load_dataset(out, dataset, load)
                t0 = time.perf_counter()
                S = run_method(name, tc, threads)
                sec = time.perf_counter() - t0
                cache.save_scores(f, S, sec)
                log(f"  {fam:20s} {dataset:24s} {name:28s} AUROC {evaluate_scores(S, truth)['auroc']:.3f} "
                    f"{sec:7.1f} s")


def ordered_methods(methods=None) -> list[str]:
    """``methods`` (default: every single method of the registration), cheap first, so that an
    interrupted run leaves the most complete picture."""
    cost = {"spearman": 0, "ridge": 1, "linear_lag1": 2, "linear_now": 2, "genie3": 3, "tigress": 3,
            "masked_now": 4, "masked_now_dropout": 4, "masked_same_time_level": 4, "masked_same_time_delta": 4,
            "per_target_now": 4, "per_target_same_time_delta": 4, "kan_additive_level": 5,
            "kan_additive_now": 5, "mlp": 6, "kan_lag1_level": 7, "paper": 8}
    return sorted(candidates.single_methods() if methods is None else methods, key=lambda m: cost.get(m, 9))
