"""Python API: GRNGC on arrays (:func:`infer`) and on AnnData, scanpy-style (:func:`infer_anndata`)."""
from __future__ import annotations

import dataclasses
import logging
import platform
import time as _time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from .compare import only_regulators
from .metrics import regulator_rows
from .io.network import attach_edge_attributes, scores_to_edges
from .timecourse import InputError, TimeCourse
from .train import GRNGCConfig, fit, model_seed, relative_scale

log = logging.getLogger("grngc")


@dataclass
class GRNGCResult:
    """Scores of every directed pair (``scores[i, j]``: edge ``genes[i] -> genes[j]``) and the run record."""

    scores: np.ndarray
    genes: list[str]
    record: dict = field(default_factory=dict)
    lags: np.ndarray | None = None  # lags[i, j]: the lag carrying the most gradient of i -> j (one model, lag > 1)
    signs: np.ndarray | None = None  # +1 activation, -1 repression (sign of the mean gradient)
    sign_agreement: np.ndarray | None = None  # fraction of windows whose gradient has that sign

    def edges(self, top: int | None = None, per_target: int | None = None) -> pd.DataFrame:
        """``regulator, target, score`` (and ``sign``, ``sign_agreement``, ``lag`` where known), highest score first: every ordered pair
        of distinct genes, or the ``top`` best pairs together with the ``per_target`` best regulators of
        each target. A run given regulators lists only their rows."""
        edges = attach_edge_attributes(scores_to_edges(self.scores, self.genes, top, per_target),
                                       {"sign": self.signs, "sign_agreement": self.sign_agreement, "lag": self.lags},
                                       self.genes)
        regulators = (self.record.get("regulators") or {}).get("names")
        if regulators is not None:  # a run restricted to regulators: only their rows are the network
            edges = edges[edges["regulator"].isin(set(regulators))].reset_index(drop=True)
        return edges


def make_config(config: GRNGCConfig | None = None, preset: str | None = None, **overrides) -> GRNGCConfig:
    """``config`` (or the defaults), then the named ``preset`` ("default" or "paper"), then ``overrides``.
    Without either, the "default" preset; an explicit ``config`` alone is taken as it is."""
    from .presets import resolve_config

    if preset is None and config is None:
        preset = "default"
    return resolve_config(preset, config, **overrides)


def infer(X, time=None, series=None, genes=None, config: GRNGCConfig | None = None, preset: str | None = None,
          threads: int | str | None = "auto", **settings) -> GRNGCResult:
    """Infer a gene network from time-ordered expression.

    Parameters
    ----------
    X
        ``(n_samples, n_genes)`` expression; rows need not be sorted.
    time
        Time or pseudotime per sample; row order when ``None``.
    series
        Series label per sample (replicates, trajectories); one series when ``None``.
    genes
        Gene names; ``g0, g1, ...`` when ``None``.
    config, preset, **settings
        A :class:`~grngc.train.GRNGCConfig`, a named preset (``"default"``, or ``"paper"`` for the
        published recipe; see :mod:`grngc.presets`) and/or any field of the config (``model``,
        ``lag``, ``same_time``, ``target``, ``lam``, ``epochs``, ``seed``, ``device``, ...), applied in
        that order.
    threads
        torch CPU threads for this call ("auto": 1, see :func:`cpu_threads`); restored afterwards.

    Returns
    -------
    :class:`GRNGCResult` with ``scores[i, j]`` for the edge ``i -> j``.
    """
    X = np.asarray(X, dtype=float)
    n, p = X.shape
    tc = TimeCourse(
        X,
        list(genes) if genes is not None else [f"g{i}" for i in range(p)],
        np.arange(n, dtype=float) if time is None else np.asarray(time, float),
        np.zeros(n, int) if series is None else np.asarray(series),
    )
    return infer_timecourse(tc, make_config(config, preset, **settings), threads=threads)


SCORE_MODEL = ("mean over windows and lags of |d xhat_target / d x_regulator| (for 'ridge': |coefficient|; for "
               "'genie3': the random forests' importance), "
               "divided by that model's mean over all off-diagonal pairs, then averaged over the seeds' models: "
               "relative units, 1 = an average pair")
