"""Temporal convolutional forecaster: causal dilated 1-D convolutions over the window's time axis,
genes as channels, a residual block per dilation, the last time step read out to all genes."""
from __future__ import annotations

import torch
from torch import nn

from .base import GrangerModel


class _CausalBlock(nn.Module):
    def __init__(self, c_in: int, c_out: int, kernel: int, dilation: int):
        super().__init__()
        self.pad = (kernel - 1) * dilation
        self.conv = nn.Conv1d(c_in, c_out, kernel, dilation=dilation)
        self.skip = nn.Conv1d(c_in, c_out, 1) if c_in != c_out else nn.Identity()

    def forward(self, x):
        y = self.conv(nn.functional.pad(x, (self.pad, 0)))
        return nn.functional.silu(y) + self.skip(x)


class TCN(GrangerModel):
    def __init__(self, n_genes: int, lag: int, hidden: int = 64, kernel: int = 2):
        super().__init__(n_genes, lag)
        self.hidden = hidden
        blocks, c_in, d = [], n_genes, 1
        while True:  # enough dilations for the receptive field to cover the window
            blocks.append(_CausalBlock(c_in, hidden, kernel, d))
            c_in = hidden
            if 1 + (kernel - 1) * (2 * d - 1) >= lag:
                break
            d *= 2
        self.blocks = nn.Sequential(*blocks)
        self.out = nn.Linear(hidden, n_genes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = self.blocks(x.transpose(1, 2))  # (B, p, lag) -> (B, hidden, lag)
        return self.out(z[:, :, -1])
