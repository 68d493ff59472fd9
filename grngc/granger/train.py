"""Training one gradient-regularized forecaster, and an ensemble of them over seeds.

Loss per mini-batch (``D`` the standardized target, ``m`` the model):

.. math::
    \\mathcal L = \\frac{1}{Bp} \\sum_{b,j} (m(x_b)_j - D_{bj})^2
        + \\lambda \\cdot \\mathrm{mean}_{b,\\,l,\\,i \\ne j} \\left|\\frac{\\partial m(x_b)_j}{\\partial x_{b,l,i}}\\right|

Adam; early stopping keeps the parameters of the epoch with the lowest forecasting MSE on the
held-out tail of each series (never the training loss).
"""
from __future__ import annotations

import copy
import dataclasses
import logging
import time
from dataclasses import dataclass, field

import numpy as np
import torch

from ..config import GRNGCConfig  # noqa: F401  (GRNGCConfig re-exported: grngc.granger.train.GRNGCConfig)
from ..errors import OutOfMemory, TrainingInterrupted
from ..core.combine import seed_mean
from ..core.runtime import Checkpointer, memory_report, model_progress
from ..core.scaling import gaussianize, standardize
from .gradients import effective_lambda, gradient_penalty, granger_scores, make_windows, regulator_mask
from ..models import build_model
from ..timecourse import TimeCourse

log = logging.getLogger("grngc")


@dataclass
class FitResult:
    scores: np.ndarray  # (p, p), edge i -> j
    history: dict = field(default_factory=dict)
    best_epoch: int = 0
    seconds: float = 0.0
    # forecasting error of each held-out window (mean over genes) at the chosen epoch: the sweep's error bar
    val_window_mse: np.ndarray | None = None
    # (p_in, slots, p_out) mean |gradient| per window slot (granger.slot_lags gives each slot's lag)
    slot_scores: np.ndarray | None = None
    # (p_in, p_out) mean signed gradient, and the fraction of windows where it is > 0 (the edge's sign)
    signed: np.ndarray | None = None
    positive: np.ndarray | None = None


def _prepare(tc: TimeCourse, cfg: GRNGCConfig, device):
    if cfg.scaling == "zscore":
        Xs, _, _ = standardize(tc.X)
    elif cfg.scaling == "gaussianize":
        Xs, _, _ = standardize(gaussianize(tc.X))
    else:
        raise ValueError(f"scaling must be 'zscore' or 'gaussianize', not {cfg.scaling!r}")
    win = make_windows(tc, cfg.lag, cfg.val_fraction, same_time=cfg.same_time)
    X = torch.as_tensor(Xs, dtype=torch.float32, device=device)
    if cfg.target == "delta":
        if cfg.lag < 1:
            raise ValueError("target 'delta' needs lag >= 1 (x(t-1) is not an input at lag 0); use target 'level'")
        D = Xs[win.targets] - Xs[win.targets - 1]
    elif cfg.target == "level":
        D = Xs[win.targets]
    else:
        raise ValueError(f"target must be 'delta' or 'level', not {cfg.target!r}")
    train = ~win.is_val if win.is_val.any() and (~win.is_val).any() else np.ones_like(win.is_val)
    mu, sd = D[train].mean(0), D[train].std(0)
    D = (D - mu) / np.where(sd > 0, sd, 1.0)
    return X, torch.as_tensor(D, dtype=torch.float32, device=device), win, train


