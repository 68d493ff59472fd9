r"""Adjacency denoiser: ONE neural model for all genes of single cells, one weight per regulator -> target
pair in its first layer (single-cell member ``neural``).

Cells ordered by pseudotime have no past to forecast from (a cell's predecessor is another cell), so
each gene is predicted from the OTHER genes of the same cell. As in RegDiffusion (Zhu & Slonim 2024)
the genes meet only through one weight per pair, ``A_ij`` (regulator ``i``, target ``j``), whose
diagonal is masked so that no gene enters its own prediction; the inputs are noised at a level drawn
per cell, and the model learns to recover the clean cell:

.. math::
    \tilde z = \sqrt{1 - s^2}\, z + s\, \varepsilon, \qquad s^2 = \frac{\lambda}{1 + \lambda},\
    \log \lambda \sim U(\log c_{lo} p, \log c_{hi} p),\ \varepsilon \sim N(0, I)

    m_j = \sum_{i \ne j} A_{ij} \tilde z_i, \qquad
    \hat z_j = \psi(m_j, e_j, s) + b_j

    L = \frac{1}{n p} \sum_{c, j} (\hat z_j - z_j)^2 + \lambda_1 \frac{1}{p} \sum_{i, j} |A_{ij}|

``z`` the z-scored genes (optionally kNN-smoothed first: :func:`grngc.cells.knn_smoothed`), ``psi`` a
small tanh MLP shared by every gene, ``e_j`` a learned embedding of gene ``j``, ``b_j`` its bias. Noise
on the inputs of a linear model is a ridge penalty (``lambda = s^2 / (1 - s^2)`` per unit variance); drawing
it per cell, log-uniform over the closed form's range of penalties (``c`` in ``noise_factors``, times the
genes: :func:`noise_level`), trains ONE ``A`` across them, which is what RegDiffusion's diffusion steps do.
The L1 term makes ``A`` sparse.

The score of ``i -> j`` is the gradient of the trained model, averaged over the clean cells (``s = 0``):

.. math::
    S_{ij} = \frac{1}{n} \sum_c \left|\frac{\partial \hat z_j}{\partial z_i}\right|
           = |A_{ij}| \, \frac{1}{n} \sum_c |\psi'(m_j(c))|

Cost per step: ``batch x |R| x p`` for the mixing (``R`` the regulators: a regulator list shrinks ``A``
to ``|R| x p``) and ``batch x p x hidden`` for ``psi``; memory ``|R| x p`` weights (with Adam's two
moments). It trains on a GPU when one is present, on mini-batches of cells drawn from one dense float32
copy of the cells (a sparse atlas is densified for this member).
"""
from __future__ import annotations

import logging
import time as _time

import numpy as np
import torch
from torch import nn

log = logging.getLogger("grngc")

# settings of the single-cell member "neural" (benchmarks/single_cell_rules.py registers the candidates)
# (development runs on mESC and our simulator's seed 301 before registration 7: benchmarks/single_cell_rules.py)
ADJACENCY = {"steps": 600, "batch": 128, "lr": 3e-3, "weight_lr": 1.0, "l1": 0.0, "noise_factors": (0.003, 0.3),
             "hidden": 16, "embedding": 8}


