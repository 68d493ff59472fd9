"""Forecasting models behind one interface (:class:`GrangerModel`).

``mlp`` (one shared hidden layer), ``mlp-skip`` (the same with a linear path beside it), ``mlp-per-target`` (a small MLP per target with a linear path,
batched), ``mlp-masked`` (one shared MLP, each target's own same-time value hidden), ``linear`` (GRNGC's linear special case: an L1-penalized VAR), ``kan`` (identity base,
fixed grid; ``kan_grid_updates`` moves the grids onto the data), ``kan-silu`` (the earlier SiLU-base KAN on a fixed grid),
``kan-paper`` (the authors' KAN: identity base, grid 5 on [-1, 1], never updated, no biases,
efficient-KAN's initial splines and per-edge spline scaler),
``kan-additive`` (one KAN layer: a generalized additive VAR that starts as the linear model),
``kan-linear``, ``lstm``, ``tcn``.
"""
from ..methods import REGISTRY, names
from .base import GrangerModel
from .kan import KAN, AdditiveKAN, KANLayer
from .linear import Linear
from .lstm import LSTM
from .masked_mlp import MaskedMLP
from .mlp import MLP
from .per_target import PerTargetMLP
from .tcn import TCN

# name -> model class (with the name's fixed options), from the registry (grngc.methods.forecasters)
MODELS = {name: REGISTRY[name].load("model") for name in names("model") if REGISTRY[name].model}
SAME_TIME_MODELS = ("mlp-per-target", "mlp-masked", "linear", "kan-additive")  # models that can mask each target's own same-time value


def build_model(name: str, n_genes: int, lag: int, hidden: int, same_time: bool = False,
                grid_size: int | None = None) -> GrangerModel:
    """The model ``name`` for ``n_genes`` genes and ``lag`` input slots (the same-time slot included);
    ``grid_size`` sets a KAN model's spline intervals per input (``None``: the model's own)."""
    try:
        cls = MODELS[name.lower()]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}") from None
    extra = {}
    if grid_size is not None:
        if not name.lower().startswith("kan"):
            raise ValueError(f"grid_size applies to the KAN models, not {name!r}")
        extra["grid_size"] = grid_size
    if same_time:
        if name.lower() not in SAME_TIME_MODELS:
            raise ValueError(f"same-time inputs need a model that masks each target's own value "
                             f"({', '.join(SAME_TIME_MODELS)}), not {name!r}")
        extra["same_time"] = True
    return cls(n_genes, lag, hidden=hidden, **extra)


__all__ = ["AdditiveKAN", "GrangerModel", "KAN", "KANLayer", "LSTM", "Linear", "MLP", "MaskedMLP", "MODELS", "PerTargetMLP",
           "SAME_TIME_MODELS", "TCN", "build_model"]
