"""Forecasting models behind one interface (:class:`GrangerModel`): MLP (default), KAN, LSTM, TCN."""
from functools import partial

from .base import GrangerModel
from .kan import KAN, KANLayer
from .lstm import LSTM
from .mlp import MLP
from .tcn import TCN

MODELS = {"kan": KAN, "kan-linear": partial(KAN, input_layer="linear"), "mlp": MLP, "lstm": LSTM, "tcn": TCN}


def build_model(name: str, n_genes: int, lag: int, hidden: int) -> GrangerModel:
    try:
        cls = MODELS[name.lower()]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}") from None
    return cls(n_genes, lag, hidden=hidden)


__all__ = ["GrangerModel", "KAN", "KANLayer", "LSTM", "MLP", "MODELS", "TCN", "build_model"]
