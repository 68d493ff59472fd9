r"""Which of two co-expressed genes drives the other: read from pseudotime or from RNA velocity.

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

"""
from __future__ import annotations

import numpy as np

from ..core.scaling import standardize
from ..timecourse import TimeCourse
from .settings import CELL_MODE


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


def velocity_lead(spliced, unspliced, regulators: np.ndarray | None = None, device: str = "cpu",
                  rows_only: bool = False) -> np.ndarray:
    r"""Antisymmetric ``(p, p)`` direction from RNA velocity, no pseudotime needed:

    .. math::
        V_{ij} = |\mathrm{pcorr}(s_i, u_j \mid s_j)| - |\mathrm{pcorr}(s_j, u_i \mid s_i)|

    over cells, with ``s`` and ``u`` the (normalized, log) spliced and unspliced levels (:func:`partial_lead`
    on the z-scored layers). Why: a gene's unspliced RNA is its current production, which follows its
    regulators' (spliced, translated) level in the same cell (``du_j/dt = P_j(s_i) - \beta_j u_j``); given
    ``j``'s own spliced level (the slow state it shares with everything co-expressed with it), ``s_i``
    tells about ``u_j`` when ``i`` regulates ``j``, and ``s_j`` tells little about ``u_i``.

    Sparse layers (an atlas) are read in blocks of cells (:func:`velocity_lead_in_blocks`), never dense;
    there a ``regulators`` mask (bool) limits the work to their rows (the rows of other genes are 0: the
    network has none); with ``rows_only`` it returns those rows alone, ``(|R|, p)`` (:func:`orient_by_time` reads
    either form; at 20,000 genes the zero rows would be 3.2 GB). Dense layers give the whole matrix, whatever
    ``regulators`` says."""
    import scipy.sparse as sp

    if sp.issparse(spliced) or sp.issparse(unspliced):
        return velocity_lead_in_blocks(spliced, unspliced, regulators, device, rows_only=rows_only)
    P = partial_lead(standardize(np.asarray(spliced, float))[0], standardize(np.asarray(unspliced, float))[0])
    return P - P.T


def _partial_from_correlations(r: np.ndarray, c: np.ndarray, a) -> np.ndarray:
    """:func:`partial_lead`'s ``|r - c a| / sqrt((1 - a^2)(1 - c^2))`` from its correlations, in place on ``r``."""
    den = np.clip((1.0 - a ** 2) * (1.0 - c ** 2), 1e-9, None)
    np.sqrt(den, out=den)
    r -= c * a
    np.abs(r, out=r)
    r /= den
    return np.clip(r, 0.0, 1.0, out=r)  # rounding can pass 1


def velocity_lead_in_blocks(spliced, unspliced, regulators: np.ndarray | None = None, device: str = "cpu",
                            rows_per_block: int = 2048, chunk: int | None = None,
                            rows_only: bool = False) -> np.ndarray:
    """:func:`velocity_lead` from layers read in blocks of cells (:mod:`grngc.core.moments`, torch on ``device``;
    dense or sparse input): the correlations ``r = corr(s_R, u)``, ``q = corr(u_R, s)`` (``r``'s transpose
    when every gene is a regulator: not computed) and ``c = corr(s_R, s)`` cost ``|R| p n`` each, and the
    partial correlations are formed ``rows_per_block`` rows at a time in place. Rows outside ``R`` are 0, or,
    with ``rows_only``, left out: ``(|R|, p)``, the regulators' rows in gene order.
    ``chunk``: cells per block (:data:`grngc.core.moments.CHUNK_CELLS` when None)."""
    from ..core.moments import CHUNK_CELLS, column_moments, correlation_rows, paired_correlations

    n, p = spliced.shape
    R = np.ones(p, bool) if regulators is None else np.asarray(regulators, bool)
    r_idx = np.flatnonzero(R)
    chunk = chunk or CHUNK_CELLS
    ms, mu = column_moments(spliced, chunk), column_moments(unspliced, chunk)
    a = paired_correlations(spliced, unspliced, chunk, moments=ms, moments_y=mu)  # a_j = corr(s_j, u_j)
    P = correlation_rows(spliced, r_idx, chunk, device, moments=ms, Y=unspliced, moments_y=mu)  # r[R, :]
    c = correlation_rows(spliced, r_idx, chunk, device, moments=ms)  # c[R, :]
    Q = None if len(r_idx) == p else correlation_rows(unspliced, r_idx, chunk, device, moments=mu, Y=spliced,
                                                      moments_y=ms)  # q[i, j] = corr(u_i, s_j) = r[j, i]
    for k0 in range(0, len(r_idx), rows_per_block):
        rows = slice(k0, k0 + rows_per_block)
        _partial_from_correlations(P[rows], c[rows], a[None, :])  # P[i, j] = |pcorr(s_i, u_j | s_j)|
        if Q is not None:  # Q[i, j] = |pcorr(s_j, u_i | s_i)|, i.e. P[j, i]
            _partial_from_correlations(Q[rows], c[rows], a[r_idx[rows], None])
    del c
    P[np.arange(len(r_idx)), r_idx] = 0.0
    if Q is not None:
        Q[np.arange(len(r_idx)), r_idx] = 0.0
        P -= Q
        del Q
        if rows_only:
            return P
        V = np.zeros((p, p))
        V[r_idx] = P
        return V
    for i0 in range(0, p, rows_per_block):  # V = P - P^T in place, a pair of tiles at a time
        I = slice(i0, i0 + rows_per_block)
        for j0 in range(i0, p, rows_per_block):
            J = slice(j0, j0 + rows_per_block)
            upper = P[I, J] - P[J, I].T
            P[I, J] = upper
            P[J, I] = -upper.T
    return P


