r"""Single cells ordered by pseudotime: Granger over a DAG of cells, and same-time co-expression.

A cell's predecessor in pseudotime is another cell, so the lag-1 "past" of a chain of cells is one
noisy cell. Following Velorama (Singh et al. 2024) and GrID-Net, the past of a cell is instead its
neighbourhood of earlier cells:

* **The DAG of cells** (:func:`cell_dag`): a kNN graph of cells (on principal components of the
  z-scored genes), each edge oriented from the cell earlier in pseudotime to the later one. ``A`` is
  its row-normalized adjacency: ``A[c, a] = 1 / |anc(c)|`` for the ``anc(c)`` neighbours of cell ``c``
  earlier than ``c``. The lag-``l`` input of a cell is ``A^l X`` (:func:`dag_lags`), the average
  over its ``l``-step ancestors.
* **DAG Granger** (:func:`dag_granger_scores`): a ridge regression of every gene on the lagged inputs
  of all genes, ``W = (D^T D / n + lambda I)^{-1} D^T Z / n`` with ``D = [A Z, A^2 Z, ...]``
  (``Z`` the z-scored genes, cells without ancestors left out); the score of ``i -> j`` is
  ``sum_l |W_{(l, i), j}|``. Time orients this member: reversing pseudotime reverses it.
* **Co-expression** (:func:`coexpression_scores`): the ridge coefficient of regulator ``i`` when
  gene ``j`` is regressed on the other regulators in the same cell. With ``C`` the genes' correlation
  matrix and ``P = (C_RR + lambda I)^{-1}`` over the regulators ``R``,
  ``b_ij = -P_ij / P_jj`` for a regulator target and ``b_.j = P C_Rj`` for any other, in closed form
  at any size (GRNBoost2's signal, without its trees). A large ``lambda`` (relative to the unit
  diagonal of ``C``) keeps the coefficients near the correlations but partials out the leading
  components that every gene shares.
* **Direction from time** (:func:`lead_lag`, :func:`orient_by_time`): co-expression is symmetric in
  what it can tell; which of two co-expressed genes drives the other is read from pseudotime. The
  cells are cut into ``bins`` pseudotime bins of equal size and each gene's bin means ``m_g(b)`` are
  z-scored; with ``r_tau(i, j)`` the correlation of ``m_i(b)`` with ``m_j(b + tau)`` (``i`` earlier),

  .. math::
      D_{ij} = \frac{1}{T} \sum_{\tau=1}^{T} \left(|r_\tau(i, j)| - |r_\tau(j, i)|\right),

  positive when ``i``'s changes come before ``j``'s (a regulator's level moves first, its target
  follows with the target's response time). ``D`` is antisymmetric and reversing pseudotime flips
  it. The default reads time as the mean of this ``D`` and the Granger lead (:func:`granger_lead`,
  :func:`time_direction`; ``direction_estimator="both"``, registration 6). The network is
  ``U_{ij} (1 + w \tanh(10 D_{ij}))`` with ``U`` the pair's co-expression score
  (made symmetric where both genes are regulators) and ``w`` the weight of time (0: none). Time
  orients only data with at most ``direction_max_genes`` genes (:func:`direction_weight`); above, an
  edge's direction is only the asymmetry of the ridge coefficients (``b_ij`` against ``b_ji``).
* **Direction from RNA velocity** (:func:`velocity_lead`): where the data carry ``spliced`` and
  ``unspliced`` layers, ``D`` is instead read within cells, with no pseudotime: a target's unspliced RNA
  (its current production) follows its regulator's spliced level given the target's own spliced level.
  It orients data of any size, with weight ``velocity_weight`` (:func:`network_direction`).

``lambda``, the neighbours and the lags are set in :data:`CELL_MODE`, chosen leave-one-family-out by
``benchmarks/single_cell.py`` (rules in ``benchmarks/single_cell_rules.py``).
"""
from __future__ import annotations

import logging
import time as _time

import numpy as np