SCORE_ENSEMBLE = ("mean over the ensemble members of 1 - rank / number of pairs (Borda; rank 1 = the member's "
                  "top pair; with combine 'shares', ranked after each member's scores are made per-target "
                  "shares), in [0, 1): 0.99 = in the top 1% on average; comparable across runs, not a gradient")


# A gene whose standard deviation is below this fraction of the median gene's is treated as constant:
# z-scoring it would blow float noise (std 1e-9) up to the scale of real signal.
NEAR_CONSTANT = 1e-8


def constant_genes(tc: TimeCourse) -> list[str]:
    """Genes whose standard deviation is 0 or at most ``NEAR_CONSTANT`` times the median gene's."""
    sd = tc.X.std(0)
    scale = np.median(sd[sd > 0]) if (sd > 0).any() else 0.0
    return [g for g, s in zip(tc.genes, sd) if not s > NEAR_CONSTANT * scale]


def drop_constant_genes(tc: TimeCourse) -> tuple[TimeCourse, list[str]]:
    """Genes with no variation carry no Granger signal (and break standardization): drop, with a warning.
    "No variation" is relative: a standard deviation of at most ``NEAR_CONSTANT`` times the median
    gene's (or exactly 0). The dropped genes are listed in the run record (``dropped_genes``)."""
    const = constant_genes(tc)
    if not const:
        return tc, []
    if len(const) > tc.n_genes - 2:
        raise InputError(f"{tc.source}: {len(const)} of {tc.n_genes} genes are constant; fewer than 2 genes vary")
    msg = (f"{tc.source}: dropping {len(const)} constant gene(s): {const[:10]}{' ...' if len(const) > 10 else ''} "
           f"(standard deviation 0, or below {NEAR_CONSTANT:g} x the median gene's)")
    warnings.warn(msg, stacklevel=3)
    log.warning(msg)
    return tc.subset_genes([g for g in tc.genes if g not in const]), const


def cpu_threads(threads: int | str | None) -> int:
    """The torch CPU threads a run uses: ``threads`` when given, else ("auto", None) 1.

    Measured (``benchmarks/threads.py``, 2 cores, the default preset, 2,100 to 1,000,000 genes x
    samples): with the other core busy, 2 threads were 2-4x SLOWER than 1 at every size (spinning
    threads wait on each other); on an idle machine they were at most 1.6x faster (1,000,000). One
    thread is never far from the best and never far off it; give more on a dedicated machine.
    """
    if threads in (None, "auto"):
        return 1
    n = int(threads)
    if n < 1:
        raise InputError(f"threads={threads!r}: use a positive number of CPU threads, or 'auto'")
    return n


