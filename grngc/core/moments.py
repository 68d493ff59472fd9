r"""Per-gene moments and gene-gene correlations of a cells x genes matrix, dense or sparse, in chunks.

An atlas (20,000 genes x 100,000 cells, sparse counts or log values) does not fit in memory as a dense
float64 matrix (16 GB), and the single-cell mode needs only two things from it: each gene's mean and
standard deviation, and the correlations of the regulators with every gene. Both are sums over cells,
so they are accumulated over blocks of ``chunk`` cells, each block made dense and centred:

.. math::
    \mu_g = \frac{1}{n}\sum_c x_{cg}, \qquad
    \sigma_g^2 = \frac{1}{n}\sum_c (x_{cg} - \mu_g)^2, \qquad
    C_{rg} = \frac{1}{n \sigma_r \sigma_g} \sum_{\text{blocks } b} (X_b - \mu)_{:, r}^\top (X_b - \mu)

(population moments, as ``numpy.std``; ``C`` is ``Z^T Z / n`` of the z-scores ``Z``). The block products
run in torch on ``device`` (a GPU when there is one), in float64 so that a sparse input gives the dense
input's network (to rounding, tested); their cost is
``n x |R| x p``, so a regulator list ``R`` shrinks the work, not only the output's rows.
"""
from __future__ import annotations

import logging

import numpy as np
import scipy.sparse as sp

log = logging.getLogger("grngc")

CHUNK_CELLS = 2048  # a dense float64 block of 2,048 cells x 20,000 genes is 0.33 GB
ROW_BLOCK = 2048  # regulators per product: with every gene a regulator, the products stay 0.33 GB at 20,000 genes


def dense_block(X, rows: slice) -> np.ndarray:
    """Rows ``rows`` of ``X`` as a dense float64 array (a sparse block densified alone)."""
    block = X[rows]
    return np.asarray(block.toarray() if sp.issparse(block) else block, dtype=np.float64)


def column_statistics(X, chunk: int = CHUNK_CELLS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(mean, std, detection)`` of each column of ``X`` in two passes over blocks of ``chunk`` rows (dense
    or sparse): the population std (``ddof=0``; the second pass centred, so no cancellation as in
    ``E[x^2] - E[x]^2``) and the detection rate, the fraction of rows above the column's lowest value (for
    counts or log counts: the fraction of cells that detect the gene, 1 minus its dropout rate). The
    detection rate costs no pass of its own: the first pass keeps each column's running lowest value and
    how many rows hold it."""
    n, p = X.shape
    total, lowest, at_lowest = np.zeros(p), np.full(p, np.inf), np.zeros(p)
    for start in range(0, n, chunk):
        block = dense_block(X, slice(start, start + chunk))
        total += block.sum(0)
        low = block.min(0)
        count = (block == low).sum(0)
        at_lowest = np.where(low < lowest, count, np.where(low == lowest, at_lowest + count, at_lowest))
        lowest = np.minimum(lowest, low)
    mean = total / n
    ss = np.zeros(p)
    for start in range(0, n, chunk):
        ss += ((dense_block(X, slice(start, start + chunk)) - mean) ** 2).sum(0)
    return mean, np.sqrt(ss / n), (n - at_lowest) / n


def column_moments(X, chunk: int = CHUNK_CELLS) -> tuple[np.ndarray, np.ndarray]:
    """``(mean, std)`` of each column of ``X`` (population std, ``ddof=0``); a dense ``X`` directly, a
    sparse one in blocks (:func:`column_statistics`)."""
    if not sp.issparse(X):
        X = np.asarray(X, dtype=np.float64)
        return X.mean(0), X.std(0)
    return column_statistics(X, chunk)[:2]


def column_variance(X, chunk: int = CHUNK_CELLS) -> np.ndarray:
    """Each column's population variance (``ddof=0``): numpy's on a dense ``X``, in blocks on a sparse one."""
    return column_moments(X, chunk)[1] ** 2 if sp.issparse(X) else np.asarray(X).var(axis=0)


def detection_rates(X, chunk: int = CHUNK_CELLS) -> np.ndarray:
    """Each gene's fraction of cells in which it is above its lowest value over the cells (:func:`column_statistics`)."""
    return column_statistics(X, chunk)[2]


def device_for(device: str = "auto") -> str:
    """``cuda`` when asked, or with ``auto`` when a GPU is present; else ``cpu``."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


def correlation_rows(X, rows: np.ndarray | None = None, chunk: int = CHUNK_CELLS, device: str = "auto",
                     moments: tuple[np.ndarray, np.ndarray] | None = None, Y=None,
                     moments_y: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """``C[rows, :]``: the correlations of the columns ``rows`` of ``X`` (indices; all when None) with every
    column of ``Y`` (``X`` itself when None; else the same rows, e.g. another layer of the same cells and
    genes), as ``(len(rows), p)`` float64 (module docstring). A constant column (std 0) has correlation 0."""
    import torch

    n, p = X.shape
    rows = np.arange(p) if rows is None else np.asarray(rows, dtype=int)
    mean, std = moments if moments is not None else column_moments(X, chunk)
    if Y is not None:
        mean_y, std_y = moments_y if moments_y is not None else column_moments(Y, chunk)
    dev = device_for(device)
    mean_t = torch.as_tensor(mean, dtype=torch.float64, device=dev)
    mean_yt = mean_t if Y is None else torch.as_tensor(mean_y, dtype=torch.float64, device=dev)
    rows_t = torch.as_tensor(rows, device=dev)
    acc = torch.zeros((len(rows), Y.shape[1] if Y is not None else p), dtype=torch.float64, device=dev)
    for start in range(0, n, chunk):
        B = torch.as_tensor(dense_block(X, slice(start, start + chunk)), device=dev) - mean_t  # centred block (cells, p)
        By = B if Y is None else torch.as_tensor(dense_block(Y, slice(start, start + chunk)), device=dev) - mean_yt
        for r0 in range(0, len(rows), ROW_BLOCK):  # a (ROW_BLOCK, p) product at a time, not a second (rows, p) one
            acc[r0:r0 + ROW_BLOCK] += B[:, rows_t[r0:r0 + ROW_BLOCK]].T @ By
        del B, By
    scale = np.where(std > 0, std, np.inf)
    scale_y = scale if Y is None else np.where(std_y > 0, std_y, np.inf)
    C = acc.cpu().numpy()  # on the CPU the same memory as acc: divided in place, no copy
    del acc
    C /= n
    C /= scale[rows][:, None]
    C /= scale_y[None, :]
    return C


def paired_correlations(X, Y, chunk: int = CHUNK_CELLS, moments: tuple[np.ndarray, np.ndarray] | None = None,
                        moments_y: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """``corr(X_j, Y_j)`` for each column ``j`` of two matrices of the same shape (dense or sparse), in blocks
    of ``chunk`` rows: the diagonal of :func:`correlation_rows` ``(X, Y=Y)`` without the rest."""
    n, p = X.shape
    mean, std = moments if moments is not None else column_moments(X, chunk)
    mean_y, std_y = moments_y if moments_y is not None else column_moments(Y, chunk)
    acc = np.zeros(p)
    for start in range(0, n, chunk):
        rows = slice(start, start + chunk)
        acc += ((dense_block(X, rows) - mean) * (dense_block(Y, rows) - mean_y)).sum(0)
    return acc / n / np.where(std > 0, std, np.inf) / np.where(std_y > 0, std_y, np.inf)


def peak_memory_gb() -> float:
    """Peak resident memory of this process so far (GB; Linux and macOS)."""
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**30 if sys.platform == "darwin" else peak / 2**20