from .core.scaling import standardize
from .metrics import regulator_rows
from .timecourse import TimeCourse

log = logging.getLogger("grngc")

# The single-cell mode's settings (benchmarks/single_cell.py chooses them family-out, docs/single-cells.md).
# lambda_factor c: both ridges use lambda = c x genes (the trace of C), so c is free of the data's size.
# direction_max_genes: time orients the network only on data with at most this many genes (registration 3 chose
# 200; registration 4, on the simulator with one master per 20 genes, 50: orienting lowered AUROC at 100 genes).
# direction_estimator: how time is read: "both", the mean of the lead-lag and the Granger lead (registration 6, with a
# 30-gene family of our simulator without layers; registrations 2-5 used the lead-lag alone).
# velocity_weight: the weight of RNA velocity's direction where the data have spliced/unspliced layers, at any size
# (0: velocity unused, time as above). Registration 5 picked 0.9 in every fold (of 0, 0.3, 0.9); it was measured only
# on our simulator's layers (no real data with layers and a reference is available to us).
CELL_MODE = {"members": ("coexpression",), "lambda_factor": 0.03, "neighbors": 15, "n_pcs": 30, "lag": 1,
             "direction_weight": 0.9, "direction_max_genes": 50, "direction_estimator": "both", "bins": 20,
             "max_shift": 4, "granger_bins": 40, "granger_max_shift": 2, "velocity_weight": 0.9, "neural": {}}
# "neural": grngc.models.adjacency (one denoising model for all genes, the gradient as the score, L1 on its
# pair weights); the "neural" entry overrides grngc.models.adjacency.ADJACENCY (registration 7).
CELL_MEMBERS = ("coexpression", "dag_granger", "neural")

# The rule that sends an input to the single-cell mode (kind="auto"; measurable, no truth needed):
# few series, at least one of them long, and pseudotime-like times (tied, or irregularly spaced).
CELL_MAX_SERIES = 3
CELL_MIN_SAMPLES = 200
CELL_GAP_CV = 0.5  # coefficient of variation of the time gaps above which times are "irregular"


def data_shape(tc: TimeCourse) -> dict:
    """The measurable properties the mode rule reads: series, the longest series' samples, whether
    times tie within a series, and the coefficient of variation of the gaps between distinct times."""
    slices = tc.series_slices()
    longest = max(sl.stop - sl.start for _, sl in slices)
    cvs = []
    for _, sl in slices:
        gaps = np.diff(np.unique(tc.time[sl]))
        if len(gaps) > 1 and gaps.mean() > 0:
            cvs.append(float(gaps.std() / gaps.mean()))
    return {"n_series": len(slices), "longest_series": int(longest), "time_ties": tc.time_ties() is not None,
            "gap_cv": max(cvs) if cvs else 0.0}


def choose_kind(tc: TimeCourse, kind: str = "auto") -> tuple[str, str]:
    """``("cells" | "bulk", why)``. ``kind`` "cells" or "bulk" is taken as given; "auto" sends to the
    single-cell mode an input with at most :data:`CELL_MAX_SERIES` series, one of at least
    :data:`CELL_MIN_SAMPLES` samples, whose times tie or are irregularly spaced (gap CV above
    :data:`CELL_GAP_CV`): cells ordered by pseudotime. Evenly spaced long series stay bulk."""
    if kind in ("cells", "bulk"):
        return kind, f"kind={kind!r} given"
    if kind != "auto":
        from .timecourse import InputError

        raise InputError(f"kind {kind!r}: use 'auto', 'cells' (single cells ordered by pseudotime) or 'bulk' "
                         "(time courses)")
    s = data_shape(tc)
    few_long = s["n_series"] <= CELL_MAX_SERIES and s["longest_series"] >= CELL_MIN_SAMPLES
    pseudotime_like = s["time_ties"] or s["gap_cv"] > CELL_GAP_CV
    why = (f"{s['n_series']} series, longest {s['longest_series']} samples, time ties {s['time_ties']}, "
           f"time-gap CV {s['gap_cv']:.2f}")
    if few_long and pseudotime_like:
        return "cells", why + f": single cells (<= {CELL_MAX_SERIES} series, >= {CELL_MIN_SAMPLES} samples, tied or " \
                              f"irregular times)"
    return "bulk", why + ": time courses"