@contextmanager
def torch_threads(threads: int | str | None):
    """Run the block with :func:`cpu_threads` torch threads, then restore the caller's setting."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(cpu_threads(threads))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def infer_timecourse(tc: TimeCourse, cfg: GRNGCConfig, checkpoint=None, resume: bool = False,
                     threads: int | str | None = "auto") -> GRNGCResult:
    """Run GRNGC on a :class:`TimeCourse`; constant genes score 0 and are listed in the record.

    Parameters
    ----------
    tc
        The time course (checked first by :func:`grngc.io.expression.validate`, as on every path).
    cfg
        The settings (:func:`make_config` / :func:`grngc.presets.resolve_config`).
    checkpoint
        A :class:`grngc.train.Checkpointer` that saves the training state as it goes.
    resume
        Continue from ``checkpoint`` when it was written for the same settings and input.
    threads
        torch CPU threads (:func:`cpu_threads`; "auto" = 1, measured best on a shared machine).

    Returns
    -------
    :class:`GRNGCResult`: ``scores[i, j]`` for the edge ``genes[i] -> genes[j]`` and the run record.
    """
    from .train import run_progress

    with torch_threads(threads), run_progress(cfg.progress):
        res = _infer_checked(tc, cfg, checkpoint, resume)
    res.record["cpu_threads"] = cpu_threads(threads)
    return res


def _infer_checked(tc: TimeCourse, cfg: GRNGCConfig, checkpoint=None, resume: bool = False) -> GRNGCResult:
    from .io.expression import data_kind, validate

    validate(tc)
    regulators = check_regulators(tc, cfg.regulators)
    kind = data_kind(tc.X)
    if kind == "counts":
        msg = (f"{tc.source}: the expression looks like raw counts (non-negative integers); GRNGC expects "
               "normalized, log-transformed values. Normalize first (grngc preprocess, or scanpy's "
               "normalize_total and log1p)")
        warnings.warn(msg, stacklevel=2)
        log.warning(msg)
    mode, why = data_mode(tc, cfg)
    log.info("%s: %s mode (%s)", tc.source, mode, why)
    if mode == "cells":
        res = _infer_cells(tc, cfg)
    elif cfg.members:
        res = _infer_members(tc, cfg, checkpoint, resume)
    else:
        res = _infer_one(tc, cfg, checkpoint, resume)
    res.record["mode"] = {"mode": mode, "why": why}
    res.record["input"]["data_kind"] = kind
    if regulators is not None:
        res.record["regulators"] = regulators
    return res


def data_mode(tc: TimeCourse, cfg: GRNGCConfig) -> tuple[str, str]:
    """``("cells" | "bulk" | "model", why)``: the single-cell mode (:mod:`grngc.cells`) where the default
    ensemble would run on single cells (:func:`grngc.cells.choose_kind` on the data, or ``cfg.kind``);
    the bulk default for time courses; "model" when the settings name one model, which runs as asked."""
    from .cells import choose_kind
    from .presets import DEFAULT_MEMBERS

    kind, why = choose_kind(tc, cfg.kind)
    default_ensemble = [m.get("model") for m in cfg.members] == [m["model"] for m in DEFAULT_MEMBERS]
    if not default_ensemble:
        return "model", "the settings name the model" + (f" ({why})" if kind == "cells" else "")
    return kind, why


def _infer_cells(tc: TimeCourse, cfg: GRNGCConfig) -> GRNGCResult:
    """The single-cell mode (:mod:`grngc.cells`): its members' networks by rank mean, or its one member."""
    from .cells import CELL_MODE, cell_mode_scores, direction_weight, lead_lag, orient_by_time

    t0 = _time.perf_counter()
    used, dropped = drop_constant_genes(tc)
    used = used.canonical()
    regs = None if cfg.regulators is None else [g for g in map(str, cfg.regulators) if g in set(used.genes)]
    members = cell_mode_scores(used, regs)
    idx = [tc.genes.index(g) for g in used.genes]

    def full(M):
        out = np.zeros((tc.n_genes, tc.n_genes))
        out[np.ix_(idx, idx)] = M
        np.fill_diagonal(out, 0.0)
        return out

    constant = np.isin(tc.genes, dropped)
    nets = [full(S) for S, _ in members.values()]
    scores = nets[0] if len(nets) == 1 else rank_mean(nets, constant)
    scores = only_regulators(scores, tc.genes, cfg.regulators)
    weight, direction = direction_weight(used.n_genes)
    log.info("single-cell mode: %s", direction)
    if weight > 0:  # which of two co-expressed genes moves first in pseudotime (grngc.cells)
        D = full(lead_lag(used.X, used.time, used.series, CELL_MODE["bins"], CELL_MODE["max_shift"]))
        scores = orient_by_time(scores, D, weight, regulator_rows(tc.genes, cfg.regulators))
    signs = np.sign(full(members.get("coexpression", next(iter(members.values())))[1]))
    record = run_record(tc, cfg, dropped, t0, device="cpu (closed form)", runs=[],
                        edge_direction="scores[i, j] and each row regulator -> target",
                        score=SCORE_CELLS if len(nets) > 1 else SCORE_CELLS_ONE,
                        cell_mode={**CELL_MODE, "members": list(members), "direction": direction})
    signs[scores == 0] = 0.0  # no sign where there is no edge (non-regulator rows, constant genes)
    return GRNGCResult(scores, tc.genes, record, None, signs, None)  # one fit: no windows to agree


