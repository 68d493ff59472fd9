"""Forecasting models behind one interface (:class:`GrangerModel`): KAN (default), MLP, LSTM, TCN."""
from .base import GrangerModel
from .kan import KAN, KANLayer
from .lstm import LSTM
from .mlp import MLP
from .tcn import TCN

MODELS = {"kan": KAN, "kan-linear": KAN, "mlp": MLP, "lstm": LSTM, "tcn": TCN}


def build_model(name: str, n_genes: int, lag: int, hidden: int) -> GrangerModel:
    try:
        cls = MODELS[name.lower()]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}") from None
    if name.lower() == "kan-linear":
        return KAN(n_genes, lag, hidden=hidden, input_layer="linear")
    return cls(n_genes, lag, hidden=hidden)


__all__ = ["GrangerModel", "KAN", "KANLayer", "LSTM", "MLP", "MODELS", "TCN", "build_model"]