def fit_one(tc: TimeCourse, cfg: GRNGCConfig, seed: int, checkpoint: Checkpointer | None = None,
            resume: dict | None = None, done: list | None = None) -> FitResult:
    """Train one model with ``seed`` and return its Granger score matrix and loss history.

    With ``checkpoint``, the state is saved every ``checkpoint.every`` epochs (``done``: the finished
    models of the ensemble, saved with it); ``resume`` is a saved state to continue from.
    """
    device = cfg.resolved_device()
    t0 = time.perf_counter()
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    X, D, win, train_mask = _prepare(tc, cfg, device)
    inputs = torch.as_tensor(win.inputs, device=device)
    train_idx = np.flatnonzero(train_mask)
    val_idx = np.flatnonzero(win.is_val & ~train_mask)
    p = tc.n_genes
    model = build_model(cfg.model, p, cfg.lag + int(cfg.same_time), cfg.hidden, cfg.same_time,
                        grid_size=cfg.kan_grid_size).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    lam = effective_lambda(cfg, p, len(train_idx))
    rows_per_step = cfg.penalty_rows
    if rows_per_step == "auto":
        rows_per_step = 64 if p > 256 else None
    history = {"lambda_effective": lam, "train_mse": [], "train_penalty": [], "val_mse": [], "epoch_seconds": []}
    best = (np.inf, 0, copy.deepcopy(model.state_dict()))
    first_epoch = 0
    if resume is not None:
        model.load_state_dict(resume["model"])
        opt.load_state_dict(resume["optimizer"])
        best = tuple(resume["best"])
        history = resume["history"]
        rng.bit_generator.state = resume["numpy_rng"]
        torch.set_rng_state(resume["torch_rng"])
        first_epoch = resume["epoch"] + 1
        log.info("resuming seed %d at epoch %d", seed, first_epoch)
    bar = model_progress(cfg.epochs, cfg.progress)
    if bar is not None and first_epoch:
        bar.update(first_epoch)
    regulators = regulator_mask(tc.genes, cfg.regulators, device)
    for epoch in range(first_epoch, cfg.epochs):
        te = time.perf_counter()
        if hasattr(model, "update_grids") and epoch < 10 * cfg.kan_grid_updates and epoch % 10 == 0:
            model.update_grids(X[inputs[torch.as_tensor(train_idx, device=device)]])
            opt.state.clear()  # Adam's moments belong to the old spline coefficients
        order = rng.permutation(train_idx)
        mse_mean, pen_mean = _train_epoch(model, opt, X, D, inputs, order, cfg, lam, rows_per_step, rng, regulators)
        history["train_mse"].append(mse_mean)
        history["train_penalty"].append(pen_mean)
        val = _eval_mse(model, X, inputs, D, val_idx) if len(val_idx) else history["train_mse"][-1]
        history["val_mse"].append(val)
        history["epoch_seconds"].append(time.perf_counter() - te)
        if val < best[0] or not cfg.early_stopping:  # without early stopping: the last epoch
            best = (val, epoch, copy.deepcopy(model.state_dict()))
        if bar is not None:
            bar.update(1)
            bar.set_postfix(train=f"{history['train_mse'][-1]:.3f}", val=f"{val:.3f}", best=best[1])
        if cfg.early_stopping and epoch + 1 >= cfg.min_epochs and epoch - best[1] >= cfg.patience:
            break
        if checkpoint is not None and ((epoch + 1) % checkpoint.every == 0 or checkpoint.stop_requested):
            checkpoint.save({"done": done or [], "current": {
                "seed": seed, "epoch": epoch, "model": model.state_dict(), "optimizer": opt.state_dict(),
                "best": best, "history": history, "numpy_rng": rng.bit_generator.state,
                "torch_rng": torch.get_rng_state()}})
            if checkpoint.stop_requested:
                if bar is not None:
                    bar.close()
                raise TrainingInterrupted(f"stopped after epoch {epoch + 1} (seed {seed}); checkpoint written "
                                          f"to {checkpoint.path}")
    if bar is not None:
        bar.close()
    model.load_state_dict(best[2])
    model.eval()
    val_window_mse = _window_mse(model, X, inputs, D, val_idx) if len(val_idx) else None
    scores, detail = granger_scores(model, X[inputs], batch_size=cfg.batch_size or 256,
                                    rows_per_pass=None if p <= 256 else 64, detail=True)
    # per-slot scores (each edge's lag) and signs are kept while they stay small (p^2 x slots <= 20 million)
    small = detail.slots.size <= 20_000_000
    return FitResult(scores, history, best[1], time.perf_counter() - t0, val_window_mse,
                     detail.slots if small and detail.slots.shape[1] > 1 else None,
                     detail.signed if small else None, detail.positive if small else None)


