r"""Same-time co-expression: ridge coefficients of the regulators, in closed form at any size.

* **Co-expression** (:func:`coexpression_scores`): the ridge coefficient of regulator ``i`` when
  gene ``j`` is regressed on the other regulators in the same cell. With ``C`` the genes' correlation
  matrix and ``P = (C_RR + lambda I)^{-1}`` over the regulators ``R``,
  ``b_ij = -P_ij / P_jj`` for a regulator target and ``b_.j = P C_Rj`` for any other, in closed form
  at any size (GRNBoost2's signal, without its trees). A large ``lambda`` (relative to the unit
  diagonal of ``C``) keeps the coefficients near the correlations but partials out the leading
  components that every gene shares.
* **Weights** of a pair by its genes: how often both are detected (:func:`detection_weighted`) and how
  far each spreads across cells (:func:`spread_weighted`).
"""
from __future__ import annotations

import numpy as np


def coexpression_scores(Z: np.ndarray, regulators: np.ndarray | None = None, lam: float = 30.0) -> np.ndarray:
    """Signed ``(p, p)`` ridge coefficients ``b_ij`` of regulator ``i`` for target ``j`` in the same cell
    (module docstring); rows of non-regulators and the diagonal are 0. ``regulators``: bool mask."""
    n, p = Z.shape
    R = np.ones(p, bool) if regulators is None else np.asarray(regulators, bool)
    r = np.flatnonzero(R)
    return coexpression_from_correlation(Z[:, r].T @ Z / n, R, lam)  # (|R|, p) correlations (Z z-scored)


def coexpression_from_correlation(C_R: np.ndarray, regulators: np.ndarray, lam: float = 30.0,
                                  device: str = "cpu", overwrite: bool = False) -> np.ndarray:
    """:func:`coexpression_scores` from ``C_R``, the ``(|R|, p)`` correlations of the regulators (bool mask
    ``regulators``) with every gene (:func:`grngc.core.moments.correlation_rows`): the one ``|R| x |R|``
    inverse and product in torch on ``device``. Cost ``|R|^3 + |R|^2 p``: a regulator list shrinks it.
    ``overwrite`` (the caller no longer needs ``C_R``): with every gene a regulator on the CPU, ``C_R`` becomes
    the coefficients in place (:func:`_every_gene_in_place`: one genes x genes matrix, not three, at atlas size)."""
    import torch

    R = np.asarray(regulators, bool)
    r, others = np.flatnonzero(R), np.flatnonzero(~R)
    p = len(R)
    if overwrite and not len(others) and str(device) == "cpu" and C_R.dtype == np.float64 and C_R.flags.c_contiguous:
        return _every_gene_in_place(C_R, lam)
    C = torch.as_tensor(C_R, dtype=torch.float64, device=device)
    M = C[:, torch.as_tensor(r, device=device)]  # C_RR (a copy); + lambda on its diagonal in place, no eye
    M.diagonal().add_(lam)
    P = torch.linalg.inv(M)
    del M
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


def _every_gene_in_place(C: np.ndarray, lam: float) -> np.ndarray:
    """The coefficients ``b_ij = -P_ij / P_jj``, ``P = (C + lambda I)^{-1}``, written over ``C`` (every gene a
    regulator): the Cholesky factor of ``C + lambda I`` (symmetric positive definite) and its inverse, each
    written into ``C``'s memory by torch (``out=``). Peak: ``C`` and one working copy of torch's LAPACK call,
    against four genes x genes matrices for an inverse of a copy. (SciPy's in-place potrf/potri would need no
    copy, but its 32-bit LAPACK crashed, a segmentation fault, above about 16,000 genes.)"""
    import torch

    p = C.shape[0]
    if not np.isfinite(C).all():  # a factorization does not see NaN as a failure; stop before C is touched
        raise RuntimeError(f"co-expression ridge: the {p} x {p} correlations hold NaN or inf (a constant gene in "
                           "the input?); not positive definite")
    T = torch.from_numpy(C)  # C's memory
    T.diagonal().add_(lam)
    _, info = torch.linalg.cholesky_ex(T, out=(T, torch.empty((), dtype=torch.int32)))
    if int(info) != 0:
        raise RuntimeError(f"co-expression ridge: the {p} x {p} correlations + {lam:g} I are not positive definite "
                           f"(Cholesky failed at column {int(info)})")
    torch.cholesky_inverse(T, out=T)  # P, whole (not a triangle)
    C /= -np.diag(C).copy()[None, :]
    np.fill_diagonal(C, 0.0)
    return C


def detection_weighted(S: np.ndarray, detection: np.ndarray, power: float) -> np.ndarray:
    r"""``S`` weighted by how often both genes are detected, in place:
    ``S_ij (d_i d_j)^beta`` with ``d`` the genes' detection rates (:func:`grngc.core.moments.detection_rates`)
    and ``beta = power``. A gene that most cells miss (dropout) has correlations made mostly of zeros, less
    reliable than those of a gene seen in every cell; the weight ranks its pairs lower. Data without
    dropouts (``d = 1``) are unchanged."""
    w = np.asarray(detection, float) ** power
    S *= w[:, None]
    S *= w[None, :]
    return S


