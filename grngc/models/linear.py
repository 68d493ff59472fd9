"""Linear forecaster: GRNGC's linear special case.

.. math::
    \\hat y_j = \\sum_{l, i} M_{jli} W_{jli}\\, x_{l,i} + b_j, \\qquad
    \\frac{\\partial \\hat y_j}{\\partial x_{l,i}} = M_{jli} W_{jli}

The input-output gradient IS the weight, the same for every window, so the gradient-L1 penalty is
an L1 penalty on ``W``: GRNGC on this model is an L1-penalized VAR (a lasso per target, fitted
jointly). ``M`` masks inputs a target may not see (its own same-time value, see ``same_time``).
"""
from __future__ import annotations

import torch
from torch import nn

from .base import GrangerModel, input_mask


class Linear(GrangerModel):
    constant_jacobian = True  # the gradient is the weight matrix, whatever the window

    def __init__(self, n_genes: int, lag: int, hidden: int = 0, same_time: bool = False):
        super().__init__(n_genes, lag)
        self.weight = nn.Parameter(torch.zeros(n_genes, lag * n_genes))
        self.bias = nn.Parameter(torch.zeros(n_genes))
        self.register_buffer("mask", input_mask(n_genes, lag, same_time))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.flatten(1) @ (self.weight * self.mask).T + self.bias

    def input_jacobian(self, x, rows=None, create_graph=True):
        W = self.weight * self.mask
        W = W if rows is None else W[rows]
        if not create_graph:
            W = W.detach()
        return W.unsqueeze(0).expand(x.shape[0], -1, -1).view(x.shape[0], -1, self.lag, self.n_genes)
