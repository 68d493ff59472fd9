"""The generalization protocol's selection (benchmarks/generalization.py) never looks at the family it
scores, including the one setting chosen a level above the candidates (regulator dropout)."""
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
generalization = pytest.importorskip("generalization")


def test_dropout_pools_pair_each_candidate_with_its_twin():
    g = generalization
    cands = ["ridge", "per_target_now", "per_target_now_drop", "ridge+linear_lag1+per_target_now",
             "ridge+linear_lag1_drop+per_target_now_drop", "ridge+linear_lag1+per_target_now/shares"]
    pools = g.setting_pools(cands)
    assert pools["off"] == ["ridge", "per_target_now", "ridge+linear_lag1+per_target_now",
                            "ridge+linear_lag1+per_target_now/shares"]
    # a twin that was not computed is left out; a model without a twin is in both pools
    assert pools["on"] == ["ridge", "per_target_now_drop", "ridge+linear_lag1_drop+per_target_now_drop"]
    assert g.COMPOSITES["ridge+linear_lag1_drop+per_target_now_drop"] == ["ridge", "linear_lag1_drop",
                                                                          "per_target_now_drop"]
    assert g.CANDIDATES["per_target_now_drop"]["input_dropout"] == g.DROPOUT


def test_nested_choice_never_sees_the_held_out_family():
    g = generalization
    rng = np.random.default_rng(0)
    fams = [f"F{k}" for k in range(6)]
    cands = ["ridge", "per_target_now", "per_target_now_drop", "linear_now", "linear_now_drop"]
    au = pd.DataFrame(rng.uniform(0.5, 0.9, (6, 6)), index=fams, columns=cands + ["genie3"])
    pools = g.setting_pools(cands)
    before = g.family_out_settings(au, pools, fams).set_index("family")
    for F in fams:
        changed = au.copy()
        changed.loc[F] = rng.uniform(0.0, 1.0, 6)  # anything at all on the held-out family
        after = g.family_out_settings(changed, pools, fams).set_index("family")
        assert after.loc[F, ["dropout", "chosen"]].tolist() == before.loc[F, ["dropout", "chosen"]].tolist()
        assert after.loc[F, "auroc"] == changed.loc[F, after.loc[F, "chosen"]]
    # and the choice on all families is what the same two steps give
    setting, chosen = g.choose_setting(au, pools, fams)
    assert chosen in pools[setting]