def _train_epoch(model, opt, X, D, inputs, order, cfg: GRNGCConfig, lam: float, rows_per_step, rng,
                 regulators=None):
    """One pass over the training windows in ``order``: forecasting MSE + lam * gradient penalty.

    The penalty uses the first ``cfg.penalty_windows`` windows of each (shuffled) batch and, when
    ``rows_per_step`` is set, that many random output genes: both unbiased estimates of the full
    penalty. Returns the epoch's mean MSE and mean penalty.
    """
    model.train()
    p = model.n_genes
    mse_sum = pen_sum = 0.0
    batch = cfg.batch_size or len(order)  # None: full batch
    for start in range(0, len(order), batch):
        b = torch.as_tensor(order[start:start + batch], device=X.device)
        xb = X[inputs[b]]
        mse = torch.mean((model(drop_regulators(xb, cfg.input_dropout)) - D[b]) ** 2)
        loss = mse
        if lam > 0:
            xp = xb if cfg.penalty_windows is None else xb[: cfg.penalty_windows]
            rows = None
            if rows_per_step is not None and rows_per_step < p:
                rows = torch.as_tensor(rng.choice(p, rows_per_step, replace=False), device=X.device)
            pen = gradient_penalty(model, xp, rows, regulators, cfg.penalize_self)
            loss = mse + lam * pen
            pen_sum += float(pen.detach()) * len(b)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        mse_sum += float(mse.detach()) * len(b)
    return mse_sum / len(order), pen_sum / len(order)


def drop_regulators(x: torch.Tensor, q: float) -> torch.Tensor:
    """``x`` (windows, slots, genes) with each window's regulators hidden (set to 0, their mean after
    scaling) with probability ``q``, all slots of a regulator together, the kept ones scaled by
    ``1 / (1 - q)`` so that the expected input is unchanged. The penalty and the scores use the
    unmasked inputs: the masking only changes what the forecast may rely on, as a random forest's
    feature subsampling does."""
    if q <= 0:
        return x
    keep = torch.rand(x.shape[0], 1, x.shape[2], device=x.device) >= q
    return x * keep / (1.0 - q)


@torch.no_grad()
def _eval_mse(model, X, inputs, D, idx) -> float:
    model.eval()
    i = torch.as_tensor(idx, device=X.device)
    return float(torch.mean((model(X[inputs[i]]) - D[i]) ** 2))


@torch.no_grad()
def _window_mse(model, X, inputs, D, idx) -> np.ndarray:
    """Forecasting error of each window in ``idx``, averaged over genes."""
    model.eval()
    i = torch.as_tensor(idx, device=X.device)
    return torch.mean((model(X[inputs[i]]) - D[i]) ** 2, dim=1).cpu().numpy()


# Model k of a run with seed s trains with seed s * SEED_STRIDE + k: runs with different seeds (the
# pipeline's `seeds: [0, 1, 2]`, one job each) share no model, so their agreement is not inflated.
SEED_STRIDE = 10_000


def model_seed(seed: int, k: int) -> int:
    """The seed of model ``k`` (0-based) of a run with ``seed``; disjoint across runs for k < SEED_STRIDE."""
    if not 0 <= k < SEED_STRIDE:
        raise ValueError(f"at most {SEED_STRIDE} models per run (got model {k})")
    return seed * SEED_STRIDE + k


def fit(tc: TimeCourse, cfg: GRNGCConfig, checkpoint: Checkpointer | None = None,
        resume: bool = False) -> tuple[np.ndarray, list[FitResult]]:
    """Train an ensemble of models (seeds :func:`model_seed`: ``seed * 10,000 + k``) and average their scores.

    Each model's scores are divided by their off-diagonal mean before averaging, so that no seed
    dominates by scale alone. With ``checkpoint`` the training state is saved as it goes; with
    ``resume`` a matching checkpoint is continued. On CUDA out of memory see :func:`fit_one_guarded`.
    """
    n_seeds = resolved_n_seeds(cfg, tc)
    runs: list[FitResult] = []
    current = None
    if checkpoint is not None and resume:
        state = checkpoint.load()
        if state is not None:
            runs = [FitResult(**r) for r in state["done"]]
            current = state["current"]
            log.info("resuming from %s: %d of %d models done", checkpoint.path, len(runs), n_seeds)
    if checkpoint is not None:
        checkpoint.training = True  # a signal now waits for the end of an epoch or a model
    try:
        for s in range(len(runs), n_seeds):
            seed = model_seed(cfg.seed, s)
            resume_state = current if current is not None and current["seed"] == seed else None
            runs.append(fit_one_guarded(tc, cfg, seed, checkpoint, resume_state,
                                        [dataclasses.asdict(r) for r in runs]))
            current = None
            r = runs[-1]
            log.info("model %d/%d (seed %d): best epoch %d of %d, held-out MSE %.4f, %.1f s", s + 1, n_seeds,
                     seed, r.best_epoch, len(r.history["val_mse"]), r.history["val_mse"][r.best_epoch], r.seconds)
            _warn_if_nothing_learned(r, seed, tc)
            if checkpoint is not None:
                checkpoint.save({"done": [dataclasses.asdict(r) for r in runs], "current": None})
                if checkpoint.stop_requested and s + 1 < n_seeds:  # the signal came while this model was scored
                    raise TrainingInterrupted(f"stopped after model {s + 1} of {n_seeds}; checkpoint written to "
                                              f"{checkpoint.path}")
    finally:
        if checkpoint is not None:
            checkpoint.training = False
    return seed_mean([r.scores for r in runs]), runs


