"""Bulk time courses with known networks: Lorenz-96, VAR and Hill-kinetics gene networks (the
namespace :mod:`grngc.simulate` holds them and the single cells of :mod:`grngc.simulate.cells`)."""
from __future__ import annotations

import numpy as np

from ..timecourse import TimeCourse


def lorenz96(p: int = 10, T: int = 1000, F: float = 10.0, dt: float = 0.1, noise: float = 0.1,
             burn_in: int = 1000, n_series: int = 1, seed: int = 0) -> tuple[TimeCourse, np.ndarray]:
    from scipy.integrate import odeint

    rng = np.random.default_rng(seed)

    def deriv(x, t):
        return (np.roll(x, -1) - np.roll(x, 2)) * np.roll(x, 1) - x + F

    Xs, times, series = [], [], []
    for s in range(n_series):
        x0 = rng.normal(scale=0.01, size=p)
        t = np.linspace(0, (T + burn_in) * dt, T + burn_in)
        X = odeint(deriv, x0, t)[burn_in:]
        X += rng.normal(scale=noise, size=X.shape)
        Xs.append(X)
        times.append(np.arange(T) * dt)
        series.append(np.full(T, str(s)))
    truth = np.zeros((p, p), int)
    for j in range(p):
        for d in (1, 2, -1):  # j depends on j-1, j-2, j+1
            truth[(j - d) % p, j] = 1
    tc = TimeCourse(np.vstack(Xs), [f"x{i}" for i in range(p)], np.concatenate(times), np.concatenate(series),
                    f"lorenz96(p={p}, T={T}, F={F})")
    return tc, truth


def var(p: int = 10, T: int = 1000, lag: int = 3, sparsity: float = 0.2, beta: float = 1.0,
        noise: float = 0.1, burn_in: int = 100, seed: int = 0) -> tuple[TimeCourse, np.ndarray]:
    rng = np.random.default_rng(seed)
    gc = np.eye(p, dtype=int)  # gc[target, source]
    n_in = max(int(p * sparsity) - 1, 1)
    for j in range(p):
        choice = rng.choice([k for k in range(p) if k != j], n_in, replace=False)
        gc[j, choice] = 1
    coef = np.hstack([gc * beta] * lag).astype(float)  # (p, p * lag)
    while True:  # shrink until stationary
        companion = np.vstack([coef, np.hstack([np.eye(p * (lag - 1)), np.zeros((p * (lag - 1), p))])])
        if np.max(np.abs(np.linalg.eigvals(companion))) < 0.99:
            break
        coef *= 0.95
    X = np.zeros((T + burn_in + lag, p))
    X[:lag] = rng.normal(scale=noise, size=(lag, p))
    for t in range(lag, T + burn_in + lag):
        past = np.concatenate([X[t - l] for l in range(1, lag + 1)])
        X[t] = coef @ past + rng.normal(scale=noise, size=p)
    X = X[-T:]
    truth = gc.T.copy()
    np.fill_diagonal(truth, 0)
    tc = TimeCourse(X, [f"x{i}" for i in range(p)], np.arange(T, dtype=float), np.zeros(T, int),
                    f"var(p={p}, T={T}, lag={lag})")
    return tc, truth


