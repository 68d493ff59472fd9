"""Simulated single cells with known networks: snapshots of :func:`grngc.simulate.grn` time courses
(:func:`grn_cells`) and cells differentiating along one trajectory from a known GRN, SERGIO-like
(:func:`differentiation_cells`). Both return raw counts in an AnnData and the signed truth; they are
part of :mod:`grngc.simulate`'s namespace."""
from __future__ import annotations

import numpy as np


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

    from .bulk import grn

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


def differentiation_cells(p: int = 40, n_cells: int = 1000, n_master: int | None = None, max_regulators: int = 3,
                          duration: float = 10.0, hill_n: float = 2.0, noise: float = 1.0, capture: float = 0.5,
                          library_sd: float = 0.3, velocity: bool = False, seed: int = 0, dt: float = 0.02):
    """Single cells differentiating along one trajectory from a known GRN (the SERGIO / BoolODE kind),
    as raw counts. Returns ``(adata, signs)``: ``signs[i, j]`` = +1 (``i`` activates ``j``), -1 (represses), 0.

    The network is a random DAG in topological order: ``n_master`` master regulators with no
    regulators (default one per 20 genes, at least 2: differentiation runs several programs at once, each
    master switching at its own moment; with two masters for 100 genes or more, every gene sat in one of two
    cascades and GENIE3 stayed under 0.7 AUROC), then genes with 1 to ``max_regulators`` regulators among the earlier genes (earlier
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
    (``library_sd``; ``capture`` 0.5: at 0.3, GENIE3 scored under 0.7 AUROC on one of three development
    seeds at 100 genes with velocity layers, benchmarks/cell_simulator.py). With ``velocity``, the transcripts pass through an unspliced state first
    (``du = (P - beta u) dt``, ``ds = (beta u - gamma s) dt``, regulation by ``s``) and
    ``layers['unspliced']`` / ``layers['spliced']`` hold both counts (X = spliced + unspliced).

    ``obs['stage']`` (early/mid/late: time terciles) is the kind of annotation a pseudotime root is
    chosen from; ``obs['sim_time']`` keeps the true time, for checking a pseudotime, never for inference.
    """
    import anndata as ad
    import pandas as pd

    n_master = max(2, p // 20) if n_master is None else n_master
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
