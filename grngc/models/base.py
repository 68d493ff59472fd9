"""The interface every forecasting model implements.

A model maps a window of the past ``lag`` steps of all ``p`` genes, ``x`` of shape ``(B, lag, p)``
(``x[:, -1]`` is the most recent step, ``x[:, -l]`` is ``l`` steps back), to a prediction for all
``p`` genes at the next step, shape ``(B, p)``. ONE model serves all genes. With same-time inputs
the window's last slot is the target step itself (``lag`` then counts it), and models that support
them (``linear``, ``mlp-per-target``, ``mlp-masked``) mask each target's own value there.

Its input Jacobian ``J[b, j, l', i] = d yhat_j / d x[b, l', i]`` is what Granger scores and the
gradient penalty are made of. Models with a closed form (MLP, KAN) override :meth:`input_jacobian`;
the default here is exact for any model, by batched reverse mode.
"""
from __future__ import annotations

import torch
from torch import nn


def input_mask(n_genes: int, lag: int, same_time: bool) -> torch.Tensor:
    """``(p, lag * p)`` 0/1 mask of the inputs each target may see: all of them, except (with
    ``same_time``, where the window's last slot is the target's own time step) the target's own
    same-time value, which would give its answer away."""
    mask = torch.ones(n_genes, lag, n_genes)
    if same_time:
        mask[:, -1] = 1 - torch.eye(n_genes)
    return mask.view(n_genes, lag * n_genes)


class GrangerModel(nn.Module):
    # True where d yhat / d x does not depend on x (a linear model): scoring then needs one window.
    constant_jacobian = False

    def __init__(self, n_genes: int, lag: int):
        super().__init__()
        self.n_genes = n_genes
        self.lag = lag

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # pragma: no cover - abstract
        raise NotImplementedError

    def input_jacobian(
        self, x: torch.Tensor, rows: torch.Tensor | None = None, create_graph: bool = True
    ) -> torch.Tensor:
        """``J[b, r, l, i] = d yhat_{rows[r]}(x_b) / d x[b, l, i]``, shape ``(B, m, lag, p)``.

        Generic form: the batch is replicated once per requested output row and ONE reverse pass
        gives all rows at once (samples do not interact in ``forward``, so the gradient of the summed
        row-``r`` outputs with respect to the ``r``-th copy is that row of every sample's Jacobian).
        With ``create_graph`` the result is differentiable in the parameters (for the penalty).
        """
        B, k, p = x.shape
        rows = torch.arange(p, device=x.device) if rows is None else rows
        m = rows.numel()
        xr = x.detach().unsqueeze(0).expand(m, B, k, p).reshape(m * B, k, p).clone().requires_grad_(True)
        with torch.enable_grad():
            y = self(xr).view(m, B, p)
            picked = y.gather(2, rows.view(m, 1, 1).expand(m, B, 1))
            (g,) = torch.autograd.grad(picked.sum(), xr, create_graph=create_graph)
        return g.view(m, B, k, p).transpose(0, 1)