def nearest_cells(Z: np.ndarray, neighbors: int = 15, n_pcs: int = 30) -> np.ndarray:
    """``(n, k + 1)`` indices of each cell's nearest cells, itself first (``k = min(neighbors, n - 1)``;
    Euclidean, on the first ``n_pcs`` principal components of the z-scored ``Z``)."""
    from sklearn.neighbors import NearestNeighbors

    n = Z.shape[0]
    k_pcs = max(1, min(n_pcs, n - 1, Z.shape[1]))
    U, s, _ = np.linalg.svd(Z, full_matrices=False)  # Z is centred: its SVD gives the PCs
    pcs = U[:, :k_pcs] * s[:k_pcs]
    _, idx = NearestNeighbors(n_neighbors=min(neighbors, n - 1) + 1).fit(pcs).kneighbors(pcs)
    return idx


def knn_smoothed(Z: np.ndarray, neighbors: int, n_pcs: int = 30) -> np.ndarray:
    """Each cell of the z-scored ``Z`` replaced by the mean of itself and its nearest cells
    (:func:`nearest_cells`), then z-scored again: dropout noise averaged out, as kNN-smoothing methods
    (MAGIC, scVelo's moments) do. The neural member reads it with ``neural={"knn": k}``."""
    return standardize(Z[nearest_cells(Z, neighbors, n_pcs)].mean(1))[0]


def cell_dag(X: np.ndarray, time: np.ndarray, series=None, neighbors: int = 15, n_pcs: int = 30):
    """Row-normalized ancestor matrix ``A`` (``scipy.sparse``, cells x cells) of the kNN graph of cells
    oriented by ``time``: ``A[c, a] > 0`` when ``a`` is among the ``neighbors`` nearest cells of ``c``
    (Euclidean, on the first ``n_pcs`` principal components of the z-scored genes), is earlier than
    ``c`` and in the same ``series``. Rows sum to 1, or 0 for a cell with no earlier neighbour."""
    from scipy import sparse

    n = X.shape[0]
    idx = nearest_cells(standardize(np.asarray(X, float))[0], neighbors, n_pcs)
    rows = np.repeat(np.arange(n), idx.shape[1])
    cols = idx.ravel()
    keep = (time[cols] < time[rows]) & (rows != cols)
    if series is not None:
        series = np.asarray(series)
        keep &= series[cols] == series[rows]
    A = sparse.csr_matrix((np.ones(int(keep.sum())), (rows[keep], cols[keep])), shape=(n, n))
    deg = np.asarray(A.sum(1)).ravel()
    return sparse.diags(np.where(deg > 0, 1.0 / np.maximum(deg, 1), 0.0)) @ A


def dag_lags(A, X: np.ndarray, lag: int) -> list[np.ndarray]:
    """``[A X, A^2 X, ..., A^lag X]``: each cell's average over its 1- to ``lag``-step ancestors."""
    out, cur = [], np.asarray(X, float)
    for _ in range(lag):
        cur = A @ cur
        out.append(cur)
    return out


def dag_granger_scores(Z: np.ndarray, A, lag: int = 1, lam: float = 10.0) -> tuple[np.ndarray, np.ndarray]:
    """``(S, W)``: ``S[i, j] = sum_l |W_{(l, i), j}|`` of the ridge regression of every z-scored gene
    on the DAG-lagged genes (module docstring), and the signed lag-summed coefficients ``W``.
    Cells with no ancestor (the root) are left out; the penalty ``lam`` is in correlation units."""
    p = Z.shape[1]
    lagged = dag_lags(A, Z, lag)
    has_past = np.asarray(A.sum(1)).ravel() > 0
    if has_past.sum() < 3:
        from .timecourse import InputError

        raise InputError("the single-cell mode found fewer than 3 cells with an earlier neighbour: the pseudotime "
                         "orders too few cells (give a time key with distinct values)")
    D = standardize(np.hstack(lagged)[has_past])[0]
    Y = standardize(Z[has_past])[0]
    m = len(D)
    W = np.linalg.solve(D.T @ D / m + lam * np.eye(D.shape[1]), D.T @ Y / m).reshape(lag, p, p)
    S = np.abs(W).sum(0)
    np.fill_diagonal(S, 0.0)
    return S, W.sum(0)


