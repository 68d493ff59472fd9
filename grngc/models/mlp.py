"""Multilayer perceptron forecaster with a closed-form input Jacobian.

.. math::
    \\hat y = W_2\\,\\sigma(W_1 \\mathrm{vec}(x) + b_1) + b_2 \\; [+\\, A\\,\\mathrm{vec}(x)], \\qquad
    \\frac{\\partial \\hat y}{\\partial x} = W_2\\,\\mathrm{diag}(\\sigma'(h))\\,W_1 \\; [+\\, A]

With ``skip`` (model ``mlp-skip``) a linear path ``A`` (zero at the start) runs beside the hidden
layer, as the authors' identity-base KAN has one: the model contains the linear VAR, so what the
hidden units add is a correction to it, not the whole forecast.
"""
from __future__ import annotations

import torch
from torch import nn

from .base import GrangerModel


class MLP(GrangerModel):
    def __init__(self, n_genes: int, lag: int, hidden: int = 64, skip: bool = False):
        super().__init__(n_genes, lag)
        self.hidden = hidden
        self.fc1 = nn.Linear(lag * n_genes, hidden)
        self.fc2 = nn.Linear(hidden, n_genes)
        self.skip = nn.Parameter(torch.zeros(n_genes, lag * n_genes)) if skip else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = x.flatten(1)
        y = self.fc2(nn.functional.silu(self.fc1(z)))
        return y if self.skip is None else y + z @ self.skip.T

    def input_jacobian(self, x, rows=None, create_graph=True):
        h = self.fc1(x.flatten(1))
        s = torch.sigmoid(h)
        dact = s * (1 + h * (1 - s))  # d/dh of h * sigmoid(h)
        w2 = self.fc2.weight if rows is None else self.fc2.weight[rows]
        J = (w2.unsqueeze(0) * dact.unsqueeze(1)) @ self.fc1.weight  # (B, m, lag*p)
        if self.skip is not None:
            J = J + (self.skip if rows is None else self.skip[rows])
        if not create_graph:
            J = J.detach()
        return J.view(x.shape[0], -1, self.lag, self.n_genes)
