"""Named sets of GRNGC settings: ``default`` (chosen by the pre-registered protocol; no member is a
method users compare grngc with), ``consensus`` (the best ranking whatever its source: the ridge VAR,
a per-target MLP and GENIE3's forests), ``paper``, the published recipe as the authors' code runs it,
and ``paper-series``, the same with sound windows.

``paper`` is the recipe of the GRNGC authors' code for gene networks (Liu et al. 2025,
arXiv 2507.11178; MeiliangLiu/GCD ``Models/Dream3.py``, ``Dream4.py``): their efficient-KAN
``[p, 128, p]`` with an identity base (a linear term plus a cubic B-spline correction on the fixed
grid [-1, 1] of size 5, efficient-KAN's initial splines and per-edge spline scaler, no biases),
global per-gene z-scores, lag 1, predicting the level ``x(t)``, full batch, Adam lr 0.01, lambda
0.008 on the SUM of the mean ``|J|`` entries, each gene's effect on itself included, 200 epochs,
the scores of the last epoch, one model, and the series joined end to end (their code reshapes
every series into one, so the windows at each junction cross from one series into the next).
``paper-series`` keeps the windows inside each series; docs/method.md gives both figures.
"""
from __future__ import annotations

import dataclasses

from ..config import GRNGCConfig

# The default: what the pre-registered protocol R2 picks on all 15 development families, among
# candidates with no member that is a method users compare grngc with (GENIE3, GRNBoost2, TIGRESS, the
# correlation) and that cost at most half GENIE3's time on a DREAM4-100 network (benchmarks/protocol,
# docs/accuracy.md; tests/test_protocol_replay.py replays its tables). The rank mean, over per-target
# shares, of two views of the data. The ridge VAR in closed form sees the past (the level at lag 1, its
# penalty chosen per target by leave-one-out). ONE masked-input MLP for all genes sees the present: each
# gene predicted from the other genes in the same sample, its own value hidden (and 30% of the others
# hidden at random while training, as a masked autoencoder), the input gradient as the score with the
# gradient L1 of GRNGC as the penalty, two seeds averaged. Both run at every size (no max_genes): the
# ridge costs genes^3, the MLP samples x genes x hidden per step and genes^2 x hidden for its scores.
DEFAULT_MEMBERS = (
    {"model": "ridge", "lag": 1, "target": "level"},
    {"model": "mlp-masked", "hidden": 32, "same_time": True, "target": "level", "lag": 0, "n_seeds": 2,
     "input_dropout": 0.3},
)
DEFAULT_COMBINE = "shares"

# The consensus preset: what registration R1 picked when GENIE3 could be a member (its table replays to
# it: tests/test_protocol_replay.py). The rank mean, over per-target shares, of the ridge VAR (the
# past), a per-target MLP (the past and the other genes' present) and GENIE3's 300-tree forests (the
# present). It CONTAINS GENIE3: agreement of its network with GENIE3's is partly GENIE3 agreeing with
# itself, so it is no preset to compare with GENIE3. Above 256 genes the MLP and the forests are
# skipped and the ridge runs alone (the log and run.json's ``members_skipped`` say so).
CONSENSUS_MEMBERS = (
    {"model": "ridge", "lag": 1, "target": "level"},
    {"model": "mlp-per-target", "hidden": 16, "same_time": True, "target": "delta", "lag": 1, "max_genes": 256},
    {"model": "genie3", "max_genes": 256},
)
CONSENSUS_COMBINE = "shares"

PRESETS: dict[str, dict] = {
    "default": {"members": DEFAULT_MEMBERS, "combine": DEFAULT_COMBINE},
    "consensus": {"members": CONSENSUS_MEMBERS, "combine": CONSENSUS_COMBINE},
    "paper": dict(model="kan-paper", hidden=128, lag=1, target="level", scaling="zscore", same_time=False,
                  lam=0.008, lam_scaling="sum", lr=0.01, weight_decay=0.0, epochs=200, batch_size=None,
                  val_fraction=0.0, early_stopping=False, penalty_windows=None, penalty_rows=None,
                  n_seeds=1, kan_grid_updates=0, penalize_self=True, stitch_series=True, members=()),
}
# The same recipe with windows kept inside each series (no junction windows): sounder, not the published number.
PRESETS["paper-series"] = {**PRESETS["paper"], "stitch_series": False}


# Settings that define a model: giving one of them with an ensemble preset runs that one model instead.
MODEL_SETTINGS = {"model", "lag", "same_time", "target", "hidden", "lam", "lam_scaling", "scaling"}