def coexpression_scores(Z: np.ndarray, regulators: np.ndarray | None = None, lam: float = 30.0) -> np.ndarray:
    """Signed ``(p, p)`` ridge coefficients ``b_ij`` of regulator ``i`` for target ``j`` in the same cell
    (module docstring); rows of non-regulators and the diagonal are 0. ``regulators``: bool mask."""
    n, p = Z.shape
    R = np.ones(p, bool) if regulators is None else np.asarray(regulators, bool)
    r = np.flatnonzero(R)
    return coexpression_from_correlation(Z[:, r].T @ Z / n, R, lam)  # (|R|, p) correlations (Z z-scored)


def coexpression_from_correlation(C_R: np.ndarray, regulators: np.ndarray, lam: float = 30.0,
                                  device: str = "cpu") -> np.ndarray:
    """:func:`coexpression_scores` from ``C_R``, the ``(|R|, p)`` correlations of the regulators (bool mask
    ``regulators``) with every gene (:func:`grngc.core.moments.correlation_rows`): the one ``|R| x |R|``
    inverse and product in torch on ``device``. Cost ``|R|^3 + |R|^2 p``: a regulator list shrinks it."""
    import torch

    R = np.asarray(regulators, bool)
    r, others = np.flatnonzero(R), np.flatnonzero(~R)
    p = len(R)
    C = torch.as_tensor(C_R, dtype=torch.float64, device=device)
    P = torch.linalg.inv(C[:, torch.as_tensor(r, device=device)] + lam * torch.eye(len(r), dtype=C.dtype, device=device))
    B = np.zeros((p, p))
    if len(others):  # targets outside R: regress on all of R
        B[np.ix_(r, others)] = (P @ C[:, torch.as_tensor(others, device=device)]).cpu().numpy()
    del C
    P = P.cpu().numpy()
    P /= -np.diag(P).copy()[None, :]  # targets in R: on R without themselves (block inverse), -P_ij / P_jj
    if len(others):
        B[np.ix_(r, r)] = P
    else:  # every gene a regulator: B is P itself (no second p x p copy at atlas size)
        B = P
    np.fill_diagonal(B, 0.0)
    return B