def _warn_if_nothing_learned(r: FitResult, seed: int, tc: TimeCourse) -> None:
    """Say so when the held-out error never improved on the first epoch: the scores then carry no
    information (typically far fewer samples than genes, where the size-scaled penalty flattens the model)."""
    val = r.history["val_mse"]
    if r.best_epoch == 0 or val[r.best_epoch] > 0.99 * val[0]:
        log.warning("seed %d: the held-out forecasting error did not improve after the first epoch (%.4f -> %.4f); "
                    "the scores are not informative. With %d samples for %d genes, give more samples, select fewer "
                    "genes, or lower --lam", seed, val[0], val[r.best_epoch], tc.n_samples, tc.n_genes)


def fit_one_guarded(tc: TimeCourse, cfg: GRNGCConfig, seed: int, checkpoint=None, resume=None, done=None):
    """:func:`fit_one`, turning device out-of-memory into advice, or (``cfg.on_oom == "reduce"``)
    retrying with the unbiased sampled penalty (64 output genes per step), then halved batches."""
    attempt = cfg
    while True:
        try:
            return fit_one(tc, attempt, seed, checkpoint, resume, done)
        except torch.OutOfMemoryError as err:
            if torch.cuda.is_available():
                torch.cuda.empty_cache()
            smaller = _smaller_config(attempt, tc.n_genes)
            where = memory_report(attempt)
            if attempt.on_oom != "reduce" or smaller is None:
                raise OutOfMemory(
                    f"out of memory training on {tc.n_samples} samples x {tc.n_genes} genes ({where}): "
                    f"{str(err).splitlines()[0]}. Use --penalty-rows 64 (an unbiased sampled penalty whose cost "
                    f"does not grow with the genes), a smaller --batch-size (now {attempt.batch_size}), fewer "
                    "genes, or --on-oom reduce to do this automatically") from None
            log.warning("out of memory (%s) with penalty_rows=%s, batch_size=%d; retrying seed %d with "
                        "penalty_rows=%s, batch_size=%d", where, attempt.penalty_rows, attempt.batch_size, seed,
                        smaller.penalty_rows, smaller.batch_size)
            attempt, resume = smaller, None


def _smaller_config(cfg: GRNGCConfig, p: int) -> GRNGCConfig | None:
    rows = cfg.penalty_rows if cfg.penalty_rows != "auto" else (64 if p > 256 else None)
    if rows is None and p > 64:
        return dataclasses.replace(cfg, penalty_rows=64)
    if cfg.batch_size > 16:
        return dataclasses.replace(cfg, penalty_rows=rows, batch_size=cfg.batch_size // 2)
    return None


def resolved_n_seeds(cfg: GRNGCConfig, tc: TimeCourse) -> int:
    """Ensemble size. "auto" averages 5 seeds where one model is cheap (``p * n_samples <= 50,000``):
    there the variance between seeds is largest (few windows) and the extra cost smallest."""
    if cfg.n_seeds == "auto":
        return 5 if tc.n_genes * tc.n_samples <= 50_000 else 1
    return int(cfg.n_seeds)