def resolve_config(preset: str | None = "default", config: GRNGCConfig | None = None, **overrides) -> GRNGCConfig:
    """The settings of a run: ``config`` (or ``GRNGCConfig()``), then the ``preset``'s settings, then
    ``overrides`` (any ``GRNGCConfig`` field; ``None`` values are ignored). With an ensemble
    (``members``, as the default is), a model setting (:data:`MODEL_SETTINGS`) asks for exactly one
    model: the ensemble is replaced by the top-level settings with the overrides; any other setting
    (epochs, seeds, device, ...) applies to every member."""
    cfg = config or GRNGCConfig()
    if preset is not None:
        if preset not in PRESETS:
            raise ValueError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
        cfg = dataclasses.replace(cfg, **PRESETS[preset])
    unknown = set(overrides) - {f.name for f in dataclasses.fields(GRNGCConfig)}
    if unknown:
        raise TypeError(f"unknown GRNGC setting(s): {sorted(unknown)}")
    given = {k: v for k, v in overrides.items() if v is not None}
    cfg = dataclasses.replace(cfg, **given)
    if cfg.members and "members" not in given:
        if MODEL_SETTINGS & set(given):  # the user asked for one model: run exactly that model
            cfg = dataclasses.replace(cfg, members=())
        else:  # training settings (epochs, seeds, device, ...) hold for every member
            cfg = dataclasses.replace(cfg, members=tuple({**m, **given} for m in cfg.members))
    cfg = _level_at_lag_zero(cfg, "target" in given)
    cfg = _ridge_at_lag_one(cfg, given)
    return _kan_grid_on_kan_models_only(cfg)


def _ridge_at_lag_one(cfg: GRNGCConfig, given: dict) -> GRNGCConfig:
    """``model='ridge'`` is the lag-1 ridge VAR on the level: the lag and target it needs are picked and
    said when left at their defaults; asked otherwise, a clear error before any data is read."""
    if cfg.members or cfg.model != "ridge":
        return cfg
    from ..timecourse import InputError

    asked = {k: given[k] for k in ("lag", "same_time") if k in given}
    if asked.get("lag", 1) != 1 or asked.get("same_time", False):
        raise InputError(f"model 'ridge' is the lag-1 ridge VAR (the past only): use --lag 1 without --same-time "
                         f"(got {', '.join(f'{k}={v}' for k, v in asked.items())}); for same-time inputs choose "
                         "--model linear or mlp-per-target")
    if cfg.lag != 1 or cfg.same_time:
        import logging

        logging.getLogger("grngc").info("model ridge: lag 1 on the level (the lag-1 ridge VAR)")
        cfg = dataclasses.replace(cfg, lag=1, same_time=False)
    return cfg


def _level_at_lag_zero(cfg: GRNGCConfig, target_given: bool) -> GRNGCConfig:
    """At lag 0 (same-time inputs only) there is no x(t-1) to take a change from: the target is the level.
    Picked and said when the target was left at its default; a clear error when ``delta`` was asked."""
    if cfg.members or cfg.lag != 0 or cfg.target != "delta":
        return cfg
    if target_given:
        from ..timecourse import InputError

        raise InputError("target 'delta' (x(t) - x(t-1)) needs lag >= 1; at lag 0 use target 'level' "
                         "(--target level)")
    import logging

    logging.getLogger("grngc").info("lag 0: predicting the level x(t) (target 'level'; 'delta' needs lag >= 1)")
    return dataclasses.replace(cfg, target="level")


def _kan_grid_on_kan_models_only(cfg: GRNGCConfig) -> GRNGCConfig:
    """``kan_grid_size`` set where no model is a KAN stops here, before any data is read; in an
    ensemble it goes to the KAN members only (a member's own setting wins)."""
    if cfg.kan_grid_size is None:
        return cfg
    models = [m.get("model", cfg.model) for m in cfg.members] or [cfg.model]
    if not any(_is_kan(m) for m in models):
        from ..timecourse import InputError

        raise InputError(f"kan_grid_size (--kan-grid-size) sets the KAN models' grids, and no model here is a KAN "
                         f"({', '.join(sorted(set(models)))}); add --model kan-additive (or another kan model), "
                         f"or drop it")
    if not cfg.members:
        return cfg
    members = tuple({"kan_grid_size": cfg.kan_grid_size, **m} if _is_kan(m.get("model", cfg.model))
                    else {k: v for k, v in m.items() if k != "kan_grid_size"} for m in cfg.members)
    return dataclasses.replace(cfg, kan_grid_size=None, members=members)


def _is_kan(model) -> bool:
    return str(model).startswith("kan")
