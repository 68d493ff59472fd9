"""The members of an ensemble (the default's ridge, per-target MLP and GENIE3): their settings, which
run at a given size, GENIE3 as a member, and the lag each edge acts at."""
from __future__ import annotations

import dataclasses
import logging

import numpy as np

from ..config import GRNGCConfig
from ..timecourse import TimeCourse
from .combine import relative_scale

log = logging.getLogger("grngc")


# GENIE3 as an ensemble member: as benchmarks/protocol runs it (the settings of registration R1).
GENIE3_MEMBER_TREES = 300


def genie3_member(tc: TimeCourse, cfg: GRNGCConfig) -> np.ndarray:
    """GENIE3's importances (:func:`grngc.methods.genie3.genie3`, ``GENIE3_MEMBER_TREES`` trees, seed
    ``cfg.seed``, torch's CPU threads as workers), scaled as a model's scores are
    (:func:`grngc.core.combine.relative_scale`)."""
    import torch

    from ..methods.genie3 import genie3

    S = genie3(tc.X, n_trees=GENIE3_MEMBER_TREES, seed=cfg.seed, n_jobs=torch.get_num_threads())
    return S / relative_scale(S)  # the diagonal: relative_scale skips it, grngc.core.run.infer_one zeroes it


def edge_lags(runs, cfg: GRNGCConfig, scores: np.ndarray, genes: list[str], idx: list[int], top: int = 20):
    """Per edge, the lag whose inputs carry the largest mean |gradient| (the runs' per-slot scores, each
    run scaled by :func:`grngc.core.combine.relative_scale`), and the lag profile (shares per lag) of the
    ``top`` edges.
    ``(None, None)`` with one slot, or when the runs kept no per-slot scores (very large ``p``)."""
    from ..granger.gradients import slot_lags

    if not runs or any(r.slot_scores is None for r in runs):
        return None, None
    slots = np.mean([r.slot_scores / relative_scale(r.scores) for r in runs], axis=0)  # (p_used, k, p_used)
    lag_of_slot = slot_lags(cfg.lag, cfg.same_time)
    lags = np.zeros((len(genes), len(genes)), dtype=int)
    lags[np.ix_(idx, idx)] = lag_of_slot[np.argmax(slots, axis=1)]
    full = np.zeros((len(genes), slots.shape[1], len(genes)))
    full[np.ix_(idx, range(slots.shape[1]), idx)] = slots
    order = np.argsort(-np.where(np.eye(len(genes), dtype=bool), -np.inf, scores), axis=None)[:top]
    profile = {}
    for flat in order:
        i, j = divmod(int(flat), len(genes))
        share = full[i, :, j] / max(full[i, :, j].sum(), 1e-12)
        profile[f"{genes[i]} -> {genes[j]}"] = {f"lag {int(lag)}": round(float(v), 4) for lag, v in zip(lag_of_slot, share)}
    return lags, profile


def member_configs(cfg: GRNGCConfig, n_genes: int) -> list[GRNGCConfig]:
    """The single-model settings of each member of the ensemble ``cfg`` (``cfg`` with the member's
    settings). A member with ``max_genes`` runs only up to that many genes (the first member always runs)."""
    return [member_config(cfg, m) for m in active_members(cfg, n_genes)]


def member_config(cfg: GRNGCConfig, member: dict) -> GRNGCConfig:
    """``cfg`` with one member's settings, as a single model."""
    return dataclasses.replace(cfg, **{k: v for k, v in member.items() if k != "max_genes"}, members=())


def active_members(cfg: GRNGCConfig, n_genes: int) -> list[dict]:
    """The members of ``cfg.members`` that run on ``n_genes`` genes (see :func:`member_configs`)."""
    members = [m for k, m in enumerate(cfg.members) if k == 0 or n_genes <= m.get("max_genes", n_genes)]
    for m in skipped_members(cfg, n_genes):
        log.warning("%d genes: ensemble member %s skipped (it runs up to max_genes %d genes); the network is the "
                    "other members' (run.json members_skipped)", n_genes, m.get("model"), m["max_genes"])
    return members


def skipped_members(cfg: GRNGCConfig, n_genes: int) -> list[dict]:
    """The members of ``cfg.members`` that do not run on ``n_genes`` genes (above their ``max_genes``)."""
    return [m for k, m in enumerate(cfg.members) if k > 0 and n_genes > m.get("max_genes", n_genes)]
