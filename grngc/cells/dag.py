r"""The past of a cell as its neighbourhood of earlier cells (Velorama, GrID-Net), and Granger over it.

* **The DAG of cells** (:func:`cell_dag`): a kNN graph of cells (on principal components of the
  z-scored genes), each edge oriented from the cell earlier in pseudotime to the later one. ``A`` is
  its row-normalized adjacency: ``A[c, a] = 1 / |anc(c)|`` for the ``anc(c)`` neighbours of cell ``c``
  earlier than ``c``. The lag-``l`` input of a cell is ``A^l X`` (:func:`dag_lags`), the average
  over its ``l``-step ancestors.
* **DAG Granger** (:func:`dag_granger_scores`): a ridge regression of every gene on the lagged inputs
  of all genes, ``W = (D^T D / n + lambda I)^{-1} D^T Z / n`` with ``D = [A Z, A^2 Z, ...]``
  (``Z`` the z-scored genes, cells without ancestors left out); the score of ``i -> j`` is
  ``sum_l |W_{(l, i), j}|``. Time orients this member: reversing pseudotime reverses it.

"""
from __future__ import annotations

import numpy as np

from ..core.scaling import standardize


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
        from ..timecourse import InputError

        raise InputError("the single-cell mode found fewer than 3 cells with an earlier neighbour: the pseudotime "
                         "orders too few cells (give a time key with distinct values)")
    D = standardize(np.hstack(lagged)[has_past])[0]
    Y = standardize(Z[has_past])[0]
    m = len(D)
    W = np.linalg.solve(D.T @ D / m + lam * np.eye(D.shape[1]), D.T @ Y / m).reshape(lag, p, p)
    S = np.abs(W).sum(0)
    np.fill_diagonal(S, 0.0)
    return S, W.sum(0)