FADE_BLOCK_PAIRS = 1 << 22  # spread_weighted's fade weighs blocks of ~4M pairs: temporaries of 32 MB


FADE_EXACT_PAIRS = 1 << 25  # up to this many scored pairs the fade's quantiles are exact (every registered dataset)
FADE_GRID = 1 << 20  # above (an every-gene atlas), read off this many evenly spaced sorted values: within 1e-6


def quantiles_in(sorted_values: np.ndarray, block: np.ndarray) -> np.ndarray:
    """The fraction of ``sorted_values`` at most each entry of ``block`` (shape of ``block``): its quantile among
    them, or, when ``sorted_values`` are ``G`` evenly spaced quantiles of the scored values (an every-gene
    atlas), that quantile to within ``1 / G`` (below it). Above :data:`FADE_GRID` sorted values the block's values
    are looked up in their own sorted order: binary searches of a GB array in random order miss the cache at
    every step (every gene at 10,000 genes: 357 s, against 52 s in sorted order)."""
    n = max(sorted_values.size, 1)
    if sorted_values.size <= FADE_GRID:  # a few MB stay in cache: no need to sort the lookups (the same counts)
        return np.searchsorted(sorted_values, block, side="right") / n
    flat = block.ravel()
    order = np.argsort(flat)
    q = np.empty(flat.size)
    q[order] = np.searchsorted(sorted_values, flat[order], side="right") / n
    return q.reshape(block.shape)


def spread_weighted(S: np.ndarray, std: np.ndarray, regulator_power: float, target_power: float,
                    target_floor: float = 0.0, fade: float = 0.0) -> np.ndarray:
    r"""``S`` weighted by the genes' spreads across cells, in place:
    ``S_ij w_ij`` with ``w_ij = sd_i^a / max(sd_j, f)^b``, ``sd`` the genes' standard deviations (of the log
    values the mode reads, :func:`grngc.core.moments.column_moments`), ``a = regulator_power``, ``b =
    target_power`` and ``f`` the ``target_floor`` quantile of the non-constant genes' ``sd`` (0: no floor). A
    regulator that varies a lot across cells can move its targets; a target that barely varies has
    correlations made mostly of noise, and the floor keeps the flattest targets (mostly zeros) from flooding
    the top of the ranking. The weight is asymmetric (``a, b > 0``: of two co-expressed genes, the one that
    spreads more ranks as the regulator), a ranking prior from the data's spreads, not a measured lead in
    time. A constant gene (``sd`` 0, or float noise: at most 1e-8 of the largest) gets weight 0 on both
    sides. ``std`` is read as given: on data already scaled to unit variance (``sc.pp.scale``) the weight is
    flat.

    ``fade`` ``g > 0``: the prior fades where the co-expression is strong, ``S_ij w_ij^(1 - q_ij^g)`` with
    ``q_ij`` the fraction of the scored pairs (``S > 0``) whose score is at most ``S_ij``: the strongest pairs
    keep the co-expression's own order (``q`` near 1: weight near 1), the weak bulk is ranked by the spreads
    too (``q`` near 0: the whole weight), as a prior weighs most where the data say least. This sorts one copy
    of the scored values (``(|R| p)`` floats) and weighs ``S`` a block of rows at a time; above
    :data:`FADE_EXACT_PAIRS` scored pairs ``q`` is read off :data:`FADE_GRID` of their quantiles (within 1e-6)."""
    sd = np.asarray(std, float)
    spread = sd > 1e-8 * sd.max(initial=0.0)  # a constant column's computed sd is float noise, not 0
    as_regulator = np.where(spread, sd, 0.0) ** regulator_power if regulator_power else spread.astype(float)
    floor = np.quantile(sd[spread], target_floor) if target_floor and spread.any() else 0.0
    as_target = np.zeros_like(sd)
    as_target[spread] = np.maximum(sd[spread], floor) ** -target_power
    if not fade:
        S *= as_regulator[:, None]
        S *= as_target[None, :]
        return S
    scored = S[S > 0]  # q_ij = (scored values <= S_ij) / their number
    scored.sort()  # in place: one copy of the scored values, not two
    if scored.size > FADE_EXACT_PAIRS:  # an every-gene atlas: the quantiles off a grid, and the copy freed
        k = np.arange(1, FADE_GRID + 1)
        scored = scored[-(-k * scored.size // FADE_GRID) - 1]  # the value at each fraction k / G: q off by < 1 / G
    rows = max(1, FADE_BLOCK_PAIRS // max(S.shape[1], 1))
    for start in range(0, S.shape[0], rows):
        block = S[start:start + rows]  # a view: weighed in place
        q = quantiles_in(scored, block)
        w = as_regulator[start:start + rows, None] * as_target[None, :]
        block *= np.where(w > 0, np.power(np.where(w > 0, w, 1.0), 1.0 - q ** fade), 0.0)
    return S
