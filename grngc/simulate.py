"""Simulated time courses with known networks, for benchmarks, demos and tests.

Every simulator returns ``(tc, truth)``: a :class:`TimeCourse` and a ``(p, p)`` 0/1 matrix with
``truth[i, j] = 1`` when ``i -> j`` (the past of ``i`` drives ``j``); self-loops are left 0.

* :func:`lorenz96` -- ``dx_j/dt = (x_{j+1} - x_{j-2}) x_{j-1} - x_j + F`` (indices mod p), as in
  the neural Granger causality literature (Tank et al. 2021): sampled every ``dt``, Gaussian noise.
* :func:`var` -- a stationary sparse VAR(lag) process, as in Neural-GC's ``simulate_var``.
* :func:`grn` -- a random sparse regulatory graph driving Hill-kinetics ODEs with noise
  (``dx_j/dt = v_j \\prod_r h_r(x_r) - \\gamma_j x_j + \\sigma dW``), several time courses.
"""
from __future__ import annotations

import numpy as np

from .timecourse import TimeCourse


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


def grn_cells(p: int = 10, n_cells: int = 300, n_trajectories: int = 20, duration: float = 8.0,
              depth: float = 2000.0, seed: int = 0, **grn_kw):
    """Single-cell-like snapshot of a Hill-kinetics differentiation: raw counts, no time key.

    ``n_trajectories`` stochastic courses of :func:`grn` from the same progenitor state (every gene at
    0.05, no input perturbation), each sampled at ``n_cells / n_trajectories`` times over ``duration``
    (one cell per sample), then Poisson counts with a log-normal library size around ``depth``, cells
    shuffled. ``obs['stage']``
    (early/mid/late: time terciles) is the kind of annotation a pseudotime root is chosen from;
    ``obs['sim_time']`` keeps the true time for checking the pseudotime, never for inference.
    Returns ``(adata, truth)``.
    """
    import anndata as ad
    import pandas as pd

    T = n_cells // n_trajectories
    grn_kw = {"dt": duration / T, "x0": 0.05, "perturb_inputs": False, **grn_kw}
    tc, signs = grn(p, n_series=n_trajectories, T=T, seed=seed, signed=True, **grn_kw)
    truth = (signs != 0).astype(int)
    n_cells = tc.n_samples
    rng = np.random.default_rng(seed + 1)
    libsize = depth * rng.lognormal(0.0, 0.3, n_cells)
    share = tc.X / tc.X.sum(axis=1, keepdims=True)
    counts = rng.poisson(libsize[:, None] * share).astype(np.float32)
    # terciles of the simulated time (rows run trajectory by trajectory, so row terciles would be
    # trajectories, every one spanning all times)
    time_rank = np.argsort(np.argsort(tc.time, kind="stable"), kind="stable")
    stage = np.array(["early", "mid", "late"])[np.minimum(3 * time_rank // n_cells, 2)]
    perm = rng.permutation(n_cells)
    obs = pd.DataFrame({"stage": pd.Categorical(stage[perm]), "sim_time": tc.time[perm]},
                       index=[f"cell{k}" for k in range(n_cells)])
    adata = ad.AnnData(counts[perm], obs=obs, var=pd.DataFrame(index=tc.genes))
    adata.varp["true_network"] = truth.astype(np.int8)
    adata.varp["true_network_sign"] = signs.astype(np.int8)  # +1 activator, -1 repressor
    adata.uns["simulation"] = {"source": f"grn_cells(p={p}, n_cells={n_cells}, seed={seed})"}
    return adata, truth


def differentiation_cells(p: int = 40, n_cells: int = 1000, n_master: int = 2, max_regulators: int = 3,
                          duration: float = 10.0, hill_n: float = 2.0, noise: float = 1.0, capture: float = 0.3,
                          library_sd: float = 0.3, velocity: bool = False, seed: int = 0, dt: float = 0.02):
    """Single cells differentiating along one trajectory from a known GRN (the SERGIO / BoolODE kind),
    as raw counts. Returns ``(adata, signs)``: ``signs[i, j]`` = +1 (``i`` activates ``j``), -1 (represses), 0.

    The network is a random DAG in topological order: ``n_master`` master regulators with no
    regulators, then genes with 1 to ``max_regulators`` regulators among the earlier genes (earlier
    genes preferred, so that a few regulators drive many). Gene ``j`` has the chemical Langevin
    dynamics of SERGIO (Dibaeinia & Sinha 2020):

    .. math::
        P_j = b_j + \\sum_{r} w_{rj}\\, h_{rj}(x_r),\\quad h = \\frac{x^n}{K^n + x^n}\\ \\text{(activator)},
        \\ \\frac{K^n}{K^n + x^n}\\ \\text{(repressor)},\\qquad
        dx_j = (P_j - \\gamma_j x_j)\\, dt + s\\,(\\sqrt{P_j}\\, dW_1 - \\sqrt{\\gamma_j x_j}\\, dW_2)

    with ``K_rj`` the regulator's mean deterministic level (its sensitive range, as SERGIO sets it) and
    ``s = noise`` (intrinsic noise, which carries each regulator's fluctuations to its targets). The
    master regulators' production follows the trajectory: each switches on or off (a logistic in time
    at a random moment). Each cell starts from the progenitor state and is captured at its own time,
    uniform in ``[0, duration]``; counts are Poisson of ``capture`` x level x a log-normal library size
    (``library_sd``). With ``velocity``, the transcripts pass through an unspliced state first
    (``du = (P - beta u) dt``, ``ds = (beta u - gamma s) dt``, regulation by ``s``) and
    ``layers['unspliced']`` / ``layers['spliced']`` hold both counts (X = spliced + unspliced).

    ``obs['stage']`` (early/mid/late: time terciles) is the kind of annotation a pseudotime root is
    chosen from; ``obs['sim_time']`` keeps the true time, for checking a pseudotime, never for inference.
    """
    import anndata as ad
    import pandas as pd

    if n_master < 1 or p <= n_master:
        raise ValueError(f"differentiation_cells: need 1 <= n_master < p (got n_master={n_master}, p={p})")
    rng = np.random.default_rng(seed)
    sign = np.zeros((p, p), int)
    for j in range(n_master, p):
        k = int(rng.integers(1, max_regulators + 1))
        weight = 1.0 / (1.0 + np.arange(j))  # earlier genes preferred: hubs, as in real networks
        regs = rng.choice(j, size=min(k, j), replace=False, p=weight / weight.sum())
        sign[regs, j] = rng.choice([1, -1], size=len(regs), p=[0.7, 0.3])
    w = np.abs(sign) * rng.uniform(10.0, 30.0, (p, p))
    w_act, w_rep = np.where(sign > 0, w, 0.0), np.where(sign < 0, w, 0.0)  # activators' and repressors' weights
    gamma = rng.uniform(0.5, 1.5, p)
    beta = rng.uniform(1.0, 3.0, p)
    base = np.where(np.arange(p) < n_master, 0.0, rng.uniform(0.5, 2.0, p))
    # master regulators: production 2 -> 40 (on) or 40 -> 2 (off) at a random moment of the trajectory
    switch_at = rng.uniform(0.15, 0.6, n_master) * duration
    turns_on = rng.random(n_master) < 0.6

    def master_production(t):
        on = 1.0 / (1.0 + np.exp(-(t - switch_at) / (0.05 * duration)))
        return 2.0 + 38.0 * np.where(turns_on, on, 1.0 - on)

    n_steps = int(np.ceil(duration / dt))
    K = _half_saturation(w_act, w_rep, base, gamma, hill_n, master_production, n_master, n_steps, dt)
    det0 = base / gamma  # the progenitor: the noise-free steady state with the masters as at time 0
    for _ in range(int(10.0 / gamma.min() / dt)):
        prod = _production(det0, w_act, w_rep, K, base, hill_n)
        prod[:n_master] = master_production(0.0)
        det0 = det0 + dt * (prod - gamma * det0)
    capture_step = rng.integers(0, n_steps + 1, n_cells)
    order = np.argsort(capture_step)
    x = np.tile(det0, (n_cells, 1))
    u = x * gamma / beta if velocity else None  # unspliced at its steady state
    out_x, out_u = np.empty((n_cells, p)), np.empty((n_cells, p))
    k = 0
    sq = np.sqrt(dt)
    for step in range(n_steps + 1):
        while k < n_cells and capture_step[order[k]] == step:
            out_x[order[k]] = x[order[k]]
            if velocity:
                out_u[order[k]] = u[order[k]]
            k += 1
        if k == n_cells:
            break
        prod = _production(x, w_act, w_rep, K, base, hill_n)
        prod[:, :n_master] = master_production(step * dt)
        if velocity:
            splice = beta * u
            u = np.clip(u + dt * (prod - splice) + noise * sq * (np.sqrt(prod) * rng.normal(size=u.shape)
                                                                - np.sqrt(splice) * rng.normal(size=u.shape)), 0, None)
            decay = gamma * x
            x = np.clip(x + dt * (splice - decay) + noise * sq * (np.sqrt(splice) * rng.normal(size=x.shape)
                                                                 - np.sqrt(decay) * rng.normal(size=x.shape)), 0, None)
        else:
            decay = gamma * x
            x = np.clip(x + dt * (prod - decay) + noise * sq * (np.sqrt(prod) * rng.normal(size=x.shape)
                                                                - np.sqrt(decay) * rng.normal(size=x.shape)), 0, None)
    sim_time = capture_step * dt
    time_rank = np.argsort(np.argsort(sim_time, kind="stable"), kind="stable")
    stage = np.array(["early", "mid", "late"])[np.minimum(3 * time_rank // n_cells, 2)]
    # columns in random order, so that the master regulators are not always the first genes
    perm = rng.permutation(p)
    sign, out_x, out_u = sign[np.ix_(perm, perm)], out_x[:, perm], out_u[:, perm]
    genes = [f"g{i}" for i in range(p)]
    masters = [genes[c] for c in range(p) if perm[c] < n_master]
    obs = pd.DataFrame({"stage": pd.Categorical(stage), "sim_time": sim_time}, index=[f"cell{c}" for c in range(n_cells)])
    library = capture * rng.lognormal(0.0, library_sd, n_cells)[:, None]
    spliced = rng.poisson(library * out_x).astype(np.float32)
    counts = spliced
    layers = {}
    if velocity:
        unspliced = rng.poisson(library * out_u).astype(np.float32)
        counts = spliced + unspliced
        layers = {"spliced": spliced, "unspliced": unspliced}
    adata = ad.AnnData(counts, obs=obs, var=pd.DataFrame(index=genes), layers=layers)
    adata.varp["true_network"] = (sign != 0).astype(np.int8)
    adata.varp["true_network_sign"] = sign.astype(np.int8)
    adata.uns["simulation"] = {"source": f"differentiation_cells(p={p}, n_cells={n_cells}, seed={seed})",
                               "master_regulators": masters}
    cell_order = rng.permutation(n_cells)  # cells in no particular order, as a count matrix comes
    return adata[cell_order].copy(), sign


def _production(x, w_act, w_rep, K, base, hill_n):
    """SERGIO's production rate of every gene: ``base + sum_r w_rj h_rj(x_r)`` (rows of ``x`` = cells), with
    ``w_act`` / ``w_rep`` the weights of activators / repressors (0 elsewhere)."""
    xn = np.power(np.clip(x, 0, None), hill_n)
    kn = K ** hill_n
    act = xn / (kn + xn)  # (..., p): each regulator's activation level
    return base + act @ w_act + (1.0 - act) @ w_rep


def _half_saturation(w_act, w_rep, base, gamma, hill_n, master_production, n_master, n_steps, dt):
    """SERGIO's half-saturation constants: ``K_r`` = the mean level of regulator ``r`` on the noise-free
    trajectory. Genes are in topological order, so each gene's trajectory follows from its
    regulators' (already known) ones: one linear ODE per gene, ``x' = P(t) - gamma x``."""
    from scipy.signal import lfilter

    p = len(base)
    masters = np.array([master_production(t) for t in np.arange(n_steps) * dt])  # (steps, n_master)
    det = np.zeros((n_steps + 1, p))
    K = np.ones(p)
    for j in range(p):
        if j < n_master:
            prod = masters[:, j]
        else:  # regulators precede j, so their trajectories and K are already set
            prod = _production(det[:-1], w_act[:, [j]], w_rep[:, [j]], K, base[[j]], hill_n)[:, 0]
        x0 = (master_production(0.0)[j] if j < n_master else base[j]) / gamma[j]
        # x[t+1] = (1 - gamma dt) x[t] + dt P[t]
        traj = lfilter([dt], [1.0, -(1.0 - gamma[j] * dt)], prod, zi=[(1.0 - gamma[j] * dt) * x0])[0]
        det[0, j], det[1:, j] = x0, traj
        K[j] = max(det[:, j].mean(), 1e-3)
    return K