def random_regulatory_graph(p: int, max_regulators: int = 2, seed: int = 0) -> np.ndarray:
    """Signed ``(p, p)`` matrix: +1 activation, -1 repression of ``j`` by ``i``; about a third of genes
    are unregulated inputs. No self-loops."""
    rng = np.random.default_rng(seed)
    sign = np.zeros((p, p), int)
    n_inputs = max(1, p // 3)
    for j in range(n_inputs, p):
        k = rng.integers(1, max_regulators + 1)
        regs = rng.choice([i for i in range(p) if i != j], k, replace=False)
        sign[regs, j] = rng.choice([1, -1], size=k, p=[0.6, 0.4])
    perm = rng.permutation(p)  # so that inputs are not always the first genes
    return sign[np.ix_(perm, perm)]


def grn(p: int = 10, n_series: int = 10, T: int = 21, dt: float = 0.5, max_regulators: int = 2,
        hill_n: float = 2.0, noise: float = 0.05, seed: int = 0, substeps: int = 20,
        x0: float | None = None, perturb_inputs: bool = True, signed: bool = False) -> tuple[TimeCourse, np.ndarray]:
    """Hill-kinetics gene network time courses (each from random initial levels and input perturbations).

    ``dx_j/dt = v_j * prod_{r in reg(j)} h_rj(x_r) + b_j - g_j x_j``, with ``h = x^n/(K^n+x^n)`` for an
    activator and ``K^n/(K^n+x^n)`` for a repressor, integrated by Euler-Maruyama (``substeps`` per
    sampling interval ``dt``) with noise ``noise * sqrt(x)``. Each course starts from random levels
    (or every gene near ``x0``, log-normal spread) and, with ``perturb_inputs``, scales the inputs' production at random.
    The true network is 0/1, or with ``signed`` +1 (activator) / -1 (repressor) / 0.
    """
    rng = np.random.default_rng(seed)
    sign = random_regulatory_graph(p, max_regulators, seed)
    v = rng.uniform(0.8, 1.5, p)
    g = rng.uniform(0.5, 1.0, p)
    K = rng.uniform(0.3, 0.7, (p, p))
    b = np.where(sign.any(0), 0.02, rng.uniform(0.2, 1.0, p))  # unregulated genes: constant production
    h = dt / substeps
    # Each target's regulators as padded (p, m) arrays, in increasing index (padding: sign 0, factor 1),
    # so that a step costs p x max_regulators, not p^2: thousands of genes simulate in seconds.
    m = max(1, int((sign != 0).sum(0).max()))
    regs, reg_sign = np.zeros((p, m), int), np.zeros((p, m), int)
    for j in range(p):
        r = np.flatnonzero(sign[:, j])
        regs[j, :len(r)], reg_sign[j, :len(r)] = r, sign[r, j]
    kn = K[regs, np.arange(p)[:, None]] ** hill_n  # K[r, j] ** n per (target, regulator slot)
    regulated = sign.any(0)

    def drift(x):
        xn = np.power(np.clip(x, 0, None)[regs], hill_n)  # (p, m): each target's regulators
        factor = np.where(reg_sign > 0, xn / (kn + xn), np.where(reg_sign < 0, kn / (kn + xn), 1.0))
        return v * np.where(regulated, np.prod(factor, axis=1), 0.0) + b - g * x

    Xs, times, series = [], [], []
    for s in range(n_series):
        x = rng.uniform(0, 1.5, p) if x0 is None else float(x0) * rng.lognormal(0.0, 0.5, p)
        b_s = b * rng.uniform(0.3, 2.0, p) if perturb_inputs else b  # a course may perturb the inputs
        out = np.empty((T, p))
        for t in range(T):
            out[t] = x
            for _ in range(substeps):
                dx = drift(x) + (b_s - b)
                x = np.clip(x + h * dx + noise * np.sqrt(h * np.clip(x, 1e-6, None)) * rng.normal(size=p), 0, None)
        Xs.append(out)
        times.append(np.arange(T) * dt)
        series.append(np.full(T, f"s{s}"))
    truth = sign.copy() if signed else (sign != 0).astype(int)
    tc = TimeCourse(np.vstack(Xs), [f"g{i}" for i in range(p)], np.concatenate(times), np.concatenate(series),
                    f"grn(p={p}, n_series={n_series}, T={T})")
    return tc, truth


def to_anndata(tc: TimeCourse, truth: np.ndarray | None = None):
    """AnnData with ``obs['time']``, ``obs['series']`` and (optionally) the true network in ``varp``:
    ``true_network`` 0/1, and for a signed ``truth`` also ``true_network_sign`` (+1 / -1)."""
    import anndata as ad
    import pandas as pd

    obs = pd.DataFrame({"time": tc.time, "series": pd.Categorical(tc.series)},
                       index=[f"{s}_{k}" for k, s in enumerate(tc.series)])
    adata = ad.AnnData(tc.X.astype(np.float32), obs=obs, var=pd.DataFrame(index=tc.genes))
    if truth is not None:
        adata.varp["true_network"] = (truth != 0).astype(np.int8)
        if (truth < 0).any():
            adata.varp["true_network_sign"] = np.sign(truth).astype(np.int8)
    adata.uns["simulation"] = {"source": tc.source}
    return adata


def truth_to_edges(truth: np.ndarray, genes: list[str]):
    """The true edges ``regulator -> target`` of ``truth[i, j]`` (``i -> j``), with their ``sign`` when
    ``truth`` is signed (has a -1)."""
    import pandas as pd

    i, j = np.nonzero(truth)
    edges = pd.DataFrame({"regulator": np.asarray(genes)[i], "target": np.asarray(genes)[j]})
    if (truth < 0).any():
        edges["sign"] = np.sign(truth[i, j]).astype(int)
    return edges


# single cells, in grngc.simulate's namespace (grngc.simulate.differentiation_cells, ...)
