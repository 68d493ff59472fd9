"""The protocol's candidates as plain data.

* :data:`MODELS`: single GRNGC models, as overrides of the default preset (``grngc.presets``).
* :data:`BASELINES`: methods outside GRNGC's training, each with the settings its scores depend on.
* rank means: ``"a+b"`` or ``"a+b+c"`` is the Borda mean of its members' networks
  (``grngc.compare.consensus_scores``); ``"a+b/shares"`` the same after each member's scores are made
  per-target shares (``grngc.compare.per_target_shares``), so that no member's scale dominates.
"""
from __future__ import annotations

import itertools

from . import rules

MODELS: dict[str, dict] = {
    # GRNGC's linear model (the gradient-L1 penalized VAR) on the change at lag 1
    "linear_lag1": dict(model="linear", lag=1),
    # same-time only (lag 0): each target on the other genes at the same time point, the level
    "linear_now": dict(model="linear", same_time=True, target="level", lag=0),
    "per_target_now": dict(model="mlp-per-target", hidden=16, same_time=True, target="level", lag=0),
    # the per-target MLP on the past and the present, predicting the change
    "per_target_same_time_delta": dict(model="mlp-per-target", hidden=16, same_time=True, target="delta", lag=1),
    # one shared MLP on the change at lag 2 (the default before the protocol existed)
    "mlp": dict(model="mlp", hidden=128, lag=2, target="delta", same_time=False, lam=1.0, n_seeds="auto"),
    # the KAN on the authors' target and lag, with our training
    "kan_lag1_level": dict(model="kan", lag=1, target="level"),
    # one KAN layer (a generalized additive VAR), on the level at lag 1 and same-time only
    "kan_additive_level": dict(model="kan-additive", lag=1, target="level", kan_grid_size=1),
    "kan_additive_now": dict(model="kan-additive", same_time=True, target="level", lag=0, kan_grid_size=1),
    # R2: ONE shared MLP for all genes, each target's own present value hidden (grngc.models.masked_mlp),
    # the gradient L1 of the paper, two seeds averaged: the present only, the past and the present
    # (level and change), and the present with regulator dropout (a masked autoencoder proper)
    "masked_now": dict(model="mlp-masked", hidden=32, same_time=True, target="level", lag=0, n_seeds=2),
    "masked_same_time_level": dict(model="mlp-masked", hidden=32, same_time=True, target="level", lag=1, n_seeds=2),
    "masked_same_time_delta": dict(model="mlp-masked", hidden=32, same_time=True, target="delta", lag=1, n_seeds=2),
    "masked_now_dropout": dict(model="mlp-masked", hidden=32, same_time=True, target="level", lag=0, n_seeds=2,
                               input_dropout=0.3),
}

# name -> (what its scores depend on, for the cache key)
BASELINES: dict[str, str] = {
    "ridge": "granger_ridge target=level lag=1 (penalty per target by leave-one-out)",
    "genie3": "genie3 n_trees=300 max_features=sqrt seed=0",
    "tigress": "tigress R=200 alpha=0.4 L=5 seed=0",
    "spearman": "abs(spearman rho) over all samples",
    "paper": "preset paper",  # GRNGC's --preset paper, keyed by its settings too (cache.method_key)
}


def is_composite(name: str) -> bool:
    return "+" in name


def members_of(name: str) -> list[str]:
    """The single methods a candidate combines (itself for a single one)."""
    return name.removesuffix("/shares").split("+")


def uses_shares(name: str) -> bool:
    return name.endswith("/shares")


def pool() -> list[str]:
    """Every candidate of the registration, in tie-break order: the members, then each rank mean of 2
    and of :data:`rules.MAX_MEMBERS` members (combinations in :data:`rules.MEMBERS` order), each as it
    is and then ``/shares``."""
    out = list(rules.MEMBERS)
    for r in range(2, rules.MAX_MEMBERS + 1):
        for combo in itertools.combinations(rules.MEMBERS, r):
            out.append("+".join(combo))
            if rules.SHARES:
                out.append("+".join(combo) + "/shares")
    return out


def single_methods() -> list[str]:
    """What has to be computed on every dataset: the pool's members and the anchors' (an anchor may be a
    rank mean, as the consensus preset is)."""
    anchors = [m for a in rules.ANCHORS for m in members_of(a)]
    return list(dict.fromkeys([*rules.MEMBERS, *anchors]))
