"""LSTM forecaster: reads the window step by step (oldest first) and predicts all genes from the last
hidden state. Written with plain tensor operations (not cuDNN's fused LSTM) because the gradient
penalty needs second derivatives, which the fused kernel does not provide. The Python loop runs over
the ``lag`` steps of the window only.
"""
from __future__ import annotations

import torch
from torch import nn

from .base import GrangerModel


class LSTM(GrangerModel):
    def __init__(self, n_genes: int, lag: int, hidden: int = 64):
        super().__init__(n_genes, lag)
        self.hidden = hidden
        self.cell = nn.LSTMCell(n_genes, hidden)
        self.out = nn.Linear(hidden, n_genes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B = x.shape[0]
        h = x.new_zeros(B, self.hidden)
        c = x.new_zeros(B, self.hidden)
        w_ih, w_hh = self.cell.weight_ih, self.cell.weight_hh
        b = self.cell.bias_ih + self.cell.bias_hh
        for t in range(self.lag):
            gates = x[:, t] @ w_ih.T + h @ w_hh.T + b
            i, f, g, o = gates.chunk(4, dim=1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
        return self.out(h)