class AdjacencyDenoiser(nn.Module):
    """``z^_j = psi(sum_{i != j} A_ij z~_i, e_j, s) + b_j`` (module docstring). ``regulators``: indices
    of the rows of ``A`` among the ``n_genes`` columns (all genes when None)."""

    def __init__(self, n_genes: int, regulators: np.ndarray | None = None, hidden: int = 16, embedding: int = 8):
        super().__init__()
        rows = np.arange(n_genes) if regulators is None else np.asarray(regulators, int)
        self.register_buffer("rows", torch.as_tensor(rows, dtype=torch.long))
        mask = torch.ones(len(rows), n_genes)
        mask[torch.arange(len(rows)), self.rows] = 0.0  # a gene never predicts itself
        self.register_buffer("mask", mask)
        self.A = nn.Parameter(torch.zeros(len(rows), n_genes))
        self.embedding = nn.Parameter(0.1 * torch.randn(n_genes, embedding))
        self.bias = nn.Parameter(torch.zeros(n_genes))
        self.psi = nn.Sequential(nn.Linear(2 + embedding, hidden), nn.Tanh(), nn.Linear(hidden, 1))

    def weights(self) -> torch.Tensor:
        return self.A * self.mask

    def mixed(self, z_noisy: torch.Tensor) -> torch.Tensor:
        """``m = z~[:, R] (A * mask)``: ``(batch, p)``, each target's weighted regulators."""
        return z_noisy[:, self.rows] @ self.weights()

    def readout(self, m: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
        b, p = m.shape
        features = torch.cat([m.unsqueeze(-1), s.view(b, 1, 1).expand(b, p, 1),
                              self.embedding.unsqueeze(0).expand(b, p, -1)], dim=-1)
        return self.psi(features).squeeze(-1) + self.bias

    def forward(self, z_noisy: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
        return self.readout(self.mixed(z_noisy), s)


def noise_level(batch: int, p: int, factors: tuple[float, float], gen: torch.Generator) -> torch.Tensor:
    """Per cell, the noise ``s`` whose ridge penalty ``lambda = s^2 / (1 - s^2)`` is log-uniform on
    ``[c_lo p, c_hi p]``: the range of the closed form's ``lambda = c x genes`` (:data:`grngc.cells.CELL_MODE`),
    so that a gene's ``p`` inputs do not average the noise away as ``p`` grows."""
    lo, hi = np.log(factors[0] * p), np.log(factors[1] * p)
    lam = torch.exp(lo + (hi - lo) * torch.rand(batch, generator=gen))
    return torch.sqrt(lam / (1 + lam))


def train_adjacency(Z: np.ndarray, regulators: np.ndarray | None = None, settings: dict | None = None,
                    seed: int = 0, device: str = "cpu") -> AdjacencyDenoiser:
    """Train :class:`AdjacencyDenoiser` on the z-scored cells ``Z`` (``n x p``) from ``seed``, the pair weights
    from zero."""
    s = {**ADJACENCY, **(settings or {})}
    n, p = Z.shape
    torch.manual_seed(seed)
    gen = torch.Generator(device="cpu").manual_seed(seed)
    model = AdjacencyDenoiser(p, regulators, s["hidden"], s["embedding"]).to(device)
    data = torch.as_tensor(np.asarray(Z, np.float32), device=device)
    # Adam moves every weight by about its learning rate per step whatever its gradient, and a target sums p of
    # them: the weights' rate is weight_lr / p (RegDiffusion's is 1 / (50 (p - 1))), the readout's lr.
    others = [q for name, q in model.named_parameters() if name != "A"]
    opt = torch.optim.Adam([{"params": [model.A], "lr": s["weight_lr"] / p}, {"params": others, "lr": s["lr"]}])
    batch = min(int(s["batch"]), n)
    loss = torch.zeros(())
    for _ in range(int(s["steps"])):
        cells = torch.randint(0, n, (batch,), generator=gen).to(device)
        z = data[cells]
        level = noise_level(batch, p, s["noise_factors"], gen).to(device)
        noise = torch.randn(z.shape, generator=gen).to(device)
        z_noisy = torch.sqrt(1 - level ** 2).unsqueeze(1) * z + level.unsqueeze(1) * noise
        loss = ((model(z_noisy, level) - z) ** 2).mean() + s["l1"] * model.weights().abs().sum() / p
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    model.final_loss = float(loss.detach())
    return model


def gradient_scores(model: AdjacencyDenoiser, Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(S, signed)``, both ``(p, p)``, rows regulators: ``S_ij`` the mean over the clean cells ``Z`` of
    ``|d z^_j / d z_i| = |A_ij| |psi'(m_j)|`` (module docstring), ``signed``
    ``A_ij`` times the mean slope ``psi'(m_j)``. Rows of non-regulators are 0."""
    device = model.A.device
    n, p = Z.shape
    data = torch.as_tensor(np.asarray(Z, np.float32), device=device)
    slope = torch.zeros(p, device=device)
    signed_slope = torch.zeros(p, device=device)
    for start in range(0, n, 1024):  # d z^_j / d m_j on the clean cells, block by block
        m = model.mixed(data[start:start + 1024]).detach().requires_grad_(True)
        out = model.readout(m, torch.zeros(m.shape[0], device=device))
        (grad,) = torch.autograd.grad(out.sum(), m)  # z^_j depends on m_j alone: the diagonal of the Jacobian
        slope += grad.abs().sum(0)
        signed_slope += grad.sum(0)
    W = model.weights().detach()
    rows = model.rows.cpu().numpy()
    S = np.zeros((p, p))
    signed = np.zeros((p, p))
    S[rows] = (W.abs() * (slope / n)).cpu().numpy()
    signed[rows] = (W * signed_slope / n).cpu().numpy()
    return S, signed


def fit_adjacency(Z: np.ndarray, regulators: np.ndarray | None = None, settings: dict | None = None,
                  seed: int = 0, device: str = "cpu") -> tuple[np.ndarray, np.ndarray]:
    """The single-cell member ``neural``: :func:`train_adjacency` on the z-scored cells ``Z`` (``n x p``;
    constant genes are the caller's business), then :func:`gradient_scores` on them. Returns ``(S, signed)``."""
    s = {**ADJACENCY, **(settings or {})}
    t0 = _time.perf_counter()
    Z = np.asarray(Z, np.float32)  # one float32 copy: training and scoring read it without copying again on CPU
    model = train_adjacency(Z, regulators, s, seed, device)
    out = gradient_scores(model, Z)
    log.info("single-cell member neural: %d steps of %d cells, %d regulator(s) x %d genes, final loss %.4f, "
             "%.1f s on %s", int(s["steps"]), min(int(s["batch"]), len(Z)), len(model.rows), Z.shape[1],
             model.final_loss, _time.perf_counter() - t0, device)
    return out