def network_direction(tc: TimeCourse, settings: dict | None = None, regulators: np.ndarray | None = None,
                      device: str = "cpu") -> tuple[np.ndarray | None, float, str]:
    """``(D, w, why)``: the antisymmetric direction that :func:`orient_by_time` reads and its weight ``w``
    (``D`` None when ``w`` is 0). RNA velocity (:func:`velocity_lead`) where ``tc`` has spliced/unspliced
    layers and ``velocity_weight`` > 0, at any size (sparse layers in blocks of cells, on ``device``, only the
    ``regulators``' rows, and only those rows are returned: ``(|R|, p)``; dense layers whole); else time
    (:func:`time_direction`) up to ``direction_max_genes`` genes (:func:`direction_weight`)."""
    s = {**CELL_MODE, **(settings or {})}
    if tc.velocity is not None and s["velocity_weight"] > 0:
        return (velocity_lead(*tc.velocity, regulators=regulators, device=device, rows_only=True),
                float(s["velocity_weight"]),
                f"direction from RNA velocity (spliced/unspliced layers), weight {s['velocity_weight']}")
    weight, why = direction_weight(tc.n_genes, s)
    if tc.velocity is not None:
        why += "; spliced/unspliced layers not used (velocity_weight 0)"
    if weight == 0:
        return None, weight, why
    X = tc.X.toarray() if tc.is_sparse else tc.X  # time orients at most direction_max_genes genes: small
    return time_direction(X, tc.time, tc.series, s), weight, why


def orient_by_time(S: np.ndarray, D: np.ndarray, weight: float, regulators: np.ndarray | None = None,
                   in_place: bool = False, block: int = 2048) -> np.ndarray:
    """``U_ij (1 + weight tanh(10 D_ij))`` (module docstring): the pair's score ``U`` (the mean of
    ``S_ij`` and ``S_ji`` where both genes are regulators, else ``S_ij``) shared between the two
    directions by which gene moves first in pseudotime. ``weight`` in [0, 1): 0 returns ``S``. Rows of
    non-regulators are 0 (only the regulators' rows of ``D`` are read: ``D`` is ``(p, p)`` or those rows
    alone, ``(|R|, p)`` in gene order, as :func:`velocity_lead` gives them with ``rows_only``). Formed
    ``block`` genes at a time, on a copy of ``S`` or, with ``in_place``, on ``S`` itself (an atlas: no
    genes x genes temporaries)."""
    if not 0.0 <= weight < 1.0:
        raise ValueError(f"direction weight {weight}: use a value in [0, 1)")
    if weight == 0.0:
        return S
    p = S.shape[0]
    R = np.ones(p, bool) if regulators is None else np.asarray(regulators, bool)
    r = np.flatnonzero(R)
    if D.shape != (p, p) and D.shape != (len(r), p):
        raise ValueError(f"direction of shape {D.shape}: give ({p}, {p}) or the {len(r)} regulators' rows "
                         f"({len(r)}, {p})")
    rows_only = D.shape[0] != p  # D's k-th row is regulator r[k]'s
    out = S if in_place else S.copy()
    for i0 in range(0, len(r), block):  # both genes regulators: the pair's mean, a pair of tiles at a time
        I = r[i0:i0 + block]
        for j0 in range(i0, len(r), block):
            J = r[j0:j0 + block]
            U = (out[np.ix_(I, J)] + out[np.ix_(J, I)].T) / 2.0
            out[np.ix_(I, J)] = U
            out[np.ix_(J, I)] = U.T
    for i0 in range(0, len(r), block):
        I = r[i0:i0 + block]
        D_I = D[i0:i0 + block] if rows_only else D[I]
        out[I] *= 1.0 + weight * np.tanh(10.0 * D_I)
    out[~R] = 0.0
    np.fill_diagonal(out, 0.0)
    return out