def cell_mode_scores(tc: TimeCourse, regulators=None, settings: dict | None = None, device: str = "cpu",
                     seed: int = 0) -> dict:
    """The single-cell mode's member networks on ``tc`` (every gene z-scored; constant genes are the
    caller's business): ``{member: (S, signed)}`` for the members of ``settings`` (:data:`CELL_MODE`
    by default), ``S`` the score matrix (``S[i, j]``: ``i -> j``) and ``signed`` its signed coefficients.
    ``tc.X`` may be sparse (an atlas): the co-expression member reads it in blocks of cells
    (:mod:`grngc.core.moments`), never as one dense matrix; ``device`` runs those closed forms (``auto``:
    a GPU when present; the neural member trains there, from ``seed``)."""
    from .core.moments import column_moments, correlation_rows, device_for, peak_memory_gb

    s = {**CELL_MODE, **(settings or {})}
    unknown = set(s["members"]) - set(CELL_MEMBERS)
    if unknown:
        raise ValueError(f"unknown single-cell member(s) {sorted(unknown)}; choose from {CELL_MEMBERS}")
    lam = s["lambda_factor"] * tc.n_genes
    device = device_for(device)
    R = regulator_rows(tc.genes, regulators)  # bool mask, None: every gene
    out = {}
    for member in s["members"]:
        if member == "coexpression":
            R = np.ones(tc.n_genes, bool) if R is None else R
            t0 = _time.perf_counter()
            moments = column_moments(tc.X)
            C_R = correlation_rows(tc.X, np.flatnonzero(R), device=device, moments=moments)
            log.info("single-cell mode: correlations of %d regulator(s) x %d genes over %d cells in %.1f s on %s "
                     "(peak memory so far %.2f GB)", int(R.sum()), tc.n_genes, tc.n_samples,
                     _time.perf_counter() - t0, device, peak_memory_gb())
            B = coexpression_from_correlation(C_R, R, lam, device)
            del C_R
            log.info("single-cell mode: ridge coefficients in %.1f s (peak memory so far %.2f GB)",
                     _time.perf_counter() - t0, peak_memory_gb())
            out[member] = (np.abs(B), B)
        elif member == "neural":
            from .models.adjacency import fit_adjacency

            neural = dict(s["neural"])
            Z = standardize(tc.densified().X)[0]  # mini-batches of cells are drawn from one dense copy
            if neural.get("knn"):
                Z = knn_smoothed(Z, int(neural.pop("knn")), s["n_pcs"])
            rows = None if R is None else np.flatnonzero(R)
            out[member] = fit_adjacency(Z, rows, neural, seed, device)
            log.info("single-cell member neural: peak memory so far %.2f GB", peak_memory_gb())
        else:
            X = tc.densified().X  # the DAG member reads every cell at once
            A = cell_dag(X, tc.time, tc.series, s["neighbors"], s["n_pcs"])
            out[member] = dag_granger_scores(standardize(X)[0], A, s["lag"], lam)
    return out


def direction_weight(n_genes: int, settings: dict | None = None) -> tuple[float, str]:
    """``(w, why)``: the weight of time in the network of data with ``n_genes`` genes, 0 above
    ``direction_max_genes`` (:data:`CELL_MODE`)."""
    s = {**CELL_MODE, **(settings or {})}
    if n_genes > s["direction_max_genes"]:
        return 0.0, (f"direction from time off: {n_genes} genes > {s['direction_max_genes']} (direction_max_genes); "
                     "edge directions are the ridge coefficients' asymmetry only")
    return float(s["direction_weight"]), (f"direction from time ({s['direction_estimator']}), weight {s['direction_weight']} "
                                          f"({n_genes} genes <= {s['direction_max_genes']})")


