"""GRNGC's forecasting models (Liu et al., arXiv 2507.11178): one network for all genes, trained with the
L1 penalty on its input-output gradients; the classes live in :mod:`grngc.models` (one module each) and
are loaded only when a model is built, so that registering them needs no torch.

The score of ``i -> j`` is ``mean_{t, l} |d xhat_j(t) / d x_i(t - l)|`` (:mod:`grngc.granger.gradients`).
"""
from __future__ import annotations

from .registry import Method

PAPER = "Liu et al., Gradient Regularization-based Neural Granger Causality, arXiv 2507.11178 (2025)"
KAN_REF = PAPER + "; KAN: Liu et al., arXiv 2404.19756 (2024)"
NEURAL_GC = PAPER + "; per-target networks: Tank et al., Neural Granger Causality, IEEE TPAMI 44 (2022)"


def _model(name, summary, target, reference=PAPER, **options):
    return Method(name, ("model",), summary, reference, model=f"grngc.models.{target}", options=options)


METHODS = (
    _model("mlp", "one shared hidden layer", "mlp:MLP"),
    _model("mlp-skip", "the shared MLP plus a linear path beside the hidden layer", "mlp:MLP", skip=True),
    _model("mlp-per-target", "a small MLP per target plus a linear path, batched", "per_target:PerTargetMLP",
           NEURAL_GC),
    _model("mlp-masked", "one shared MLP fed the past and the present, each target's own present value hidden",
           "masked_mlp:MaskedMLP"),
    _model("linear", "GRNGC's linear special case: an L1-penalized VAR", "linear:Linear"),
    _model("kan", "Kolmogorov-Arnold network: identity base, cubic B-splines on a fixed grid", "kan:KAN", KAN_REF),
    _model("kan-additive", "one KAN layer: a generalized additive VAR", "kan:AdditiveKAN", KAN_REF),
    _model("kan-silu", "KAN with SiLU base, fixed grid", "kan:KAN", KAN_REF, base=("silu", "silu")),
    _model("kan-paper", "the authors' KAN (identity base, grid 5 on [-1, 1], efficient-KAN's initial splines)",
           "kan:KAN", KAN_REF, base=("identity", "identity"), grid_size=5, grid_range=(-1.0, 1.0), bias=False,
           init="efficient-kan"),
    _model("kan-linear", "KAN after a linear input layer", "kan:KAN", KAN_REF, input_layer="linear",
           base=("silu", "silu")),
    _model("lstm", "a recurrent forecaster", "lstm:LSTM"),
    _model("tcn", "a temporal convolutional forecaster", "tcn:TCN"),
)
