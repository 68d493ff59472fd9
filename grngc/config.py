"""The settings of a GRNGC run (no torch import here, so that the command line starts fast)."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from .methods import names

log = logging.getLogger("grngc")

# Every value GRNGCConfig.model takes: the registry's methods with the role "model" (grngc.methods): GRNGC's
# forecasting models plus "ridge" (the closed-form lag-1 ridge VAR) and "genie3" (GENIE3's random forests on
# the same time point). The registry is torch-free, so the command line offers them without importing torch.
MODEL_NAMES = names("model")
# How an ensemble combines its members' networks: "rank", the mean of their ranks (Borda); "shares", the same
# after each member's scores are made per-target shares (each target's scores over their sum, as GENIE3's
# importances are), so that no member's targets dominate by scale.
COMBINE = ("rank", "shares")

# The allowed values of every setting with a fixed set of choices: GRNGCConfig checks them when it is
# made (every entry point); scripts/update_schema_enums.py writes them into the pipeline's schemas and
# tests/core/test_config.py checks that the schemas agree.
CHOICES = {
    "model": MODEL_NAMES,
    "target": ("delta", "level"),
    "lam_scaling": ("lasso", "samples", "sum", "none"),
    "scaling": ("zscore", "gaussianize"),
    "combine": COMBINE,
    "kind": ("auto", "cells", "bulk"),
    "on_oom": ("stop", "reduce"),
}
# Numeric settings and their allowed range (low, high, high included?), checked the same way.
RANGES = {"lag": (0, None), "hidden": (1, None), "lam": (0, None), "epochs": (1, None), "min_epochs": (0, None),
          "patience": (1, None), "lr": (0, None), "weight_decay": (0, None), "kan_grid_size": (1, None),
          "batch_size": (1, None), "penalty_windows": (1, None)}


def check_input_dropout(q: float) -> float:
    """``q`` if it is a regulator-dropout probability (0 <= q < 1); InputError otherwise. The one rule
    behind the command line, the API (``resolve_config``) and training."""
    if not 0.0 <= q < 1.0:
        from .timecourse import InputError

        raise InputError(f"input_dropout (--input-dropout) is the chance of hiding a regulator while training: "
                         f"0 <= it < 1, not {q!r}")
    return q


@dataclass
class GRNGCConfig:
    """Settings of one GRNGC model (or, with ``members``, an ensemble). What a run uses when nothing is
    given is the ``default`` preset (:mod:`grngc.core.presets`): these settings plus the ensemble chosen
    leave-one-family-out by the pre-registered protocol ``benchmarks/protocol`` (docs/accuracy.md)."""

    model: str = "mlp"  # a forecasting model of grngc.models, "ridge" (closed-form lag-1 ridge VAR) or "genie3"
    lag: int = 2
    hidden: int = 128
    lam: float = 1.0
    lam_scaling: str = "lasso"  # lambda_eff = lam * p * lag * sqrt(log(p * lag) / n_train); "none": lam as is
    scaling: str = "zscore"  # per-gene input scaling: "zscore" or "gaussianize" (rank-based inverse normal)
    target: str = "delta"  # "delta": predict x(t) - x(t-1); "level": predict x(t)
    same_time: bool = False  # also feed the other genes' x(t) (each target's own masked); needs linear/mlp-per-target/mlp-masked/kan-additive
    early_stopping: bool = True  # False: keep the last epoch (the authors' recipe)
    penalize_self: bool = False  # True: the penalty also covers each gene's effect on itself (the authors' code)
    stitch_series: bool = False  # True: series joined end to end, windows crossing them (the authors' code)
    kan_grid_updates: int = 0  # KAN: move every layer's grid onto its inputs before epochs 0, 10, 20, ... this
    # many times (0: never; measured worse, docs/accuracy-history.md)
    kan_grid_size: int | None = None  # KAN models: spline intervals per input (None: the model's own; fewer = smoother)
    lr: float = 3e-3
    weight_decay: float = 0.0
    # Regulator dropout: during training each window hides each regulator (all its lags) with this
    # probability (the rest scaled by 1 / (1 - q)); 0: off. Spreads a target's credit over correlated
    # regulators, as a random forest's feature subsampling and TIGRESS's randomized lasso do.
    input_dropout: float = 0.0
    epochs: int = 1500  # maximum; early stopping decides (DREAM3 stops at 570-820)
    min_epochs: int = 50
    patience: int = 60
    batch_size: int | None = 256  # None: full batch
    val_fraction: float = 0.2
    penalty_rows: int | str | None = "auto"  # output genes sampled per step for the penalty: "auto" = 64 above 256 genes, None = all
    penalty_windows: int | None = 32  # use this many windows of each batch for the penalty (None: all)
    n_seeds: int | str = "auto"  # models averaged; "auto": 5 where p * samples <= 50,000 (small data), else 1
    seed: int = 0
    device: str = "auto"
    progress: bool = True
    # An ensemble: one model per member (these settings + the member's), networks averaged by rank.
    # Empty: one model. The "default" preset (grngc.core.presets) is an ensemble.
    # Candidate regulators (gene names; None: every gene). Every gene stays an input, but only these are
    # penalized and scored: the network holds regulator -> target pairs only (GENIE3's `regulators`).
    regulators: tuple | None = None
    # A member's "max_genes" (optional) skips it above that many genes; the first member always runs.
    members: tuple = ()
    combine: str = "rank"  # how an ensemble combines its members: one of COMBINE
    # "auto": single cells ordered by pseudotime (few long series, tied or irregular times; grngc.cells.choose_kind)
    # get the single-cell mode when the default ensemble would run; "cells" / "bulk" force the choice.
    # An explicit model (--model ...) runs as asked whatever the kind.
    kind: str = "auto"
    # Single cells with spliced/unspliced layers: RNA velocity orients the network (grngc.cells.network_direction);
    # False reads X only (the layers are neither read nor checked).
    velocity: bool = True
    on_oom: str = "stop"  # CUDA out of memory: "stop" with advice, or "reduce": sampled penalty, then smaller batches

    def __post_init__(self):
        """Stop on a setting no run can use, naming the setting, the value and the allowed ones: the same
        error from the command line, the API, a preset and the pipeline, before any data is read."""
        from .timecourse import InputError

        for name, allowed in CHOICES.items():
            if getattr(self, name) not in allowed:
                raise InputError(f"{name}={getattr(self, name)!r}: choose one of "
                                 f"{', '.join(map(str, allowed))}")
        for name, (low, high) in RANGES.items():
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                      or value < low or (high is not None and value > high)):
                raise InputError(f"{name}={value!r}: use a number >= {low}" + (f" and <= {high}" if high else ""))
        check_input_dropout(self.input_dropout)
        if not isinstance(self.velocity, bool):
            raise InputError(f"velocity={self.velocity!r}: True (orient single cells by their spliced/unspliced "
                             "layers where present) or False")
        if not 0.0 <= self.val_fraction < 1.0:
            raise InputError(f"val_fraction={self.val_fraction!r}: the held-out share of windows: 0 <= it < 1")
        if not (self.n_seeds == "auto" or (isinstance(self.n_seeds, int) and self.n_seeds >= 1)):
            raise InputError(f"n_seeds={self.n_seeds!r}: a number of models >= 1, or 'auto'")
        if not (self.penalty_rows in ("auto", None) or (isinstance(self.penalty_rows, int) and self.penalty_rows >= 1)):
            raise InputError(f"penalty_rows={self.penalty_rows!r}: a number of output genes >= 1, 'auto', or None (all)")
        for k, member in enumerate(self.members):
            if member.get("model", self.model) not in MODEL_NAMES:
                raise InputError(f"ensemble member {k + 1}: model {member.get('model')!r} is not a model grngc knows; "
                                 f"choose one of {', '.join(MODEL_NAMES)}")
        for k, member in enumerate(self.members or [{}]):
            model, same_time = member.get("model", self.model), member.get("same_time", self.same_time)
            if model == "mlp-masked" and not same_time:
                where = f"ensemble member {k + 1}: " if self.members else ""
                raise InputError(f"{where}model 'mlp-masked' hides each target's own same-time value, so it needs "
                                 "same-time inputs: add same_time=True (--same-time), or use model 'mlp'")

    def resolved_device(self):
        """The torch.device to train on: CUDA when present for "auto"; CPU, with a warning, when CUDA is
        asked for but absent (a GPU job that landed on a node without one still finishes)."""
        import torch

        if self.device == "auto":
            return torch.device("cuda" if torch.cuda.is_available() else "cpu")
        dev = torch.device(self.device)
        if dev.type == "cuda" and not torch.cuda.is_available():
            log.warning("device %s requested but CUDA is not available; running on CPU", self.device)
            return torch.device("cpu")
        return dev