def _series_bin_means(X: np.ndarray, time: np.ndarray, series, bins: int, max_shift: int, min_points: int = 3):
    """Yield ``(cells, means)`` per series long enough for ``max_shift``: the series cut into ``bins`` bins
    of equal cell counts along ``time`` (at least 5 cells each: fewer bins for a short series; a series
    with fewer than ``max_shift + min_points`` bins is skipped) and each gene's mean per bin."""
    X = np.asarray(X, float)
    time = np.asarray(time, float)
    series = np.zeros(len(X), int) if series is None else np.asarray(series)
    for s in np.unique(series):
        rows = np.flatnonzero(series == s)
        n_bins = min(bins, len(rows) // 5)
        if n_bins < max_shift + min_points:
            continue
        ordered = X[rows[np.argsort(time[rows], kind="stable")]]
        cuts = np.linspace(0, len(rows), n_bins + 1).round().astype(int)
        yield len(rows), np.array([ordered[a:b].mean(0) for a, b in zip(cuts[:-1], cuts[1:])])


def _pooled_over_series(X, time, series, bins, max_shift, per_shift, min_points: int = 3) -> np.ndarray:
    """``sum_tau (G_tau - G_tau^T) / max_shift`` with ``G_tau = per_shift(earlier, later)`` on the z-scored
    bin means, averaged over series by their cells; all zeros when no series is long enough."""
    p = np.asarray(X).shape[1]
    total, weight = np.zeros((p, p)), 0
    for cells, means in _series_bin_means(X, time, series, bins, max_shift, min_points):
        D = np.zeros((p, p))
        for tau in range(1, max_shift + 1):
            G = per_shift(standardize(means[:-tau])[0], standardize(means[tau:])[0])
            D += G - G.T
        total += cells * D / max_shift
        weight += cells
    return total / weight if weight else total


def lead_lag(X: np.ndarray, time: np.ndarray, series=None, bins: int = 20, max_shift: int = 4) -> np.ndarray:
    """Antisymmetric ``(p, p)`` lead-lag ``D`` of the genes along pseudotime (module docstring):
    ``D[i, j] > 0`` when ``i``'s bin means move before ``j``'s. Each series is cut into ``bins`` bins of
    equal cell counts (at least 5 cells each: fewer bins for a short series; a series with fewer than
    ``max_shift + 3`` bins is skipped); series are averaged by their cells. All zeros when no series is
    long enough."""
    def lagged_correlation(earlier, later):
        return np.abs(earlier.T @ later) / len(earlier)  # [i, j] = |corr(i earlier, j later)|

    return _pooled_over_series(X, time, series, bins, max_shift, lagged_correlation)


def partial_lead(earlier: np.ndarray, later: np.ndarray) -> np.ndarray:
    """``(p, p)``: ``|corr(earlier_i, later_j | earlier_j)|`` over the rows of two z-scored matrices (the
    partial correlation of :func:`granger_lead`), 0 on the diagonal: how much gene ``i``'s earlier value
    tells about gene ``j``'s later one beyond ``j``'s own earlier value."""
    n = len(earlier)
    r = earlier.T @ later / n  # r[i, j] = corr(i earlier, j later)
    c = earlier.T @ earlier / n
    a = np.diag(r)  # a[j] = corr(j earlier, j later)
    den = np.sqrt(np.clip((1.0 - a[None, :] ** 2) * (1.0 - c ** 2), 1e-9, None))
    g = np.clip(np.abs((r - c * a[None, :]) / den), 0.0, 1.0)  # rounding can pass 1
    np.fill_diagonal(g, 0.0)
    return g


def granger_lead(X: np.ndarray, time: np.ndarray, series=None, bins: int = 40, max_shift: int = 2) -> np.ndarray:
    r"""Antisymmetric ``(p, p)`` Granger lead of the genes along pseudotime: how much ``i``'s earlier bin
    mean tells about ``j``'s later one beyond ``j``'s own earlier mean, minus the same the other way.
    With ``m_g(b)`` the bin means (as :func:`lead_lag` cuts them), ``a_j = corr(m_j(b + tau), m_j(b))``,
    ``c_ij = corr(m_i(b), m_j(b))`` and ``r_ij = corr(m_i(b), m_j(b + tau))``, the partial correlation

    .. math::
        g_\tau(i, j) = \frac{r_{ij} - a_j c_{ij}}{\sqrt{(1 - a_j^2)(1 - c_{ij}^2)}},\qquad
        D_{ij} = \frac{1}{T} \sum_{\tau=1}^{T} \left(|g_\tau(i, j)| - |g_\tau(j, i)|\right).

    Why beyond ``j``'s own past: in ``dx_j/dt = P_j(x_i) - \gamma_j x_j`` the target's change follows the
    regulator's level, while two smooth trends correlate at every shift in both directions, which is
    what the plain lead-lag reads. A series needs ``max_shift + 8`` bins of 5 cells (50 cells at 2 shifts): a partial
    correlation on fewer points is noise that ``tanh`` would saturate."""
    return _pooled_over_series(X, time, series, bins, max_shift, partial_lead, min_points=8)


DIRECTION_ESTIMATORS = ("lead_lag", "granger", "both")


def time_direction(X: np.ndarray, time: np.ndarray, series=None, settings: dict | None = None) -> np.ndarray:
    """The antisymmetric direction from time that :func:`orient_by_time` reads, by the estimator
    ``settings["direction_estimator"]`` (:data:`CELL_MODE`): "lead_lag" (:func:`lead_lag`), "granger"
    (:func:`granger_lead`) or "both" (their mean)."""
    s = {**CELL_MODE, **(settings or {})}
    est = s["direction_estimator"]
    if est not in DIRECTION_ESTIMATORS:
        raise ValueError(f"direction estimator {est!r}: choose from {DIRECTION_ESTIMATORS}")
    parts = []
    if est in ("lead_lag", "both"):
        parts.append(lead_lag(X, time, series, s["bins"], s["max_shift"]))
    if est in ("granger", "both"):
        parts.append(granger_lead(X, time, series, s["granger_bins"], s["granger_max_shift"]))
    return sum(parts) / len(parts)


def velocity_lead(spliced: np.ndarray, unspliced: np.ndarray) -> np.ndarray:
    r"""Antisymmetric ``(p, p)`` direction from RNA velocity, no pseudotime needed:

    .. math::
        V_{ij} = |\mathrm{pcorr}(s_i, u_j \mid s_j)| - |\mathrm{pcorr}(s_j, u_i \mid s_i)|

    over cells, with ``s`` and ``u`` the (normalized, log) spliced and unspliced levels (:func:`partial_lead`
    on the z-scored layers). Why: a gene's unspliced RNA is its current production, which follows its
    regulators' (spliced, translated) level in the same cell (``du_j/dt = P_j(s_i) - \beta_j u_j``); given
    ``j``'s own spliced level (the slow state it shares with everything co-expressed with it), ``s_i``
    tells about ``u_j`` when ``i`` regulates ``j``, and ``s_j`` tells little about ``u_i``."""
    P = partial_lead(standardize(np.asarray(spliced, float))[0], standardize(np.asarray(unspliced, float))[0])
    return P - P.T


def network_direction(tc: TimeCourse, settings: dict | None = None) -> tuple[np.ndarray | None, float, str]:
    """``(D, w, why)``: the antisymmetric direction that :func:`orient_by_time` reads and its weight ``w``
    (``D`` None when ``w`` is 0). RNA velocity (:func:`velocity_lead`) where ``tc`` has spliced/unspliced
    layers and ``velocity_weight`` > 0, at any size; else time (:func:`time_direction`) up to
    ``direction_max_genes`` genes (:func:`direction_weight`)."""
    s = {**CELL_MODE, **(settings or {})}
    if tc.velocity is not None and s["velocity_weight"] > 0:
        return (velocity_lead(*tc.velocity), float(s["velocity_weight"]),
                f"direction from RNA velocity (spliced/unspliced layers), weight {s['velocity_weight']}")
    weight, why = direction_weight(tc.n_genes, s)
    if tc.velocity is not None:
        why += "; spliced/unspliced layers not used (velocity_weight 0)"
    if weight == 0:
        return None, weight, why
    X = tc.X.toarray() if tc.is_sparse else tc.X  # time orients at most direction_max_genes genes: small
    return time_direction(X, tc.time, tc.series, s), weight, why


def orient_by_time(S: np.ndarray, D: np.ndarray, weight: float, regulators: np.ndarray | None = None) -> np.ndarray:
    """``U_ij (1 + weight tanh(10 D_ij))`` (module docstring): the pair's score ``U`` (the mean of
    ``S_ij`` and ``S_ji`` where both genes are regulators, else ``S_ij``) shared between the two
    directions by which gene moves first in pseudotime. ``weight`` in [0, 1): 0 returns ``S``."""
    if not 0.0 <= weight < 1.0:
        raise ValueError(f"direction weight {weight}: use a value in [0, 1)")
    if weight == 0.0:
        return S
    p = S.shape[0]
    R = np.ones(p, bool) if regulators is None else np.asarray(regulators, bool)
    both = R[:, None] & R[None, :]
    U = np.where(both, (S + S.T) / 2.0, S)
    out = U * (1.0 + weight * np.tanh(10.0 * D))
    out[~R] = 0.0
    np.fill_diagonal(out, 0.0)
    return out
