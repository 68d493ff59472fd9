"""Masked-input MLP: ONE shared hidden layer for all genes, each target predicted with its own
same-time value hidden (model ``mlp-masked``).

GENIE3's strength on short time courses is same-time dependence: each gene from the OTHER genes in
the same sample. A shared network fed ``x(t)`` would copy each gene into its own prediction; a
per-target network (``mlp-per-target``) avoids that by sharing nothing. This model shares every
weight and hides, for output ``j``, the input ``x_j(t)`` alone, as a masked autoencoder predicts a
hidden token from the visible ones, with a learned per-gene "hidden" code ``u_j`` in its place:

.. math::
    h = W_1 \\mathrm{vec}(x) + b_1, \\qquad
    h^{(j)} = h - W_1^{(t, j)} x_j(t) + u_j, \\qquad
    \\hat y_j = w_{2,j}^\\top \\sigma(h^{(j)}) + b_{2,j} + a_j^\\top (M_j \\odot \\mathrm{vec}(x))

    \\frac{\\partial \\hat y_j}{\\partial \\mathrm{vec}(x)} =
        M_j \\odot \\left(W_1^\\top (w_{2,j} \\odot \\sigma'(h^{(j)})) + a_j\\right)

(``sigma`` = SiLU, ``W_1^{(t, j)}`` the column of ``x_j(t)``, ``M_j`` 0 at that input only), so
``d yhat_j / d x_j(t) = 0`` exactly while the lagged ``x_j(t - l)`` stay visible. Every output's
loss trains the same ``W_1``: one model, the gradient as the score and the gradient L1 of the paper
as the penalty (:mod:`grngc.granger.gradients`). Random hiding of further regulators while training
(``input_dropout``) makes it a masked autoencoder proper. The linear path ``a`` starts at zero.

Cost: the forward pass is ``batch x hidden x (lag p)`` for ``h`` plus ``batch x p x hidden`` for the
``p`` masked copies; the closed-form Jacobian ``batch x rows x hidden x (lag p)``, as the shared MLP's.
"""
from __future__ import annotations

import torch
from torch import nn

from .base import GrangerModel, input_mask


class MaskedMLP(GrangerModel):
    def __init__(self, n_genes: int, lag: int, hidden: int = 128, same_time: bool = False):
        if not same_time:
            raise ValueError("mlp-masked hides each target's own same-time value: it needs same-time inputs "
                             "(same_time=True, --same-time); without them use model 'mlp'")
        super().__init__(n_genes, lag)
        self.hidden = hidden
        self.fc1 = nn.Linear(lag * n_genes, hidden)
        self.hidden_code = nn.Parameter(torch.zeros(n_genes, hidden))  # u_j: "gene j is hidden"
        self.fc2 = nn.Linear(hidden, n_genes)
        self.skip = nn.Parameter(torch.zeros(n_genes, lag * n_genes))
        self.register_buffer("mask", input_mask(n_genes, lag, True))
        self._now = (lag - 1) * n_genes  # where the same-time slot starts in vec(x)

    def _masked_pre(self, x: torch.Tensor, rows: torch.Tensor | None) -> torch.Tensor:
        """``h^{(j)}`` for the outputs ``rows`` (all when None), shape ``(B, m, hidden)``."""
        p = self.n_genes
        rows = torch.arange(p, device=x.device) if rows is None else rows
        h = self.fc1(x.flatten(1))  # (B, H)
        w_now = self.fc1.weight[:, self._now:self._now + p][:, rows].T  # (m, H)
        own = x[:, -1, rows]  # (B, m): each output's own same-time value
        return h.unsqueeze(1) - own.unsqueeze(-1) * w_now.unsqueeze(0) + self.hidden_code[rows].unsqueeze(0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = x.flatten(1)
        a = nn.functional.silu(self._masked_pre(x, None))  # (B, p, H)
        return (a * self.fc2.weight).sum(-1) + self.fc2.bias + z @ (self.skip * self.mask).T

    def input_jacobian(self, x, rows=None, create_graph=True):
        pre = self._masked_pre(x, rows)
        s = torch.sigmoid(pre)
        w2 = self.fc2.weight if rows is None else self.fc2.weight[rows]
        d = s * (1 + pre * (1 - s)) * w2  # (B, m, H): d yhat_j / d h^{(j)}
        mask = self.mask if rows is None else self.mask[rows]
        skip = self.skip if rows is None else self.skip[rows]
        J = (d @ self.fc1.weight + skip) * mask  # M_j: x_j(t) is hidden from output j
        if not create_graph:
            J = J.detach()
        return J.view(x.shape[0], -1, self.lag, self.n_genes)