SCORE_CELLS = ("single-cell mode: mean over its members (DAG Granger, co-expression) of 1 - rank / number of pairs, "
               "times (1 + w tanh(10 D)) with D the lead-lag along pseudotime when the direction weight w > 0")
SCORE_CELLS_ONE = ("single-cell mode: |ridge coefficient| of the regulator for the target in the same cell "
                   "(z-scored genes, penalty c x genes), times (1 + w tanh(10 D)) with D the lead-lag along "
                   "pseudotime when the direction weight w > 0 (grngc.cells)")


def stitched(tc: TimeCourse) -> TimeCourse:
    """The series joined end to end into one (series in natural order: 2 before 10), as the authors'
    code does (``--preset paper``): the windows at each junction then cross from one series into the
    next, which a sound method avoids (``--preset paper-series`` keeps them apart)."""
    import re

    def natural(label: str):
        return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", label)]

    slices = sorted(tc.series_slices(), key=lambda item: natural(item[0]))
    rows = np.concatenate([np.arange(sl.start, sl.stop) for _, sl in slices])
    return TimeCourse(tc.X[rows], tc.genes, np.arange(len(rows), dtype=float), np.zeros(len(rows), int),
                      tc.source + " (series stitched)")


def check_regulators(tc: TimeCourse, regulators) -> dict | None:
    """Count the candidate regulators found in the data; stop when none is (the same check and message
    on every entry point). Names not in the data are counted and listed, never silently dropped."""
    if regulators is None:
        return None
    names = list(dict.fromkeys(map(str, regulators)))
    known = set(tc.genes)
    found = [g for g in names if g in known]
    missing = [g for g in names if g not in known]
    if not found:
        raise InputError(f"{tc.source}: none of the {len(names)} regulators (e.g. {names[:3]}) is a gene of the data "
                         f"(genes e.g. {tc.genes[:3]}); check the gene naming (symbols vs ids, case) of the list")
    if missing:
        log.warning("%s: %d of %d regulators are not genes of the data and are ignored, e.g. %s", tc.source,
                    len(missing), len(names), missing[:5])
    return {"given": len(names), "in_data": len(found), "not_in_data": len(missing), "examples_not_in_data": missing[:10],
            "note": "only regulator -> target pairs are penalized and scored; every gene is an input", "names": found}


def _infer_one(tc: TimeCourse, cfg: GRNGCConfig, checkpoint=None, resume: bool = False) -> GRNGCResult:
    """One model (``cfg.members`` empty) on a validated :class:`TimeCourse`."""
    import hashlib
    import json

    t0 = _time.perf_counter()
    used, dropped = drop_constant_genes(tc)
    used = used.canonical()  # the input's gene order must not change the result
    if cfg.stitch_series:
        used = stitched(used)
    if checkpoint is not None:
        settings = {k: v for k, v in dataclasses.asdict(cfg).items() if k != "progress"}
        checkpoint.key = hashlib.sha256((json.dumps(settings, sort_keys=True, default=str)
                                         + used.content_hash()).encode()).hexdigest()
    if cfg.model == "ridge":  # closed form, nothing to train (grngc.methods.ridge)
        from .methods.ridge import granger_ridge

        if cfg.lag != 1 or cfg.same_time:
            raise ValueError(f"model 'ridge' is the lag-1 ridge VAR: set lag=1 and same_time=False (got lag "
                             f"{cfg.lag}, same_time {cfg.same_time})")
        coef = granger_ridge(used, target=cfg.target, signed=True)
        S = np.abs(coef)
        mean_scores, runs = S / relative_scale(S), []  # as fit() scales
        used_signs = (np.sign(coef), (coef != 0).astype(float))
    elif cfg.model == "genie3":  # random forests on the same time point, nothing to train by gradient
        mean_scores, runs, used_signs = genie3_member(used, cfg), [], None
    else:
        mean_scores, runs = fit(used, cfg, checkpoint, resume)
        used_signs = run_signs(runs)
    scores = np.zeros((tc.n_genes, tc.n_genes))
    idx = [tc.genes.index(g) for g in used.genes]
    scores[np.ix_(idx, idx)] = mean_scores
    np.fill_diagonal(scores, 0.0)  # self-loops are not scored
    scores = only_regulators(scores, tc.genes, cfg.regulators)  # only listed genes regulate
    lags, profile = edge_lags(runs, cfg, scores, tc.genes, idx)
    signs = agreement = None
    if used_signs is not None:
        signs, agreement = np.zeros((tc.n_genes, tc.n_genes)), np.zeros((tc.n_genes, tc.n_genes))
        signs[np.ix_(idx, idx)], agreement[np.ix_(idx, idx)] = used_signs
    record = run_record(
        tc, cfg, dropped, t0, device=str(cfg.resolved_device()),
        runs=[{"seed": model_seed(cfg.seed, k), "best_epoch": r.best_epoch, "epochs_run": len(r.history["val_mse"]),
               "seconds": round(r.seconds, 3), "history": r.history} for k, r in enumerate(runs)],
        edge_direction="scores[i, j] and each row regulator -> target: the past of the regulator "
                       "improves the prediction of the target",
        score=SCORE_MODEL)
    if profile is not None:
        record["lag_profile_top_edges"] = profile
    return GRNGCResult(scores, tc.genes, record, lags, signs, agreement)


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


