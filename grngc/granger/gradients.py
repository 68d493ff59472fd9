"""Windows over time courses, gradient Granger scores and the gradient penalty.

Notation: ``x_i(t)`` is gene ``i`` at step ``t`` of one series; a window holds ``x(t-lag .. t-1)``
and the model predicts the next step. The Granger score of the edge ``i -> j`` is

.. math::
    S_{ij} = \\frac{1}{N\\,L} \\sum_{t} \\sum_{l=1}^{L}
        \\left| \\frac{\\partial \\hat x_j(t)}{\\partial x_i(t-l)} \\right|

(``N`` windows, ``L`` lags): how strongly the past of regulator ``i`` moves the prediction of target
``j``. The training loss adds ``lambda`` times the mean of the same absolute gradients over all
off-diagonal pairs and lags (an L1 penalty, scaled so that ``lambda`` does not depend on ``p``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from ..timecourse import InputError, TimeCourse


@dataclass
class Windows:
    """Index arrays into the rows of a standardized expression matrix.

    ``inputs[n]`` are the ``lag`` row indices of window ``n`` (oldest first), ``targets[n]`` the row
    it predicts; ``is_val[n]`` marks windows in the held-out tail of their series.
    """

    inputs: np.ndarray  # (N, lag) int
    targets: np.ndarray  # (N,) int
    is_val: np.ndarray  # (N,) bool


def make_windows(tc: TimeCourse, lag: int, val_fraction: float = 0.2, same_time: bool = False) -> Windows:
    """Windows of ``lag`` consecutive samples within each series; none crosses a series boundary.

    With ``same_time`` each window also holds the target's own step as its last slot (``lag + 1``
    rows): the model sees the other genes' present values (regulation faster than sampling) and
    must mask each target's own (see :func:`grngc.models.base.input_mask`). ``lag = 0`` with
    ``same_time`` keeps that slot only: each target is regressed on the other genes at the same time
    point (what GENIE3 and TIGRESS do), with the gradient as the score.

    The last ``val_fraction`` of each series' windows (at least one, when the series has two or
    more windows) is held out for early stopping: forecasting the tail of a series from its past.
    """
    if lag < (0 if same_time else 1):
        raise InputError(f"lag must be >= 1, or >= 0 with same-time inputs (got {lag})")
    ins, tgs, val = [], [], []
    for name, sl in tc.series_slices():
        n = sl.stop - sl.start
        if n < lag + 2:
            raise InputError(
                f"{tc.source}: series {name!r} has {n} time point(s); with lag {lag} each series needs at "
                f"least lag + 2 = {lag + 2}. Remove that series, merge it, or lower --lag"
            )
        t = np.arange(sl.start + lag, sl.stop)
        ins.append(t[:, None] - np.arange(lag, -1 if same_time else 0, -1)[None, :])
        tgs.append(t)
        n_val = int(round(val_fraction * len(t))) if val_fraction > 0 else 0
        n_val = min(max(n_val, 1 if val_fraction > 0 else 0), len(t) - 1)
        v = np.zeros(len(t), bool)
        if n_val:
            v[-n_val:] = True
        val.append(v)
    return Windows(np.concatenate(ins), np.concatenate(tgs), np.concatenate(val))


def offdiag_mask(p: int, lag: int, rows: torch.Tensor | None = None, device=None) -> torch.Tensor:
    """``(m, lag, p)`` mask that is 0 where the input gene is the output gene itself."""
    rows = torch.arange(p, device=device) if rows is None else rows
    eye = rows.view(-1, 1) == torch.arange(p, device=device).view(1, -1)
    return (~eye).unsqueeze(1).expand(-1, lag, -1).to(torch.get_default_dtype())


def effective_lambda(cfg, n_genes: int, n_train_windows: int) -> float:
    """The penalty weight actually used, so that one ``lam`` serves datasets of any size.

    The penalty is the MEAN of ``|J|`` over ``p * (p - 1) * lag`` entries, i.e. ``1 / (p * lag)``
    times the per-target L1 norm of the gradient (summed over regulators and lags, averaged over
    targets). For a lasso on each target with ``d = p * lag`` standardized inputs and ``n``
    windows, the usual weight on that L1 norm is ``sigma * sqrt(log(d) / n)`` (Bickel, Ritov &
    Tsybakov 2009), with ``sigma = 1`` for standardized targets. Hence
    ``lambda_eff = lam * p * lag * sqrt(log(p * lag) / n)`` ("lasso"); "samples" uses the Bayesian
    ``lam * p * lag / n`` instead, "sum" puts ``lam`` on the sum of the penalized entries (the
    authors' form, ``lam * p * (p - 1) * lag``) and "none" takes ``lam`` as it is.
    """
    lag = max(cfg.lag, 1)  # lag 0 (same-time inputs only) has one slot of inputs
    d, n = n_genes * lag, max(n_train_windows, 1)
    if cfg.lam_scaling == "none":
        return cfg.lam
    if cfg.lam_scaling == "sum":  # lam on the SUM of the mean |J| entries (the authors' penalty)
        return cfg.lam * n_genes * (n_genes if cfg.penalize_self else n_genes - 1) * lag
    if cfg.lam_scaling == "lasso":
        return cfg.lam * d * math.sqrt(math.log(max(d, 2)) / n)
    if cfg.lam_scaling == "samples":
        return cfg.lam * d / n
    raise ValueError(f"lam_scaling must be 'lasso', 'samples', 'sum' or 'none', not {cfg.lam_scaling!r}")


def gradient_penalty(model, x: torch.Tensor, rows: torch.Tensor | None = None,
                     regulators: torch.Tensor | None = None, include_self: bool = False) -> torch.Tensor:
    """Mean of ``|d yhat_j / d x_i(t-l)|`` over windows, lags and off-diagonal pairs (differentiable).

    With ``rows`` (a uniform random subset of output genes, drawn without replacement) the mean
    over those rows is an unbiased estimate of the mean over all rows, at a cost that grows with the
    number of rows sampled, not with ``p``. Sampling the windows in ``x`` is unbiased likewise. With
    ``regulators`` (a ``(p,)`` 0/1 mask of input genes) only regulator -> target gradients are
    penalized: the other genes inform the forecast freely but are never scored. ``include_self``
    covers the diagonal too (``--preset paper``: the authors' code penalizes every entry).
    """
    J = model.input_jacobian(x, rows, create_graph=True).abs()
    if include_self:  # the authors' penalty: every entry, each gene's effect on itself included
        mask = torch.ones(J.shape[1:], dtype=J.dtype, device=x.device)
    else:
        mask = offdiag_mask(model.n_genes, model.lag, rows, device=x.device).to(J.dtype)
    if regulators is not None:
        mask = mask * regulators.to(J.dtype).view(1, 1, -1)
    return (J * mask).sum() / (mask.sum() * x.shape[0])




def regulator_mask(genes: list[str], regulators, device=None) -> torch.Tensor | None:
    """``(p,)`` 0/1 mask of the genes that may regulate (None: every gene may)."""
    if regulators is None:
        return None
    from ..evaluate.metrics import regulator_rows

    return torch.as_tensor(regulator_rows(genes, regulators), dtype=torch.float32, device=device)


@dataclass
class GradientDetail:
    """What one pass over the windows gives besides the scores: ``slots[i, k, j]`` the mean |gradient|
    of ``i -> j`` at window slot ``k`` (:func:`slot_lags`), ``signed[i, j]`` the mean signed gradient
    (summed over slots) and ``positive[i, j]`` the fraction of windows where that sum is > 0."""

    slots: np.ndarray
    signed: np.ndarray
    positive: np.ndarray


# Most Jacobian entries (windows x targets x slots x genes) held at once while scoring: 2^24 float64
# entries are 128 MiB, whatever the number of genes and windows.
SCORE_CHUNK_ELEMENTS = 2 ** 24


def granger_scores(model, x: torch.Tensor, batch_size: int = 256, rows_per_pass: int | None = None,
                   detail: bool = False, max_elements: int = SCORE_CHUNK_ELEMENTS):
    """``S[i, j]`` = mean over windows and lags of ``|d yhat_j / d x_i(t-l)|`` (edge ``i -> j``).

    Computed in chunks of windows and target rows, each Jacobian chunk at most ``max_elements``
    entries, so that memory stays bounded; only the ``(p, lag, p)`` sums are kept. With ``detail``
    also a :class:`GradientDetail` (per-slot scores, signs), from the same pass.
    """
    p = model.n_genes
    if model.constant_jacobian:  # every window has the same Jacobian: its mean over windows is any one's
        x = x[:1]
    elements_per_window = (p if rows_per_pass is None else rows_per_pass) * model.lag * p
    batch_size = max(1, min(batch_size, max_elements // elements_per_window))
    total = torch.zeros(p, model.lag, p, dtype=torch.float64, device=x.device)
    signed = torch.zeros(p, p, dtype=torch.float64, device=x.device)
    positive = torch.zeros(p, p, dtype=torch.float64, device=x.device)
    row_blocks = [None] if rows_per_pass is None else list(torch.arange(p, device=x.device).split(rows_per_pass))
    for start in range(0, x.shape[0], batch_size):
        xb = x[start:start + batch_size]
        for rows in row_blocks:
            J = model.input_jacobian(xb, rows, create_graph=False).double()  # (B, m, slots, p_in)
            sel = slice(None) if rows is None else rows
            total[sel] += J.abs().sum(0)
            if detail:
                per_window = J.sum(2)  # (B, m, p_in): the gradient summed over the window's slots
                signed[sel] += per_window.sum(0)
                positive[sel] += (per_window > 0).sum(0).double()
    n = x.shape[0]
    S = (total.mean(1).T / n).cpu().numpy()  # (p_in, p_out)
    if not detail:
        return S
    return S, GradientDetail((total.permute(2, 1, 0) / n).cpu().numpy(), (signed.T / n).cpu().numpy(),
                             (positive.T / n).cpu().numpy())


def slot_lags(lag: int, same_time: bool) -> np.ndarray:
    """The lag of each window slot: slots run from ``lag`` steps back to 1 step back (then 0, the
    same time point, with same-time inputs)."""
    return np.arange(lag, -1 if same_time else 0, -1)