def run_signs(runs) -> tuple[np.ndarray, np.ndarray] | None:
    """The sign of each edge (+1 activation, -1 repression): the sign of the mean signed gradient over the
    runs (each scaled as in :func:`grngc.train.fit`), and the fraction of windows that agree with it."""
    if not runs or any(r.signed is None for r in runs):
        return None
    signed = np.mean([r.signed / relative_scale(r.scores) for r in runs], axis=0)
    positive = np.mean([r.positive for r in runs], axis=0)
    sign = np.sign(signed)
    return sign, np.where(sign > 0, positive, 1.0 - positive)


def combine_signs(results: list[GRNGCResult]) -> tuple[np.ndarray, np.ndarray] | tuple[None, None]:
    """Ensemble signs: the members that have signs vote (:func:`grngc.ensemble.vote_signs`); a forest's
    importances have none."""
    signed = [r for r in results if r.signs is not None]
    if not signed:
        return None, None
    from .ensemble import vote_signs

    return vote_signs([r.signs for r in signed], [r.sign_agreement for r in signed])


# GENIE3 as an ensemble member: as benchmarks/protocol runs it (the settings of registration R1).
GENIE3_MEMBER_TREES = 300


def genie3_member(tc: TimeCourse, cfg: GRNGCConfig) -> np.ndarray:
    """GENIE3's importances (:func:`grngc.methods.genie3.genie3`, ``GENIE3_MEMBER_TREES`` trees, seed
    ``cfg.seed``, torch's CPU threads as workers), scaled as :func:`grngc.train.fit` scales a model's scores."""
    import torch

    from .methods.genie3 import genie3

    S = genie3(tc.X, n_trees=GENIE3_MEMBER_TREES, seed=cfg.seed, n_jobs=torch.get_num_threads())
    return S / relative_scale(S)  # the diagonal: relative_scale skips it, _infer_one zeroes it


def edge_lags(runs, cfg: GRNGCConfig, scores: np.ndarray, genes: list[str], idx: list[int], top: int = 20):
    """Per edge, the lag whose inputs carry the largest mean |gradient| (the runs' per-slot scores, each
    run scaled as in :func:`grngc.train.fit`), and the lag profile (shares per lag) of the ``top`` edges.
    ``(None, None)`` with one slot, or when the runs kept no per-slot scores (very large ``p``)."""
    from .granger import slot_lags

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
    if len(members) < len(cfg.members):
        log.info("%d genes: skipping %d ensemble member(s) above their max_genes", n_genes,
                 len(cfg.members) - len(members))
    return members


def rank_mean(scores: list[np.ndarray], constant: np.ndarray, combine: str = "rank") -> np.ndarray:
    """The members' networks averaged by rank (Borda, :func:`grngc.compare.consensus_scores`, in
    [0, 1)); with ``combine="shares"`` each network is first made per-target shares
    (:func:`grngc.compare.per_target_shares`: ``|S_ij| / sum_k |S_kj|``). Genes flagged ``constant``
    score 0, as in one model."""
    from .compare import consensus_scores, per_target_shares

    if combine == "shares":
        scores = [per_target_shares(S) for S in scores]
    out = consensus_scores(scores)
    out[constant, :] = out[:, constant] = 0.0
    return out


def _infer_members(tc: TimeCourse, cfg: GRNGCConfig, checkpoint=None, resume: bool = False) -> GRNGCResult:
    """A rank-averaged ensemble: each member is trained and scored on its own (:func:`member_configs`),
    then :func:`rank_mean`. Each member checkpoints to its own file beside ``checkpoint.path``."""
    t0 = _time.perf_counter()
    active = active_members(cfg, tc.n_genes)
    subs = [member_config(cfg, m) for m in active]
    base_path = checkpoint.path if checkpoint is not None else None

    def member_path(k):
        return base_path.with_name(f"{base_path.stem}.member{k}{base_path.suffix}")

    results = []
    for k, sub in enumerate(subs):
        log.info("ensemble member %d/%d: %s", k + 1, len(subs), active[k])
        if checkpoint is not None:
            checkpoint.path = member_path(k)
        results.append(_infer_one(tc, sub, checkpoint, resume))
    if checkpoint is not None:
        for k in range(len(subs)):
            member_path(k).unlink(missing_ok=True)
        checkpoint.path = base_path
    constant = np.isin(tc.genes, results[0].record["dropped_genes"])
    scores = rank_mean([r.scores for r in results], constant, cfg.combine)
    scores = only_regulators(scores, tc.genes, cfg.regulators)  # only listed genes regulate
    record = {**results[0].record, "config": dataclasses.asdict(cfg),
              "runs": [run for r in results for run in r.record["runs"]],
              "members": [{"settings": m, "config": r.record["config"], "dropped_genes": r.record["dropped_genes"]}
                          for m, r in zip(active, results)],
              "seconds_total": round(_time.perf_counter() - t0, 3), "score": SCORE_ENSEMBLE}
    signs, agreement = combine_signs(results)
    return GRNGCResult(scores, tc.genes, record, None, signs, agreement)


def infer_anndata(adata, time_key: str | None = None, series_key: str | None = None, layer: str | None = None,
                  key_added: str = "grngc", copy: bool = False, config: GRNGCConfig | None = None,
                  preset: str | None = None, threads: int | str | None = "auto", **settings):
    """Scanpy-style GRNGC on an AnnData (also :func:`grngc.tl.infer`).

    Parameters
    ----------
    adata
        Observations ordered by ``obs[time_key]`` within ``obs[series_key]``.
    time_key, series_key
        ``obs`` columns; unset: ``time`` and, when present, ``series``. A named key must exist.
    layer
        Use ``adata.layers[layer]`` instead of ``X``.
    key_added
        Stores ``adata.varp[key_added]`` (``(n_vars, n_vars)``, entry ``[i, j]`` scores the edge
        ``var_names[i] -> var_names[j]``), where known ``varp[key_added + "_sign"]`` (+1 / -1),
        ``varp[key_added + "_sign_agreement"]`` and ``varp[key_added + "_lag"]`` (read back as columns
        by :func:`grngc.get.edges`), and the run record, a plain nested dict (settings,
        per-model loss curves, versions; :func:`to_uns`), in ``adata.uns[key_added]``.
    copy
        Work on a copy and return it.
    config, preset, threads, **settings
        As in :func:`infer`.

    Returns
    -------
    The AnnData when ``copy`` is true, else ``None``.
    """
    from .io.expression import timecourse_from_anndata

    adata = adata.copy() if copy else adata
    tc = timecourse_from_anndata(adata, time_key, series_key, layer)
    res = infer_timecourse(tc, make_config(config, preset, **settings), threads=threads)
    adata.varp[key_added] = res.scores
    for suffix, values in (("_sign", res.signs), ("_sign_agreement", res.sign_agreement), ("_lag", res.lags)):
        if values is not None:
            adata.varp[key_added + suffix] = values
    adata.uns[key_added] = to_uns(res.record)
    return adata if copy else None


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
    from . import __version__

    return __version__
